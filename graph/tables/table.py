"""Reading a table of talk submissions (TSV or CSV) into located raw rows.

Knows nothing of RDF. The header is the first non-blank line; header names are
matched ignoring case, accents, spaces and punctuation, with aliases
(``Title``, ``Last Name``, ...; :mod:`.roles`), or given their role by hand
(``columns={"title": "Paper"}``). Unknown columns are kept as extras.

>>> canonical_field("Areas of Machine Learning / AI"), canonical_field(" last  name ")
('methods', 'surname')
"""

from __future__ import annotations

import codecs
import csv
import hashlib
import io
import re
import shlex
import sys
from dataclasses import dataclass, field
from pathlib import Path
from functools import cached_property
from typing import Iterator, Mapping

from ..errors import ColumnError, InputError, MissingColumnError, shown
from .roles import (FIELD_LABELS, KEPT_AS_EXTRA, ROLES, SPEAKER_FIELDS, assign_columns, canonical_field, column_option,
                    further_columns, holds_contact_data, names_a_list, resolve_columns, roles_listed, shares_a_word,
                    suggest_columns)
from .workbook import WORKBOOK, is_workbook, workbook_records

__all__ = ["Table", "RawRow", "read_table", "canonical_field", "FIELD_LABELS", "ROLES", "spreadsheet_safe",
           "from_spreadsheet_safe"]

#: What a spreadsheet takes for the start of a formula (or, tab and CR, may strip to reach one).
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
_NUMBER = re.compile(r"[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?")


def _formula_like(cell: str) -> bool:
    """Does ``cell``, its leading apostrophes aside, start like a formula (and is no plain number)?"""
    bare = cell.lstrip("'")
    return bare[:1] in _FORMULA_START and bare != "" and not _NUMBER.fullmatch(bare)


def spreadsheet_safe(cell: str) -> str:
    """The cell with an apostrophe in front if a spreadsheet would run it as a formula.

    Cells that start with ``=``, ``+``, ``-``, ``@``, a tab or a carriage return get a leading
    ``'`` (the spreadsheet's own mark for "this is text"); plain numbers such as ``-3.5`` are
    left alone. A cell that already starts with apostrophes before such a character gets one
    more, so that :func:`from_spreadsheet_safe` gives every cell back exactly.

    >>> [spreadsheet_safe(c) for c in ("=SUM(A1)", "-3.5", "+44 20 7946", "@user", "'=x", "plain")]
    ["'=SUM(A1)", '-3.5', "'+44 20 7946", "'@user", "''=x", 'plain']
    """
    return "'" + cell if _formula_like(cell) else cell


def from_spreadsheet_safe(cell: str) -> str:
    """Undo :func:`spreadsheet_safe`: the apostrophe it added in front of a formula-like cell goes.

    The table reader applies this to every cell, so a rejects.tsv row (or a CSV written by
    ``talkgraph query``) can be fed back as it was written.

    >>> [from_spreadsheet_safe(c) for c in ("'=SUM(A1)", "''=x", "'-3.5", "'quoted", "=raw")]
    ['=SUM(A1)', "'=x", "'-3.5", "'quoted", '=raw']
    """
    return cell[1:] if cell[:1] == "'" and _formula_like(cell) else cell


@dataclass
class RawRow:
    """One non-blank data row: where it is and its cells by canonical field."""

    path: str
    line: int
    cells: dict[str, str]
    extras: dict[str, str]
    values: list[str]
    problem: str | None = None
    #: canonical field → this table's header for it (for messages), shared by the table's rows
    headers: dict[str, str] = field(default_factory=dict)
    #: canonical field → the cells of the role's further columns (``Table.further_columns``)
    further: dict[str, list[str]] = field(default_factory=dict)


