"""Turning located raw rows into normalised talk records (or rejects).

Knows nothing of RDF: a :class:`Record` is plain data, ready for
:mod:`talkgraph.model.triples`.
"""

from __future__ import annotations

import ast
import hashlib
import json
import re
from dataclasses import dataclass, field
from functools import cached_property
from typing import Iterable

from .latex import bibtex_text
from .roles import AFFILIATION_WORDS, FIELD_LABELS, NAME_NOTES, NAME_WORDS, SPEAKER_FIELDS, names_a_list
from .table import RawRow, spreadsheet_safe
from .text import NO_MARKUP, Markup, clean_text, slugify, strip_markup

__all__ = ["Record", "Reject", "to_record", "split_full_name", "first_person", "split_affiliation", "list_items",
           "person_slug", "talk_slug", "markup_removed", "CELL_SEPARATOR"]

#: Between the cells of a keyword role's several columns in a :class:`Record`'s keyword text.
CELL_SEPARATOR = "\n"


_ONE_LINE = str.maketrans("\t\r\n", "   ")


@dataclass(frozen=True)
class Reject:
    """A row that could not become a talk, and why."""

    path: str
    line: int
    reason: str
    values: tuple[str, ...]

    def tsv_line(self) -> str:
        """This reject as a line of rejects.tsv: file, line, reason, then the row's cells.

        Tabs and line breaks inside cells become spaces (one row, one line), and cells a
        spreadsheet would run as formulas are prefixed with ``'`` (see
        :func:`talkgraph.tables.table.spreadsheet_safe`; the table reader removes it again).

        >>> Reject("t.tsv", 4, "no title", ("=1+1", "-2", "a\\tb")).tsv_line()
        "t.tsv\\t4\\tno title\\t'=1+1\\t-2\\ta b\\n"
        """
        cells = (self.path, str(self.line), self.reason, *self.values)
        return "\t".join(spreadsheet_safe(c.translate(_ONE_LINE)) for c in cells) + "\n"


@dataclass
class Record:
    """One talk, cleaned: text normalised (NFC, whitespace), HTML markup reduced to text and links.

    The keyword cells are kept as written (cleaned only), for the linker to split:
    ``domains_text`` (astronomy keywords), ``methods_text`` (ML keywords) and
    ``keywords_text`` (a mixed column, whose terms belong to whichever scheme they match). A table
    with several columns of one of these roles (``several`` in roles.json) gives the non-empty cells
    of all of them, one a line (:data:`CELL_SEPARATOR`: cleaned text has no line breaks).
    ``markup`` counts the markup taken out of its title, names and abstract (see
    :func:`talkgraph.tables.text.strip_markup`).
    """

    path: str
    line: int
    title: str
    given_name: str
    family_name: str
    abstract: str
    links: list[str]
    domains_text: str
    methods_text: str
    keywords_text: str = ""
    affiliation: str = ""
    extras: dict[str, str] = field(default_factory=dict)
    markup: Markup = NO_MARKUP

    @property
    def name(self) -> str:
        return " ".join(part for part in (self.given_name, self.family_name) if part)

    @cached_property
    def person_slug(self) -> str:
        return person_slug(self.name)

    @property
    def identity(self) -> tuple[str, str]:
        """Two rows with the same identity are the same talk given twice (case and spacing aside)."""
        return self.person_slug, " ".join(self.title.casefold().split())


def _fallback_slug(prefix: str, text: str) -> str:
    return f"{prefix}-{hashlib.sha1(text.encode('utf-8')).hexdigest()[:10]}"


def person_slug(name: str) -> str:
    """``"Clár-Bríd Tohill"`` → ``"clar-brid-tohill"`` (a hash for names with no Latin letters)."""
    return slugify(name) or _fallback_slug("person", name)


def talk_slug(title: str) -> str:
    """Readable slug of a title, at most 80 characters, cut at a word boundary."""
    return slugify(title) or _fallback_slug("talk", title)


def _cells(row: RawRow, fields: Iterable[str]) -> str:
    """The cells of ``fields`` named by the row's own headers: ``'Title' cell is``, ``'A' and 'B' cells are``."""
    names = [repr(row.headers[f]) for f in fields if f in row.headers] or [
        repr(FIELD_LABELS[f]) for f in fields if f != "speaker"]
    listed = names[0] if len(names) == 1 else ", ".join(names[:-1]) + " and " + names[-1]
    return f"{listed} cell{'s are' if len(names) > 1 else ' is'}"


