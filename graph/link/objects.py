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
from .candidates import WORD_CHARACTER
from .patterns import keyboard

__all__ = ["Catalogue", "catalogues", "find_objects", "label_of", "designated", "object_iri", "object_label",
           "is_object", "OBJECT_SCHEME"]

_OBJECTS = str(OBJECT_SCHEME) + "/"
_FIELD = re.compile(r"\{( ?)(\w+)\}")
_MINUS = str.maketrans({"\u2212": "-", "\u2013": "-", "\u2010": "-", "\u2011": "-"})


@dataclass(frozen=True)
class Catalogue:
    """One way of naming objects: a regular expression with named groups, and the ``label`` it gives
    (``{group}``, or ``{ group}`` for a space and the group when there is one)."""

    name: str
    pattern: re.Pattern
    label: str
    aliases: tuple[tuple[str, str, str], ...] = ()  # (group, as written, as labelled): ("cat", "Gliese", "GJ")
    most: int | None = None  # the highest number of the ``id`` group (Messier's 110)
    least: int | None = None  # the lowest ("HR 1" to "HR 99" are far more often hardness ratios than stars)
    not_before: frozenset[str] = frozenset()  # words after the designation that make it something else
    not_with: tuple[tuple[str, str], ...] = ()  # (label, word): not the object in a text with the word ("M20", "Gini")
    series: bool = False  # a run of designations of the catalogue ("M10, M11 and M12") is a list of something else
    examples: tuple[tuple[str, str], ...] = ()
    not_examples: tuple[str, ...] = ()
    needs: tuple[str, ...] = ()  # words one of which a text must hold for the pattern to be tried (see _starts)
    named_by_constellation: bool = False  # tried only on a text with a constellation's abbreviation or genitive

    def labelled(self, match: re.Match) -> str | None:
        """The label of a match, or None when the match is not one of this catalogue's objects."""
        groups = {key: _sign(value or "") for key, value in match.groupdict().items()}
        if self.most is not None and int(groups["id"]) > self.most:
            return None
        if self.least is not None and int(groups["id"]) < self.least:
            return None
        for group, written, labelled in self.aliases:
            if groups.get(group) == written:
                groups[group] = labelled
        return _FIELD.sub(lambda f: f.group(1) + groups[f.group(2)] if groups.get(f.group(2)) else "", self.label)


def _sign(text: str) -> str:
    """A designation's signs as the keyboard writes them: a minus, a dash or LaTeX's "$-$" is a hyphen."""
    return text.replace("$-$", "-").replace("--", "-").translate(_MINUS)


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
def _constellations() -> tuple[list[str], dict[str, str], dict[str, str], dict[str, str]]:
    """The IAU's constellations as the patterns read them: the abbreviations that are English words (not read
    after a star's letters or a number: "ML For Astronomy"), the others → their genitive, every abbreviation →
    its genitive, and each genitive → its abbreviation."""
    data = _data()
    english = data["variable_stars"]["english_abbreviations"]
    every = {abbreviation: genitive for abbreviation, _, genitive in data["constellations"]}
    return (english, {a: g for a, g in every.items() if a not in english}, every,
            {genitive: abbreviation for abbreviation, genitive in every.items()})


