"""The knowledge graph as a NetworkX graph: conversion, projections, analytics, layout and export.

The only module that imports networkx (the view asks it for positions: :func:`layout`).

Nodes are talks, people, concepts (one ``kind`` per scheme: domain, method,
software, candidate, …) and the meeting, each with ``kind``, ``label`` and ``iri``;
edges carry a readable ``relation``.

>>> from talkgraph import build
>>> g = to_networkx(build().store)
>>> g.nodes["https://w3id.org/talkgraph/id/person/clar-brid-tohill"]["label"]
'Clár-Bríd Tohill'
>>> sorted({d["relation"] for _, _, d in g.edges(data=True)})[:3]
['broader', 'declares domain', 'declares method']
>>> p = project(g, "people-methods")
>>> p.edges["https://w3id.org/talkgraph/id/person/mike-walmsley",
...         "https://w3id.org/talkgraph/vocab/method/bayesian-deep-learning"]["weight"]
1
"""

from __future__ import annotations

import itertools
import math
from pathlib import Path

import networkx as nx

from .. import engine as ox
from ..errors import TalkgraphError
from ..namespaces import SKOS, SPARQL_PREFIXES, TG, UAT_SCHEME, scheme_name
from ..tables.text import evidence_sentence

__all__ = ["to_networkx", "project", "analyse", "export", "layout", "weighted_layout",
           "PROJECTIONS", "EXPORT_FORMATS", "DECLARED"]

#: The readable ``relation`` of each edge from a talk to a concept.
_RELATIONS = {str(TG.declaresDomain): "declares domain", str(TG.declaresMethod): "declares method",
              str(TG.declaresSoftware): "declares software", str(TG.declaresKeyword): "declares keyword",
              str(TG.mentions): "mentions"}
#: Relations a talk or a person declares (as the table says); "mentions" and "broader" are found or inferred.
DECLARED = ("declares domain", "declares method", "declares software", "declares keyword", "speaker of")
SNIPPET = 280


def _rows(store: ox.Store, query: str):
    return store.query(SPARQL_PREFIXES + query)


