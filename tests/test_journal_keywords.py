"""Every keyword of the journals' common keyword list links the concepts it stands for (#17, part 6).

tests/data/journal_keywords.tsv holds the list (MNRAS, A&A, ApJ and RAA print the same one) and, for
each keyword, the concepts decided by reading the Unified Astronomy Thesaurus, or "unmapped" where
UAT has none. Each keyword is a talk's keyword cell, in the astronomy column and in a mixed
"Keywords" column; it must link exactly those concepts (graph/vocab/journals.py reads it, with the
crosswalk of graph/vocab/journal_keywords.json where its words do not compose).
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from talkgraph.link.cells import KeywordLinker
from talkgraph.namespaces import UAT, VOCAB
from talkgraph.tables.records import Record
from talkgraph.vocab.vocabulary import load_vocabulary

LIST = Path(__file__).parent / "data" / "journal_keywords.tsv"
BASE = "https://example.org/id/"
#: "(stars:) brown dwarfs": the category in brackets is for reference; papers print "brown dwarfs"
_REFERENCE_CATEGORY = re.compile(r"^\([^()]*:\)\s*")


def _read_list() -> list[tuple[str, frozenset[str]]]:
    rows = []
    for line in LIST.read_text(encoding="utf-8").splitlines():
        if line.strip() and not line.startswith("#"):
            keyword, concepts, *_labels = line.split("\t")
            rows.append((keyword, frozenset() if concepts == "unmapped" else frozenset(concepts.split())))
    return rows


KEYWORDS = _read_list()


@pytest.fixture(scope="module")
def vocab():
    return load_vocabulary()


def _short(iri: str) -> str:
    """``1668`` for a UAT concept, ``domain:binary-neutron-stars`` for one of ours, ``candidate`` for none."""
    if iri.startswith(str(UAT)):
        return iri[len(str(UAT)):]
    if iri.startswith(str(VOCAB)):
        return iri[len(str(VOCAB)):].replace("/", ":", 1)
    return "candidate"


def expected_links(vocab, concepts: frozenset[str]) -> set[str]:
    """The list's concepts as the build links them; "unmapped" is a candidate."""
    return set(concepts) or {"candidate"}


def as_listed(vocab, found: set[str], concepts: frozenset[str]) -> set[str]:
    """``found`` with each of the project's concepts that is, or is close to, one of ``concepts`` of UAT
    written as that UAT concept: rule 1 of docs/vocabularies.md links the project's instead."""
    ours = {_short(o.iri): c for c in concepts if c.isdigit() and (o := vocab.ours_for(str(UAT[c])))}
    return {ours.get(link, link) for link in found}


def linked(vocab, cell: str, column: str) -> set[str]:
    """What a talk whose ``column`` cell is ``cell`` links, as in the list's second column."""
    cells = {"domains": "", "methods": "", "keywords": ""} | {column: cell}
    record = Record("t.tsv", 2, "A talk", "Ada", "Lovelace", "", [], cells["domains"], cells["methods"],
                    cells["keywords"])
    return {_short(link.iri) for link in KeywordLinker(vocab, BASE).link(record)}


def forms(keyword: str) -> list[str]:
    """The keyword as the list gives it and, when its category is only for reference, as papers print it."""
    printed = _REFERENCE_CATEGORY.sub("", keyword)
    return [keyword] if printed == keyword else [keyword, printed]


def test_the_list_is_whole_and_each_keyword_once():
    keywords = [keyword for keyword, _ in KEYWORDS]
    assert len(keywords) == len(set(keywords)) > 350
    assert {"galaxies: evolution", "methods: data analysis", "(stars:) brown dwarfs", "X-rays: binaries",
            "transients: tidal disruption events"} <= set(keywords)


@pytest.mark.parametrize("column", ["domains", "keywords"])
@pytest.mark.parametrize("keyword, expected", KEYWORDS, ids=[keyword for keyword, _ in KEYWORDS])
def test_each_journal_keyword_links_the_concepts_it_stands_for(vocab, keyword, expected, column):
    for cell in forms(keyword):  # an unmapped keyword is kept for review, never linked to a concept by chance
        assert as_listed(vocab, linked(vocab, cell, column), expected) == expected_links(vocab, expected), (cell, column)


@pytest.mark.parametrize("american, british", [
    ("accretion, accretion disks", "accretion, accretion discs"),
    ("protoplanetary disks", "protoplanetary discs"),
    ("planet–disk interactions", "planet–disc interactions"),
    ("catalogs", "catalogues"),
    ("astronomical databases: miscellaneous", "astronomical data bases: miscellaneous"),
    ("Galaxy: center", "Galaxy: centre"),
    ("Galaxy: disk", "Galaxy: disc"),
    ("solar neighborhood", "(Galaxy:) solar neighbourhood"),
    ("galaxies: halos", "galaxies: haloes"),
    ("gamma rays: galaxies", "gamma-rays: galaxies"),
    ("gamma rays: general", "gamma-rays: general"),
    ("submillimeter: ISM", "submillimetre: ISM"),
    ("submillimeter: galaxies", "submillimetre: galaxies"),
    ("large-scale structure of universe", "(cosmology:) large-scale structure of Universe"),
    ("stars: binaries: eclipsing", "(stars:) binaries: eclipsing"),  # the reference category written out
    ("stars: oscillations (including pulsations)", "stars: oscillations"),  # with its reference note
    ("stars: binaries (including multiple): close", "(stars:) binaries: close"),
    ("Stars: Neutron", "stars: neutron"),  # ADS and some journals capitalise
    ("GALAXIES: CLUSTERS: INTRACLUSTER MEDIUM", "galaxies: clusters: intracluster medium"),
])
def test_other_spellings_of_a_keyword_link_the_same(vocab, american, british):
    expected = dict(KEYWORDS)[british]
    assert as_listed(vocab, linked(vocab, american, "domains"), expected) == expected_links(vocab, expected)


def test_a_cell_of_several_journal_keywords_links_each(vocab):
    cell = "galaxies: evolution – gamma-rays: galaxies – methods: data analysis – binaries: eclipsing"
    assert linked(vocab, cell, "domains") == {"594", "628", "573", "1858", "444"}


def test_a_keyword_whose_category_carries_over_is_looked_up_whole_and_a_final_period_does_not_matter(vocab):
    """MNRAS lets a semicolon share a category ("galaxies: active; distances and redshifts"), and a cell
    often ends with a period: both are the crosswalk's whole keyword, not its words split on "and"."""
    whole = linked(vocab, "galaxies: distances and redshifts", "domains")
    assert whole == {"590", "1379"}
    assert linked(vocab, "methods: statistical - galaxies: distances and redshifts.", "domains") >= whole
    assert linked(vocab, "galaxies: active; distances and redshifts", "domains") >= whole
    assert "1378" not in linked(vocab, "galaxies: active; distances and redshifts", "domains")  # not Redshift surveys
