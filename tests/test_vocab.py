"""The SKOS vocabularies: coverage, hierarchy, matching, and labels as data."""

from __future__ import annotations

import pytest

from talkgraph.errors import VocabularyError
from talkgraph.vocab.keywords import Term, split_cell
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
    assert len(vocab.in_scheme("domain")) >= 80


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
    ("Submm", "domain", ["submillimetre astronomy"]),
    ("Submm Galaxies", "domain", ["submillimetre galaxies"]),
    ("Extragalactic FIR", "domain", ["extragalactic astronomy", "far-infrared astronomy"]),
    ("TensorFlow", "method", ["TensorFlow"]),  # software named among methods goes to the software scheme
    ("Bayesian Optimisation", "method", ["Bayesian optimisation"]),
    ("fast radio bursts", "domain", ["fast radio bursts"]),
    ("transient astronomy", "domain", ["time-domain astronomy"]),
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
    with pytest.raises(VocabularyError, match="not valid Turtle"):
        load_vocabulary((extra,))
