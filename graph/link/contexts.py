"""The subject a talk is about, and the narrower topic a bare word names in it.

Owns the ``contexts`` rules of ``mention_rules.json``: in a talk about the Sun, "magnetic fields",
"the chromosphere" or "the photosphere" are the Sun's (the thesaurus's "Solar magnetic fields",
"Solar chromosphere", "Solar photosphere"), not magnetic fields in general or a star's. A match is
narrowed when

- its words carry no qualifier of their own ("stellar photospheres" stays the stars') and name no
  subject ("properties of galaxies" stays the galaxies');
- the thesaurus has a concept whose label is the context's qualifier followed by a label of the
  match's concept, or by such a label with another context's qualifier taken off ("Stellar
  chromospheres" → "Solar chromosphere"); labels are compared by their matching keys. The concepts
  under the branches of ``not_into`` are never the narrower one (observing techniques keep their
  general name: the photometry of galaxies is Photometry);
- the talk is about that context: its words occur in the title and abstract at least ``min_words``
  times, and more often than those of any other context (a talk about the Sun and other stars
  alike is narrowed to neither); or the words right after the match say whose it is, whatever the
  talk is about ("magnetic fields of galaxies" are Galaxy magnetic fields in a talk about stars).

This module imports only the vocabularies' matching key; :class:`~.mentions.MentionExtractor`
applies it to a talk's matches.

>>> [c.name for c in context_rules()]
['the Sun', 'stars', 'galaxies', 'exoplanets']
>>> sorted(talk_contexts("Sunspots and the solar corona", context_rules(), 2))
['the Sun']
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass
from functools import lru_cache
from typing import Iterable, Sequence

from ..vocab.keywords import match_key
from .rules import CONTEXT_RULES

__all__ = ["Context", "context_rules", "min_words", "not_into", "specialisations", "qualified", "talk_contexts", "narrow"]


@dataclass(frozen=True)
class Context:
    """A subject a talk can be about: the ``qualifiers`` its concepts' labels begin with ("Solar")
    and the ``words`` that say a talk is about it ("sun", "solar", "sunspots")."""

    name: str
    qualifiers: tuple[str, ...]
    words: frozenset[str]
    also_qualified_by: tuple[str, ...] = ()  # words that qualify a match without labels beginning with them


def context_rules() -> tuple[Context, ...]:
    """The contexts of ``mention_rules.json``, in its order."""
    return tuple(Context(c["name"], tuple(c["qualifiers"]), frozenset(c["words"].split()),
                         tuple(c.get("also_qualified_by", ())))
                 for c in CONTEXT_RULES["contexts"])


def min_words() -> int:
    """How many times a talk says a context's words, at least, to be about it."""
    return CONTEXT_RULES["min_words"]


def not_into() -> tuple[str, ...]:
    """The IRIs of the branches no match is narrowed into."""
    return tuple(CONTEXT_RULES["not_into"])


def specialisations(labels: Sequence[Sequence[str]], eligible: Iterable[int], targets: Iterable[int],
                    contexts: Sequence[Context]) -> dict[int, dict[str, int]]:
    """For each concept index of ``eligible``, the concept of ``targets`` that each context narrows it
    to (by context name); ``labels[i]`` are concept ``i``'s labels.

    >>> labels = [["Magnetic fields"], ["Solar magnetic fields"], ["Stellar chromospheres"], ["Solar chromosphere"]]
    >>> specialisations(labels, range(4), range(4), context_rules())
    {0: {'the Sun': 1}, 2: {'the Sun': 3}, 3: {'stars': 2}}
    """
    by_key: dict[str, int] = {}
    for j in targets:
        for label in labels[j]:
            by_key.setdefault(match_key(label), j)
    qualifiers = [(context.name, match_key(q)) for context in contexts for q in context.qualifiers]
    out: dict[int, dict[str, int]] = {}
    for i in eligible:
        for label in labels[i]:
            key = match_key(label)
            bases = {key} | {key[len(q) + 1:] for _, q in qualifiers if key.startswith(q + " ")}
            for name, qualifier in qualifiers:
                for base in sorted(bases):
                    j = by_key.get(f"{qualifier} {base}")
                    if j is not None and j != i:
                        out.setdefault(i, {}).setdefault(name, j)
    return out


def qualified(text: str, contexts: Sequence[Context]) -> bool:
    """Whether the words of a match begin with a context's qualifier ("stellar photospheres") or a word
    that qualifies as one does ("Galactic structure"), or name a context's subject themselves ("properties
    of galaxies", "magnetic fields of the Sun")."""
    key = match_key(text)
    if any(key == (q := match_key(qualifier)) or key.startswith(q + " ")
           for context in contexts for qualifier in (*context.qualifiers, *context.also_qualified_by)):
        return True
    words = set(text.lower().split())
    return any(words & context.words for context in contexts)


_OF = re.compile(r"\s+of\s+(?:the\s+|their\s+|its\s+|our\s+)?([\w-]+)")


def _of_a_subject(text: str, end: int, contexts: Sequence[Context]) -> str | None:
    """The context whose subject the words right after a match name, if they say whose it is: "magnetic
    fields | of galaxies" (galaxies), "magnetic fields | of the solar chromosphere" (the Sun)."""
    after = _OF.match(text, end)
    word = after.group(1).lower() if after is not None else None
    return next((context.name for context in contexts if word in context.words), None) if word else None


@lru_cache(maxsize=8)
def _words_pattern(words: frozenset[str]) -> re.Pattern:
    return re.compile(r"(?<![\w-])(" + "|".join(sorted(map(re.escape, words))) + r")(?![\w-])")  # lower case


def talk_contexts(text: str, contexts: Sequence[Context], least: int) -> set[str]:
    """The name of the context ``text`` is about, as a set (empty or one): the context whose words
    occur most often, at least ``least`` times and more often than any other's."""
    pattern = _words_pattern(frozenset().union(*(c.words for c in contexts)))
    counts = Counter(pattern.findall(text.lower()))  # lower the text once: faster than IGNORECASE
    ranked = sorted(((sum(counts[w] for w in c.words), c.name) for c in contexts), reverse=True)
    if ranked and ranked[0][0] >= least and (len(ranked) == 1 or ranked[0][0] > ranked[1][0]):
        return {ranked[0][1]}
    return set()


def narrow(title: str, abstract: str, spans: list[tuple], special: dict[int, dict[str, int]],
           contexts: Sequence[Context]) -> list[tuple]:
    """``spans`` (``(field, start, end, concept, ...)``, offsets into ``title`` (field 0) or ``abstract``)
    with each bare topic narrowed by ``special`` (:func:`specialisations`) to the subject the talk is about."""
    texts = (title, abstract)
    bare = [i for i, span in enumerate(spans)
            if span[3] in special and not qualified(texts[span[0]][span[1]:span[2]], contexts)]
    if not bare:  # the usual case: nothing to narrow, and no need to read what the talk is about
        return spans
    about = None
    out = list(spans)
    for i in bare:
        narrower = special[out[i][3]]
        whose = _of_a_subject(texts[out[i][0]], out[i][2], contexts)
        if whose is not None:  # the words after say whose it is: "magnetic fields of galaxies"
            into = narrower.get(whose)
        else:
            if about is None:
                about = talk_contexts(f"{title}\n{abstract}", contexts, min_words())
            into = next((narrower[c.name] for c in contexts if c.name in about and c.name in narrower), None)
        if into is not None:
            out[i] = (*out[i][:3], into, *out[i][4:])
    return out
