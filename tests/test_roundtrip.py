"""Every output is read back by an independent parser as the same graph."""

from __future__ import annotations

import json

import pyoxigraph as ox
import pytest
from hypothesis import given, settings, strategies as st
from rdflib import Graph

from talkgraph import build, write_outputs
from talkgraph.errors import InputError

from conftest import HEADER
from graphs import assert_isomorphic


@pytest.fixture(scope="module")
def outputs(tmp_path_factory, real_build):
    out = tmp_path_factory.mktemp("out")
    write_outputs(real_build, out)
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


def test_query_results_are_json_ld_of_the_same_shape(outputs):
    """A CONSTRUCT's JSON-LD (``talkgraph query --format json``, the server) reads as graph.jsonld does:
    the same prefixes and short terms in an inline context, one node per subject."""
    from talkgraph.model.jsonld import jsonld_text
    from talkgraph.namespaces import DEFAULT_BASE_IRI, data_prefixes

    store = ox.Store()
    store.load(path=str(outputs / "graph.nt"), format=ox.RdfFormat.N_TRIPLES)
    triples = list(store.query("CONSTRUCT { ?t a ?c ; <https://w3id.org/talkgraph/ns#speaker> ?p } WHERE { "
                               "?t a <https://w3id.org/talkgraph/ns#Talk>, ?c ; "
                               "<https://w3id.org/talkgraph/ns#speaker> ?p }"))
    text = jsonld_text(triples, prefixes=data_prefixes(DEFAULT_BASE_IRI))
    document = json.loads(text)
    built = json.loads((outputs / "graph.jsonld").read_text(encoding="utf-8"))["@context"]
    assert {k: v for k, v in built.items() if isinstance(v, str)}.items() <= document["@context"].items()
    assert document["@context"]["speaker"] == built["speaker"]
    nodes = document["@graph"]
    assert len(nodes) == len({n["@id"] for n in nodes}) == 19
    assert all(n["@id"].startswith("talk:") and n["speaker"].startswith("person:") for n in nodes)
    assert_isomorphic(_as_rdflib(ox.serialize(triples, format=ox.RdfFormat.N_TRIPLES)),
                      Graph().parse(data=text, format="json-ld"))
    assert jsonld_text(reversed(triples), prefixes=data_prefixes(DEFAULT_BASE_IRI)) == text  # any order, one text


def test_turtle_uses_clean_prefixes(outputs):
    head = (outputs / "graph.ttl").read_text(encoding="utf-8").split("\n\n", 1)[0].splitlines()
    assert head[:3] == ["@prefix tg: <https://w3id.org/talkgraph/ns#> .", "@prefix schema: <http://schema.org/> .",
                        "@prefix dcterms: <http://purl.org/dc/terms/> ."]
    assert "talk:unsupervised-classification-for-galaxy-morphology-where-do-computers-go-wrong a tg:Talk" in \
        (outputs / "graph.ttl").read_text(encoding="utf-8")


cell = st.text(alphabet=st.characters(blacklist_categories=("Cs", "Cc")), max_size=40)


