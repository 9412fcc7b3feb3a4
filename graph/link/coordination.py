"""Modifiers that share a head: "elliptical, spiral and irregular galaxies" names three concepts,
"early- and late-type galaxies" two, "residual multitask neural networks" a residual neural network.

Owns two rules of prose. Coordinated modifiers: when a matched label is the last conjunct of a
list of modifiers sharing its head ("… and irregular galaxies", "convolutional and recurrent
neural networks", "supervised and unsupervised learning"), each earlier modifier names the
concept "<modifier> <head>" if a label reads so; a modifier that ends in a suspended hyphen takes the
rest of the last conjunct's compound ("early-" of "early- and late-type galaxies" is "early-type"). Stacked modifiers: when words stand before a
matched label without joining it ("residual multitask neural networks", "fully connected
multitask neural network"), each of them (one word, or two: "fully connected") names the concept
"<modifier> <head>" if a label reads so and that concept is below the match's (a residual neural
network is a neural network), the head being the match or its last words; the match itself then
names nothing more (the narrower concept says it), and "deep convolutional neural networks" adds
no deep learning, which is no kind of CNN. The modifier's own words are the evidence. Works on
the tokens and spans of :mod:`.mentions`; no spaCy import.
"""

from __future__ import annotations

__all__ = ["coordinated", "stacked", "stackable_heads", "CONJUNCTIONS"]

#: The words that join the last conjunct to the others.
CONJUNCTIONS = frozenset({"and", "or", "&"})
_LIST_SEPARATORS = frozenset({",", "/"})
_MAX_CONJUNCTS = 6


def coordinated(doc, spans, phrases: dict[str, int], written: dict[str, int] | None = None
                ) -> list[tuple[int, int, int, bool]]:
    """Spans for the earlier conjuncts of each matched label preceded by a conjunction.

    ``spans`` are ``(start, end, concept, learnt)`` token spans of ``doc``; ``phrases`` maps a
    lower-case pattern text to its concept index, ``written`` a pattern text that matches only as written
    (an acronym's: "DA white dwarfs") to its, looked up with the modifier as written ("DA and DB white dwarfs").
    """
    out = []
    for start, end, _, _ in spans:
        if start < 2 or end - start < 2 or doc[start - 1].lower_ not in CONJUNCTIONS:
            continue
        first = _compound_end(doc, start, end)  # "high-mass" of "high-mass X-ray binaries" is three tokens
        head = " ".join(doc[first + 1:end].text.lower().split())  # as written: "x-ray binaries"
        # what a suspended hyphen stands for: "type" of "late-type", for the "early-" of "early- and late-type"
        tail = doc[start + 2:first + 1].text.lower() if first > start else ""
        i = start - 2
        if doc[i].text in _LIST_SEPARATORS and i > 0:  # the Oxford comma: "A, B, and C galaxies"
            i -= 1
        for _ in range(_MAX_CONJUNCTS):
            token = doc[i]
            if not token.is_alpha and "-" not in token.text:
                break
            first = _compound_start(doc, i)  # "semi-detached" is three tokens
            modifier = doc[first:i + 1].text.lower()
            if tail and modifier.endswith("-") and len(modifier) > 1:  # "early- and late-type galaxies"
                modifier += tail
            concept = phrases.get(f"{modifier} {head}")
            if concept is None and written:
                concept = written.get(f"{doc[first:i + 1].text} {head}")
            if concept is not None:
                out.append((first, i + 1, concept, False))
            if first < 2 or doc[first - 1].text not in _LIST_SEPARATORS:
                break
            i = first - 2
    return out


def _compound_end(doc, start: int, end: int) -> int:
    """The last token of the hyphenated compound that starts the span ``start``-``end`` ("high", "-",
    "mass" of "high-mass X-ray binaries"), leaving at least one token of the span after it."""
    i = start
    while i + 3 < end and doc[i + 1].text == "-" and doc[i + 2].is_alpha and not doc[i].whitespace_ \
            and not doc[i + 1].whitespace_:
        i += 2
    return i


def _compound_start(doc, i: int) -> int:
    """The first token of the hyphenated compound that ends with token ``i`` ("semi", "-", "detached"), or ``i``."""
    while i >= 2 and doc[i - 1].text == "-" and doc[i - 2].is_alpha and not doc[i - 2].whitespace_ \
            and not doc[i - 1].whitespace_:
        i -= 2
    return i


#: Words that end the run of modifiers before a match: determiners, pronouns, prepositions, conjunctions.
_NOT_MODIFIERS = frozenset("""a an the this that these those our their its his her my your we they it is are was were be
    been of for in on with by from to at as and or but than via using both each all any some such which whose""".split())
_MAX_STACKED = 3


def stacked(doc, spans, phrases: dict[str, int], above, heads) -> list[tuple[int, int, int, bool]]:
    """``spans`` with, for each matched label, the modifiers stacked before it that name, with its head,
    a concept below the match's (which replace the match): ``above[i]`` holds the concepts above ``i``,
    ``heads[i]`` the heads ("neural networks") that a label of a concept below ``i`` ends with after one or
    two words (:func:`stackable_heads`; a match of a concept not in it is skipped at once).

    ``spans`` are ``(start, end, concept, learnt)`` token spans of ``doc``; ``phrases`` maps a lower-case
    pattern text to its concept index.
    """
    out, replaced = [], set()
    for span in spans:
        start, end, concept, _ = span
        if concept not in heads or start < 2:
            continue
        run = []  # the modifiers right before the match, nearest first
        i = start - 1
        while i >= 0 and len(run) < _MAX_STACKED and (doc[i].is_alpha or "-" in doc[i].text[1:-1]) \
                and doc[i].lower_ not in _NOT_MODIFIERS:
            run.append(i)
            i -= 1
        if len(run) < 2:  # one word right before the match would have made a longer match
            continue
        if any(s <= start and end <= e and (s, e) != (start, end) for s, e, _, _ in spans):
            continue  # a match within a longer one: the words before it are the longer one's
        taken = set()
        for k in range(end - start, 0, -1):  # the head: the whole match, then its last words
            head = " ".join(t.lower_ for t in doc[end - k:end])
            if head not in heads[concept]:
                continue
            for j in run[1:]:  # the word right before joins the match: the longest match had it
                for first in (j - 1, j) if j - 1 in run else (j,):
                    words = " ".join(t.lower_ for t in doc[first:j + 1])
                    found = phrases.get(f"{words} {head}")
                    if found is not None and concept in above[found] and found not in taken:
                        taken.add(found)
                        out.append((first, j + 1, found, False))
                        replaced.add((start, end))
    # the match itself names nothing more, in any of the concepts its words name
    return [span for span in spans if span[:2] not in replaced] + out if out else spans


def stackable_heads(phrases: dict[str, int], above) -> dict[int, frozenset[str]]:
    """For each concept, the heads (its pattern texts) that a pattern of a concept below it ends with after
    one or two modifier words: "residual neural networks" makes "neural networks" a head of neural network."""
    heads: dict[int, set[str]] = {}
    for text, below in phrases.items():
        words = text.split(" ")
        for cut in (1, 2):
            head = " ".join(words[cut:])
            concept = phrases.get(head) if len(words) > cut else None
            if concept is not None and concept in above[below]:
                heads.setdefault(concept, set()).add(head)
    return {concept: frozenset(found) for concept, found in heads.items()}
