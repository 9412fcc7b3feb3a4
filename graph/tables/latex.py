"""How an abstract written with LaTeX reads: "$\\gamma$-ray bursts" is "γ-ray bursts".

Abstracts copied from arXiv keep their LaTeX: inline math for Greek letters and symbols
("$\\Lambda$CDM", "H$\\alpha$", "$T_{\\rm eff}$") and a few text commands ("\\textit{Gaia}").
The graph keeps the text as written; the mention extractor reads it as a reader would, with
the math's Greek letters as letters, font commands and braces dropped and the dollar signs
gone, and gives its mentions the offsets of the text as written. The commands and symbols
are data, in ``latex.json`` beside this module. Pure functions, no dependency: a full LaTeX
parser would give the same on the inline math of abstracts, which is all that is read here.

>>> reading("Constraints on $\\\\Lambda$CDM from H$\\\\alpha$ and \\\\textit{Gaia}").text
'Constraints on ΛCDM from Hα and Gaia'
>>> read = reading("$\\\\gamma$-ray bursts")
>>> read.text, read.span(0, 5)
('γ-ray bursts', (0, 12))
>>> reading("No markup at all.") is None
True
"""

from __future__ import annotations

import json
import re
import unicodedata
from functools import cache
from pathlib import Path
from bisect import bisect_right
from typing import Iterator, NamedTuple

__all__ = ["Reading", "reading", "bibtex_text"]

#: inline math as pandoc finds it: on one line, no space just inside the dollars and no digit just after
#: the closing one ("costs $5 and $10" is no math), at most 200 characters; and no backslash before the opening
#: one, which :func:`_maths` checks: a pattern that began with that look-behind would be tried at every
#: character of the text, not only at the dollars (eight times as slow)
_MATH = re.compile(r"\$(?!\s)([^$\n]{1,200}?)(?<![\s\\])\$(?!\d)")
_COMMAND = re.compile(r"\\([A-Za-z]+|[,;:!% &$_#])")
#: escaped characters outside math, read as themselves
_ESCAPED = frozenset("%&$_#")


class Reading(NamedTuple):
    """The text as read, in pieces: ``(start in the reading, start in the text, length in the text,
    copied)``. A copied piece is the text as written, character for character; any other piece is
    one thing read from a stretch of the text ("γ" from "$\\gamma"), whose characters all come from it."""

    text: str
    pieces: list[tuple[int, int, int, bool]]

    def span(self, start: int, end: int) -> tuple[int, int]:
        """The offsets in the text as written of the characters ``start:end`` of the reading."""
        return self._at(start, first=True), self._at(end - 1, first=False)

    def _at(self, index: int, *, first: bool) -> int:
        read, written, length, copied = self.pieces[bisect_right(self.pieces, (index, _AFTER)) - 1]
        if copied:
            return written + index - read + (0 if first else 1)
        return written if first else written + length


_AFTER = float("inf")


@cache
def _data() -> dict:
    return json.loads(Path(__file__).with_name("latex.json").read_text(encoding="utf-8"))


class _Builder:
    """The reading and its pieces, as they are read."""

    def __init__(self):
        self.parts: list[str] = []
        self.pieces: list[tuple[int, int, int, bool]] = []
        self.length = 0

    def copy(self, text: str, start: int, end: int) -> None:
        if end > start:
            self.pieces.append((self.length, start, end - start, True))
            self.parts.append(text[start:end])
            self.length += end - start

    def read(self, chars: str, start: int, end: int) -> None:
        if chars:
            self.pieces.append((self.length, start, end - start, False))
            self.parts.append(chars)
            self.length += len(chars)


def reading(text: str) -> Reading | None:
    """``text`` as read (see the module), or ``None`` if it has no LaTeX to read."""
    if "$" not in text and "\\" not in text:
        return None
    out = _Builder()
    position, changed = 0, False
    for math in _maths(text):
        changed |= _plain(text, position, math.start(), out)
        _math(text, math, out)
        position, changed = math.end(), True
    changed |= _plain(text, position, len(text), out)
    return Reading("".join(out.parts), out.pieces) if changed else None


