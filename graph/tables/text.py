"""Cleaning cell text without losing it: Unicode NFC, whitespace, real HTML markup to plain text.

Pure functions with no RDF in sight, so they are quick to property-test.

>>> clean_text("  Cl\\u0061\\u0301r-Br\\u00edd \\t Tohill ")
'Clár-Bríd Tohill'
>>> html_to_text('<p>See <a href="https://x.org/a">the data</a>.</p> <p>H $\\\\alpha$</p>')
('See the data.\\n\\nH $\\\\alpha$', ['https://x.org/a'])
"""

from __future__ import annotations

import json
import re
import unicodedata
from dataclasses import dataclass
from functools import cache
from html import unescape
from html.entities import html5
from pathlib import Path
from typing import NamedTuple

from anyascii import anyascii

__all__ = ["clean_text", "html_to_text", "strip_markup", "Cleaned", "Markup", "NO_MARKUP", "slugify", "fold", "evidence_sentence"]

_SPACE = re.compile(r"[ \t\f\v\u00a0\u2000-\u200b\u202f\u205f\u3000]+")
_BREAKS = re.compile(r"\n\s*\n")  # paragraphs are stripped afterwards; a literal first is faster
_URL = re.compile(r"\bhttps?://[^\s<>\"')\]]+", re.IGNORECASE)
# Drop control characters (but not tab/newline) and the Unicode replacement char.
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ufffd\u200e\u200f\ufeff]")
_ASCII_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def _nfc(value: str) -> str:
    if not value.isascii():
        value = _CONTROL.sub("", value)
        if not unicodedata.is_normalized("NFC", value):
            value = unicodedata.normalize("NFC", value)
    elif _ASCII_CONTROL.search(value):
        value = _CONTROL.sub("", value)
    return value


def clean_text(value: str | None) -> str:
    """NFC-normalise, drop control characters and collapse all whitespace to single spaces."""
    if not value:
        return ""
    return " ".join(_nfc(value).split())


def fold(value: str) -> str:
    """Lower-case ASCII-ish form for comparisons: accents stripped, case folded."""
    if value.isascii():
        return value.lower()
    decomposed = unicodedata.normalize("NFKD", value)
    return "".join(c for c in decomposed if not unicodedata.combining(c)).casefold()


def slugify(value: str, *, max_length: int = 80) -> str:
    """Readable IRI segment: ``"Clár-Bríd Tohill"`` → ``"clar-brid-tohill"``.

    Any script is transliterated (``"Søren"`` → ``"soren"``, ``"Ольга"`` → ``"olga"``);
    cut at a word boundary when longer than ``max_length``.
    """
    slug = re.sub(r"[^a-z0-9]+", "-", anyascii(value).lower().replace("'", "")).strip("-")
    if len(slug) > max_length:
        slug = slug[:max_length].rsplit("-", 1)[0]
    return slug


@dataclass(frozen=True)
class Markup:
    """How much markup was taken out of some text: HTML tags, HTML comments, entities decoded.

    >>> Markup(tags=2) + Markup(tags=1, entities=3)
    Markup(tags=3, comments=0, entities=3)
    """

    tags: int = 0
    comments: int = 0
    entities: int = 0

    def __add__(self, other: "Markup") -> "Markup":
        return Markup(self.tags + other.tags, self.comments + other.comments, self.entities + other.entities)

    def __bool__(self) -> bool:
        return bool(self.tags or self.comments or self.entities)


NO_MARKUP = Markup()


class Cleaned(NamedTuple):
    """A cell's plain text, the web addresses it links to, and the markup taken out of it."""

    text: str
    links: list[str]
    removed: Markup


@cache
def _html() -> dict[str, frozenset[str] | dict[str, str]]:
    """The HTML names of graph/tables/html_markup.json (rules as data: see docs/input.md)."""
    data = json.loads(Path(__file__).with_name("html_markup.json").read_text(encoding="utf-8"))
    return {key: dict(values) if isinstance(values, dict) else frozenset(values)
            for key, values in data.items() if not key.startswith("_") and not key.endswith("_why")}


