"""Reading a table of talk submissions (TSV or CSV) into located raw rows.

Knows nothing of RDF. The header is the first non-blank line; header names are
matched ignoring case, accents, spaces and punctuation, with aliases
(``Title``, ``Last Name``, ...). Unknown columns are kept as extras.

>>> canonical_field("Areas of Machine Learning / AI"), canonical_field(" last  name ")
('methods', 'surname')
"""

from __future__ import annotations

import csv
import io
import re
import sys
from dataclasses import dataclass, field
from pathlib import Path

from .errors import InputError, MissingColumnError
from .text import fold

__all__ = ["Table", "RawRow", "read_table", "canonical_field", "FIELD_LABELS"]

#: Canonical field → the column name used in messages (the real table's header).
FIELD_LABELS = {
    "first_name": "First Name",
    "surname": "Surname",
    "speaker": "Speaker",
    "title": "Proposed Talk Title",
    "domains": "Area of Astronomy Research",
    "methods": "Areas of Machine Learning / AI",
    "abstract": "Abstract",
}

_ALIASES = {
    "first_name": ["first name", "firstname", "first", "given name", "given names", "forename", "forenames",
                   "speaker first name", "first names"],
    "surname": ["surname", "last name", "lastname", "family name", "last", "speaker surname",
                "speaker last name", "second name"],
    "speaker": ["speaker", "speaker name", "name", "full name", "presenter", "author", "speaker full name"],
    "title": ["proposed talk title", "talk title", "title", "proposed title", "presentation title", "talk"],
    "domains": ["area of astronomy research", "areas of astronomy research", "astronomy area", "astronomy areas",
                "astronomy research area", "astronomy domain", "astronomy domains", "area of astronomy",
                "areas of astronomy", "astronomy", "research area", "research areas"],
    "methods": ["areas of machine learning ai", "area of machine learning ai", "areas of machine learning",
                "area of machine learning", "machine learning ai", "machine learning", "ml methods", "ml method",
                "methods", "ml ai", "areas of ml", "ml areas", "ai methods"],
    "abstract": ["abstract", "summary", "description", "talk abstract"],
}
_BY_ALIAS = {alias: name for name, aliases in _ALIASES.items() for alias in aliases}


def _header_key(name: str) -> str:
    return " ".join(re.sub(r"[^a-z0-9]+", " ", fold(name)).split())


def canonical_field(header: str) -> str | None:
    """The canonical field a header names, or ``None`` for an extra column."""
    return _BY_ALIAS.get(_header_key(header))


@dataclass
class RawRow:
    """One non-blank data row: where it is and its cells by canonical field."""

    path: str
    line: int
    cells: dict[str, str]
    extras: dict[str, str]
    values: list[str]
    problem: str | None = None


@dataclass
class Table:
    """A parsed input file."""

    path: str
    header_line: int
    headers: list[str]
    columns: dict[str, int]  # canonical field → column index
    extra_columns: dict[int, str]  # column index → header text
    rows: list[RawRow] = field(default_factory=list)
    delimiter: str = "\t"
    data: bytes = b""

    @property
    def missing_optional(self) -> list[str]:
        return [FIELD_LABELS[f] for f in ("domains", "methods", "abstract") if f not in self.columns]


def _decode(path: Path, data: bytes, encoding: str) -> str:
    try:
        text = data.decode(encoding)
    except UnicodeDecodeError as error:
        line = data.count(b"\n", 0, error.start) + 1
        column = error.start - (data.rfind(b"\n", 0, error.start) + 1) + 1
        raise InputError(path, f"cannot decode byte 0x{data[error.start]:02x} as {encoding}", line=line,
                         column=column, hint="save the table as UTF-8, or pass --encoding latin-1 "
                         "(or the encoding it was saved in)") from None
    except LookupError:
        raise InputError(path, f"unknown encoding {encoding!r}", hint="try --encoding utf-8 or latin-1") from None
    return text[1:] if text.startswith("\ufeff") else text


def _delimiter(path: Path, text: str) -> str:
    suffix = path.suffix.lower()
    if suffix in (".tsv", ".tab"):
        return "\t"
    if suffix == ".csv":
        return ","
    sample = "\n".join([line for line in text[:65536].splitlines() if line.strip()][:20])
    try:
        return csv.Sniffer().sniff(sample, delimiters="\t,;").delimiter
    except csv.Error:
        return "\t" if sample.count("\t") >= sample.count(",") else ","


def read_table(path: str | Path, *, encoding: str = "utf-8") -> Table:
    """Read one TSV/CSV file; raise :class:`InputError` if it cannot be used at all.

    Rows that are merely malformed (too many cells) are returned with
    ``problem`` set, so that the caller can report them instead of dropping them.
    """
    path = Path(path)
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        raise InputError(path, "no such file", hint="check the path; the bundled table is data/talks.tsv") from None
    except IsADirectoryError:
        raise InputError(path, "is a directory, not a table", hint="name the .tsv or .csv file itself") from None
    except OSError as error:
        raise InputError(path, f"cannot read: {error.strerror}") from None
    text = _decode(path, data, encoding)
    delimiter = _delimiter(path, text)
    csv.field_size_limit(min(sys.maxsize, 2**31 - 1))
    quoting = csv.QUOTE_NONE if delimiter == "\t" else csv.QUOTE_MINIMAL
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, quoting=quoting, strict=False)
    del text

    table: Table | None = None
    previous_end = 0
    try:
        for values in reader:
            start, previous_end = previous_end + 1, reader.line_num
            if not any(v.strip() for v in values):
                continue
            if table is None:
                table = _header(path, values, start, delimiter)
                continue
            table.rows.append(_row(table, values, start))
    except csv.Error as error:
        raise InputError(path, f"cannot parse the table: {error}", line=reader.line_num,
                         hint="check for an unclosed quote in a CSV cell") from None
    if table is None:
        raise InputError(path, "the file is empty (no header row found)",
                         hint="the first non-blank line must name the columns")
    table.data = data
    return table


def _header(path: Path, values: list[str], line: int, delimiter: str) -> Table:
    headers = [" ".join(v.split()) for v in values]
    columns: dict[str, int] = {}
    extras: dict[int, str] = {}
    for index, header in enumerate(headers):
        name = canonical_field(header) if header else None
        if name and name not in columns:
            columns[name] = index
        elif header:
            extras[index] = header
    missing = []
    if not ({"first_name", "surname", "speaker"} & columns.keys()):
        missing += [FIELD_LABELS["first_name"], FIELD_LABELS["surname"]]
    if "title" not in columns:
        missing.append(FIELD_LABELS["title"])
    if missing:
        raise MissingColumnError(path, missing=missing, found=[h for h in headers if h], line=line)
    return Table(str(path), line, headers, columns, extras, delimiter=delimiter)


def _row(table: Table, values: list[str], line: int) -> RawRow:
    problem = None
    width = len(table.headers)
    if len(values) > width and any(v.strip() for v in values[width:]):
        separator = "tab" if table.delimiter == "\t" else repr(table.delimiter)
        problem = (f"row has {len(values)} cells but the header has {width} "
                   f"(a stray {separator} inside a cell?)")
    cells = {name: values[i] for name, i in table.columns.items() if i < len(values)}
    extras = {header: values[i] for i, header in table.extra_columns.items() if i < len(values) and values[i].strip()}
    return RawRow(table.path, line, cells, extras, values, problem)
