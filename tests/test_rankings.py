"""The rankings' index: the build writes what its graph says, and a ranking chosen through it is the query's.

similar-talks and potential-collaborators, on a build's store, rank only the rows that the index
(talkgraph.model.rankindex) finds can reach the page (talkgraph.store.rankings). Their answers are
compared here, page by page, with the same query ranking every row (the graph file, which has no
index), on the real table and on a synthetic one large enough for the index to leave rows out.
"""

from __future__ import annotations

import io
import sys
from pathlib import Path

import pytest

from talkgraph import build, write_outputs
from talkgraph import engine as ox
from talkgraph.errors import TalkgraphError
from talkgraph.model.rankindex import INDEX_DIR, RankingIndex
from talkgraph.store import sparql
from talkgraph.store.catalogue import get_query
from talkgraph.store.parameters import bind_values
from talkgraph.store.rankings import candidates, index_from_graph, parse_prune
from talkgraph.store.sparql import open_store, run_query

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "benchmarks"))

from synth import generate  # noqa: E402

RANKINGS = {"similar-talks": ("talk", "talks"), "potential-collaborators": ("speaker", "people")}
#: Pages asked of each ranking: its top 20, short pages deep in, and one row.
PAGES = [(None, 0), (5, 0), (7, 13), (10, 40), (1, 3)]


@pytest.fixture(scope="module")
def synthetic_out(tmp_path_factory):
    """600 synthetic talks (about 200 speakers), built without mentions, written with their index."""
    folder = tmp_path_factory.mktemp("rankings")
    stream = io.StringIO()
    generate(600, seed=5, out=stream)
    table = folder / "talks.tsv"
    table.write_text(stream.getvalue(), encoding="utf-8")
    write_outputs(build(table, mentions=False), folder / "out")
    return folder / "out"


def _members(store, kind: str) -> list[str]:
    query = ("SELECT ?x WHERE { ?x a <https://w3id.org/talkgraph/ns#Talk> } ORDER BY ?x" if kind == "talks" else
             "SELECT ?x WHERE { ?x a <http://schema.org/Person> } ORDER BY ?x")
    return [row[0].value for row in store.store.query(query)]


def _same_pages(out: Path, members: int) -> None:
    indexed, plain = open_store(out), open_store(out / "graph.nt")
    assert indexed.rankings is not None and plain.rankings is None
    for name, (param, kind) in RANKINGS.items():
        for iri in _members(indexed, kind)[:members]:
            for limit, offset in PAGES:
                try:
                    expected = run_query(name, store=plain, limit=limit, offset=offset, **{param: iri})
                except TalkgraphError as error:  # an offset past the end: the same error both ways
                    with pytest.raises(type(error), match="past the end"):
                        run_query(name, store=indexed, limit=limit, offset=offset, **{param: iri})
                    continue
                found = run_query(name, store=indexed, limit=limit, offset=offset, **{param: iri})
                assert found.solutions == expected.solutions, (name, iri, limit, offset)
                assert (found.truncated, found.total) == (expected.truncated, expected.total), (name, iri)


@pytest.fixture
def chosen(monkeypatch):
    """What the index handed to each ranking asked of a store with an index: (rows asked, candidates or None)."""
    seen = []

    def recorded(prune, index, bindings, rows):
        found = candidates(prune, index, bindings, rows)
        if index is not None:
            seen.append((rows, found))
        return found

    monkeypatch.setattr(sparql, "candidates", recorded)
    return seen


def test_the_build_writes_the_index_that_its_graph_gives(real_out, synthetic_out):
    for out in (real_out, synthetic_out):
        store = open_store(out)
        assert (store.path.parent / INDEX_DIR).is_dir()
        assert store.rankings.files() == index_from_graph(store.store).files()


def test_an_index_reads_back_as_it_was_written(tmp_path, synthetic_out):
    index = open_store(synthetic_out).rankings
    for name, data in index.files().items():
        (tmp_path / name).write_bytes(data)
    again = RankingIndex.read(tmp_path)
    assert again.files() == index.files()
    talk = again.kinds["talks"].members[7]
    assert again.kinds["talks"].concepts_of(talk) == index.kinds["talks"].concepts_of(talk)
    assert talk in again.kinds["talks"].members_of(again.kinds["talks"].concepts_of(talk)[0])


def test_rankings_through_the_index_are_the_query_s_on_the_real_table(real_out, chosen):
    _same_pages(real_out, members=19)
    assert chosen and all(found is not None for _, found in chosen)


def test_rankings_through_the_index_are_the_query_s_page_by_page(synthetic_out, chosen):
    _same_pages(synthetic_out, members=25)
    talks = len(_members(open_store(synthetic_out), "talks"))
    kept = [len(found) for _, found in chosen if found is not None]
    # the index did the choosing, and left most talks out: the query ranked a few dozen, not 600
    assert len(kept) == len(chosen)
    assert sorted(kept)[len(kept) // 2] < talks // 4


def test_a_damaged_index_costs_speed_not_answers(tmp_path, synthetic_out, chosen):
    import shutil

    out = tmp_path / "out"
    shutil.copytree(synthetic_out, out, symlinks=True)
    current = out.resolve() / "current"
    (current.resolve() / INDEX_DIR / "talks.bin").write_bytes(b"\x01\x02\x03")
    store = open_store(out)
    assert store.rankings is None  # read once, found damaged, and not used
    talk = _members(store, "talks")[0]
    expected = run_query("similar-talks", store=open_store(out / "graph.nt"), talk=talk)
    assert run_query("similar-talks", store=store, talk=talk).solutions == expected.solutions
    assert chosen == []  # no index, so nothing chosen through one


def test_a_deep_page_is_ranked_by_the_query_alone(synthetic_out, chosen, monkeypatch):
    from talkgraph.store import rankings

    monkeypatch.setattr(rankings, "MOST_CANDIDATES", 10)
    store = open_store(synthetic_out)
    talk = _members(store, "talks")[3]
    expected = run_query("similar-talks", store=open_store(synthetic_out / "graph.nt"), talk=talk, limit=30)
    assert run_query("similar-talks", store=store, talk=talk, limit=30).solutions == expected.solutions
    assert chosen == [(31, None)]


def test_the_prune_line_is_read_or_refused():
    assert get_query("similar-talks").prune == parse_prune("other like talk among talks, score unit 0.000001", "q")
    assert get_query("potential-collaborators").prune.kind == "people"
    for line in ("other like talk among films, score unit 0.001", "other like talk among talks",
                 "other like talk among talks, score unit 0"):
        with pytest.raises(TalkgraphError, match="cannot read '# prune:"):
            parse_prune(line, "q.rq")


def test_a_candidate_slot_holds_every_candidate_and_nothing_else():
    text = "SELECT * WHERE { VALUES ?other { UNDEF } ?other ?p ?o }"
    chosen = (ox.NamedNode("http://example.org/a"), ox.NamedNode("http://example.org/b"))
    assert bind_values(text, {"other": chosen}) == \
        "SELECT * WHERE { VALUES ?other { <http://example.org/a> <http://example.org/b> } ?other ?p ?o }"
    assert bind_values(text, {"other": ()}) == "SELECT * WHERE { VALUES ?other {  } ?other ?p ?o }"
