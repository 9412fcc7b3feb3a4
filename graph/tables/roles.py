"""The roles a table's columns can have, and which header holds which role.

The roles, the header names each is recognised by and the words that only suggest it
are data (``roles.json`` beside this module; docs/tables.md shows them as a table). A
header is matched ignoring case, accents, spaces and punctuation; a role can also be
given a header by hand (``--column ROLE=HEADER``, ``columns={"title": "Paper"}``), which
wins over the aliases.

>>> canonical_field("Areas of Machine Learning / AI"), canonical_field(" last  name "), canonical_field("Tags")
('methods', 'surname', 'keywords')
>>> role_field("ML keywords"), role_field("astronomy-keywords"), role_field("first_name")
('methods', 'domains', 'first_name')
>>> assign_columns(["Paper", "Authors", "Summary", "Subjects"], {"title": "Paper", "speaker": "Authors"})
{'title': 0, 'speaker': 1, 'abstract': 2, 'keywords': 3}
"""

from __future__ import annotations

import bisect
import difflib
import json
import re
import shlex
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Iterable, Mapping

from ..errors import ColumnError, shown
from .text import fold

__all__ = ["Role", "ROLES", "FIELD_LABELS", "KEPT_AS_EXTRA", "SPEAKER_FIELDS", "header_key", "canonical_field",
           "head_field", "shares_a_word", "role_field", "parse_columns", "resolve_columns", "assign_columns",
           "suggest_columns", "roles_listed", "further_columns", "names_a_list", "holds_contact_data",
           "AFFILIATION_WORDS", "NAME_NOTES", "NAME_WORDS"]


@dataclass(frozen=True)
class Role:
    """One role a column can have (a row of ``roles.json``)."""

    field: str  #: the name the code uses (``RawRow.cells`` and ``Table.columns`` keys)
    role: str  #: the name a user gives with ``--column``
    label: str  #: the column's name in messages
    holds: str
    aliases: tuple[str, ...]
    hints: tuple[str, ...]
    kept_as_extra: bool = False
    several: bool = False  #: a table may have more than one column of the role (:func:`further_columns`)
    #: aliases (among ``aliases``) of a cell that lists people, the speaker first (:func:`names_a_list`)
    list_aliases: tuple[str, ...] = ()


def header_key(name: str) -> str:
    """A header (or role name) as it is compared: folded, punctuation as spaces, spaces single; a path of
    JSON field names is its names without the wrappers that hold every field (``path_wrappers`` in roles.json).

    >>> header_key("  Areas of Machine-Learning / AI "), header_key("Field(s) of astronomy"), header_key("Box(es)")
    ('areas of machine learning ai', 'field of astronomy', 'box')
    >>> header_key("content.title.value"), header_key("content.primary_area.value"), header_key("content.value")
    ('title', 'primary area', 'content value')
    """
    if _PATH.fullmatch(name.strip()):
        kept = [part for part in name.strip().split(".") if part.lower() not in _PATH_WRAPPERS]
        name = " ".join(kept) if kept else name
    return " ".join(re.sub(r"[^a-z0-9]+", " ", _PLURAL_MARK.sub("", fold(name))).split())


#: a path of JSON field names, as pandas' json_normalize joins them: "content.title.value"
_PATH = re.compile(r"[A-Za-z_][\w-]*(?:\.[\w-]+)+")


#: "(s)" or "(es)" after a word, a form's way of saying "one or more": "Field(s) of astronomy", "ML technique(s)".
_PLURAL_MARK = re.compile(r"(?<=[a-z])\((?:s|es)\)", re.IGNORECASE)


_DATA = json.loads(Path(__file__).with_name("roles.json").read_text(encoding="utf-8"))
_PATH_WRAPPERS = frozenset(_DATA["heads"]["path_wrappers"])


def _load(data: dict) -> tuple[Role, ...]:
    return tuple(Role(field, entry["role"], entry["label"], entry["holds"],
                      tuple(entry["aliases"]) + tuple(entry.get("list_aliases", ())),
                      tuple(entry.get("hints", ())), bool(entry.get("kept_as_extra", False)),
                      bool(entry.get("several", False)), tuple(entry.get("list_aliases", ())))
                 for field, entry in data["roles"].items())


#: Every role, in the order messages and docs list them.
ROLES: tuple[Role, ...] = _load(_DATA)
_BY_FIELD = {role.field: role for role in ROLES}

