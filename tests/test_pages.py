"""Pages of the named queries (CLI, Python, HTTP), streaming every row, and rankings that generic concepts do
not swamp (#18)."""

from __future__ import annotations

import csv
import io
import json
import urllib.error
import urllib.request

import pytest
from click.testing import CliRunner
from hypothesis import example, given
from hypothesis import strategies as st

from talkgraph.cli import cli
from talkgraph.errors import ParameterError
from talkgraph.store.catalogue import load_catalogue
from talkgraph.store.sparql import open_store, run_query, stream_query

from servers import free_port, oxigraph_binary, running, talkgraph_command

CATALOGUE = load_catalogue()
LISTINGS = ["talks-by-method", "talks-by-domain", "talks-mentioning", "speakers-by-method", "speaker-profile"]
RANKINGS = ["similar-talks", "potential-collaborators", "methods-by-domain", "shared-methods", "method-cooccurrence"]


@pytest.fixture(scope="module")
def out(real_out):
    return real_out


def pages(name, size, **where):
    rows, offset = [], 0
    while True:
        try:
            page = run_query(name, limit=size, offset=offset, **where)
        except ParameterError:  # past the end
            assert offset and rows
            return rows
        rows += page.comparable()
        offset += size
        if not page.truncated:
            return rows


@pytest.mark.parametrize("name", sorted(CATALOGUE))
def test_pages_put_together_are_the_whole_answer_in_order(out, name):
    whole = run_query(name, store=out, limit=10_000)
    assert not whole.truncated
    assert pages(name, 3, store=out) == whole.comparable()
    variables, rows = stream_query(name, store=out)
    assert variables == whole.variables
    assert [tuple(None if t is None else str(t) for t in row) for row in rows] == whole.comparable()


@pytest.mark.parametrize("name", RANKINGS)
def test_rankings_answer_their_top_20_unless_asked_for_more(name):
    assert CATALOGUE[name].top == 20


def test_a_ranking_shows_its_top_20_in_a_table(out):
    pairs = run_query("method-cooccurrence", store=out, limit=1000)
    assert len(pairs) > 25
    table = CliRunner().invoke(cli, ["query", "method-cooccurrence", "--store", str(out)])
    assert table.exit_code == 0 and "talkgraph: rows 1–20; next page: --offset 20" in table.output
    assert len(run_query("method-cooccurrence", store=out, limit=30)) == 30


def test_listings_give_one_row_per_talk_with_list_cells(out):
    results = run_query("talks-by-method", store=out, method="CNN")
    talks = [row["talk"] for row in results.rows()]
    assert len(talks) == len(set(talks))
    unet = [row for row in results.rows() if "U-Net" in row["matched"]][0]
    assert unet["matched"] == sorted(unet["matched"]) and "convolutional neural network" in unet["matched"]
    assert unet["linked"] == ["declared", "mentioned"]
    profile = run_query("speaker-profile", store=out, speaker="Mike Walmsley").rows()
    assert len({row["concept"] for row in profile}) == len(profile)


def test_cli_shows_a_first_page_and_one_line_about_the_rest(out):
    runner = CliRunner()
    one = runner.invoke(cli, ["query", "talks-by-method", "--store", str(out), "--limit", "1"])
    assert one.exit_code == 0
    assert "(1 row)" not in one.output and one.output.count("row 1 of") == 1
    assert "--offset 1" in one.output
    last = runner.invoke(cli, ["query", "talks-by-method", "--store", str(out), "--limit", "2", "--offset", "8"])
    assert last.exit_code == 0 and "the last page" in last.output


