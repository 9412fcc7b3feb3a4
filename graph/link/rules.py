"""False friends: the rules that say when a match of a concept's label is not a mention.

Owns the rules of ``mention_rules.json`` beside this module (the false friends and the words
never reported as candidate terms), the :class:`Rule` they are read into, and the test of one
match against a rule (:func:`passes`). The rules compare words, not spaCy objects: a match
arrives as token offsets and the doc's lower-case token hashes, so this module needs no spaCy.

>>> next(rule for rule in RULES if rule.name == "adam-the-optimiser").window
8
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Callable, NamedTuple

__all__ = ["Rule", "RULES", "HashedRule", "hash_rule", "passes", "NOT_CANDIDATES", "BOUND_PREFIXES", "QUALIFIED_HEADS", "ELIDED_SCHEMES", "ELIDED_CONCEPTS", "CONTEXT_RULES", "ProseRule", "PROSE_RULES",
           "prose_drops"]


@dataclass(frozen=True)
class Rule:
    """A false friend: when a match of one of ``concepts`` is not a mention.

    Checked in this order, on lower-case tokens around the match: dropped if the
    next token is in ``not_before`` or the previous one in ``not_after``; kept if
    a ``keep_if`` word is within ``window`` tokens; else dropped if a ``drop_if``
    word is there; else, when there is a ``keep_if`` list, dropped (the context it
    needs is missing). ``window=None`` means the whole talk (title and abstract).
    ``labels`` limits the rule to matches that read exactly so (lower case, tokens joined by spaces).
    A match the rule drops names the concept ``becomes`` instead, when it has one (the last segment
    of its IRI, as ``concepts``).
    """

    name: str
    concepts: frozenset[str]
    description: str
    labels: frozenset[str] = frozenset()
    keep_if: frozenset[str] = frozenset()
    drop_if: frozenset[str] = frozenset()
    not_before: frozenset[str] = frozenset()
    not_after: frozenset[str] = frozenset()
    window: int | None = 12
    becomes: str | None = None


@cache
def _data() -> dict:
    return json.loads(Path(__file__).with_name("mention_rules.json").read_text(encoding="utf-8"))


def _rule(entry: dict) -> Rule:
    words = {key: frozenset(entry[key].split()) for key in ("keep_if", "drop_if", "not_before", "not_after")
             if key in entry}
    window = {"window": entry["window"]} if "window" in entry else {}
    return Rule(entry["name"], frozenset(entry["concepts"]), entry["description"],
                labels=frozenset(entry.get("labels", ())), becomes=entry.get("becomes"), **words, **window)


#: The false-friend rules, in the order of ``mention_rules.json``.
RULES: tuple[Rule, ...] = tuple(_rule(entry) for entry in _data()["false_friends"])


#: Capitalised words and acronyms never reported as candidate terms (numerals, units).
NOT_CANDIDATES: frozenset[str] = frozenset(_data()["not_candidates"])

#: Prefixes that make a word of the word after their hyphen ("self-supervised"): no match starts there.
BOUND_PREFIXES: frozenset[str] = frozenset(_data()["bound_prefixes"]["prefixes"])

#: A keyword's head, qualified by words in front of it → the IRI of the concept it then names (:mod:`.parts`).
QUALIFIED_HEADS: dict[str, str] = dict(_data()["qualified_heads"]["heads"])

#: The schemes whose topics, and the concepts of other schemes, that a talk may name with a qualifier left out
#: ("strong gravitational lenses" … "the gravitational lenses": :meth:`.mentions.MentionExtractor._elided`).
ELIDED_SCHEMES: frozenset[str] = frozenset(_data()["elided_qualifiers"]["schemes"])
ELIDED_CONCEPTS: frozenset[str] = frozenset(_data()["elided_qualifiers"]["concepts"])

#: The subjects that narrow a bare topic word, as written in ``mention_rules.json`` (:mod:`.contexts` reads them).
CONTEXT_RULES: dict = _data()["contexts"]


@dataclass(frozen=True)
class ProseRule:
    """When a label of the thesaurus does not name its concept in titles and abstracts.

    ``drop`` says which labels the rule drops: ``"common_word"`` (one common English word, not an
    acronym), ``"short"`` (fewer than ``characters``) or ``"labels"`` (those in ``labels``, as written);
    a label in ``keep`` is kept all the same. ``dropped`` and ``kept`` are examples, the rule's test.
    """

    name: str
    description: str
    drop: str
    keep: frozenset[str] = frozenset()
    labels: frozenset[str] = frozenset()
    characters: int = 0
    dropped: tuple[str, ...] = ()
    kept: tuple[str, ...] = ()

    def drops(self, label: str, common: bool) -> bool:
        if label in self.keep:
            return False
        if self.drop == "common_word":
            return common
        if self.drop == "short":
            return len(label) < self.characters
        return label in self.labels


def _prose_rule(entry: dict) -> ProseRule:
    if entry["drop"] not in ("common_word", "short", "labels"):
        raise ValueError(f"prose rule {entry['name']!r}: unknown drop {entry['drop']!r}")
    examples = entry.get("examples", {})
    return ProseRule(entry["name"], entry["description"], entry["drop"], frozenset(entry.get("except", ())),
                     frozenset(entry.get("labels", ())), entry.get("characters", 0),
                     tuple(examples.get("dropped", ())), tuple(examples.get("kept", ())))


#: The rules for the thesaurus's labels in prose, in the order of ``mention_rules.json``.
PROSE_RULES: tuple[ProseRule, ...] = tuple(_prose_rule(entry) for entry in _data()["thesaurus_in_prose"])


def prose_drops(label: str, common: bool) -> ProseRule | None:
    """The first rule that keeps a thesaurus label out of prose, or ``None``; ``common``: the label is one
    common English word and not an acronym ("HIM", the hot ionized medium, is no everyday "him")."""
    return next((rule for rule in PROSE_RULES if rule.drops(label, common)), None)


class HashedRule(NamedTuple):
    """A :class:`Rule`'s word lists as spaCy's hashes of lower-case token text."""

    keep_if: frozenset[int]
    drop_if: frozenset[int]
    not_before: frozenset[int]
    not_after: frozenset[int]


def hash_rule(rule: Rule, add: Callable[[str], int]) -> HashedRule:
    """The rule's word lists hashed by ``add`` (the string store's, which compares tokens by hash)."""
    return HashedRule(*(frozenset(add(w) for w in words) for words in (
        rule.keep_if, rule.drop_if, rule.not_before, rule.not_after)))


def passes(rule: Rule, hashed: HashedRule, lowers: list[int], span, whole: set[str] | None) -> bool:
    """Whether a match (that reads as one of the rule's ``labels``, if it has any) survives ``rule``.

    ``span`` starts with the match's token offsets, ``lowers`` holds the doc's LOWER hashes, and
    ``whole`` the talk's lower-case words (for a rule whose window is the whole talk).
    """
    start, end = span[0], span[1]
    if end < len(lowers) and lowers[end] in hashed.not_before:
        return False
    if start > 0 and lowers[start - 1] in hashed.not_after:
        return False
    if rule.window is None:
        context, keep_if, drop_if = whole or set(), rule.keep_if, rule.drop_if
    else:
        context = set(lowers[max(0, start - rule.window):start])
        context.update(lowers[end:end + rule.window])
        keep_if, drop_if = hashed.keep_if, hashed.drop_if
    if keep_if and not context.isdisjoint(keep_if):
        return True
    if drop_if:
        return context.isdisjoint(drop_if)
    return not keep_if
