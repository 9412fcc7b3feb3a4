"""Fuzzing the table reader with adversarial cells (#21, parts 4 and 8).

Cells are made of pieces whose plain text is known: text that only looks like markup
(``a<b``, ``<M>``, ``&foo;``), real markup (``<p>``, ``&amp;``, comments), control
characters, quotes and delimiters, spreadsheet formulas, huge repeats; rows come with
blank lines between them, in TSV and CSV. The properties: no text is lost but real markup
(and what docs/input.md says cleaning drops: control characters, runs of whitespace, the
spreadsheet's apostrophe), and every row lands in the graph or in the rejects.

Short by default (the suite stays fast); TALKGRAPH_HYPOTHESIS=long for a long run (tests/conftest.py).
"""

from __future__ import annotations

import csv
import io
import re

from hypothesis import given, settings, strategies as st

from talkgraph.tables.records import Record, to_record
from talkgraph.tables.table import from_spreadsheet_safe, read_table
from talkgraph.tables.text import clean_text

from conftest import HEADER

# A quarter of the profile's examples (25 in the short one, 500 in the long): each is a whole table.
EXAMPLES = max(5, settings.default.max_examples // 4)
FUZZ = settings(max_examples=EXAMPLES)

#: Text that looks like markup but is not: kept verbatim. (An unclosed "<!--" is tested in test_text.py: with
#: a comment piece after it, the two are one real comment.)
LOOKALIKES = ["a<b", "c>d", "<M>", "<T> > 5", "&foo;", "R&D", "H&K", "<b and c>", "$x<y$", "< p>", "<!-", "<!x>",
              "&#0;", "x <= y", "a -> b", "<3", "<input>", "<i>", "</b>", "\\frac{a}{b}", "<b x=1>"]
#: Real markup and its plain text.
MARKUP = [("<p>", "\n\n"), ("</p>", "\n\n"), ("<i>x</i>", "x"), ("<br/>", "\n\n"), ("<sub>2</sub>", "2"),
          ('<a href="https://example.org/x">link</a>', "link"), ("&amp;", "&"), ("&lt;", "<"), ("&eacute;", "é"),
          ("&#233;", "é"), ("<!-- a note -->", ""), ('<span class="c">s</span>', "s")]
DELIMITERS = ['"quoted, with a comma"', "it's", "a;b", "1,5", "|pipe|", '""', ","]
CONTROLS = ["\x00", "\x07", "\x1b", "\x0b", "\x0c", "\ufeff", "\u200e", "\x7f"]
FORMULAS = ["=SUM(A1)", "'=already marked", "-3.5", "@user", "+1 more", "-", "=cmd|' /C calc'!A0"]
# No < > & ; = in free words: markup only ever comes from the pieces above, whose text is known.
WORDS = st.text(st.characters(blacklist_characters="<>&;=\t\r\n", blacklist_categories=("Cs",)), min_size=1,
                max_size=8)

piece = st.one_of(
    st.sampled_from(LOOKALIKES).map(lambda p: (p, p)),
    st.sampled_from(MARKUP),
    st.sampled_from(DELIMITERS).map(lambda p: (p, p)),
    st.sampled_from(CONTROLS).map(lambda p: (p, "")),
    WORDS.map(lambda p: (p, p)),
)
huge = st.tuples(st.sampled_from(LOOKALIKES + [m for m, _ in MARKUP]), st.integers(2_000, 20_000)).map(
    lambda t: (t[0] * t[1] if t[0] in LOOKALIKES else (t[0] + " ") * t[1],
               t[0] * t[1] if t[0] in LOOKALIKES else (dict(MARKUP)[t[0]] + " ") * t[1]))


@st.composite
def cells(draw, *, huge_ok: bool = False):
    """(raw cell, its expected text before cleaning) — pieces joined by whitespace."""
    pieces = draw(st.lists(huge if huge_ok and draw(st.integers(0, 9)) == 0 else piece, max_size=6))
    if draw(st.booleans()):
        formula = draw(st.sampled_from(FORMULAS))
        pieces.insert(0, (formula, formula))
    raw = " ".join(p for p, _ in pieces)
    text = " ".join(t for _, t in pieces)
    if from_spreadsheet_safe(raw) != raw:  # the reader takes a leading ' before a formula for the spreadsheet's
        text = text[1:]
    return raw, text


@st.composite
def tables(draw):
    """Rows of (raw cells, expected texts), and whether a stray extra cell makes a row malformed."""
    rows = []
    for _ in range(draw(st.integers(1, 6))):
        drawn = [draw(cells(huge_ok=column in (2, 5))) for column in range(len(HEADER))]
        stray = draw(st.integers(0, 7)) == 0
        rows.append(([raw for raw, _ in drawn] + (["stray"] if stray else []), [text for _, text in drawn]))
    blank_lines = draw(st.lists(st.sampled_from(["", "   ", " \x0b "]), max_size=len(rows) + 1))
    return rows, blank_lines


def write(tmp_path, rows, blank_lines, delimiter: str):
    """The table as a file: header, rows, blank lines between them (CSV quoted where it must be)."""
    def line(values):
        if delimiter == "\t":
            return "\t".join(v.replace("\t", " ").replace("\r", " ").replace("\n", " ") for v in values) + "\n"
        out = io.StringIO()
        csv.writer(out, lineterminator="\n").writerow(values)
        return out.getvalue()

    text = line(HEADER)
    for index, (raw, _) in enumerate(rows):
        if index < len(blank_lines):
            text += blank_lines[index] + "\n"
        text += line(raw)
    path = tmp_path / ("fuzz.tsv" if delimiter == "\t" else "fuzz.csv")
    path.write_text(text, encoding="utf-8", newline="")
    return path


def tsv_safe(rows, delimiter):
    """In a TSV a cell cannot hold a tab or a line break: the writer above replaced them with spaces."""
    if delimiter != "\t":
        return rows
    fix = lambda v: v.replace("\t", " ").replace("\r", " ").replace("\n", " ")  # noqa: E731
    return [([fix(v) for v in raw], [fix(t) for t in texts]) for raw, texts in rows]


def flat(text: str) -> str:
    return " ".join(text.split())


@FUZZ
@given(table=tables(), delimiter=st.sampled_from(["\t", ","]))
def test_no_text_is_lost_but_real_markup_and_every_row_is_a_talk_or_a_reject(tmp_path_factory, table, delimiter):
    rows, blank_lines = table
    path = write(tmp_path_factory.mktemp("fuzz"), rows, blank_lines, delimiter)
    rows = [row for row in tsv_safe(rows, delimiter) if any(v.strip() for v in row[0])]  # blank rows are skipped
    read = list(read_table(path).rows())
    assert len(read) == len(rows)
    for got, (raw, texts) in zip(read, rows):
        result = to_record(got)
        title, given, family, abstract = (clean_text(texts[i]) for i in (2, 0, 1, 5))
        if len(raw) > len(HEADER) or not title or not (given or family):
            assert not isinstance(result, Record), (raw, result)
            assert list(result.values) == [from_spreadsheet_safe(v) for v in raw]  # the reject keeps every cell
            continue
        assert isinstance(result, Record), (raw, result)
        assert (result.title, result.given_name, result.family_name) == (title, given, family)
        assert flat(result.abstract) == abstract
        # a keyword cell's line breaks separate its keywords: each line is cleaned on its own
        lines = re.split(r"\r\n|\r|\n", from_spreadsheet_safe(raw[3]))
        assert result.domains_text == "\n".join(line for line in map(clean_text, lines) if line)


@settings(FUZZ, max_examples=max(5, EXAMPLES // 3))
@given(table=tables())
def test_every_row_lands_in_the_graph_or_the_rejects_report(tmp_path_factory, table):
    from talkgraph import build

    rows, blank_lines = table
    path = write(tmp_path_factory.mktemp("fuzz"), rows, blank_lines, ",")
    rows = [row for row in rows if any(v.strip() for v in row[0])]
    result = build(path, mentions=False, validate=False)
    talks = {row[0].value: row[1].value for row in result.store.query(
        "SELECT ?t ?title WHERE { ?t a <https://w3id.org/talkgraph/ns#Talk> ; <http://purl.org/dc/terms/title> ?title }")}
    assert len(talks) + len(result.rejects) == len(rows) == result.counts["rows_read"]
    assert len(result.report["rejects"]) == len(result.rejects)
    built = [texts for raw, texts in rows if len(raw) == len(HEADER) and clean_text(texts[2])
             and (clean_text(texts[0]) or clean_text(texts[1]))]
    same = lambda title: " ".join(title.casefold().split())  # noqa: E731 - a duplicate talk differs in case only
    assert {same(t) for t in talks.values()} == {same(clean_text(texts[2])) for texts in built}