@dataclass
class Table:
    """An input file whose header has been read; :meth:`rows` streams the data rows."""

    path: str
    header_line: int
    headers: list[str]
    columns: dict[str, int]  # canonical field → column index
    extra_columns: dict[int, str]  # column index → header text
    delimiter: str = "\t"
    encoding: str = "utf-8"
    sha256: str = ""
    #: canonical field → the other columns of a role a table may have several of (:func:`.roles.further_columns`)
    further_columns: dict[str, tuple[int, ...]] = field(default_factory=dict)
    #: the non-blank lines above the header, (line, text): an export's title, its event, its date
    preamble: list[tuple[int, str]] = field(default_factory=list)
    #: column index → header of the columns of people's contact data, left out of the graph (``contact`` in roles.json)
    contact_columns: dict[int, str] = field(default_factory=dict)
    #: a workbook's sheets, in order; empty for a text table
    sheets: list[str] = field(default_factory=list)
    #: the sheet read, when it is not a workbook's first: the first whose header names a title and a speaker
    sheet: str | None = None
    #: read in :data:`FALLBACK_ENCODING` because it is not UTF-8 and no encoding was given
    encoding_guessed: bool = False

    @cached_property
    def role_headers(self) -> dict[str, str]:
        """Canonical field → the header that holds it in this table."""
        return {name: self.headers[index] for name, index in self.columns.items()}

    @property
    def missing_optional(self) -> list[str]:
        """The labels of the optional columns this table lacks, for the report's warning. A mixed keywords
        column stands for the astronomy and ML keyword columns: its terms are placed by the scheme they
        match, so a table with one lacks neither."""
        return [FIELD_LABELS[f] for f in self._missing_optional_fields]

    @property
    def _missing_optional_fields(self) -> list[str]:
        wanted = ("abstract",) if "keywords" in self.columns else ("domains", "methods", "abstract")
        return [f for f in wanted if f not in self.columns]

    @property
    def warnings(self) -> list[str]:
        """What the report should say of how this table was read: the optional columns it lacks, the lines
        above its header, the columns of contact data left out, an encoding guessed, the sheet read of a
        workbook of several."""
        said = []
        if self.missing_optional:
            hint = self.optional_hint
            said.append(f"{self.path}: no {', '.join(repr(c) for c in self.missing_optional)} column; those fields "
                        "are left empty" + (f" (if a column holds them, say so: {hint})" if hint else ""))
        if self.preamble:
            many = len(self.preamble) > 1
            said.append(f"{self.path}: the header is line {self.header_line}; the line{'s' if many else ''} above it "
                        f"{'are' if many else 'is'} the export's own, not talks: "
                        + "; ".join(f"line {line}: {shown(text)}" for line, text in self.preamble))
        if self.contact_columns:
            said.append(f"{self.path}: {', '.join(shown(h) for h in self.contact_columns.values())} "
                        f"hold{'s' if len(self.contact_columns) == 1 else ''} people's contact data: left out of the "
                        "graph and every output (rename the column to keep it)")
        if self.encoding_guessed:
            said.append(f"{self.path}: not UTF-8, so read as Windows-1252 (cp1252), the encoding Excel on Windows "
                        "saves CSV in; if accented names read wrong, pass the encoding it was saved in "
                        "(--encoding mac-roman, --encoding iso-8859-2, ...)")
        if self.sheet is not None:
            before = self.sheets[:self.sheets.index(self.sheet)]
            said.append(f"{self.path}: the workbook has {len(self.sheets)} sheets; {shown(self.sheet)} was read, the first "
                        f"whose header names a title and a speaker ({', '.join(shown(s) for s in before)} "
                        f"{'has' if len(before) == 1 else 'have'} none)")
        elif len(self.sheets) > 1:
            said.append(f"{self.path}: the workbook has {len(self.sheets)} sheets; the first, {shown(self.sheets[0])}, "
                        "was read (move the talks' sheet first to read another)")
        return said

    @property
    def optional_hint(self) -> str:
        """The ``--column`` options that would give the missing optional roles to columns that look like
        them (``""`` when none does): the warning's next step."""
        suggested = suggest_columns(self.headers, self.columns, self._missing_optional_fields)
        return " ".join(column_option(field, header) for field, header in suggested.items()
                        if header and shares_a_word(header, field))

    def rows(self) -> Iterator[RawRow]:
        """The non-blank rows after the header, read lazily from the file.

        Rows that are merely malformed (too many cells) come with ``problem`` set,
        so that the caller can report them instead of dropping them.
        """
        for line, _, values, problem in _records(Path(self.path), self.encoding, self.delimiter, None, self.sheet):
            if line > self.header_line:
                yield _row(self, values, line, problem)