#: Canonical field → the column name used in messages (the real table's header).
FIELD_LABELS = {role.field: role.label for role in ROLES}
#: Fields whose cells also stay an extra column of the talk (the graph has no property of their own yet).
KEPT_AS_EXTRA = frozenset(role.field for role in ROLES if role.kept_as_extra)
_LISTS = {header_key(alias) for role in ROLES for alias in role.list_aliases}


_CONTACT_WORDS = frozenset(_DATA["contact"]["words"])
#: Words that make what follows a comma in a person's cell an affiliation (``affiliation_in_name`` in roles.json).
AFFILIATION_WORDS = frozenset(_DATA["affiliation_in_name"]["words"])
#: Words of a bracket after a person's name that is a note, not an affiliation ("(she/her)", "(invited)").
NAME_NOTES = frozenset(_DATA["affiliation_in_name"]["notes"])
#: The parts of a person's name that are read apart from it (``names`` in roles.json).
NAME_WORDS = {key: frozenset(_DATA["names"][key]) for key in ("honorifics", "degrees", "suffixes", "particles")}


def holds_contact_data(header: str) -> bool:
    """Whether a column holds people's contact data by its header (``contact`` in roles.json): it is left
    out of the graph.

    >>> holds_contact_data("Email Address"), holds_contact_data("E-mail"), holds_contact_data("Mailing list")
    (True, True, False)
    """
    return bool(_CONTACT_WORDS.intersection(header_key(header).split()))


@cache  # asked of each row's speaker cell: a table has one such header
def names_a_list(header: str) -> bool:
    """Whether ``header`` names a cell that lists the people of a talk, the speaker first ("Speaker names").

    >>> names_a_list("Speaker names"), names_a_list("Speaker")
    (True, False)
    """
    return header_key(header) in _LISTS


#: A table needs one of these (and a title) to name its speakers.
SPEAKER_FIELDS = ("first_name", "surname", "speaker")


def _index(pairs: Iterable[tuple[str, str]], what: str) -> dict[str, str]:
    index: dict[str, str] = {}
    for name, field in pairs:
        key = header_key(name)
        if index.setdefault(key, field) != field:  # a broken data file: fail at import, in every test
            raise ValueError(f"roles.json: the {what} {name!r} names both {index[key]!r} and {field!r}")
    return index


_BY_ALIAS = _index(((alias, role.field) for role in ROLES for alias in role.aliases), "alias")
_BY_ROLE_NAME = {**_BY_ALIAS, **_index(((name, role.field) for role in ROLES for name in (role.field, role.role)),
                                       "role name")}


def canonical_field(header: str) -> str | None:
    """The canonical field a header names, or ``None`` for an extra column."""
    return _alias(header_key(header))


def _alias(key: str) -> str | None:
    """The role whose alias ``key`` is, its last word singular or plural alike ("Astronomy field" as "astronomy
    fields", "Science categories" as "science category").

    >>> _alias("astronomy field"), _alias("science categories"), _alias("titles"), _alias("news"), _alias("names")
    ('domains', 'domains', 'title', None, None)
    """
    field = _BY_ALIAS.get(key)
    if field is None and key and key.rpartition(" ")[2] not in _GENERIC_HEADS:  # "Names" is no "name"
        head, _, last = key.rpartition(" ")
        other = (last[:-3] + "y" if last.endswith("ies") else last[:-1] if last.endswith("s") and len(last) > 3
                 else last[:-1] + "ies" if last.endswith("y") and len(last) > 3 else last + "s")
        field = _BY_ALIAS.get(f"{head} {other}".strip())
    return field


_HEADS = _DATA["heads"]
_PREPOSITIONS = frozenset(_HEADS["prepositions"])
_IDENTIFIER_WORDS = frozenset(_HEADS["identifier_words"]) | frozenset(_HEADS["job_words"])
_GENERIC_HEADS = frozenset(_HEADS["generic_heads"])
_RECORD_NAME = frozenset(_HEADS["record_name"])
_POSTPOSITIVE = frozenset(_HEADS["postpositive"])
_WOS = _HEADS["web_of_science"]
_TITLE_WHEN_ALONE = frozenset(_HEADS["title_when_alone"])
_KEYWORDS_WHEN_ALONE = frozenset(_HEADS["keywords_when_alone"])
_KEYWORD_FIELDS = ("domains", "methods", "keywords")
_QUESTION_WORDS = frozenset(_HEADS["question_words"])
_QUESTION_ENDS = frozenset(_HEADS["question_ends"])
_NOTE = re.compile(r"\([^()]*\)|\[[^\[\]]*\]")


