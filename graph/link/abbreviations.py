"""Abbreviations a talk defines: "Convolutional Neural Networks (CNNs)" makes a later "CNN" count.

Owns learning a talk's own abbreviations from its text (an acronym in parentheses after
words whose initials spell it) and applying them to that talk's matches: a learnt
abbreviation names the concept its long form matched, or, after a long form that matched
nothing, stops a global acronym with another meaning ("the gravitational potential (GP)").
Works on the docs and spans of :mod:`.mentions`; spaCy's objects are only read here.

>>> abbreviates("CNNs", "Convolutional Neural Networks"), abbreviates("BBH", "Black Hole")
(True, False)
"""

from __future__ import annotations

import difflib
import re
from functools import lru_cache

from .candidates import WORD_CHARACTER, CandidateTerms
from .nlp import token_starting_at

__all__ = ["learn", "apply_learnt", "abbreviates"]

_DEFINITION = re.compile(r"\(([A-Za-z][A-Za-z0-9\-]{1,11})\)")
_CAPITALS = re.compile(r"[A-Z]")


def learn(texts, docs, found, candidates: CandidateTerms | None, labels=None) -> dict[str, int | None]:
    """Abbreviations the talk defines: ``{"CNN": concept index}`` after a matched long form,
    ``{"GP": None}`` after one that matched nothing (the global acronym means something else here),
    unless that long form is, but for its spelling, a name of the concept the acronym itself names
    ("Widefield Infrared Survey Explorer (WISE)", "Galactic Evolution Explorer (GALEX)").

    ``texts``, ``docs`` and ``found`` (the spans of each doc) are the talk's pieces of text, in order;
    ``labels`` gives the labels of a concept index.
    """
    local: dict[str, int | None] = {}
    for text, doc, spans in zip(texts, docs, found):
        if doc is None:
            continue
        ends: dict[int, list[tuple[int, int, int, bool]]] = {}
        for definition in _DEFINITION.finditer(text):
            short = definition.group(1)
            if len(_CAPITALS.findall(short)) < 2:
                continue
            start = token_starting_at(doc, definition.start())
            if start is None:
                continue
            if not ends and spans:
                for span in spans:
                    ends.setdefault(span[1], []).append(span)
            before = [s for s in ends.get(start, ()) if abbreviates(short, doc[s[0]:s[1]].text)]
            if before:
                longest = max(before, key=lambda s: s[1] - s[0])
                local.setdefault(short, longest[2])
                if short.endswith("s") and len(short) > 3:
                    local.setdefault(short[:-1], longest[2])
            else:
                long_form = _long_form(doc, start, short)
                if long_form:
                    key = short[:-1] if short.endswith("s") and short[-2:-1].isupper() else short
                    inside = token_starting_at(doc, definition.start(1))
                    named = [s[2] for s in spans if s[0] == inside and s[1] == inside + 1] if labels else []
                    same = next((c for c in named if any(_spelt_alike(long_form, label) for label in labels(c))), None)
                    local.setdefault(key, same)
                    if candidates is not None:
                        candidates.long_forms.setdefault(key, long_form)
    return local


def apply_learnt(text: str, doc, spans, local: dict[str, int | None]):
    """Add spans for learnt abbreviations; they replace a global acronym on the same token.

    An abbreviation counts where it stands as a word of its own (not glued to ``[\\w-]``),
    with or without a plural "s"; at one position the longest abbreviation wins. Found with
    ``str.find`` (a talk defines one or two), not a regular expression compiled for each talk.
    """
    hits: dict[int, tuple[str, int]] = {}  # start -> (abbreviation, end)
    size = len(text)
    for key in local:
        at = text.find(key)
        while at != -1:
            if not (at and WORD_CHARACTER.match(text, at - 1)):
                end = at + len(key)
                for stop in ((end + 1, end) if end < size and text[end] == "s" else (end,)):
                    if not (stop < size and WORD_CHARACTER.match(text, stop)):
                        if at not in hits or len(hits[at][0]) < len(key):
                            hits[at] = (key, stop)
                        break
            at = text.find(key, at + 1)
    learnt, taken = [], set()
    for at in sorted(hits):
        key, stop = hits[at]
        i = token_starting_at(doc, at)
        if i is None or len(doc[i]) != stop - at:
            continue
        taken.add((i, i + 1))
        concept = local[key]
        if concept is not None:
            learnt.append((i, i + 1, concept, True))
    if not taken:
        return spans
    return [s for s in spans if (s[0], s[1]) not in taken] + learnt


