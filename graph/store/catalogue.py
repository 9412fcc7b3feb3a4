"""The catalogue of named SPARQL queries in ``queries/*.rq``.

A named query is a small dataclass read from its file's header comment:

    # title: Talks by method
    # description: Talks linked to an ML method or any narrower one ...
    # param: method (concept) = "convolutional neural network" -- an ML method: any of its labels, or its IRI

>>> catalogue = load_catalogue()
>>> query = catalogue["talks-by-method"]
>>> query.title, [(p.name, p.kind, p.default) for p in query.params]
('Talks by method', [('method', 'concept', 'convolutional neural network')])
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

from ..errors import ParameterError, TalkgraphError, UnknownQuery, shown
from ..resources import queries_dir
from .pruning import Prune, parse_prune
from .querycheck import first_keyword, page_order, page_slot, page_span, top_level_words, value_slots, variables

__all__ = ["Param", "NamedQuery", "load_catalogue", "get_query", "page_bounds", "paged_text", "count_text",
           "ungrouped_text", "PARAM_KINDS", "LIST_SEPARATOR"]

#: How the items of a list column are joined (``GROUP_CONCAT(...; separator="; ")``).
LIST_SEPARATOR = "; "

#: What a parameter value names, and so how it is resolved to an RDF term.
PARAM_KINDS = {
    "concept": "a concept: any of its labels (case, plural and hyphens do not matter) or its IRI",
    "person": "a person: full name (case and accents do not matter) or IRI",
    "talk": "a talk: its title (case does not matter) or IRI",
    "iri": "an IRI",
    "string": "a text",
    "integer": "a whole number",
}
_PARAM = re.compile(r"^#\s*param:\s*(?P<name>[A-Za-z_]\w*)\s*\((?P<kind>\w+)\)\s*"
                    r"(?:=\s*(?P<default>\"[^\"]*\"|\S+))?\s*(?:--\s*(?P<doc>.*))?$")


@dataclass(frozen=True)
class Param:
    name: str
    kind: str
    default: str | None = None
    doc: str = ""


@dataclass(frozen=True)
class NamedQuery:
    name: str
    title: str
    description: str
    text: str
    params: tuple[Param, ...] = field(default_factory=tuple)
    path: str = ""
    order: tuple[str, ...] = ()  # columns talkgraph sorts listings by (see load_catalogue)
    top: int | None = None  # a ranking: the number of rows answered unless a limit is given
    lists: tuple[str, ...] = ()  # columns holding a list (GROUP_CONCAT joined by LIST_SEPARATOR)
    score: str = ""  # how a ranking scores its rows (its '# score:' line)
    paged: bool = False  # '# page: inside': its first ordered sub-select takes the page (see load_catalogue)
    prune: Prune | None = None  # '# prune: …': the links index may choose its rows (talkgraph.store.pruning)

    def param(self, name: str) -> Param | None:
        return next((p for p in self.params if p.name == name), None)

    def describe(self) -> dict:
        """The query's name, title, description and parameters, as served by ``/queries`` and ``queries --json``."""
        return {"name": self.name, "title": self.title, "description": self.description,
                "params": [{"name": p.name, "kind": p.kind, "default": p.default, "doc": p.doc}
                           for p in self.params]}


_ROUNDED = re.compile(r"ROUND\(\s*SUM\(\s*\?\w+\s*\)\s*\*\s*(\d+)\s*\)\s*/\s*(\d+)", re.IGNORECASE)


def _check_prune(prune: Prune, text: str, path: Path, paged: bool, params: list[Param]) -> None:
    """The index chooses the rows right only if the query takes its own page through the prune line's slot
    and the line says what the query does: a ranking's score rounded to its unit, a listing's concepts
    found by the query's own pattern."""
    if not value_slots(text).get(prune.variable) or not paged or prune.param and prune.param not in {
            p.name for p in params}:
        raise TalkgraphError(f"{path}: '# prune:' needs '# page: inside', a slot 'VALUES ?{prune.variable} "
                             f"{{ UNDEF }}'" + (f" and a parameter {prune.param!r}" if prune.param else ""))
    body = " ".join(line for line in text.splitlines() if not line.lstrip().startswith("#"))
    if prune.param:
        scale = round(1 / prune.unit)
        rounded = _ROUNDED.search(body)
        if rounded is None or int(rounded[1]) != scale or int(rounded[2]) != scale:
            raise TalkgraphError(f"{path}: '# prune:' says the score is rounded to {prune.unit:g}, but the query "
                                 f"does not compute ROUND(SUM(?weight) * {scale}) / {scale}")
    elif " ".join(prune.pattern[1:-1].split()) not in " ".join(body.split()):
        raise TalkgraphError(f"{path}: the pattern of '# prune:' is not the query's own (write the pattern that "
                             f"the query finds its concepts by, as the query writes it)")


