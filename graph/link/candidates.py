"""Candidate terms: capitalised terms and acronyms of titles and abstracts that matched no concept.

Owns :class:`CandidateTerms` (counted for the build report, for review: a topic the
vocabularies could learn) and the regular expressions that find such terms in plain text.
Works on strings and offsets only, no spaCy.

>>> found = CandidateTerms()
>>> count_candidates("Finding XYZZY", "The XYZZY and PQR codes, 3 GHz.", [], found)
>>> found.top()
[{'term': 'XYZZY', 'talks': 1, 'count': 2}, {'term': 'PQR', 'talks': 1, 'count': 1}]
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field

from .rules import NOT_CANDIDATES

__all__ = ["CandidateTerms", "count_candidates", "WORD_CHARACTER"]

# Candidate terms are words or phrases not glued to a word character ([\w-]) on either side. The
# patterns start with a capital rather than a look-behind, which lets the regex engine skip ahead
# to the next capital (much faster); the character before is checked in Python.
WORD_CHARACTER = re.compile(r"[\w-]")
_ACRONYM_RUN = re.compile(r"[A-Z][A-Za-z0-9]*[A-Z][\w-]*")  # a word with two capitals, to its end
_ACRONYM = re.compile(r"([A-Z][A-Za-z0-9]*[A-Z][A-Za-z0-9\-]*?)s?")  # the acronym in that word, plural "s" off
_CAPITALISED_PHRASE = re.compile(r"[A-Z][a-z]+(?:[ -](?:of |and |for |the )?[A-Z][a-z]+)+(?![\w-])")


@dataclass
class CandidateTerms:
    """Capitalised terms and acronyms that matched no concept, counted for review."""

    count: Counter = field(default_factory=Counter)  # term → occurrences
    talks: Counter = field(default_factory=Counter)  # term → talks
    long_forms: dict[str, str] = field(default_factory=dict)  # acronym → the long form the text defines

    def update(self, other: "CandidateTerms") -> None:
        self.count.update(other.count)
        self.talks.update(other.talks)
        for key, value in other.long_forms.items():
            self.long_forms.setdefault(key, value)

    def top(self, limit: int = 100) -> list[dict]:
        ranked = sorted(self.count, key=lambda t: (-self.talks[t], -self.count[t], t))[:limit]
        return [{"term": t, "talks": self.talks[t], "count": self.count[t],
                 **({"long_form": self.long_forms[t]} if t in self.long_forms else {})} for t in ranked]


def count_candidates(title: str, abstract: str, spans, candidates: CandidateTerms) -> None:
    """Count in ``candidates`` the terms of one talk that no span covers.

    ``spans`` are ``(field, start, end, ...)`` with field 0 the title and 1 the abstract. A title is
    in Title Case, so only its acronyms are candidates; an abstract's capitalised phrases are too,
    unless they start a sentence.
    """
    covered = [[], []]
    for f, s, e, _, _ in spans:
        covered[f].append((s, e))
    seen: set[str] = set()
    for f, text in enumerate((title, abstract)):
        if not text:
            continue
        hits = _acronyms(text)
        if f:
            hits += [hit for hit in _capitalised_phrases(text) if not _starts_sentence(text, hit[0])]
        for s, e, term in hits:
            if term in NOT_CANDIDATES or any(s < ce and cs < e for cs, ce in covered[f]):
                continue
            candidates.count[term] += 1
            if term not in seen:
                seen.add(term)
                candidates.talks[term] += 1


def _acronyms(text: str) -> list[tuple[int, int, str]]:
    """``(start, end, acronym)`` of each free-standing word with two capitals, a plural "s" left off.

    >>> _acronyms("CNNs, mCNN, NASA's U-Net and ResNet50")
    [(0, 3, 'CNN'), (12, 16, 'NASA'), (29, 37, 'ResNet50')]
    """
    hits = []
    for run in _ACRONYM_RUN.finditer(text):
        start = run.start()
        if start and WORD_CHARACTER.match(text, start - 1):
            continue  # inside a word: the rest of the word is too
        acronym = _ACRONYM.fullmatch(run.group())
        if acronym:
            hits.append((start, start + acronym.end(1), acronym.group(1)))
    return hits


def _capitalised_phrases(text: str) -> list[tuple[int, int, str]]:
    """``(start, end, phrase)`` of each free-standing run of capitalised words.

    >>> _capitalised_phrases("xBlack Hole Merger and the Square Kilometre Array")
    [(7, 18, 'Hole Merger'), (27, 49, 'Square Kilometre Array')]
    """
    hits, at, search = [], 0, _CAPITALISED_PHRASE.search
    while (phrase := search(text, at)) is not None:
        start = phrase.start()
        if start and WORD_CHARACTER.match(text, start - 1):
            at = start + 1  # a later word of the same phrase may still start one
            continue
        hits.append((start, phrase.end(), phrase.group()))
        at = phrase.end()
    return hits


def _starts_sentence(text: str, at: int) -> bool:
    """Whether ``text[at:]`` starts the text, a line or a sentence (looks back only over whitespace).

    >>> [_starts_sentence("Deep Learning. Deep Fields", i) for i in (0, 5, 15)]
    [True, False, True]
    """
    i = at
    while i and text[i - 1].isspace():
        i -= 1
    return at == 0 or "\n" in text[i:at] or (0 < i < at and text[i - 1] in ".!?:;")