def to_networkx(store: ox.Store, *, details: bool = False) -> nx.MultiDiGraph:
    """Talks, people, linked concepts (with their broader concepts) and the meeting, as a MultiDiGraph.

    With ``details`` (what the HTML view shows a reader, left out of exports): each
    concept gets ``alt_labels`` (its other labels) and ``matches`` (``[relation, IRI,
    label]`` of its UAT / AIO alignments), and each ``mentions`` edge its ``field`` and
    ``evidence``, the sentence the concept was found in.

    >>> from talkgraph import build
    >>> g = to_networkx(build().store, details=True)
    >>> "CNN" in g.nodes["https://w3id.org/talkgraph/vocab/method/convolutional-neural-network"]["alt_labels"]
    True
    """
    g = nx.MultiDiGraph()
    for talk, title, abstract, meeting in _rows(store, """
            SELECT ?talk ?title ?abstract ?meeting WHERE {
              ?talk a tg:Talk ; dcterms:title ?title ; schema:superEvent ?meeting .
              OPTIONAL { ?talk dcterms:abstract ?abstract } } ORDER BY ?talk"""):
        text = abstract.value if abstract is not None else ""
        g.add_node(talk.value, kind="talk", label=title.value, iri=talk.value,
                   abstract=text if len(text) <= SNIPPET else text[:SNIPPET].rsplit(" ", 1)[0] + " …")
        g.add_edge(talk.value, meeting.value, relation="part of")
    for meeting, name in _rows(store, "SELECT ?m ?name WHERE { ?m a tg:Meeting ; schema:name ?name } ORDER BY ?m"):
        g.add_node(meeting.value, kind="meeting", label=name.value, iri=meeting.value)
    for person, name, talk in _rows(store, """
            SELECT ?person ?name ?talk WHERE { ?talk tg:speaker ?person . ?person schema:name ?name }
            ORDER BY ?person ?talk"""):
        g.add_node(person.value, kind="person", label=name.value, iri=person.value)
        g.add_edge(person.value, talk.value, relation="speaker of")
    linked = set()
    for talk, predicate, concept in _rows(store, """
            SELECT ?talk ?p ?concept WHERE {
              VALUES ?p { tg:declaresDomain tg:declaresMethod tg:declaresSoftware tg:declaresKeyword tg:mentions }
              ?talk a tg:Talk ; ?p ?concept } ORDER BY ?talk ?p ?concept"""):
        g.add_edge(talk.value, concept.value, relation=_RELATIONS[predicate.value])
        linked.add(concept.value)
    concepts = {}
    for concept, label, scheme, broader in _rows(store, """
            SELECT ?c ?label ?scheme ?broader WHERE {
              ?c a skos:Concept ; skos:prefLabel ?label ; skos:inScheme ?scheme .
              OPTIONAL { ?c skos:broader ?broader } } ORDER BY ?c ?broader STRLEN(LANG(?label)) ?label"""):
        # the thesaurus's concepts are astronomy topics, as the domain scheme's are; of a concept's
        # prefLabels (UAT gives some two: "Ionization"@en, "Ionisation"@en-gb) the plain English one is shown,
        # whatever order the store gives them in
        kind = "domain" if scheme.value == str(UAT_SCHEME) else scheme_name(scheme.value)
        entry = concepts.setdefault(concept.value, (label.value, kind, []))
        if broader is not None:
            entry[2].append(broader.value)
    keep, todo = set(), sorted(linked)
    while todo:  # the linked concepts and everything broader, so the hierarchy is there to browse
        iri = todo.pop()
        if iri in keep or iri not in concepts:
            continue
        keep.add(iri)
        todo.extend(concepts[iri][2])
    for iri in sorted(keep):
        label, scheme, broader = concepts[iri]
        g.add_node(iri, kind=scheme, label=label, iri=iri, scheme=scheme)
        for parent in broader:
            if parent in keep:
                g.add_edge(iri, parent, relation="broader")
    if details:
        _add_details(store, g)
    return g


_MATCHES = {str(SKOS.exactMatch): "exact match", str(SKOS.closeMatch): "close match",
            str(SKOS.broadMatch): "broader match", str(SKOS.narrowMatch): "narrower match",
            str(SKOS.relatedMatch): "related match"}


def _add_details(store: ox.Store, g: nx.MultiDiGraph) -> None:
    concepts = {n for n, d in g.nodes(data=True) if "scheme" in d}
    alt: dict[str, set[str]] = {}
    for concept, label in _rows(store, """
            SELECT ?c ?label WHERE { ?c a skos:Concept ; skos:altLabel|skos:hiddenLabel ?label }"""):
        if concept.value in concepts:
            alt.setdefault(concept.value, set()).add(label.value)
    matches: dict[str, list] = {}
    for concept, relation, external, label in _rows(store, """
            SELECT ?c ?p ?x ?label WHERE {
              VALUES ?p { skos:exactMatch skos:closeMatch skos:broadMatch skos:narrowMatch skos:relatedMatch }
              ?c a skos:Concept ; ?p ?x . OPTIONAL { ?x rdfs:label ?label } } ORDER BY ?c ?p ?x"""):
        if concept.value in concepts:
            matches.setdefault(concept.value, []).append(
                [_MATCHES[relation.value], external.value, label.value if label else ""])
    for concept in concepts:
        g.nodes[concept]["alt_labels"] = sorted(alt.get(concept, ()))
        g.nodes[concept]["matches"] = matches.get(concept, [])
    texts: dict[tuple[str, str], str] = {}
    for talk, field, text in _rows(store, """
            SELECT ?talk ?field ?text WHERE { VALUES ?field { dcterms:title dcterms:abstract }
              ?talk a tg:Talk ; ?field ?text }"""):
        texts[talk.value, field.value] = text.value
    for talk, concept, field, start, end in _rows(store, """
            SELECT ?talk ?concept ?field ?start ?end WHERE {
              ?a oa:hasBody ?concept ; oa:hasTarget ?t . ?t oa:hasSource ?talk ; tg:inField ?field ;
                 oa:hasSelector ?s . ?s oa:start ?start ; oa:end ?end }"""):
        if not g.has_edge(talk.value, concept.value):
            continue
        text = texts.get((talk.value, field.value), "")
        for data in g.get_edge_data(talk.value, concept.value).values():
            if data["relation"] == "mentions":
                data["field"] = field.value.rsplit("/", 1)[-1]
                data["evidence"] = evidence_sentence(text, int(start.value), int(end.value))


