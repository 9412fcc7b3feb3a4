"""``talkgraph view``: one self-contained, offline HTML page of the graph, built with pyvis.

pyvis holds the nodes, edges and vis-network options, and ships the vis-network
library that the page inlines. The page is our own template (``view.html``), not
pyvis's: pyvis 0.3.2 links Bootstrap from a CDN and, when any title contains
``href``, turns every tooltip into HTML. Here nothing from the data is executed:
the graph travels as JSON inside ``<script type="application/json">`` with ``<``,
``>`` and ``&`` escaped (so it cannot close its element), tooltips are plain
strings, and the side panel and the matrix are built with ``textContent``.

What the page shows first is decided here and in the page (docs/view.md): the
meeting is a subtitle, not a hub; concepts appear through declared links (mentions
are a toggle); node size follows the number of talks; the page draws its own labels
and culls those that would overlap. Positions are computed in Python (physics is
off) so the first screen is drawn as soon as the page opens; the page re-lays out
only what a filter or a focus shows.
"""

from __future__ import annotations

import json
import math
from pathlib import Path

import networkx as nx

from ..errors import TalkgraphError

__all__ = ["write_view", "layout", "choose_graph", "KIND_STYLE", "OVERVIEW_ABOVE", "PROJECTION_ABOVE"]

#: Colour and shape of each kind of node (the legend shows them).
KIND_STYLE = {
    "talk": ("#4e79a7", "dot"), "person": ("#f28e2b", "diamond"), "domain": ("#59a14f", "triangle"),
    "method": ("#e15759", "square"), "software": ("#b07aa1", "star"), "facility": ("#17becf", "dot"),
    "candidate": ("#9c755f", "triangleDown"),
}
#: A full graph larger than this opens on the concept overview (domains and methods linked by
#: shared talks); the user expands a concept into its talks, or ticks a kind to draw it all.
OVERVIEW_ABOVE = 3000
#: A full graph larger than this is written as the domain-method projection only.
PROJECTION_ABOVE = 25_000
#: Links that make a concept part of the first screen; "mentions" and "broader" are toggles.
_DECLARED = ("declares domain", "declares method", "declares software", "declares keyword", "speaker of")


def _simple(g: nx.Graph) -> nx.Graph:
    simple = nx.Graph(g.to_undirected()) if g.is_directed() or g.is_multigraph() else g.copy()
    simple.remove_nodes_from([n for n, d in g.nodes(data=True) if d.get("kind") == "meeting"])
    return simple


