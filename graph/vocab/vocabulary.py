"""SKOS vocabularies as data: loading concept schemes and matching keyword terms to concepts.

The project's concept schemes live in ``ontology/*.ttl``; the Unified Astronomy Thesaurus
(UAT) ships compiled (:mod:`.compiled`) and is the astronomy topic vocabulary, scheme
``"uat"``; ``ontology/uat-labels.ttl`` adds the words people write for UAT concepts that
UAT does not list. Every ``skos:prefLabel``, ``skos:altLabel`` and ``skos:hiddenLabel`` is
a way to say the concept, so adding an altLabel to the Turtle is all it takes to teach the
matcher a variant. When labels of different schemes meet, the rules of
docs/vocabularies.md ("When two vocabularies give one label to different concepts")
decide, and each :class:`Match` carries the decisions it took (its ``clashes``) for the build's warnings.

>>> vocab = load_vocabulary()
>>> [c.pref_label for c in vocab.match(Term(("CNNs",)), "method").concepts]
['convolutional neural network']
>>> [c.pref_label for c in vocab.match(Term(("Extragalactic FIR",)), "domain").concepts]
['Extragalactic astronomy', 'Far infrared astronomy']
>>> [c.iri for c in vocab.match(Term(("blazars",)), None).concepts]
['http://astrothesaurus.org/uat/164']
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from functools import cache, cached_property
from pathlib import Path
from typing import NamedTuple

from .. import engine as ox

from ..errors import VocabularyError
from .compiled import shipped_uat
from .keywords import Term, match_key, segment, squash
from .files import LABEL_FILES, VOCABULARY_FILES, bundled_label_triples, bundled_triples, gather
from .skos import SkosVocabulary, common_word, concept_labels
from ..namespaces import ARXIV_SCHEME, OWL, RDF, SCHEMES, SKOS, TG

__all__ = ["Concept", "Match", "Clash", "Vocabulary", "load_vocabulary", "VOCABULARY_FILES", "LABEL_FILES",
           "THESAURUS", "MIXED_ORDER", "PROSE_ORDER"]

# Predicates as the plain strings pyoxigraph terms' ``.value`` gives, to compare without converting.
_RDF_TYPE, _CONCEPT, _IN_SCHEME, _BROADER = str(RDF.type), str(SKOS.Concept), str(SKOS.inScheme), str(SKOS.broader)
_PREF_LABEL, _ALT_LABEL, _HIDDEN_LABEL = str(SKOS.prefLabel), str(SKOS.altLabel), str(SKOS.hiddenLabel)
_LABELS = (_PREF_LABEL, _ALT_LABEL, _HIDDEN_LABEL)
_AMBIGUOUS = str(TG.ambiguousLabel)
_EXACT_MATCH = str(SKOS.exactMatch)
_TOP_CONCEPT_OF = str(SKOS.topConceptOf)
_CLOSE_MATCH = str(SKOS.closeMatch)
_DEPRECATED = str(OWL.deprecated)
#: The short name of the thesaurus's scheme (the Unified Astronomy Thesaurus).
THESAURUS = "uat"
#: Rule 5: the order of the schemes for a term of a mixed keywords column and for prose,
#: then the schemes of ``--vocab`` files (docs/vocabularies.md).
MIXED_ORDER = ("method", "software", "facility", THESAURUS, "domain")
PROSE_ORDER = MIXED_ORDER
#: Rule 4: the schemes a typed column looks in first.
_COLUMN_FIRST = {"domain": (THESAURUS, "domain"), "method": ("method", "software")}
_ENGLISH = ("en", "en-us", "en-gb", "")
#: Short names that a scheme of a ``--vocab`` file cannot take: the built-in schemes', and the
#: keyword columns'.
_RESERVED = {*SCHEMES, THESAURUS, "arxiv", "candidate", "keywords"}


@dataclass(eq=False)
class Concept:
    """A SKOS concept; compared and hashed by identity (one object per IRI)."""

    iri: str
    scheme: str  # short name: "domain", "method", "uat", ...
    pref_label: str = ""
    labels: list[str] = field(default_factory=list)
    broader: list[str] = field(default_factory=list)
    ambiguous: frozenset[str] = frozenset()  # labels too ambiguous to find the concept in running text
    preferred: frozenset[str] = frozenset()  # its prefLabels (UAT gives some two: US and UK spelling)

    def is_preferred(self, label: str) -> bool:
        return label == self.pref_label or label in self.preferred


@dataclass(frozen=True)
class Match:
    """How a term matched: the concepts and the rule that found them."""

    concepts: tuple[Concept, ...]
    how: str  # "label", "squashed", "composite" or "parts" (graph/link/parts.py)
    clashes: tuple["Clash", ...] = ()  # labels two schemes share that this match decided (rules 2-5)


class Clash(NamedTuple):
    """One label that two schemes give to different concepts, and the rule that chose (docs/vocabularies.md)."""

    label: str
    chosen: str
    passed_over: str
    rule: int

    def __str__(self) -> str:
        return (f"label {self.label!r} names <{self.chosen}> and <{self.passed_over}>: "
                f"linked to the first (rule {self.rule} of docs/vocabularies.md)")


class _Entry(NamedTuple):
    concept: Concept
    label: str


class Vocabulary:
    """Concept schemes loaded from Turtle and a thesaurus, with a matcher over their labels."""

    def __init__(self, triples: list[ox.Triple], thesaurus: SkosVocabulary | None = None,
                 label_triples: list[ox.Triple] = (), *, file_schemes: tuple[str, ...] = ()):
        self.triples = triples
        self.thesaurus = thesaurus
        self.label_triples = tuple(label_triples)
        self.concepts: dict[str, Concept] = {}
        #: what was loaded, for ``report.json`` (see :func:`load_vocabulary`)
        self.sources: list[dict] = []
        #: what the build should warn about the vocabularies (the clashes a table's terms meet are the build's)
        self.warnings: list[str] = []
        self._scheme_names = {str(iri): name for name, iri in SCHEMES.items()}
        self._scheme_names[str(ARXIV_SCHEME)] = "arxiv"
        #: the short names of the schemes of ``--vocab`` files, in the order of the files (rule 5)
        self._file_schemes = [self._scheme_name(iri) for iri in file_schemes]
        #: (scheme, matching key) → how a label that concepts of a ``--vocab`` file's scheme share was decided
        self._file_clashes: dict[tuple[str, str], str] = {}
        by_subject: dict[str, dict[str, list]] = defaultdict(lambda: defaultdict(list))
        for t in triples:
            by_subject[t.subject.value][t.predicate.value].append(t.object)
        tops: dict[str, list[str]] = defaultdict(list)  # scheme → its top concepts (ours)
        for subject, props in by_subject.items():
            if not any(o.value == _CONCEPT for o in props.get(_RDF_TYPE, [])):
                continue
            in_scheme = [o.value for o in props.get(_IN_SCHEME, [])]
            if not in_scheme:
                raise VocabularyError(f"concept <{subject}> has no skos:inScheme")
            scheme = self._scheme_name(in_scheme[0])
            if scheme in SCHEMES:  # ours: curated, so held to one English prefLabel
                prefs = [o.value for o in props.get(_PREF_LABEL, [])]
                if len(prefs) != 1:
                    raise VocabularyError(f"concept <{subject}> needs exactly one skos:prefLabel, has {len(prefs)}")
                labels = [o.value for p in _LABELS for o in props.get(p, [])]
            elif any(o.value in ("true", "1") for o in props.get(_DEPRECATED, [])):
                continue  # a deprecated concept of another vocabulary is not linked
            else:  # another vocabulary's: its English labels (any, if it has none), the first prefLabel preferred
                found = concept_labels(props)
                found = [label for label in found if label.lang.lower() in _ENGLISH] or found
                prefs = [label.text for label in found if label.kind == "pref"] or [found[0].text]
                labels = list(dict.fromkeys(label.text for label in found))
            if scheme in SCHEMES and props.get(_TOP_CONCEPT_OF):
                tops[scheme].append(subject)
            ambiguous = _ambiguous(subject, props, labels)
            if scheme not in SCHEMES:  # one everyday word ("Performance", "Physics") is no evidence in prose
                ambiguous |= {label for label in labels if common_word(label)}
            self.concepts[subject] = Concept(subject, scheme, prefs[0], labels,
                                             sorted(o.value for o in props.get(_BROADER, [])),
                                             ambiguous, frozenset(prefs))
        #: the one top concept of a scheme that has one, which stands for the scheme's whole field
        #: ("astronomy" of the domain scheme): see talkgraph.link.cells, "umbrella"
        self.umbrellas = frozenset(found[0] for found in tops.values() if len(found) == 1)
        if thesaurus is not None:
            self._add_thesaurus(thesaurus, label_triples)
        #: IRI of another vocabulary's concept → ours, that skos:exactMatch makes the same concept (rule 1)
        self._same: dict[str, Concept] = {}
        rank = {name: index for index, name in enumerate(SCHEMES)}
        for pair in sorted((t.subject.value, t.object.value) for t in triples if t.predicate.value == _EXACT_MATCH):
            for ours, theirs in (pair, pair[::-1]):
                concept, other = self.concepts.get(ours), self._same.get(theirs)
                if concept is not None and concept.scheme != THESAURUS and (
                        theirs not in self.concepts or self.concepts[theirs].scheme == THESAURUS) and (
                        other is None or (rank.get(concept.scheme, 99), concept.iri) < (rank.get(other.scheme, 99), other.iri)):
                    self._same[theirs] = concept
        #: (ours, theirs) pairs of skos:closeMatch: close enough that a label they share names ours, unreported
        self._close = {(t.subject.value, t.object.value) for t in triples if t.predicate.value == _CLOSE_MATCH}
        self._close |= {(b, a) for a, b in self._close}
        self._exact: dict[str, dict[str, _Entry]] = defaultdict(dict)
        self._squashed: dict[str, dict[str, _Entry]] = defaultdict(dict)
        shared: dict[tuple[str, str], None] = {}
        for concept in self.concepts.values():
            for label in concept.labels:
                key = match_key(label)
                if not key:
                    raise VocabularyError(f"concept <{concept.iri}> has a label with no letters: {label!r}")
                for index, k in ((self._exact, key), (self._squashed, squash(key))):
                    if not self._index(index[concept.scheme], _Entry(concept, label), k, report=index is self._exact):
                        shared.setdefault((concept.scheme, k))
        for scheme, key in shared:  # a label two concepts of a thesaurus share names neither of them
            self._exact[scheme].pop(key, None)
            self._squashed[scheme].pop(key, None)
            if scheme != THESAURUS and key in {match_key(label) for c in self.in_scheme(scheme) for label in c.labels}:
                self._file_clashes[scheme, key] = "names neither"
        for (scheme, key), decision in sorted(self._file_clashes.items()):
            named = sorted(c.iri for c in self.in_scheme(scheme) if key in {match_key(label) for label in c.labels})
            self.warnings.append(f"label {key!r} names {len(named)} concepts of the {scheme!r} scheme "
                                 f"({', '.join(f'<{iri}>' for iri in named[:3])}{'…' if len(named) > 3 else ''}): "
                                 f"it {decision} (docs/vocabularies.md)")
        self.warnings += self._prose_clashes()
        self._cache: dict[tuple, Match | None] = {}

    def _prose_clashes(self, most: int = 10) -> list[str]:
        """The labels a ``--vocab`` file's concepts share with another scheme's, and which concept titles and
        abstracts link by them (rule 5: the built-in schemes in :data:`PROSE_ORDER`, then the files'). A table's
        keyword cells report the clashes they meet themselves, as their column decides; these are said once,
        whether a talk names them or not, for a user whose talks have only abstracts."""
        if not self._file_schemes:
            return []
        order = {name: rank for rank, name in enumerate((*PROSE_ORDER, *self._file_schemes))}
        found: list[str] = []
        for scheme in self._file_schemes:
            for key, entry in sorted(self._exact.get(scheme, {}).items()):
                for other_scheme, index in self._exact.items():
                    other = index.get(key) if other_scheme != scheme else None
                    if other is None or other.concept is entry.concept or (
                            other.concept.iri, entry.concept.iri) in self._close or getattr(
                            self._same.get(entry.concept.iri), "iri", None) == other.concept.iri:
                        continue
                    first, second = sorted((entry.concept, other.concept),
                                           key=lambda c: (order.get(c.scheme, len(order)), c.iri))
                    found.append(f"label {entry.label!r} names <{first.iri}> and <{second.iri}>: titles and "
                                 f"abstracts link the first (rule 5 of docs/vocabularies.md)")
        return found[:most] + ([f"… and {len(found) - most:,} more labels the --vocab files share with other "
                                "schemes"] if len(found) > most else [])

    def _scheme_name(self, iri: str) -> str:
        """The short name of the scheme ``iri``: ours by :data:`SCHEMES`, another by the end of its IRI,
        made unique (a ``--vocab`` file's ``…/method`` scheme is not ours)."""
        name = self._scheme_names.get(iri)
        if name is None:
            base = iri.rstrip("/#").rsplit("/", 1)[-1].rsplit("#", 1)[-1] or "vocabulary"
            taken = _RESERVED | set(self._scheme_names.values())
            name, number = base, 2
            while name in taken:
                name, number = f"{base}-{number}", number + 1
            self._scheme_names[iri] = name
        return name

    def _add_thesaurus(self, thesaurus: SkosVocabulary, label_triples: list[ox.Triple]) -> None:
        """The thesaurus's active concepts as scheme :data:`THESAURUS`, with the labels of
        ``label_triples`` added; a deprecated concept's labels name its one replacement."""
        extra: dict[str, dict[str, list]] = defaultdict(lambda: defaultdict(list))
        for t in label_triples:
            extra[t.subject.value][t.predicate.value].append(t.object)
        unknown = sorted(set(extra) - {c.iri for c in thesaurus.active()})
        if unknown:
            raise VocabularyError(f"labels are given for <{unknown[0]}>, which is not an active concept of "
                                  f"{thesaurus.source}")
        for sc in thesaurus.active():
            props = extra.get(sc.iri, {})
            english = [label for label in sc.labels if label.lang.lower() in _ENGLISH] or list(sc.labels)
            labels = [label.text for label in english] + [o.value for p in _LABELS for o in props.get(p, [])]
            labels = list(dict.fromkeys(labels))
            self.concepts[sc.iri] = Concept(
                sc.iri, THESAURUS, sc.pref_label, labels, list(sc.broader), _ambiguous(sc.iri, props, labels),
                frozenset(label.text for label in english if label.kind == "pref"))
        for sc in thesaurus.deprecated():
            replacements = [r.iri for r in thesaurus.resolve(sc.iri) if not r.deprecated]
            if len(replacements) == 1:
                self.concepts[replacements[0]].labels.extend(
                    label.text for label in sc.labels if label.lang.lower() in _ENGLISH)

    def _index(self, index: dict[str, _Entry], entry: _Entry, key: str, *, report: bool = False) -> bool:
        """Put ``entry`` under ``key``; ``False`` if a thesaurus concept already has it (a shared label)."""
        other = index.setdefault(key, entry)
        if other.concept is entry.concept:
            if entry.concept.is_preferred(entry.label) and not other.concept.is_preferred(other.label):
                index[key] = entry
            return True
        concept = entry.concept
        if concept.scheme in SCHEMES:
            raise VocabularyError(
                f"label {entry.label!r} of <{concept.iri}> and a label of <{other.concept.iri}> both match as "
                f"{key!r} in the {concept.scheme!r} scheme; remove or change one of them")
        mine, theirs = concept.is_preferred(entry.label), other.concept.is_preferred(other.label)
        if mine != theirs:  # rule 3 within the thesaurus: a prefLabel beats an altLabel
            if mine:
                index[key] = entry
            if report and concept.scheme != THESAURUS:
                self._file_clashes.setdefault((concept.scheme, key), "names the concept whose prefLabel it is")
            return True
        return False

    @cached_property
    def scheme_names(self) -> list[str]:
        """The short names of the schemes, in the order of rule 5 (a Vocabulary does not change once made)."""
        names = [s for s in MIXED_ORDER if s == THESAURUS and self.thesaurus is not None or s in SCHEMES]
        names += [s for s in SCHEMES if s not in names]
        names += [s for s in self._file_schemes if s not in names]
        names += sorted({c.scheme for c in self.concepts.values()} - set(names))
        return names

    def in_scheme(self, scheme: str) -> list[Concept]:
        return [c for c in self.concepts.values() if c.scheme == scheme]

    def ancestors(self, iri: str) -> set[str]:
        """The IRIs of the concepts above the concept ``iri`` (``skos:broader``, transitively).

        >>> "https://w3id.org/talkgraph/vocab/facility/fermi" in load_vocabulary().ancestors(
        ...     "https://w3id.org/talkgraph/vocab/facility/gbm")
        True
        """
        seen: set[str] = set()
        todo = list(self.concepts[iri].broader) if iri in self.concepts else []
        while todo:
            above = todo.pop()
            if above not in seen:
                seen.add(above)
                if above in self.concepts:
                    todo.extend(self.concepts[above].broader)
        return seen

    def same_as(self, iri: str) -> Concept | None:
        """Our concept that is the concept ``iri`` of another vocabulary, by ``skos:exactMatch`` either way.

        >>> load_vocabulary().same_as("http://astrothesaurus.org/uat/761").iri
        'https://w3id.org/talkgraph/vocab/facility/hst'
        """
        return self._same.get(iri)

    def ours_for(self, iri: str) -> Concept | None:
        """Our concept that is, or is close to, the concept ``iri`` of another vocabulary (``skos:exactMatch``,
        else ``skos:closeMatch``; the first by IRI): what rule 1 links instead of it."""
        same = self._same.get(iri)
        if same is not None:
            return same
        close = sorted(o for o, t in self._close if t == iri and o in self.concepts and self.concepts[o].scheme in SCHEMES)
        return self.concepts[close[0]] if close else None

    def knows(self, key: str) -> bool:
        """Whether a label of a concept has the matching key ``key`` (or the same with spaces removed)."""
        return any(key in self._exact[s] or squash(key) in self._squashed[s] for s in self.scheme_names)

    def order(self, primary: str | None) -> list[str]:
        """The schemes a term is looked up in: rule 4 (the column's schemes), then rule 5."""
        first = [s for s in _COLUMN_FIRST.get(primary, (primary,) if primary else ()) if s in self.scheme_names]
        return first + [s for s in self.scheme_names if s not in first]

    @cached_property
    def subject_classes(self):
        """The arXiv subject classes (:mod:`.arxiv`), whose bare names yield to the labels of these schemes."""
        from .arxiv import load_subject_classes

        return load_subject_classes(known=self.knows)

    def match(self, term: Term, primary: str | None) -> Match | None:
        """Concepts for a term, looking in ``primary``'s schemes first (rule 4), then the others in
        the order of rule 5; with no ``primary`` (a mixed keywords column), in that order alone.

        Tried in order: any variant on an exact key; any variant on a key without
        spaces ("Timeseries"); finally the first variant cut into known labels
        ("Extragalactic FIR" → extragalactic + far-infrared).
        """
        cache_key = (term.variants, primary)
        if cache_key not in self._cache:
            self._cache[cache_key] = self._match(term, primary)
        return self._cache[cache_key]

    def named(self, variants: tuple[str, ...], primary: str | None) -> Match | None:
        """The concept whose label one of ``variants`` is (exactly, or without spaces), looking in the
        schemes in the order of rules 4 and 5; ``None`` if none is."""
        order = self.order(primary)
        keys = [match_key(v) for v in variants]
        for index, how, transform in ((self._exact, "label", str), (self._squashed, "squashed", squash)):
            for variant, key in zip(variants, keys):
                entries = [index[scheme][transform(key)] for scheme in order if transform(key) in index[scheme]]
                if entries:
                    clashes: list[Clash] = []
                    concept = self.choose(variant, entries, _COLUMN_FIRST.get(primary, ()), clashes)
                    return Match((concept,), how, tuple(clashes))
        return None

    def _match(self, term: Term, primary: str | None) -> Match | None:
        found = self.named(term.variants, primary)
        if found is not None:
            return found
        words = match_key(term.variants[0]).split()
        for scheme in self.order(primary):
            index = self._exact[scheme]
            parts = segment(words, lambda key: entry.concept if (entry := index.get(key)) else None)
            if parts and len(parts) > 1:
                return Match(tuple(dict.fromkeys(parts)), "composite")
        return None

    def choose(self, text: str, entries: list[_Entry], column: tuple[str, ...] = (),
               clashes: list[Clash] | None = None) -> Concept:
        """The concept that the words ``text`` name, of the ``entries`` (one per scheme, in the order of rules
        4 and 5) whose labels they match: rules 1–5 of docs/vocabularies.md; each concept passed over is
        added to ``clashes``."""
        first = entries[0].concept
        if len(entries) == 1:
            return first
        concepts = [e.concept for e in entries]
        same = [c for c in concepts if self._same.get(c.iri) in concepts
                or c.scheme not in SCHEMES and any((o.iri, c.iri) in self._close for o in concepts if o.scheme in SCHEMES)]
        if same:  # rule 1: one concept in two vocabularies (exact or close match); the project's
            entries = [e for e in entries if e.concept not in same]
            if len(entries) == 1:
                return entries[0].concept
        chosen = entries[0]
        rule = 4 if chosen.concept.scheme in column and any(e.concept.scheme not in column for e in entries) else 5
        # as written: case counts, but not the first letter's, which headings and keyword lists capitalise
        written = [e for e in entries if _uncapitalised(e.label) == _uncapitalised(text)]
        preferred = [e for e in entries if e.concept.is_preferred(e.label)]
        if 0 < len(written) < len(entries):
            chosen, rule = written[0], 2
        elif 0 < len(preferred) < len(entries):
            chosen, rule = preferred[0], 3
        if clashes is not None:
            clashes.extend(Clash(text, chosen.concept.iri, other.concept.iri, rule)
                           for other in entries if other is not chosen)
        return chosen.concept


def _uncapitalised(text: str) -> str:
    return text[:1].lower() + text[1:]


def _ambiguous(subject: str, props: dict, labels: list[str]) -> frozenset[str]:
    """The labels a concept lists under ``tg:ambiguousLabel``: each must be one of its labels (on the matching key)."""
    ambiguous = [o.value for o in props.get(_AMBIGUOUS, [])]
    if not ambiguous:
        return frozenset()
    keys = {match_key(label): label for label in labels}
    missing = sorted(a for a in ambiguous if match_key(a) not in keys)
    if missing:
        raise VocabularyError(f"concept <{subject}> has tg:ambiguousLabel {missing} that is not one of its labels")
    return frozenset(label for a in ambiguous for label in labels if match_key(label) == match_key(a))


def load_vocabulary(extra: tuple[str | Path, ...] = ()) -> Vocabulary:
    """The bundled ontology, concept schemes and thesaurus, with the SKOS files ``extra`` (``--vocab``).

    Each file is Turtle or RDF/XML (:mod:`.files`): a release of the Unified Astronomy Thesaurus
    replaces the shipped one; any other file's concepts join in their own schemes (after the
    built-in ones, in the order of the files), its labels for known concepts join theirs. Raises
    :class:`~talkgraph.errors.VocabularyError` for a file that cannot be used, naming it.
    The bundled vocabulary alone is made once per process (a :class:`Vocabulary` does not change
    once made: what a build learns from it, its matches' clashes, stays with the build); files are
    read anew each time, as they may have changed.
    """
    return _load(tuple(extra)) if extra else _bundled_vocabulary()


@cache
def _bundled_vocabulary() -> Vocabulary:
    return _load(())


def _load(extra: tuple[str | Path, ...]) -> Vocabulary:
    found = gather(extra, list(bundled_triples()), list(bundled_label_triples()), shipped_uat())
    seen: set[ox.Triple] = set()
    unique = [t for t in found.triples if not (t in seen or seen.add(t))]
    unique.sort(key=lambda t: (t.subject.value, t.predicate.value, str(t.object)))
    vocab = Vocabulary(unique, found.thesaurus, found.label_triples, file_schemes=found.file_schemes)
    vocab.sources = found.sources
    vocab.warnings[:0] = found.warnings
    return vocab
