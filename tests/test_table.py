"""Reading TSV/CSV tables: headers, aliases, blank lines, encodings, malformed rows."""

from __future__ import annotations

import re

import pytest
from hypothesis import given, strategies as st

from talkgraph.errors import InputError, MissingColumnError
from talkgraph.tables.table import canonical_field, from_spreadsheet_safe, read_table, spreadsheet_safe

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
    assert error.missing == ["the title"] and error.found == ["First Name", "Surname", "Abstract"]
    assert error.line == 2 and str(path) in str(error) and "hint" in str(error)


@pytest.mark.parametrize("name, head, what", [
    ("talks.ods", b"PK\x03\x04\x14\x00\x06\x00", "a zip archive (an OpenDocument .ods spreadsheet, or a zipped file)"),
    ("talks.csv", b"PK\x03\x04\x14\x00\x06\x00", "a zip archive"),  # whatever its name says
    ("talks.xls", bytes.fromhex("d0cf11e0a1b11ae1"), "an Excel 97-2003 workbook (.xls)"),
    ("programme.pdf", b"%PDF-1.7\n", "a PDF document"),
])
def test_a_file_that_is_no_table_is_named_for_what_it_is_with_what_to_do(tmp_path, name, head, what):
    path = tmp_path / name
    path.write_bytes(head + b"\x00\x8a" * 50)
    with pytest.raises(InputError) as caught:
        read_table(path)
    assert f"this is {what}" in str(caught.value) and "cannot decode" not in str(caught.value)
    assert "Save As > CSV UTF-8" in caught.value.hint


def test_an_excel_workbook_is_read_as_its_first_sheet(tmp_path):
    import datetime

    import openpyxl

    from talkgraph import build

    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "Talks"
    sheet.append(["Title", "Speaker", "Abstract", "Keywords", "Submitted", "#"])
    sheet.append(["Lenses with CNNs", "Ada Lovelace", "A CNN on Euclid images.\n\nA second paragraph.",
                  "strong lensing\nCNN", datetime.datetime(2025, 3, 14, 10, 22, 31), 12])
    sheet.append([None] * 6)  # a blank row is skipped, and rows keep their numbers
    sheet.append(["Flares", "Alan Turing", "Flares and a random forest.", "solar flares", datetime.date(2025, 3, 15), 13.0])
    book.create_sheet("Notes")
    path = tmp_path / "programme.xlsx"
    book.save(path)
    table = read_table(path)
    rows = list(table.rows())
    assert table.delimiter == "xlsx" and table.sheets == ["Talks", "Notes"]
    assert [r.line for r in rows] == [2, 4]  # the sheet's row numbers, as Excel shows them
    assert rows[0].values == ["Lenses with CNNs", "Ada Lovelace", "A CNN on Euclid images.\n\nA second paragraph.",
                              "strong lensing\nCNN", "2025-03-14T10:22:31", "12"]
    assert rows[1].values[4:] == ["2025-03-15", "13"]  # a date as ISO 8601, a whole number without ".0"
    result = build(path, mentions=False)
    assert result.counts["talks_built"] == 2 and result.conforms
    assert any("the workbook has 2 sheets; the first, 'Talks', was read" in w for w in result.report["warnings"])
    assert result.report["inputs"][0]["delimiter"] == "xlsx"
    assert b"spreadsheetml.sheet" in result.ntriples  # the source's media type


def test_a_workbook_whose_first_sheet_is_no_table_is_read_from_the_first_sheet_that_is(tmp_path):
    import openpyxl

    from talkgraph import build

    book = openpyxl.Workbook()
    book.active.title = "Instructions"
    book.active.append(["Fill in one row per talk; deadline 1 March."])
    submissions = book.create_sheet("Submissions")
    submissions.append(["ML in Astronomy 2025 - submissions"])
    submissions.append([])
    submissions.append(["Speaker (Last name, First name)", "Talk title", "Field(s) of astronomy", "ML technique(s)"])
    submissions.append(["Lovelace, Ada", "Engines", "galaxies", "random forests"])
    book.create_sheet("Reviewers").append(["Reviewer", "Title", "Score"])
    path = tmp_path / "template.xlsx"
    book.save(path)
    table = read_table(path)
    assert (table.sheet, table.header_line) == ("Submissions", 3) and [r.line for r in table.rows()] == [4]
    assert table.headers[table.columns["domains"]] == "Field(s) of astronomy"  # "(s)": one or more
    assert table.headers[table.columns["methods"]] == "ML technique(s)"
    result = build(path, mentions=False)
    assert result.counts["talks_built"] == 1
    assert any("the workbook has 3 sheets; 'Submissions' was read, the first whose header names a title and a "
               "speaker ('Instructions' has none)" in w for w in result.report["warnings"])
    # a workbook with no table on any sheet says what its first sheet lacks, as before
    empty = openpyxl.Workbook()
    empty.active.append(["Notes only"])
    empty.create_sheet("More").append(["Nothing"])
    empty.save(tmp_path / "notes.xlsx")
    with pytest.raises(MissingColumnError, match="Notes only"):
        read_table(tmp_path / "notes.xlsx")