def _nodes(g, kinds):
    return [n for n, d in g.nodes(data=True) if d.get("kind") in kinds]


def _talk_concepts(g, kind: str) -> dict[str, set[str]]:
    found: dict[str, set[str]] = {}
    for talk in _nodes(g, {"talk"}):
        found[talk] = {c for _, c, d in g.out_edges(talk, data=True)
                       if d["relation"] != "part of" and g.nodes[c].get("kind") == kind}
    return found


def _speakers(g, talk) -> list[str]:
    return [p for p, _, d in g.in_edges(talk, data=True) if d["relation"] == "speaker of"]


def _weighted(edges) -> nx.Graph:
    out = nx.Graph()
    for a, b in edges:
        if out.has_edge(a, b):
            out.edges[a, b]["weight"] += 1
        else:
            out.add_edge(a, b, weight=1)
    return out


def _copy_nodes(source, target):
    for node in target.nodes:
        target.nodes[node].update(source.nodes[node])
    return target


def project(g: nx.MultiDiGraph, name: str) -> nx.Graph:
    """A projection by name (see ``PROJECTIONS``); ``weight`` counts the talks behind each edge."""
    if name not in PROJECTIONS:
        import difflib

        close = difflib.get_close_matches(name, PROJECTIONS, n=1)
        raise TalkgraphError(f"no projection named {name!r}" + (f"; did you mean {close[0]}?" if close else "")
                             + f" (known: {', '.join(PROJECTIONS)})")
    methods = _talk_concepts(g, "method")
    if name == "people-methods":
        edges = [(p, m) for talk, ms in methods.items() for p in _speakers(g, talk) for m in sorted(ms)]
        out = _weighted(edges)
        for p in out:
            out.nodes[p]["bipartite"] = 0 if g.nodes[p]["kind"] == "person" else 1
    elif name == "method-cooccurrence":
        out = _weighted(pair for ms in methods.values() for pair in itertools.combinations(sorted(ms), 2))
        out.add_nodes_from(sorted(set().union(*methods.values())))  # a method never used beside another too
    elif name == "people-people":
        by_method: dict[str, set[str]] = {}
        for talk, ms in methods.items():
            for m in ms:
                by_method.setdefault(m, set()).update(_speakers(g, talk))
        out = _weighted(pair for people in by_method.values()
                        for pair in itertools.combinations(sorted(people), 2))
        out.add_nodes_from(sorted(n for n, kind in g.nodes(data="kind") if kind == "person"))  # and who shares none
    else:  # domain-method
        domains = _talk_concepts(g, "domain")
        out = _weighted((d, m) for talk in methods for d in sorted(domains[talk]) for m in sorted(methods[talk]))
        for n in out:
            out.nodes[n]["bipartite"] = 0 if g.nodes[n]["kind"] == "domain" else 1
    return _copy_nodes(g, out)


PROJECTIONS = {
    "people-methods": "people and the ML methods of their talks (bipartite; weight = talks)",
    "method-cooccurrence": "the methods of the talks, linked when used in the same talk (weight = shared talks)",
    "people-people": "every speaker, linked to those whose talks share a method (weight = shared methods)",
    "domain-method": "astronomy domains and ML methods of the same talks (bipartite; weight = talks)",
}


