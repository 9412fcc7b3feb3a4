"""Running SPARQL: named or ad-hoc queries, on the embedded store or a remote endpoint.

Parameters are bound safely, never pasted into the query text: each resolved RDF
term goes into its parameter's ``VALUES ?name { UNDEF }`` slot, serialised by
pyoxigraph (so a value holding quotes, braces or ``} UNION {`` stays one
literal), the same way on the embedded store and on a remote endpoint, so both
give the same answers. A parameter value may be a label or an IRI; it is resolved
against the graph itself (:mod:`talkgraph.store.parameters`).

This module is the front of the store's query side: what it runs with lives in
:mod:`.embedded` (:func:`open_store`), :mod:`.endpoint`, :mod:`.parameters` and
:mod:`.results` (:class:`Results`, :func:`format_results`), and is named here too.

>>> from talkgraph import build
>>> results = run_query("speakers-by-method", store=build().store, method="Bayesian deep learning")
>>> sorted({row["name"] for row in results.rows()})
['Edward Elliott', 'Mike Walmsley', 'Thomas Killestein']
"""

from __future__ import annotations

from typing import Iterable, Iterator

from .. import engine as ox
from ..errors import ParameterError, shown
from .catalogue import LIST_SEPARATOR, NamedQuery, count_text, get_query, page_bounds, paged_text, ungrouped_text
from .embedded import EmbeddedStore, open_store
from .endpoint import Endpoint
from .folder import STORE_DIR
from .parameters import Resolver, bind_values, parse_params
from .prefixes import missing_prefixes
from .querycheck import check_query, first_keyword
from .listing import index_rows
from .pruning import choices
from .results import Results, format_results, write_rows

__all__ = ["Results", "EmbeddedStore", "Endpoint", "open_store", "run_query", "stream_query", "run_sparql",
           "page_bounds", "STORE_DIR", "parse_params", "bind_values", "format_results", "write_rows"]


def _backend(store, endpoint, allowed_services: Iterable[str] = ()):
    if endpoint:
        return Endpoint(endpoint, allowed_services=allowed_services) if isinstance(endpoint, str) else endpoint
    if isinstance(store, (EmbeddedStore, Endpoint)):
        return store
    return open_store(store, allowed_services=allowed_services)


def _prepared(query: NamedQuery, backend, given: dict, use_defaults: bool) -> dict:
    unknown = sorted(set(given) - {p.name for p in query.params})
    if unknown:
        known = ", ".join(p.name for p in query.params) or "none"
        raise ParameterError(f"{query.name} has no parameter {', '.join(map(shown, unknown))}",
                             hint=f"its parameters are: {known}")
    resolver = Resolver(backend)
    bindings = {}
    for param in query.params:
        value = given.get(param.name, param.default if use_defaults else None)
        if value is None:
            raise ParameterError(f"{query.name} needs the parameter {param.name!r} ({param.doc or param.kind})",
                                 hint=f"add --param {param.name}=VALUE")
        bindings[param.name] = resolver.resolve(query, param.name, str(value))
    return bindings