def _words(header: str) -> list[str]:
    """A header's words as compared, its notes in brackets dropped: "Keywords (UAT)" → ["keywords"]."""
    return header_key(_NOTE.sub(" ", header)).split()


def _identifier(header: str) -> bool:
    """Whether a header names an identifier, a date, a link or a setting rather than text ("Contribution ID")."""
    return bool(_IDENTIFIER_WORDS.intersection(_words(header)))


@cache
def _names(field: str) -> tuple[str, ...]:
    """The role's aliases and hints as headers are compared (:func:`header_key`: "prénom" as "prenom")."""
    role = _BY_FIELD[field]
    return tuple(dict.fromkeys(header_key(name) for name in role.aliases + role.hints))


def shares_a_word(header: str, field: str) -> bool:
    """Whether a header has a word of one of the role's names or hints ("Astro fields" and "fields"), or a word
    spelt nearly as one ("Abstarct").

    >>> shares_a_word("Astro fields", "domains"), shares_a_word("Abstarct", "abstract"), shares_a_word("Notes", "abstract")
    (True, True, False)
    """
    words = {w for name in _names(field) for w in name.split()} - _PREPOSITIONS
    said = header_key(header).split()
    # or a word spelt nearly as one of them: "Abstarct" for "abstract", "Speeker" for "speaker"
    return bool(words.intersection(said)) or any(
        len(word) >= 5 and difflib.get_close_matches(word, [w for w in words if len(w) >= 5], n=1, cutoff=0.8)
        for word in said)


def _asked(words: list[str]) -> list[str]:
    """The noun phrase a question asks for (``roles.json``, "heads", ``questions_why``): after its question
    words, up to the first word that ends it.

    >>> _asked("which area of astronomy does your work address".split())
    ['area', 'of', 'astronomy']
    """
    if words[-1] in _PREPOSITIONS:
        return []  # "What is your talk about?": what is asked for is the preposition's object
    start = next((i for i, word in enumerate(words) if word not in _QUESTION_WORDS), len(words))
    end = next((i for i in range(start, len(words)) if words[i] in _QUESTION_ENDS), len(words))
    return words[start:end]


def head_field(header: str) -> str | None:
    """The role a header names by its head (``roles.json``, "heads"): the whole header, its note in brackets
    dropped, if it is an alias, else the longest run of its last words before a preposition that is one;
    ``None`` for a header that names an identifier or no role.

    >>> head_field("Title of contribution"), head_field("Scientific topics"), head_field("Keywords (UAT)")
    ('title', 'keywords', 'keywords')
    >>> head_field("Contribution ID"), head_field("Session title"), head_field("Paper name")
    (None, None, None)
    """
    question, mark, field = header.rpartition("?")
    if mark and question and field.strip(" :-.\t"):  # "Would you like to give a talk? Talk title": the field asked for
        header = field
    words = _words(header)
    if words and words[0] in _QUESTION_WORDS:  # a form's question: the noun phrase it asks for
        words = _asked(words)
    # the whole, its note in brackets dropped ("Fields of Research (ANZSRC 2020)"), or the phrase a question asks for
    if (field := _alias(" ".join(words))) is not None:
        return field
    if _IDENTIFIER_WORDS.intersection(words):
        return None
    while len(words) > 1 and (words[-1].isdigit() or words[-1] in _POSTPOSITIVE):  # "Keyword 1", "Methods used"
        words = words[:-1]
    cut = next((i for i, word in enumerate(words) if word in _PREPOSITIONS and i > 0), len(words))
    phrase = words[:cut]
    for size in range(len(phrase), 0, -1):
        field = _alias(" ".join(phrase[-size:]))
        if field is not None:
            return None if size == 1 and phrase[-1] in _GENERIC_HEADS else field
    return None


def roles_listed() -> str:
    """The role names a user may give, for messages.

    >>> roles_listed()
    'speaker, first-name, surname, title, abstract, astronomy-keywords, ml-keywords, keywords, affiliation'
    """
    return ", ".join(role.role for role in ROLES)


