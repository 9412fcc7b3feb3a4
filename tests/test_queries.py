"""The query catalogue, parameters bound safely, and the `queries` / `query` commands."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from talkgraph import engine as ox
from talkgraph.store.catalogue import PARAM_KINDS, load_catalogue
from talkgraph.cli import cli
from talkgraph.errors import InputError, ParameterError, QuerySyntaxError, UnknownQuery, UpdateRefused
from talkgraph.store.sparql import bind_values, format_results, run_query, run_sparql

from conftest import ROOT

GOLDEN = Path(__file__).parent / "golden" / "queries"
CATALOGUE = load_catalogue()
REQUIRED = {"talks-by-method": ["method"], "speakers-by-method": ["method"], "talks-by-domain": ["domain"],
            "methods-by-domain": ["domain"], "domain-method-matrix": [], "method-cooccurrence": [],
            "concept-counts": [], "speaker-counts": [],
            "shared-methods": ["domain_a", "domain_b"], "talks-mentioning": ["concept"], "similar-talks": ["talk"],
            "potential-collaborators": ["speaker"], "speaker-profile": ["speaker"], "unmapped-terms": []}


@pytest.fixture(scope="module")
def out(real_out):
    return real_out


def test_the_catalogue_has_the_required_queries_and_parameters():
    assert {name: [p.name for p in q.params] for name, q in CATALOGUE.items()} == REQUIRED


@pytest.mark.parametrize("name", sorted(REQUIRED))
def test_each_query_is_described_self_contained_and_documented(name):
    query = CATALOGUE[name]
    assert query.title and len(query.description) > 30
    assert "PREFIX tg:" in query.text and query.text.count("PREFIX") >= 3
    for param in query.params:
        assert param.kind in PARAM_KINDS and param.default and param.doc
    assert f"`{name}`" in (ROOT / "README.md").read_text(encoding="utf-8"), f"README does not list {name}"


@pytest.mark.parametrize("name", sorted(REQUIRED))
def test_each_query_matches_its_golden_result_on_the_real_table(out, name):
    """tests/golden/queries/NAME.json is the expected answer with default parameters.

    Regenerate after a deliberate change with TALKGRAPH_UPDATE_GOLDEN=1 and review the diff.
    """
    results = run_query(name, store=out)
    actual = {"vars": results.variables, "rows": results.comparable()}
    path = GOLDEN / f"{name}.json"
    if __import__("os").environ.get("TALKGRAPH_UPDATE_GOLDEN"):
        GOLDEN.mkdir(parents=True, exist_ok=True)
        path.write_text(json.dumps(actual, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
    expected = json.loads(path.read_text(encoding="utf-8"))
    assert actual["vars"] == expected["vars"]
    assert [list(r) for r in actual["rows"]] == expected["rows"]


@pytest.mark.parametrize("name, key", [("concept-counts", ("concept",)), ("domain-method-matrix", ("domain", "method"))])
def test_a_concept_with_two_preflabels_is_one_row_with_its_plain_english_one(out, name, key):
    """UAT gives some concepts a prefLabel in English and one in British English (uat:2068 "Ionization",
    "Ionisation"@en-gb): one row each, labelled in plain English."""
    rows = run_query(name, store=out).rows()
    keys = [tuple(str(row[k]) for k in key) for row in rows]
    assert len(keys) == len(set(keys))
    if name == "concept-counts":
        assert [row["label"] for row in rows if str(row["concept"]).endswith("/uat/2068")] == ["Ionization"]


def test_ranked_queries_are_ranked_by_score_then_title_or_name_whatever_the_store(out):
    """similar-talks and potential-collaborators rank by score, then by the position the build gives
    each talk (by title) or person (by name), inside the query, which takes its own page."""
    for name, count, then in (("similar-talks", "score", "title"), ("potential-collaborators", "score", "name")):
        assert CATALOGUE[name].paged and CATALOGUE[name].text.rstrip().endswith("ORDER BY DESC(?score) ?position")
        rows = run_query(name, store=out).rows()
        assert len(rows) > 3
        assert [(-r[count], r[then]) for r in rows] == sorted((-r[count], r[then]) for r in rows)
        assert rows[0][count] > rows[-1][count]
        capped = run_query(name, store=out, limit=3)  # as the server caps answers: the first rows, in order
        assert capped.rows() == rows[:3] and capped.truncated


def test_an_order_line_must_name_variables_of_the_query(tmp_path):
    from talkgraph.store.catalogue import parse_query_file
    from talkgraph.errors import TalkgraphError

    path = tmp_path / "q.rq"
    path.write_text("# title: T\n# description: D\n# order: -count nmae\nSELECT ?name (1 AS ?count) WHERE {}\n")
    with pytest.raises(TalkgraphError, match="'nmae', which is not a variable"):
        parse_query_file(path)


def names(results, column="name"):
    return sorted({row[column] for row in results.rows()})


def test_speakers_of_bayesian_deep_learning(out):
    assert names(run_query("speakers-by-method", store=out, method="Bayesian deep learning")) == [
        "Edward Elliott", "Mike Walmsley", "Thomas Killestein"]


def test_talks_by_cnn_include_narrower_methods(out):
    rows = run_query("talks-by-method", store=out, method="CNN").rows()  # one row per talk (#18)
    found = {name for r in rows for name in r["speakers"]}
    assert {"Vasileios Skiris", "Joshua Wilde", "Lynge Lauritsen", "Thomas Chen", "Michele Bianco"} <= found
    unet = [r for r in run_query("talks-by-method", store=out, method="U-Net").rows()]
    assert [r["speakers"] for r in unet] == [["Michele Bianco"]]
    assert unet[0]["linked"] == ["declared", "mentioned"]  # SegU-Net is a U-Net, in the cells and the text
    killestein = [r for r in rows if r["speakers"] == ["Thomas Killestein"]]
    assert [(r["matched"], r["linked"]) for r in killestein] == [
        (["Bayesian convolutional neural network"], ["mentioned"])]  # mentioned only; narrower than CNN


def test_unmapped_terms_is_empty_on_the_real_table(out):
    assert run_query("unmapped-terms", store=out).rows() == []


@pytest.mark.parametrize("value", ["CNN", "CNNs", "convolutional-neural-networks", "ConvNet",
                                   "https://w3id.org/talkgraph/vocab/method/convolutional-neural-network",
                                   "<https://w3id.org/talkgraph/vocab/method/convolutional-neural-network>"])
def test_a_parameter_is_any_label_or_the_iri(out, value):
    by_iri = run_query("talks-by-method", store=out,
                       method="https://w3id.org/talkgraph/vocab/method/convolutional-neural-network").rows()
    # Bianco, Skiris, Wilde, Chen, Lauritsen, Tohill (declared or mentioned CNNs), Walmsley and Killestein
    # (Bayesian CNNs), Spindler (a convolutional autoencoder)
    assert len({r["talk"] for r in by_iri}) == 9
    assert run_query("talks-by-method", store=out, method=value).rows() == by_iri


def test_people_and_talks_are_found_by_name_and_title(out):
    profile = run_query("speaker-profile", store=out, speaker="CLÁR-BRÍD TOHILL")
    assert {r["label"] for r in profile.rows()} >= {"deep learning", "Galaxies"}  # UAT 573
    # the kind names the vocabulary: "uat" for the thesaurus, whose scheme IRI (uat:1) ends in a number
    kinds = {r["label"]: r["kind"] for r in profile.rows()}
    assert kinds["Galaxies"] == "uat" and kinds["deep learning"] == "method"
    assert set(kinds.values()) <= {"domain", "method", "software", "facility", "uat"}
    similar = run_query("similar-talks", store=out, talk="using deep neural networks to locate mini-filament eruptions")
    assert similar.rows()[0]["name"] == "Michele Bianco"


@pytest.mark.parametrize("evil", ['CNN" } UNION { ?talk ?p ?o } #', "x }} UNION {{ ?s ?p ?o", "'; DROP ALL; '",
                                  '"""', "\\u0022"])