def _maths(text: str) -> Iterator[re.Match]:
    r"""The inline maths of ``text`` (:data:`_MATH`) whose opening dollar is not escaped ("\$"), in order.

    >>> [m.group() for m in _maths(r"costs \$5 and $x$, \$$y$ or $z\$")]
    ['$x$', '$y$']
    """
    at = 0
    while (math := _MATH.search(text, at)) is not None:
        if math.start() and text[math.start() - 1] == "\\":
            at = math.start() + 1  # as the look-behind would: the next dollar may open one
            continue
        yield math
        at = math.end()


def _math(text: str, math: re.Match, out: _Builder) -> None:
    """Inline math: Greek letters and symbols as characters, font and spacing commands and braces dropped;
    the dollar signs belong to what is read first and last."""
    data = _data()
    read: list[tuple[str, int, int]] = []  # (what is read, its start and end in the text)
    at, end = math.start(1), math.end(1)
    while at < end:
        char = text[at]
        if char == "\\":
            command = _COMMAND.match(text, at, end)
            if command is not None:
                name, after = command.group(1), command.end()
                if name in data["functions"]:  # an operator's name ("\\log g"): the name, the space after it kept
                    read.append((name, at, after))
                    at = after
                    continue
                symbol = data["symbols"].get(name)
                if symbol is None and name.isalpha() and name not in data["dropped"]:
                    read.append((command.group(), at, after))  # kept as written
                else:
                    if name.isalpha():  # as in TeX, the spaces after a command's name are part of it
                        while after < end and text[after] == " ":
                            after += 1
                    if symbol is not None:
                        read.append((symbol, at, after))
                at = after
                continue
        if char not in "{}":
            read.append((char, at, at + 1))
        at += 1
    if read:
        first, last = read[0], read[-1]
        read[0] = (first[0], math.start(), first[2])
        read[-1] = (read[-1][0], read[-1][1], math.end())
    for chars, start, stop in read:
        out.read(chars, start, stop)


def _plain(text: str, start: int, end: int, out: _Builder) -> bool:
    """Text outside math: the argument of a text font command ("\\textit{Gaia}") without the command;
    an escaped "%", "&", "$" as the character. Whether anything was read differently."""
    data = _data()
    changed = False
    copied = start
    for command in _COMMAND.finditer(text, start, end):
        at = command.start()
        if at < copied:
            continue
        if command.group(1) in data["text_fonts"] and text.startswith("{", command.end()):
            close = text.find("}", command.end(), end)
            if close != -1 and "{" not in text[command.end() + 1:close]:
                out.copy(text, copied, at)
                out.copy(text, command.end() + 1, close)
                copied, changed = close + 1, True
        elif command.group(1) in _ESCAPED:
            out.copy(text, copied, at)
            out.read(command.group(1), at, command.end())
            copied, changed = command.end(), True
    out.copy(text, copied, end)
    return changed


_ACCENT = re.compile(r"\\([`'^\"~=.]|[cvuHkr](?![A-Za-z]))\s*(?:\{\s*(\\?[A-Za-z]+)\s*\}|(\\[A-Za-z]+|[A-Za-z]))")
_LETTER = re.compile(r"\\([A-Za-z]+)(?![A-Za-z])\s*")


def bibtex_text(text: str) -> str:
    r"""A name or title as BibTeX writes it (ADS and JabRef exports) read as text: accent escapes as letters
    with their marks, letter commands as letters, and the braces that protect case dropped. Text without a
    brace or a backslash is returned as it is.

    >>> bibtex_text("{Gonz{\\'a}lez}, Ana"), bibtex_text("{Dom{\\'\\i}nguez S{\\'a}nchez}, H."), bibtex_text("{M{\\\"u}ller}")
    ('González, Ana', 'Domínguez Sánchez, H.', 'Müller')
    >>> bibtex_text("Jo{\\~a}o {\\c{C}}elik {\\o}rsted"), bibtex_text("Ada Lovelace")
    ('João Çelik ørsted', 'Ada Lovelace')
    """
    if "{" not in text and "\\" not in text:
        return text
    data = _data()
    letters = data["letters"]

    def letter(name: str) -> str:
        return letters.get(name.lstrip("\\"), name.lstrip("\\"))

    def accent(match: re.Match) -> str:
        mark = data["accents"].get(match.group(1), "")
        return letter(match.group(2) or match.group(3)) + mark

    text = _ACCENT.sub(accent, text)
    text = _LETTER.sub(lambda m: letters[m.group(1)] if m.group(1) in letters else m.group(0), text)
    return unicodedata.normalize("NFC", text.replace("{", "").replace("}", ""))
