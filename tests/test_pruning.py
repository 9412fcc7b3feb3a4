"""The links index: the build writes what its graph says, and pages chosen through it are the query's.

The rankings (similar-talks, potential-collaborators) and the listings (talks-by-method, …), on a
build's store, find their rows among those that the links index (talkgraph.model.linkindex) finds
can be on the page (talkgraph.store.pruning). Their answers are compared here, page by page, with
the same query finding every row itself (on the graph file, which has no index), on the real table
and on a synthetic one large enough for the index to leave rows out.
"""

from __future__ import annotations

from pathlib import Path
from types import SimpleNamespace

import pytest

from talkgraph import engine as ox
from talkgraph.errors import TalkgraphError
from talkgraph.model.linkindex import INDEX_DIR, LinkIndex, Postings
from talkgraph.namespaces import SPARQL_PREFIXES
from talkgraph.store import sparql
from talkgraph.store.catalogue import get_query
from talkgraph.store.parameters import bind_values
from talkgraph.store.pruning import choices, index_from_graph, most_talks, parse_prune
from talkgraph.store.sparql import open_store, run_query

from conftest import write_synthetic

#: Each query that the index may prune, with its parameter and what the values are.
PRUNED = {"similar-talks": ("talk", "talks"), "potential-collaborators": ("speaker", "people"),
          "talks-by-method": ("method", "methods"), "speakers-by-method": ("method", "methods"),
          "talks-by-domain": ("domain", "domains"), "talks-mentioning": ("concept", "concepts"),
          "speaker-counts": (None, None)}
RANKINGS = ("similar-talks", "potential-collaborators")
#: Pages asked of each query: a ranking's top 20 (a listing's 25 rows), short pages deep in, and one row.
PAGES = [(None, 0), (5, 0), (7, 13), (10, 40), (1, 3)]
#: The values of each kind of parameter, from the graph (a listing's broader concepts list the most).
VALUES = {
    "talks": "SELECT ?x WHERE { ?x a tg:Talk } ORDER BY ?x",
    "people": "SELECT ?x WHERE { ?x a schema:Person } ORDER BY ?x",
    "methods": "SELECT DISTINCT ?x WHERE { ?t tg:declaresMethod|tg:mentions/skos:broader* ?x } ORDER BY ?x",
    "domains": "SELECT DISTINCT ?x WHERE { ?t tg:declaresDomain/(skos:broader|skos:broadMatch)* ?x } ORDER BY ?x",
    "concepts": "SELECT DISTINCT ?x WHERE { ?t tg:declaresDomain|tg:declaresMethod|tg:declaresKeyword|tg:mentions ?x } "
                "ORDER BY ?x",
}


@pytest.fixture(scope="module")
def synthetic_out(tmp_path_factory):
    """600 synthetic talks (about 200 speakers), built without mentions, written with their index."""
    return write_synthetic(tmp_path_factory.mktemp("pruning"), 600, seed=5, mentions=False)


