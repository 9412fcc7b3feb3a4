"""Splitting keyword cells and the matching key (pure functions; property-tested)."""

from __future__ import annotations

import pytest
from hypothesis import given, strategies as st

from talkgraph.vocab.keywords import Term, match_key, split_cell
from talkgraph.vocab.wordforms import singular


def texts(cell):
    return [t.text for t in split_cell(cell)]


@pytest.mark.parametrize("cell, expected", [
    ("Unsupervised Learning, Bayesian Inference", ["Unsupervised Learning", "Bayesian Inference"]),
    ("solar-terrestrial physics; solar events", ["solar-terrestrial physics", "solar events"]),
    ("Deep learning/Bayesian deep learning", ["Deep learning", "Bayesian deep learning"]),
    ("Supervised and unsupervised learning", ["Supervised learning", "unsupervised learning"]),
    ("Extragalactic FIR,", ["Extragalactic FIR"]),
    ("Extragalactic (optical and radio), fast radio bursts", ["Extragalactic", "optical", "radio", "fast radio bursts"]),
    ("U-Net, Convolutional Neural Network, Deep learning, Image processing",
     ["U-Net", "Convolutional Neural Network", "Deep learning", "Image processing"]),
    ("Stars & planets", ["Stars", "planets"]),
    ("e.g. CNNs, GANs etc.", ["CNNs", "GANs"]),
    ("", []), (" , ; / ", []),
    # AGU's index terms carry AGU's numbers, which are no UAT identifiers: the words are the keywords
    ("1942 Machine learning; 7924 Forecasting; 6250 Moon", ["Machine learning", "Forecasting", "The Moon"]),
    ("98.80.Es Observational cosmology, 85A40 Cosmology", ["Observational cosmology", "Cosmology"]),
    ("510104 Galactic astronomy; 4611 Machine Learning", ["Galactic astronomy", "Machine Learning"]),  # ANZSRC's
    # a meeting's coded topic list (EDAS): the track's letter and the topic's number are no part of the topic
    ("T2.2 X-ray and gamma-ray astronomy; T4.10 Image segmentation", ["X-ray astronomy", "gamma-ray astronomy",
                                                                       "Image segmentation"]),
    # a suspended hyphen takes the rest of the last conjunct's first word, after its hyphen or its prefix
    ("early- and late-type galaxies", ["early-type galaxies", "late-type galaxies"]),
    ("Semi- and unsupervised learning", ["Semi-supervised learning", "unsupervised learning"]),
    # a lone plural is a noun of its own, which shares no head; an object named in a journal keyword is itself
    ("Exoplanets and planet formation", ["Exoplanets", "planet formation"]),
    ("galaxies: individual: Andromeda", ["Andromeda"]),
    # a checkbox question's options, joined by Google Forms: their bracketed examples are the option's, not the talk's
    ("Deep learning (CNNs, transformers, ...), Classical ML (random forests, SVMs, etc.)", ["Deep learning", "Classical ML"]),
])
def test_real_and_messy_cells_split_into_terms(cell, expected):
    assert texts(cell) == expected


def test_and_shares_the_head_noun_but_keeps_the_bare_word_as_a_fallback():
    first, second = split_cell("AI and machine learning")
    assert first.variants == ("AI learning", "AI") and second.variants == ("machine learning",)


def test_parenthesised_qualifiers_are_marked():
    assert [(t.text, t.qualifier) for t in split_cell("Gaussian Process Regression (GPR)")] == [
        ("Gaussian Process Regression", False), ("GPR", True)]


def test_duplicates_within_a_cell_are_kept_once():
    assert texts("CNN, CNNs, cnn") == ["CNN"]


@pytest.mark.parametrize("a, b", [
    ("CNN", "CNNs"), ("Convolutional Neural Networks", "convolutional neural network"),
    ("neural-network", "Neural Networks"), ("Galaxies", "galaxy"), ("Gaussian Processes", "gaussian process"),
    ("Optimisation", "optimization"), ("submillimetre", "Submillimeter"), ("Newton's law", "newton law"),
    ("Exoplanet characterisation", "exoplanet characterization"), ("lenses", "lens"), ("Supernovae", "supernova"),
])
def test_match_key_ignores_case_plural_hyphens_and_spelling(a, b):
    assert match_key(a) == match_key(b)


@pytest.mark.parametrize("word", ["physics", "series", "timeseries", "analysis", "bias", "gas", "mass", "process"])
def test_singular_leaves_words_that_only_look_plural(word):
    assert singular(word) == word


