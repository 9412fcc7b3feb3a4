"""Looking at a built graph: ``talkgraph stats``, ``export`` and ``view``."""

from __future__ import annotations

import json
import time
from pathlib import Path

import click

from .app import PROJECTION_NAMES, cli, handle_errors


@cli.command()
@click.argument("directory", required=False, type=click.Path(path_type=Path))
@click.option("--store", "store_dir", type=click.Path(path_type=Path),
              help="Build folder whose graph to count, as for query, serve, view and export (or name it as "
                   "DIRECTORY).  [default: out]")
@click.option("--top", default=10, show_default=True, type=click.IntRange(min=0),
              help="How many top concepts (or nodes) to list.")
@click.option("--json", "as_json", is_flag=True, help="Print the figures as JSON.")
@click.option("--analytics", is_flag=True, help="Also compute degree and betweenness centrality and Louvain "
              "communities of the NetworkX graph (or of --projection).")


@click.option("--projection", type=click.Choice(PROJECTION_NAMES), help="Analyse this projection.")
@handle_errors
def stats(directory, store_dir, top, as_json, analytics, projection):
    """Counts of talks, people and concepts per scheme, and the top concepts, of a build (default: out/)."""
    from ..errors import TalkgraphError
    from ..store.sparql import open_store
    from ..store.stats import graph_stats

    if directory is not None and store_dir is not None and directory.resolve() != store_dir.resolve():
        raise TalkgraphError(f"two build folders given, {directory} and --store {store_dir}: give one")
    directory = directory or store_dir or Path("out")

    store = open_store(directory).store
    figures = graph_stats(store, top=top)
    if analytics or projection:
        figures["analytics"] = _analytics(store, projection, top)
    if as_json:
        click.echo(json.dumps(figures, indent=2, ensure_ascii=False))
        return
    click.echo(f"talks    {figures['talks']:,}\npeople   {figures['people']:,}\ntriples  {figures['triples']:,}")
    for scheme, count in figures["concepts_used"].items():
        click.echo(f"\n{scheme}: {count:,} concept{'' if count == 1 else 's'} declared")
        for label, talks in figures["top_concepts"].get(scheme, []):
            click.echo(f"  {talks:>5,}  {label}")
    if "analytics" in figures:
        a = figures["analytics"]
        click.echo(f"\n{a['graph']}: {a['nodes']:,} nodes, {a['edges']:,} edges, {a['communities']:,} communities")
        for measure in ("degree", "betweenness"):
            click.echo(f"  highest {measure}:")
            for row in a[f"top_{measure}"]:
                click.echo(f"    {row['value']:>10}  {row['label']} ({row['kind']})")


def _analytics(store, projection, top):
    from ..outputs.network import analyse, project, to_networkx

    g = to_networkx(store)
    if projection:
        g = project(g, projection)
    analyse(g)
    out = {"graph": projection or "full graph", "nodes": g.number_of_nodes(), "edges": g.number_of_edges(),
           "communities": len({d["community"] for _, d in g.nodes(data=True)})}
    for measure in ("degree", "betweenness"):
        ranked = sorted(g.nodes(data=True), key=lambda item: (-item[1][measure], item[1]["label"]))[:top]
        out[f"top_{measure}"] = [{"label": d["label"], "kind": d["kind"], "iri": n, "value": d[measure]}
                                 for n, d in ranked]
    return out


@cli.command("export")
@click.option("--to", "fmt", required=True, type=click.Choice(["graphml", "gexf", "json", "edgelist"]),
              help="graphml and gexf open in Gephi, Cytoscape and yEd; json is NetworkX node-link JSON.")


@click.argument("file", type=click.Path(dir_okay=False, path_type=Path))
@click.option("--projection", type=click.Choice(PROJECTION_NAMES), help="Export this projection instead.")
@click.option("--store", "store_dir", default="out", show_default=True, type=click.Path(path_type=Path),
              help="Build folder to read.")


@click.option("--no-analytics", is_flag=True, help="Leave out degree, betweenness and community attributes.")
@handle_errors
def export_command(fmt, file, projection, store_dir, no_analytics):
    """Export the graph (or a projection) for NetworkX, Gephi and friends, with analytics as node attributes.

    \b
    talkgraph export --to gexf talks.gexf
    talkgraph export --to graphml people.graphml --projection people-methods
    """
    from ..outputs.network import analyse, export, project, to_networkx
    from ..store.sparql import open_store

    g = to_networkx(open_store(store_dir).store)
    if projection:
        g = project(g, projection)
    if not no_analytics:
        analyse(g)
    export(g, file, fmt)
    click.echo(f"wrote {file}: {g.number_of_nodes():,} nodes, {g.number_of_edges():,} edges")


@cli.command("view")
@click.option("--out", "out_file", default=None, type=click.Path(dir_okay=False, path_type=Path),
              help="The HTML file to write.  [default: view.html in the --store folder, out/view.html]")


@click.option("--projection", type=click.Choice(("full", *PROJECTION_NAMES)),
              help="What to draw. Default: the full graph (above 3,000 nodes the page opens on the "
                   "overview of domains and methods, to expand on demand; above 25,000 only the "
                   "domain-method projection). 'full' draws the full graph at any size.")


@click.option("--store", "store_dir", default="out", show_default=True, type=click.Path(path_type=Path),
              help="Build folder to read.")


@handle_errors
def view_command(out_file, projection, store_dir):
    """Write an interactive HTML view of the graph that works offline (one self-contained file).

    Open it in any browser, even with no network: a first screen that fits the window
    with labels that never overlap, search (accents and case ignored, all labels of a
    concept), focus on a node and its neighbours, filters, a domain × method matrix and
    a side panel in plain words. Keys: / to search, arrows through results, Esc back to
    the overview. See docs/view.md.
    """
    from ..outputs.network import analyse, to_networkx
    from ..store.sparql import open_store
    from ..outputs.view import choose_graph, write_view

    started = time.perf_counter()
    if out_file is None:  # beside the graph it draws, never over another build's view
        out_file = store_dir.with_name("view.html") if store_dir.is_file() else store_dir / "view.html"
    full = to_networkx(open_store(store_dir).store, details=True)
    g, note, start = choose_graph(full, projection)
    analyse(g, betweenness_sample=500 if g.number_of_nodes() <= 2000 else 32)
    write_view(g, out_file, title=f"talkgraph · {projection or 'graph'}", note=note, start=start)
    click.echo(f"wrote {out_file}: {g.number_of_nodes():,} nodes, {g.number_of_edges():,} edges "
               f"in {time.perf_counter() - started:.1f} s" + (f"\n  {note}" if note else ""))
