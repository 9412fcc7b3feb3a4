"""spaCy set-up: the one module that imports spaCy, and only when a build finds mentions.

Owns the pipeline the mention extractor reads text with: ``spacy.blank("en")`` (a tokenizer;
no model, nothing downloaded), narrowed to the lexical attributes the matchers and rules
read, with a tokenizer special case for each label's last word that would otherwise keep a
sentence's final period; the ``PhraseMatcher`` s and the pattern docs. spaCy is imported in
:class:`BlankEnglish`, not at the top, so importing the link layer (or building with
``--no-mentions``) does not pay for it. Everything here uses spaCy's public API.

>>> english = BlankEnglish()
>>> [t.text for t in english.nlp.make_doc("We classify SNe Ia.")]
['We', 'classify', 'SNe', 'Ia.']
>>> english.split_final_periods(["Ia"])
>>> [t.text for t in english.nlp.make_doc("We classify SNe Ia.")]
['We', 'classify', 'SNe', 'Ia', '.']
"""

from __future__ import annotations

import re
from bisect import bisect_left
from typing import Iterable

__all__ = ["BlankEnglish", "token_starting_at", "lower_hashes"]

_PLAIN_WORDS = re.compile(r"[A-Za-z]+(?: [A-Za-z]+)*")
#: words of letters joined by single spaces or hyphens between letters, which the tokenizer splits at the
#: spaces and around each hyphen ("X-ray binaries" → X, -, ray, binaries)
_HYPHENATED_WORDS = re.compile(r"[A-Za-z]+(?:[ -][A-Za-z]+)*")
_WORD_OR_HYPHEN = re.compile(r"[A-Za-z]+|-")


class BlankEnglish:
    """A blank English pipeline (``nlp``: its tokenizer) and what the extractor builds on it."""

    def __init__(self):
        import spacy
        from spacy.attrs import IS_ALPHA, LOWER
        from spacy.matcher import PhraseMatcher
        from spacy.tokens import Doc

        self.nlp = spacy.blank("en")
        # Each word the tokenizer meets for the first time becomes a lexeme, and spaCy computes
        # all its lexical attributes at once (most of the cost in LIKE_URL, LIKE_NUM and SHAPE).
        # Abstracts bring new words all the time (numbers, names, designations); the matchers and
        # rules read only LOWER (and abbreviations.long_form IS_ALPHA), so only those are computed.
        # spacy.blank has no option for this, and a Vocab of our own (the documented
        # ``Vocab(lex_attr_getters=...)``) would also drop the language's other defaults, so the
        # vocab's public ``lex_attr_getters`` attribute is narrowed after the fact (see
        # benchmarks/README.md for what it saves; tests/test_mentions.py checks it changes no mention).
        getters = self.nlp.vocab.lex_attr_getters
        self.nlp.vocab.lex_attr_getters = {attr: getters[attr] for attr in (LOWER, IS_ALPHA)}
        self._Doc, self._PhraseMatcher = Doc, PhraseMatcher
        # The tokenizer's special cases (a live view: add_special_case adds to it).
        self._special_cases = self.nlp.tokenizer.rules

    def phrase_matcher(self, attr: str):
        """A ``PhraseMatcher`` on this vocabulary comparing tokens by ``attr`` ("LOWER" or "ORTH")."""
        return self._PhraseMatcher(self.nlp.vocab, attr=attr)

    def pattern_doc(self, text: str):
        """``text`` tokenized as the tokenizer would, for a pattern.

        Most patterns are words of letters joined by single spaces or hyphens, which the tokenizer
        only splits at the spaces and around the hyphens, unless a word is one of its special cases
        ("cannot"): those are made into Docs directly, which halves the start-up cost of the patterns.
        ``tests/test_mentions.py`` checks every pattern of the bundled vocabularies both ways.
        """
        if _PLAIN_WORDS.fullmatch(text):
            words = text.split(" ")
            if not any(word in self._special_cases for word in words):
                return self._Doc(self.nlp.vocab, words=words)
        elif _HYPHENATED_WORDS.fullmatch(text):
            if not any(part in self._special_cases for part in text.split(" ")):
                found = list(_WORD_OR_HYPHEN.finditer(text))
                return self._Doc(self.nlp.vocab, words=[m.group() for m in found],
                                 spaces=[text[m.end():m.end() + 1] == " " for m in found])
        return self.nlp.make_doc(text)

    def split_final_periods(self, words: Iterable[str]) -> None:
        """Let labels match at the end of a sentence: "SNe Ia.", "photo-z.", "EoR.", "SPT-3G.".

        The English tokenizer keeps the period on some words: its abbreviations ("Ia." for Iowa, "z."),
        and words whose last capital follows a lower-case letter or a digit. "SNe Ia." would end in a
        token "Ia." that no pattern has. ``words`` are the last words of the patterns (after their last
        space); for each that would keep a period, a special case splits it off, as the tokenizer
        splits "JWST.". A single letter is left alone, so that initials ("K. Smith") stay as they are:
        "Super K" is not found before a period (but "Super-K" is).
        """
        tokenizer, exceptions = self.nlp.tokenizer, self._special_cases
        for word in words:
            # The tokenizer splits a period off after a lower-case letter, a digit or two capitals,
            # unless the word (or its part after a hyphen: "photo-z.") is an exception: only the
            # other words (a few hundred of 5,000) are worth tokenizing to see.
            if len(word) < 2 or word.endswith("."):
                continue
            splits = word[-1].islower() or word[-1].isdigit() or word[-1].isupper() and word[-2].isupper()
            exception = word + "." in exceptions or word.rsplit("-", 1)[-1] + "." in exceptions
            if splits and not exception:
                continue
            tokens = [t.text for t in tokenizer(word)] + ["."]
            if [t.text for t in tokenizer(word + ".")] != tokens:
                tokenizer.add_special_case(word + ".", [{"ORTH": t} for t in tokens])


def token_starting_at(doc, char: int) -> int | None:
    """Index of the token that starts at character ``char``, or ``None`` (no Python loop over tokens)."""
    starts = doc.user_data.get("starts")
    if starts is None:
        starts = doc.user_data["starts"] = doc.to_array("IDX").tolist()
    i = bisect_left(starts, char)
    return i if i < len(starts) and starts[i] == char else None


def tokens_between(doc, start: int, end: int) -> tuple[int, int] | None:
    """The tokens of ``doc`` from character ``start`` to character ``end``, if tokens start and end there."""
    first = token_starting_at(doc, start)
    if first is None:
        return None
    after = bisect_left(doc.user_data["starts"], end)  # token_starting_at made the list
    last = doc[after - 1]
    return (first, after) if last.idx + len(last) == end else None


def lower_hashes(doc) -> list[int]:
    """The hash of each token's lower-case text, as the matchers and rules compare them (made once per doc)."""
    lowers = doc.user_data.get("lowers")
    if lowers is None:
        lowers = doc.user_data["lowers"] = doc.to_array("LOWER").tolist()
    return lowers
