"""NetworkX conversion, projections, analytics and exports that Gephi-style tools read back."""

from __future__ import annotations

import json

import networkx as nx
import pytest
from click.testing import CliRunner

from talkgraph.cli import cli
from talkgraph.errors import TalkgraphError
from talkgraph.outputs.network import (EXPORT_FORMATS, PROJECTIONS, analyse, export, layout, project,
                                       to_networkx, weighted_layout)

ID = "https://w3id.org/talkgraph/id/"
M = "https://w3id.org/talkgraph/vocab/method/"


@pytest.fixture(scope="module")
def g(real_build):
    return to_networkx(real_build.store)


def test_nodes_have_kind_label_iri_and_useful_extras(g):
    kinds = {}
    for node, data in g.nodes(data=True):
        assert data["iri"] == node and data["label"]
        kinds[data["kind"]] = kinds.get(data["kind"], 0) + 1
    assert (kinds["talk"], kinds["person"], kinds["meeting"]) == (19, 19, 1)
    assert kinds["method"] >= 25 and kinds["domain"] >= 25 and kinds["software"] >= 1
    walmsley_talk = next(iter(g.successors(ID + "person/mike-walmsley")))
    assert g.nodes[walmsley_talk]["abstract"].startswith("Bayesian deep learning addresses")
    assert len(g.nodes[walmsley_talk]["abstract"]) <= 282
    assert g.nodes[M + "u-net"]["scheme"] == "method"


def test_edges_have_readable_relations_including_the_hierarchy(g):
    relations = {d["relation"] for *_, d in g.edges(data=True)}
    assert relations == {"speaker of", "part of", "declares domain", "declares method", "declares software",
                         "mentions", "broader"}
    assert any(d["relation"] == "broader" for _, t, d in g.out_edges(M + "u-net", data=True)
               if t == M + "convolutional-neural-network")


def test_projections_are_weighted_by_talks(g):
    people_methods = project(g, "people-methods")
    assert nx.is_bipartite(people_methods)
    assert people_methods.edges[ID + "person/thomas-chen", M + "convolutional-neural-network"]["weight"] == 1
    cooccurrence = project(g, "method-cooccurrence")
    # Chen and Bianco declare both; Tohill's abstract mentions both
    assert cooccurrence.edges[M + "convolutional-neural-network", M + "deep-learning"]["weight"] == 3
    people = project(g, "people-people")
    assert people.has_edge(ID + "person/mike-walmsley", ID + "person/thomas-killestein")
    # every speaker is a node, also one whose talks share no method with another's
    persons = {n for n, kind in g.nodes(data="kind") if kind == "person"}
    assert set(people) == persons and any(people.degree(p) == 0 for p in persons)
    assert set(cooccurrence) == {n for n in g if g.nodes[n].get("kind") == "method"
                                 and any(g.nodes[t].get("kind") == "talk" for t in g.predecessors(n))}
    domain_method = project(g, "domain-method")
    assert all(domain_method.nodes[n]["kind"] in ("domain", "method") for n in domain_method)
    with pytest.raises(TalkgraphError, match="did you mean people-methods"):
        project(g, "people-method")


def test_analytics_are_node_attributes_and_deterministic(g):
    first = analyse(project(g, "people-people"))
    second = analyse(project(g, "people-people"))
    assert {n: d["community"] for n, d in first.nodes(data=True)} == \
        {n: d["community"] for n, d in second.nodes(data=True)}
    for _, data in first.nodes(data=True):
        assert {"degree", "degree_centrality", "betweenness", "community"} <= set(data)