def parse_query_file(path: Path) -> NamedQuery:
    text = path.read_text(encoding="utf-8")
    header: dict[str, str] = {}
    params = []
    for line in text.splitlines():
        if not line.startswith("#"):
            break
        if line.lstrip("# ").startswith("param:"):
            match = _PARAM.match(line.strip())
            if not match or match["kind"] not in PARAM_KINDS:
                raise TalkgraphError(f"{path}: cannot read the parameter line {line!r} "
                                     f"(expected '# param: name (kind) = \"default\" -- doc', kind one of "
                                     f"{', '.join(PARAM_KINDS)})")
            default = match["default"]
            params.append(Param(match["name"], match["kind"], default.strip('"') if default else None,
                                (match["doc"] or "").strip()))
        elif ":" in line:
            key, _, value = line.lstrip("# ").partition(":")
            header[key.strip()] = value.strip()
    for key in ("title", "description"):
        if not header.get(key):
            raise TalkgraphError(f"{path}: the header comment has no '# {key}:' line")
    found = value_slots(text)
    for param in params:
        if not found.get(param.name):
            raise TalkgraphError(f"{path}: parameter {param.name!r} needs a slot "
                                 f"'VALUES ?{param.name} {{ UNDEF }}' in the WHERE clause, found none")
    page = header.get("page")
    if page is not None and (page != "inside" or page_slot(text) is None):
        raise TalkgraphError(f"{path}: '# page: inside' needs a sub-select with an ORDER BY (the page), "
                             f"not {page!r}" if page != "inside" else
                             f"{path}: '# page: inside' but no sub-select has an ORDER BY to take the page")
    order = tuple(header.get("order", "").split())
    names = variables(text)
    for column in order:
        if column.lstrip("-") not in names:
            raise TalkgraphError(f"{path}: '# order:' names {column!r}, which is not a variable of the query "
                                 f"(expected '# order: name -count ...', '-' for descending)")
    lists = tuple(header.get("list", "").split())
    for column in lists:
        if column not in names:
            raise TalkgraphError(f"{path}: '# list:' names {column!r}, which is not a variable of the query")
    top = header.get("top")
    if top is not None and not top.isdigit():
        raise TalkgraphError(f"{path}: '# top:' must be a whole number of rows, not {top!r}")
    prune = parse_prune(header["prune"], str(path)) if "prune" in header else None
    if prune is not None:
        _check_prune(prune, text, path, page is not None, params)
    return NamedQuery(path.stem, header["title"], header["description"], text, tuple(params), str(path), order,
                      int(top) if top else None, lists, header.get("score", ""), page is not None, prune)


@cache
def load_catalogue(directory: str | None = None) -> dict[str, NamedQuery]:
    """Every named query, by name, from ``queries/`` (or another folder of ``.rq`` files).

    A query with a long answer may declare ``# order: col -col ...`` (``-`` for descending)
    instead of an ORDER BY clause: talkgraph sorts its rows by those columns after
    fetching them, the same way whatever the store. (Oxigraph's ORDER BY over its
    on-disk store decodes every IRI and string it compares, which costs far more than
    sorting the rows in Python; figures in benchmarks/README.md.) Its last column should name
    each row uniquely (an IRI), so that pages never overlap whatever the store.

    A ranking declares ``# top: N``: it answers its first N rows unless asked for another
    limit, and says in ``# score:`` how it scores its rows. ``# list: col ...`` names columns
    that aggregate several values with ``GROUP_CONCAT(DISTINCT ...; separator="; ")``:
    talkgraph sorts their items, so a cell reads the same on every store, and gives them as
    a list in JSON lines and ``rows()``.

    A query over many talks or people declares ``# page: inside`` and orders itself: its first
    sub-select with an ``ORDER BY`` (by ``schema:position``, the order the build writes, see
    :mod:`talkgraph.model.order`) chooses the rows, and talkgraph gives that sub-select the
    page's ``LIMIT`` and ``OFFSET`` (:func:`paged_text`), so that titles and names are looked
    up for the page's rows only. A parameter may then have a slot in each part that needs it.
    """
    folder = Path(directory) if directory else queries_dir()
    return {path.stem: parse_query_file(path) for path in sorted(folder.glob("*.rq"))}


def get_query(name: str) -> NamedQuery:
    """The named query, or :class:`UnknownQuery` naming the nearest names."""
    catalogue = load_catalogue()
    if name not in catalogue:
        raise UnknownQuery(name, sorted(catalogue))
    return catalogue[name]