def _values(store, kind: str, most: int) -> list[str]:
    """Up to ``most`` values of a kind of parameter, spread over all of them."""
    found = [row[0].value for row in store.store.query(SPARQL_PREFIXES + VALUES[kind])]
    step = max(1, len(found) // most)
    return found[::step][:most]


def _same_pages(out: Path, names, most: int) -> None:
    indexed, plain = open_store(out), open_store(out / "graph.nt")
    assert indexed.index is not None and plain.index is None
    for name in names:
        param, kind = PRUNED[name]
        values = _values(indexed, kind, most) if param else [None]
        assert values, name
        for value in values:
            for limit, offset in PAGES:
                if limit is None and name not in RANKINGS:
                    limit = 25
                given = {param: value} if param else {}
                try:
                    expected = run_query(name, store=plain, limit=limit, offset=offset, **given)
                except TalkgraphError as error:  # an offset past the end: the same error both ways
                    with pytest.raises(type(error), match="past the end"):
                        run_query(name, store=indexed, limit=limit, offset=offset, **given)
                    continue
                found = run_query(name, store=indexed, limit=limit, offset=offset, **given)
                assert found.solutions == expected.solutions, (name, value, limit, offset)
                assert (found.truncated, found.total) == (expected.truncated, expected.total), (name, value)


@pytest.fixture
def tried(monkeypatch):
    """What the index handed to each query asked of a store with an index: (query's variable, rows
    wanted, [(candidates, last try) in turn])."""
    seen = []

    def recorded(prune, backend, bindings, rows, prologue):
        tries = []
        if backend.index is not None:
            seen.append((prune.variable, rows, tries))
        for chosen, last in choices(prune, backend, bindings, rows, prologue):
            tries.append((len(chosen), last))
            yield chosen, last

    monkeypatch.setattr(sparql, "choices", recorded)
    return seen


def test_the_build_writes_the_index_that_its_graph_gives(real_out, synthetic_out):
    for out in (real_out, synthetic_out):
        store = open_store(out)
        assert (store.path.parent / INDEX_DIR).is_dir()
        assert store.index.files() == index_from_graph(store.store).files()


def test_an_index_reads_back_as_it_was_written(tmp_path, synthetic_out):
    index = open_store(synthetic_out).index
    for name, data in index.files().items():
        (tmp_path / name).write_bytes(data)
    again = LinkIndex.read(tmp_path)
    assert again.files() == index.files()
    talks = again.kinds["talks"]
    talk = talks.members[7]
    assert talks.concepts_of(talk) == index.kinds["talks"].concepts_of(talk)
    assert talk in talks.members_of(talks.concepts_of(talk)[0])


def test_the_index_numbers_talks_and_people_in_the_listings_order(synthetic_out):
    store = open_store(synthetic_out)
    for kind, cls in (("talks", "tg:Talk"), ("people", "schema:Person")):
        ordered = [row[0].value for row in store.store.query(
            SPARQL_PREFIXES + f"SELECT ?x WHERE {{ ?x a {cls} ; schema:position ?p }} ORDER BY ?p")]
        members = store.index.kinds[kind].members
        assert members == [iri for iri in ordered if iri in set(members)]


def test_pages_through_the_index_are_the_query_s_on_the_real_table(real_out, tried):
    _same_pages(real_out, PRUNED, most=19)
    assert tried and all(tries for _, _, tries in tried)  # every page was found through the index


def test_rankings_through_the_index_are_the_query_s_page_by_page(synthetic_out, tried):
    _same_pages(synthetic_out, RANKINGS, most=25)
    talks = len(open_store(synthetic_out).index.kinds["talks"].members)
    kept = [tries[0][0] for _, _, tries in tried if tries]
    # the index did the choosing, and left most talks out: the query ranked a few dozen, not 600
    assert len(kept) == len(tried)
    assert sorted(kept)[len(kept) // 2] < talks // 4


def test_listings_through_the_index_are_the_query_s_page_by_page(synthetic_out, tried):
    _same_pages(synthetic_out, [name for name in PRUNED if name not in RANKINGS], most=12)
    assert tried and all(tries for _, _, tries in tried)
    # the first stretch handed to the query is the page (and the one row that says more follow)
    assert all(tries[0][0] <= rows for _, rows, tries in tried)


def test_the_people_with_most_talks_are_those_above_the_last_and_the_first_of_its_ties():
    people = Postings.from_sets({}, [f"p:{n}" for n in range(8)], [], {f"p:{n}": t for n, t in
                                                                        enumerate([1, 3, 2, 3, 2, 1, 2, 5])})
    # by talks, most first, then in the listings' order: p:7 (5), p:1, p:3 (3), p:2, p:4, p:6 (2), ...
    assert [n.value for n in most_talks(people, 4)] == ["p:1", "p:2", "p:3", "p:7"]
    assert [n.value for n in most_talks(people, 6)] == ["p:1", "p:2", "p:3", "p:4", "p:6", "p:7"]
    assert len(most_talks(people, 20)) == 8


def _stretches(rows: int) -> list[tuple[int, bool, str]]:
    """The stretches a listing hands its query for its first ``rows`` rows, when the index has talks t:00 to
    t:99 linked to c:1 and the query's pattern finds c:1: (length, last try, first talk) each."""
    index = LinkIndex({"http://x/c1": 100}, {
        "talks": Postings.from_sets({f"http://x/t{n:02}": {"http://x/c1"} for n in range(100)},
                                    [f"http://x/t{n:02}" for n in range(100)], ["http://x/c1"]),
        "people": Postings.from_sets({}, [], ["http://x/c1"])})
    backend = SimpleNamespace(index=index, store=ox.Store())
    backend.store.add(ox.Quad(ox.NamedNode("http://x/c1"), ox.NamedNode("http://x/p"), ox.NamedNode("http://x/m")))
    prune = parse_prune("talk among talks linked to ?c in { VALUES ?m { UNDEF } ?c <http://x/p> ?m }", "q")
    return [(len(chosen), last, chosen[0].value)
            for chosen, last in choices(prune, backend, {"m": ox.NamedNode("http://x/m")}, rows, "")]


def test_a_listing_grows_its_stretch_while_the_query_finds_too_few():
    """The index links a talk to every concept it declares or mentions; a listing may count fewer links, so
    its query may find too few rows in a stretch: the stretches are 10, 40, then all 100 talks."""
    assert _stretches(10) == [(10, False, "http://x/t00"), (40, False, "http://x/t00"), (100, True, "http://x/t00")]


def test_a_listing_s_stretch_stops_at_the_most_it_hands_over(monkeypatch):
    """Past MOST_CANDIDATES the query finds its rows alone: the last stretch is that many, not fewer."""
    from talkgraph.store import pruning

    monkeypatch.setattr(pruning, "MOST_CANDIDATES", 50)
    assert [(length, last) for length, last, _ in _stretches(10)] == [(10, False), (40, False), (50, False)]


def test_a_damaged_index_costs_speed_not_answers(tmp_path, synthetic_out, tried):
    import shutil

    out = tmp_path / "out"
    shutil.copytree(synthetic_out, out, symlinks=True)
    current = out.resolve() / "current"
    (current.resolve() / INDEX_DIR / "talks.bin").write_bytes(b"\x01\x02\x03")
    store = open_store(out)
    assert store.index is None  # read once, found damaged, and not used
    talk = _values(store, "talks", 1)[0]
    expected = run_query("similar-talks", store=open_store(out / "graph.nt"), talk=talk)
    assert run_query("similar-talks", store=store, talk=talk).solutions == expected.solutions
    assert tried == []  # no index, so nothing chosen through one


def test_another_build_s_index_is_not_used(tmp_path, real_out, synthetic_out, tried):
    """An index copied in from another build is whole and reads well, but it is not this store's."""
    import shutil

    out = tmp_path / "out"
    shutil.copytree(synthetic_out, out, symlinks=True)
    folder = (out / "current").resolve() / INDEX_DIR
    shutil.rmtree(folder)
    shutil.copytree((real_out / "current").resolve() / INDEX_DIR, folder)
    store = open_store(out)
    assert LinkIndex.read(folder).build and store.index is None
    expected = run_query("speaker-counts", store=open_store(out / "graph.nt"), limit=10)
    assert run_query("speaker-counts", store=store, limit=10).solutions == expected.solutions
    assert tried == []


def test_numbers_out_of_range_are_a_damaged_index():
    people = Postings.from_sets({"p:a": {"c:1"}}, ["p:a"], ["c:1"], {"p:a": 1})
    people.check()
    people.inverse[0] = 5  # a person who is not there
    with pytest.raises(ValueError, match="out of order or out of range"):
        people.check()
    with pytest.raises(ValueError, match="talks per person"):
        Postings.from_sets({"p:a": {"c:1"}}, ["p:a"], ["c:1"], {"p:a": 0}).check()


def test_an_index_that_fails_at_query_time_costs_speed_not_answers(synthetic_out, monkeypatch):
    from talkgraph.store import pruning

    def broken(*args):
        raise IndexError("a number the index does not have")

    monkeypatch.setattr(pruning, "candidates", broken)
    store = open_store(synthetic_out)
    talk = _values(store, "talks", 2)[1]
    expected = run_query("similar-talks", store=open_store(synthetic_out / "graph.nt"), talk=talk)
    assert run_query("similar-talks", store=store, talk=talk).solutions == expected.solutions


@pytest.mark.parametrize("change, words", [
    (("* 1000000) / 1000000", "* 100) / 100"), "says the score is rounded to 1e-06"),
])
def test_a_ranking_s_prune_line_must_say_how_the_query_rounds(tmp_path, change, words):
    from talkgraph.store.catalogue import parse_query_file

    text = get_query("similar-talks").text.replace(*change)
    (tmp_path / "similar.rq").write_text(text, encoding="utf-8")
    with pytest.raises(TalkgraphError, match=words):
        parse_query_file(tmp_path / "similar.rq")


def test_a_listing_s_prune_pattern_must_be_the_query_s_own(tmp_path):
    from talkgraph.store.catalogue import parse_query_file

    text = get_query("talks-by-domain").text
    changed = text.replace("?concept (skos:broader|skos:broadMatch)* ?domain } }", "?concept skos:broader* ?domain } }")
    assert changed != text
    (tmp_path / "domains.rq").write_text(changed, encoding="utf-8")
    with pytest.raises(TalkgraphError, match="is not the query's own"):
        parse_query_file(tmp_path / "domains.rq")


def test_a_deep_page_is_found_by_the_query_alone(synthetic_out, tried, monkeypatch):
    from talkgraph.store import pruning

    monkeypatch.setattr(pruning, "MOST_CANDIDATES", 10)
    store, plain = open_store(synthetic_out), open_store(synthetic_out / "graph.nt")
    talk = _values(store, "talks", 4)[3]
    expected = run_query("similar-talks", store=plain, talk=talk, limit=30)
    assert run_query("similar-talks", store=store, talk=talk, limit=30).solutions == expected.solutions
    expected = run_query("talks-by-method", store=plain, method="machine learning", limit=5, offset=20)
    assert run_query("talks-by-method", store=store, method="machine learning", limit=5,
                     offset=20).solutions == expected.solutions
    assert tried == [("other", 31, []), ("talk", 26, [])]


def test_the_prune_line_is_read_or_refused():
    assert get_query("similar-talks").prune == parse_prune("other like talk among talks, score unit 0.000001", "q")
    assert get_query("potential-collaborators").prune.kind == "people"
    listing = get_query("speakers-by-method").prune
    assert (listing.variable, listing.kind, listing.concept) == ("speaker", "people", "concept")
    assert listing.pattern.startswith("{ VALUES ?method { UNDEF }") and listing.pattern.endswith("}")
    for line in ("other like talk among films, score unit 0.001", "other like talk among talks",
                 "other like talk among talks, score unit 0", "talk among talks linked to concept in { }",
                 "talk among talks linked to ?c in ?c ?p ?o"):
        with pytest.raises(TalkgraphError, match="cannot read '# prune:"):
            parse_prune(line, "q.rq")


def test_a_candidate_slot_holds_every_candidate_and_nothing_else():
    text = "SELECT * WHERE { VALUES ?other { UNDEF } ?other ?p ?o }"
    chosen = (ox.NamedNode("http://example.org/a"), ox.NamedNode("http://example.org/b"))
    assert bind_values(text, {"other": chosen}) == \
        "SELECT * WHERE { VALUES ?other { <http://example.org/a> <http://example.org/b> } ?other ?p ?o }"
    assert bind_values(text, {"other": ()}) == "SELECT * WHERE { VALUES ?other {  } ?other ?p ?o }"
