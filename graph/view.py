"""``talkgraph view``: one self-contained, offline HTML page of the graph, built with pyvis.

pyvis holds the nodes, edges and vis-network options, and ships the vis-network
library that the page inlines. The page is our own template (``view.html``), not
pyvis's: pyvis 0.3.2 links Bootstrap from a CDN and, when any title contains
``href``, turns every tooltip into HTML. Here nothing from the data is executed:
the graph travels as JSON inside ``<script type="application/json">`` with ``<``,
``>`` and ``&`` escaped (so it cannot close its element), tooltips are plain
strings, and the side panel is built with ``textContent``. Positions are computed
in Python and physics is off, so the page is usable as soon as it opens.
"""

from __future__ import annotations

import json
import math
from pathlib import Path

import networkx as nx

from .errors import TalkgraphError

__all__ = ["write_view", "layout", "KIND_STYLE", "DEFAULT_MAX_NODES"]

#: Colour and shape of each kind of node (the legend shows them).
KIND_STYLE = {
    "talk": ("#4e79a7", "dot"), "person": ("#f28e2b", "diamond"), "domain": ("#59a14f", "triangle"),
    "method": ("#e15759", "square"), "software": ("#b07aa1", "star"), "facility": ("#17becf", "dot"),
    "candidate": ("#9c755f", "triangleDown"),
    "meeting": ("#222222", "hexagon"),
}
#: A full graph larger than this opens with talks and people collapsed: the concepts are drawn and the
#: user expands nodes (or ticks a kind) to see the rest.
DEFAULT_MAX_NODES = 1500
#: A full graph larger than this is drawn as the domain-method projection instead.
PROJECTION_ABOVE = 25_000


def layout(g: nx.Graph, *, seed: int = 7, scale: float = 1000.0) -> dict:
    """Positions for every node, computed once in Python (deterministic for a seed).

    Small graphs get a spring layout. Large ones are laid out by community: Louvain
    communities are placed by a spring layout of the community graph, and each
    community is laid out on its own, so the cost grows with the community sizes
    rather than with the square of the whole graph.
    """
    simple = nx.Graph(g.to_undirected()) if g.is_directed() or g.is_multigraph() else g.copy()
    hubs = [n for n, d in g.nodes(data=True) if d.get("kind") == "meeting"]
    simple.remove_nodes_from(hubs)  # linked to every talk, a hub only pulls everything together: it sits centre
    positions = {hub: (0.0, 0.0) for hub in hubs}
    if len(simple) <= 600:
        return {**positions, **(nx.spring_layout(simple, seed=seed, iterations=80, scale=scale) if len(simple) else {})}
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
        sub = simple.subgraph(community)
        local = (nx.spring_layout(sub, seed=seed, iterations=20 if len(sub) <= 500 else 10, scale=radius)
                 if len(sub) > 1 else {next(iter(community)): (0.0, 0.0)})
        cx, cy = centres[i]
        for node, (x, y) in local.items():
            positions[node] = (cx + x, cy + y)
    return positions


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