def test_cli_all_streams_every_row_as_csv_and_json_lines(out):
    runner = CliRunner()
    whole = run_query("talks-by-method", store=out).rows()
    streamed = runner.invoke(cli, ["query", "talks-by-method", "--store", str(out), "--all"])
    assert streamed.exit_code == 0
    rows = list(csv.DictReader(io.StringIO(streamed.stdout)))
    assert [row["talk"] for row in rows] == [row["talk"] for row in whole]
    lines = runner.invoke(cli, ["query", "talks-by-method", "--store", str(out), "--all", "-f", "jsonl"]).stdout
    assert [json.loads(line) for line in lines.splitlines()] == whole


@pytest.mark.parametrize("args, words", [
    (["--limit", "-1"], "limit must be a whole number of rows, 1 or more, not '-1'"),
    (["--limit", "ten"], "limit must be a whole number of rows, 1 or more, not 'ten'"),
    (["--offset", "-5"], "offset must be a whole number of rows, 0 or more, not '-5'"),
    (["--offset", "500"], "offset 500 is past the end: talks-by-method has 9 rows here"),
    (["-p", "colour=red"], "talks-by-method has no parameter 'colour'"),
    (["--all", "--limit", "3"], "--all gives every row"),
    (["--all", "--format", "md"], "a Markdown table needs every row first"),
])
def test_bad_pages_are_clear_errors_with_exit_2(out, args, words):
    result = CliRunner().invoke(cli, ["query", "talks-by-method", "--store", str(out), *args])
    assert result.exit_code == 2, result.output
    assert words in result.output and "Traceback" not in result.output


@pytest.mark.slow
def test_the_server_pages_with_a_link_to_the_next_and_refuses_bad_pages_with_the_same_words(out):
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    with running(talkgraph_command() + ["serve", "--store", str(out), "--port", str(port)], f"{base}/queries"):
        with urllib.request.urlopen(f"{base}/queries/talks-by-method?limit=4&format=json") as answer:
            link = answer.headers["Link"]
            first = json.loads(answer.read())["results"]["bindings"]
        assert link == '</queries/talks-by-method?limit=4&format=json&offset=4>; rel="next"'
        with urllib.request.urlopen(base + link[1:link.index(">")]) as answer:
            second = json.loads(answer.read())["results"]["bindings"]
        whole = run_query("talks-by-method", store=out).rows()
        assert [b["talk"]["value"] for b in first + second] == [row["talk"] for row in whole[:8]]
        with urllib.request.urlopen(f"{base}/queries/talks-by-method?offset=8") as answer:
            assert answer.headers["Link"] is None
        for query, words in (("limit=-1", "limit must be a whole number of rows, 1 or more, not '-1'"),
                             ("offset=x", "offset must be a whole number of rows, 0 or more, not 'x'"),
                             ("offset=500", "offset 500 is past the end: talks-by-method has 9 rows here")):
            with pytest.raises(urllib.error.HTTPError) as refused:
                urllib.request.urlopen(f"{base}/queries/talks-by-method?{query}")
            assert refused.value.code == 400 and words in refused.value.read().decode()


@pytest.mark.slow
def test_pages_are_the_same_on_a_real_oxigraph_server(out, tmp_path):
    import subprocess

    port = free_port()
    command = [oxigraph_binary(), "serve", "--location", str(tmp_path), "--bind", f"127.0.0.1:{port}"]
    with running(command, f"http://127.0.0.1:{port}/query?query=ASK%7B%7D"):
        pushed = subprocess.run(talkgraph_command() + ["push", "--endpoint", f"http://127.0.0.1:{port}/store",
                                                       "--out", str(out)], capture_output=True, text=True)
        assert pushed.returncode == 0, pushed.stderr
        for name in LISTINGS + RANKINGS:
            assert pages(name, 4, endpoint=f"http://127.0.0.1:{port}/query") == pages(name, 4, store=out), name


# ------------------------------------------------------------------ rankings by rarity