@pytest.mark.slow
@settings(max_examples=max(6, settings.default.max_examples // 16))  # each a whole build: 6 in the short profile
@given(st.lists(st.tuples(cell, cell, cell, cell, cell, cell), min_size=1, max_size=4))
def test_any_table_round_trips_through_turtle_and_jsonld(tmp_path_factory, rows):
    folder = tmp_path_factory.mktemp("prop")
    table = folder / "t.tsv"
    table.write_text("\t".join(HEADER) + "\n" + "".join(
        "\t".join(c.replace("\t", " ").replace("\n", " ").replace("\r", " ") for c in row) + "\n" for row in rows),
        encoding="utf-8")
    if not any(c.replace("\t", " ").replace("\n", " ").replace("\r", " ").strip() for row in rows for c in row):
        with pytest.raises(InputError, match="no talks"):  # only blank lines below the header
            build(table)
        return
    result = build(table)
    assert result.conforms, result.validation_text
    assert result.counts["talks_built"] + result.counts["rows_rejected"] == result.counts["rows_read"]
    write_outputs(result, folder / "out")
    turtle = Graph().parse(folder / "out" / "graph.ttl")
    assert_isomorphic(turtle, oxigraph_to_rdflib(folder / "out" / "graph.ttl", ox.RdfFormat.TURTLE))
    assert_isomorphic(turtle, Graph().parse(folder / "out" / "graph.jsonld", format="json-ld"))


def _jsonld_of(triples: list) -> tuple[bytes, str]:
    """N-Triples of ``triples`` and the JSON-LD the build's writer makes of them."""
    import io

    from talkgraph.namespaces import data_prefixes
    from talkgraph.outputs.serialize import PredicateKinds, write_turtle_and_jsonld

    kinds = PredicateKinds()
    ntriples = ox.serialize(kinds.observe(triples), format=ox.RdfFormat.N_TRIPLES)
    jsonld = io.StringIO()
    write_turtle_and_jsonld(ntriples, io.BytesIO(), jsonld, prefixes=data_prefixes("https://example.org/id/"),
                            kinds=kinds)
    return ntriples, jsonld.getvalue()


def _as_rdflib(ntriples: bytes) -> Graph:
    return Graph().parse(data=ntriples.decode("utf-8"), format="nt")


def test_jsonld_keeps_every_kind_of_term_and_escape():
    node, p, q = ox.NamedNode("https://example.org/id/talk/a"), ox.NamedNode("https://example.org/p"), \
        ox.NamedNode("https://example.org/q")
    blank = ox.BlankNode("b1")
    tricky = "quote \" backslash \\ \\u0041 tab\t nl\n cr\r bell\x07 esc\x1b del\x7f é 漢 😀 \u2028"
    triples = [
        ox.Triple(node, p, ox.Literal(tricky)),
        ox.Triple(node, p, ox.Literal("plain")),
        ox.Triple(node, q, ox.Literal(tricky, language="en")),
        ox.Triple(node, q, ox.Literal("7", datatype=ox.NamedNode("http://www.w3.org/2001/XMLSchema#integer"))),
        ox.Triple(node, q, ox.NamedNode("https://example.org/id/person/b")),
        ox.Triple(node, q, blank),
        ox.Triple(blank, p, ox.Literal("of a blank node")),
    ]
    ntriples, jsonld = _jsonld_of(triples)
    document = json.loads(jsonld)
    values = {json.dumps(v, sort_keys=True) for n in document["@graph"] for k, v in n.items() if k != "@id"}
    assert json.dumps(["plain", tricky]) in values or json.dumps([tricky, "plain"]) in values
    assert json.dumps(tricky, ensure_ascii=False) in jsonld  # written as json.dumps writes it
    assert_isomorphic(_as_rdflib(ntriples), Graph().parse(data=jsonld, format="json-ld"))
    parsed = ox.serialize(ox.parse(jsonld.encode(), format=ox.RdfFormat.JSON_LD), format=ox.RdfFormat.N_TRIPLES)
    assert_isomorphic(_as_rdflib(ntriples), _as_rdflib(parsed))


@settings(max_examples=2 * settings.default.max_examples)
@given(st.text(alphabet=st.characters(blacklist_categories=("Cs",)), max_size=30))
def test_jsonld_gives_back_any_text(text):
    node, p, q = (ox.NamedNode(f"https://example.org/{name}") for name in ("id/talk/a", "p", "q"))
    _, jsonld = _jsonld_of([ox.Triple(node, p, ox.Literal(text)),  # p: a short term for plain strings
                            ox.Triple(node, q, ox.Literal(text, language="de")),  # q: of two kinds, written out
                            ox.Triple(node, q, ox.Literal("x", datatype=ox.NamedNode("https://example.org/t")))])
    [talk] = json.loads(jsonld)["@graph"]
    assert talk["p"] == text
    assert {"@value": text, "@language": "de"} in talk["https://example.org/q"]