def test_values_cannot_change_the_query(out, evil):
    with pytest.raises(ParameterError):  # no concept has such a label: the value stays one value
        run_query("talks-by-method", store=out, method=evil)
    for kind_query, param in (("similar-talks", "talk"), ("speaker-profile", "speaker")):
        with pytest.raises(ParameterError):
            run_query(kind_query, store=out, **{param: evil})


def test_bound_values_are_serialised_terms_not_text():
    import pyoxigraph as ox

    text = bind_values("SELECT ?x WHERE { VALUES ?v { UNDEF } ?x ?p ?v }", {"v": ox.Literal('a" } UNION { ?s ?p ?o } #')})
    assert text == 'SELECT ?x WHERE { VALUES ?v { "a\\" } UNION { ?s ?p ?o } #" } ?x ?p ?v }'
    store = ox.Store()
    store.add(ox.Quad(ox.NamedNode("http://x/a"), ox.NamedNode("http://x/p"), ox.Literal("other")))
    assert list(store.query(text)) == []  # the quote did not end the literal, so nothing leaked


def test_unknown_query_suggests_the_nearest_names():
    with pytest.raises(UnknownQuery) as caught:
        run_query("talks-by-methods")
    assert caught.value.suggestions[0] == "talks-by-method" and "did you mean" in str(caught.value)