#: What may follow a comma in a full name without being the given names ("Martin Luther King, Jr.").
_NAME_SUFFIXES = NAME_WORDS["suffixes"] | NAME_WORDS["degrees"]


def _word(word: str) -> str:
    return word.strip().strip(",").rstrip(".").lower()


def _without_honorifics(name: str) -> str:
    """``name`` without the honorifics in front of it ("Prof. Dr. Hans-Peter Müller" is Hans-Peter Müller)."""
    words = name.split()
    while len(words) > 1 and _word(words[0]) in NAME_WORDS["honorifics"]:
        words = words[1:]
    return " ".join(words)


def split_full_name(full: str) -> tuple[str, str]:
    """(given names, family name) of a full name written in one cell: "Given Family", or "Family, Given" as
    programme and bibliographic exports write it (one comma). The last word is the family name when there is
    no comma, with the particles in front of it ("de la Cruz") and a generational suffix after it ("III");
    or when what follows the comma is a suffix; a cell with more commas (a list of authors) is read as one
    name. Honorifics ("Dr.") and degrees after a comma ("PhD") are no part of it (``names`` in roles.json).

    >>> split_full_name("Clár-Bríd Tohill"), split_full_name("Mozún Mateo, Iván"), split_full_name("Kim, Dae-Won")
    (('Clár-Bríd', 'Tohill'), ('Iván', 'Mozún Mateo'), ('Dae-Won', 'Kim'))
    >>> split_full_name("Martin Luther King, Jr."), split_full_name("Hopper"), split_full_name("Smith, A., Lee, B.")
    (('Martin Luther', 'King, Jr.'), ('', 'Hopper'), ('Smith, A., Lee,', 'B.'))
    """
    full = _without_honorifics(full.strip())
    while "," in full and _word(full.rpartition(",")[2]) in NAME_WORDS["degrees"]:
        full = full.rpartition(",")[0].strip()  # "Emily Zhang, PhD"
    family, comma, given = full.partition(",")
    given, family = _without_honorifics(given.strip()), family.strip()
    if comma and given and family and "," not in given:
        if _word(given) not in _NAME_SUFFIXES:
            *first, last = given.split()
            if first and _word(last) in NAME_WORDS["suffixes"]:  # "Williams, Robert Jr."
                return " ".join(first), f"{family}, {last}"
            return given, family
        first, _, last = family.rpartition(" ")  # a suffix: "King, Jr." stays the family name's
        return first, f"{last}, {given}"
    words = full.split()
    if len(words) < 2:
        return "", full
    end = len(words) - 1
    if _word(words[end]) in NAME_WORDS["suffixes"] and end > 1:  # "Patrick Moore-Smith III"
        end -= 1
    start = end
    while start > 1 and _word(words[start - 1]) in NAME_WORDS["particles"]:  # "van der Berg", "Ní Bhriain"
        start -= 1
    return " ".join(words[:start]), " ".join(words[start:])


#: the marks that tie an author to the affiliations listed apart: "(1)", "(1, 2)", "¹²", "*"
_AFFILIATION_MARK = re.compile(r"\s*\(\d+(?:\s*,\s*\d+)*\)|[\u00b9\u00b2\u00b3\u2070-\u2079*†‡]+")


_STRING = r"""(?:'(?:[^'\\\n]|\\.)*'|"(?:[^"\\\n]|\\.)*")"""
#: a flat list of quoted strings, as Python prints a list (``str(["a", "b"])``) and JSON writes an array
_STRING_LIST = re.compile(rf"\[\s*(?:{_STRING}\s*(?:,\s*{_STRING}\s*)*,?\s*)?\]")
#: a list of flat records whose values are strings, numbers or nothing: an API's people as pandas prints them
#: (Semantic Scholar's ``[{'authorId': '123', 'name': 'Ana Gómez'}]``) or JSON writes them
_VALUE = rf"(?:{_STRING}|-?\d+(?:\.\d+)?|None|null|true|false|True|False)"
_RECORD = rf"\{{\s*{_STRING}\s*:\s*{_VALUE}\s*(?:,\s*{_STRING}\s*:\s*{_VALUE}\s*)*\}}"
_RECORD_LIST = re.compile(rf"\[\s*{_RECORD}\s*(?:,\s*{_RECORD}\s*)*,?\s*\]")
#: the keys that hold a record's name, the first present read
_NAME_KEYS = ("name", "full_name", "fullName", "display_name", "displayName", "label", "text")


