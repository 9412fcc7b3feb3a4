"""Word-form rules (graph/vocab/wordforms.json): each rule does what its example says, in both uses."""

from __future__ import annotations

import pytest

from talkgraph.vocab.keywords import match_key
from talkgraph.vocab.wordforms import (adjective_form, key_word, label_variants, plural_form, respellings, rules_data, singular,
                                       singular_form)

DATA = rules_data()
KEY, VARIANTS = DATA["key"], DATA["variants"]


def ids(rules):
    return [rule.get("ending", rule.get("pattern")) or "(default)" for rule in rules]


@pytest.mark.parametrize("rule", KEY["singular"], ids=ids(KEY["singular"]))
def test_each_key_singular_rule(rule):
    word, expected = rule["example"]
    assert singular(word) == expected


@pytest.mark.parametrize("rule", KEY["spelling"], ids=ids(KEY["spelling"]))
def test_each_key_spelling_rule(rule):
    british, american = rule["example"]
    assert key_word(british) == key_word(american) == american
    assert match_key(british) == match_key(american)


@pytest.mark.parametrize("plural, one", sorted(KEY["irregular"].items()))
def test_each_irregular_plural_has_its_singular(plural, one):
    assert singular(plural) == one


@pytest.mark.parametrize("word", KEY["invariant"])
def test_each_invariant_word_stays_as_it_is(word):
    assert singular(word) == word


@pytest.mark.parametrize("ending", KEY["singular_unchanged_endings"])
def test_words_with_an_unchanged_ending_are_not_singularised(ending):
    assert singular("zzz" + ending) == "zzz" + ending


@pytest.mark.parametrize("rule", VARIANTS["plural"], ids=ids(VARIANTS["plural"]))
def test_each_plural_variant_rule(rule):
    word, expected = rule["example"]
    assert plural_form(word) == expected
    assert expected in label_variants(word)


def test_the_plural_after_a_vowel_and_y_just_adds_s():
    assert plural_form("survey") == "surveys" and plural_form("ray") == "rays"


@pytest.mark.parametrize("ending", VARIANTS["no_plural_endings"])
def test_words_with_a_no_plural_ending_take_no_plural(ending):
    assert plural_form("zzz" + ending) is None and plural_form("Zzz" + ending.upper()) is None


@pytest.mark.parametrize("rule", VARIANTS["singular"], ids=ids(VARIANTS["singular"]))
def test_each_singular_variant_rule(rule):
    word, expected = rule["example"]
    assert singular_form(word) == expected
    assert expected in label_variants(word)


@pytest.mark.parametrize("ending", VARIANTS["singular_unchanged_endings"])
def test_words_with_an_unchanged_ending_have_no_singular_variant(ending):
    assert singular_form("zzz" + ending) is None


@pytest.mark.parametrize("british, american", VARIANTS["spelling"])
def test_each_spelling_pair_goes_both_ways(british, american):
    assert american in respellings(british) and british in respellings(american)
    assert "deep " + american in label_variants("deep " + british)


def test_a_short_spelling_ending_needs_a_stem():
    assert respellings("rise") == respellings("noise") == set() and respellings("promise") == {"promize"}
    assert respellings("metre") == {"meter"}  # the whole word: no stem needed


@pytest.mark.parametrize("label, expected", [
    ("neural network", {"neural network", "neural networks", "neural-network", "neural-networks"}),
    ("auto-encoder", {"auto-encoder", "auto encoder", "autoencoder", "auto-encoders", "auto encoders",
                      "autoencoders"}),
    ("CNN", {"CNN"}),  # a word in capitals keeps its form
    ("galaxy survey", {"galaxy survey", "galaxy surveys", "galaxy-survey", "galaxy-surveys"}),
])
def test_label_variants_cover_hyphens_and_number(label, expected):
    assert label_variants(label) == expected