def role_field(name: str) -> str:
    """The field a role name given by hand stands for (its ``role``, its field or any alias of it).

    Raises :class:`~talkgraph.errors.ColumnError` for a name that is no role.
    """
    field = _BY_ROLE_NAME.get(header_key(name))
    if field is None:
        nearest = difflib.get_close_matches(header_key(name)[:200], [r.role for r in ROLES], n=1, cutoff=0.5)
        raise ColumnError(f"unknown column role {shown(name)}", role=name,
                          hint=(f"did you mean {nearest[0]}? " if nearest else "")
                          + f"the roles are {roles_listed()} (docs/tables.md)")
    return field


def parse_columns(options: Iterable[str]) -> dict[str, str]:
    """``ROLE=HEADER`` strings (the command line's ``--column``) as the ``columns`` mapping of a build.

    >>> parse_columns(["title=Paper", "speaker = Authors "])
    {'title': 'Paper', 'speaker': 'Authors'}
    """
    pairs = []
    for option in options:
        role, equals, header = option.partition("=")
        if not equals or not role.strip() or not header.strip():
            raise ColumnError(f"--column {shown(option, quoted=False)}: expected ROLE=HEADER",
                              hint='for example --column title="Paper"; the roles are ' + roles_listed())
        pairs.append((role.strip(), header.strip()))
    _resolve(pairs)  # a role given twice (under one name or two) fails here, before any table is read
    return dict(pairs)


def resolve_columns(columns: Mapping[str, str] | None) -> dict[str, str]:
    """The mapping given by hand with each role as its field; a role named twice raises.

    >>> resolve_columns({"ML keywords": "Techniques", "Paper title": "Paper"})
    {'methods': 'Techniques', 'title': 'Paper'}
    """
    return _resolve((columns or {}).items())


def _resolve(pairs: Iterable[tuple[str, str]]) -> dict[str, str]:
    resolved: dict[str, str] = {}
    for name, header in pairs:
        field = role_field(name)
        if field in resolved:
            raise ColumnError(f"--column: the role {_BY_FIELD[field].role} is given two columns, "
                              f"{shown(resolved[field])} and {shown(header)}", role=name,
                              hint="give each role one column (a column without a role is kept as an extra column)")
        resolved[field] = header
    return resolved


def _find_header(headers: list[str], wanted: str) -> int | None:
    """Index of ``wanted`` among ``headers``: as written first, else ignoring case and punctuation."""
    if wanted in headers:
        return headers.index(wanted)
    key = header_key(wanted)
    return next((i for i, h in enumerate(headers) if h and header_key(h) == key), None)