def layout(g: nx.Graph, *, seed: int = 7, scale: float = 1000.0) -> dict:
    """Positions for every node but the meeting, computed once in Python (deterministic for a seed).

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
        if data.get("relation") in _DECLARED:
            keep.update((u, v))
            declared = True
    return keep if declared else set(g)  # a projection: everything is on the first screen


def _tooltip(g, node, data) -> str:
    lines = [data.get("label", ""), f"({data.get('kind', '')})"]
    if data.get("kind") == "talk":
        around = {"speaker of": [], "declares domain": [], "declares method": []}
        for other in set(g.predecessors(node)) | set(g.successors(node)) if g.is_directed() else g.neighbors(node):
            for relation in {d.get("relation") for d in _edge_data(g, node, other)}:
                if relation in around:
                    around[relation].append(g.nodes[other].get("label", ""))
        for relation, title in (("speaker of", "speaker"), ("declares domain", "domains"),
                                ("declares method", "methods")):
            if around[relation]:
                lines.append(f"{title}: {', '.join(sorted(around[relation]))}")
    return "\n".join(line for line in lines if line)


def _edge_data(g, a, b):
    found = []
    for u, v in ((a, b), (b, a)):
        if g.has_edge(u, v):
            data = g.get_edge_data(u, v)
            found.extend(data.values() if g.is_multigraph() else [data])
    return found


def _safe_json(value) -> str:
    """JSON that cannot end the <script> element it sits in, nor start a comment or CDATA."""
    return (json.dumps(value, ensure_ascii=False, separators=(",", ":"))
            .replace("&", "\\u0026").replace("<", "\\u003c").replace(">", "\\u003e")
            .replace("\u2028", "\\u2028").replace("\u2029", "\\u2029"))


#: The network measures of analyse(), named in words for the side panel's "more" fold.
MEASURES = {"degree": "links", "degree_centrality": "share of the graph it links to",
            "betweenness": "bridges between areas (betweenness)", "community": "group (community)"}


def write_view(g: nx.Graph, path: str | Path, *, title: str = "talkgraph", note: str = "",
               start: str = "graph") -> Path:
    """Write the offline HTML view of ``g`` (a graph from :mod:`talkgraph.outputs.network`, analysed or not).

    ``start="overview"`` opens the page on the concept overview (domains and methods
    linked by the talks they share) instead of the graph itself; the user expands a
    concept into its talks. Concepts carry their other labels, alignments and the
    evidence of mentions when ``g`` comes from ``to_networkx(store, details=True)``.
    """
    from pyvis.network import Network
    import pyvis

    from .network import talk_counts
    from .serialize import atomic_writer

    if start not in ("graph", "overview"):
        raise TalkgraphError(f"unknown start {start!r}; use graph or overview")
    meetings = sorted(str(d.get("label", n)) for n, d in g.nodes(data=True) if d.get("kind") == "meeting")
    positions = layout(g)
    counts = talk_counts(g)
    net = Network(height="100%", width="100%", directed=g.is_directed(), cdn_resources="local")
    index = {node: i for i, node in enumerate(n for n in g.nodes if n in positions)}
    for node, i in index.items():
        data = g.nodes[node]
        kind = data.get("kind", "node")
        colour, shape = KIND_STYLE.get(kind, ("#888888", "dot"))
        x, y = positions[node]
        entry = {"id": i, "label": str(data.get("label", node)), "title": _tooltip(g, node, data),
                 "shape": shape, "color": colour, "x": round(float(x), 1), "y": round(float(y), 1),
                 "kind": kind, "iri": str(data.get("iri", node)), "talks": list(counts[node]),
                 "measures": {k: data[k] for k in MEASURES if isinstance(data.get(k), (int, float))}}
        if data.get("abstract"):
            entry["abstract"] = data["abstract"]
        if data.get("alt_labels"):
            entry["alt"] = list(data["alt_labels"])
        if data.get("matches"):
            entry["matches"] = [list(m) for m in data["matches"]]
        net.nodes.append(entry)
    seen = set()
    for u, v, data in g.edges(data=True):
        if u not in index or v not in index:
            continue  # the meeting: a subtitle, not a hub with a spoke to every talk
        key = (index[u], index[v], data.get("relation", ""))
        if key in seen:
            continue
        seen.add(key)
        edge = {"from": key[0], "to": key[1], "relation": key[2]}
        if "weight" in data:
            edge["value"] = data["weight"]
            edge["relation"] = edge["relation"] or f"weight {data['weight']}"
        if data.get("evidence"):
            edge["evidence"], edge["field"] = data["evidence"], data.get("field", "abstract")
        net.edges.append(edge)
    overview = _overview(g, index) if start == "overview" else None
    large = len(net.nodes) > 3000
    net.set_options(json.dumps({
        "physics": {"enabled": False},
        "interaction": {"hover": True, "tooltipDelay": 120, "hideEdgesOnDrag": large, "hideEdgesOnZoom": large},
        # The page draws the labels itself (culled so that none overlap), so vis-network draws none.
        "nodes": {"borderWidth": 1, "font": {"size": 0}},
        "edges": {"color": {"color": "#c3c9d4", "highlight": "#1d2330"}, "width": 0.7, "smooth": False,
                  "arrows": {"to": {"enabled": False}}, "scaling": {"min": 0.7, "max": 6}},
        "layout": {"improvedLayout": False},
    }))
    library = Path(pyvis.__file__).parent / "templates" / "lib" / "vis-9.1.2"
    page = (Path(__file__).parent / "view.html").read_text(encoding="utf-8")
    data = {"title": title, "subtitle": " · ".join(meetings), "note": note, "start": start,
            "nodes": net.nodes, "edges": net.edges, "overview": overview,
            "options": json.loads(net.options.to_json()) if hasattr(net.options, "to_json") else net.options,
            "legend": {kind: {"color": c, "shape": s} for kind, (c, s) in KIND_STYLE.items()},
            "measures": MEASURES}
    html = (page.replace("/*VIS_CSS*/", (library / "vis-network.css").read_text(encoding="utf-8"))
            .replace("/*VIS_JS*/", (library / "vis-network.min.js").read_text(encoding="utf-8").replace("</script", "<\\/script"))
            .replace("{{GRAPH_DATA}}", _safe_json(data)))
    path = Path(path)
    with atomic_writer(path, "w") as stream:
        stream.write(html)
    return path


def _overview(g: nx.Graph, index: dict) -> dict:
    """The concept overview of a large graph: domains and methods, linked by how many talks they share."""
    from .network import project

    projected = project(g, "domain-method")
    positions = nx.spring_layout(projected, seed=7, iterations=80, weight="weight", scale=1000.0) \
        if len(projected) else {}
    return {"positions": {str(index[n]): [round(float(x), 1), round(float(y), 1)]
                          for n, (x, y) in sorted(positions.items(), key=lambda item: index[item[0]])},
            "edges": [[index[a], index[b], d["weight"]] for a, b, d in projected.edges(data=True)]}


def choose_graph(g: nx.Graph, projection: str | None) -> tuple[nx.Graph, str, str]:
    """The graph to draw, a note for the reader, and where the page starts ("graph" or "overview").

    By default: the full graph; above OVERVIEW_ABOVE nodes it opens on the concept
    overview (expand a concept to see its talks); above PROJECTION_ABOVE only the
    domain-method projection is written. ``projection="full"`` draws the full graph
    at any size.
    """
    from .network import PROJECTIONS, project

    n = g.number_of_nodes()
    if projection == "full" or (projection is None and n <= OVERVIEW_ABOVE):
        return g, "", "graph"
    if projection is None and n <= PROJECTION_ABOVE:
        return g, (f"{n:,} nodes: the page opens on the overview of domains and methods. Click a concept "
                   "to see its talks and speakers, or tick Talks to draw them all."), "overview"
    if projection is None:
        return project(g, "domain-method"), (f"The full graph has {n:,} nodes; showing the domain-method "
                                             "projection. Use --projection full to draw everything."), "graph"
    if projection not in PROJECTIONS:
        raise TalkgraphError(f"unknown projection {projection!r}")
    return project(g, projection), "", "graph"