def list_items(cell: str | None) -> list[str] | None:
    """The strings of a cell that is a list printed by a program, or None for any other cell. A table made
    with pandas from the arXiv API has ``['Ada Lovelace', "Seán O'Neill"]`` in its authors' cell and
    ``['astro-ph.GA', 'cs.LG']`` in its categories'; one converted from JSON has ``["a", "b"]``. Only a
    flat list of quoted strings is read (checked by a regular expression first, then read as a literal,
    never run as code); anything else is an ordinary cell.

    >>> list_items('''['Ada Lovelace', "Seán O'Neill"]'''), list_items('["astro-ph.GA"]'), list_items("[]")
    (['Ada Lovelace', "Seán O'Neill"], ['astro-ph.GA'], [])
    >>> list_items("[1] Lovelace"), list_items("Galaxies, [stars]"), list_items("[a, b]")
    (None, None, None)

    A list of records (an API's people: ``[{'authorId': '1', 'name': 'Ana Gómez'}]``, or JSON's
    ``[{"name": "Li Wei"}]``) is read as their names, the first of :data:`_NAME_KEYS` each has:

    >>> list_items("[{'authorId': '1', 'name': 'Ana Gómez'}, {'authorId': None, 'name': 'Li Wei'}]")
    ['Ana Gómez', 'Li Wei']
    >>> list_items('[{"id": 3, "name": "Li Wei", "orcid": null}]'), list_items('[{"id": 3}]')
    (['Li Wei'], None)
    >>> list_items("[{'name': print('x')}]")
    """
    if not cell or not cell.lstrip().startswith("["):
        return None
    text = cell.strip()
    records = _RECORD_LIST.fullmatch(text) is not None
    if not records and not _STRING_LIST.fullmatch(text):
        return None
    try:
        items = ast.literal_eval(text)
    except (ValueError, SyntaxError, MemoryError, RecursionError):
        try:  # JSON's null, true and false are no Python literals
            items = json.loads(text)
        except (ValueError, RecursionError):
            return None
    if records:
        items = [next((item[key] for key in _NAME_KEYS if isinstance(item.get(key), str)), None) for item in items]
        if not any(items):
            return None
    return [item.strip() for item in items if isinstance(item, str) and item.strip()]


def _outside_brackets(text: str) -> str:
    """``text`` with what stands inside brackets blanked out, one character for one, so that the separators
    of a list are found only between its items ("Ana Gómez (Dunlap Institute, Toronto), Wei Zhang")."""
    if "(" not in text:
        return text
    out, depth = [], 0
    for character in text:
        depth += character == "("
        out.append("_" if depth else character)
        depth -= character == ")" and depth > 0
    return "".join(out)


_CAPITALS_WORD = re.compile(r"(?<![\w.])[A-Z][A-Z]+(?![\w.])")


def split_affiliation(person: str) -> tuple[str, str]:
    """(name, affiliation) of one person's cell that may print their institution too (``affiliation_in_name``
    in roles.json): "Ana Gómez (Univ. of Chile)" or "Ana Gómez, INFN Napoli"; the affiliation is "" when
    the cell gives none, and a name written "Family, Given" stays whole.

    >>> split_affiliation("Ana Gómez (Univ. of Chile)*"), split_affiliation("Michele Delli Veneri, INFN Napoli")
    (('Ana Gómez', 'Univ. of Chile'), ('Michele Delli Veneri', 'INFN Napoli'))
    >>> split_affiliation("Mozún Mateo, Iván"), split_affiliation("Lovelace, Ada (1)")
    (('Mozún Mateo, Iván', ''), ('Lovelace, Ada', ''))
    """
    person = _AFFILIATION_MARK.sub("", person).strip()
    start = _last_bracket(person)
    if start:
        name, affiliation = person[:start].strip(), person[start + 1:-1].strip()
        if name and affiliation and not any(c.isdigit() for c in name):
            if _a_note(affiliation):
                return split_affiliation(name)[0], ""  # "(she/her)", "(invited)": a note
            return split_affiliation(name)[0], affiliation
    name, comma, after = person.partition(",")
    if comma and after.strip() and "," not in _outside_brackets(after):
        after = after.strip()
        words = after.split()
        if (AFFILIATION_WORDS.intersection(w.strip(".").lower() for w in words) or _CAPITALS_WORD.search(after)) \
                and after.replace(".", "").lower() not in _NAME_SUFFIXES:
            return name.strip(), after
    return person, ""


