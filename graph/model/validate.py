"""SHACL validation against ``ontology/shapes.ttl``, with two engines.

``engine="sparql"`` (the default) runs the shapes compiled into SPARQL queries
(:mod:`.shapes`) on Oxigraph: large graphs validate far faster, and in far less memory,
than with pySHACL. A shape it does not understand raises
:class:`~.shapes.UnsupportedShape`, and :func:`validate` falls back to pySHACL.

``engine="pyshacl"`` is the reference: full SHACL, via pySHACL (the only module
that imports it). ``tests/test_validate.py`` checks that both engines report the
same focus nodes, paths and components on the real graph and on a manifest of
broken graphs.

>>> from talkgraph import build
>>> conforms, violations, text = validate(build(validate=False).store)
>>> conforms, violations
(True, [])
"""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from functools import cache
from pathlib import Path

from .. import engine as ox
from rdflib import Graph, URIRef

from ..errors import InputError, require_file
from ..namespaces import RDF, SH
from ..resources import ontology_file
from .rdf import oxigraph_of
from .shapes import Check, UnsupportedShape, Violation, compile_shapes, sparql_path

__all__ = ["validate", "validate_file", "Violation", "UnsupportedShape", "ENGINES", "shapes_graph"]

ENGINES = ("sparql", "pyshacl")


@cache
def shapes_graph() -> Graph:
    """The bundled SHACL shapes, parsed once."""
    return Graph().parse(ontology_file("shapes.ttl"), format="turtle")


@cache
def _bundled_checks() -> tuple[Check, ...]:
    return tuple(compile_shapes(shapes_graph()))


def _sparql_engine(store: ox.Store) -> list[Violation]:
    # Oxigraph releases the GIL while it evaluates a query, so two threads use both cores.
    with ThreadPoolExecutor(max_workers=2) as pool:
        found = pool.map(lambda check: check.violations(store), _bundled_checks())
        return sorted({v for violations in found for v in violations})


# ------------------------------------------------------------------ pySHACL, the reference engine

def _pyshacl_engine(data: Graph) -> list[Violation]:
    import pyshacl

    conforms, report, _ = pyshacl.validate(data, shacl_graph=shapes_graph(), inference="none",
                                           abort_on_first=False, allow_warnings=True, advanced=False)
    if conforms:
        return []
    violations = []
    nested = set(report.objects(None, SH.detail))  # details of an sh:node failure, not results of their own
    for result in report.subjects(RDF.type, SH.ValidationResult):
        if result in nested or report.value(result, SH.resultSeverity) not in (None, SH.Violation):
            continue
        path = report.value(result, SH.resultPath)
        source_shape = report.value(result, SH.sourceShape)
        message = report.value(result, SH.resultMessage)
        own_message = shapes_graph().value(source_shape, SH.message) if source_shape is not None else None
        value = report.value(result, SH.value)
        component = str(report.value(result, SH.sourceConstraintComponent)).rsplit("#", 1)[-1]
        violations.append(Violation(
            str(report.value(result, SH.focusNode)), sparql_path(report, path) if path is not None else "",
            component, str(own_message or message or ""),
            "" if value is None else (str(value) if isinstance(value, URIRef) else value.n3())))
    return sorted(set(violations))


# ------------------------------------------------------------------ entry points

def _as_rdflib(data) -> Graph:
    if isinstance(data, Graph) and oxigraph_of(data) is None:
        return data
    store = data if isinstance(data, ox.Store) else oxigraph_of(data)
    graph = Graph()
    graph.parse(data=store.dump(format=ox.RdfFormat.N_TRIPLES, from_graph=ox.DefaultGraph()), format="nt")
    return graph


def _as_store(data) -> ox.Store:
    """The Oxigraph store to validate: the given one, the one behind a graph of :func:`~.rdf.rdflib_graph`
    (no copy), or a new one loaded from any other rdflib graph through rdflib's public API."""
    if isinstance(data, ox.Store):
        return data
    behind = oxigraph_of(data)
    if behind is not None:
        return behind
    store = ox.Store()
    store.bulk_load(data.serialize(format="nt", encoding="utf-8"), format=ox.RdfFormat.N_TRIPLES)
    return store


def validate(data, *, engine: str = "sparql", max_messages: int = 20) -> tuple[bool, list[Violation], str]:
    """Validate ``data`` (a pyoxigraph Store or an rdflib Graph) against the shapes.

    Returns ``(conforms, violations, readable report)``; the report shows at most
    ``max_messages`` violations, each with the focus node, path, component and
    message.
    """
    if engine not in ENGINES:
        raise ValueError(f"engine must be one of {ENGINES}, not {engine!r}")
    if engine == "sparql":
        try:
            violations = _sparql_engine(_as_store(data))
        except UnsupportedShape:
            violations = _pyshacl_engine(_as_rdflib(data))
    else:
        violations = _pyshacl_engine(_as_rdflib(data))
    if not violations:
        return True, [], "conforms"
    lines = [v.line() for v in violations[:max_messages]]
    if len(violations) > max_messages:
        lines.append(f"... and {len(violations) - max_messages} more")
    return False, violations, "\n".join(lines)


def validate_file(path: str | Path, *, engine: str = "sparql") -> tuple[bool, list[Violation], str]:
    """Validate a Turtle (or N-Triples) file; raise :class:`InputError` if it cannot be parsed."""
    path = require_file(path, hint="give the path of a Turtle file, e.g. out/graph.ttl")
    fmt = ox.RdfFormat.N_TRIPLES if path.suffix == ".nt" else ox.RdfFormat.TURTLE
    store = ox.Store()
    try:
        store.bulk_load(path=str(path), format=fmt)
    except SyntaxError as error:
        message = str(error).splitlines()[0]
        raise InputError(path, f"not valid {'N-Triples' if fmt == ox.RdfFormat.N_TRIPLES else 'Turtle'}: "
                         f"{message}", hint="fix the syntax at the position shown") from None
    return validate(store, engine=engine)
