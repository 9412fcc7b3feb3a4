"""arXiv subject classes found as units in keyword cells, before the cell is split.

A class is written as its name, its code, or both ("Instrumentation and Methods for
Astrophysics (astro-ph.IM)", "astro-ph.IM", "Astrophysics - Instrumentation and Methods for
Astrophysics", "Astrophysics > Instrumentation and Methods for Astrophysics"). Its name has
"and" in it and its code sits in parentheses, so the ordinary splitting of a cell would cut it
into fragments: :meth:`SubjectClasses.extract` takes the classes out first and hands back the
rest of the cell. The scheme is data, ``ontology/arxiv.ttl``; the rules, in order:

1. A **code** (``astro-ph.IM``, ``gr-qc``; any case) names its class, alone or followed by a
   name in parentheses. A code that is a plain word (``cs``, ``math``, ``physics``) only does
   in parentheses after a class's name ("Artificial Intelligence (cs)").
2. A **name with a code** in parentheses is the class of the code: the code decides. A name
   of another class is reported (:attr:`ClassUse.conflict`).
3. A **name alone** names its class unless two classes share it ("Machine Learning" is both
   cs.LG and stat.ML: a shared name names neither), the vocabularies know it as a label of
   a concept of their own ("Artificial Intelligence" is the method, not cs.AI), or it is an
   archive's ("Statistics", "Astrophysics" are topics more often than the archive).

A unit is always a whole term: it starts and ends at the cell's edges or at a separator
(``,`` ``;`` ``|`` ``/``, a spaced dash, ``---``), never inside a longer phrase.

>>> classes = load_subject_classes()
>>> found, rest = classes.extract("Instrumentation and Methods for Astrophysics (astro-ph.IM); galaxies")
>>> [(use.code, use.text) for use in found], rest
([('astro-ph.IM', 'Instrumentation and Methods for Astrophysics (astro-ph.IM)')], '; galaxies')
>>> [use.code for use in classes.extract("astro-ph.GA, Astrophysics > Solar and Stellar Astrophysics")[0]]
['astro-ph.GA', 'astro-ph.SR']
>>> classes.extract("Machine Learning")        # two classes share the name: it names neither
([], 'Machine Learning')
>>> [use.code for use in classes.extract("Machine Learning (cs.LG)")[0]]
['cs.LG']
"""

from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass
from functools import cache, lru_cache
from typing import Callable

from .. import engine as ox
from ..errors import VocabularyError
from ..namespaces import ARXIV_SCHEME, RDF, SKOS, TG
from ..resources import ontology_file
from .keywords import match_key

__all__ = ["SubjectClass", "ClassUse", "SubjectClasses", "load_subject_classes", "ARXIV_FILE"]

#: The file of ``ontology/`` that holds the scheme.
ARXIV_FILE = "arxiv.ttl"
_CONCEPT, _TYPE, _IN_SCHEME = str(SKOS.Concept), str(RDF.type), str(ARXIV_SCHEME)
#: What separates two terms of a cell; a class is always one or more whole terms (its name may hold a comma).
_SEPARATOR = re.compile(r"\s*(?:[,;|/]|\s[—–]\s|---)\s*")
_UNIT = re.compile(r"\s*(?P<head>[^()\[\]]*?)\s*(?:[(\[]\s*(?P<paren>[^()\[\]]*?)\s*[)\]])?\s*")
_PLAIN_WORD = re.compile(r"[a-z]+")
_WORD = re.compile(r"\S+")
_MAX_TERMS = 4  # a name spans at most this many terms ("Data Analysis, Statistics and Probability": 2)


@dataclass(frozen=True)
class SubjectClass:
    """One class (or archive) of the scheme, with its triples in ``arxiv.ttl``."""

    iri: str
    codes: tuple[str, ...]  # skos:notation, the canonical code first
    name: str  # skos:prefLabel
    stands_for: tuple[str, ...]  # tg:standsFor, IRIs in order
    broader: tuple[str, ...]
    triples: tuple[ox.Triple, ...]

    @property
    def code(self) -> str:
        return self.codes[0]