def run_query(name: str | NamedQuery, *, store=None, endpoint: str | Endpoint | None = None,
              params: dict[str, str] | None = None, limit: int | str | None = None, offset: int | str = 0,
              use_defaults: bool = True, count: bool = False, **keyword_params) -> Results:
    """Run a named query with its parameters; labels are resolved to IRIs against the graph.

    ``store`` is anything :func:`open_store` opens (default ``out/``) or an
    :class:`EmbeddedStore`; ``endpoint`` a SPARQL endpoint URL instead. A parameter
    that is not given takes its default from the query header.

    The answer is one page: ``limit`` rows (a ranking's top N when not given, see
    :mod:`.catalogue`; every row for a listing) after the first ``offset``, in the query's
    order, which is total, so pages neither overlap nor skip a row, on any store.
    ``truncated`` says more rows follow; ``total`` counts them all when known: a query that
    takes its own page (``# page: inside``) knows it on its last page, or with ``count``, which
    costs a second query that finds every row of the answer (without their details). An offset
    past the end is a :class:`ParameterError`.
    """
    query = name if isinstance(name, NamedQuery) else get_query(name)
    limit, offset = page_bounds(limit, offset)
    given = {**(params or {}), **keyword_params}
    backend = _backend(store, endpoint)
    bindings = _prepared(query, backend, given, use_defaults)
    if limit is None:
        limit = query.top
    source = query.path or query.name
    if query.paged:  # the query takes its own page: one row more tells whether another page follows
        text = paged_text(query, None if limit is None else limit + 1, offset)
        results = None
        if query.prune is not None and limit is not None and isinstance(backend, EmbeddedStore):
            results = _pruned(query, backend, text, bindings, limit, offset)
        if results is None:
            results = backend.execute(text, bindings, source=source)
        more = limit is not None and len(results.solutions) > limit
        results.solutions = results.solutions[:limit]
        results.total, results.truncated = None if more else offset + len(results.solutions), more
        if results.total is None and count or offset and not results.solutions:  # past the end: say how far it is
            counted = backend.execute(count_text(query), bindings, source=source).solutions
            results.total = int(counted[0][0].value)
    elif query.order:  # ordered by talkgraph: a page is a slice of the whole answer, sorted
        results = backend.execute(query.text, bindings, source=source).sort_by(query.order)
        results.total = len(results.solutions)
        results.solutions = results.solutions[offset:None if limit is None else offset + limit]
        results.truncated = limit is not None and offset + limit < results.total
    else:  # ordered by the query itself: read no further than the page
        results = backend.execute(query.text, bindings, source=source,
                                  limit=None if limit is None else offset + limit)
        more = results.truncated
        results.total = None if more else len(results.solutions)
        results.solutions = results.solutions[offset:]
        results.truncated = more
    results.offset, results.lists = offset, query.lists
    if offset and not results.solutions and results.kind == "select":
        raise ParameterError(f"offset {offset} is past the end: {query.name} has {results.total} rows here",
                             hint="ask for an offset below the number of rows, or leave it out for the first page")
    if query.lists:
        results.solutions = [_sorted_lists(row, _list_columns(query, results.variables))
                             for row in results.solutions]
    return results


def _pruned(query: NamedQuery, backend: EmbeddedStore, text: str, bindings: dict, limit: int,
            offset: int) -> Results | None:
    """The page (``limit`` + 1 rows after ``offset``) found among the rows the links index chooses
    (:mod:`talkgraph.store.pruning`), or None when the index cannot say: then the query finds every row."""
    tries = choices(query.prune, backend, bindings, offset + limit + 1, _prologue(query.text))
    while True:
        try:
            chosen, last = next(tries)
        except StopIteration:
            return None
        except (ArithmeticError, LookupError, ValueError):  # an index that does not fit the store
            return None
        results = backend.execute(text, {**bindings, query.prune.variable: chosen}, source=query.path or query.name)
        if last or len(results.solutions) > limit:
            return results


def _prologue(text: str) -> str:
    """The PREFIX and BASE lines of a query (what comes before its form's keyword)."""
    found = first_keyword(text)
    return text[:found[1]] if found else ""