def analyse(g: nx.Graph, *, seed: int = 42, betweenness_sample: int = 500) -> nx.Graph:
    """Add ``degree``, ``degree_centrality``, ``betweenness`` and ``community`` to every node (in place).

    Betweenness is exact up to ``betweenness_sample`` nodes and sampled (seeded,
    so deterministic) beyond; communities are Louvain communities (seeded),
    numbered from 0 by decreasing size.
    """
    simple = nx.Graph(g.to_undirected()) if g.is_directed() or g.is_multigraph() else g
    centrality = nx.degree_centrality(simple) if len(simple) > 1 else {n: 0.0 for n in simple}
    k = None if len(simple) <= betweenness_sample else betweenness_sample
    betweenness = nx.betweenness_centrality(simple, k=k, seed=seed, weight=None)
    weight = "weight" if all("weight" in d for _, _, d in simple.edges(data=True)) and simple.number_of_edges() else None
    hubs = [n for n, d in g.nodes(data=True) if d.get("kind") == "meeting"]  # linked to all talks: not a community
    grouped = simple.subgraph([n for n in simple if n not in hubs])
    communities = nx.community.louvain_communities(grouped, weight=weight, seed=seed) if len(grouped) else []
    communities += [{hub} for hub in hubs]
    ordered = sorted(communities, key=lambda c: (-len(c), min(c)))
    membership = {n: i for i, members in enumerate(ordered) for n in members}
    for n in g.nodes:
        g.nodes[n].update(degree=simple.degree(n), degree_centrality=round(centrality[n], 6),
                          betweenness=round(betweenness[n], 6), community=membership[n])
    return g


# ------------------------------------------------------------------------ layout (for the view)

def _simple(g: nx.Graph) -> nx.Graph:
    """A copy of ``g``, undirected, without the meeting: what the view draws (the meeting is a subtitle)."""
    simple = nx.Graph(g.to_undirected()) if g.is_directed() or g.is_multigraph() else g.copy()
    simple.remove_nodes_from([n for n, d in g.nodes(data=True) if d.get("kind") == "meeting"])
    return simple


def layout(g: nx.Graph, *, seed: int = 7, scale: float = 1000.0) -> dict:
    """Positions for every node but the meeting, for the HTML view (deterministic for a seed).

    Small graphs: the first screen's nodes (talks, people and the concepts linked by
    declared links) are laid out first, with a spring layout, and the other nodes
    (concepts only mentioned, broader concepts) around them with those fixed, so the
    first screen is not pulled out of shape by what it does not show. Large graphs
    are laid out by community: Louvain communities are placed by a spring layout of
    the community graph, and each community is laid out on its own, so the cost grows
    with the community sizes rather than with the square of the whole graph.
    """
    simple = _simple(g)
    rank = {n: i for i, n in enumerate(simple)}
    if len(simple) <= 600:
        if not len(simple):
            return {}
        core = _first_screen(g) & set(simple)
        placed = nx.spring_layout(_induced(simple, core, rank), seed=seed, iterations=100) if core else {}
        if len(core) < len(simple):
            placed = nx.spring_layout(simple, pos=placed or None, fixed=sorted(placed, key=str) or None,
                                      seed=seed, iterations=60)
        return {n: (x * scale, y * scale) for n, (x, y) in placed.items()}
    positions = {}
    if all("community" in g.nodes[n] for n in simple):  # found by analyse(): do not run Louvain twice
        groups: dict[int, set] = {}
        for n in simple:
            groups.setdefault(g.nodes[n]["community"], set()).add(n)
        communities = sorted(groups.values(), key=lambda c: (-len(c), min(map(str, c))))
    else:
        communities = sorted(nx.community.louvain_communities(simple, seed=seed), key=lambda c: -len(c))
    member = {n: i for i, c in enumerate(communities) for n in c}
    between = nx.Graph()
    between.add_nodes_from(range(len(communities)))
    for a, b in simple.edges():
        if member[a] != member[b]:
            w = between.get_edge_data(member[a], member[b], {"weight": 0})["weight"]
            between.add_edge(member[a], member[b], weight=w + 1)
    centres = nx.spring_layout(between, seed=seed, iterations=60, weight="weight", scale=scale * 4) \
        if len(between) > 1 else {0: (0.0, 0.0)}
    for i, community in enumerate(communities):
        radius = scale * 0.35 * math.sqrt(len(community) / 50 + 1)
        sub = _induced(simple, community, rank)
        local = (nx.spring_layout(sub, seed=seed, iterations=20 if len(sub) <= 500 else 10, scale=radius)
                 if len(sub) > 1 else {next(iter(community)): (0.0, 0.0)})
        cx, cy = centres[i]
        for node, (x, y) in local.items():
            positions[node] = (cx + x, cy + y)
    return positions


