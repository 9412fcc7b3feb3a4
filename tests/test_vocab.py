"""The SKOS vocabularies: coverage, hierarchy, matching, and labels as data."""

from __future__ import annotations

import pytest

from talkgraph.errors import VocabularyError
from talkgraph.vocab.keywords import Term, match_key, split_cell
from talkgraph.tables.table import read_table
from talkgraph.vocab.vocabulary import load_vocabulary

from conftest import REAL_TABLE

M = "https://w3id.org/talkgraph/vocab/method/"
D = "https://w3id.org/talkgraph/vocab/domain/"


@pytest.fixture(scope="module")
def vocab():
    return load_vocabulary()


def labels(match):
    return [c.pref_label for c in match.concepts] if match else None


def test_schemes_cover_the_field(vocab):
    assert len(vocab.in_scheme("method")) >= 120
    assert len(vocab.in_scheme("uat")) >= 2000  # the Unified Astronomy Thesaurus, the astronomy topics


def test_the_domain_scheme_keeps_only_what_uat_lacks_each_under_a_uat_concept(vocab):
    """Issue #17: each own domain concept has a skos:broadMatch into UAT (the top concept, astronomy,
    has none: UAT has no root concept), and none shares a label with a UAT concept."""
    broad = {(t.subject.value, t.object.value) for t in vocab.triples
             if t.predicate.value == "http://www.w3.org/2004/02/skos/core#broadMatch"}
    uat_keys = {match_key(label) for c in vocab.in_scheme("uat") for label in c.labels}
    domain = vocab.in_scheme("domain")
    # a small scheme beside UAT's 2,000 concepts: only what UAT lacks (instrument science and the space physics
    # around planets are most of it)
    assert 20 <= len(domain) <= 200
    for concept in domain:
        targets = [o for s, o in broad if s == concept.iri]
        if concept.iri != D + "astronomy":
            assert targets and all(vocab.concepts[o].scheme == "uat" for o in targets), concept.iri
        assert concept.pref_label == "astronomy" or match_key(concept.pref_label) not in uat_keys, concept.iri


def test_every_term_of_the_real_table_maps_to_a_concept(vocab):
    unmapped = []
    for row in read_table(REAL_TABLE).rows():
        for column, scheme in (("domains", "domain"), ("methods", "method")):
            unmapped += [t.text for t in split_cell(row.cells[column]) if vocab.match(t, scheme) is None]
    assert unmapped == []


@pytest.mark.parametrize("text, scheme, expected", [
    ("CNN", "method", ["convolutional neural network"]),
    ("Convolutional Neural Networks", "method", ["convolutional neural network"]),
    ("Timeseries classification", "method", ["time series classification"]),
    ("Submm", "domain", ["Submillimeter astronomy"]),
    ("Submm Galaxies", "domain", ["submillimetre galaxies"]),
    ("Extragalactic FIR", "domain", ["Extragalactic astronomy", "Far infrared astronomy"]),
    ("blazars", None, ["Blazars"]),  # any UAT concept, by its label
    ("Galaxy morphology", "domain", ["Galaxy classification systems"]),  # by a UAT altLabel
    ("TensorFlow", "method", ["TensorFlow"]),  # software named among methods goes to the software scheme
    ("Bayesian Optimisation", "method", ["Bayesian optimisation"]),
    ("fast radio bursts", "domain", ["Radio transient sources"]),  # a UAT altLabel
    ("transient astronomy", "domain", ["Time domain astronomy"]),  # a label of ours for a UAT concept
])
def test_variants_map_to_the_right_concept(vocab, text, scheme, expected):
    assert labels(vocab.match(Term((text,)), scheme)) == expected


def test_unknown_terms_do_not_match(vocab):
    assert vocab.match(Term(("Quantum annealing",)), "method") is None


def ancestors(vocab, iri):
    seen, todo = set(), [iri]
    while todo:
        for parent in vocab.concepts[todo.pop()].broader:
            if parent not in seen:
                seen.add(parent)
                todo.append(parent)
    return seen


def test_hierarchy_unet_to_machine_learning(vocab):
    assert vocab.concepts[M + "u-net"].broader == [M + "convolutional-neural-network", M + "semantic-segmentation"]
    assert M + "deep-learning" in vocab.concepts[M + "convolutional-neural-network"].broader
    assert M + "machine-learning" in vocab.concepts[M + "deep-learning"].broader
    assert set(vocab.concepts[M + "bayesian-deep-learning"].broader) == {M + "deep-learning", M + "bayesian-inference"}


def test_hierarchies_have_no_cycles(vocab):
    for iri in vocab.concepts:
        assert iri not in ancestors(vocab, iri), f"{iri} is its own ancestor"


def test_an_altlabel_in_turtle_teaches_the_matcher(tmp_path):
    extra = tmp_path / "extra.ttl"
    extra.write_text('@prefix skos: <http://www.w3.org/2004/02/skos/core#> .\n'
                     f'<{M}random-forest> skos:altLabel "forest of decision trees"@en .\n', encoding="utf-8")
    assert load_vocabulary().match(Term(("Forests of decision trees",)), "method") is None
    assert labels(load_vocabulary((extra,)).match(Term(("Forests of decision trees",)), "method")) == ["random forest"]


def test_two_concepts_sharing_a_label_is_an_error(tmp_path):
    extra = tmp_path / "clash.ttl"
    extra.write_text('@prefix skos: <http://www.w3.org/2004/02/skos/core#> .\n'
                     f'<{M}k-means> skos:altLabel "Random Forests"@en .\n', encoding="utf-8")
    with pytest.raises(VocabularyError, match="both match"):
        load_vocabulary((extra,))


def test_bad_vocabulary_turtle_is_a_clear_error(tmp_path):
    extra = tmp_path / "broken.ttl"
    extra.write_text("this is not turtle", encoding="utf-8")
    with pytest.raises(VocabularyError, match="not (a )?valid Turtle"):
        load_vocabulary((extra,))
