"""Counting what a built graph holds: talks, people, concepts per scheme, top concepts."""

from __future__ import annotations

from pathlib import Path

from .. import engine as ox

from ..errors import InputError
from ..namespaces import SPARQL_PREFIXES

__all__ = ["load_store", "graph_stats"]



def load_store(location: str | Path) -> ox.Store:
    """The graph of a build folder (its store, opened read-only), or of an RDF file (parsed into memory)."""
    from .folder import resolve
    from .sparql import STORE_DIR

    location = resolve(location)  # a build's real folder, looked up once (see talkgraph.store.folder)
    if location.is_dir():
        if (location / STORE_DIR / "CURRENT").exists():
            return ox.Store.read_only(str(location / STORE_DIR))
        candidates = [location / "graph.nt", location / "graph.ttl"]
        files = [path for path in candidates if path.is_file()]
        if not files:
            raise InputError(location, "no talkgraph store, graph.nt or graph.ttl here",
                             hint="run `talkgraph build` first (it writes out/)")
        location = files[0]
    elif not location.is_file():
        raise InputError(location, "no such file or folder", hint="give a build folder such as out/")
    store = ox.Store()
    fmt = ox.RdfFormat.N_TRIPLES if location.suffix == ".nt" else ox.RdfFormat.TURTLE
    try:
        store.bulk_load(path=str(location), format=fmt)
    except SyntaxError as error:
        raise InputError(location, f"not valid RDF: {error}") from None
    return store


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
          ?t a tg:Talk ; ?p ?c . ?p <http://www.w3.org/2000/01/rdf-schema#subPropertyOf>* tg:declaresKeyword .
          ?c skos:inScheme ?scheme }
        GROUP BY ?scheme ORDER BY ?scheme""")
    for scheme, count in rows:
        stats["concepts_used"][scheme.value.rsplit("/", 1)[-1]] = int(count.value)
    rows = store.query(SPARQL_PREFIXES + """
        SELECT ?scheme ?label (COUNT(DISTINCT ?t) AS ?talks) WHERE {
          ?t a tg:Talk ; ?p ?c . ?p <http://www.w3.org/2000/01/rdf-schema#subPropertyOf>* tg:declaresKeyword .
          ?c skos:inScheme ?scheme ; skos:prefLabel ?label }
        GROUP BY ?scheme ?label ORDER BY ?scheme DESC(?talks) ?label""")
    for scheme, label, talks in rows:
        bucket = stats["top_concepts"].setdefault(scheme.value.rsplit("/", 1)[-1], [])
        if len(bucket) < top:
            bucket.append((label.value, int(talks.value)))
    return stats
