"""Every output is read back by an independent parser as the same graph."""

from __future__ import annotations

import json

import pyoxigraph as ox
import pytest
from hypothesis import HealthCheck, given, settings, strategies as st
from rdflib import Graph

from graph import build, write_outputs

from conftest import HEADER
from graphs import assert_isomorphic


@pytest.fixture(scope="module")
def outputs(tmp_path_factory):
    out = tmp_path_factory.mktemp("out")
    write_outputs(build(), out)
    return out


def oxigraph_to_rdflib(path, fmt) -> Graph:
    """Parse with pyoxigraph (independent of rdflib), then hand the triples to rdflib for comparison."""
    nt = ox.serialize(ox.parse(path=str(path), format=fmt), format=ox.RdfFormat.N_TRIPLES)
    return Graph().parse(data=nt.decode("utf-8"), format="nt")


def test_turtle_read_by_pyoxigraph_and_rdflib_is_the_same_graph(outputs):
    assert_isomorphic(Graph().parse(outputs / "graph.ttl"), oxigraph_to_rdflib(outputs / "graph.ttl",
                                                                                 ox.RdfFormat.TURTLE))


def test_jsonld_and_ntriples_hold_the_same_graph_as_turtle(outputs):
    turtle = Graph().parse(outputs / "graph.ttl")
    assert_isomorphic(turtle, Graph().parse(outputs / "graph.jsonld", format="json-ld"))
    assert_isomorphic(turtle, oxigraph_to_rdflib(outputs / "graph.jsonld", ox.RdfFormat.JSON_LD))
    assert_isomorphic(turtle, Graph().parse(outputs / "graph.nt", format="nt"))


def test_jsonld_has_a_compact_inline_context(outputs):
    document = json.loads((outputs / "graph.jsonld").read_text(encoding="utf-8"))
    context = document["@context"]
    assert isinstance(context, dict) and context["tg"] == "https://w3id.org/talkgraph/ns#"
    assert context["speaker"] == {"@id": "tg:speaker", "@type": "@id"}
    talk = next(n for n in document["@graph"] if n.get("@type") == "tg:Talk")
    assert talk["@id"].startswith("talk:") and talk["speaker"].startswith("person:")


def test_turtle_uses_clean_prefixes(outputs):
    head = (outputs / "graph.ttl").read_text(encoding="utf-8").split("\n\n", 1)[0].splitlines()
    assert head[:3] == ["@prefix tg: <https://w3id.org/talkgraph/ns#> .", "@prefix schema: <http://schema.org/> .",
                        "@prefix dcterms: <http://purl.org/dc/terms/> ."]
    assert "talk:unsupervised-classification-for-galaxy-morphology-where-do-computers-go-wrong a tg:Talk" in \
        (outputs / "graph.ttl").read_text(encoding="utf-8")


cell = st.text(alphabet=st.characters(blacklist_categories=("Cs", "Cc")), max_size=40)


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.lists(st.tuples(cell, cell, cell, cell, cell, cell), min_size=1, max_size=4))
def test_any_table_round_trips_through_turtle_and_jsonld(tmp_path_factory, rows):
    folder = tmp_path_factory.mktemp("prop")
    table = folder / "t.tsv"
    table.write_text("\t".join(HEADER) + "\n" + "".join(
        "\t".join(c.replace("\t", " ").replace("\n", " ").replace("\r", " ") for c in row) + "\n" for row in rows),
        encoding="utf-8")
    result = build(table)
    assert result.conforms, result.validation_text
    assert result.counts["talks_built"] + result.counts["rows_rejected"] == result.counts["rows_read"]
    write_outputs(result, folder / "out")
    turtle = Graph().parse(folder / "out" / "graph.ttl")
    assert_isomorphic(turtle, oxigraph_to_rdflib(folder / "out" / "graph.ttl", ox.RdfFormat.TURTLE))
    assert_isomorphic(turtle, Graph().parse(folder / "out" / "graph.jsonld", format="json-ld"))