def test_a_damaged_workbook_is_an_input_error(tmp_path):
    import zipfile

    path = tmp_path / "broken.xlsx"
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("xl/workbook.xml", "<not a workbook")
    with pytest.raises(InputError, match="cannot read the workbook") as caught:
        list(read_table(path).rows())
    assert "save the sheet as CSV UTF-8" in caught.value.hint


def test_undecodable_byte_is_located_by_line_and_column(tmp_path):
    path = tmp_path / "talks.tsv"
    path.write_bytes("\t".join(HEADER).encode() + b"\nAda\tLov\xe9lace\tT\t\t\t\n")
    with pytest.raises(InputError) as caught:  # raised while reading, wherever the decoder meets it
        list(read_table(path, encoding="utf-8").rows())  # said: no other encoding is tried
    assert (caught.value.line, caught.value.column) == (2, 8)
    assert "--encoding cp1252" in str(caught.value)
    assert next(read_table(path, encoding="latin-1").rows()).cells["surname"] == "Lovélace"
    guessed = read_table(path)  # not said: not UTF-8, but text in Windows-1252
    assert next(guessed.rows()).cells["surname"] == "Lovélace" and guessed.encoding == "cp1252"
    assert any("not UTF-8, so read as Windows-1252" in warning for warning in guessed.warnings)


@pytest.mark.parametrize("make, message", [
    (lambda p: p, "no such file"),
    (lambda p: (p.write_text("\n\n  \n"), p)[1], "empty"),
    (lambda p: (p.mkdir(), p)[1], "directory"),
])
def test_unusable_files_raise_input_errors(tmp_path, make, message):
    with pytest.raises(InputError, match=message):
        read_table(make(tmp_path / "t.tsv"))


def test_excel_unicode_text_is_read_as_utf_16_by_its_byte_order_mark(tmp_path):
    # Excel's "Save As > Unicode Text": UTF-16 LE with a byte-order mark, tabs, quoted multi-line cells, a .txt
    path = tmp_path / "talks.txt"
    with open(path, "w", encoding="utf-16", newline="") as stream:
        stream.write('Speaker\tTalk title\tAbstract\r\nPaweł Łącki\tEngines\t"One.\r\n\r\nTwo."\r\n')
    assert path.read_bytes()[:2] in (b"\xff\xfe", b"\xfe\xff")
    table = read_table(path)
    assert table.encoding == "utf-16" and table.delimiter == "\t" and not table.encoding_guessed
    assert [row.values for row in table.rows()] == [["Paweł Łącki", "Engines", "One.\r\n\r\nTwo."]]


def test_a_tsv_quoted_as_spreadsheets_write_it_keeps_its_paragraphs_and_one_that_is_not_reads_as_written(tmp_path):
    # Google Sheets, Excel and pandas quote a cell with a line break, a tab or a quote; other TSV writers do not
    quoted = tmp_path / "sheet.tsv"
    quoted.write_text('Speaker\tTitle\tAbstract\nAda Lovelace\tEngines\t"One paragraph.\n\nAnd a ""second""."\n'
                      'Alan Turing\tMachines\tPlain.\n', encoding="utf-8")
    rows = [row.values for row in read_table(quoted).rows()]
    assert rows == [["Ada Lovelace", "Engines", 'One paragraph.\n\nAnd a "second".'], ["Alan Turing", "Machines", "Plain."]]
    literal = tmp_path / "plain.tsv"  # quotes no writer would have needed: the cell's own
    literal.write_text('Speaker\tTitle\tAbstract\nAda Lovelace\t"Deep" engines\t"quoted, with a comma"\n',
                       encoding="utf-8")
    assert [row.values for row in read_table(literal).rows()] == [["Ada Lovelace", '"Deep" engines', '"quoted, with a comma"']]
    r_table = tmp_path / "r.tsv"  # R's write.table quotes every text cell, the header's too
    r_table.write_text('"Speaker"\t"Title"\n"Ada Lovelace"\t"Engines, ""analytical"""\n', encoding="utf-8")
    assert [row.values for row in read_table(r_table).rows()] == [["Ada Lovelace", 'Engines, "analytical"']]