def stream_query(name: str | NamedQuery, *, store=None, endpoint: str | Endpoint | None = None,
                 params: dict[str, str] | None = None, use_defaults: bool = True,
                 **keyword_params) -> tuple[list[str], Iterator[tuple]]:
    """Every row of a named query, in its order, as (variables, an iterator of solutions).

    On the embedded store the rows come from the engine one by one (the query's order line
    becomes its ORDER BY), so none are held here: write them out with
    :func:`~talkgraph.store.results.write_rows`. A listing with list cells is asked without its
    grouping (:func:`~talkgraph.store.catalogue.ungrouped_text`): the engine would group every row
    before giving the first, while in its order the rows of one group come together, and are
    grouped here as they come. A listing of the shape of a template of :mod:`talkgraph.store.listing`
    on a build's store reads its rows from the links index instead, the same rows three to eight
    times faster. From an endpoint the answer arrives whole.
    """
    query = name if isinstance(name, NamedQuery) else get_query(name)
    backend = _backend(store, endpoint)
    bindings = _prepared(query, backend, {**(params or {}), **keyword_params}, use_defaults)
    if isinstance(backend, EmbeddedStore) and (from_index := index_rows(query, backend, bindings)) is not None:
        return from_index  # a listing whose rows' details are in the links index (talkgraph.store.listing)
    ungrouped = ungrouped_text(query) if isinstance(backend, EmbeddedStore) else None
    if ungrouped is not None:
        check_query(ungrouped, source=query.path or query.name, allowed_services=backend.allowed_services)
        answer = backend.store.query(bind_values(ungrouped, bindings))
        variables = [v.value for v in answer.variables]
        return variables, _grouped(answer, _list_columns(query, variables), len(variables))
    text = query.text
    if query.order:
        text += "\nORDER BY " + " ".join(f"DESC(?{c[1:]})" if c.startswith("-") else f"?{c}" for c in query.order)
    if isinstance(backend, EmbeddedStore):
        check_query(text, source=query.path or query.name, allowed_services=backend.allowed_services)
        answer = backend.store.query(bind_values(text, bindings))
        variables, solutions = [v.value for v in answer.variables], (tuple(s) for s in answer)
    else:
        results = backend.execute(text, bindings, source=query.path or query.name)
        variables, solutions = results.variables, iter(results.solutions)
    if not query.lists:
        return variables, solutions
    columns = _list_columns(query, variables)
    return variables, (_sorted_lists(row, columns) for row in solutions)


def _grouped(rows: Iterator, columns: list[int], width: int) -> Iterator[tuple]:
    """Rows that come together with the same values outside the list ``columns``, made one: each list
    cell the sorted distinct items of its values, as :func:`_sorted_lists` makes a ``GROUP_CONCAT``'s."""
    kept = [i for i in range(width) if i not in columns]
    key, first, items = None, None, [set() for _ in columns]
    for solution in rows:
        row = tuple(solution)
        this = tuple(row[i] for i in kept)
        if this != key:
            if first is not None:
                yield _one_row(first, columns, items)
            key, first, items = this, row, [set() for _ in columns]
        for cell, i in zip(items, columns):
            term = row[i]
            if term is not None:
                cell.update(term.value.split(LIST_SEPARATOR))
    if first is not None:
        yield _one_row(first, columns, items)


def _one_row(first: tuple, columns: list[int], items: list[set]) -> tuple:
    row = list(first)
    for i, cell in zip(columns, items):
        row[i] = ox.Literal(LIST_SEPARATOR.join(sorted(cell)))
    return tuple(row)


def _list_columns(query: NamedQuery, variables: list[str]) -> list[int]:
    return [variables.index(c) for c in query.lists if c in variables]


def _sorted_lists(row: tuple, columns: list[int]) -> tuple:
    """The row with the items of its list cells sorted (GROUP_CONCAT's order is the store's)."""
    row = list(row)
    for i in columns:
        term = row[i]
        if isinstance(term, ox.Literal):
            row[i] = ox.Literal(LIST_SEPARATOR.join(sorted(set(term.value.split(LIST_SEPARATOR)))))
    return tuple(row)


def run_sparql(text: str, *, store=None, endpoint: str | Endpoint | None = None, source: str = "query",
               limit: int | None = None, allowed_services: Iterable[str] = (), prefixes: bool = False) -> Results:
    """Run the SPARQL query ``text`` as it is; with ``prefixes``, the prefixes of
    :func:`talkgraph.store.prefixes.query_prefixes` that it does not declare itself are
    declared for it.

    It may call (SERVICE) only the endpoints in ``allowed_services``; a query nested too
    deeply for the engine is refused (see :mod:`talkgraph.store.querycheck`).
    """
    declared = missing_prefixes(text) if prefixes else None
    return _backend(store, endpoint, allowed_services).execute(text, {}, source=source, limit=limit,
                                                                prefixes=declared)