def write_view(g: nx.Graph, path: str | Path, *, title: str = "talkgraph", note: str = "",
               collapsed: tuple[str, ...] = ()) -> Path:
    """Write the offline HTML view of ``g`` (a graph from :mod:`graph.network`, analysed or not).

    Nodes of the ``collapsed`` kinds start hidden; the page expands them on demand.
    """
    from pyvis.network import Network
    import pyvis

    from .serialize import atomic_writer

    positions = layout(g)
    degrees = dict(g.degree())
    net = Network(height="100%", width="100%", directed=g.is_directed(), cdn_resources="local")
    index = {node: i for i, node in enumerate(g.nodes)}
    biggest = max(degrees.values(), default=1) or 1
    for node, data in g.nodes(data=True):
        kind = data.get("kind", "node")
        colour, shape = KIND_STYLE.get(kind, ("#888888", "dot"))
        x, y = positions.get(node, (0.0, 0.0))
        net.nodes.append({
            "id": index[node], "label": str(data.get("label", node))[:60], "title": _tooltip(g, node, data),
            "shape": shape, "color": colour, "x": round(float(x), 1), "y": round(float(y), 1),
            "size": round(8 + 22 * math.sqrt(degrees[node] / biggest), 1), "kind": kind,
            "hidden": kind in collapsed,
            "iri": str(data.get("iri", node)),
            "details": {k: v for k, v in sorted(data.items()) if k not in ("label", "kind", "iri", "x", "y")
                        and isinstance(v, (str, int, float))},
        })
    seen = set()
    for u, v, data in g.edges(data=True):
        key = (index[u], index[v], data.get("relation", ""))
        if key in seen:
            continue
        seen.add(key)
        edge = {"from": key[0], "to": key[1], "relation": key[2]}
        if "weight" in data:
            edge["value"] = data["weight"]
            edge["relation"] = edge["relation"] or f"weight {data['weight']}"
        net.edges.append(edge)
    large = len(net.nodes) > 3000
    net.set_options(json.dumps({
        "physics": {"enabled": False},
        "interaction": {"hover": True, "tooltipDelay": 120, "hideEdgesOnDrag": large, "hideEdgesOnZoom": large},
        # Labels too small to read at the current zoom are not drawn (and large views skip the halo):
        # 20,000 stroked labels cost seconds per frame.
        "nodes": {"font": {"size": 14, "strokeWidth": 0 if large else 3, "strokeColor": "#ffffff"},
                  "borderWidth": 1, "scaling": {"label": {"drawThreshold": 9 if large else 5}}},
        "edges": {"color": {"color": "#b9c0cc", "highlight": "#1d2330"}, "width": 0.6, "smooth": False,
                  "arrows": {"to": {"enabled": g.is_directed(), "scaleFactor": 0.4}}},
        "layout": {"improvedLayout": False},
    }))
    library = Path(pyvis.__file__).parent / "templates" / "lib" / "vis-9.1.2"
    page = (Path(__file__).parent / "view.html").read_text(encoding="utf-8")
    data = {"title": title, "note": note, "nodes": net.nodes, "edges": net.edges, "collapsed": list(collapsed),
            "options": json.loads(net.options.to_json()) if hasattr(net.options, "to_json") else net.options,
            "legend": {kind: {"color": c, "shape": s} for kind, (c, s) in KIND_STYLE.items()}}
    html = (page.replace("/*VIS_CSS*/", (library / "vis-network.css").read_text(encoding="utf-8"))
            .replace("/*VIS_JS*/", (library / "vis-network.min.js").read_text(encoding="utf-8").replace("</script", "<\\/script"))
            .replace("{{GRAPH_DATA}}", _safe_json(data)))
    path = Path(path)
    with atomic_writer(path, "w") as stream:
        stream.write(html)
    return path


def choose_graph(g: nx.Graph, projection: str | None) -> tuple[nx.Graph, str, tuple[str, ...]]:
    """The graph to draw, a note for the reader, and the kinds to start collapsed.

    By default: the full graph; above DEFAULT_MAX_NODES with talks and people
    collapsed (the concepts are drawn; expand a node to see its talks); above
    PROJECTION_ABOVE the domain-method projection.
    """
    from .network import PROJECTIONS, project

    n = g.number_of_nodes()
    if projection == "full" or (projection is None and n <= DEFAULT_MAX_NODES):
        return g, "", ()
    if projection is None and n <= PROJECTION_ABOVE:
        return g, (f"{n:,} nodes: talks and people are collapsed. Select a concept and expand it, search, "
                   "or tick a kind to show them."), ("talk", "person")
    if projection is None:
        return project(g, "domain-method"), (f"The full graph has {n:,} nodes; showing the domain-method "
                                             "projection. Use --projection full to draw everything."), ()
    if projection not in PROJECTIONS:
        raise TalkgraphError(f"unknown projection {projection!r}")
    return project(g, projection), "", ()
