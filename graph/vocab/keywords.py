"""Splitting keyword cells into terms, and the key that terms are matched on.

Pure functions, no vocabulary and no RDF, so they are easy to property-test.

>>> [t.variants for t in split_cell("Supervised and unsupervised learning")]
[('Supervised learning', 'Supervised'), ('unsupervised learning',)]
>>> [(t.variants[0], t.qualifier) for t in split_cell("Extragalactic (optical and radio), FRBs,")]
[('Extragalactic', False), ('optical', True), ('radio', True), ('FRBs', False)]
>>> match_key("Convolutional Neural-Networks") == match_key("convolutional neural network")
True
>>> match_key("Sub-millimetre Optimisation")
'sub millimeter optimization'
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from ..tables.text import clean_text, fold
from . import journals
from .wordforms import key_word, rules_data, singular_form

__all__ = ["Term", "split_cell", "match_key", "squash", "segment", "NumberedTerm", "numbered_terms"]

#: the separators of keywords, with the ideographic enumeration comma and the full-width comma, semicolon,
#: slash and bar of Chinese and Japanese text ("Galaxies、Cosmology")
_SEPARATORS = ",;/&|、，；／｜"
#: Runs of a cell between spaced dashes, em-dashes spaced or not, or middle dots, as journals separate
#: keywords ("a – b", "a—b", "a · b"); an unspaced hyphen or en-dash joins ("Fanaroff–Riley").
_RUNS = re.compile(r"\s+(?:-{1,3}|[–—])\s+|\s*—\s*|\s*[·•]\s*")
_RUN_MARKS = "-–—·•"  # one of which each of _RUNS holds: a cell without them is one run
_SEPARATOR_RE = re.compile("[" + re.escape(_SEPARATORS) + "]")
_BRACKETS = re.compile(r"[()\[\]{}]")
_AND = re.compile(r"\s+(?:and|&)\s+", re.IGNORECASE)
_LEADING_FILLER = re.compile(r"^(?:e\.?\s?g\.?|i\.?\s?e\.?|incl\.?|including|such as|esp\.?|especially|mainly|and|or)\s+",
                             re.IGNORECASE)
_ARTICLE = re.compile(r"^(?:the|an?)\s+(?=\S)", re.IGNORECASE)
_TRAILING_FILLER = re.compile(r"\s+(?:etc\.?|and others|and more)$", re.IGNORECASE)
_EDGE_PUNCT = " \t.-–—:*•·\"'“”‘’"


@dataclass(frozen=True)
class Term:
    """One keyword from a cell.

    ``variants`` are readings of the same piece of text, most likely first: for
    "Supervised and unsupervised learning" the first piece reads as "Supervised
    learning" (the head noun shared out) or, failing that, as "Supervised".
    ``qualifier`` marks a term that came from parentheses ("Extragalactic
    (optical and radio)").
    """

    variants: tuple[str, ...]
    qualifier: bool = False

    @property
    def text(self) -> str:
        return self.variants[0]


def _split_outside_brackets(text: str) -> list[str]:
    """Split on separators that are not inside brackets; brackets stay in the pieces."""
    if not _BRACKETS.search(text):
        return _SEPARATOR_RE.split(text)
    pieces, current, depth = [], [], 0
    for char in text:
        if char in "([{":
            depth += 1
        elif char in ")]}" and depth:
            depth -= 1
        elif char in _SEPARATORS and depth == 0:
            pieces.append("".join(current))
            current = []
            continue
        current.append(char)
    pieces.append("".join(current))
    return pieces


def _extract_brackets(piece: str) -> tuple[str, list[str]]:
    """"Extragalactic (optical and radio)" → ("Extragalactic", ["optical and radio"])."""
    if not _BRACKETS.search(piece):
        return piece, []
    main, inner, qualifiers, depth = [], [], [], 0
    for char in piece:
        if char in "([{":
            if depth:
                inner.append(char)
            else:
                main.append(" ")
                inner = []
            depth += 1
        elif char in ")]}" and depth:
            depth -= 1
            if depth:
                inner.append(char)
            else:
                qualifiers.append("".join(inner))
        elif depth:
            inner.append(char)
        else:
            main.append(char)
    if depth:  # an unclosed "(": what followed it is still a qualifier
        qualifiers.append("".join(inner))
    return "".join(main), qualifiers


@lru_cache(maxsize=65536)
def _tidy(piece: str) -> str:
    piece = clean_text(piece).strip(_EDGE_PUNCT)
    piece = _LEADING_FILLER.sub("", piece)
    piece = _TRAILING_FILLER.sub("", piece)
    return piece.strip(_EDGE_PUNCT)


def _suspended(part: str, last_words: list[str]) -> str | None:
    """A conjunct with a suspended hyphen joined to the rest of the last conjunct's first word: after its hyphen
    ("early-" and "late-type galaxies": "early-type galaxies"), or after the prefix that word begins with
    ("Semi-" and "unsupervised learning": "Semi-supervised learning"; ``closed_prefixes`` of wordforms.json,
    and "un" and "self").

    >>> _suspended("early-", ["late-type", "galaxies"]), _suspended("Semi-", ["unsupervised", "learning"])
    ('early-type galaxies', 'Semi-supervised learning')
    >>> _suspended("Low-", ["mass"]) is None
    True
    """
    if not last_words:
        return None
    first, rest = last_words[0], " ".join(last_words[1:])
    if "-" in first.strip("-"):
        tail = first.split("-", 1)[1]
    else:
        prefix = next((p for p in _SUSPENDED_PREFIXES if first.lower().startswith(p) and len(first) > len(p) + 3),
                      None)
        if prefix is None:
            return None
        tail = first[len(prefix):].lstrip("-")
    return f"{part}{tail} {rest}".strip() if rest or tail else None


def _plural_noun(word: str) -> bool:
    """A plural noun ("Exoplanets", "galaxies"), which English does not use as a modifier.

    >>> [_plural_noun(w) for w in ("Exoplanets", "Supervised", "physics", "Radio")]
    [True, False, False, False]
    """
    return word[-1:].lower() == "s" and singular_form(word) is not None


@lru_cache(maxsize=65536)
def _and_split(piece: str) -> tuple[tuple[str, ...], ...]:
    """"A and B C" → [("A C", "A"), ("B C",)]: share a multi-word head with a lone modifier."""
    raw = _AND.split(piece)
    tidied = [_tidy(p) for p in raw]
    parts = [p for p in tidied if p]
    if len(parts) <= 1:
        return ((piece,),) if piece else ()
    # a conjunct written with a suspended hyphen ("early-"), which tidying takes off
    hyphened = {part for written, part in zip(raw[:-1], tidied) if part and written.rstrip().endswith("-")}
    last_words = parts[-1].split()
    out = []
    for part in parts[:-1]:
        if part in hyphened and (joined := _suspended(part + "-", last_words)):
            out.append((joined, part))  # "early- and late-type galaxies": early-type galaxies
            continue
        # a lone plural is a noun of its own, no modifier: "Exoplanets and planet formation" is no "Exoplanets formation"
        if len(part.split()) == 1 and len(last_words) >= 2 and not _plural_noun(part):
            out.append((f"{part} {' '.join(last_words[1:])}", part))
        else:
            out.append((part,))
    out.append((parts[-1],))
    return tuple(out)


#: MNRAS's keywords since 2024 name a keyword's place in the thesaurus after it: "fast radio bursts < Transients",
#: "methods: data analysis < Astronomical instrumentation, methods, and techniques". The part after the
#: first " < " is the category the keyword sits in, not a keyword of the paper's.
_PARENT = re.compile(r"\s+<\s+")


def _leaf(run: str) -> str:
    """The keyword of a run written as 'keyword < category' (MNRAS), or the run.

    >>> _leaf("fast radio bursts < Transients"), _leaf("methods: data analysis < Astronomical instrumentation, methods")
    ('fast radio bursts', 'methods: data analysis')
    >>> _leaf("T < 10 K")  # a comparison with a number stays
    'T < 10 K'
    """
    parts = _PARENT.split(run, maxsplit=1)
    if len(parts) == 2 and parts[1][:1].isalpha():
        return parts[0]
    return run


#: A subject area written as its path in a hierarchy, the way Microsoft CMT and breadcrumbs print it:
#: "Astrophysics -> Galaxies and Cosmology", "Machine Learning → Generative Models", "Physics > Optics".
_PATH = re.compile(r"\s*(?:->|→|⟶|»)\s*|\s+>\s+")


def _path_leaf(piece: str) -> str:
    """The last step of a subject area written as a path ("Astrophysics -> Galaxies" is Galaxies: the parent
    only says where the area sits, and names nothing the area does not), or the piece.

    >>> _path_leaf("Astrophysics -> Galaxies and Cosmology"), _path_leaf("Applications → Time Series")
    ('Galaxies and Cosmology', 'Time Series')
    >>> _path_leaf("T > 10 K"), _path_leaf("z -> 0")  # a comparison or a limit stays
    ('T > 10 K', 'z -> 0')
    """
    if not any(arrow in piece for arrow in ">→⟶»"):  # one of which each of _PATH holds
        return piece
    steps = _PATH.split(piece.strip())
    if len(steps) > 1 and all(step[:1].isalpha() for step in steps):
        return steps[-1]
    return piece


#: A term printed after its number in a classification other than UAT's: AGU's index terms ("1942 Machine
#: learning"), ANZSRC's fields of research ("510103 Cosmology and extragalactic astronomy", "4611 Machine
#: Learning"), PACS ("98.80.Es Observational cosmology"), MSC ("85A40 Astrophysical cosmology"), and a meeting's
#: own list, a track's letter and the topic's number in it (EDAS's "T2.2 X-ray and gamma-ray astronomy"; a dot
#: and a number after it, so that "M31 galaxy" keeps its name).
_CLASS_CODE = re.compile(r"\s*(?:\d{4}(?:\d{2})?|\d{2}\.\d{2}\.[-+\w]{1,3}|\d{2}[A-Z]\d{2}|[A-Z]\d{1,2}(?:\.\d{1,2}){1,2})"
                         r"\s+(?=[^\W\d])")


def _uncoded(piece: str) -> str:
    """A term without the number another classification prints before it: the number says where the term sits
    in that scheme (AGU's 1942 is no UAT concept), the words are the keyword.

    >>> _uncoded("1942 Machine learning"), _uncoded("98.80.Es Observational cosmology"), _uncoded("85A40 Cosmology")
    ('Machine learning', 'Observational cosmology', 'Cosmology')
    >>> _uncoded("510103 Cosmology and extragalactic astronomy"), _uncoded("30 Doradus")
    ('Cosmology and extragalactic astronomy', '30 Doradus')
    >>> _uncoded("21 cm cosmology"), _uncoded("2MASS"), _uncoded("Type 1a"), _uncoded("2019")
    ('21 cm cosmology', '2MASS', 'Type 1a', '2019')
    >>> _uncoded("T2.2 X-ray astronomy"), _uncoded("S1.10 Pulsars"), _uncoded("M31 galaxy"), _uncoded("H2 molecules")
    ('X-ray astronomy', 'Pulsars', 'M31 galaxy', 'H2 molecules')
    """
    code = _CLASS_CODE.match(piece)
    return piece[code.end():] if code else piece


_AREA = re.compile(r"([A-Za-z][\w&/.-]*(?: [\w&/.-]+){0,2}):\s+([A-Za-z].*)")


def _area_leaf(piece: str) -> str:
    """A topic of a meeting's list written "Area: subarea" (HotCRP's "Astrophysics: galaxies", "ML: generative
    models") as its subarea, when the area is no journal's keyword category (those are read by
    :mod:`.journals`: "galaxies: evolution" is Galaxy evolution); the area only groups the list. The whole
    is still tried first ("space vehicles: instruments" is a UAT label of its own).

    >>> _area_leaf("Astrophysics: galaxies and cosmology"), _area_leaf("ML: generative models"), _area_leaf("galaxies")
    ('galaxies and cosmology', 'generative models', 'galaxies')
    """
    found = _AREA.fullmatch(piece.strip()) if ":" in piece else None
    return found.group(2) if found else piece


#: A bullet in front of a cell's line ("- stars: flare", "* CNN"), the number of an item of a list typed in one
#: cell ("1) galaxy morphology 2) weak lensing", "1. LLMs; 2. NLP"), and a hashtag ("#pulsars #CNN").
_BULLET = re.compile(r"^\s*[-*+•·–]\s+")
_ITEM_NUMBER = re.compile(r"(?:^|(?<=\s))\(?\d{1,2}[.)]\s+(?=[^\W\d])")
_HASHTAG = re.compile(r"(?:^|(?<=\s))#(?=[^\W\d])")
_FIRST_ITEM = re.compile(r"\(?1[.)]\s+(?=[^\W\d])")
_SEMICOLONS = re.compile(r"\s*(?:;\s*)+")


def _listed(cell: str) -> str:
    """A cell typed as a list, its items separated by "; ": its bullet, its items' numbers and hashtags taken off.

    >>> _listed("- stars: flare"), _listed("1) galaxy morphology 2) weak lensing"), _listed("#pulsars #CNN")
    ('stars: flare', 'galaxy morphology; weak lensing', 'pulsars; CNN')
    >>> _listed("1. LLMs; 2. NLP"), _listed("Type 2 AGN; M 31. M 33"), _listed("C# and F#")
    ('LLMs; NLP', 'Type 2 AGN; M 31. M 33', 'C# and F#')
    """
    cell = _BULLET.sub("", cell)
    if _FIRST_ITEM.match(cell):  # a list numbered from 1 ("M 31. M 33" is none)
        cell = _ITEM_NUMBER.sub("; ", cell)
    if "#" in cell:
        cell = _HASHTAG.sub("; ", cell)
    return _SEMICOLONS.sub("; ", cell).strip("; ") if ";" in cell else cell.strip(" ")


def split_cell(cell: str | None) -> list[Term]:
    return list(_split_cell(cell or ""))


@lru_cache(maxsize=65536)
def _split_cell(cell: str) -> tuple[Term, ...]:
    """Split a multi-valued keyword cell into terms.

    Separators are spaced dashes and middle dots, ``,`` ``;`` ``/`` ``&`` ``|`` and the word
    "and" between two items; parenthesised text becomes qualifier terms; empty pieces
    (trailing separators) vanish; duplicates are kept once, in order. Journal keywords
    ("galaxies: evolution") are read by :mod:`.journals`.
    """
    terms: list[Term] = []
    seen: set[str] = set()

    def add(variants: tuple[str, ...], qualifier: bool) -> None:
        # "the Solar System" is also read without its article, after the words as written ("The Sun" is a label)
        if any(v[:1] in "TtAa" for v in variants):  # what _ARTICLE can start with
            variants += tuple(bare for v in variants if (bare := _ARTICLE.sub("", v)) != v and bare not in variants)
        key = match_key(variants[0])
        if variants[0] and key not in seen:
            seen.add(key)
            terms.append(Term(variants, qualifier))

    cell = _listed(clean_text(cell))
    if whole := journals.crosswalked(cell):  # a journal keyword with dashes in it: "black hole – neutron star mergers"
        return tuple(Term(variants) for variants in whole)
    runs = _RUNS.split(cell) if any(mark in cell for mark in _RUN_MARKS) else [cell]
    for run in (piece for run in runs for piece in journals.apart(run)):
        run = _leaf(run)
        category = None  # of the last journal keyword in this run, which the pieces after it share
        if whole := journals.crosswalked(run):  # one whose commas or slashes are its own: "T Tauri, Herbig Ae/Be"
            for variants in whole:
                add(variants, False)
            continue
        for raw in _split_outside_brackets(run):
            main, qualifiers = _extract_brackets(_path_leaf(_uncoded(raw)))
            found = journals.category_of(main)
            if found is None and category is None and (leaf := _area_leaf(main)) != main:
                parts = _and_split(_tidy(leaf))
                # one subarea: the whole first ("space vehicles: instruments" is a label of its own)
                for variants in ((_tidy(main), *parts[0]),) if len(parts) == 1 else parts:
                    add(variants, False)
                _add_qualifiers(qualifiers, add)
                continue
            if found is not None:
                category = found[0]
                for variants in journals.read(main):
                    add(variants, False)
            else:  # without a category: the crosswalk's ("masers"), or within the category that carries over to
                # it ("galaxies: active; distances and redshifts"), whole before its parts
                whole = journals.crosswalked(f"{category}: {_tidy(main)}" if category else _tidy(main))
                for variants in whole or _and_split(_tidy(main)):
                    add(journals.inherit(category, variants) if category and variants[0] and not whole else variants,
                        False)
            _add_qualifiers(qualifiers, add)
    return tuple(terms)


#: Prefixes a word may begin with that a suspended conjunct replaces ("semi- and unsupervised"), longest first.
_SUSPENDED_PREFIXES = tuple(sorted({*rules_data()["variants"]["closed_prefixes"]["prefixes"], "un", "self"},
                                   key=lambda prefix: (-len(prefix), prefix)))
#: The end of a list of examples: "(CNNs, transformers, ...)", "(SVMs, random forests, etc.)".
_EXAMPLES_END = re.compile(r"(?:\.\.\.|…|\betc\.?)\s*$", re.IGNORECASE)


def _add_qualifiers(qualifiers: list[str], add) -> None:
    """The terms in a term's brackets, but for a journal keyword's category and a form's examples: an option of a
    checkbox question that lists what it covers ("Deep learning (CNNs, transformers, ...)") says what the option
    means to everyone who ticks it, not what one talk uses.

    >>> found = []; _add_qualifiers(["CNNs, transformers, ..."], lambda v, q: found.append(v)); found
    []
    >>> _add_qualifiers(["optical and radio"], lambda v, q: found.append(v)); found
    [('optical',), ('radio',)]
    """
    for qualifier in qualifiers:
        if qualifier.strip().endswith(":"):  # a journal keyword's category in brackets: "(galaxies:) quasars"
            continue
        if _EXAMPLES_END.search(qualifier):  # a form's examples of what its option covers
            continue
        for inner in _split_outside_brackets(qualifier):
            for variants in _and_split(_tidy(inner)):
                add(variants, True)


# --------------------------------------------------------------------- numbered terms

@dataclass(frozen=True)
class NumberedTerm:
    """A keyword printed with its thesaurus number, as AAS journals print UAT concepts: "Galaxy evolution (594)"."""

    text: str  # the label as written ("" when the cell gives the number alone)
    number: str


#: What separates the terms of a cell of numbered keywords: AAS journals use em-dashes.
_NUMBERED_SEPARATOR = r"(?:[,;]|[—–]|---)"
_NUMBERED = re.compile(r"(?:^|(?<=[,;—–])|(?<=---))\s*(?P<text>(?:(?!---)[^,;()\[\]—–])*?)\s*\(\s*(?P<number>\d{1,5})\s*\)"
                       r"\s*(?=$|" + _NUMBERED_SEPARATOR + ")")
_DANGLING_SEPARATOR = re.compile(r"(?:\s*(?:[—–]|---)\s*)+")


def numbered_terms(cell: str) -> tuple[list[NumberedTerm], str]:
    """The numbered keywords of ``cell``, and the rest of it with its dashes made separators.

    Each keyword is a whole term between separators (``,`` ``;``, an em- or en-dash, ``---``):

    >>> found, rest = numbered_terms("Galaxy evolution (594) — Convolutional neural networks (1938) — Stars")
    >>> [(t.text, t.number) for t in found], rest
    ([('Galaxy evolution', '594'), ('Convolutional neural networks', '1938')], ' ; Stars')
    >>> numbered_terms("Extragalactic (optical and radio), Stars (2)")[0]
    [NumberedTerm(text='Stars', number='2')]
    >>> numbered_terms("Galaxies -- evolution")
    ([], 'Galaxies -- evolution')
    """
    if "(" not in cell:
        return [], cell
    found, kept, end = [], [], 0
    for match in _NUMBERED.finditer(cell):
        found.append(NumberedTerm(" ".join(match["text"].split()), match["number"]))
        kept.append(cell[end:match.start()])
        end = match.end()
    if not found:
        return [], cell
    kept.append(cell[end:])
    return found, _DANGLING_SEPARATOR.sub(" ; ", "".join(kept))


# --------------------------------------------------------------------- matching key

_APOSTROPHE_S = re.compile(r"['’]s\b")
_NON_WORD = re.compile(r"[^\w+#]+")


@lru_cache(maxsize=65536)
def match_key(text: str) -> str:
    """The form two labels must share to match.

    Case, accents, punctuation, hyphenation, plural/singular and British/American
    spelling do not matter: "Convolutional Neural-Networks", "convolutional
    neural network" and "CONVOLUTIONAL NEURAL NETWORKS" share one key (the word
    forms are :func:`talkgraph.vocab.wordforms.key_word`).
    """
    text = _APOSTROPHE_S.sub("", fold(text).replace("&", " and "))
    words = _NON_WORD.sub(" ", text.replace("_", " ")).split()
    return " ".join(key_word(word) for word in words)


def squash(key: str) -> str:
    """A key with its spaces removed, so that "timeseries" meets "time series"."""
    return key.replace(" ", "")


_STOPWORDS = {"of", "the", "in", "for", "on", "with", "a", "an", "to", "using", "based", "via", "from", "at"}
_MAX_LABEL_WORDS = 8


def segment(words: list[str], lookup) -> list | None:
    """Fewest concepts whose labels cover every word but stopwords, or ``None``; ``lookup`` gives the
    concept of a key (words joined by spaces) or ``None``.

    >>> segment("extragalactic fir".split(), {"extragalactic": "E", "fir": "F"}.get)
    ['E', 'F']
    """
    best: list[list | None] = [None] * (len(words) + 1)
    best[0] = []
    for start in range(len(words)):
        if best[start] is None:
            continue
        if words[start] in _STOPWORDS and (best[start + 1] is None or len(best[start + 1]) > len(best[start])):
            best[start + 1] = best[start]
        for end in range(start + 1, min(len(words), start + _MAX_LABEL_WORDS) + 1):
            concept = lookup(" ".join(words[start:end]))
            if concept is not None and (best[end] is None or len(best[end]) > len(best[start]) + 1):
                best[end] = best[start] + [concept]
    return best[-1] or None
