"""Astronomical objects a talk names by their designation: "NGC 1977", "GW170817", "AT 2018moa", "HD 189733 b".

Owns the designation rules of ``designations.json`` beside this module (catalogues' patterns and labels, the
IAU's constellations and the Greek letters, each with examples that are tests), finding designations in a text
(:func:`find_objects`), and the IRI of an object and its label (:func:`object_iri`, :func:`object_label`). No
vocabulary lists the objects: a designation is read, so any object of a known catalogue is found, and each
object has one IRI however it is spelt ("NGC1977", "NGC 1977"). Works on strings only, no spaCy;
:class:`~.mentions.MentionExtractor` adds the designations that no concept's words cover to a talk's mentions.

>>> [(text, label) for _, _, text, label in find_objects("The kilonova AT2017gfo of GW170817 and the jet of M 87.")]
[('AT2017gfo', 'AT 2017gfo'), ('GW170817', 'GW170817'), ('M 87', 'M87')]
>>> object_iri("Sgr A*"), object_label(object_iri("HD 189733 b"))
('https://w3id.org/talkgraph/vocab/object/Sgr_A*', 'HD 189733 b')
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from urllib.parse import quote, unquote

from ..namespaces import OBJECT_SCHEME
from ..tables.latex import reading
from .patterns import keyboard

__all__ = ["Catalogue", "catalogues", "find_objects", "label_of", "object_iri", "object_label", "is_object",
           "OBJECT_SCHEME"]

_OBJECTS = str(OBJECT_SCHEME) + "/"
_FIELD = re.compile(r"\{( ?)(\w+)\}")
_MINUS = str.maketrans({"\u2212": "-", "\u2013": "-"})


@dataclass(frozen=True)
class Catalogue:
    """One way of naming objects: a regular expression with named groups, and the ``label`` it gives
    (``{group}``, or ``{ group}`` for a space and the group when there is one)."""

    name: str
    pattern: re.Pattern
    label: str
    aliases: tuple[tuple[str, str], ...] = ()  # a group's value as written → the label's ("Gliese" → "GJ")
    most: int | None = None  # the highest number of the ``id`` group (Messier's 110)
    not_before: frozenset[str] = frozenset()  # words after the designation that make it something else
    examples: tuple[tuple[str, str], ...] = ()
    not_examples: tuple[str, ...] = ()
    needs: tuple[str, ...] = ()  # words one of which a text must hold for the pattern to be tried (see _starts)
    named_by_constellation: bool = False  # tried only on a text with a constellation's abbreviation or genitive

    def labelled(self, match: re.Match) -> str | None:
        """The label of a match, or None when the match is not one of this catalogue's objects."""
        groups = {key: (value or "").translate(_MINUS) for key, value in match.groupdict().items()}
        if self.most is not None and int(groups["id"]) > self.most:
            return None
        aliases = dict(self.aliases)
        groups = {key: aliases.get(value, value) for key, value in groups.items()}
        return _FIELD.sub(lambda f: f.group(1) + groups[f.group(2)] if groups.get(f.group(2)) else "", self.label)


@cache
def _data() -> dict:
    return json.loads(Path(__file__).with_name("designations.json").read_text(encoding="utf-8"))


_ALTERNATIVES = re.compile(r"\(\?(?:P<\w+>|:)([\w|\- ]+)\)|([A-Za-z0-9]+)")


def _starts(pattern: str) -> tuple[str, ...]:
    """The literal texts a pattern can start with ("NGC", "IC" for ``(?P<cat>NGC|IC) ?...``): a text with none of
    them is not searched (a substring test costs a tenth of a search)."""
    found = _ALTERNATIVES.match(pattern)
    starts = tuple(found.group(1).split("|")) if found and found.group(1) else (found.group(2),) if found else ()
    return () if any(len(start) < 2 for start in starts) else starts  # "M": in most texts, so always tried


def _bounded(pattern: str) -> re.Pattern:
    # No look-behind at the start: the engine then skips ahead to the characters a pattern can start with
    # (ten times faster); :func:`find_objects` checks the character before.
    return re.compile(r"(?:" + pattern + r")(?![\w-])")