def test_numbered_columns_per_author_give_the_first_author_s_roles(tmp_path):
    from talkgraph.tables.roles import assign_columns

    headers = ["Submission ID", "Title", "Author 1 First Name", "Author 1 Last Name", "Author 1 Organization",
               "Author 2 First Name", "Author 2 Last Name", "Author 2 Organization", "Abstract"]
    assert assign_columns(headers) == {"title": 1, "abstract": 8, "first_name": 2, "surname": 3, "affiliation": 4}


def test_unknown_encoding_is_an_input_error(write_table):
    with pytest.raises(InputError, match="unknown encoding"):
        read_table(write_table([HEADER]), encoding="klingon")


def test_a_row_with_too_many_cells_is_flagged_not_dropped(write_table):
    path = write_table([HEADER, ["Ada", "Lovelace", "T", "", "", "abstract", "stray"], ["A", "B", "T2"]])
    rows = list(read_table(path).rows())
    assert "7 cells but the header has 6" in rows[0].problem
    assert rows[1].problem is None and rows[1].cells["title"] == "T2"


def test_a_quote_never_closed_is_an_error_at_the_quote_not_rows_lost(tmp_path):
    # the rows after an unclosed quote would all be read into its cell, and vanish with its row
    path = tmp_path / "talks.csv"
    path.write_text('First Name,Surname,Proposed Talk Title,Abstract\nA,"B,Title one,abs\n'
                    'C,D,Title two,abs two\nE,F,Title three,abs\n', encoding="utf-8")
    table = read_table(path)
    with pytest.raises(InputError) as error:
        list(table.rows())
    assert (error.value.line, error.value.column) == (2, 3)
    assert "never closed" in error.value.message and "lines 2-4" in error.value.message


def test_a_quote_closed_lines_later_rejects_the_row_that_swallowed_them(tmp_path):
    path = tmp_path / "talks.csv"
    path.write_text('First Name,Surname,Proposed Talk Title,Abstract\nA,B,"Title one,abs\n'
                    'C,D,Title two,"abs two\nE,F,Title three,abs\n', encoding="utf-8")
    rows = list(read_table(path).rows())
    assert [r.line for r in rows] == [2, 4]
    assert "lines 2-3 were read as one row" in rows[0].problem and "Title two" in rows[0].values[2]
    assert rows[1].problem is None and rows[1].cells["title"] == "Title three"


def test_a_quote_closed_by_the_next_rows_quote_rejects_the_row_even_when_the_cells_add_up(tmp_path):
    # the usual case: the next row's first quoted cell closes the quote, and the merged row has the
    # header's number of cells; the row it swallowed must not vanish silently
    path = tmp_path / "talks.csv"
    path.write_text('First Name,Surname,Title,Abstract\nAnn,Lee,"Galaxies in clusters,We study galaxies.\n'
                    'Bob,Smith,"Dark matter",We study halos.\nCid,Zed,Planets,We study planets.\n', encoding="utf-8")
    rows = list(read_table(path).rows())
    assert [r.line for r in rows] == [2, 4] and "lines 2-3 were read as one row" in rows[0].problem
    assert "Bob,Smith" in rows[0].values[2] and rows[1].problem is None


def test_a_short_row_with_a_closed_multi_line_cell_full_of_commas_is_good(tmp_path):
    path = tmp_path / "talks.csv"
    path.write_text('First Name,Surname,Title,Abstract,Keywords\nAnn,Lee,Galaxy talk,"We study galaxies.\n'
                    'We use spectra, images, light curves, masses, and simulations."\nBob,Smith,Star talk,"Stars."\n',
                    encoding="utf-8")
    assert [r.problem for r in read_table(path).rows()] == [None, None]


@pytest.mark.parametrize("text, where", [
    ('First Name,Surname,Title,Abstract\nAnn,Lee,"Galaxies,We study galaxies.\n', (2, 9)),  # on the last line
    ('First Name,Surname,Title,Abstract\rAnn,Lee,"Galaxies\rand stars","We study\rgalaxies.\r', (3, 12)),  # CR alone
])
def test_an_unclosed_quote_is_found_on_the_last_line_and_with_any_line_ending(tmp_path, text, where):
    path = tmp_path / "talks.csv"
    path.write_bytes(text.encode("utf-8"))
    with pytest.raises(InputError) as error:
        list(read_table(path).rows())
    assert (error.value.line, error.value.column) == where and "never closed" in error.value.message


def test_a_quoted_multi_line_abstract_is_one_good_cell(tmp_path):
    path = tmp_path / "talks.csv"
    path.write_text('First Name,Surname,Proposed Talk Title,Abstract\nA,B,T,"First line, with commas, a, b\n'
                    'second line, with more, commas, c"\nC,D,T2,short\n', encoding="utf-8")
    rows = list(read_table(path).rows())
    assert [r.problem for r in rows] == [None, None] and rows[0].cells["abstract"].count("\n") == 1


