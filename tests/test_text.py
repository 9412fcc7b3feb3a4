"""Cleaning text: NFC, whitespace, HTML to text and links, slugs."""

from __future__ import annotations

import unicodedata

from hypothesis import given, strategies as st

from graph.text import clean_text, html_to_text, slugify


def test_html_paragraphs_and_links_become_text_and_link_targets():
    text, links = html_to_text('<p>Bayesian deep learning.</p> <p>See <a href="https://zenodo.org/record/4196267">'
                               'https://zenodo.org/record/4196267</a> and <a href="http://bit.ly/decals_viz">'
                               'the viz</a>.</p>')
    assert text == "Bayesian deep learning.\n\nSee https://zenodo.org/record/4196267 and the viz."
    assert links == ["https://zenodo.org/record/4196267", "http://bit.ly/decals_viz"]
    assert "<" not in text


def test_latex_and_comparisons_are_kept_as_written():
    for source in ("more than $10^5$ lenses", "line profiles in H $\\alpha$ and Ca II H&K", "why $c > b > a$ ."):
        assert html_to_text(source)[0] == source


def test_entities_are_decoded_and_bare_urls_are_links():
    assert html_to_text("<p>A &amp; B &lt;3</p>")[0] == "A & B <3"
    assert html_to_text("data at https://example.org/x.")[1] == ["https://example.org/x"]


def test_clean_text_normalises_unicode_and_whitespace():
    decomposed = "Cla\u0301r-Bri\u0301d \t Tohill\u00a0 "
    assert clean_text(decomposed) == "Clár-Bríd Tohill"
    assert unicodedata.is_normalized("NFC", clean_text(decomposed))


def test_slugs_are_readable_ascii():
    assert slugify("Clár-Bríd Tohill") == "clar-brid-tohill"
    assert slugify("Søren Nørgaard") == "soren-norgaard"
    assert slugify("Ольга Иванова") == "olga-ivanova"
    assert len(slugify("word " * 40)) <= 80


@given(st.text())
def test_clean_text_is_idempotent(value):
    once = clean_text(value)
    assert clean_text(once) == once
    assert once == once.strip() and "  " not in once


@given(st.text())
def test_html_to_text_never_fails_and_is_stable_on_its_output_without_markup(value):
    text, links = html_to_text(value)
    assert isinstance(text, str) and all(isinstance(link, str) for link in links)
    if "<" not in text and "&" not in text:
        assert html_to_text(text)[0] == text
