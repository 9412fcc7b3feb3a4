"""SHACL validation against ``ontology/shapes.ttl``: the only module that imports pySHACL.

>>> from rdflib import Graph
>>> conforms, text = validate_graph(Graph().parse(data='''
...     @prefix tg: <https://w3id.org/talkgraph/ns#> .
...     <https://example.org/talk/1> a tg:Talk .''', format="turtle"))
>>> conforms, "title" in text
(False, True)
"""

from __future__ import annotations

from functools import cache
from pathlib import Path

from rdflib import Graph

from .errors import InputError
from .resources import ontology_file

__all__ = ["validate_graph", "validate_file", "shapes_graph"]


@cache
def shapes_graph() -> Graph:
    """The bundled SHACL shapes, parsed once."""
    return Graph().parse(ontology_file("shapes.ttl"), format="turtle")


def validate_graph(data: Graph, *, max_messages: int = 20) -> tuple[bool, str]:
    """Check ``data`` against the shapes; return ``(conforms, readable report)``.

    The report lists at most ``max_messages`` distinct problems, each with the
    focus node, the property path and what is wrong.
    """
    import pyshacl

    conforms, report, _ = pyshacl.validate(data, shacl_graph=shapes_graph(), ont_graph=None,
                                           inference="none", abort_on_first=False, allow_warnings=True,
                                           advanced=False)
    if conforms:
        return True, "conforms"
    return False, _readable(report, max_messages)


def _readable(report: Graph, limit: int) -> str:
    rows = report.query("""
        PREFIX sh: <http://www.w3.org/ns/shacl#>
        SELECT ?focus ?path ?message ?value WHERE {
          ?result a sh:ValidationResult ; sh:focusNode ?focus .
          OPTIONAL { ?result sh:resultPath ?path }
          OPTIONAL { ?result sh:resultMessage ?message }
          OPTIONAL { ?result sh:value ?value }
        } ORDER BY STR(?focus) STR(?path) STR(?message)""")
    lines = []
    for focus, path, message, value in rows:
        lines.append(f"- {focus}: {report.namespace_manager.normalizeUri(path) if path is not None else ''}"
                     f" {message or ''}{f' (value: {value})' if value is not None else ''}".rstrip())
    total = len(lines)
    lines = list(dict.fromkeys(lines))[:limit]
    if total > limit:
        lines.append(f"... and {total - limit} more")
    return "\n".join(lines)


def validate_file(path: str | Path) -> tuple[bool, str]:
    """Validate a Turtle file; raise :class:`InputError` if it cannot be parsed."""
    path = Path(path)
    if not path.is_file():
        raise InputError(path, "no such file", hint="give the path of a Turtle file, e.g. out/graph.ttl")
    try:
        data = Graph().parse(path, format="turtle")
    except Exception as error:  # rdflib raises several unrelated types for bad Turtle
        raise InputError(path, f"not valid Turtle: {error}".splitlines()[0],
                         hint="check the file with any Turtle parser; talkgraph writes graph.ttl in out/") from None
    return validate_graph(data)