SMALL = """
@prefix tg: <https://w3id.org/talkgraph/ns#> . @prefix dcterms: <http://purl.org/dc/terms/> .
@prefix schema: <http://schema.org/> . @prefix skos: <http://www.w3.org/2004/02/skos/core#> .
@prefix m: <https://w3id.org/talkgraph/vocab/method/> . @prefix d: <https://w3id.org/talkgraph/vocab/domain/> .
@prefix t: <https://example.org/talk/> . @prefix p: <https://example.org/person/> .
m:ml skos:inScheme <https://w3id.org/talkgraph/vocab/method> ; skos:prefLabel "machine learning"@en .
m:dl skos:inScheme <https://w3id.org/talkgraph/vocab/method> ; skos:prefLabel "deep learning"@en .
m:gp skos:inScheme <https://w3id.org/talkgraph/vocab/method> ; skos:prefLabel "Gaussian process"@en .
m:rf skos:inScheme <https://w3id.org/talkgraph/vocab/method> ; skos:prefLabel "random forest"@en .
d:stars skos:inScheme <https://w3id.org/talkgraph/vocab/domain> ; skos:prefLabel "stars"@en .
d:sun skos:inScheme <https://w3id.org/talkgraph/vocab/domain> ; skos:prefLabel "sun"@en .
t:a a tg:Talk ; dcterms:title "Talk A" ; tg:speaker p:a ; tg:declaresMethod m:ml, m:dl, m:gp .
t:b a tg:Talk ; dcterms:title "Talk B" ; tg:speaker p:b ; tg:declaresMethod m:ml, m:dl ; tg:declaresDomain d:sun .
t:c a tg:Talk ; dcterms:title "Talk C" ; tg:speaker p:c ; tg:declaresMethod m:gp, m:rf ; tg:declaresDomain d:stars .
t:d a tg:Talk ; dcterms:title "Talk D" ; tg:speaker p:d ; tg:declaresMethod m:ml, m:dl ; tg:declaresDomain d:stars .
t:e a tg:Talk ; dcterms:title "Talk E" ; tg:speaker p:e ; tg:declaresMethod m:ml, m:dl ; tg:declaresDomain d:sun .
t:f a tg:Talk ; dcterms:title "Talk F" ; tg:speaker p:f ; tg:declaresMethod m:ml, m:dl ; tg:declaresDomain d:sun .
t:g a tg:Talk ; dcterms:title "Talk G" ; tg:speaker p:g ; tg:declaresMethod m:ml ; tg:declaresDomain d:stars .
t:h a tg:Talk ; dcterms:title "Talk H" ; tg:speaker p:h ; tg:declaresMethod m:ml, m:rf ; tg:declaresDomain d:stars .
p:a schema:name "Ann" . p:b schema:name "Bob" . p:c schema:name "Cy" . p:d schema:name "Di" .
p:e schema:name "Ed" . p:f schema:name "Flo" . p:g schema:name "Gus" . p:h schema:name "Hal" .
p:a a schema:Person . p:b a schema:Person . p:c a schema:Person . p:d a schema:Person .
p:e a schema:Person . p:f a schema:Person . p:g a schema:Person . p:h a schema:Person .
t:a schema:position 1 . t:b schema:position 2 . t:c schema:position 3 . t:d schema:position 4 .
t:e schema:position 5 . t:f schema:position 6 . t:g schema:position 7 . t:h schema:position 8 .
p:a schema:position 1 . p:b schema:position 2 . p:c schema:position 3 . p:d schema:position 4 .
p:e schema:position 5 . p:f schema:position 6 . p:g schema:position 7 . p:h schema:position 8 .
"""
#: The talks linked to each concept, as the build writes them (its concept-linked-talks cells): the
#: rankings read their rarity weights from these.
SMALL += "".join(f"[] tg:concept {concept} ; tg:talkCount {talks} .\n" for concept, talks in
                 (("m:ml", 7), ("m:dl", 5), ("m:gp", 2), ("m:rf", 2), ("d:stars", 4), ("d:sun", 3)))
