"""Linking the keyword cells of records to vocabulary concepts.

Each cell is read in three passes: the arXiv subject classes it names are taken out whole
(:mod:`talkgraph.vocab.arxiv`), then the keywords printed with their UAT number ("Galaxy
evolution (594)", :func:`talkgraph.vocab.keywords.numbered_terms`), and what is left is split
into terms and matched on their labels. A term that maps to nothing is never dropped: it
becomes a candidate concept, flagged for review, and is counted for the build report; if it
names concepts in part (its head, "Glitch classification", or what qualifies it, "Solar flare
prediction": :mod:`.parts`), it links those as well.

A typed column (astronomy, ML) looks in its own scheme first; the mixed keywords column
("Keywords", "Subjects", "Tags") prefers none, and each term takes the linking property of
the scheme it matched.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import lru_cache

from ..vocab.arxiv import ClassUse, SubjectClass
from ..vocab.keywords import NumberedTerm, Term, match_key, numbered_terms, split_cell
from ..vocab.skos import ConceptScheme, SkosConcept
from ..tables.records import CELL_SEPARATOR, Record
from ..namespaces import UAT, mint
from ..tables.text import slugify
from ..vocab.vocabulary import THESAURUS, Clash, Vocabulary
from .objects import designated, label_of, object_iri, object_label
from .parts import parts, qualified_heads

__all__ = ["Link", "Candidate", "Described", "KeywordLinker", "COLUMNS", "MIXED", "OBJECTS"]

#: Record attribute → the scheme its terms are looked up in first (``None``: no scheme first).
COLUMNS = {"domains_text": "domain", "methods_text": "method", "keywords_text": None}
#: The report's name of the mixed keywords column, and the scheme of a candidate found there.
MIXED = "keywords"


#: The schemes of astronomy topics: a talk that declares one of them does not also declare the field
#: as a whole (the domain scheme's umbrella concept, "astronomy"; the software scheme's "software" says
#: what a talk is about, and stays).
_TOPIC_SCHEMES = frozenset({"domain", THESAURUS})


#: The scheme of a link to an astronomical object named by its designation (:mod:`.objects`).
OBJECTS = "object"


@dataclass(frozen=True)
class Link:
    """One declared keyword of a talk: a vocabulary concept or a candidate.

    ``scheme`` chooses the linking property: the concept's own scheme (``"uat"`` for a
    concept of the Unified Astronomy Thesaurus, ``"arxiv"`` for a subject class), or for a
    candidate the scheme of the column it came from (``"keywords"``: the mixed column).
    ``via`` marks a concept linked because a declared subject class stands for it.
    """

    iri: str
    scheme: str
    candidate: bool = False
    via: bool = False


@dataclass
class Described:
    """The concepts of other vocabularies that talks link, which the graph describes: UAT concepts
    (their labels, broader concepts and scheme, not the whole thesaurus) and arXiv subject classes
    with their archives."""

    uat: dict[str, SkosConcept] = field(default_factory=dict)
    uat_schemes: tuple[ConceptScheme, ...] = ()
    classes: dict[str, SubjectClass] = field(default_factory=dict)
    class_scheme: tuple = ()  # the triples of the arXiv scheme itself, once a class is linked
    objects: dict[str, str] = field(default_factory=dict)  # astronomical objects named by designation: IRI → label


@dataclass
class Candidate:
    iri: str
    label: str
    intended: list[str] = field(default_factory=list)  # schemes of the columns it was found in
    rows: list[tuple[str, int]] = field(default_factory=list)


@dataclass
class TermUse:
    text: str
    column: str
    concepts: list[str]
    how: str
    count: int = 0


class KeywordLinker:
    """Maps each record's keyword cells to links, remembering every term for the report."""

    def __init__(self, vocab: Vocabulary, base_iri: str):
        self.vocab = vocab
        self.base_iri = base_iri
        self.candidates: dict[str, Candidate] = {}
        self.terms: dict[tuple[str, str], TermUse] = {}
        self.described = Described()
        self.warnings: list[str] = []
        #: labels two schemes share that this table's terms met, and how each was decided (for the warnings)
        self.clashes: dict[tuple[str, str, str], Clash] = {}
        #: (term variants, scheme) → (its links, or None for a candidate; its use): terms recur in every
        #: few rows, and a candidate's rows are the only thing that differs from one to the next
        self._linked: dict[tuple[tuple[str, ...], str | None], tuple[tuple[Link, ...] | None, TermUse]] = {}
        self._pieces = lru_cache(maxsize=65536)(self._read)  # cells recur; bounded for big tables
        self._units: dict[tuple[str, str], tuple[tuple[Link, ...] | None, TermUse | None]] = {}
        self._designations: dict[str, str] | None = None

    def link(self, record: Record) -> list[Link]:
        links: dict[Link, None] = {}
        for attribute, scheme in COLUMNS.items():
            text = getattr(record, attribute)
            if text:
                for cell in text.split(CELL_SEPARATOR):  # the cells of the role's several columns, each apart
                    self._link_cell(cell, scheme, record, links)
        umbrella = [link for link in links if link.iri in self.vocab.umbrellas and link.scheme in _TOPIC_SCHEMES]
        if umbrella and any(link.scheme in _TOPIC_SCHEMES and link not in umbrella for link in links):
            for link in umbrella:  # "astronomy" beside "cosmology" adds nothing: the field is every talk's
                del links[link]
        self.describe(link.iri for link in links if link.scheme in (THESAURUS, OBJECTS))
        return list(links)

    def _link_cell(self, cell: str, scheme: str | None, record: Record, links: dict[Link, None]) -> None:
        """Add to ``links`` those of one keyword cell of ``record`` (``scheme``: its column's, ``None`` for a
        mixed column)."""
        column = scheme or MIXED
        classes, numbered, terms = self._pieces(cell)
        for use in classes:
            links.update(dict.fromkeys(self._unit(("class", use.text), column, record, use)))
        for numbered_term in numbered:
            found = self._unit(("uat", f"{numbered_term.text} ({numbered_term.number})"), column, record,
                               numbered_term)
            if found is None:  # a number UAT does not have: the words are an ordinary term
                terms = terms + split_cell(numbered_term.text)
            links.update(dict.fromkeys(found or ()))
        # A bare number ("573", as ADS lists UAT keywords after their names) confirms the concept the
        # cell names by label; alone it could be a year or a count, so it is kept as a term.
        numbers = [t for t in terms if t.text.isdigit() and len(t.text) <= 5 and not t.qualifier]
        if numbers:
            terms = [t for t in terms if t not in numbers]
        for term in terms:
            linked = self._linked.get((term.variants, scheme))
            if linked is None:
                linked = self._linked[term.variants, scheme] = self._link_term(term, scheme, column)
            found, use = linked
            use.count += 1
            if found is None or use.how == "parts":
                found = (*(found or ()), self._candidate(term.text, column, record))
            links.update(dict.fromkeys(found))
        if numbers:
            named = {link.iri for link in links}
            for term in numbers:
                concept = self.vocab.thesaurus.concepts.get(str(UAT[term.text]))
                confirmed = concept is not None and any(
                    c.iri in named or getattr(self.vocab.same_as(c.iri), "iri", None) in named
                    for c in self.vocab.thesaurus.resolve(concept.iri))
                if not confirmed:
                    links.update(dict.fromkeys((self._candidate(term.text, column, record),)))

    def describe(self, iris) -> None:
        """Have the graph describe those of these concepts that are the thesaurus's, and the broader ones above them,
        and the astronomical objects named by their designation."""
        thesaurus, described = self.vocab.thesaurus, self.described.uat
        iris = list(iris)
        for iri in iris:
            if (label := object_label(iri)) is not None:
                self.described.objects.setdefault(iri, label)
        todo = [iri for iri in iris if iri not in described and iri in thesaurus.concepts]
        while todo:
            concept = thesaurus.concepts[todo.pop()]
            if concept.iri not in described:
                described[concept.iri] = concept
                todo.extend(b for b in concept.broader if b not in described)
        if described and not self.described.uat_schemes:
            self.described.uat_schemes = thesaurus.schemes

    def _read(self, cell: str) -> tuple[tuple[ClassUse, ...], tuple[NumberedTerm, ...], list[Term]]:
        """A cell's subject classes and numbered keywords, taken out whole before the rest is split."""
        classes, rest = self.vocab.subject_classes.extract(cell)
        numbered, rest = numbered_terms(rest)
        return tuple(classes), tuple(numbered), split_cell(rest)

    def _unit(self, key: tuple[str, str], column: str, record: Record,
              unit: ClassUse | NumberedTerm) -> tuple[Link, ...] | None:
        """The links of a subject class or a numbered keyword, made (and reported) the first time it is seen."""
        cached = self._units.get(key)
        if cached is None:
            if isinstance(unit, ClassUse):
                found, concepts, how = self._class_links(unit, record)
            else:
                found, concepts, how = self._numbered_links(unit, record)
            use = None if found is None else self.terms.setdefault(  # no unit: its words are reported as a term
                (column, match_key(key[1])), TermUse(key[1], column, concepts, how))
            cached = self._units[key] = (found, use)
        found, use = cached
        if use is not None:
            use.count += 1
        return found

    def _class_links(self, use: ClassUse, record: Record) -> tuple[tuple[Link, ...], list[str], str]:
        cls = use.subject_class
        if use.conflict:
            self.warnings.append(f"{record.path}:{record.line}: keyword {use.text!r}: the code is {cls.code} "
                                 f"({cls.name}) but the name is {use.conflict}'s; linked by the code")
        classes = self.vocab.subject_classes.classes
        self.described.class_scheme = self.vocab.subject_classes.scheme_triples
        for iri in (cls.iri, *cls.broader):
            self.described.classes.setdefault(iri, classes[iri])
        links, labels = [Link(cls.iri, "arxiv")], [cls.name]
        for target in cls.stands_for:
            for link, label in self._concepts(target):
                links.append(Link(link.iri, link.scheme, via=True))
                labels.append(label)
        return tuple(dict.fromkeys(links)), labels, "arxiv class"

    def _numbered_links(self, term: NumberedTerm, record: Record) -> tuple[tuple[Link, ...] | None, list[str], str]:
        uat = self.vocab.thesaurus
        concept = uat.concepts.get(str(UAT[term.number]))
        where = f"{record.path}:{record.line}: keyword {term.text + ' ' if term.text else ''}({term.number})"
        if concept is None:
            self.warnings.append(f"{where}: the Unified Astronomy Thesaurus has no concept {term.number}; "
                                 "matched by its words instead")
            return None, [], "candidate"
        resolved = uat.resolve(concept.iri)
        said = {match_key(label.text) for c in (concept, *resolved) for label in c.labels}
        if term.text and match_key(term.text) not in said:
            self.warnings.append(f"{where}: UAT {term.number} is {concept.pref_label!r}, not {term.text!r}; "
                                 "linked by the number")
        found = [pair for c in resolved for pair in self._concepts(c.iri)]
        how = "uat number" + (" (deprecated, replaced)" if concept.deprecated and concept not in resolved else "")
        return tuple(dict.fromkeys(link for link, _ in found)), [label for _, label in found], how

    def _concepts(self, iri: str) -> list[tuple[Link, str]]:
        """The link to a concept named by its IRI, and its label: ours, or ours that ``skos:exactMatch`` (else
        ``skos:closeMatch``) makes one concept with it (rule 1 of docs/vocabularies.md, as for a concept named by
        its words), or the UAT concept, resolved if deprecated."""
        ours = self.vocab.ours_for(iri) or self.vocab.concepts.get(iri)
        if ours is not None and ours.scheme != THESAURUS:
            return [(Link(ours.iri, ours.scheme), ours.pref_label)]
        found = []
        for concept in self.vocab.thesaurus.resolve(iri):
            ours = self.vocab.ours_for(concept.iri)
            if ours is not None:
                found.append((Link(ours.iri, ours.scheme), ours.pref_label))
            else:
                found.append((Link(concept.iri, THESAURUS), concept.pref_label))
        return found

    def _link_term(self, term: Term, scheme: str | None, column: str) -> tuple[tuple[Link, ...] | None, TermUse]:
        """The links of a term (``None``: it names nothing, a candidate), and its use for the report. A term
        that names concepts only in part (:mod:`.parts`) links them and stays a candidate as well."""
        match = self.vocab.match(term, scheme)
        if match is None and (label := label_of(term.text)) is not None:  # an object, by its designation
            concept = self.vocab.concepts.get(self._designated().get(label, ""))  # "M 31": UAT's Andromeda Galaxy
            use = self.terms.setdefault((column, match_key(term.text)), TermUse(
                term.text, column, [concept.pref_label if concept else label], "designation"))
            return (Link(concept.iri, concept.scheme) if concept else Link(object_iri(label), OBJECTS),), use
        if match is None:
            named = parts(self.vocab, term.text, scheme)
            use = self.terms.setdefault((column, match_key(term.text)), TermUse(
                term.text, column, [c.pref_label for c in named], "parts" if named else "candidate"))
            return (tuple(Link(c.iri, c.scheme) for c in named) or None), use
        for clash in match.clashes:
            self.clashes.setdefault((match_key(clash.label), clash.chosen, clash.passed_over), clash)
        concepts = qualified_heads(self.vocab, term.text, match.concepts) if match.how == "composite" else match.concepts
        use = self.terms.setdefault((column, match_key(term.text)), TermUse(
            term.text, column, [c.pref_label for c in concepts], match.how))
        return tuple(Link(c.iri, c.scheme) for c in (*concepts, *self._hosts(term.text, concepts))), use

    def _designated(self) -> dict[str, str]:
        """Object label → the concept whose label the designation is (:func:`~.objects.designated`), once."""
        if self._designations is None:
            self._designations = designated((c.iri, c.labels) for c in self.vocab.concepts.values())
        return self._designations

    def _hosts(self, text: str, concepts) -> list:
        """The facilities above a matched facility whose name the term starts with: "SDSS" of "SDSS Moving
        Object Catalogue", "Fermi" of "Fermi-GBM", as the mention extractor finds the host in prose
        (:meth:`~talkgraph.link.mentions.MentionExtractor._nested`): the host's name ends where a word does
        (a space, slash or any dash follows, "Fermi–LAT", as the matching key reads punctuation). Not by an
        ambiguous label: the kinds of facility ("survey", "instrument") have only those, and a kind is no host."""
        lower, hosts = text.lower(), []
        for concept in concepts:
            if concept.scheme != "facility":
                continue
            for iri in sorted(self.vocab.ancestors(concept.iri)):
                host = self.vocab.concepts.get(iri)
                if host is None or host.scheme != "facility" or host in hosts or host in concepts:
                    continue
                if any(lower.startswith(label.lower()) and not lower[len(label):len(label) + 1].isalnum()
                       and len(lower) > len(label) for label in host.labels if label not in host.ambiguous):
                    hosts.append(host)
        return hosts

    def _candidate(self, text: str, column: str, record: Record) -> Link:
        slug = slugify(match_key(text)) or "term"
        candidate = self.candidates.get(slug)
        if candidate is None:
            candidate = self.candidates[slug] = Candidate(mint(self.base_iri, "candidate", slug), text)
        if column not in candidate.intended:
            candidate.intended.append(column)
        candidate.rows.append((record.path, record.line))
        return Link(candidate.iri, column, candidate=True)
