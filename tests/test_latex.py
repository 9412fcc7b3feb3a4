"""Abstracts with LaTeX read as a reader reads them (graph/tables/latex.py), for mentions; the offsets
of mentions are those of the text as written."""

from __future__ import annotations

import pytest

from talkgraph.tables.latex import reading


@pytest.mark.parametrize("written, read", [
    ("$\\gamma$-ray bursts", "γ-ray bursts"),
    ("a non-flat $\\Lambda$CDM model", "a non-flat ΛCDM model"),
    ("H$\\alpha$ emitters and the Ly$\\alpha$ forest", "Hα emitters and the Lyα forest"),
    ("$T_{\\rm eff}$ and $\\log g$", "T_eff and log g"),  # fonts and braces go; an operator is its name
    ("$T_{\\texttt{eff}}$ and $\\mathrm{[Fe/H]}$", "T_eff and [Fe/H]"),  # a text font in math is a font
    ("$\\sin i$ and $\\log(g)$", "sin i and log(g)"),  # the space after an operator's name is kept
    ("$\\vec B$ and $\\hat{x}$", "\\vec B and \\hatx"),  # other commands stay as written (braces go)
    ("$0.8\\,M_{\\odot}$ stars", "0.8M_⊙ stars"),
    ("data from \\textit{Gaia} and \\emph{TESS}", "data from Gaia and TESS"),
    ("a 5\\% error", "a 5% error"),
    ("costs $5 and $10", None),  # no math: two dollar amounts on one line read as written…
    ("plain text", None),
])
def test_latex_reads_as_text(written, read):
    found = reading(written)
    assert (found.text if found else None) == read


def test_each_character_read_comes_from_the_text_as_written():
    written = "Limits on $\\Lambda$CDM from $\\gamma$-ray data"
    found = reading(written)
    at = found.text.index("ΛCDM")
    assert written[slice(*found.span(at, at + 4))] == "$\\Lambda$CDM"
    at = found.text.index("γ-ray")
    assert written[slice(*found.span(at, at + 5))] == "$\\gamma$-ray"
    starts = [found.span(i, i + 1)[0] for i in range(len(found.text))]
    assert all(a <= b for a, b in zip(starts, starts[1:]))
    assert [written[slice(*found.span(i, i + 1))] for i in range(len("Limits on "))] == list("Limits on ")


def test_mentions_in_latex_have_the_offsets_of_the_text_as_written():
    from talkgraph.link.mentions import MentionExtractor
    from talkgraph.vocab.vocabulary import load_vocabulary

    abstract = "We classify $\\gamma$-ray bursts, H$\\alpha$ emitters and \\textit{Gaia} sources in a $\\Lambda$CDM universe."
    mentions = MentionExtractor(load_vocabulary()).extract("", abstract)
    assert all(abstract[m.start:m.end] == m.text for m in mentions)
    found = {m.text: m.concept.rsplit("/", 1)[-1] for m in mentions}
    assert found["$\\gamma$-ray bursts"] == "629"  # UAT Gamma-ray bursts
    assert found["Gaia"] == "gaia"
    assert found["$\\Lambda$CDM"] == "lambda-cdm"