#: The talks of each domain (with its narrower concepts: none here) using each method, as the build counts
#: them (its area-method cells): methods-by-domain and shared-methods rank these.
SMALL += "".join(f"[] tg:area {area} ; tg:method {method} ; tg:talkCount {talks} .\n" for area, method, talks in
                 (("d:stars", "m:ml", 3), ("d:stars", "m:rf", 2), ("d:stars", "m:gp", 1), ("d:stars", "m:dl", 1),
                  ("d:sun", "m:ml", 3), ("d:sun", "m:dl", 3)))
#: Each person's methods and domains, as the build writes them (tg:personConcept): potential-collaborators
#: compares people by these.
SMALL += "".join(f"p:{talk} tg:personConcept {concept} .\n" for talk, concepts in
                 (("a", "m:ml m:dl m:gp"), ("b", "m:ml m:dl d:sun"), ("c", "m:gp m:rf d:stars"), ("d", "m:ml m:dl d:stars"),
                  ("e", "m:ml m:dl d:sun"), ("f", "m:ml m:dl d:sun"), ("g", "m:ml d:stars"), ("h", "m:ml m:rf d:stars"))
                 for concept in concepts.split())


@pytest.fixture(scope="module")
def small(tmp_path_factory):
    path = tmp_path_factory.mktemp("small") / "graph.ttl"
    path.write_text(SMALL, encoding="utf-8")
    return open_store(path)


def test_one_rare_concept_in_common_outranks_two_generic_ones(small):
    """Talk B shares machine learning and deep learning with A (in 7 and 5 of 8 talks), Talk C only a
    Gaussian process (in 2): counting shared concepts would put B first."""
    rows = run_query("similar-talks", store=small, talk="https://example.org/talk/a").rows()
    assert rows[0]["title"] == "Talk C" and rows[0]["shared"] == 1
    assert {row["shared"] for row in rows[1:]} >= {2}
    people = run_query("potential-collaborators", store=small, speaker="Ann").rows()
    assert people[0]["name"] == "Cy"


def test_a_method_used_everywhere_does_not_top_a_domain(small):
    """Machine learning is in 3 of the 4 talks on stars, random forest in 2, but machine learning is in
    7 of the 8 talks, random forest in those 2 only: counting talks would put machine learning first."""
    rows = run_query("methods-by-domain", store=small, domain="stars").rows()
    assert [(row["label"], row["talks"]) for row in rows][:2] == [("random forest", 2), ("machine learning", 3)]
    shared = run_query("shared-methods", store=small, domain_a="stars", domain_b="stars").rows()
    assert shared[0]["label"] == "random forest"


_CELLS = st.one_of(st.none(), st.text(alphabet=st.sampled_from(list("ab,\"\r\n\t'=+-@ 1.é")), max_size=8))


@given(width=st.integers(1, 3), cells=st.lists(_CELLS, max_size=24), safe=st.booleans())
@example(width=2, cells=["'=1", "=2", "'-x", "-3.5", 'a,"b"', "\r\n", "", None], safe=True)
@example(width=1, cells=["", None, "x"], safe=False)
def test_streamed_csv_is_the_page_s_csv_byte_for_byte(width, cells, safe):
    """--all writes rows as they come (talkgraph.store.results.write_rows); a page prints them with
    format_results: the same text for the same rows, quotes, line breaks, formulas and empty cells alike."""
    from talkgraph import engine as ox
    from talkgraph.store.results import Results, format_results, write_rows

    variables = [f"v{i}" for i in range(width)]
    terms = [None if cell is None else ox.Literal(cell) for cell in cells]
    rows = [tuple(terms[i:i + width]) for i in range(0, len(terms) - width + 1, width)]
    streamed = io.StringIO()
    assert write_rows(variables, iter(rows), "csv", streamed, spreadsheet_safe=safe) == len(rows)
    expected = format_results(Results("select", variables, rows), "csv", spreadsheet_safe=safe)
    assert streamed.getvalue() == expected
