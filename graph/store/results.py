"""The answer to a query, and its serialisations: SPARQL 1.1 JSON, XML, CSV and TSV, Markdown, a text table.

:class:`Results` holds what an engine answered, as pyoxigraph terms; :func:`format_results`
writes it for ``talkgraph query`` and :func:`encode_results` for the server's HTTP answers.

>>> r = Results("select", ["x"], [(ox.Literal("a"),), (ox.Literal(2),)])
>>> print(format_results(r, "tsv"), end="")
?x
"a"
"2"^^<http://www.w3.org/2001/XMLSchema#integer>
"""

from __future__ import annotations

import csv
import json
from dataclasses import dataclass, field
from functools import cache

from .. import engine as ox
from ..tables.table import spreadsheet_safe as _spreadsheet_safe
from .catalogue import LIST_SEPARATOR

__all__ = ["Results", "from_answer", "format_results", "encode_results", "write_rows", "STREAM_FORMATS",
           "RESULT_TYPES", "GRAPH_TYPES", "fit_widths"]

#: Media types of the SPARQL results formats and of the graph formats, by format name.
RESULT_TYPES = {
    "json": "application/sparql-results+json", "xml": "application/sparql-results+xml",
    "csv": "text/csv", "tsv": "text/tab-separated-values",
}
GRAPH_TYPES = {"turtle": "text/turtle", "ntriples": "application/n-triples", "jsonld": "application/ld+json"}


@dataclass
class Results:
    """The answer to a query: solutions (SELECT), a boolean (ASK) or triples (CONSTRUCT/DESCRIBE)."""

    kind: str  # "select", "ask" or "graph"
    variables: list[str] = field(default_factory=list)
    solutions: list[tuple] = field(default_factory=list)  # pyoxigraph terms or None, in variable order
    boolean: bool | None = None
    triples: list[ox.Triple] = field(default_factory=list)
    truncated: bool = False  # there are more rows after these
    offset: int = 0  # the rows skipped before these (a page of a named query)
    total: int | None = None  # the rows of the whole answer, when known
    lists: tuple[str, ...] = ()  # columns whose cells are lists (see talkgraph.store.catalogue)

    def rows(self) -> list[dict[str, object]]:
        """Solutions as plain dicts: IRIs and strings as ``str``, numbers as ``int``/``float``, list
        columns as lists of ``str``."""
        return [_row_dict(self.variables, row, self.lists) for row in self.solutions]

    def __len__(self) -> int:
        return len(self.solutions) if self.kind == "select" else len(self.triples)

    def sort_by(self, columns: tuple[str, ...]) -> "Results":
        """Sort solutions by these columns (numbers as numbers; ``-name`` for descending), then by
        every column, for a total order.

        >>> r = Results("select", ["n", "t"], [(ox.Literal(2), ox.Literal("b")),
        ...                                    (ox.Literal(10), ox.Literal("a")),
        ...                                    (ox.Literal(2), ox.Literal("a"))])
        >>> [(row["n"], row["t"]) for row in r.sort_by(("-n", "t")).rows()]
        [(10, 'a'), (2, 'a'), (2, 'b')]
        """
        # Python's sort is stable: sort by the last key first, each with its own direction.
        self.solutions.sort(key=lambda row: tuple(("" if t is None else t.value) for t in row))
        for column in reversed(columns):
            name = column.lstrip("-")
            if name in self.variables:
                i = self.variables.index(name)
                self.solutions.sort(key=lambda row: _sort_value(row[i]), reverse=column.startswith("-"))
        return self

    def comparable(self) -> list[tuple]:
        """Solutions as tuples of N-Triples strings, for comparing results from two stores."""
        return [tuple(None if term is None else str(term) for term in row) for row in self.solutions]


def from_answer(answer, *, limit: int | None = None) -> Results:
    """The :class:`Results` of a pyoxigraph query answer, at most ``limit`` solutions or triples of it."""
    if isinstance(answer, ox.QueryBoolean):
        return Results("ask", boolean=bool(answer))
    if isinstance(answer, ox.QueryTriples):
        triples = []
        for triple in answer:
            if limit is not None and len(triples) >= limit:
                return Results("graph", triples=triples, truncated=True)
            triples.append(triple)
        return Results("graph", triples=triples)
    variables = [v.value for v in answer.variables]
    solutions = []
    for solution in answer:
        if limit is not None and len(solutions) >= limit:
            return Results("select", variables, solutions, truncated=True)
        solutions.append(tuple(solution))  # values in variable order, None where unbound
    return Results("select", variables, solutions)