def test_layout_places_every_node_but_the_meeting_the_same_way_each_time(g):
    """The view's positions: every node but the meeting (a subtitle, not a hub), finite, and the
    same for the same graph; large graphs are laid out by community with the same guarantees."""
    positions = layout(g)
    assert set(positions) == {n for n, d in g.nodes(data=True) if d["kind"] != "meeting"}
    assert all(abs(x) < 1e6 and abs(y) < 1e6 for x, y in positions.values())
    assert layout(g.copy()) == positions
    big = nx.MultiDiGraph()
    for i in range(700):  # over the size at which the layout goes by community
        big.add_node(f"t{i}", kind="talk")
        big.add_edge(f"t{i}", f"c{i % 40}", relation="declares method")
    for i in range(40):
        big.nodes[f"c{i}"]["kind"] = "method"
    assert set(layout(big)) == set(big) and layout(big) == layout(big.copy())
    projected = project(g, "domain-method")
    assert set(weighted_layout(projected)) == set(projected) and weighted_layout(nx.Graph()) == {}


def test_export_coerces_attributes_any_format_accepts(tmp_path):
    awkward = nx.Graph()
    awkward.add_node("a", tags=["x", "y"], missing=None, mixed=1, obj=object)
    awkward.add_node("b", tags=[], mixed="one", weight=2.5)
    awkward.add_edge("a", "b", weight=1)
    for fmt in ("graphml", "gexf", "json"):
        export(awkward, tmp_path / f"a.{fmt}", fmt)
    back = nx.read_graphml(tmp_path / "a.graphml")
    assert back.nodes["a"]["tags"] == "x; y" and "missing" not in back.nodes["a"]
    assert back.nodes["a"]["mixed"] == "1" and back.nodes["b"]["mixed"] == "one"


@pytest.mark.parametrize("fmt", EXPORT_FORMATS)
@pytest.mark.parametrize("projection", [None, *PROJECTIONS])
def test_every_export_is_read_back_by_networkx(g, tmp_path, fmt, projection):
    graph = analyse(project(g, projection) if projection else g.copy())
    path = export(graph, tmp_path / f"g.{fmt}", fmt)
    if fmt == "graphml":
        back = nx.read_graphml(path)
    elif fmt == "gexf":
        back = nx.read_gexf(path)
    elif fmt == "json":
        back = nx.node_link_graph(json.loads(path.read_text(encoding="utf-8")), edges="edges")
    else:
        back = nx.read_edgelist(path, delimiter="\t", data=False, create_using=nx.MultiDiGraph)
    assert back.number_of_edges() == graph.number_of_edges()
    if fmt != "edgelist":
        assert back.number_of_nodes() == graph.number_of_nodes()
        some = next(iter(graph.nodes))
        assert back.nodes[some]["label"] == graph.nodes[some]["label"]


def test_export_and_stats_commands(tmp_path):
    runner = CliRunner()
    assert runner.invoke(cli, ["build", "-q", "--out", str(tmp_path / "out")]).exit_code == 0
    result = runner.invoke(cli, ["export", "--to", "gexf", str(tmp_path / "people.gexf"), "--projection",
                                 "people-methods", "--store", str(tmp_path / "out")])
    assert result.exit_code == 0 and "nodes" in result.output
    back = nx.read_gexf(tmp_path / "people.gexf")
    assert {"degree", "betweenness", "community"} <= set(next(iter(back.nodes.values())))
    result = runner.invoke(cli, ["stats", str(tmp_path / "out"), "--analytics", "--json"])
    figures = json.loads(result.output)["analytics"]
    top = figures["top_degree"]
    assert figures["nodes"] > 100 and top[0]["label"] == "machine learning"  # declared or mentioned by 19 talks
    values = [row["value"] for row in top]
    assert values == sorted(values, reverse=True)
    assert [row["value"] for row in top if row["kind"] == "meeting"] == [19]  # a hub: every talk is part of it
    result = runner.invoke(cli, ["export", "--to", "pdf", str(tmp_path / "x.pdf")])
    assert result.exit_code == 2 and "Invalid value for '--to'" in result.output


def test_the_cli_offers_exactly_the_library_projections():
    from talkgraph.cli import PROJECTION_NAMES

    assert set(PROJECTION_NAMES) == set(PROJECTIONS)