def test_missing_and_unknown_parameters_are_named(out):
    with pytest.raises(ParameterError, match="needs the parameter 'method'"):
        run_query("talks-by-method", store=out, use_defaults=False)
    with pytest.raises(ParameterError, match="no parameter 'methd'") as caught:
        run_query("talks-by-method", store=out, methd="CNN")
    assert caught.value.hint == "its parameters are: method"
    # (was 'Convolutional Nets', which now resolves: it is a unique prefix of 'convolutional network', #18)
    with pytest.raises(ParameterError, match="no concept in the graph is called 'Convolutional Nuts'") as caught:
        run_query("talks-by-method", store=out, method="Convolutional Nuts")
    assert caught.value.hint


def test_syntax_errors_give_line_and_column(out):
    with pytest.raises(QuerySyntaxError) as caught:
        run_sparql("SELECT * WHERE {\n  ?s ?p ?o .\n  FILTER(?s = ) }", store=out, source="q.rq")
    assert caught.value.line == 3 and 1 <= caught.value.column <= 18
    assert f"q.rq:3:{caught.value.column}: SPARQL syntax error" in str(caught.value)


def test_formats(out):
    results = run_query("talks-by-method", store=out, method="U-Net")
    document = json.loads(format_results(results, "json"))
    assert document["head"]["vars"] == results.variables and len(document["results"]["bindings"]) == 1
    assert document["results"]["bindings"][0]["speakers"] == {"type": "literal", "value": "Michele Bianco"}
    assert format_results(results, "csv").splitlines()[0] == ",".join(results.variables)
    assert format_results(results, "tsv").splitlines()[1].startswith("<https://w3id.org/talkgraph/id/talk/")
    assert format_results(results, "md").startswith("| talk | title |")
    assert "<sparql xmlns" in format_results(results, "xml")
    table = format_results(results, "table")
    assert "Michele Bianco" in table and table.rstrip().endswith("(1 row)")
    construct = run_sparql("CONSTRUCT { ?t a ?c } WHERE { ?t a <https://w3id.org/talkgraph/ns#Talk>, ?c }", store=out)
    assert format_results(construct, "table").startswith("@prefix")
    nodes = json.loads(format_results(construct, "json"))["@graph"]  # JSON-LD, in graph.jsonld's shape
    assert len(nodes) == 19 and all(node["@id"].startswith("talk:") for node in nodes)


def run_cli(*args):
    return CliRunner().invoke(cli, [str(a) for a in args], catch_exceptions=False)


def test_queries_command_lists_the_catalogue():
    result = run_cli("queries")
    assert result.exit_code == 0
    for name in REQUIRED:
        assert name in result.output
    assert '--param method=…  concept (default "convolutional neural network")' in result.output


def test_query_command(out, tmp_path):
    result = run_cli("query", "speakers-by-method", "--param", "method=Bayesian deep learning", "--store", out,
                     "--format", "csv")
    assert result.exit_code == 0 and "Thomas Killestein" in result.output
    result = run_cli("query", "--sparql", "SELECT (COUNT(*) AS ?n) WHERE { ?t a <https://w3id.org/talkgraph/ns#Talk> }",
                     "--store", out, "-f", "json")
    assert json.loads(result.output)["results"]["bindings"][0]["n"]["value"] == "19"
    query_file = tmp_path / "q.rq"  # not in out: other tests read that folder
    query_file.write_text("ASK { ?s ?p ?o }", encoding="utf-8")
    assert run_cli("query", "--file", query_file, "--store", out).output == "true\n"


