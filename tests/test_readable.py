"""Output people can read (#18): tables that fit the terminal, IRIs as prefixed names, prefixes
declared for --sparql, and syntax errors that say where the mistake is in a line or two."""

from __future__ import annotations

import json

import pytest
from click.testing import CliRunner

from talkgraph import engine as ox
from talkgraph.cli import cli
from talkgraph.errors import QuerySyntaxError
from talkgraph.namespaces import PREFIXES
from talkgraph.store.catalogue import load_catalogue
from talkgraph.store.prefixes import query_prefixes, short_name
from talkgraph.store.querycheck import declared_prefixes
from talkgraph.store.results import Results, fit_widths, format_results
from talkgraph.store.sparql import run_sparql


@pytest.fixture(scope="module")
def out(real_out):
    return real_out


def run_cli(*args, env=None):
    return CliRunner().invoke(cli, [str(a) for a in args], env=env)


def _wide_results(rows=3):
    talk = "https://w3id.org/talkgraph/id/talk/"
    return Results("select", ["talk", "title", "n"],
                   [(ox.NamedNode(talk + "t" * 70 + str(i)), ox.Literal("A title " * 12), ox.Literal(i))
                    for i in range(rows)])


@pytest.mark.parametrize("width", [200, 80, 40, 12])
def test_a_table_fits_the_width_it_is_given_and_keeps_every_column(width):
    text = format_results(_wide_results(), "table", width=width)
    lines = text.splitlines()
    assert lines[0].split() == ["talk", "title", "n"] or width < 20  # headers are cut too when they must be
    for line in lines[:-1]:  # the last line counts rows
        assert len(line) <= max(width, 3 * 4 + 2 * 2), line
    assert len(lines[2].split("  ")) >= 3 or width < 20
    assert all(line.count("…") <= 3 for line in lines)
    assert lines[-1] == "(3 rows)"


def test_cut_cells_end_in_an_ellipsis_and_never_wrap():
    lines = format_results(_wide_results(), "table", width=60).splitlines()
    assert len(lines) == 2 + 3 + 1  # header, rule, one line per row, the count
    assert lines[2].startswith("talk:ttt") and "…" in lines[2]


def test_without_a_width_the_table_is_as_before():
    assert format_results(_wide_results(), "table") == format_results(_wide_results(), "table", width=None)
    assert max(len(line) for line in format_results(_wide_results(), "table").splitlines()) > 100


def test_fit_widths_gives_the_room_to_the_narrow_columns_first():
    assert fit_widths([5, 50, 50], 60) == [5, 25, 25]
    assert fit_widths([5, 5], 80) == [5, 5]


def test_iris_are_prefixed_names_in_tables_and_whole_in_csv_and_json():
    r = Results("select", ["x", "c"], [(ox.NamedNode("https://w3id.org/talkgraph/id/talk/a-talk"),
                                       ox.NamedNode(str(PREFIXES["method"]) + "u-net"))])
    assert "talk:a-talk" in format_results(r, "table") and "method:u-net" in format_results(r, "table")
    assert "https://w3id.org/talkgraph/id/talk/a-talk" in format_results(r, "csv")
    assert json.loads(format_results(r, "json"))["results"]["bindings"][0]["x"]["value"].startswith("https://")
    assert short_name("http://example.org/not/known") == "http://example.org/not/known"


def test_the_query_prefixes_hold_every_prefix_the_catalogue_declares():
    prefixes = query_prefixes()
    for query in load_catalogue().values():
        for name, iri in declared_prefixes(query.text).items():
            assert prefixes[name] == iri, (query.name, name)
    assert prefixes["tg"] == PREFIXES["tg"]


def test_talkgraph_prefixes_lists_them():
    result = run_cli("prefixes")
    assert result.exit_code == 0
    assert f"PREFIX tg: <{PREFIXES['tg']}>" in result.output.splitlines()
    assert len(result.output.splitlines()) == len(query_prefixes())


def test_sparql_may_use_the_prefixes_without_declaring_them(out):
    result = run_cli("query", "--store", out, "--sparql", "SELECT (COUNT(*) AS ?n) WHERE { ?t a tg:Talk }",
                     "-f", "csv")
    assert result.exit_code == 0, result.output
    assert int(result.output.split()[1]) > 0


def test_a_name_copied_from_a_result_can_be_pasted_into_a_query(out):
    # results show talk:…, person:…; --sparql declares those prefixes too
    talks = run_cli("query", "--store", out, "--sparql", "SELECT ?t WHERE { ?t a tg:Talk } ORDER BY ?t LIMIT 1",
                    "-f", "csv")
    name = short_name(talks.output.split()[1])
    assert name.startswith("talk:")
    result = run_cli("query", "--store", out, "--sparql", f"SELECT ?p WHERE {{ {name} tg:speaker ?p }}")
    assert result.exit_code == 0, result.output
    assert "person:" in result.output and "(1 row)" in result.output


def test_a_query_that_declares_a_prefix_keeps_its_own(out):
    text = "PREFIX tg: <http://example.org/elsewhere#>\nSELECT (COUNT(*) AS ?n) WHERE { ?t a tg:Talk }"
    assert run_sparql(text, store=out, prefixes=True).rows() == [{"n": 0}]


def test_the_library_declares_nothing_unless_asked(out):
    with pytest.raises(QuerySyntaxError, match="prefix tg: .* is not declared"):
        run_sparql("SELECT * WHERE { ?t a tg:Talk }", store=out)


@pytest.mark.parametrize("text, where, words", [
    ("SELECT ?x WHERE { ?x a tg:Talk . FILTER(?x = ) }", ":1:", ["at '}'"]),
    ("SELECT ?x WHERE {\n  ?x a nope:Talk }", ":2:", ["nope:", "not declared"]),
    ("SELECT ?x WHERE { ?x a tg:Talk ;\n  tg:speaker ?y ?z }", ":2:", ["at '}'"]),
    ('SELECT ?x { ?x ?p "abc }', ":1:", ["string is not closed"]),
    # a misspelt query form is named where it is, not at the next word the parser stumbles on
    ("SELEC ?s WHERE { ?s ?p ?o }", ":1:1:", ["starts with SELECT, CONSTRUCT, ASK or DESCRIBE", "not 'SELEC'"]),
    ("PREFIX ex: <http://example.org/>\nselectt ?s WHERE { ?s ?p ?o }", ":2:1:", ["not 'selectt'"]),
])
def test_a_syntax_error_says_line_column_and_text_in_two_lines_at_most(out, text, where, words):
    result = run_cli("query", "--store", out, "--sparql", text)
    assert result.exit_code == 2
    message = result.output.strip()
    assert len(message.splitlines()) <= 2, message
    assert message.startswith("Error: --sparql" + where) and "SPARQL syntax error" in message
    assert "'\\u{" not in message and "..=" not in message  # no parser grammar
    for word in words:
        assert word in message


def test_a_query_file_may_use_the_prefixes_too_and_its_errors_keep_their_lines(out, tmp_path):
    good, bad = tmp_path / "good.rq", tmp_path / "bad.rq"
    good.write_text("# a comment\nSELECT (COUNT(*) AS ?n) WHERE { ?c a skos:Concept }\n", encoding="utf-8")
    bad.write_text("# a comment\nSELECT * WHERE {\n  ?c a skos:Concept ;\n     skos:prefLabel }\n", encoding="utf-8")
    assert run_cli("query", "--store", out, "--file", good, "-f", "csv").exit_code == 0
    result = run_cli("query", "--store", out, "--file", bad)
    assert result.exit_code == 2 and f"{bad}:4:" in result.output