def test_the_two_uses_agree_on_the_forms_they_share():
    """A label and each of its variants share one matching key, so a keyword cell and prose link
    the same concept whichever form they write; but the word order of "HEAD of MODIFIER", which
    only prose reorders so, and the other nouns of a head ("Bayesian optimiser"), which only prose uses."""
    from talkgraph.vocab.wordforms import head_noun_forms, of_phrases

    for label in ("convolutional neural network", "Bayesian optimisation", "colour-magnitude diagram",
                  "galaxy", "spectral energy distribution"):
        reordered = {form for base in label_variants(label) for form in of_phrases(base)}
        reordered |= {respelt for form in head_noun_forms(label) for respelt in label_variants(form)}
        assert {match_key(form) for form in label_variants(label) - reordered} == {match_key(label)}, label


@pytest.mark.parametrize("rule", VARIANTS["adjectives"], ids=ids(VARIANTS["adjectives"]))
def test_each_adjective_variant_rule(rule):
    word, expected = rule["example"]
    assert adjective_form(word.rsplit(" ", 1)[-1].lower()) == expected.rsplit(" ", 1)[-1]
    assert expected in label_variants(word)


#: The variant rules of wordforms.json whose examples are (label, a form it is also written in), and whose
#: "not" lists are (label, a form it is never written in): greek letters, HEAD of MODIFIER, a study by what
#: it studies and a field by its other name, prefixes closed up and opened, number words as digits.
EXAMPLE_RULES = ("greek", "of_phrase", "head_nouns", "closed_prefixes", "opened_prefixes", "numerals")


@pytest.mark.parametrize("rule, label, written", [(rule, label, written) for rule in EXAMPLE_RULES
                                                  for label, written in VARIANTS[rule]["examples"]])
def test_each_variant_rule_writes_its_examples(rule, label, written):
    assert written in label_variants(label)


@pytest.mark.parametrize("rule, label, never", [(rule, label, never) for rule in EXAMPLE_RULES
                                                for label, never in VARIANTS[rule].get("not", [])])
def test_no_variant_rule_writes_its_counter_examples(rule, label, never):
    assert never not in label_variants(label)


def test_the_variant_rules_keep_to_their_words():
    assert not {"spectra", "spectrum"} & label_variants("Spectroscopy")  # a one-word study is not its objects
    assert "nonGaussianity" not in label_variants("non-Gaussianity")  # a capital after the hyphen stays apart


@pytest.mark.parametrize("label, adjective", VARIANTS["plural_only"]["examples"])
def test_a_plural_made_of_an_adjective_is_matched_only_in_the_plural(label, adjective):
    assert label in label_variants(label) and adjective not in label_variants(label)
    assert singular_form("galaxies") == "galaxy"  # the others still have their singular


def test_only_number_words_joined_to_the_next_word_become_digits():
    from talkgraph.vocab.wordforms import numeral_forms

    assert numeral_forms("one of two regimes") == "one of two regimes"
    assert numeral_forms("Two-Point statistics") == "2-Point statistics"
    assert numeral_forms("someone-else") == "someone-else"
    assert numeral_forms("ten-twenty") == "10-twenty"


def test_greek_letters_join_only_short_parts_and_acronyms():
    from talkgraph.vocab.wordforms import greek_forms

    assert greek_forms("Soft gamma-ray repeaters") == {"Soft γ-ray repeaters"}  # no "γray"
    assert "Lymanα forest" not in greek_forms("Lyman alpha forest")
    assert greek_forms("Alpha Cygni variable stars") == {"α Cygni variable stars"}
    assert greek_forms("Cosmic rays") == set()


def test_a_label_ending_in_an_acronym_takes_its_plural_with_a_small_s():
    from talkgraph.vocab.wordforms import label_variants

    assert "bidirectional LSTMs" in label_variants("bidirectional LSTM")
    assert label_variants("GPS") == {"GPS"}  # an acronym alone: its plural is the exact matcher's ("CNNs")
    assert "Sloan DSSs" not in label_variants("Sloan DSS")  # one ending in S takes none

