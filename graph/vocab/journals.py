"""Journal keywords: "category: subterm" as MNRAS, A&A and other journals print them.

"galaxies: evolution", "stars: fundamental parameters", "Sun: faculae, plages",
"methods: data analysis": the category names the field and the subterm the topic within
it, and neither alone is the concept. This module reads such a keyword into the readings
a term is tried in (:class:`~talkgraph.vocab.keywords.Term` variants, first first); the
categories, their modifiers and the keywords whose words do not compose are data, in
``journal_keywords.json`` beside this module. Pure functions, no vocabulary.

>>> read("galaxies: evolution")
[('galaxy evolution', 'galactic evolution', 'evolution galaxies', 'evolution of galaxies', 'evolution')]
>>> read("galaxies: photometric")[0][:2], read("galaxies: elliptical and lenticular")[1][2]
(('galaxy photometry', 'galactic photometry'), 'lenticular galaxies')
>>> read("methods: data analysis"), read("stars: general"), read("stars: individual")
([('Astronomy data analysis',)], [('stars',)], [])
>>> read("galaxies: individual: Andromeda")  # the object by its name, not any galaxy
[('Andromeda', 'Andromeda galaxy')]
>>> category_of("Deep learning") is None, inherit("sun", ("photosphere",))
(True, ('solar photosphere', 'photosphere sun', 'photosphere of sun', 'photosphere'))
"""

from __future__ import annotations

import json
import re
from functools import cache, lru_cache
from pathlib import Path

from .wordforms import singular

__all__ = ["category_of", "read", "crosswalked", "inherit", "rules", "apart"]

_QUALIFIED = re.compile(r"^\s*(?:\([^()]*\)\s*)?(?P<category>[^:()]+?)\s*:\s*(?P<subterm>\S.*?)\s*$")
_AND = re.compile(r"\s+(?:and|&)\s+", re.IGNORECASE)
#: subterms that name objects, which the keyword's parentheses give ("stars: individual (CG Cyg B)")
_OBJECTS = {"individual"}
#: a category in brackets, for reference only: "(stars:) brown dwarfs"
_REFERENCE = re.compile(r"^\s*\([^()]*:\s*\)\s*")
_DASHES = re.compile(r"[\u2010-\u2015\u2212]")


@cache
def rules() -> dict:
    """The categories, the words meaning the category itself, and the crosswalk, as written in the data file."""
    return json.loads(Path(__file__).with_name("journal_keywords.json").read_text(encoding="utf-8"))


@cache
def _crosswalk() -> dict[str, tuple[str, ...]]:
    """The crosswalk by :func:`_key`, each keyword with its labels (one, or a list where it names several concepts)."""
    return {_key(keyword): (labels,) if isinstance(labels, str) else tuple(labels)
            for keyword, labels in rules()["crosswalk"].items()}


def _key(keyword: str) -> str:
    """How a keyword is looked up in the crosswalk: case, spacing and the kind of dash do not matter."""
    return " ".join(_DASHES.sub("-", keyword).split()).lower().rstrip(" .")


def _labels(keyword: str) -> tuple[str, ...]:
    return _crosswalk().get(_key(keyword), ())


@lru_cache(maxsize=65536)  # asked of every cell, run and term: terms recur where whole cells do not
def crosswalked(text: str) -> tuple[tuple[str, ...], ...]:
    """The readings of ``text`` if it is, whole, a keyword of the crosswalk (with or without its category,
    commas and dashes included: "nuclear reactions, nucleosynthesis, abundances", "masers"), one per
    concept; ``()`` for any other text."""
    return tuple((label,) for label in _labels(_REFERENCE.sub("", text)))


@cache
def _unseparated() -> re.Pattern:
    """A journal category and its colon after a word of the keyword before it: where a keyword starts in a
    line whose separators were lost ("planets and satellites: detection methods: data analysis")."""
    names = sorted({*rules()["categories"], *rules()["aliases"]}, key=len, reverse=True)
    return re.compile(r"(?<=[^\s:])\s+(?=(?:" + "|".join(map(re.escape, names)) + r")\s*:)", re.IGNORECASE)


def apart(run: str) -> list[str]:
    """The journal keywords of a ``run`` printed without separators between them, else ``[run]``: a new keyword
    starts at each category and colon that follows a word of the one before (after a category's own colon, as
    in "gamma-rays: galaxies: clusters", the next category is the subterm's).

    >>> apart("planets and satellites: detection methods: data analysis techniques: photometric")
    ['planets and satellites: detection', 'methods: data analysis', 'techniques: photometric']
    >>> apart("gamma-rays: galaxies: clusters"), apart("methods: data analysis")
    (['gamma-rays: galaxies: clusters'], ['methods: data analysis'])
    """
    if run.count(":") < 2:
        return [run]
    return _unseparated().split(run)


def category_of(piece: str) -> tuple[str, str] | None:
    """``(category, subterm)`` of a journal keyword, the category in lower case; ``None`` if ``piece`` is none."""
    match = _QUALIFIED.match(piece) if ":" in piece else None
    if match is None:
        return None
    category = " ".join(match["category"].split()).lower()
    category = rules()["aliases"].get(category, category)
    return (category, match["subterm"]) if category in rules()["categories"] else None


def read(piece: str) -> list[tuple[str, ...]]:
    """The readings of each term of the journal keyword ``piece`` (one tuple of variants per term)."""
    category, subterm = category_of(piece) or (None, None)
    if category is None:
        return []
    whole = _labels(f"{category}: {subterm}")
    if whole:
        return [(label,) for label in whole]
    out = []
    for part in _AND.split(subterm):
        part = part.strip(" .")
        if ":" in part:  # "stars: variables: general" → "variables"; "variables: Cepheids" → "Cepheids variables"
            first, _, last = (p.strip() for p in part.partition(":"))
            if first.lower() in _OBJECTS and last:  # "galaxies: individual: Andromeda": the object, by its name
                out.append(tuple(dict.fromkeys((last, f"{last} {singular(category)}"))))
                continue
            part = first if last.lower() in rules()["itself"] else f"{last} {first}"
        if not part or part.lower() in _OBJECTS:
            continue
        if part.lower() in rules()["itself"]:
            out.extend((label,) for label in _labels(f"{category}: general") or (category,))
        elif len(labels := _labels(f"{category}: {part}")) > 1:
            out.extend((label,) for label in labels)
        else:
            out.append(inherit(category, (part,)))
    return out


def inherit(category: str, variants: tuple[str, ...]) -> tuple[str, ...]:
    """The readings of ``variants[0]`` within ``category`` ("sun", "photosphere" → "solar photosphere", …), then
    ``variants`` as they are."""
    term = variants[0]
    composed = list(_labels(f"{category}: {term}"))
    noun = rules()["nouns"].get(term.lower(), term)
    composed += [f"{modifier} {noun}" for modifier in rules()["categories"].get(category, ())]
    composed += [f"{term} {category}", f"{term} of {category}"]
    return tuple(dict.fromkeys(composed + list(variants)))