# A tag is looked for only in a window this long, so that a huge cell full of unclosed quotes
# costs linear time; a real tag is far shorter.
_TAG_WINDOW = 4096
_CANDIDATE = re.compile(r"<!--|</?[A-Za-z]|&(?:#[0-9]{1,8}|#[xX][0-9a-fA-F]{1,7}|[A-Za-z][A-Za-z0-9]{1,31});")
_VALUE = r"""(?:"[^"<]*"|'[^'<]*'|[^\s"'=<>`]+)"""
_TAG = re.compile(r"<(/?)([A-Za-z][A-Za-z0-9]*)((?:\s+[^\s\"'<>/=]+(?:\s*=\s*" + _VALUE + r")?)*)\s*/?>")
_ATTRIBUTE = re.compile(r"\s+([^\s\"'<>/=]+)(?:\s*=\s*(" + _VALUE + r"))?")
_ATTRIBUTE_PREFIXES = ("data-", "aria-", "on")


def _attributes(text: str) -> list[tuple[str, str | None]] | None:
    """The (name, value) pairs of a tag, or ``None`` if one of them is no HTML attribute
    (``<b and c>`` is a comparison, not bold text with attributes ``and`` and ``c``)."""
    pairs = []
    for name, value in _ATTRIBUTE.findall(text):
        name = name.lower()
        quoted = value[:1] in ('"', "'")
        if not (name in _html()["attributes"] or quoted or
                (name.startswith(_ATTRIBUTE_PREFIXES) and len(name) > 5 and name[5:].replace("-", "").isalnum())):
            return None
        pairs.append((name, unescape(value[1:-1] if quoted else value) if value else None))
    return pairs


def _entity(reference: str) -> str | None:
    """The character(s) an entity reference stands for, or ``None`` if it is not a real one."""
    if reference[1] == "#":
        code = int(reference[3:-1], 16) if reference[2] in "xX" else int(reference[2:-1])
        if code > 0x10FFFF or 0xD800 <= code <= 0xDFFF or (code < 32 and code not in (9, 10, 13)) \
                or 0x7F <= code <= 0x9F:
            return None  # no character, or a control character: kept as written
        return chr(code)
    return html5.get(reference[1:])


def _scan(value: str) -> list[tuple[int, int, str, object]]:
    """Every piece of real markup in ``value``, in order: (start, end, kind, detail).

    kind is "comment", "entity" (detail: its text), or "start"/"end" (detail: name and attributes).
    Tags are only candidates here; :func:`_pair` decides which of them are markup.
    """
    found = []
    elements = _html()["elements"]
    position, comments_closed = 0, True
    while match := _CANDIDATE.search(value, position):
        start, token = match.start(), match.group()
        position = start + 1
        if token == "<!--":
            end = value.find("-->", start + 4) if comments_closed else -1
            comments_closed = end >= 0  # no "-->" after this one: none after any later "<!--" either
            if end >= 0:
                found.append((start, end + 3, "comment", None))
                position = end + 3
        elif token[0] == "&":
            decoded = _entity(token)
            if decoded is not None:
                found.append((start, match.end(), "entity", decoded))
                position = match.end()
        else:
            tag = _TAG.match(value, start, min(len(value), start + _TAG_WINDOW))
            if tag and tag[2].lower() in elements:
                closing, name = bool(tag[1]), tag[2].lower()
                attributes = None if closing and tag[3] else _attributes(tag[3])
                if attributes is not None:
                    found.append((start, tag.end(), "end" if closing else "start", (name, attributes)))
                    position = tag.end()
    return _pair(found)


def _pair(found: list[tuple[int, int, str, object]]) -> list[tuple[int, int, str, object]]:
    """Keep the tags that are surely markup: standalone ones (``<p>``, ``<br>``), ones with
    attributes, and start and end tags that pair up (``<i>x</i>``). A bare ``<b>`` with no
    ``</b>`` after it, or a ``</i>`` with no ``<i>`` before it, is text."""
    html = _html()
    keep = [True] * len(found)
    open_tags: dict[str, list[int]] = {}
    for index, (_, _, kind, detail) in enumerate(found):
        if kind not in ("start", "end"):
            continue
        name, attributes = detail
        if name in html["standalone"]:
            continue
        if name in html["needs_attributes"]:
            keep[index] = kind == "start" and bool(attributes)
        elif kind == "start":
            open_tags.setdefault(name, []).append(index)
            keep[index] = bool(attributes)  # until its end tag is found
        elif open_tags.get(name):
            keep[open_tags[name].pop()] = True
        else:
            keep[index] = False
    return [token for token, kept in zip(found, keep) if kept]