# ------------------------------------------------------------------ spreadsheet-safe cells (#21, part 8)

FORMULAS = ["=HYPERLINK(\"http://x.example\",\"click\")", "+44 20 7946 0958", "-2+3", "@SUM(A1:A9)",
            "\tstarts with a tab", "'=already marked", "''@twice"]
HARMLESS = ["-3.5", "+7", "1e-5", "-", "plain text", "'quoted", "a = b", ""]


def test_formula_like_cells_are_marked_and_numbers_are_not():
    assert [spreadsheet_safe(c) for c in FORMULAS] == ["'" + c for c in FORMULAS]
    assert [spreadsheet_safe(c) for c in HARMLESS] == HARMLESS[:3] + ["'-"] + HARMLESS[4:]


@given(st.text(alphabet=st.sampled_from("=+-@'\t\r0123456789.eE ax"), max_size=12) | st.text(max_size=12))
def test_the_reader_gives_back_exactly_what_was_marked(cell):
    safe = spreadsheet_safe(cell)
    assert from_spreadsheet_safe(safe) == cell
    assert safe.lstrip("'")[:1] not in ("=", "+", "-", "@", "\t", "\r") or safe.startswith("'") \
        or safe.lstrip("'") == "" or re.fullmatch(r"[+-][\d.eE+-]+", safe)


def test_rejects_tsv_is_spreadsheet_safe_and_can_be_fed_back(write_table, tmp_path):
    from talkgraph import build, write_outputs

    cells = ["=cmd|' /C calc'!A0", "@SUM(1+1)", "-3.5", "+1 more", "'quoted"]
    rows = [HEADER] + [["Ada", "Lovelace", "", "", "", cell] for cell in cells]  # no title: rejected
    path = write_table(rows)
    write_outputs(build(path, mentions=False), tmp_path / "out")
    lines = (tmp_path / "out" / "rejects.tsv").read_text(encoding="utf-8").splitlines()[1:]
    written = [line.split("\t")[3:] for line in lines]
    assert [w[5] for w in written] == ["'=cmd|' /C calc'!A0", "'@SUM(1+1)", "-3.5", "'+1 more", "'quoted"]
    # Fixed (a title added) and fed back, the rows are read with the cells they had.
    fixed = write_table([HEADER] + [w[:2] + ["A title"] + w[3:] for w in written], name="fixed.tsv")
    assert [r.cells["abstract"] for r in read_table(fixed).rows()] == cells


def test_query_csv_and_tsv_are_spreadsheet_safe_unless_raw(write_table, tmp_path):
    from click.testing import CliRunner

    from talkgraph import build, write_outputs
    from talkgraph.cli import cli

    write_outputs(build(write_table([HEADER, ["Ada", "Lovelace", "=1+1 estimates", "", "", "@home"]]),
                        mentions=False), tmp_path / "out")
    query = ('SELECT ?title ?n ?lang WHERE { ?t <http://purl.org/dc/terms/title> ?title '
             'BIND(-3.5 AS ?n) BIND(STRLANG("-x", "en") AS ?lang) }')
    run = lambda *args: CliRunner().invoke(cli, ["query", "--sparql", query, "--store", str(tmp_path / "out"),  # noqa: E731
                                                 *args], catch_exceptions=False).output.splitlines()[1]
    assert run("-f", "csv") == "'=1+1 estimates,-3.5,'-x"
    assert run("-f", "csv", "--raw") == "=1+1 estimates,-3.5,-x"
    assert run("-f", "tsv") == '"\'=1+1 estimates"\t"-3.5"^^<http://www.w3.org/2001/XMLSchema#decimal>\t"\'-x"@en'
    assert run("-f", "tsv", "--raw") == '"=1+1 estimates"\t"-3.5"^^<http://www.w3.org/2001/XMLSchema#decimal>\t"-x"@en'


# ------------------------------------------------------------------ long input in messages (#21, part 8)

def test_a_huge_header_is_cut_in_the_error_message(write_table):
    path = write_table([["First Name", "Surname", "H" * 50_000], ["Ada", "Lovelace", "x"]])
    with pytest.raises(MissingColumnError) as caught:
        read_table(path)
    message = str(caught.value)
    assert len(message) < 600 and "'" + "H" * 80 + "…' (50,000 characters)" in message


def test_a_header_row_of_thousands_of_columns_is_listed_in_part(write_table):
    path = write_table([[f"column {i}" for i in range(5000)], ["x"] * 5000])
    with pytest.raises(MissingColumnError, match="and 4,988 more") as caught:
        read_table(path)
    assert len(str(caught.value)) < 1000