def page_bounds(limit, offset) -> tuple[int | None, int]:
    """``limit`` and ``offset`` as given by a user (numbers or text) → whole numbers; ParameterError otherwise.

    >>> page_bounds("25", None)
    (25, 0)
    >>> page_bounds(-1, 0)
    Traceback (most recent call last):
    ...
    talkgraph.errors.ParameterError: limit must be a whole number of rows, 1 or more, not '-1'
    """
    bounds = []
    for name, value in (("limit", limit), ("offset", offset)):
        if value is None or value == "":
            bounds.append(None if name == "limit" else 0)
            continue
        text, least = str(value).strip(), 1 if name == "limit" else 0
        if isinstance(value, bool) or not text.isdigit() or int(text) < least:
            raise ParameterError(f"{name} must be a whole number of rows, {least} or more, not {shown(str(value))}")
        bounds.append(int(text))
    return bounds[0], bounds[1]


def paged_text(query: NamedQuery, limit: int | None, offset: int) -> str:
    """The text of a ``# page: inside`` query with ``LIMIT limit OFFSET offset`` on its page sub-select.

    >>> text = "SELECT * { { SELECT ?t { ?t ?p ?o } ORDER BY ?o } ?t ?q ?v } ORDER BY ?o"
    >>> paged_text(NamedQuery("q", "Q", "", text, paged=True), 25, 50)
    'SELECT * { { SELECT ?t { ?t ?p ?o } ORDER BY ?o LIMIT 25 OFFSET 50 } ?t ?q ?v } ORDER BY ?o'
    """
    if limit is None and not offset:
        return query.text
    at = page_slot(query.text)
    page = (f" LIMIT {limit}" if limit is not None else "") + (f" OFFSET {offset}" if offset else "")
    return query.text[:at].rstrip() + page + " " + query.text[at:]


def count_text(query: NamedQuery) -> str:
    """A query counting the rows of a ``# page: inside`` query: its page sub-select, counted, without
    its ``ORDER BY`` (the store would sort every row only to count them).

    >>> text = "PREFIX ex: <http://example.org/> SELECT * { { SELECT ?t { ?t ex:p ?o } ORDER BY ?o } ?t ?q ?v }"
    >>> count_text(NamedQuery("q", "Q", "", text, paged=True))
    'PREFIX ex: <http://example.org/> SELECT (COUNT(*) AS ?rows) WHERE { { SELECT ?t { ?t ex:p ?o } } }'
    """
    start, end = page_span(query.text)
    _, select = first_keyword(query.text)
    return (query.text[:select] + "SELECT (COUNT(*) AS ?rows) WHERE { " + query.text[start:page_order(query.text)]
            + query.text[end:end + 1] + " }")


_LIST_CELL = re.compile(r'\(\s*GROUP_CONCAT\s*\(\s*DISTINCT\s+(?P<expr>[^;]+?)\s*;\s*separator\s*=\s*"'
                        + re.escape(LIST_SEPARATOR) + r'"\s*\)\s+AS\s+[?$](?P<column>\w+)\s*\)', re.IGNORECASE)


def ungrouped_text(query: NamedQuery) -> str | None:
    """A ``# page: inside`` listing without its grouping: each list column's value per row instead of
    its ``GROUP_CONCAT``, still in the query's order, so that the rows of one group come together and
    can be grouped as they are read (:func:`talkgraph.store.sparql.stream_query`). None for a query
    that is not of that shape (its list cells ``GROUP_CONCAT(DISTINCT expr; separator="; ")``, then
    one ``GROUP BY`` and an ``ORDER BY`` at the end).

    >>> text = ('SELECT ?t (GROUP_CONCAT(DISTINCT STR(?n); separator="; ") AS ?names) WHERE '
    ...         '{ { SELECT ?t ?o { ?t ?p ?o } ORDER BY ?o } ?t ?q ?n } GROUP BY ?t ?o ORDER BY ?o')
    >>> ungrouped_text(NamedQuery("q", "Q", "", text, lists=("names",), paged=True))
    'SELECT ?t (STR(?n) AS ?names) WHERE { { SELECT ?t ?o { ?t ?p ?o } ORDER BY ?o } ?t ?q ?n } ORDER BY ?o'
    """
    if not query.paged or not query.lists:
        return None
    words = top_level_words(query.text)
    if [word for word, _ in words][-4:] != ["GROUP", "BY", "ORDER", "BY"]:
        return None
    group, order = words[-4][1], words[-2][1]
    _, select = first_keyword(query.text)
    where = next(offset for word, offset in words if word == "WHERE")
    projection, rewritten = query.text[select:where], set()

    def one_value(match: re.Match) -> str:
        rewritten.add(match["column"])
        return f"({match['expr']} AS ?{match['column']})"

    projection = _LIST_CELL.sub(one_value, projection)
    if rewritten != set(query.lists):
        return None
    return query.text[:select] + projection + query.text[where:group] + query.text[order:]