def _induced(g: nx.Graph, keep: set, rank: dict) -> nx.Graph:
    """The subgraph on ``keep`` in ``g``'s node order (``rank``: node -> position in ``g``).

    ``g.subgraph`` iterates a small node set in hash order, which changes from one
    process to the next, and the layout with it.
    """
    order = sorted(keep, key=rank.__getitem__)
    sub = nx.Graph()
    sub.add_nodes_from(order)
    sub.add_edges_from((u, v) for u in order for v in g[u] if v in keep)
    return sub


def _first_screen(g: nx.Graph) -> set:
    """Talks, people and the nodes joined to them by declared links (what the page shows first)."""
    keep = {n for n, d in g.nodes(data=True) if d.get("kind") in ("talk", "person")}
    declared = False
    for u, v, data in g.edges(data=True):
        if data.get("relation") in DECLARED:
            keep.update((u, v))
            declared = True
    return keep if declared else set(g)  # a projection: everything is on the first screen


def weighted_layout(g: nx.Graph, *, seed: int = 7, iterations: int = 80, scale: float = 1000.0) -> dict:
    """Spring-layout positions of a projection, its edges pulling by their ``weight`` (the view's overview)."""
    return nx.spring_layout(g, seed=seed, iterations=iterations, weight="weight", scale=scale) if len(g) else {}


# ------------------------------------------------------------------------ export

EXPORT_FORMATS = ("graphml", "gexf", "json", "edgelist")


def _coerced(g: nx.Graph) -> nx.Graph:
    """A copy whose attributes every format accepts: lists joined with "; ", None dropped, one type per name."""
    out = g.copy()
    items = [d for _, d in out.nodes(data=True)] + [d for *_, d in out.edges(data=True)]
    kinds: dict[str, set[type]] = {}
    for data in items:
        for key, value in list(data.items()):
            if value is None:
                del data[key]
                continue
            if isinstance(value, (list, tuple, set, frozenset)):
                value = data[key] = "; ".join(str(v) for v in (sorted(value) if isinstance(value, (set, frozenset))
                                                                else value))
            elif not isinstance(value, (str, int, float, bool)):
                value = data[key] = str(value)
            kinds.setdefault(key, set()).add(type(value))
    for data in items:
        for key, value in data.items():
            types = kinds[key]
            if len(types) > 1:  # mixed: numbers stay numbers if they are all numbers, else text
                data[key] = float(value) if types <= {int, float} else str(value)
    return out


def export(g: nx.Graph, path: str | Path, fmt: str) -> Path:
    """Write ``g`` as GraphML, GEXF, node-link JSON or an edge list (atomically)."""
    import json

    from .serialize import atomic_writer

    if fmt not in EXPORT_FORMATS:
        raise TalkgraphError(f"unknown export format {fmt!r}; use one of {', '.join(EXPORT_FORMATS)}")
    g = _coerced(g)
    path = Path(path)
    with atomic_writer(path, "wb") as stream:
        if fmt == "graphml":
            nx.write_graphml(g, stream)
        elif fmt == "gexf":
            nx.write_gexf(g, stream)
        elif fmt == "json":
            stream.write(json.dumps(nx.node_link_data(g, edges="edges"), ensure_ascii=False, indent=1,
                                    sort_keys=True).encode("utf-8"))
        else:
            nx.write_weighted_edgelist(g, stream, delimiter="\t") if all(
                "weight" in d for *_, d in g.edges(data=True)) and g.number_of_edges() else \
                nx.write_edgelist(g, stream, delimiter="\t", data=["relation"] if g.is_multigraph() else False)
    return path
