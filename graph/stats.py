"""Counting what a built graph holds: talks, people, concepts per scheme, top concepts."""

from __future__ import annotations

from pathlib import Path

import pyoxigraph as ox

from .errors import InputError

__all__ = ["load_store", "graph_stats"]

_PREFIXES = """PREFIX tg: <https://w3id.org/talkgraph/ns#>
PREFIX schema: <http://schema.org/>
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
"""


def load_store(directory: str | Path) -> ox.Store:
    """An in-memory store holding ``DIR/graph.nt`` (or ``graph.ttl``) of a build."""
    directory = Path(directory)
    for name, fmt in (("graph.nt", ox.RdfFormat.N_TRIPLES), ("graph.ttl", ox.RdfFormat.TURTLE)):
        path = directory / name if directory.is_dir() else directory
        if path.is_file() and (path.name == name or not directory.is_dir()):
            store = ox.Store()
            try:
                store.bulk_load(path=str(path), format=fmt if path.name == name else ox.RdfFormat.from_extension(
                    path.suffix.lstrip(".")) or ox.RdfFormat.TURTLE)
            except SyntaxError as error:
                raise InputError(path, f"not valid RDF: {error}") from None
            return store
    raise InputError(directory, "no graph.nt or graph.ttl here", hint="run `talkgraph build` first (it writes out/)")


def _scalar(store: ox.Store, query: str) -> int:
    return int(next(iter(store.query(_PREFIXES + query)))[0].value)


def graph_stats(store: ox.Store, *, top: int = 10) -> dict:
    """Counts and the most declared concepts of each scheme.

    >>> from graph import build
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
    rows = store.query(_PREFIXES + """
        SELECT ?scheme (COUNT(DISTINCT ?c) AS ?concepts) WHERE {
          ?t a tg:Talk ; ?p ?c . ?p <http://www.w3.org/2000/01/rdf-schema#subPropertyOf>* tg:declaresKeyword .
          ?c skos:inScheme ?scheme }
        GROUP BY ?scheme ORDER BY ?scheme""")
    for scheme, count in rows:
        stats["concepts_used"][scheme.value.rsplit("/", 1)[-1]] = int(count.value)
    rows = store.query(_PREFIXES + """
        SELECT ?scheme ?label (COUNT(DISTINCT ?t) AS ?talks) WHERE {
          ?t a tg:Talk ; ?p ?c . ?p <http://www.w3.org/2000/01/rdf-schema#subPropertyOf>* tg:declaresKeyword .
          ?c skos:inScheme ?scheme ; skos:prefLabel ?label }
        GROUP BY ?scheme ?label ORDER BY ?scheme DESC(?talks) ?label""")
    for scheme, label, talks in rows:
        bucket = stats["top_concepts"].setdefault(scheme.value.rsplit("/", 1)[-1], [])
        if len(bucket) < top:
            bucket.append((label.value, int(talks.value)))
    return stats