def _open_error(path: Path, error: OSError) -> InputError:
    if isinstance(error, FileNotFoundError):
        return InputError(path, "no such file", hint="check the path; `talkgraph build` with no table builds the bundled one")
    if isinstance(error, IsADirectoryError):
        return InputError(path, "is a directory, not a table", hint="name the .tsv or .csv file itself")
    return InputError(path, f"cannot read: {error.strerror}")


def _decode_error(path: Path, encoding: str) -> InputError:
    """Locate the first undecodable byte (only on the error path: it reads the whole file)."""
    data = path.read_bytes()
    try:
        data.decode(encoding)
    except UnicodeDecodeError as error:
        line = data.count(b"\n", 0, error.start) + 1
        column = error.start - (data.rfind(b"\n", 0, error.start) + 1) + 1
        return InputError(path, f"cannot decode byte 0x{data[error.start]:02x} as {encoding}", line=line,
                          column=column, hint="save the table as UTF-8, or pass the encoding it was saved in "
                          "(--encoding cp1252 for Excel on Windows, mac-roman, iso-8859-2, ...)")
    return InputError(path, f"cannot decode the file as {encoding}")


def _records(path: Path, encoding: str, delimiter: str, sheets: list[str] | None = None, sheet: str | None = None
             ) -> Iterator[tuple[int, int, list[str], str | None]]:
    """(starting line, ending line, cells, problem) of every non-blank record of the file.

    A CSV record whose quotes a strict reader cannot read is a quote in the wrong place: one opened and
    never closed makes the rest of the file one cell, and its rows would disappear into it, so that is an
    :class:`InputError` at the quote; one closed lines later, where no quote can close (the next row's
    first quoted cell closes it, and a letter follows), swallowed the lines between, so the record comes
    with a ``problem`` (it is rejected, its cells kept in the rejects). A quote out of place within one
    line is read as the csv module reads it, as before.
    """
    if delimiter == WORKBOOK:  # its sheets' names, given ``sheets``, from the same opening of it
        yield from workbook_records(path, sheets, sheet)
        return
    csv.field_size_limit(min(sys.maxsize, 2**31 - 1))
    python_encoding = "utf-8-sig" if codecs.lookup(encoding).name == "utf-8" else encoding
    try:
        quoting = _tsv_quoting(path, python_encoding) if delimiter == "\t" else csv.QUOTE_MINIMAL
        with open(path, encoding=python_encoding, newline="") as stream:
            lines = _Lines(stream)
            reader = csv.reader(lines, delimiter=delimiter, quoting=quoting, strict=False)
            previous_end = 0
            try:
                for values in reader:
                    raw = lines.take()
                    start, previous_end = previous_end + 1, reader.line_num
                    problem = None
                    if quoting != csv.QUOTE_NONE and '"' in raw:
                        problem = _misquoted(path, raw, delimiter, start, previous_end, len(values) - 1)
                    if problem or any(v.strip() for v in values):
                        yield start, previous_end, values, problem
            except csv.Error as error:
                raise InputError(path, f"cannot parse the table: {error}", line=reader.line_num,
                                 hint="check for an unclosed quote in a CSV cell") from None
    except UnicodeDecodeError:
        raise _decode_error(path, encoding) from None
    except OSError as error:
        raise _open_error(path, error) from None


