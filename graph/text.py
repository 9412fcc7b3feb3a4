"""Cleaning cell text without losing it: Unicode NFC, whitespace, HTML to plain text.

Pure functions with no RDF in sight, so they are quick to property-test.

>>> clean_text("  Cl\\u0061\\u0301r-Br\\u00edd \\t Tohill ")
'Clár-Bríd Tohill'
>>> html_to_text('<p>See <a href="https://x.org/a">the data</a>.</p> <p>H $\\\\alpha$</p>')
('See the data.\\n\\nH $\\\\alpha$', ['https://x.org/a'])
"""

from __future__ import annotations

import re
import unicodedata
from html import unescape
from html.parser import HTMLParser

from anyascii import anyascii

__all__ = ["clean_text", "html_to_text", "slugify", "fold"]

_SPACE = re.compile(r"[ \t\f\v\u00a0\u2000-\u200b\u202f\u205f\u3000]+")
_BREAKS = re.compile(r"\n\s*\n")  # paragraphs are stripped afterwards; a literal first is 2.5x faster
_URL = re.compile(r"\bhttps?://[^\s<>\"')\]]+", re.IGNORECASE)
_BLOCK_TAGS = {"p", "div", "br", "li", "ul", "ol", "h1", "h2", "h3", "h4", "h5", "h6", "tr", "table", "blockquote"}
# Drop control characters (but not tab/newline) and the Unicode replacement char.
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ufffd\u200e\u200f\ufeff]")
_ASCII_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
_TAG_HINT = re.compile(r"</?[a-zA-Z][^>]*>|&[a-zA-Z]+;|&#\d+;")


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


class _TextAndLinks(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.links: list[str] = []

    def handle_starttag(self, tag, attrs):
        if tag in _BLOCK_TAGS:
            self.parts.append("\n\n")
        if tag == "a":
            for name, value in attrs:
                if name == "href" and value and value.strip():
                    self.links.append(value.strip())

    def handle_endtag(self, tag):
        if tag in _BLOCK_TAGS:
            self.parts.append("\n\n")

    def handle_data(self, data):
        self.parts.append(data)


def html_to_text(value: str | None) -> tuple[str, list[str]]:
    """Plain text of an abstract and the web addresses it links to.

    Paragraph tags become blank lines, other tags disappear, entities are decoded,
    LaTeX (``$10^5$``) is left exactly as written, and both ``<a href>`` targets and
    bare URLs in the text are returned (in order, without duplicates).
    """
    if not value:
        return "", []
    value = _nfc(value)
    if ("<" in value or "&" in value) and _TAG_HINT.search(value):
        parser = _TextAndLinks()
        parser.feed(value)
        parser.close()
        text, links = "".join(parser.parts), parser.links
    else:
        text, links = value, []
    text = unescape(text) if "&" in text else text
    if "\n" in text or "\r" in text:
        paragraphs = [" ".join(p.split()) for p in _BREAKS.split(text.replace("\r", "\n"))]
        text = "\n\n".join(p for p in paragraphs if p)
    else:
        text = " ".join(text.split())
    if "://" in text:
        links.extend(url.rstrip(".,;:") for url in _URL.findall(text))
    seen: dict[str, None] = {}
    for link in links:
        seen.setdefault(link, None)
    return text, list(seen)