@dataclass(frozen=True)
class ClassUse:
    """A class found in a cell: the text that named it, and a name that contradicts its code."""

    subject_class: SubjectClass
    text: str
    conflict: str = ""  # the code said one class, the name another: the other class's code

    @property
    def code(self) -> str:
        return self.subject_class.code


class SubjectClasses:
    """The arXiv scheme, and a recogniser of its classes in keyword cells.

    ``known(key)`` says that the vocabularies know the matching key ``key`` (see
    :func:`~.keywords.match_key`) as a label of a concept of their own, so a bare class name
    with that key names that concept, not the class (rule 3).
    """

    def __init__(self, triples: list[ox.Triple], *, known: Callable[[str], bool] = lambda key: False):
        by_subject: dict[str, list[ox.Triple]] = defaultdict(list)
        for t in triples:
            by_subject[t.subject.value].append(t)
        self.scheme_triples = tuple(t for t in by_subject.pop(_IN_SCHEME, ())
                                    if t.predicate.value not in (str(SKOS.hasTopConcept),))
        self.classes: dict[str, SubjectClass] = {}
        for iri, own in sorted(by_subject.items()):
            values = defaultdict(list)
            for t in own:
                values[t.predicate.value].append(t.object.value)
            if _CONCEPT not in values[_TYPE] or _IN_SCHEME not in values[str(SKOS.inScheme)]:
                continue
            names = values[str(SKOS.prefLabel)]
            if len(names) != 1 or not values[str(SKOS.notation)]:
                raise VocabularyError(f"{ARXIV_FILE}: class <{iri}> needs one skos:prefLabel and a skos:notation")
            label = names[0]
            codes = sorted(values[str(SKOS.notation)], key=lambda code: (code not in iri, code))
            self.classes[iri] = SubjectClass(iri, tuple(codes), label, tuple(sorted(values[str(TG.standsFor)])),
                                             tuple(sorted(values[str(SKOS.broader)])), tuple(own))
        self._by_code: dict[str, SubjectClass] = {}
        named: dict[str, set[str]] = defaultdict(set)
        for cls in self.classes.values():
            for code in cls.codes:
                self._by_code[code.casefold()] = cls
            for label in [cls.name, *self._alt_labels(cls)]:
                if label.casefold() not in self._by_code:
                    named[match_key(label)].add(cls.iri)
        #: name key → its class, for the names that one class alone has (rule 3: a shared name names neither)
        self._by_name = {key: self.classes[next(iter(iris))] for key, iris in named.items() if len(iris) == 1}
        self._names = frozenset(named)
        #: the key of the first term of every name ("Data Analysis" of "Data Analysis, Statistics and Probability")
        self._starts = frozenset(match_key(_SEPARATOR.split(label, maxsplit=1)[0])
                                 for cls in self.classes.values() for label in [cls.name, *self._alt_labels(cls)])
        #: the names that name their class alone, without a code: not an archive's, not a concept's label
        self._bare = {key for key, cls in self._by_name.items() if cls.broader and not known(key)}
        self._cached_extract = lru_cache(maxsize=65536)(self._extract)  # cells recur; bounded for big tables

    def _alt_labels(self, cls: SubjectClass) -> list[str]:
        return [t.object.value for t in cls.triples if t.predicate.value == str(SKOS.altLabel)]

    def by_code(self, code: str) -> SubjectClass | None:
        return self._by_code.get(code.casefold())

    def extract(self, cell: str) -> tuple[list[ClassUse], str]:
        """The classes named in ``cell``, and the cell without them (for the ordinary splitting)."""
        found, rest = self._cached_extract(cell)
        return list(found), rest

    def _extract(self, cell: str) -> tuple[tuple[ClassUse, ...], str]:
        bounds, start = [], 0  # (start, end) of each term of the cell
        for separator in _SEPARATOR.finditer(cell):
            bounds.append((start, separator.start()))
            start = separator.end()
        bounds.append((start, len(cell)))
        bounds = [piece for bound in bounds for piece in self._codes_apart(cell, *bound)]
        found: list[ClassUse] = []
        kept, end, first = [], 0, 0
        while first < len(bounds):
            if not self._may_start(cell[bounds[first][0]:bounds[first][1]]):
                first += 1
                continue
            for last in range(min(len(bounds), first + _MAX_TERMS) - 1, first - 1, -1):
                use = self._unit(cell[bounds[first][0]:bounds[last][1]])
                if use is not None:
                    found.append(use)
                    kept.append(cell[end:bounds[first][0]])
                    end, first = bounds[last][1], last + 1
                    break
            else:
                first += 1
        if not found:
            return (), cell
        kept.append(cell[end:])
        return tuple(found), "".join(kept)

    def _codes_apart(self, cell: str, start: int, end: int) -> list[tuple[int, int]]:
        """A term of codes with only spaces between them ("astro-ph.IM astro-ph.HE", as arXiv's listings
        print a paper's classes) as one term per code; any other term as it is."""
        first = cell[start:end].split(None, 1)
        if len(first) < 2 or not self._is_code(first[0]):  # at once for most terms: one word, or words
            return [(start, end)]
        words = [m.span() for m in _WORD.finditer(cell, start, end)]
        if not all(self._is_code(cell[a:b]) for a, b in words):
            return [(start, end)]
        return words

    def _is_code(self, word: str) -> bool:
        """A class's code, not a plain word that happens to be an archive's ("physics", "math")."""
        return word.casefold() in self._by_code and not _PLAIN_WORD.fullmatch(word.casefold())

    def _may_start(self, term: str) -> bool:
        """Whether a class can start with this term: cheap, so that most terms are passed over at once."""
        return "(" in term or "[" in term or term.casefold() in self._by_code or match_key(term) in self._starts

    def _unit(self, text: str) -> ClassUse | None:
        """The class that ``text``, one or more whole terms, names as a unit, if any (rules 1–3)."""
        unit = _UNIT.fullmatch(text)
        if unit is None or not unit["head"]:
            return None
        head, paren = unit["head"], unit["paren"]
        if self._is_code(head):  # "astro-ph.IM (name)"
            code, name = head, paren
        elif paren is not None and paren.casefold() in self._by_code:  # "name (code)"
            code, name = paren, head
        elif paren is None and match_key(head) in self._bare:  # "name"
            return ClassUse(self._by_name[match_key(head)], " ".join(text.split()))
        else:
            return None
        cls = self._by_code[code.casefold()]
        by_name = self._by_name.get(match_key(name)) if name else None
        if by_name is not None and cls.iri in by_name.broader:  # "Artificial Intelligence (cs)": the class
            cls = by_name
        by_name = self._by_name.get(match_key(name)) if name else None
        if _PLAIN_WORD.fullmatch(code.casefold()) and match_key(name) not in self._names:
            return None  # "Physics (math)": a plain word in parentheses is a code only after a class's name
        conflict = by_name.code if by_name is not None and by_name is not cls else ""
        return ClassUse(cls, " ".join(text.split()), conflict)


@cache
def _triples() -> tuple[ox.Triple, ...]:
    path = ontology_file(ARXIV_FILE)
    try:
        return tuple(ox.parse(path=str(path), format=ox.RdfFormat.TURTLE))
    except (SyntaxError, OSError) as error:
        raise VocabularyError(f"{path}: cannot read the arXiv subject classes: {error}") from None


def load_subject_classes(*, known: Callable[[str], bool] = lambda key: False) -> SubjectClasses:
    """The shipped arXiv scheme (``ontology/arxiv.ttl``); ``known`` as in :class:`SubjectClasses`."""
    return SubjectClasses(list(_triples()), known=known)