def test_query_limit_prints_the_first_rows_in_the_catalogue_order(out):
    first = [r["title"] for r in run_query("similar-talks", store=out).rows()][:2]
    result = run_cli("query", "similar-talks", "--store", out, "--limit", 2, "-f", "tsv")
    assert result.exit_code == 0
    lines = result.stdout.splitlines()
    assert len(lines) == 3 and [line.split("\t")[1].strip('"') for line in lines[1:]] == first
    # a ranking answers its top N: the line says how to see more, without counting every row
    assert result.stderr.startswith("talkgraph: rows 1–2; next page: --offset 2")
    assert run_cli("query", "similar-talks", "--store", out, "--limit", 1000).stderr == ""


@pytest.mark.parametrize("args, message", [
    (["query", "talk-by-method"], "did you mean talks-by-method"),
    (["query", "talks-by-method", "--limit", "0"], "limit must be a whole number of rows, 1 or more, not '0'"),
    (["query", "talks-by-method", "--no-defaults"], "needs the parameter 'method'"),
    (["query", "talks-by-method", "-p", "method"], "is not NAME=VALUE"),
    (["query", "--sparql", "SELECT * WHERE { ?s ?p }"], "--sparql:1:25: SPARQL syntax error"),
    (["query", "--sparql", "PREFIX s: <http://schema.org/#>\n# clean up\n  DELETE WHERE { ?s s:name ?o }"],
     "--sparql:3:3: this is a SPARQL update (DELETE), not a query\n  hint: talkgraph only reads the graph"),
    (["query"], "which query?"),
    (["query", "talks-by-method", "--store", "/nowhere"], "no talkgraph store here"),
    (["query", "--sparql", "ASK {}", "--endpoint", "http://127.0.0.1:9/query"], "cannot connect"),
])
def test_query_mistakes_exit_2_with_a_message(out, args, message):
    if "--store" not in args and "--endpoint" not in args:
        args = args + ["--store", str(out)]
    result = CliRunner().invoke(cli, args)
    assert result.exit_code == 2 and message in result.output, result.output


# ------------------------------------------------------------------ opening a graph (#20: one open_store)

def test_open_store_opens_a_build_its_store_and_its_graph_files_alike(out, tmp_path):
    from talkgraph.store.sparql import open_store

    count = len(open_store(out).store)
    assert open_store(out).path is not None
    for location in (out / "store", out / "graph.ttl", out / "graph.nt"):
        assert len(open_store(location).store) == count, location
    only_turtle = tmp_path / "old"
    only_turtle.mkdir()
    (only_turtle / "graph.ttl").write_bytes((out / "graph.ttl").read_bytes())
    assert len(open_store(only_turtle).store) == count and open_store(only_turtle).path is None
    (tmp_path / "empty").mkdir()
    with pytest.raises(InputError, match="no talkgraph store, graph.nt or graph.ttl here"):
        open_store(tmp_path / "empty")
    with pytest.raises(InputError, match="not valid RDF"):
        open_store(ROOT / "data" / "talks.tsv")


def test_the_server_wants_a_store_not_a_graph_file(out):
    from talkgraph.store.server import make_server

    with pytest.raises(InputError, match="the server needs the store a build writes"):
        make_server(out / "graph.ttl", port=0)


# ------------------------------------------------------------------ SPARQL lexed one way (#20)

def test_a_slot_in_a_comment_or_a_string_is_not_the_slot_that_is_bound():
    text = "# VALUES ?v { UNDEF }\nSELECT ?x WHERE { ?x ?p 'VALUES ?v { UNDEF }' . VALUES ?v { UNDEF } ?x ?q ?v }"
    bound = bind_values(text, {"v": ox.Literal("a")})
    assert bound == text.replace("VALUES ?v { UNDEF } ?x ?q", 'VALUES ?v { "a" } ?x ?q')


def test_an_update_is_named_by_the_tokenizer_whatever_its_prologue():
    text = "PREFIX delete: <http://example.org/>\n# INSERT DATA {}\nBASE <http://example.org/>  drop ALL"
    with pytest.raises(UpdateRefused) as caught:
        run_sparql(text, store=ox.Store())
    assert (caught.value.operation, caught.value.line, caught.value.column) == ("DROP", 3, 29)