@cache
def catalogues() -> tuple[Catalogue, ...]:
    """The catalogues of ``designations.json``, then the stars named by constellation, in the file's order."""
    data = _data()
    out = [Catalogue(c["name"], _bounded(c["pattern"]), c["label"],
                     tuple((group, written, labelled) for group, table in c.get("aliases", {}).items()
                           for written, labelled in table.items()),
                     c.get("max"), c.get("min"), frozenset(c.get("not_before", "").split()),
                     tuple(c.get("not_with", {}).items()), c.get("series", False),
                     tuple(map(tuple, c.get("examples", ()))), tuple(c.get("not", ())), _starts(c["pattern"]))
           for c in data["catalogues"]]
    variable, bayer, flamsteed = data["variable_stars"], data["bayer"], data["flamsteed"]
    _, abbreviations, every_abbreviation, genitives = _constellations()

    def alternatives(words) -> str:
        return "|".join(sorted((re.escape(w) for w in words), key=len, reverse=True))

    # variable stars, by the abbreviation or the genitive ("SS Cyg", "SS Cygni": one label, the abbreviation's)
    out.append(Catalogue(
        "variable stars (GCVS)",
        _bounded(variable["names"] + r" (?P<con>" + alternatives([*abbreviations, *genitives]) + r")"
                 r"(?: (?P<part>[A-C]))?(?: ?(?P<planet>[b-h]))?"),
        "{id} {con}{ part}{ planet}", tuple(("con", genitive, abbr) for genitive, abbr in genitives.items()),
        named_by_constellation=True, not_before=frozenset(variable["not_before"].split()),
        examples=tuple(map(tuple, variable["examples"])), not_examples=tuple(variable["not"])))
    # Bayer: a Greek letter's name or symbol and the genitive; after a symbol, any abbreviation ("β Pic")
    greek = data["greek"]
    names = [*(n.capitalize() for n in greek), *greek]
    symbols = list(greek.values())
    letters = [("cat", written, name.capitalize()) for name, symbol in greek.items()
               for written in (name, name.capitalize(), symbol)]
    out.append(Catalogue(
        "Bayer",
        _bounded(r"(?:(?P<cat>" + alternatives(names + symbols) + r") (?P<con>"
                 + alternatives([*genitives, *abbreviations]) + r")|(?P<symbol>" + alternatives(symbols)
                 + r") (?P<abbr>" + alternatives(every_abbreviation)
                 + r"))(?: (?P<part>[A-C]))?(?: ?(?P<planet>[b-h]))?"),
        "{cat}{symbol} {con}{abbr}{ part}{ planet}",
        tuple(letters) + tuple(("symbol", symbol, name.capitalize()) for name, symbol in greek.items())
        + tuple(("con", abbr, genitive) for abbr, genitive in abbreviations.items())
        + tuple(("abbr", abbr, genitive) for abbr, genitive in every_abbreviation.items()),
        named_by_constellation=True, not_before=frozenset(bayer["not_before"].split()),
        examples=tuple(map(tuple, bayer["examples"])), not_examples=tuple(bayer["not"])))
    # Flamsteed: a number and the genitive or an abbreviation that is no English word ("51 Peg b", "47 Tuc")
    out.append(Catalogue(
        "Flamsteed",
        _bounded(r"(?P<id>[1-9][0-9]{0,2}) (?P<con>" + alternatives([*genitives, *abbreviations])
                 + r")(?: (?P<part>[A-C]))?(?: ?(?P<planet>[b-h]))?"),
        "{id} {con}{ part}{ planet}", tuple(("con", abbr, genitive) for abbr, genitive in abbreviations.items()),
        named_by_constellation=True, not_before=frozenset(flamsteed["not_before"].split()),
        examples=tuple(map(tuple, flamsteed["examples"])), not_examples=tuple(flamsteed["not"])))
    return tuple(out)


@cache
def _starts_pattern() -> re.Pattern:
    """The texts the catalogues' patterns start with: one search finds which of them a text holds before a
    number ("NGC 1977", "PSR J0437", "Sgr A*", "Cyg X-1"), so that a text that names a survey ("SDSS images",
    "Gaia DR3") or nothing tries no catalogue's pattern."""
    starts = {start for catalogue in catalogues() for start in catalogue.needs}
    return re.compile("(" + _trie(starts) + r")(?=[ -]?[JB]?[0-9+\-]|[ -]?A|[ -]X-)")


@cache
def _constellations_pattern() -> re.Pattern:
    """A constellation's genitive or abbreviation (not an English word) after a space: with
    :func:`_after_symbol`, a text without one names no star by its constellation."""
    _, abbreviations, _, genitives = _constellations()
    words = {*abbreviations, *(word for genitive in genitives for word in genitive.split())}
    return re.compile(" (?:" + _trie(words) + r")(?![\w-])")


@cache
def _after_symbol() -> tuple[re.Pattern, re.Pattern]:
    """A Greek letter's symbol, and one followed by an abbreviation that is an English word ("β Pic"): two
    searches, as one alternation would be tried at every character."""
    symbols = "".join(_data()["greek"].values())
    return re.compile(f"[{symbols}]"), re.compile(f"[{symbols}] (?:" + _trie(_constellations()[0]) + r")(?![\w-])")


def _names_stars(text: str) -> bool:
    if _constellations_pattern().search(text):
        return True
    if text.isascii():  # most texts: no Greek letter, and no search
        return False
    symbol, abbreviation = _after_symbol()
    return symbol.search(text) is not None and abbreviation.search(text) is not None


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


