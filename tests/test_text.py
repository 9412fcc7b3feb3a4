"""Cleaning text: NFC, whitespace, HTML to text and links, slugs."""

from __future__ import annotations

import unicodedata

import pytest
from hypothesis import given, strategies as st
from rdflib import URIRef
from rdflib.namespace import DCTERMS

from talkgraph.tables.text import Markup, clean_text, html_to_text, slugify, strip_markup

from conftest import HEADER


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


# ------------------------------------------------------------------ only real markup is removed (#21, part 4)

@pytest.mark.parametrize("source", [
    "Why a<b and c>d in <M> estimates",
    "a<b holds when <T> > 5",
    "see &foo; and R&D, H&K, AT&T; &copy 2020 without its semicolon",
    "ratio <i> over <j>, a lone </b>, and <input> or <source> tokens",
    "<!-- never closed, so not a comment",
    "<b x=1> has an unknown attribute; < p> has a space",
    "\\begin{equation} a < b > c \\end{equation} and $x<y>z$",
    "&#0; and &#xD800; are no characters",
])
def test_text_that_only_looks_like_markup_is_kept_verbatim(source):
    cleaned = strip_markup(source)
    assert cleaned.text == source and not cleaned.removed


@pytest.mark.parametrize("source, text, removed", [
    ("<p>One</p><p>Two</p>", "One\n\nTwo", Markup(tags=4)),
    ("H<sub>2</sub>O and <i>x</i> vs <I>y</I>", "H2O and x vs y", Markup(tags=6)),
    ("a<br>b<br/>c<BR />d", "a\n\nb\n\nc\n\nd", Markup(tags=3)),
    ('<img src="fig.png" alt="a figure">Figure', "Figure", Markup(tags=1)),
    ('<span class="x" data-id=3>kept</span>', "kept", Markup(tags=2)),
    ("A &amp; B &lt;3 &eacute; &#233; &#xE9;", "A & B <3 é é é", Markup(entities=5)),
    ("&lt;p&gt; is text once decoded", "<p> is text once decoded", Markup(entities=2)),
    ("before<!-- a <p> comment -->after", "beforeafter", Markup(comments=1)),
    ("a < b <i>and</i> c > d", "a < b and c > d", Markup(tags=2)),
])
def test_real_markup_is_removed_and_counted(source, text, removed):
    cleaned = strip_markup(source)
    assert (cleaned.text, cleaned.removed) == (text, removed)


def test_link_targets_are_collected_with_their_entities_decoded():
    cleaned = strip_markup('<a href="https://x.org/q?a=1&amp;b=2">data</a> and <a title="t">no href</a>')
    assert cleaned.links == ["https://x.org/q?a=1&b=2"] and cleaned.text == "data and no href"


def test_a_huge_cell_of_unclosed_markup_is_read_in_linear_time():
    import time

    for cell in ('<a href="' * 100_000, "<!--" * 200_000, "a<b and c>d " * 50_000):
        started = time.perf_counter()
        assert strip_markup(cell).text == " ".join(cell.split())
        assert time.perf_counter() - started < 5  # quadratic scanning would take minutes


def test_titles_names_and_abstracts_keep_their_text_and_the_report_counts_the_markup(write_table):
    from talkgraph import build

    path = write_table([
        HEADER,
        ["Ren&eacute;", "<b>Dupont</b>", "Why a<b and c>d in <M> estimates", "", "", "a<b holds when <T> > 5"],
        ["Ada", "Lovelace", "<i>Engines</i> &amp; <!-- draft --> notes", "", "", "<p>One</p><p>Two</p>"],
    ])
    result = build(path, mentions=False, validate=False)
    titles = {str(o) for _, _, o in result.graph.triples((None, DCTERMS.title, None))}
    abstracts = {str(o) for _, _, o in result.graph.triples((None, DCTERMS.abstract, None))}
    names = {str(o) for _, _, o in result.graph.triples((None, URIRef("http://schema.org/name"), None))}
    assert {"Why a<b and c>d in <M> estimates", "Engines & notes"} <= titles
    assert abstracts == {"a<b holds when <T> > 5", "One\n\nTwo"}
    assert "René Dupont" in names
    assert result.counts["markup_removed"] == {"tags": 8, "comments": 1, "entities_decoded": 2, "talks": 2}


def test_text_is_nfc_after_markup_is_taken_out():
    assert strip_markup("e<i></i>\u0301 and e&#769;").text == "\u00e9 and \u00e9"