def strip_markup(value: str | None, *, inline: bool = False) -> Cleaned:
    """Plain text of a cell, the web addresses it links to, and what markup was taken out.

    Only real markup goes: tags of HTML elements (``<p>``, ``<i>…</i>``, ``<a href=…>``),
    HTML comments and the entities HTML defines (``&amp;``, ``&#233;``). Everything else is
    kept as written: ``a<b``, ``c>d``, ``<M>``, ``<T> > 5``, ``&foo;``, ``R&D``, LaTeX.
    Paragraph tags become blank lines (a space with ``inline``), whitespace is collapsed,
    and ``<a href>`` targets and bare URLs are returned in order, without duplicates.

    >>> strip_markup("Why a<b and c>d in <M> estimates")
    Cleaned(text='Why a<b and c>d in <M> estimates', links=[], removed=Markup(tags=0, comments=0, entities=0))
    >>> strip_markup("<p>H<sub>2</sub>O &amp; <!-- draft --><i>x</i></p>").removed
    Markup(tags=6, comments=1, entities=1)
    >>> strip_markup("Speed-up &gt; 10<sup>4</sup> in H<sub>2</sub>O", inline=True).text
    'Speed-up > 10^4 in H2O'
    """
    if not value:
        return Cleaned("", [], NO_MARKUP)
    value = _nfc(value)
    links: list[str] = []
    removed = NO_MARKUP
    if "<" in value or "&" in value:
        markup = _scan(value)
        if markup:
            paragraph, start_text = _html()["paragraph"], _html().get("start_text", {})
            parts, position, counts = [], 0, {"start": 0, "end": 0, "comment": 0, "entity": 0}
            for start, end, kind, detail in markup:
                parts.append(value[position:start])
                position = end
                counts[kind] += 1
                if kind == "entity":
                    parts.append(detail)
                elif kind != "comment":
                    name, attributes = detail
                    if name in paragraph:
                        parts.append("\n\n")
                    elif kind == "start" and name in start_text:  # "10<sup>4</sup>" reads "10^4"
                        parts.append(start_text[name])
                    if name == "a" and kind == "start":
                        links.extend(v.strip() for k, v in attributes if k == "href" and v and v.strip())
            parts.append(value[position:])
            value = _nfc("".join(parts))  # a removed tag or a decoded entity may leave a pair to compose
            removed = Markup(counts["start"] + counts["end"], counts["comment"], counts["entity"])
    if inline:
        text = " ".join(value.split())
    elif "\n" in value or "\r" in value:
        paragraphs = [" ".join(p.split()) for p in _BREAKS.split(value.replace("\r", "\n"))]
        text = "\n\n".join(p for p in paragraphs if p)
    else:
        text = " ".join(value.split())
    if "://" in text:
        links.extend(url.rstrip(".,;:") for url in _URL.findall(text))
    return Cleaned(text, list(dict.fromkeys(links)), removed)


def html_to_text(value: str | None) -> tuple[str, list[str]]:
    """Plain text of an abstract and the web addresses it links to (see :func:`strip_markup`).

    Paragraph tags become blank lines, other tags of HTML elements disappear, entities are
    decoded, text that only looks like markup (``<M>``, ``a<b``) and LaTeX (``$10^5$``) are
    left exactly as written, and both ``<a href>`` targets and bare URLs in the text are
    returned (in order, without duplicates).
    """
    text, links, _ = strip_markup(value)
    return text, links


_SENTENCE_END = (". ", "? ", "! ", "\n")


def evidence_sentence(text: str, start: int, end: int, *, longest: int = 320) -> str:
    """The sentence of ``text`` around ``text[start:end]``, cut with "…" when it is very long.

    >>> evidence_sentence("We model noise. A U-Net segments the maps. Results follow.", 18, 23)
    'A U-Net segments the maps.'
    """
    begin = max((text.rfind(mark, 0, start) + len(mark) for mark in _SENTENCE_END if text.rfind(mark, 0, start) >= 0),
                default=0)
    stops = [text.find(mark, end) + 1 for mark in _SENTENCE_END if text.find(mark, end) >= 0]
    finish = min(stops, default=len(text))
    sentence = text[begin:finish].strip()
    if len(sentence) <= longest:
        return sentence
    half = longest // 2  # keep the quote in the middle of what is shown
    left = max(begin, start - half)
    right = min(finish, max(end + half, left + longest))
    return ("… " if left > begin else "") + text[left:right].strip() + (" …" if right < finish else "")