def assign_columns(headers: list[str], columns: Mapping[str, str] | None = None, *,
                   path: str | Path | None = None, line: int | None = None) -> dict[str, int]:
    """Which column holds each role: the headers given by hand first, then the aliases, first come first.

    A header given by hand that the table lacks, or one header given two roles, raises
    :class:`~talkgraph.errors.ColumnError` naming the headers found.
    """
    assigned: dict[str, int] = {}
    taken: dict[int, str] = {}
    tagged = _field_tags(headers)
    for field, wanted in resolve_columns(columns).items():
        index = _find_header(headers, wanted)
        if index is None:
            found = [h for h in headers if h]
            nearest = difflib.get_close_matches(wanted[:200], found, n=1, cutoff=0.5) or [
                h for h in found if header_key(h) in header_key(wanted) or header_key(wanted) in header_key(h)][:1]
            raise ColumnError(f"--column {_BY_FIELD[field].role}={shown(wanted, quoted=False)}: the table has no "
                              f"column {shown(wanted)}", path=path, line=line, role=field, header=wanted,
                              found=found, hint=(f"did you mean {shown(nearest[0])}? " if nearest else "")
                              + f"the header row has: {_listed(found)}")
        if index in taken:
            raise ColumnError(f"--column: the column {shown(headers[index])} is given two roles, "
                              f"{_BY_FIELD[taken[index]].role} and {_BY_FIELD[field].role}", path=path, line=line,
                              role=field, header=headers[index], hint="give each column one role")
        assigned[field], taken[index] = index, field
    for field, indexes in tagged.items():  # a Web of Science export's field tags (roles.json, "heads")
        if field not in assigned and indexes[0] not in taken:
            assigned[field], taken[indexes[0]] = indexes[0], field
    # a column of one person ("Presenting Author") before one that lists them all ("Authors"); a bare generic
    # head ("Name") after any other alias of its role ("Speaker name")
    for index, header in sorted(enumerate(headers), key=lambda pair: (names_a_list(pair[1]),
                                                                      header_key(pair[1]) in _RECORD_NAME)):
        field = canonical_field(header) if header and index not in taken else None
        if field and field not in assigned:
            assigned[field], taken[index] = index, field
    # then by the head of the header, for a role no column has and only one header claims so; a column of one
    # person named so ("Primary Contact Author Name") also before a list of people named by an alias ("Authors")
    by_hand = set(resolve_columns(columns))
    claims: dict[str, list[int]] = {}
    for index, header in enumerate(headers):
        field = head_field(header) if header and index not in taken else None
        if field and (field not in assigned or field == "speaker" and field not in by_hand
                      and names_a_list(headers[assigned[field]]) and not names_a_list(header)):
            claims.setdefault(field, []).append(index)
    for field, indexes in claims.items():
        if len(indexes) > 1 and _BY_FIELD[field].several:  # "Manual Tags", "Automatic Tags": the first; the
            indexes = indexes[:1]                           # others are further columns of the role
        elif len(indexes) > 1:  # "Author 1 First Name", "Author 2 First Name": the first author's, if numbered so
            indexes = _first_numbered([headers[i] for i in indexes], indexes)
        if len(indexes) == 1:
            taken.pop(assigned.get(field, -1), None)
            assigned[field], taken[indexes[0]] = indexes[0], field
    # where no column is the title: an event app's "Session Title" (an agenda's item), else a bare "Name" left
    # over where another column names the speaker (the record's name): roles.json, "heads"
    if "title" not in assigned and "title" not in by_hand:
        for names in (_TITLE_WHEN_ALONE, _RECORD_NAME if "speaker" in assigned else frozenset()):
            if (index := _left_over(headers, taken, names)) is not None:
                assigned["title"], taken[index] = index, "title"
                break
    # where no column declares keywords: a programme's track is its only declaration (roles.json, "heads")
    if not any(field in assigned or field in by_hand for field in _KEYWORD_FIELDS):
        if (index := _left_over(headers, taken, _KEYWORDS_WHEN_ALONE)) is not None:
            assigned["keywords"], taken[index] = index, "keywords"
    return assigned


def _left_over(headers: list[str], taken: Mapping[int, str], names: frozenset[str]) -> int | None:
    """The one column no role has taken whose header is one of ``names``; ``None`` if none is, or several are."""
    left = [i for i, h in enumerate(headers) if h and i not in taken and header_key(h) in names]
    return left[0] if len(left) == 1 else None


_NUMBER = re.compile(r"\d+")


def _first_numbered(headers: list[str], indexes: list[int]) -> list[int]:
    """Of headers that claim one role by their heads, the one with the lowest number, when they differ by a
    number only (a submission system's columns per author, "Author 1 First Name", "Author 2 First Name"):
    the first author presents, as a programme assumes; ``indexes`` as they were otherwise.

    >>> _first_numbered(["Author 2 Last Name", "Author 1 Last Name", "Author 3 Last Name"], [7, 4, 9])
    [4]
    >>> _first_numbered(["Speaker name", "Presenter name"], [1, 2])
    [1, 2]
    """
    shapes = {_NUMBER.sub("#", header_key(header)) for header in headers}
    numbers = [[int(n) for n in _NUMBER.findall(header)] for header in headers]
    if len(shapes) != 1 or not all(numbers) or len({tuple(n) for n in numbers}) != len(numbers):
        return indexes
    return [min(zip(numbers, indexes))[1]]


def _field_tags(headers: list[str]) -> dict[str, list[int]]:
    """The columns of each role in a Web of Science export (``web_of_science`` in roles.json), most wanted first;
    empty for any other table.

    >>> _field_tags(["PT", "AU", "AF", "TI", "SO", "DE", "ID", "AB"])
    {'title': [3], 'speaker': [2, 1], 'abstract': [7], 'keywords': [5, 6]}
    """
    keys = {header_key(h): i for i, h in enumerate(headers) if h}
    if not set(_WOS["detect"]) <= keys.keys():
        return {}
    found = {field: [keys[tag] for tag in tags if tag in keys] for field, tags in _WOS["roles"].items()}
    return {field: indexes for field, indexes in found.items() if indexes}