def _a_note(text: str) -> bool:
    """Whether what follows a person's name is a note, not an affiliation: "(she/her)", "(remote)"."""
    return set(re.findall(r"\w+", text.lower())) <= NAME_NOTES


def _last_bracket(text: str) -> int | None:
    """Where the bracket that ends ``text`` opens ("Ana (Annie) Gómez (MIT)": the one before "MIT"), or None."""
    if not text.endswith(")"):
        return None
    depth = 0
    for index in range(len(text) - 1, -1, -1):
        depth += (text[index] == ")") - (text[index] == "(")
        if depth == 0:
            return index
    return None


def _first_line(cell: str) -> tuple[str, str]:
    """A person's cell as a programme pasted from Word holds it, the name on its first line and the affiliation
    on the next ("Ada Lovelace\\nUniversity of London\\n(remote)"): (the first line, the first line below it
    that is not a note only), or (the cell, "")."""
    lines = [line.strip() for line in _LINE_BREAK.split(cell) if line.strip()]
    if len(lines) < 2:
        return cell, ""
    below = next((line for line in lines[1:] if not _a_note(line)), "")
    return lines[0], below


def first_person(cell: str) -> str:
    """The first person of a cell that lists the people of a talk ("Speaker names"): names separated by ";",
    " and " or "&", or by commas, where a list of "Given Family" names has two words or more in each part and
    one written "Family, Given" does not.

    >>> first_person("Keahi Pelkum Donahue, Fadil Inceoglu"), first_person("Ada Lovelace and Alan Turing")
    ('Keahi Pelkum Donahue', 'Ada Lovelace')
    >>> first_person("Mozún Mateo, Iván"), first_person("Lovelace, A.; Turing, A."), first_person("Lovelace, A., Turing, A.")
    ('Mozún Mateo, Iván', 'Lovelace, A.', 'Lovelace, A.')
    >>> first_person("Ada Lovelace, Alan Turing and Grace Hopper"), first_person("Lovelace, A. and Turing, A.")
    ('Ada Lovelace', 'Lovelace, A.')
    >>> first_person("Lovelace, Ada (1,2); Turing, Alan (2)"), first_person("Ada Lovelace¹²*, Alan Turing³")
    ('Lovelace, Ada', 'Ada Lovelace')
    >>> first_person("['Ada Lovelace', 'Alan Turing']")
    'Ada Lovelace'
    """
    items = list_items(cell)
    if items is not None:  # a list printed by a program: its first string
        return _AFFILIATION_MARK.sub("", items[0]).strip() if items else ""
    cell = _AFFILIATION_MARK.sub("", cell)  # ConfTool's "Lovelace, Ada (1); Turing, Alan (2)", "Ada Lovelace¹"
    masked = _outside_brackets(cell)  # an affiliation in brackets may hold any separator: CMT's "A (X, Y)*; B (Z)"
    for separator in (";", "|"):
        if separator in masked:
            return cell[:masked.index(separator)].strip()
    if found := re.search(r" and | & ", masked):  # EasyChair lists "A, B and C"
        cell, masked = cell[:found.start()], masked[:found.start()]
    cuts = [i for i, character in enumerate(masked) if character == ","]
    parts = [part.strip() for part in (cell[a + 1:b] for a, b in zip([-1] + cuts, cuts + [len(cell)])) if part.strip()]
    if len(parts) > 1 and all(len(_outside_brackets(part).split()) >= 2 for part in parts):
        return parts[0]
    return ", ".join(parts[:2])


#: people a one-person column lists all the same, by the separators :func:`first_person` splits at: "Ada
#: Lovelace and Alan Turing", BibTeX's "{Bai}, Yu and {Liu}, JiFeng and others", "Lovelace, Ada; Turing, Alan"
_SEVERAL = re.compile(r" and | & |[;|]")


def _unbraced(title: str) -> str:
    """A title wrapped in braces, as BibTeX protects its case ("{Deep flows for $\\gamma$-ray maps}"), without
    them; any other title as it is."""
    if len(title) > 2 and title[0] == "{" and title[-1] == "}" and _balanced(title[1:-1]):
        return title[1:-1].strip()
    return title


def _balanced(text: str) -> bool:
    depth = 0
    for character in text:
        depth += (character == "{") - (character == "}")
        if depth < 0:
            return False
    return depth == 0


