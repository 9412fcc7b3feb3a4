"""A listing streamed whole (``--all``) reads its rows from the links index: the same rows as the store's.

talkgraph.store.listing answers ``talks-by-method``, ``talks-by-domain``, ``talks-mentioning`` and
``speakers-by-method`` streamed whole from the index the build writes (the properties of each link,
each talk's title and speakers' names, each person's name and talks). Each is compared here, row for row, with the same query answered by the store
alone (the store opened without its index), on the real table, on a synthetic one with mentions, and
on a table made to trip it: one title given by two speakers, a title with a backslash (and a tab, which
reading makes a space), a name with the list separator in it.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from talkgraph import build, write_outputs
from talkgraph.model.linkindex import INDEX_DIR, LinkIndex, details
from talkgraph.namespaces import SPARQL_PREFIXES
from talkgraph.store import listing
from talkgraph.store.catalogue import get_query, load_catalogue
from talkgraph.store.embedded import EmbeddedStore
from talkgraph.store.pruning import index_from_graph
from talkgraph.store.sparql import open_store, stream_query

from conftest import write_synthetic

LISTINGS = {"talks-by-method": ("method", "SELECT DISTINCT ?x WHERE { ?t tg:declaresMethod|tg:mentions/skos:broader* ?x }"),
            "talks-by-domain": ("domain", "SELECT DISTINCT ?x WHERE { ?t tg:declaresDomain|tg:mentions/"
                                          "(skos:broader|skos:broadMatch)* ?x }"),
            "talks-mentioning": ("concept", "SELECT DISTINCT ?x WHERE { ?t tg:declaresDomain|tg:declaresMethod|"
                                            "tg:declaresSoftware|tg:declaresKeyword|tg:mentions ?x }"),
            "speakers-by-method": ("method", "SELECT DISTINCT ?x WHERE { ?t tg:declaresMethod|tg:mentions/skos:broader* ?x "
                                             ". ?x skos:inScheme <https://w3id.org/talkgraph/vocab/method> }")}


@pytest.fixture(scope="module")
def synthetic_mentions_out(tmp_path_factory):
    """300 synthetic talks, with mentions, written with their index."""
    return write_synthetic(tmp_path_factory.mktemp("listing"), 300, seed=11)


@pytest.fixture(scope="module")
def tricky_out(tmp_path_factory):
    """A table whose rows the index must hold exactly: one title, two talks; odd characters; a duplicate row."""
    folder = tmp_path_factory.mktemp("tricky")
    table = folder / "talks.csv"
    table.write_text(
        "First Name,Surname,Proposed Talk Title,Area of Astronomy Research,Areas of Machine Learning / AI,Abstract\n"
        'Ann,Lee,"Galaxies with\tCNNs \\ and more",Galaxies,Convolutional neural networks,"We classify galaxy '
        'images with a convolutional neural network trained on SDSS."\n'
        'Bo,"Ng; Jr",Galaxies with CNNs,Galaxies,Convolutional neural networks; random forests,We use a random forest.\n'
        'Bo,"Ng; Jr",galaxies  with CNNs,Galaxy evolution,Deep learning,"Deep learning, with a CNN, for galaxy evolution."\n'
        "Cy,Ray,Galaxies with CNNs,Galaxies,Random forests,We use a random forest too.\n"
        "Di,Fox,Stars and Gaussian processes,Stellar astrophysics,Gaussian processes,"
        "We fit light curves of variable stars with Gaussian process regression.\n",
        encoding="utf-8")
    write_outputs(build(table), folder / "out")
    return folder / "out"


@pytest.fixture(scope="module")
def layouts_out(tmp_path_factory):
    """The fifth and sixth development sets (a mixed Keywords column, arXiv classes; a CSV with a Topics
    column) built together, with a vocabulary of one's own whose concept has labels in two languages."""
    folder = tmp_path_factory.mktemp("layouts")
    vocab = folder / "mine.ttl"
    vocab.write_text(
        "@prefix skos: <http://www.w3.org/2004/02/skos/core#> .\n"
        "<https://example.org/method/pineforest> a skos:Concept ; skos:prefLabel \"Pine Forest\"@en, "
        "\"PineForest\"@en-GB ; skos:altLabel \"PineForest\"@en ; skos:broader "
        "<https://w3id.org/talkgraph/vocab/method/anomaly-detection> .\n", encoding="utf-8")
    data = Path(__file__).resolve().parent.parent / "data"
    write_outputs(build([data / "dev-set-5" / "talks.tsv", data / "dev-set-6" / "talks.csv"], vocabularies=[vocab]),
                  folder / "out")
    return folder / "out"


