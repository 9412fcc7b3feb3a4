"""A term written around the acronym it defines: "magnetohydrodynamic (MHD) simulations" names MHD simulations.

An abstract defines an acronym where a term first appears, and the term may go on after the brackets:
"Gaussian process (GP) regression", "radial velocity (RV) measurements", "magnetohydrodynamic (MHD)
simulations". The matchers see the brackets between the words. Here the words around each such definition
are matched again without it, and the matches that reach across it come back as spans of the text as written
(the brackets inside them), for the extractor to resolve with the others: the longer match wins over the
term's first words alone. A match counts only if the acronym abbreviates all of its words before the brackets
(:func:`~.abbreviations.abbreviates`): in "Markov chain Monte Carlo (MCMC) methods" the words "Monte Carlo
methods" are no term of their own. Only the few words around a definition are read a second time.

>>> import spacy
>>> from spacy.matcher import PhraseMatcher
>>> nlp = spacy.blank("en"); matcher = PhraseMatcher(nlp.vocab, attr="LOWER")
>>> matcher.add("mhd-simulations", [nlp("magnetohydrodynamic simulations")])
>>> def match(doc): return [(s, e, 7, False) for _, s, e in matcher(doc)]
>>> text = "We run magnetohydrodynamic (MHD) simulations of flux ropes."
>>> doc = nlp(text)
>>> across_definitions(text, doc, match, nlp.make_doc)
[(2, 7, 7, False)]
>>> doc[2:7].text
'magnetohydrodynamic (MHD) simulations'
"""

from __future__ import annotations

import re

from .abbreviations import abbreviates
from .nlp import tokens_between

__all__ = ["across_definitions"]

#: An acronym's definition in brackets between two words: a letter, then letters, digits and hyphens, with two
#: capitals or more (as :mod:`.abbreviations` learns them), and a letter after it. It begins with the text
#: " (", so that the engine looks for those two characters; the word character (or hyphen) before it, which a
#: look-behind would have asked for at every character of the text (ten times as slow), is checked after.
_DEFINITION = re.compile(r" \((?=(?:[^)A-Z]*[A-Z]){2})[A-Za-z][A-Za-z0-9-]{1,11}\)(?= [A-Za-z])")
_BEFORE_DEFINITION = re.compile(r"[\w-]")
#: How many words before and after a definition are read again: the longest labels have about eight.
_BEFORE, _AFTER = 8, 5


def across_definitions(text: str, doc, match, make_doc) -> list[tuple[int, int, int, bool]]:
    """The matches (token spans of ``doc``, the tokens of ``text``) that reach across an acronym's definition.

    ``match`` gives the ``(start, end, concept, learnt)`` token spans of a doc; ``make_doc`` tokenizes.
    """
    out = []
    for definition in _DEFINITION.finditer(text):
        cut_at, resume = definition.start(), definition.end()
        if not cut_at or not _BEFORE_DEFINITION.match(text, cut_at - 1):
            continue
        left = _words_back(text, cut_at, _BEFORE)
        right = _words_on(text, resume, _AFTER)
        cut, short = cut_at - left, text[cut_at + 2:resume - 1]
        before = text[left:cut_at]
        snippet = make_doc(before + text[resume:right])
        for start, end, concept, learnt in match(snippet):
            first, last = snippet[start], snippet[end - 1]
            begins, ends = first.idx, last.idx + len(last)
            if begins < cut < ends and abbreviates(short, before[begins:], whole=True):
                span = tokens_between(doc, left + begins, resume + ends - cut)
                if span is not None:
                    out.append((*span, concept, learnt))
    return out


def _words_back(text: str, end: int, words: int) -> int:
    """Where the ``words`` words before ``end`` start, not before the line's start."""
    start = end
    for _ in range(words):
        space = text.rfind(" ", 0, start - 1)
        if space == -1:
            start = 0
            break
        start = space + 1
    line = text.rfind("\n", 0, end) + 1
    return max(start, line)


def _words_on(text: str, start: int, words: int) -> int:
    """Where the ``words`` words after ``start`` (which is a space) end, not beyond the line's end."""
    end = start
    for _ in range(words):
        space = text.find(" ", end + 1)
        if space == -1:
            end = len(text)
            break
        end = space
    line = text.find("\n", start)
    return end if line == -1 else min(end, line)