def _tsv_quoting(path: Path, encoding: str) -> int:
    """How to read the quotes of a tab-separated file. Excel, Google Sheets, LibreOffice and pandas quote a cell
    that holds a tab, a line break or a quote ("a paragraph\\n\\nand another", inner quotes doubled), and R
    quotes every text cell; other tables write every character as it is, so a cell may be '"Deep" learning'
    or '"quoted, with a comma"'. A file is read with its quotes when a strict CSV reader accepts all of them and
    they are needed (a quoted cell holds a line break or a tab) or plainly meant (every cell of the header is
    quoted); any other as written. A file with no cell that begins with a quote reads the same either way."""
    with open(path, encoding=encoding, newline="") as stream:
        last = "\n"
        while chunk := stream.read(1 << 20):
            if f"{last}{chunk[:1]}" in ('\t"', '\n"', '\r"') or '\t"' in chunk or '\n"' in chunk or '\r"' in chunk:
                break
            last = chunk[-1]
        else:
            return csv.QUOTE_NONE
    with open(path, encoding=encoding, newline="") as stream:
        header = next((line for line in stream if line.strip()), "")
    cells = [cell for cell in header.rstrip("\r\n").split("\t") if cell]
    meant = bool(cells) and all(len(cell) > 1 and cell[0] == cell[-1] == '"' for cell in cells)
    with open(path, encoding=encoding, newline="") as stream:
        reader = csv.reader(stream, delimiter="\t", strict=True)
        lines = 0
        try:
            for values in reader:
                meant = meant or reader.line_num - lines > 1 or any("\t" in value for value in values)
                lines = reader.line_num
        except csv.Error:
            return csv.QUOTE_NONE
    return csv.QUOTE_MINIMAL if meant else csv.QUOTE_NONE


class _Lines:
    """The lines of a stream as the csv reader asks for them, keeping those of the record it is reading."""

    def __init__(self, stream):
        self.stream, self.taken = stream, []

    def __iter__(self):
        return self

    def __next__(self) -> str:
        line = next(self.stream)
        self.taken.append(line)
        return line

    def take(self) -> str:
        """The text of the lines read since the last call."""
        text, self.taken = "".join(self.taken), []
        return text


_MISQUOTED = ("a quote in this row is closed where no quote can close (after it comes neither "
              "{separator} nor the end of the line): lines {start}-{end} were read as one row, the lines "
              "after its first in one cell; close the quote, or write a quote inside a quoted cell twice")


def _misquoted(path: Path, raw: str, delimiter: str, start: int, end: int, last_field: int) -> str | None:
    """Why the record ``raw`` (lines ``start`` to ``end``) is no strict CSV, when that lost lines into a cell;
    InputError when it ends inside a quoted cell, its last (``last_field``)."""
    try:
        for _ in csv.reader(io.StringIO(raw, newline=""), delimiter=delimiter, strict=True):
            pass
        return None
    except csv.Error as error:
        if "end of data" in str(error):
            line, column = _position(raw, _field_start(raw, delimiter, last_field))
            lines = (f"line {end}, the last" if start + line == end
                     else f"lines {start + line}-{end}, the rest of the file,")
            raise InputError(path, f"a quote opened here is never closed: {lines} were read as one cell",
                             line=start + line, column=column,
                             hint='close the quote, or write a quote inside a quoted cell twice ("")') from None
    if end == start:
        return None  # within one line nothing was swallowed: read as the csv module reads it
    return _MISQUOTED.format(separator="a tab" if delimiter == "\t" else repr(delimiter), start=start, end=end)