def further_columns(headers: list[str], assigned: Mapping[str, int]) -> dict[str, tuple[int, ...]]:
    """The other columns of a role a table may have several of (``several`` in roles.json): those whose
    header is one of its aliases, or names it by its head, after the one :func:`assign_columns` gave the role.

    >>> further_columns(["Title", "Speaker", "Keywords", "arXiv categories", "Year"], {"title": 0, "speaker": 1, "keywords": 2})
    {'keywords': (3,)}
    >>> further_columns(["Title", "Name", "Keyword 1", "Keyword 2", "Keyword 3"], {"title": 0, "speaker": 1, "keywords": 2})
    {'keywords': (3, 4)}
    """
    taken = set(assigned.values())
    further: dict[str, list[int]] = {}
    tagged = {index: field for field, indexes in _field_tags(headers).items() for index in indexes}
    for index, header in enumerate(headers):
        # by a name of the role, or by its head ("Keyword 2" … "Keyword 5" beside "Keyword 1"), or its field tag
        field = (canonical_field(header) or head_field(header) or tagged.get(index)) \
            if header and index not in taken else None
        if field in assigned and _BY_FIELD[field].several:
            further.setdefault(field, []).append(index)
    return {field: tuple(indexes) for field, indexes in further.items()}


def _listed(values: list[str], most: int = 12) -> str:
    text = ", ".join(shown(v) for v in values[:most])
    return text + (f" and {len(values) - most:,} more" if len(values) > most else "") or "(nothing)"


def _similarity(key: str, matchers: list[tuple[str, difflib.SequenceMatcher]], floor: float = -1.0) -> float:
    """How much a header (its ``key``) looks like it holds a role: the best of its names' string and word
    likeness (``matchers``: each name of the role, with a matcher that has learnt it). Where the likeness
    cannot be above ``floor``, it may be given lower than it is."""
    words = set(key.split())
    best = 0.0
    for name, matcher in matchers:
        name_words = set(name.split())
        overlap = len(words & name_words) / len(words | name_words) if words else 0.0
        best = max(best, overlap)
        matcher.set_seq1(key)
        # ratio() is costly: only where its cheap upper bounds could beat the best so far and the floor
        bar = max(best, floor)
        if matcher.real_quick_ratio() > bar and matcher.quick_ratio() > bar:
            best = max(best, matcher.ratio())
    return best


def suggest_columns(headers: list[str], assigned: Mapping[str, int], needed: Iterable[str],
                    cells: Mapping[int, list[str]] | None = None) -> dict[str, str | None]:
    """A header to try for each needed role, the likeliest pairs first; ``None`` when no header is left.

    With ``cells`` (the first rows' values of each column), a header is judged by what its column holds as
    much as by its name (:func:`_holds`): a title is a line of words, a speaker a person's name, so that
    uninformative headers ("Heading", "Who", Web of Science's "TI") are proposed for what they hold.

    Only headers no role has yet are proposed, each for one role, and none too long to type nor one that
    names an identifier ("Contribution ID"), nor one with a word that names another role and none of this
    one's ("Abstract body" is no title).

    >>> headers = ["Paper", "Authors", "Summary", "Subjects"]
    >>> suggest_columns(headers, {"abstract": 2, "keywords": 3}, ["title", "speaker"])
    {'title': 'Paper', 'speaker': 'Authors'}
    >>> suggest_columns(["Abstract body", "Submission", "Presenter info"], {}, ["title", "speaker"])
    {'title': 'Submission', 'speaker': 'Presenter info'}
    """
    taken = set(assigned.values())
    free = [i for i, h in enumerate(headers) if h and i not in taken and len(h) <= 80 and not _identifier(h)]
    needed = list(needed)
    # one matcher per name of a role, which keeps what it learnt of the name from one header to the next
    keys = {i: header_key(headers[i]) for i in free}
    scores = []
    for n, field in enumerate(needed):
        matchers = [(name, difflib.SequenceMatcher(None, "", name)) for name in _names(field)]
        own, others = _one_word_names(field)
        # A role's header is among its len(needed) likeliest (the others take one each at most): only
        # those are kept, and a header that cannot beat the last of them is not scored in full.
        top: list[tuple[float, int]] = []
        for i in free:
            words = set(keys[i].split())
            if words & others and not words & own:
                continue  # "Abstract body", "content.abstract.text2": another role's column, whatever its score
            floor = -top[-1][0] if len(top) == len(needed) else -1.0
            if cells is not None:  # half the name's likeness, half what the column holds
                fit = _holds(field, cells.get(i, []))
                score = 0.5 * _similarity(keys[i], matchers) + 0.5 * fit if fit > 0 else 0.0
            else:
                score = _similarity(keys[i], matchers, floor)
            if score > floor:
                bisect.insort(top, (-score, i))
                del top[len(needed):]
        scores += [(score, n, i, field) for score, i in top]
    scores.sort()
    chosen: dict[str, str | None] = {}
    used: set[int] = set()
    for _score, _order, index, field in scores:
        if field not in chosen and index not in used:
            chosen[field] = headers[index]
            used.add(index)
    return {field: chosen.get(field) for field in needed}