@pytest.mark.parametrize("name", sorted(LISTINGS))
def test_other_layouts_and_a_vocabulary_of_one_s_own_read_back_exactly(name, layouts_out):
    param, values = LISTINGS[name]
    store = open_store(layouts_out)
    asked = [{param: value} for value in _values(store, values)]
    if name != "talks-by-domain":
        asked.append({param: "https://example.org/method/pineforest"} if name != "speakers-by-method"
                     else {param: "anomaly detection"})
    listed = 0
    for params in asked:
        from_index, alone = _both_ways(layouts_out, name, params)
        assert from_index == alone, params
        listed += len(from_index)
    assert listed > 10


def test_a_concept_of_one_s_own_vocabulary_is_listed_by_its_plainest_label(layouts_out):
    _, rows = stream_query("talks-mentioning", store=open_store(layouts_out),
                           params={"concept": "https://example.org/method/pineforest"})
    assert [(row[1].value, row[3].value) for row in rows] == [
        ("Superluminous supernova search with PineForest", "Pine Forest")]  # "en" before "en-GB"


def _values(store, query: str, most: int = 12) -> list[str]:
    """Up to ``most`` concepts the query finds, spread over all of them; those the graph describes."""
    query = query[:query.rindex("}")] + " . ?x skos:inScheme ?scheme }"
    found = sorted(row[0].value for row in store.store.query(SPARQL_PREFIXES + query))
    step = max(1, len(found) // most)
    return found[::step][:most]


def _both_ways(out: Path, name: str, params: dict) -> tuple[list, list]:
    store = open_store(out)
    from_index = listing.index_rows(get_query(name), store, _bindings(store, name, params))
    assert from_index is not None, "the index did not answer: the fast path is not being tested"
    variables, rows = stream_query(name, store=store, params=params)
    alone, alone_rows = stream_query(name, store=EmbeddedStore(store.store), params=params)  # no index
    assert variables == alone
    return list(rows), list(alone_rows)


def _bindings(store, name, params):
    from talkgraph.store.sparql import _prepared

    return _prepared(get_query(name), store, params, True)


def test_the_catalogue_s_listings_are_of_the_templates():
    """A listing edited out of the template's shape would quietly be answered by the store again."""
    shaped = {name for name, query in load_catalogue().items() if listing.listing_shape(query) is not None}
    assert shaped == set(LISTINGS)


@pytest.mark.parametrize("name", sorted(LISTINGS))
def test_a_listing_from_the_index_is_the_store_s_row_for_row(name, real_out, synthetic_mentions_out):
    param, values = LISTINGS[name]
    for out in (real_out, synthetic_mentions_out):
        store = open_store(out)
        asked = [{}] + [{param: value} for value in _values(store, values)]
        listed = 0
        for params in asked:
            from_index, alone = _both_ways(out, name, params)
            assert from_index == alone, (out, params)
            listed += len(from_index)
        assert listed > 10  # the values chosen list talks, so rows were compared


@pytest.mark.parametrize("name", sorted(LISTINGS))
def test_one_title_twice_and_odd_characters_read_back_exactly(name, tricky_out):
    store = open_store(tricky_out)
    assert store.index.files() == index_from_graph(store.store).files()
    param, values = LISTINGS[name]
    for params in [{param: value} for value in _values(store, values)]:
        from_index, alone = _both_ways(tricky_out, name, params)
        assert from_index == alone, params


def test_the_tricky_table_really_is_tricky(tricky_out):
    """One title, two talks and their speakers; the backslash; the name with "; " split as the store splits it."""
    _, rows = stream_query("talks-by-method", store=open_store(tricky_out), params={"method": "machine learning"})
    rows = [(row[1].value, row[2].value, row[4].value) for row in rows]
    assert ("Galaxies with CNNs", "Bo Ng; Jr", "declared; mentioned") in rows
    assert ("Galaxies with CNNs", "Cy Ray", "declared; mentioned") in rows
    assert ("Galaxies with CNNs \\ and more", "Ann Lee", "declared; mentioned") in rows


def test_titles_and_names_with_tabs_and_backslashes_are_kept_by_the_index():
    from talkgraph.model.linkindex import Postings

    talks = Postings.from_sets({"t:1": {"c:1"}}, ["t:1"], ["c:1"])
    people = Postings.from_sets({"p:1": {"c:1"}, "p:2": {"c:1"}}, ["p:1", "p:2"], ["c:1"], {"p:1": 1, "p:2": 1})
    index = LinkIndex.from_links({"c:1": 1}, {"talks": talks, "people": people}, "b:1", {"t:1": {"c:1": 16}},
                                 {"t:1": "A\tB \\ C\nD"}, {"t:1": ["p:1", "p:2"]}, {"p:1": "N\\t", "p:2": "M\rO"})
    (line,) = index.stream_files().talks
    assert "\t" not in line.partition("\t")[0] and details(line) == ("A\tB \\ C\nD", ["M\rO", "N\\t"])
    assert [details(line) for line in index.stream_files().people] == [("N\\t", ["0"]), ("M\rO", ["0"])]


def test_a_query_not_of_the_template_is_left_to_the_store(real_out):
    query = get_query("talks-by-method")
    changed = type(query)(**{**query.__dict__, "text": query.text.replace("GROUP_CONCAT(DISTINCT ?how",
                                                                          "GROUP_CONCAT(?how")})
    assert listing.listing_shape(changed) is None
    assert listing.index_rows(changed, open_store(real_out), {}) is None


def test_damaged_or_missing_streaming_files_leave_the_rows_to_the_store(tmp_path, real_out):
    for damage in ("talks.links.bin", "talks.details.tsv", "people.details.tsv", "all gone"):
        out = tmp_path / damage.replace(" ", "-")
        shutil.copytree(real_out, out, symlinks=True)
        folder = (out / "current").resolve() / INDEX_DIR
        if damage == "all gone":  # an index written before these files were
            for name in ("talks.links.bin", "talks.details.tsv", "people.details.tsv"):
                (folder / name).unlink()
            kept = [line for line in (folder / "build.txt").read_text().splitlines()
                    if not line.endswith(("talks.links.bin", "details.tsv"))]
            (folder / "build.txt").write_text("\n".join(kept) + "\n")
        else:
            (folder / damage).write_bytes((folder / damage).read_bytes()[:-2] + b"xx")
        store = open_store(out)
        assert store.index is not None  # the pages still use it
        for name in ("talks-by-method", "speakers-by-method"):
            assert listing.index_rows(get_query(name), store, _bindings(store, name, {})) is None
            _, rows = stream_query(name, store=store)
            _, alone = stream_query(name, store=EmbeddedStore(store.store))
            assert list(rows) == list(alone)
        assert LinkIndex.read(folder).kinds["talks"].members  # and the rest of the index reads


def test_a_blank_node_for_a_label_is_no_label_either_way(tmp_path, write_table):
    """STR() of a blank node is unbound, so the store leaves such a "label" out of the list cell."""
    vocab = tmp_path / "mine.ttl"
    vocab.write_text("@prefix skos: <http://www.w3.org/2004/02/skos/core#> .\n"
                     "<https://example.org/alpha> a skos:Concept ; skos:prefLabel \"Alpha widget\"@en, "
                     "[ skos:notation \"x\" ] ; skos:broader "
                     "<https://w3id.org/talkgraph/vocab/method/convolutional-neural-network> .\n", encoding="utf-8")
    table = write_table([["Speaker", "Title", "Keywords", "Abstract"], ["Ann Smith", "Alpha talk", "Alpha widget", "Nothing."]])
    write_outputs(build(table, vocabularies=[vocab]), tmp_path / "out")
    from_index, alone = _both_ways(tmp_path / "out", "talks-mentioning", {"concept": "convolutional neural network"})
    assert from_index == alone and [row[3].value for row in from_index] == ["Alpha widget"]


def test_strings_and_comments_in_a_listing_are_read_as_the_engine_reads_them(real_out):
    """A '#' inside a string is no comment, and a string's spacing is its own: the listing still matches
    the template, and the pattern the index runs is the query's own."""
    query = get_query("talks-by-method")
    text = query.text.replace("?concept skos:broader* ?method }",
                              "?concept skos:broader* ?method FILTER(STR(?concept) != 'a  #b') }")
    assert text.count("'a  #b'") == 3  # the prune line's pattern, and the query's two
    changed = type(query)(**{**query.__dict__, "text": text})
    shape = listing.listing_shape(changed)
    assert shape is not None and "'a  #b'" in shape.pattern
    store = open_store(real_out)
    _, rows = listing.index_rows(changed, store, _bindings(store, "talks-by-method", {}))
    _, alone = stream_query(changed, store=EmbeddedStore(store.store))
    assert list(rows) == list(alone) != []


def test_a_person_s_talks_that_are_not_numbers_leave_the_rows_to_the_store(tmp_path, real_out):
    import hashlib

    out = tmp_path / "out"
    shutil.copytree(real_out, out, symlinks=True)
    folder = (out / "current").resolve() / INDEX_DIR
    people = folder / "people.details.tsv"
    lines = people.read_text(encoding="utf-8").split("\n")
    lines[0] = lines[0].rsplit("\t", 1)[0] + "\tzero"
    people.write_text("\n".join(lines), encoding="utf-8")
    digest = hashlib.sha256(people.read_bytes()).hexdigest()
    build_txt = folder / "build.txt"
    build_txt.write_text("".join(f"{digest}  people.details.tsv\n" if line.endswith("  people.details.tsv") else
                                 f"{line}\n" for line in build_txt.read_text().splitlines()))
    store = open_store(out)
    assert store.index is not None and store.index.stream_files() is None
    _, rows = stream_query("speakers-by-method", store=store)
    _, alone = stream_query("speakers-by-method", store=EmbeddedStore(store.store))
    assert list(rows) == list(alone)


def test_an_index_from_a_build_with_other_options_is_not_used(tmp_path):
    """Built from the same table without mentions, a build has another IRI, so its index copied in is not
    taken for this build's (it would list the talks without their mentions)."""
    from talkgraph.model.linkindex import INDEX_DIR

    table = Path(__file__).resolve().parent.parent / "data" / "talks.tsv"
    write_outputs(build(table), tmp_path / "with")
    write_outputs(build(table, mentions=False), tmp_path / "without")
    mine, theirs = ((tmp_path / name / "current").resolve() / INDEX_DIR for name in ("with", "without"))
    assert (mine / "build.txt").read_text().split("\n")[0] != (theirs / "build.txt").read_text().split("\n")[0]
    shutil.rmtree(mine)
    shutil.copytree(theirs, mine)
    store = open_store(tmp_path / "with")
    assert store.index is None
    _, rows = stream_query("talks-by-method", store=store)
    assert any("mentioned" in row[4].value for row in rows)