def _field_start(raw: str, delimiter: str, field: int) -> int:
    """The offset in ``raw`` (one CSV record) where its field number ``field`` (from 0) starts, read as the
    csv module reads it: a quote opens a field only at its start, and in one a doubled quote is a quote.

    >>> _field_start('a,"b,c",d', ",", 2), _field_start('a,"say ""hi"", ok",d', ",", 2), _field_start('"x', ",", 0)
    (8, 19, 0)
    """
    at, found, quoted, at_start = 0, 0, False, True
    while found < field and at < len(raw):
        char = raw[at]
        if quoted:
            if char == '"':
                if raw[at + 1:at + 2] == '"':
                    at += 1
                else:
                    quoted = False
        elif char == '"' and at_start:
            quoted = True
        elif char == delimiter:
            found += 1
        at_start = not quoted and char == delimiter
        at += 1
    return at


def _position(raw: str, offset: int) -> tuple[int, int]:
    """(line from 0, column from 1) of ``offset`` in ``raw``, lines ending in CR LF, LF or CR alone.

    >>> _position("ab\\r\\ncd\\ref", 7), _position("abc", 2)
    ((2, 1), (0, 3))
    """
    before = raw[:offset]
    line = before.count("\n") + before.count("\r") - before.count("\r\n")
    return line, offset - max(before.rfind("\n"), before.rfind("\r"))


#: The first bytes of files that are not text tables, and what to do with them (an Excel .xlsx workbook,
#: also a zip, is read: :mod:`.workbook`).
_NOT_TEXT = ((b"PK\x03\x04", "a zip archive (an OpenDocument .ods spreadsheet, or a zipped file), not a table"),
             (b"\xd0\xcf\x11\xe0", "an Excel 97-2003 workbook (.xls), not a table talkgraph reads"),
             (b"%PDF", "a PDF document, not a table"))


def _binary_kind(path: Path) -> str | None:
    """:data:`~.workbook.WORKBOOK` for an Excel workbook (read as a table); ``None`` for text. A file that is
    neither (an .ods, an .xls, a PDF) is named for what it is, with what to do: read as text it would be
    "cannot decode byte …", and ``--encoding latin-1`` would turn it into nonsense headers."""
    try:
        with open(path, "rb") as stream:
            head = stream.read(8)
    except OSError as error:
        raise _open_error(path, error) from None
    if head.startswith(b"PK\x03\x04") and is_workbook(path):
        return WORKBOOK
    for magic, what in _NOT_TEXT:
        if head.startswith(magic):
            raise InputError(path, f"this is {what}",
                             hint="save the sheet as an Excel workbook (.xlsx), CSV or tab-separated text (Excel: "
                             "File > Save As > CSV UTF-8; LibreOffice: Save As > Text CSV, UTF-8) and build that file")
    return None


#: A quoted field of a CSV line ("a ""quoted"" word"), to count the separators outside the quotes.
_QUOTED = re.compile(r'"(?:[^"]|"")*"')


def _sniff(path: Path, encoding: str) -> str:
    """The delimiter: a tab for ``.tsv``; for ``.csv`` a comma, or the semicolon a spreadsheet in a
    European locale writes ("Comma-separated values" with ``;``), when the first line with either outside
    quotes (the header, or a line of the export's own above it) has more of them than commas; for any
    other extension, sniffed from the first lines."""
    suffix = path.suffix.lower()
    if suffix in (".tsv", ".tab"):
        return "\t"
    try:
        with open(path, "rb") as stream:
            head = stream.read(65536).decode(encoding, errors="ignore")
    except OSError as error:
        raise _open_error(path, error) from None
    lines = [line for line in head.splitlines() if line.strip()]
    if suffix == ".csv":
        # counted outside quotes: a line above the header may be one quoted cell that holds both (Dimensions'
        # "About the data: Exported on Dec 07, 2026. Criteria: ...; ..."), and so may the cells of a header
        unquoted = (_QUOTED.sub("", line) for line in lines)
        header = next((line for line in unquoted if ";" in line or "," in line), "")  # an export's title has neither
        return ";" if header.count(";") > header.count(",") else ","
    sample = "\n".join(lines[:20])
    try:
        return csv.Sniffer().sniff(sample, delimiters="\t,;").delimiter
    except csv.Error:
        return "\t" if sample.count("\t") >= sample.count(",") else ","


