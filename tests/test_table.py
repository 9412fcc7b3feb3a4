"""Reading TSV/CSV tables: headers, aliases, blank lines, encodings, malformed rows."""

from __future__ import annotations

import pytest

from graph.errors import InputError, MissingColumnError
from graph.table import canonical_field, read_table

from conftest import HEADER, REAL_TABLE


def test_real_table_header_after_blank_lines_and_rows_with_their_line_numbers():
    table = read_table(REAL_TABLE)
    rows = list(table.rows())
    assert table.header_line == 3
    assert len(rows) == 19
    # blank lines 11 and 18 are skipped, and line numbers still count them
    assert [r.line for r in rows][6:9] == [10, 12, 13]
    assert rows[1].cells["first_name"] == "Clár-Bríd"


@pytest.mark.parametrize("header, field", [
    ("Proposed Talk Title", "title"), ("  TITLE ", "title"), ("Title", "title"), ("Last Name", "surname"),
    ("last_name", "surname"), ("FirstName", "first_name"), ("Areas of Machine Learning / AI", "methods"),
    ("area of astronomy research", "domains"), ("Summary", "abstract"), ("Room", None),
])
def test_header_names_match_ignoring_case_spaces_and_punctuation(header, field):
    assert canonical_field(header) == field


def test_csv_with_bom_quoted_newlines_and_extra_columns(tmp_path):
    path = tmp_path / "talks.csv"
    path.write_bytes('\ufeffTitle,First Name,Last Name,Room\n'
                     '"A title, with a comma",Ada,Lovelace,B12\n'
                     '"Two\nline title",Alan,Turing,\n'.encode("utf-8"))
    table = read_table(path)
    rows = list(table.rows())
    assert table.columns == {"title": 0, "first_name": 1, "surname": 2}
    assert table.extra_columns == {3: "Room"}
    assert rows[0].cells["title"] == "A title, with a comma" and rows[0].extras == {"Room": "B12"}
    assert [r.line for r in rows] == [2, 3]  # a record starting on line 3 spans lines 3-4


def test_delimiter_is_sniffed_when_the_extension_says_nothing(tmp_path):
    path = tmp_path / "talks.txt"
    path.write_text("First Name;Surname;Title\nAda;Lovelace;Engines\n", encoding="utf-8")
    table = read_table(path)
    assert table.delimiter == ";" and next(table.rows()).cells["title"] == "Engines"


def test_missing_required_column_names_it_and_the_headers_found(write_table):
    path = write_table([["First Name", "Surname", "Abstract"], ["Ada", "Lovelace", "x"]], prefix="\n")
    with pytest.raises(MissingColumnError) as caught:
        read_table(path)
    error = caught.value
    assert error.missing == ["Proposed Talk Title"] and error.found == ["First Name", "Surname", "Abstract"]
    assert error.line == 2 and str(path) in str(error) and "hint" in str(error)


def test_undecodable_byte_is_located_by_line_and_column(tmp_path):
    path = tmp_path / "talks.tsv"
    path.write_bytes("\t".join(HEADER).encode() + b"\nAda\tLov\xe9lace\tT\t\t\t\n")
    with pytest.raises(InputError) as caught:  # raised while reading, wherever the decoder meets it
        list(read_table(path).rows())
    assert (caught.value.line, caught.value.column) == (2, 8)
    assert "--encoding latin-1" in str(caught.value)
    assert next(read_table(path, encoding="latin-1").rows()).cells["surname"] == "Lovélace"


@pytest.mark.parametrize("make, message", [
    (lambda p: p, "no such file"),
    (lambda p: (p.write_text("\n\n  \n"), p)[1], "empty"),
    (lambda p: (p.mkdir(), p)[1], "directory"),
])
def test_unusable_files_raise_input_errors(tmp_path, make, message):
    with pytest.raises(InputError, match=message):
        read_table(make(tmp_path / "t.tsv"))


def test_unknown_encoding_is_an_input_error(write_table):
    with pytest.raises(InputError, match="unknown encoding"):
        read_table(write_table([HEADER]), encoding="klingon")


def test_a_row_with_too_many_cells_is_flagged_not_dropped(write_table):
    path = write_table([HEADER, ["Ada", "Lovelace", "T", "", "", "abstract", "stray"], ["A", "B", "T2"]])
    rows = list(read_table(path).rows())
    assert "7 cells but the header has 6" in rows[0].problem
    assert rows[1].problem is None and rows[1].cells["title"] == "T2"
