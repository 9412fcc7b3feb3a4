"""Linking the keyword cells of records to vocabulary concepts.

A term that maps to nothing is never dropped: it becomes a candidate concept,
flagged for review, and is counted for the build report.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from ..vocab.keywords import Term, match_key, split_cell
from ..tables.records import Record
from ..namespaces import mint
from ..tables.text import slugify
from ..vocab.vocabulary import Vocabulary

__all__ = ["Link", "Candidate", "KeywordLinker", "COLUMNS"]

#: Record attribute → the scheme its terms are looked up in first.
COLUMNS = {"domains_text": "domain", "methods_text": "method"}


@dataclass(frozen=True)
class Link:
    """One declared keyword of a talk: a vocabulary concept or a candidate.

    ``scheme`` chooses the linking property: the concept's own scheme, or for a
    candidate the scheme of the column it came from.
    """

    iri: str
    scheme: str
    candidate: bool = False


@dataclass
class Candidate:
    iri: str
    label: str
    intended: list[str] = field(default_factory=list)  # schemes of the columns it was found in
    rows: list[tuple[str, int]] = field(default_factory=list)


@dataclass
class TermUse:
    text: str
    column: str
    concepts: list[str]
    how: str
    count: int = 0


class KeywordLinker:
    """Maps each record's keyword cells to links, remembering every term for the report."""

    def __init__(self, vocab: Vocabulary, base_iri: str):
        self.vocab = vocab
        self.base_iri = base_iri
        self.candidates: dict[str, Candidate] = {}
        self.terms: dict[tuple[str, str], TermUse] = {}
        #: (term variants, scheme) → (its links, or None for a candidate; its use): terms recur in every
        #: few rows, and a candidate's rows are the only thing that differs from one to the next
        self._linked: dict[tuple[tuple[str, ...], str], tuple[tuple[Link, ...] | None, TermUse]] = {}

    def link(self, record: Record) -> list[Link]:
        links: dict[Link, None] = {}
        for attribute, scheme in COLUMNS.items():
            for term in split_cell(getattr(record, attribute)):
                linked = self._linked.get((term.variants, scheme))
                if linked is None:
                    linked = self._linked[term.variants, scheme] = self._link_term(term, scheme)
                found, use = linked
                use.count += 1
                if found is None:
                    found = (self._candidate(term.text, scheme, record),)
                links.update(dict.fromkeys(found))
        return list(links)

    def _link_term(self, term: Term, scheme: str) -> tuple[tuple[Link, ...] | None, TermUse]:
        match = self.vocab.match(term, scheme)
        concepts = match.concepts if match else []
        use = self.terms.setdefault((scheme, match_key(term.text)), TermUse(
            term.text, scheme, [c.pref_label for c in concepts], match.how if match else "candidate"))
        return (tuple(Link(c.iri, c.scheme) for c in concepts) if match else None), use

    def _candidate(self, text: str, scheme: str, record: Record) -> Link:
        slug = slugify(match_key(text)) or "term"
        candidate = self.candidates.get(slug)
        if candidate is None:
            candidate = self.candidates[slug] = Candidate(mint(self.base_iri, "candidate", slug), text)
        if scheme not in candidate.intended:
            candidate.intended.append(scheme)
        candidate.rows.append((record.path, record.line))
        return Link(candidate.iri, scheme, candidate=True)