def _long_form(doc, paren: int, short: str) -> str | None:
    """The words before ``(SHORT)`` whose initials spell it (Schwartz & Hearst, simplified), or the one
    word before it whose capitals do, a name written in camel case ("SuperNNova (SNN)").

    >>> import spacy; nlp = spacy.blank("en")
    >>> doc = nlp("classified with the SuperNNova (SNN) program")
    >>> _long_form(doc, 4, "SNN"), _long_form(nlp("the big red dog (SNN)"), 4, "SNN")
    ('SuperNNova', None)
    """
    letters = [c.lower() for c in short if c.isalpha()]
    if short.endswith("s") and short[-2:-1].isupper():
        letters = letters[:-1]
    if len(letters) < 2:
        return None
    if paren and [c.lower() for c in doc[paren - 1].text if c.isupper()] == letters:
        return doc[paren - 1].text
    words = [t for t in doc[max(0, paren - len(letters) - 3):paren]]
    for size in range(1, len(words) + 1):
        window = words[-size:]
        initials = [t.text[0].lower() for t in window if t.text[:1].isalpha()]
        if initials and initials[0] == letters[0] and _subsequence(letters, initials + list(
                "".join(t.text.lower() for t in window))):
            if len([t for t in window if t.is_alpha]) >= max(2, len(letters) - 2):
                return doc[window[0].i:paren].text
    return None


def _spelt_alike(written: str, label: str) -> bool:
    """Whether ``written`` is ``label`` but for case, spaces, hyphens and a few letters (a misspelt or
    variant long form: "Widefield" for "Wide-field", "Galactic" for "Galaxy").

    >>> _spelt_alike("Widefield Infrared Survey Explorer", "Wide-field Infrared Survey Explorer")
    True
    >>> _spelt_alike("Galactic Evolution Explorer", "Galaxy Evolution Explorer")
    True
    >>> _spelt_alike("gravitational potential", "Gaussian process")
    False
    """
    a, b = (re.sub(r"[\s\-]", "", text.lower()) for text in (written, label))
    if a == b:
        return True
    return len(b) >= 12 and difflib.SequenceMatcher(None, a, b).ratio() >= 0.85


@lru_cache(maxsize=16384)  # a talk's definitions are checked against each match before them; many recur
def abbreviates(short: str, long: str, *, whole: bool = False) -> bool:
    """Whether ``short`` can abbreviate ``long``: its letters in order, the first one starting a word (with
    ``whole``, the first word).

    >>> abbreviates("MCMC", "Markov chain Monte Carlo"), abbreviates("GP", "a Gaussian process")
    (True, True)
    >>> abbreviates("GP", "a Gaussian process", whole=True), abbreviates("MHD", "magnetohydrodynamic", whole=True)
    (False, True)
    """
    letters = [c.lower() for c in short if c.isalpha()]
    if short.endswith("s") and short[-2:-1].isupper():
        letters = letters[:-1]
    words = long.lower().replace("-", " ").split()
    for i, word in enumerate(words[:1] if whole else words):
        if word[:1] == letters[:1][0] and _subsequence(letters, list(" ".join(words[i:]))):
            return True
    return False


def _subsequence(needle: list[str], hay: list[str]) -> bool:
    it = iter(hay)
    return all(ch in it for ch in needle)
