"""A keyword that names no concept whole may name one in part: its head, or the words that qualify it.

"Glitch classification" is a kind of classification, "ML of probability distributions" a kind of
machine learning: an English noun phrase names the kind of thing with its last words (its head,
before any "of", "for", "in" … that adds a complement), and what the phrase adds in front of the
head says what it is about: "Solar flare prediction" is about solar flares, "Kepler light curves"
come from Kepler. When a keyword matches no concept as a whole (nor as a run of concepts, see
:meth:`~talkgraph.vocab.vocabulary.Vocabulary.match`), it links

- its head: the longest run of last words before the first preposition that is a concept's label (or,
  qualified by words in front of it, the narrower concept it then always is: "radio surveys" are sky
  surveys, ``qualified_heads`` in ``mention_rules.json``);
- its modifier: the longest run of first words in front of the head (or of the whole phrase, when
  no head is known) that is a concept's label.

The complement after the preposition is not linked ("Machine learning in astronomy" is not about
astronomy as a topic). A part is not linked where the rules of prose would not link it
(``mention_rules.json``): a false friend whose next or previous word says it is not the concept
("Hubble flow" is no telescope, "galaxy clustering" no ML method), a thesaurus label that
is an everyday word or names the work rather than the topic ("Stars", "Catalogs"), a label its concept
marks as no evidence in prose (``tg:ambiguousLabel``: "telescope", "survey"), or an acronym or
short name not written as it is ("Class symbolic regression" is no CLASS code, "stan models" no Stan:
in the words of a phrase, as in prose, they match only as written). The keyword itself stays
a candidate for review: the parts are what it says, not all of it.

>>> from talkgraph.vocab.vocabulary import load_vocabulary
>>> vocab = load_vocabulary()
>>> [c.pref_label for c in parts(vocab, "Glitch classification", None)]
['classification', 'gravitational-wave detector glitches']
>>> [c.pref_label for c in parts(vocab, "Solar flare prediction", None)]
['Solar flares']
>>> parts(vocab, "Hubble flow", None), parts(vocab, "Stars behaving badly", None)
((), ())
>>> [c.pref_label for c in parts(vocab, "Class symbolic regression", None)], parts(vocab, "stan models", None)
(['symbolic regression'], ())
"""

from __future__ import annotations

from ..vocab.keywords import match_key
from ..vocab.skos import common_word
from ..vocab.vocabulary import THESAURUS, Concept, Vocabulary
from .patterns import case_sensitive
from .rules import QUALIFIED_HEADS, RULES, prose_drops

__all__ = ["parts", "qualified_heads", "PREPOSITIONS"]

#: Words that end a keyword's head and start its complement.
PREPOSITIONS = frozenset({"of", "for", "in", "on", "with", "using", "via", "from", "to", "by", "at", "and", "as"})


def parts(vocab: Vocabulary, text: str, primary: str | None) -> tuple[Concept, ...]:
    """The concepts that the head and the modifier of the keyword ``text`` name (see the module)."""
    words = text.split()
    cut = next((i for i, word in enumerate(words) if word.lower() in PREPOSITIONS), len(words))
    phrase = words[:cut]
    if len(phrase) < 2 and cut == len(words):
        return ()
    found: list[Concept] = []
    front = phrase
    for size in range(len(phrase), 0, -1):
        head = _named(vocab, phrase[-size:], primary, before=phrase[-size - 1] if size < len(phrase) else None)
        if head is not None:
            found.append(_qualified(vocab, phrase[-size:], head) if size < len(phrase) else head)
            front = phrase[:-size]
            break
    for size in range(len(front) - (front is phrase), 0, -1):
        modifier = _named(vocab, front[:size], primary, after=words[size] if size < len(words) else None)
        if modifier is not None:
            found.append(modifier)
            break
    return tuple(dict.fromkeys(found))


def qualified_heads(vocab: Vocabulary, text: str, concepts: tuple[Concept, ...]) -> tuple[Concept, ...]:
    """The ``concepts`` a keyword ``text`` was cut into (:meth:`~talkgraph.vocab.vocabulary.Vocabulary.match`'s
    "composite"), with the concept of its last word, qualified by the words before it, as the narrower one it
    then always is ("radio surveys": Radio astronomy and Sky surveys, not Surveys; ``qualified_heads``)."""
    words = text.split()
    if len(words) < 2 or words[-1].lower() not in QUALIFIED_HEADS:
        return concepts
    own = vocab.named((words[-1],), None)
    if own is None or own.concepts[0] not in concepts:
        return concepts
    into = _qualified(vocab, words[-1:], own.concepts[0])
    return tuple(dict.fromkeys(into if c is own.concepts[0] else c for c in concepts))


def _qualified(vocab: Vocabulary, head: list[str], concept: Concept) -> Concept:
    """The concept a keyword's ``head`` words name when words in front qualify them (``qualified_heads``)."""
    into = QUALIFIED_HEADS.get(" ".join(head).lower())
    return vocab.concepts.get(into, concept) if into is not None else concept


def _named(vocab: Vocabulary, words: list[str], primary: str | None, *, before: str | None = None,
           after: str | None = None) -> Concept | None:
    """The concept ``words`` name, unless a rule of prose says that here they do not; ``before`` is the
    word in front of them, ``after`` the word after them."""
    text = " ".join(words)
    match = vocab.named((text,), primary)
    if match is None:
        return None
    [concept] = match.concepts
    said = match_key(text)
    labels = [label for label in concept.labels if match_key(label) == said]
    if labels and all(label in concept.ambiguous for label in labels):
        return None  # a label that is no evidence in prose ("telescope", "survey") is none in a phrase either
    if labels and all(case_sensitive(label) for label in labels) and not any(
            text in (label, label + "s") for label in labels):
        return None  # an acronym or short name matches as written, as in prose: "Class …" is no CLASS
    if concept.scheme == THESAURUS and any(prose_drops(label, common_word(label)) for label in labels):
        return None
    name = concept.iri.rsplit("/", 1)[-1]
    for rule in RULES:
        if name in rule.concepts and (not rule.labels or said in rule.labels or text.lower() in rule.labels):
            if after is not None and after.lower() in rule.not_before:
                return None
            if before is not None and before.lower() in rule.not_after:
                return None
    return concept