def _a_person(text: str) -> bool:
    """Whether ``text`` reads as one person's name: two to five words, each capitalised but for particles
    ("Jan van der Berg", "Seán Ó Briain"; ``names`` in roles.json), or "Family, Given"."""
    family, comma, given = text.partition(",")
    words = (family.split() + given.split()) if comma else text.split()
    return (2 <= len(words) <= 5 and all(w[0].isupper() or w.lower() in NAME_WORDS["particles"] for w in words)
            and all(c.isalpha() or c in "'’.-" for w in words for c in w))


def _holds(field: str, values: list[str]) -> float:
    """How well the cells ``values`` fit the role ``field``, from 0 (they cannot be its) to 1: a title is a
    line of 3 to 30 words, each row's own; a speaker, a person's name, or a list of them with the presenter first.

    >>> _holds("title", ["Deep flows for weak lensing", "Finding exoplanets with CNNs"]), _holds("title", ["3", "4"])
    (1.0, 0.0)
    >>> _holds("speaker", ["Ada Lovelace", "Lovelace, Ada; Turing, Alan", "['Li Wei', 'Ana Gómez']"])
    1.0
    >>> _holds("speaker", ["A long abstract " * 9]), _holds("speaker", ["1700000000000"])
    (0.0, 0.0)
    """
    from .records import first_person  # records reads roles: imported here, not at the top

    filled = [" ".join(v.split()) for v in values if v and v.strip()]
    if not filled or not any(ch.isalpha() for v in filled for ch in v):
        return 0.0  # empty, or numbers and dates
    words = sorted(len(v.split()) for v in filled)
    middle = words[len(words) // 2]
    if field == "title":  # each talk's own: a column that repeats its values (a venue, a track) is not
        if len(set(filled)) < 0.8 * len(filled) or not 3 <= middle <= 30:
            return 0.0 if middle > 40 else 0.3
        # a sentence that ends in a full stop is more likely a summary ("TL;DR"); three or four words a label
        return 0.6 if sum(v.endswith(".") for v in filled) > len(filled) / 2 or middle < 5 else 1.0
    if field == "speaker":
        if sum(1 for v in filled if _a_person(first_person(v))) >= 0.6 * len(filled):
            return 1.0
        return 0.0 if middle > 8 else 0.3
    return 1.0


@cache
def _one_word_names(field: str) -> tuple[frozenset[str], frozenset[str]]:
    """The role's one-word names and hints, and the other roles' one-word aliases but for generic heads ("name"),
    as :func:`header_key` writes them."""
    def one_word(names) -> set[str]:
        return {key for key in map(header_key, names) if " " not in key}

    role = _BY_FIELD[field]
    own = one_word(role.aliases + role.hints)
    others = set().union(*(one_word(r.aliases) for r in ROLES if r.field != field)) - own - _GENERIC_HEADS
    return frozenset(own), frozenset(others)


def column_option(field: str, header: str | None) -> str:
    """The ``--column`` option that gives ``header`` the role, quoted for a POSIX shell.

    >>> print(column_option("title", "Paper"), column_option("speaker", "Who's talking"), column_option("title", None))
    --column title="Paper" --column speaker="Who's talking" --column title="HEADER"
    >>> print(column_option("title", 'The "best" one'))
    --column 'title=The "best" one'
    """
    name = _BY_FIELD[field].role
    header = "HEADER" if header is None else header
    if re.search(r'["$`\\!]', header) is None:
        return f'--column {name}="{header}"'
    return f"--column {shlex.quote(f'{name}={header}')}"