keyword_text = st.text(alphabet=st.characters(blacklist_categories=("Cs",)), max_size=80)


@given(keyword_text)
def test_split_never_yields_empty_or_padded_terms(cell):
    for term in split_cell(cell):
        for variant in term.variants:
            assert variant and variant == variant.strip()


@given(keyword_text)
def test_match_key_is_idempotent(text):
    key = match_key(text)
    assert match_key(key) == key


@given(st.lists(st.sampled_from(["CNN", "deep learning", "Galaxies", "radio", "U-Net", "active learning"]),
                min_size=1, max_size=5, unique=True),
       st.sampled_from([", ", "; ", "/", " , "]))
def test_joining_terms_and_splitting_gives_them_back(terms, separator):
    assert texts(separator.join(terms)) == terms


# ------------------------------------------------------------------ journal keywords ("category: subterm")

@pytest.mark.parametrize("cell, expected", [
    ("galaxies: evolution", [["galaxy evolution", "galactic evolution", "evolution galaxies", "evolution of galaxies",
                             "evolution"]]),
    ("Sun: faculae, plages", [["solar faculae", "faculae sun", "faculae of sun", "faculae"],
                              ["solar plages", "plages sun", "plages of sun", "plages"]]),
    ("methods: data analysis – techniques: photometric", [["Astronomy data analysis"], ["Photometry"]]),
    ("stars: general, stars: individual (CG Cyg B)", [["stars"], ["CG Cyg B"]]),
    ("(galaxies:) quasars: general", [["quasars"]]),
    ("gravitational lensing: strong – galaxies: elliptical and lenticular, cD",
     [["strong gravitational lensing", "strong of gravitational lensing", "strong"],
      ["galaxy elliptical", "galactic elliptical", "elliptical galaxies", "elliptical of galaxies", "elliptical"],
      ["galaxy lenticular", "galactic lenticular", "lenticular galaxies", "lenticular of galaxies", "lenticular"],
      ["galaxy cD", "galactic cD", "cD galaxies", "cD of galaxies", "cD"]]),
    ("Deep learning · Big data", [["Deep learning"], ["Big data"]]),  # a middle dot separates too
    ("Machine Learning—Interpretable Models", [["Machine Learning"], ["Interpretable Models"]]),  # an em-dash, unspaced
    # MNRAS since 2024: the keyword, then its category in the thesaurus, which is no keyword of the paper
    ("fast radio bursts < Transients", [["fast radio bursts"]]),
    ("cosmological parameters - gamma-ray bursts", [["cosmological parameters"], ["gamma-ray bursts"]]),
    # a line copied without its separators: a category and its colon after a word start a keyword
    ("planets and satellites: detection methods: data analysis techniques: photometric",
     [["Exoplanet detection methods"], ["Astronomy data analysis"], ["Photometry"]]),
    ("gamma-rays: galaxies: clusters", [["Gamma-ray astronomy"], ["Galaxy clusters"]]),  # one keyword, two concepts
])
def test_journal_keywords_are_read_within_their_category(cell, expected):
    assert [list(t.variants) for t in split_cell(cell)] == expected


def test_each_journal_crosswalk_label_names_one_uat_concept():
    """Or one of the project's domain concepts, for what UAT lacks ("binary neutron stars")."""
    from talkgraph.vocab.journals import rules
    from talkgraph.vocab.vocabulary import load_vocabulary

    concepts = load_vocabulary().concepts.values()
    for keyword, labels in rules()["crosswalk"].items():
        for label in [labels] if isinstance(labels, str) else labels:
            named = [c for c in concepts if c.is_preferred(label)]
            assert len(named) == 1 and named[0].scheme in ("uat", "domain"), (keyword, label)


@pytest.mark.parametrize("cell, expected", [
    ("galaxies: distances and redshifts", {"590", "1379"}),  # Galaxy distances, Redshifted (not Redshift surveys)
    ("stars: fundamental parameters", {"555"}),  # Fundamental parameters of stars
    ("galaxies: photometric", {"611"}),  # Galaxy photometry
    ("Sun: granulation, photosphere", {"1498", "1518"}),
    ("galaxies: elliptical and lenticular, cD", {"456", "915", "209"}),
])
def test_journal_keywords_link_the_uat_concepts_they_name(cell, expected):
    from talkgraph.vocab.vocabulary import load_vocabulary

    vocab = load_vocabulary()
    found = {c.iri.rsplit("/", 1)[1] for t in split_cell(cell) if (m := vocab.match(t, "domain")) for c in m.concepts}
    assert expected <= found, found