def to_record(row: RawRow) -> Record | Reject:
    """Normalise one raw row; return a :class:`Reject` when it lacks a title or a speaker."""
    values = tuple(row.values)
    if row.problem:
        return Reject(row.path, row.line, row.problem, values)
    cells = row.cells
    given, family, title = (strip_markup(cells.get(name), inline=True) for name in ("first_name", "surname", "title"))
    markup = given.removed + family.removed + title.removed
    given, family, title = _without_honorifics(given.text), family.text, _unbraced(title.text)
    said_affiliation = ""  # printed with the speaker's name
    if not (given or family) and cells.get("speaker"):
        listed = (names_a_list(row.headers.get("speaker", "")) or list_items(cells["speaker"]) is not None
                  or _SEVERAL.search(_outside_brackets(cells["speaker"])) is not None)
        person, below = _first_line(first_person(cells["speaker"]) if listed else cells["speaker"])
        full = strip_markup(bibtex_text(person), inline=True)
        markup += full.removed
        name, said_affiliation = split_affiliation(full.text)
        said_affiliation = said_affiliation or ("" if listed else below)
        given, family = split_full_name(name)
    if not title:
        return Reject(row.path, row.line, f"no title (the {_cells(row, ['title'])} empty)", values)
    if not (given or family):
        return Reject(row.path, row.line, f"no speaker name (the {_cells(row, SPEAKER_FIELDS)} empty)", values)
    abstract, links, removed = strip_markup(cells.get("abstract"))
    for further in row.further.get("abstract", ()):  # a second text column ("Abstract" and "Description")
        text, more_links, more_removed = strip_markup(further)
        if text:
            abstract = f"{abstract}\n\n{text}" if abstract else text
            links, removed = links + [url for url in more_links if url not in links], removed + more_removed
    return Record(
        path=row.path,
        line=row.line,
        title=title,
        given_name=given,
        family_name=family,
        abstract=abstract,
        links=links,
        domains_text=_keyword_cells(row, "domains"),
        methods_text=_keyword_cells(row, "methods"),
        keywords_text=_keyword_cells(row, "keywords"),
        affiliation=clean_text(cells.get("affiliation")) or said_affiliation,
        extras=_extras(row, said_affiliation),
        markup=markup + removed,
    )


def _extras(row: RawRow, said_affiliation: str) -> dict[str, str]:
    """The row's extra columns' cleaned cells, and the affiliation printed with the speaker's name where the
    table has no affiliation column (under the role's label, "Affiliation"), so that it is kept as one would be."""
    extras = {header: clean_text(value) for header, value in row.extras.items()}
    if said_affiliation and "affiliation" not in row.headers:
        extras.setdefault(FIELD_LABELS["affiliation"], said_affiliation)
    return extras


_LINE_BREAK = re.compile(r"\r\n|\r|\n")  # as a CSV cell holds them (not a vertical tab or a form feed)


def _keyword_cells(row: RawRow, name: str) -> str:
    """The cleaned cell of a keyword role and those of its further columns, one a line; a line break
    inside a cell separates keywords too (EasyChair exports a submission's keywords one a line), as do
    the strings of a list printed by a program (:func:`list_items`).

    >>> _keyword_cells(RawRow("t.csv", 2, {"keywords": "impact craters\\nMoon, Mars"}, {}, []), "keywords")
    'impact craters\\nMoon, Mars'
    >>> _keyword_cells(RawRow("t.csv", 2, {"keywords": "['astro-ph.GA', 'cs.LG']"}, {}, []), "keywords")
    'astro-ph.GA\\ncs.LG'
    """
    cells = [row.cells.get(name), *row.further.get(name, ())]
    return CELL_SEPARATOR.join(line for cell in cells if cell
                               for line in map(clean_text, _lines(cell)) if line)


def _lines(cell: str) -> list[str]:
    items = list_items(cell)
    return items if items is not None else _LINE_BREAK.split(cell)


def markup_removed(records: Iterable[Record]) -> dict[str, int]:
    """What markup the build took out of titles, names and abstracts, for the report.

    >>> markup_removed([])
    {'tags': 0, 'comments': 0, 'entities_decoded': 0, 'talks': 0}
    """
    total, talks = NO_MARKUP, 0
    for record in records:
        if record.markup:
            total, talks = total + record.markup, talks + 1
    return {"tags": total.tags, "comments": total.comments, "entities_decoded": total.entities, "talks": talks}