# ------------------------------------------------------------------ terms

@cache
def _xsd() -> tuple[frozenset[str], str, str]:
    """The numeric datatypes, ``xsd:boolean`` and ``xsd:string`` (namespaces imports rdflib: only when needed)."""
    from ..namespaces import XSD

    numeric = frozenset(str(XSD[t]) for t in ("integer", "int", "long", "decimal", "double", "float",
                                                "nonNegativeInteger"))
    return numeric, str(XSD.boolean), str(XSD.string)


def _python(term):
    if isinstance(term, ox.Literal):
        datatype = term.datatype.value
        numeric, boolean, _ = _xsd()
        if datatype in numeric:
            try:
                return int(term.value) if "integer" in datatype or datatype.endswith(("int", "long")) \
                    else float(term.value)
            except ValueError:
                return term.value
        if datatype == boolean:
            return term.value == "true"
        return term.value
    return term.value


def _row_dict(variables, row, lists=()) -> dict[str, object]:
    return {name: (term.value.split(LIST_SEPARATOR) if term.value else []) if name in lists else _python(term)
            for name, term in zip(variables, row) if term is not None}


def _sort_value(term):
    if term is None:
        return (0, "")
    value = _python(term)
    return (1, value) if isinstance(value, (int, float)) and not isinstance(value, bool) else (2, str(value))


def _short(term) -> str:
    if term is None:
        return ""
    if isinstance(term, ox.NamedNode):
        from .prefixes import short_name

        return short_name(term.value)
    return term.value


def _json_term(term) -> dict:
    if isinstance(term, ox.NamedNode):
        return {"type": "uri", "value": term.value}
    if isinstance(term, ox.BlankNode):
        return {"type": "bnode", "value": term.value}
    out = {"type": "literal", "value": term.value}
    if term.language:
        out["xml:lang"] = term.language
    elif term.datatype.value != _xsd()[2]:
        out["datatype"] = term.datatype.value
    return out


def _xml(results: Results) -> str:
    """SPARQL Query Results XML Format."""
    from xml.sax.saxutils import escape, quoteattr

    from ..namespaces import SPARQL_RESULTS_XML

    out = ['<?xml version="1.0"?>', f"<sparql xmlns={quoteattr(SPARQL_RESULTS_XML)}>", "<head>"]
    out += [f"<variable name={quoteattr(v)}/>" for v in results.variables]
    out.append("</head>")
    if results.kind == "ask":
        out.append(f"<boolean>{'true' if results.boolean else 'false'}</boolean>")
    else:
        out.append("<results>")
        for row in results.solutions:
            out.append("<result>")
            for name, term in zip(results.variables, row):
                if term is None:
                    continue
                if isinstance(term, ox.NamedNode):
                    value = f"<uri>{escape(term.value)}</uri>"
                elif isinstance(term, ox.BlankNode):
                    value = f"<bnode>{escape(term.value)}</bnode>"
                elif term.language:
                    value = f"<literal xml:lang={quoteattr(term.language)}>{escape(term.value)}</literal>"
                elif term.datatype.value != _xsd()[2]:
                    value = f"<literal datatype={quoteattr(term.datatype.value)}>{escape(term.value)}</literal>"
                else:
                    value = f"<literal>{escape(term.value)}</literal>"
                out.append(f"<binding name={quoteattr(name)}>{value}</binding>")
            out.append("</result>")
        out.append("</results>")
    out.append("</sparql>")
    return "\n".join(out) + "\n"


#: The first characters of the cells that :func:`~talkgraph.tables.table.spreadsheet_safe` may change.
_FORMULA_FIRST = frozenset("=+-@\t\r'")


def _csv_cell(value: str) -> str:
    return f'"{value.replace(chr(34), chr(34) * 2)}"' if any(c in value for c in ',"\r\n') else value


def _tsv_term(term, safe: bool) -> str:
    if term is None:
        return ""
    if safe and isinstance(term, ox.Literal):
        value = _spreadsheet_safe(term.value)
        if value != term.value:
            term = ox.Literal(value, language=term.language) if term.language else \
                ox.Literal(value, datatype=term.datatype)
    return str(term)


