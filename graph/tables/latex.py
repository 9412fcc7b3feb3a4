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
from functools import cache
from pathlib import Path
from typing import NamedTuple

__all__ = ["Reading", "reading"]

#: inline math as pandoc finds it: on one line, no space just inside the dollars and no digit just after
#: the closing one ("costs $5 and $10" is no math), at most 200 characters
_MATH = re.compile(r"(?<!\\)\$(?!\s)([^$\n]{1,200}?)(?<![\s\\])\$(?!\d)")
_COMMAND = re.compile(r"\\([A-Za-z]+|[,;:!% ])")


class Reading(NamedTuple):
    """The text as read, and for each of its characters where it came from in the text as written."""

    text: str
    starts: list[int]
    ends: list[int]

    def span(self, start: int, end: int) -> tuple[int, int]:
        """The offsets in the text as written of the characters ``start:end`` of the reading."""
        return self.starts[start], self.ends[end - 1]


@cache
def _data() -> dict:
    return json.loads(Path(__file__).with_name("latex.json").read_text(encoding="utf-8"))


def reading(text: str) -> Reading | None:
    """``text`` as read (see the module), or ``None`` if it has no LaTeX to read."""
    if "$" not in text and "\\" not in text:
        return None
    out: list[str] = []
    starts: list[int] = []
    ends: list[int] = []

    def put(chars: str, start: int, end: int) -> None:
        for char in chars:
            out.append(char)
            starts.append(start)
            ends.append(end)

    position, changed = 0, False
    for math in _MATH.finditer(text):
        _plain(text, position, math.start(), put)
        first = len(out)
        _math(text, math.start(1), math.end(1), put)
        if len(out) > first:  # the dollar signs belong to the first and the last character read
            starts[first] = math.start()
            ends[-1] = math.end()
        position, changed = math.end(), True
    changed |= _plain(text, position, len(text), put)
    return Reading("".join(out), starts, ends) if changed else None


def _math(text: str, start: int, end: int, put) -> None:
    """Inline math: Greek letters and symbols as characters, font and spacing commands and braces dropped."""
    data = _data()
    at = start
    while at < end:
        char = text[at]
        if char == "\\":
            command = _COMMAND.match(text, at, end)
            if command is not None:
                name, after = command.group(1), command.end()
                symbol = data["symbols"].get(name)
                if symbol is None and name.isalpha() and name not in data["dropped"]:
                    put(command.group(), at, after)  # kept as written
                else:
                    if name.isalpha():  # as in TeX, the spaces after a command's name are part of it
                        while after < end and text[after] == " ":
                            after += 1
                    if symbol is not None:
                        put(symbol, at, after)
                at = after
                continue
        if char not in "{}":
            put(char, at, at + 1)
        at += 1


def _plain(text: str, start: int, end: int, put) -> bool:
    """Text outside math: the argument of a text font command ("\\textit{Gaia}") without the command;
    an escaped "%", "&", "$" as the character. Whether anything was read differently."""
    data = _data()
    changed = False
    at = start
    while at < end:
        if text[at] == "\\":
            command = _COMMAND.match(text, at, end)
            if command is not None and command.group(1) in data["text_fonts"] and text.startswith("{", command.end()):
                close = text.find("}", command.end(), end)
                if close != -1 and "{" not in text[command.end() + 1:close]:
                    for i in range(command.end() + 1, close):
                        put(text[i], i, i + 1)
                    at, changed = close + 1, True
                    continue
            if at + 1 < end and text[at + 1] in "%&$_#":
                put(text[at + 1], at, at + 2)
                at, changed = at + 2, True
                continue
        put(text[at], at, at + 1)
        at += 1
    return changed
