"""Coordinated modifiers: "elliptical, spiral and irregular galaxies" names three concepts.

Owns one rule of prose: when a matched label is the last conjunct of a list of modifiers
sharing its head ("… and irregular galaxies", "convolutional and recurrent neural
networks", "supervised and unsupervised learning"), each earlier modifier names the
concept "<modifier> <head>" if a label reads so. The earlier modifier's own word is the
evidence. Works on the tokens and spans of :mod:`.mentions`; no spaCy import.
"""

from __future__ import annotations

__all__ = ["coordinated", "CONJUNCTIONS"]

#: The words that join the last conjunct to the others.
CONJUNCTIONS = frozenset({"and", "or", "&"})
_LIST_SEPARATORS = frozenset({",", "/"})
_MAX_CONJUNCTS = 6


def coordinated(doc, spans, phrases: dict[str, int]) -> list[tuple[int, int, int, bool]]:
    """Spans for the earlier conjuncts of each matched label preceded by a conjunction.

    ``spans`` are ``(start, end, concept, learnt)`` token spans of ``doc``; ``phrases`` maps a
    lower-case pattern text to its concept index.
    """
    out = []
    for start, end, _, _ in spans:
        if start < 2 or end - start < 2 or doc[start - 1].lower_ not in CONJUNCTIONS:
            continue
        head = " ".join(t.lower_ for t in doc[start + 1:end])
        i = start - 2
        if doc[i].text in _LIST_SEPARATORS and i > 0:  # the Oxford comma: "A, B, and C galaxies"
            i -= 1
        for _ in range(_MAX_CONJUNCTS):
            token = doc[i]
            if not token.is_alpha and "-" not in token.text:
                break
            concept = phrases.get(f"{token.lower_} {head}")
            if concept is not None:
                out.append((i, i + 1, concept, False))
            if i < 2 or doc[i - 1].text not in _LIST_SEPARATORS:
                break
            i -= 2
    return out
