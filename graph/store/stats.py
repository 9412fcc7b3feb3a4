"""Counting what a built graph holds: talks, people, concepts per scheme, top concepts."""

from __future__ import annotations

from .. import engine as ox

from ..namespaces import SPARQL_PREFIXES, scheme_name

__all__ = ["graph_stats"]


def _scalar(store: ox.Store, query: str) -> int:
    return int(next(iter(store.query(SPARQL_PREFIXES + query)))[0].value)


def graph_stats(store: ox.Store, *, top: int = 10) -> dict:
    """Counts and the most declared concepts of each scheme.

    >>> from talkgraph import build
    >>> stats = graph_stats(build().store)
    >>> stats["talks"], stats["people"]
    (19, 19)
    """
    stats = {
        "talks": _scalar(store, "SELECT (COUNT(?t) AS ?n) WHERE { ?t a tg:Talk }"),
        "people": _scalar(store, "SELECT (COUNT(?p) AS ?n) WHERE { ?p a schema:Person }"),
        "triples": len(store),
        "concepts_used": {},
        "top_concepts": {},
    }
    rows = store.query(SPARQL_PREFIXES + """
        SELECT ?scheme (COUNT(DISTINCT ?c) AS ?concepts) WHERE {
          ?t a tg:Talk ; ?p ?c . ?p rdfs:subPropertyOf* tg:declaresKeyword .
          ?c skos:inScheme ?scheme }
        GROUP BY ?scheme ORDER BY ?scheme""")
    for scheme, count in rows:
        stats["concepts_used"][scheme_name(scheme.value)] = int(count.value)
    rows = store.query(SPARQL_PREFIXES + """
        SELECT ?scheme ?label (COUNT(DISTINCT ?t) AS ?talks) WHERE {
          ?t a tg:Talk ; ?p ?c . ?p rdfs:subPropertyOf* tg:declaresKeyword .
          ?c skos:inScheme ?scheme ; skos:prefLabel ?label }
        GROUP BY ?scheme ?label ORDER BY ?scheme DESC(?talks) ?label""")
    for scheme, label, talks in rows:
        bucket = stats["top_concepts"].setdefault(scheme_name(scheme.value), [])
        if len(bucket) < top:
            bucket.append((label.value, int(talks.value)))
    return stats