#: How many non-blank lines above the header an export may have (its title, the event, the date of the export).
PREAMBLE_LINES = 5


#: What a text table that is not UTF-8 is read in when no encoding is given: Windows-1252, in which Excel on
#: Windows saves "CSV" (and a French, German or Spanish one "CSV (séparateur: point-virgule)").
FALLBACK_ENCODING = "cp1252"
#: Characters outside ASCII that text in Windows-1252 holds besides letters: its typography and signs.
#: (Not the superscripts, fractions and inverted marks, which Latin-2 letters read as in it: "ł" as "³", "ź" as "¼".)
_CP1252_SIGNS = frozenset("\u00a0’‘“”‚„–—…«»‹›°·•€£§©®™±×÷µ")


def _fingerprint(path: Path, check_utf8: bool) -> tuple[str, bytes, bool]:
    """The file's SHA-256, its first two bytes, and (with ``check_utf8``) whether it decodes as UTF-8: one
    reading of the file for all three."""
    digest, head, utf8 = hashlib.sha256(), b"", check_utf8
    decoder = codecs.getincrementaldecoder("utf-8")()
    try:
        with open(path, "rb") as stream:
            for chunk in iter(lambda: stream.read(1 << 20), b""):
                digest.update(chunk)
                head = head or chunk[:2]
                if utf8:
                    try:
                        decoder.decode(chunk)
                    except UnicodeDecodeError:
                        utf8 = False
        if utf8:
            decoder.decode(b"", final=True)
    except UnicodeDecodeError:
        utf8 = False
    except OSError as error:
        raise _open_error(path, error) from None
    return digest.hexdigest(), head, utf8


def _encoding_of(path: Path, head: bytes, utf8: bool) -> tuple[str, bool]:
    """("utf-16", False) for a file that begins (``head``) with UTF-16's byte-order mark (Excel's "Unicode
    Text"); ("utf-8", False) for one that decodes as UTF-8 (``utf8``); (:data:`FALLBACK_ENCODING`, True) for
    one that does not but reads as text in Windows-1252: no control characters, and its characters outside
    ASCII letters or the typography and signs of Western European text, all but one in twenty. A file in
    another encoding (Latin-2, Shift JIS) gives symbols and controls there, and stays an error that says which
    byte and what to pass.
    """
    if head in (codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE):
        return "utf-16", False  # Excel's "Unicode Text": its byte-order mark says so
    if utf8:
        return "utf-8", False
    try:
        text = path.read_bytes().decode(FALLBACK_ENCODING)
    except (UnicodeDecodeError, OSError):
        return "utf-8", False
    wide = [c for c in text if ord(c) > 127]
    odd = sum(1 for c in wide if not c.isalpha() and c not in _CP1252_SIGNS)
    controls = any(ord(c) < 32 and c not in "\t\r\n" for c in text)
    return (FALLBACK_ENCODING, True) if wide and not controls and odd * 20 <= len(wide) else ("utf-8", False)