# ------------------------------------------------------------------ whole answers

def format_results(results: Results, fmt: str, *, spreadsheet_safe: bool = False, width: int | None = None) -> str:
    """Render as ``table``, ``csv`` or ``tsv`` (SPARQL 1.1 CSV/TSV), ``json`` (SPARQL 1.1 JSON), ``xml`` or ``md``.

    A ``table`` shows IRIs as prefixed names (:func:`talkgraph.store.prefixes.short_name`) and,
    given ``width`` (the terminal's), fits in it: the widest columns are cut first, each cut
    cell ends in "…", and every column keeps a few characters however narrow the terminal.

    CONSTRUCT and DESCRIBE results are JSON-LD for ``json`` and Turtle for every other format.
    With ``spreadsheet_safe``, CSV and TSV cells (the text of literals) that a spreadsheet would
    run as a formula get a leading ``'`` (see :func:`talkgraph.tables.table.spreadsheet_safe`; numbers are
    left alone); without it they are exactly as SPARQL 1.1 defines them.

    >>> r = Results("select", ["x", "n"], [(ox.Literal("=1+1"), ox.Literal(-3))])
    >>> format_results(r, "csv", spreadsheet_safe=True)
    "x,n\\r\\n'=1+1,-3\\r\\n"
    >>> format_results(r, "csv")
    'x,n\\r\\n=1+1,-3\\r\\n'
    """
    if results.kind == "graph":
        from ..namespaces import DEFAULT_BASE_IRI, data_prefixes

        if fmt == "json":  # the shape of graph.jsonld, one home for it (model/jsonld.py)
            from ..model.jsonld import jsonld_text

            return jsonld_text(results.triples, prefixes=data_prefixes(DEFAULT_BASE_IRI))
        return ox.serialize(results.triples, format=ox.RdfFormat.TURTLE,
                            prefixes=data_prefixes(DEFAULT_BASE_IRI)).decode("utf-8")
    if fmt == "json":
        if results.kind == "ask":
            return json.dumps({"head": {}, "boolean": results.boolean}) + "\n"
        bindings = [{name: _json_term(term) for name, term in zip(results.variables, row) if term is not None}
                    for row in results.solutions]
        return json.dumps({"head": {"vars": results.variables}, "results": {"bindings": bindings}},
                          ensure_ascii=False, indent=1) + "\n"
    if fmt == "xml":
        return _xml(results)
    if results.kind == "ask":
        return ("true" if results.boolean else "false") + "\n"
    if fmt == "csv":
        lines = [",".join(results.variables)]
        cell = _spreadsheet_safe if spreadsheet_safe else str
        lines += [",".join(_csv_cell("" if t is None else cell(t.value)) for t in row) for row in results.solutions]
        return "\r\n".join(lines) + "\r\n"
    if fmt == "tsv":
        lines = ["\t".join(f"?{v}" for v in results.variables)]
        lines += ["\t".join(_tsv_term(t, spreadsheet_safe) for t in row) for row in results.solutions]
        return "\n".join(lines) + "\n"
    cells = [[_short(t).replace("\n", " ") for t in row] for row in results.solutions]
    if fmt == "md":
        escape = lambda s: s.replace("|", "\\|")  # noqa: E731
        lines = ["| " + " | ".join(results.variables) + " |", "|" + "---|" * len(results.variables)]
        lines += ["| " + " | ".join(escape(c) for c in row) + " |" for row in cells]
        return "\n".join(lines) + "\n"
    widths = [min(60, max([len(v)] + [len(row[i]) for row in cells])) for i, v in enumerate(results.variables)]
    if width:
        widths = fit_widths(widths, width)
    clip = lambda s, w: s if len(s) <= w else s[:w - 1] + "…"  # noqa: E731
    lines = ["  ".join(clip(v, w).ljust(w) for v, w in zip(results.variables, widths)).rstrip(),
             "  ".join("-" * w for w in widths)]
    lines += ["  ".join(clip(c, w).ljust(w) for c, w in zip(row, widths)).rstrip() for row in cells]
    if not results.truncated and not results.offset:  # a page's place is told by its caller, on one line
        lines.append(f"({len(cells)} row{'s' if len(cells) != 1 else ''})")
    return "\n".join(lines) + "\n"