@cache
def catalogues() -> tuple[Catalogue, ...]:
    """The catalogues of ``designations.json``, then the stars named by constellation, in the file's order."""
    data = _data()
    out = [Catalogue(c["name"], _bounded(c["pattern"]), c["label"], tuple(c.get("aliases", {}).items()),
                     c.get("max"), frozenset(c.get("not_before", "").split()),
                     tuple(map(tuple, c.get("examples", ()))), tuple(c.get("not", ())), _starts(c["pattern"]))
           for c in data["catalogues"]]
    constellations = data["constellations"]
    variable = data["variable_stars"]
    english = set(variable["english_abbreviations"])  # not read as a constellation's abbreviation
    abbreviations = {abbr: genitive for abbr, _, genitive in constellations if abbr not in english}
    genitives = {genitive: genitive for _, _, genitive in constellations}
    star_abbreviations = "|".join(sorted(abbreviations, key=len, reverse=True))
    out.append(Catalogue("variable stars (GCVS)",
                         _bounded(variable["names"] + r" (?P<con>" + star_abbreviations + r")(?: (?P<part>[A-C]))?"),
                         "{id} {con}{ part}", named_by_constellation=True,
                         not_before=frozenset(variable["not_before"].split()),
                         examples=tuple(map(tuple, variable["examples"])),
                         not_examples=tuple(variable["not"])))
    greek = data["greek"]
    letters = "|".join([*(n.capitalize() for n in greek), *greek, *greek.values()])
    names = "|".join(sorted([*genitives, *abbreviations], key=len, reverse=True))
    aliases = tuple((written, name.capitalize()) for name, symbol in greek.items()
                    for written in (name, name.capitalize(), symbol)) + tuple(abbreviations.items())
    out.append(Catalogue("Bayer", _bounded(r"(?P<cat>" + letters + r") (?P<con>" + names
                                           + r")(?: (?P<part>[A-C]))?(?: (?P<planet>[b-h]))?"),
                         "{cat} {con}{ part}{ planet}", aliases, named_by_constellation=True,
                         not_before=frozenset(data["bayer"]["not_before"].split()),
                         examples=tuple(map(tuple, data["bayer"]["examples"])),
                         not_examples=tuple(data["bayer"]["not"])))
    out.append(Catalogue("Flamsteed", _bounded(r"(?P<id>[1-9][0-9]{0,2}) (?P<con>"
                                               + "|".join(sorted(genitives, key=len, reverse=True))
                                               + r")(?: (?P<planet>[b-h]))?"),
                         "{id} {con}{ planet}", named_by_constellation=True,
                         not_before=frozenset(data["flamsteed"]["not_before"].split()),
                         examples=tuple(map(tuple, data["flamsteed"]["examples"])),
                         not_examples=tuple(data["flamsteed"]["not"])))
    return tuple(out)




@cache
def _starts_pattern() -> re.Pattern:
    """The texts the catalogues' patterns start with: one search finds which of them a text holds before a
    number ("NGC 1977", "PSR J0437", "Sgr A*"), so that a text that names a survey ("SDSS images", "Gaia DR3")
    or nothing tries no catalogue's pattern."""
    starts = {start for catalogue in catalogues() for start in catalogue.needs}
    return re.compile("(" + _trie(starts) + r")(?=[ -]?[JB]?[0-9+\-]|[ -]?A\*)")


@cache
def _constellations_pattern() -> re.Pattern:
    """A constellation's genitive or abbreviation (not an English word) after a space: a text without one names
    no star by its constellation."""
    data = _data()
    english = set(data["variable_stars"]["english_abbreviations"])
    words = {word for abbreviation, _, genitive in data["constellations"]
             for word in ((abbreviation,) if abbreviation not in english else ()) + tuple(genitive.split())}
    return re.compile(" (?:" + _trie(words) + r")(?![\w-])")


def _trie(words) -> str:
    """A regular expression that matches any of ``words``, as a trie: the engine tries each alternative in
    turn, so one branch per first character is several times faster than a list of eighty words.

    >>> _trie(["NGC", "NGTS", "IC"])
    '(?:IC|NG(?:C|TS))'
    """
    tree: dict = {}
    for word in words:
        node = tree
        for character in word:
            node = node.setdefault(character, {})
        node[""] = {}

    def branch(node: dict) -> str:
        alternatives = [re.escape(c) + branch(child) for c, child in sorted(node.items()) if c]
        if not alternatives:
            return ""
        body = alternatives[0] if len(alternatives) == 1 else "(?:" + "|".join(alternatives) + ")"
        return f"(?:{body})?" if "" in node else body

    return branch(tree)


_GLUED = re.compile(r"[\w-]")
_WORD_AFTER = re.compile(r"\s*([A-Za-z]+)")


def find_objects(text: str) -> list[tuple[int, int, str, str]]:
    """``(start, end, text, label)`` of each designation in ``text``, in text order; of two that overlap, the
    longer (then the earlier) is kept."""
    found = []
    present = set(_starts_pattern().findall(text))
    stars = None
    for catalogue in catalogues():
        if catalogue.needs and present.isdisjoint(catalogue.needs):
            continue
        if catalogue.named_by_constellation:
            if stars is None:
                stars = _constellations_pattern().search(text) is not None
            if not stars:
                continue
        for match in catalogue.pattern.finditer(text):
            if match.start() and _GLUED.match(text, match.start() - 1):
                continue
            label = catalogue.labelled(match)
            if label is None:
                continue
            if catalogue.not_before:
                after = _WORD_AFTER.match(text, match.end())
                if after and after.group(1).lower() in catalogue.not_before:
                    continue
            found.append((match.start(), match.end(), match.group(0), label))
    found.sort(key=lambda f: (f[0], f[0] - f[1]))
    kept: list[tuple[int, int, str, str]] = []
    for item in found:
        if not kept or item[0] >= kept[-1][1]:
            kept.append(item)
    return kept


def label_of(text: str) -> str | None:
    """The label of the designation that is the whole of ``text`` (as a mention's words are), LaTeX read as a
    reader would ("$\\omega$ Centauri" is Omega Centauri), or None."""
    read = reading(text)
    plain = keyboard(read.text if read else text)
    return next((label for start, end, _, label in find_objects(plain) if (start, end) == (0, len(plain))), None)


def object_iri(label: str) -> str:
    """The IRI of the object a designation labels: the label with underscores for spaces, as Wikipedia's (and
    its own underscores escaped, "GW190521_030229")."""
    return _OBJECTS + quote(label.replace("_", "%5F").replace(" ", "_"), safe="_-.+*'%")


def is_object(iri: str) -> bool:
    return iri.startswith(_OBJECTS)


def object_label(iri: str) -> str | None:
    """The label of an object's IRI (:func:`object_iri`), or None for any other IRI."""
    return unquote(iri[len(_OBJECTS):].replace("_", " ")) if is_object(iri) else None