_WORD_AFTER = re.compile(r"\s*([A-Za-z]+)")


def find_objects(text: str) -> list[tuple[int, int, str, str]]:
    """``(start, end, text, label)`` of each designation in ``text``, in text order; of two that overlap, the
    longer (then the earlier) is kept. LaTeX's unbreakable space ("NGC~1977") is a space."""
    text = text.replace("~", " ") if "~" in text else text  # one character for one: the offsets hold
    found = []
    present = set(_starts_pattern().findall(text))
    stars = None
    for catalogue in catalogues():
        if catalogue.needs and present.isdisjoint(catalogue.needs):
            continue
        if catalogue.named_by_constellation:
            if stars is None:
                stars = _names_stars(text)
            if not stars:
                continue
        matches = []
        for match in catalogue.pattern.finditer(text):
            if match.start() and WORD_CHARACTER.match(text, match.start() - 1):
                continue
            label = catalogue.labelled(match)
            if label is None or any(label == named and word in text for named, word in catalogue.not_with):
                continue
            if catalogue.not_before:
                after = _WORD_AFTER.match(text, match.end())
                if after and after.group(1).lower() in catalogue.not_before:
                    continue
            matches.append((match.start(), match.end(), match.group(0), label))
            also = _CONTINUED.match(text, match.end())  # "NGC 4038/4039": the second of the catalogue too
            if also and match.groupdict().get("cat") and label.endswith(" " + (match.group("id") or "")):
                second = label.rsplit(" ", 1)[0] + " " + also.group(1)
                matches.append((also.start(1), also.end(1), also.group(1), second))
        if catalogue.series:
            matches = _not_in_series(text, matches)
        found += matches
    found.sort(key=lambda f: (f[0], f[0] - f[1]))
    kept: list[tuple[int, int, str, str]] = []
    for item in found:
        if not kept or item[0] >= kept[-1][1]:
            kept.append(item)
    return kept


_DIGIT_OR_STAR = re.compile(r"[0-9*]")
_CONTINUED = re.compile(r"/([0-9]{1,5})(?![\w-])")
_LIST_BETWEEN = re.compile(r"\s*(?:,|/|-|–|to|and|or|,\s*and)\s*")


def _not_in_series(text: str, matches: list[tuple[int, int, str, str]]) -> list[tuple[int, int, str, str]]:
    """``matches`` without those next to another of the same catalogue across a list's separator ("M10, M11
    and M12", "HR1-HR3"): numbered things, not the catalogue's objects."""
    listed = set()
    for (_, end, _, _), (start, _, _, _) in zip(matches, matches[1:]):
        if _LIST_BETWEEN.fullmatch(text, end, start):
            listed.update((end, start))
    return [m for m in matches if m[1] not in listed and m[0] not in listed]


def label_of(text: str) -> str | None:
    """The label of the designation that is the whole of ``text`` (as a mention's words are), LaTeX read as a
    reader would ("$\\omega$ Centauri" is Omega Centauri), or None."""
    read = reading(text)
    plain = keyboard(read.text if read else text)
    return next((label for start, end, _, label in find_objects(plain) if (start, end) == (0, len(plain))), None)


def designated(concepts) -> dict[str, str]:
    """Object label → the IRI of the vocabulary concept one of whose labels is that designation ("M31" and
    "NGC 224" are labels of UAT's Andromeda Galaxy), so that every spelling of the designation ("M 31") links
    the concept, not an object of its own; ``concepts`` are (IRI, labels) pairs, the first concept wins."""
    out: dict[str, str] = {}
    stars = _constellations_pattern()
    for iri, labels in concepts:
        for label in labels:
            if (_DIGIT_OR_STAR.search(label) or stars.search(" " + label)) and (named := label_of(label)) is not None:
                out.setdefault(named, iri)
    return out


def object_iri(label: str) -> str:
    """The IRI of the object a designation labels: the label with underscores for spaces, as Wikipedia's (and
    its own underscores escaped, "GW190521_030229")."""
    return _OBJECTS + quote(label.replace("_", "%5F").replace(" ", "_"), safe="_-.+*'%")


def is_object(iri: str) -> bool:
    return iri.startswith(_OBJECTS)


def object_label(iri: str) -> str | None:
    """The label of an object's IRI (:func:`object_iri`), or None for any other IRI."""
    return unquote(iri[len(_OBJECTS):].replace("_", " ")) if is_object(iri) else None