#: The fewest characters a column keeps in a narrow terminal (three and the "…").
MIN_COLUMN = 4


def fit_widths(widths: list[int], width: int, *, gap: int = 2) -> list[int]:
    """Column widths that fit in ``width`` characters with ``gap`` between columns: the widest are
    narrowed to a common cap, none below :data:`MIN_COLUMN` (so that every column still shows).

    >>> fit_widths([10, 40, 60], 60)
    [10, 23, 23]
    >>> fit_widths([10, 40, 60], 10)
    [4, 4, 4]
    """
    room = width - gap * (len(widths) - 1)
    if sum(widths) <= room:
        return list(widths)
    cap = max(widths)
    while cap > MIN_COLUMN and sum(min(w, cap) for w in widths) > room:
        cap -= 1
    return [min(w, cap) for w in widths]


def encode_results(results: Results, fmt: str) -> tuple[str, bytes]:
    """Content type and bytes of ``results`` in the format an HTTP client asked for (a name of
    :data:`RESULT_TYPES` or :data:`GRAPH_TYPES`; JSON, or Turtle for a graph, otherwise)."""
    if results.kind == "graph":
        graph_format = fmt if fmt in GRAPH_TYPES else "turtle"
        if graph_format == "ntriples":
            return GRAPH_TYPES["ntriples"], ox.serialize(results.triples, format=ox.RdfFormat.N_TRIPLES)
        # Turtle and JSON-LD (the JSON of a graph) as `talkgraph query` prints them
        text = format_results(results, "json" if graph_format == "jsonld" else "turtle")
        return GRAPH_TYPES[graph_format], text.encode("utf-8")
    result_format = fmt if fmt in RESULT_TYPES else "json"
    content_type = RESULT_TYPES[result_format]
    if result_format == "csv":
        content_type += "; charset=utf-8"
    return content_type, format_results(results, result_format).encode("utf-8")


# ------------------------------------------------------------------ streams

#: Formats :func:`write_rows` writes row by row: SPARQL 1.1 CSV and TSV, and JSON lines.
STREAM_FORMATS = ("csv", "tsv", "jsonl")


def write_rows(variables: list[str], rows, fmt: str, out, *, spreadsheet_safe: bool = False,
               lists: tuple[str, ...] = ()) -> int:
    """Write solutions (tuples of terms, any iterable) to the text stream ``out`` as they come; the row count.

    ``csv`` and ``tsv`` are exactly :func:`format_results`' CSV and TSV; ``jsonl`` is one JSON
    object a line, as :meth:`Results.rows` gives them (list columns as lists). Nothing is held
    but the row being written.

    >>> import io; out = io.StringIO()
    >>> write_rows(["x", "n"], iter([(ox.Literal("a"), ox.Literal(1)), (ox.Literal("b"), None)]), "jsonl", out)
    2
    >>> print(out.getvalue(), end="")
    {"x": "a", "n": 1}
    {"x": "b"}
    """
    count = 0
    if fmt == "csv" and len(variables) > 1:  # the csv module quotes as _csv_cell does, in C (one column: below)
        out.write(",".join(variables) + "\r\n")
        write = csv.writer(out, lineterminator="\r\n").writerow
        for row in rows:
            values = ["" if t is None else t.value for t in row]
            if spreadsheet_safe:
                values = [_spreadsheet_safe(v) if v[:1] in _FORMULA_FIRST else v for v in values]
            write(values)
            count += 1
    elif fmt == "csv":  # csv.writer would write a lone empty cell as "", which SPARQL's CSV does not
        cell = _spreadsheet_safe if spreadsheet_safe else str
        out.write(",".join(variables) + "\r\n")
        for row in rows:
            out.write(",".join(_csv_cell("" if t is None else cell(t.value)) for t in row) + "\r\n")
            count += 1
    elif fmt == "tsv":
        out.write("\t".join(f"?{v}" for v in variables) + "\n")
        for row in rows:
            out.write("\t".join(_tsv_term(t, spreadsheet_safe) for t in row) + "\n")
            count += 1
    elif fmt == "jsonl":
        for row in rows:
            out.write(json.dumps(_row_dict(variables, row, lists), ensure_ascii=False) + "\n")
            count += 1
    else:
        raise ValueError(f"write_rows writes {', '.join(STREAM_FORMATS)}, not {fmt!r}")
    return count
