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

from typing import Iterable

from ..errors import ParameterError, shown
from .catalogue import NamedQuery, get_query
from .embedded import EmbeddedStore, open_store
from .endpoint import Endpoint
from .folder import STORE_DIR
from .parameters import Resolver, bind_values, parse_params
from .prefixes import missing_prefixes
from .results import Results, format_results

__all__ = ["Results", "EmbeddedStore", "Endpoint", "open_store", "run_query", "run_sparql", "STORE_DIR",
           "parse_params", "bind_values", "format_results"]


def _backend(store, endpoint, allowed_services: Iterable[str] = ()):
    if endpoint:
        return Endpoint(endpoint, allowed_services=allowed_services) if isinstance(endpoint, str) else endpoint
    if isinstance(store, (EmbeddedStore, Endpoint)):
        return store
    return open_store(store, allowed_services=allowed_services)


def run_query(name: str | NamedQuery, *, store=None, endpoint: str | Endpoint | None = None,
              params: dict[str, str] | None = None, limit: int | None = None, use_defaults: bool = True,
              **keyword_params) -> Results:
    """Run a named query with its parameters; labels are resolved to IRIs against the graph.

    ``store`` is anything :func:`open_store` opens (default ``out/``) or an
    :class:`EmbeddedStore`; ``endpoint`` a SPARQL endpoint URL instead. A parameter
    that is not given takes its default from the query header.
    """
    query = name if isinstance(name, NamedQuery) else get_query(name)
    given = {**(params or {}), **keyword_params}
    unknown = sorted(set(given) - {p.name for p in query.params})
    if unknown:
        known = ", ".join(p.name for p in query.params) or "none"
        raise ParameterError(f"{query.name} has no parameter {', '.join(map(shown, unknown))}",
                             hint=f"its parameters are: {known}")
    backend = _backend(store, endpoint)
    resolver = Resolver(backend)
    bindings = {}
    for param in query.params:
        value = given.get(param.name, param.default if use_defaults else None)
        if value is None:
            raise ParameterError(f"{query.name} needs the parameter {param.name!r} ({param.doc or param.kind})",
                                 hint=f"add --param {param.name}=VALUE")
        bindings[param.name] = resolver.resolve(query, param.name, str(value))
    if not query.order:
        return backend.execute(query.text, bindings, source=query.path or query.name, limit=limit)
    # Ordered by talkgraph: a capped answer is the first rows of the whole answer, so fetch it all.
    results = backend.execute(query.text, bindings, source=query.path or query.name).sort_by(query.order)
    if limit is not None and len(results.solutions) > limit:
        del results.solutions[limit:]
        results.truncated = True
    return results


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
