"""Excel workbooks (``.xlsx``, ``.xlsm``) read as tables: the first sheet that holds one, a row a record.

Many programme committees keep their table in Excel; saving it as CSV first loses nothing but
time, and sometimes the accents (Excel's "CSV" is not UTF-8 in every locale). This is the one
module that imports openpyxl, and only when a workbook is given. A record's "line" is the sheet's
row number, as Excel shows it, so messages and ``tg:sourceLine`` point at the row to look at.

Cells are read as text the way a CSV export writes them: a whole number without ".0", a date as
ISO 8601 (``2025-03-14`` or ``2025-03-14T10:22:31``), a formula's last computed value, an empty
cell as "". Line breaks inside a cell are kept (a keyword cell's separate keywords, as EasyChair's
do). The workbook is read in read-only mode, a row at a time, so a large sheet is never held whole.
"""

from __future__ import annotations

import datetime
import zipfile
from pathlib import Path
from typing import Iterator

from ..errors import InputError

__all__ = ["is_workbook", "workbook_records", "WORKBOOK"]

#: The pseudo-delimiter of a table read from a workbook (what the report shows for it).
WORKBOOK = "xlsx"


def is_workbook(path: Path) -> bool:
    """Whether ``path`` is an Office Open XML workbook (a zip holding ``xl/workbook.xml``)."""
    try:
        with zipfile.ZipFile(path) as archive:
            return "xl/workbook.xml" in archive.namelist()
    except (zipfile.BadZipFile, OSError):
        return False


def _text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, datetime.datetime):
        return value.date().isoformat() if value.time() == datetime.time() else value.isoformat(timespec="seconds")
    if isinstance(value, (datetime.date, datetime.time)):
        return value.isoformat()
    return str(value)


def workbook_records(path: Path, sheets: list[str] | None = None, sheet: str | None = None
                     ) -> Iterator[tuple[int, int, list[str], None]]:
    """(row, row, cells, None) of every non-blank row of the workbook's sheet ``sheet`` (its first, by
    default), as :func:`talkgraph.tables.table._records` yields a text table's records; ``sheets``, if
    given, is filled with the names of the workbook's sheets, in order."""
    import openpyxl  # the one import of it, when a workbook is given

    try:
        book = openpyxl.load_workbook(path, read_only=True, data_only=True)
    except Exception as error:  # a damaged or encrypted workbook: openpyxl raises many kinds
        raise InputError(path, f"cannot read the workbook: {error}",
                         hint="open it in Excel or LibreOffice and save the sheet as CSV UTF-8") from None
    try:
        if sheets is not None:
            sheets[:] = book.sheetnames
        worksheet = book[sheet] if sheet is not None else book.worksheets[0]
        for number, row in enumerate(worksheet.iter_rows(values_only=True), 1):
            values = [_text(value) for value in row]
            while values and not values[-1].strip():
                values.pop()  # a sheet's used range may run past the last filled column
            if any(value.strip() for value in values):
                yield number, number, values, None
    finally:
        book.close()