def read_table(path: str | Path, *, encoding: str | None = None, columns: Mapping[str, str] | None = None) -> Table:
    """Open one TSV/CSV file and read its header; raise :class:`InputError` if it cannot be used.

    ``encoding`` ``None`` reads UTF-8, or Windows-1252 for a file that is not UTF-8 but reads as text in it
    (:func:`_encoding_of`; the table's warnings say so).

    ``columns`` gives roles to headers by hand (role → header, as ``--column ROLE=HEADER``),
    over the aliases; see :mod:`.roles`. Only the header is read here; :meth:`Table.rows`
    streams the rest, so a 100,000-row table is never held in memory as raw text. The header is the
    first non-blank line that names a title and a speaker, among the first :data:`PREAMBLE_LINES` + 1:
    the lines above it are the export's own (``Table.preamble``, reported as a warning), not talks.
    """
    path = Path(path)
    resolve_columns(columns)  # an unknown role fails before the file is opened
    try:
        codecs.lookup(encoding or "utf-8")
    except LookupError:
        raise InputError(path, f"unknown encoding {shown(encoding)}", hint="try --encoding utf-8 or cp1252") from None
    kind = _binary_kind(path)
    sha256, head, utf8 = _fingerprint(path, check_utf8=encoding is None and not kind)
    guessed = False
    if encoding is None:
        encoding, guessed = ("utf-8", False) if kind else _encoding_of(path, head, utf8)
    delimiter = kind or _sniff(path, encoding)
    sheets: list[str] = []  # a workbook's, filled as its first sheet is opened
    try:
        table = _find_header(path, encoding, delimiter, columns, sheets, None)
    except (InputError, ColumnError) as error:
        # a workbook whose first sheet holds no table (instructions, a cover page): the first sheet that does
        table = next((found for sheet in sheets[1:] if (found := _try_sheet(path, columns, sheet)) is not None), None)
        if table is None:
            raise error from None
    table.encoding, table.sha256, table.sheets = encoding, sha256, sheets
    table.encoding_guessed = guessed
    return table


def _try_sheet(path: Path, columns: Mapping[str, str] | None, sheet: str) -> Table | None:
    try:
        return _find_header(path, "utf-8", WORKBOOK, columns, None, sheet)
    except (InputError, ColumnError):
        return None


def _find_header(path: Path, encoding: str, delimiter: str, columns: Mapping[str, str] | None,
                 sheets: list[str] | None, sheet: str | None) -> Table:
    """The table of the first of the first few non-blank lines (of a workbook, of its sheet ``sheet``, else
    its first) that names a title and a speaker; the lines above it are its ``preamble``."""
    first: InputError | ColumnError | None = None
    widest, at = 0, 0
    preamble: list[tuple[int, str]] = []
    seen: list[list[str]] = []  # the values of the lines tried, for the hint
    for line, _, values, _ in _records(path, encoding, delimiter, sheets, sheet):
        try:
            table = _header(path, values, line, delimiter, columns)
        except (MissingColumnError, ColumnError) as error:  # a header given by hand is looked for below too
            # An export may put lines of its own above the header ("Oxford Abstracts export", "Event: …"):
            # the header is the first of the first few non-blank lines that names a title and a speaker.
            # If none does, the error told is that of the line with the most cells, the likeliest header
            # (an agenda's title line above it has one), the first of them on a tie.
            filled = sum(1 for value in values if value.strip())
            if first is None or filled > widest:
                first, widest, at = error, filled, len(seen)
            seen.append(values)
            preamble.append((line, " ".join(" ".join(values).split())))
            if len(preamble) > PREAMBLE_LINES:
                raise _with_cells(first, path, seen[at], seen[at + 1:], columns) from None
            continue
        table.preamble, table.sheet = preamble, sheet
        return table
    if first is not None:
        raise _with_cells(first, path, seen[at], seen[at + 1:], columns) from None
    raise InputError(path, "the file is empty (no header row found)",
                     hint="the first non-blank line must name the columns")


