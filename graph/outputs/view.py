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
and culls those that would overlap. Positions are computed in Python
(:func:`talkgraph.outputs.network.layout`; physics is off) so the first screen is drawn
as soon as the page opens; the page re-lays out only what a filter or a focus shows.
This module never imports networkx: it reads the graph through its methods.
"""

from __future__ import annotations

import json
from pathlib import Path

from ..errors import TalkgraphError

__all__ = ["write_view", "choose_graph", "talk_counts", "KIND_STYLE", "OVERVIEW_ABOVE", "PROJECTION_ABOVE"]

#: Colour and shape of each kind of node (the legend shows them).
KIND_STYLE = {
    "talk": ("#4e79a7", "dot"), "person": ("#f28e2b", "diamond"), "domain": ("#59a14f", "triangle"),
    "method": ("#e15759", "square"), "software": ("#b07aa1", "star"), "facility": ("#17becf", "dot"),
    "candidate": ("#9c755f", "triangleDown"), "object": ("#edc948", "hexagon"),
}
#: A full graph larger than this opens on the concept overview (domains and methods linked by
#: shared talks); the user expands a concept into its talks, or ticks a kind to draw it all.
OVERVIEW_ABOVE = 3000
#: A full graph larger than this is written as the domain-method projection only.
PROJECTION_ABOVE = 25_000


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


def talk_counts(g) -> dict[str, tuple[int, int]]:
    """For each node, its talks: ``(declared, found in the abstract only)``.

    A concept counts the talks that declare it and, apart, those whose title or
    abstract only mentions it; a person counts the talks they give (as declared); a
    talk counts itself. Nodes of a projection count the weight of their edges.
    """
    declared: dict[str, set] = {n: set() for n in g}
    mentioned: dict[str, set] = {n: set() for n in g}
    for u, v, data in g.edges(data=True):
        relation = data.get("relation", "")
        if relation.startswith("declares") or relation == "speaker of":
            (declared[v] if g.nodes[u].get("kind") == "talk" else declared[u]).add(
                u if g.nodes[u].get("kind") == "talk" else v)
        elif relation == "mentions":
            mentioned[v].add(u)
    counts = {}
    for n, data in g.nodes(data=True):
        if data.get("kind") == "talk":
            counts[n] = (1, 0)
        elif "weight" in data or any("weight" in d for *_, d in g.edges(n, data=True)):
            counts[n] = (sum(d.get("weight", 0) for *_, d in g.edges(n, data=True)), 0)
        else:
            counts[n] = (len(declared[n]), len(mentioned[n] - declared[n]))
    return counts


#: The network measures of analyse(), named in words for the side panel's "more" fold.
MEASURES = {"degree": "links", "degree_centrality": "share of the graph it links to",
            "betweenness": "bridges between areas (betweenness)", "community": "group (community)"}


def write_view(g, path: str | Path, *, title: str = "talkgraph", note: str = "",
               start: str = "graph") -> Path:
    """Write the offline HTML view of ``g`` (a graph from :mod:`talkgraph.outputs.network`, analysed or not).

    ``start="overview"`` opens the page on the concept overview (domains and methods
    linked by the talks they share) instead of the graph itself; the user expands a
    concept into its talks. Concepts carry their other labels, alignments and the
    evidence of mentions when ``g`` comes from ``to_networkx(store, details=True)``.
    """
    from pyvis.network import Network
    import pyvis

    from .network import layout
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


def _overview(g, index: dict) -> dict:
    """The concept overview of a large graph: domains and methods, linked by how many talks they share."""
    from .network import project, weighted_layout

    projected = project(g, "domain-method")
    positions = weighted_layout(projected)
    return {"positions": {str(index[n]): [round(float(x), 1), round(float(y), 1)]
                          for n, (x, y) in sorted(positions.items(), key=lambda item: index[item[0]])},
            "edges": [[index[a], index[b], d["weight"]] for a, b, d in projected.edges(data=True)]}


def choose_graph(g, projection: str | None) -> tuple:
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