def _header(path: Path, values: list[str], line: int, delimiter: str, by_hand: Mapping[str, str] | None) -> Table:
    headers = [" ".join(v.split()) for v in values]
    columns = assign_columns(headers, by_hand, path=path, line=line)
    further = further_columns(headers, columns)
    roles_of = {index: field for field, index in columns.items()}
    roles_of.update((index, field) for field, indexes in further.items() for index in indexes)
    # a list of the talk's people stays whole as an extra column too: the speaker is only its first
    extras = {index: header for index, header in enumerate(headers)
              if header and (index not in roles_of or roles_of[index] in KEPT_AS_EXTRA or names_a_list(header))}
    contact = {index: extras.pop(index) for index in list(extras) if holds_contact_data(extras[index])}
    missing, needed = [], []
    if "title" not in columns:
        missing.append("the title")
        needed.append("title")
    if not (set(SPEAKER_FIELDS) & columns.keys()):
        missing.append("the speaker (a full name, or a first name and a surname)")
        needed.append("speaker")
    if missing:
        raise MissingColumnError(path, missing=missing, found=[h for h in headers if h], line=line,
                                 hint=_by_hand_hint(path, headers, columns, needed))
    return Table(str(path), line, headers, columns, extras, delimiter=delimiter, further_columns=further,
                 contact_columns=contact)


def _with_cells(error, path: Path, values: list[str], rows: list[list[str]], by_hand: Mapping[str, str] | None):
    """``error`` of a header line lacking a required role, its hint now judging the headers by the rows below
    them too (:func:`~.roles.suggest_columns`): a column of lines of words is proposed as the title, one of
    people's names as the speaker, whatever their headers say."""
    if not isinstance(error, MissingColumnError) or not rows:
        return error
    headers = [" ".join(v.split()) for v in values]
    try:
        columns = assign_columns(headers, by_hand)
    except ColumnError:
        return error
    needed = [field for field, lacking in (("title", "title" not in columns),
                                           ("speaker", not set(SPEAKER_FIELDS) & columns.keys())) if lacking]
    cells = {i: [row[i] for row in rows if i < len(row)] for i in range(len(headers))}
    error.hint = _by_hand_hint(path, headers, columns, needed, cells)
    return error


#: the header a table lacking a required role is told to add (any of the role's names would do)
_PLAIN_HEADERS = {"title": "Title", "speaker": "Speaker"}


def _by_hand_hint(path: Path, headers: list[str], columns: dict[str, int], needed: list[str],
                  cells: Mapping[int, list[str]] | None = None) -> str:
    """What to do: the ``talkgraph build`` line that names the missing roles by the likeliest headers (judged
    by their columns' ``cells`` too, where the rows below the header are known)."""
    suggested = suggest_columns(headers, columns, needed, cells)
    roles = f"(roles: {roles_listed()})"
    if None in suggested.values():  # every header has a role already: the table lacks the column
        lacking = " and ".join(repr(_PLAIN_HEADERS[f]) for f, header in suggested.items() if header is None)
        options = " ".join(column_option(field, suggested.get(field)) for field in needed)
        return (f"add a {lacking} column, or give an existing column the role with {options} {roles}; "
                "docs/tables.md lists the names recognised")
    options = " ".join(column_option(field, header) for field, header in suggested.items())
    shown_path = str(path) if len(str(path)) <= 120 else "TABLE"
    return (f"say which column holds what: talkgraph build {shlex.quote(shown_path)} {options} {roles}, "
            "or rename the headers (docs/tables.md lists the names recognised)")


def _row(table: Table, values: list[str], line: int, problem: str | None = None) -> RawRow:
    values = [from_spreadsheet_safe(v) if v[:1] == "'" else v for v in values]
    width = len(table.headers)
    if problem is None and len(values) > width and any(v.strip() for v in values[width:]):
        separator = "tab" if table.delimiter == "\t" else repr(table.delimiter)
        problem = (f"row has {len(values)} cells but the header has {width} "
                   + ("(a value right of the header's last column?)" if table.delimiter == WORKBOOK else
                      f"(a stray {separator} inside a cell?)"))
    cells = {name: values[i] for name, i in table.columns.items() if i < len(values)}
    extras = {header: values[i] for i, header in table.extra_columns.items() if i < len(values) and values[i].strip()}
    further = {name: [values[i] for i in indexes if i < len(values)] for name, indexes in table.further_columns.items()}
    return RawRow(table.path, line, cells, extras, values, problem, table.role_headers, further)
