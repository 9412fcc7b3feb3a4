"""SKOS vocabularies as data: loading concept schemes and matching keyword terms to concepts.

The concept schemes live in ``ontology/*.ttl``; every ``skos:prefLabel``,
``skos:altLabel`` and ``skos:hiddenLabel`` there is a way to say the concept, so
adding an altLabel to the Turtle is all it takes to teach the matcher a variant.

>>> vocab = load_vocabulary()
>>> [c.pref_label for c in vocab.match(Term(("CNNs",)), "method").concepts]
['convolutional neural network']
>>> [c.pref_label for c in vocab.match(Term(("Extragalactic FIR",)), "domain").concepts]
['extragalactic astronomy', 'far-infrared astronomy']
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from functools import cache, cached_property
from pathlib import Path

from .. import engine as ox

from ..errors import VocabularyError
from .keywords import Term, match_key, squash
from ..namespaces import RDF, SCHEMES, SKOS, TG
from ..resources import ontology_dir

__all__ = ["Concept", "Match", "Vocabulary", "load_vocabulary", "VOCABULARY_FILES", "MIXED_ORDER"]

# Predicates as the plain strings pyoxigraph terms' ``.value`` gives, to compare without converting.
_RDF_TYPE, _CONCEPT, _IN_SCHEME, _BROADER = str(RDF.type), str(SKOS.Concept), str(SKOS.inScheme), str(SKOS.broader)
_PREF_LABEL = str(SKOS.prefLabel)
_LABELS = (_PREF_LABEL, str(SKOS.altLabel), str(SKOS.hiddenLabel))
_AMBIGUOUS = str(TG.ambiguousLabel)
_EXACT_MATCH = str(SKOS.exactMatch)
#: Files of ``ontology/`` that go into every graph: the ontology and the concept schemes.
VOCABULARY_FILES = ("talkgraph.ttl", "domains.ttl", "methods.ttl", "software.ttl", "facilities.ttl")
#: The order of the schemes for a term of a mixed keywords column, which prefers none
#: (docs/vocabularies.md, rule 5 of "When two vocabularies give one label to different concepts").
MIXED_ORDER = ("method", "software", "facility", "domain")
_STOPWORDS = {"of", "the", "in", "for", "on", "with", "a", "an", "to", "using", "based", "via", "from", "at"}
_MAX_LABEL_WORDS = 8


@dataclass(eq=False)
class Concept:
    """A SKOS concept; compared and hashed by identity (one object per IRI)."""

    iri: str
    scheme: str  # short name: "domain", "method", ...
    pref_label: str = ""
    labels: list[str] = field(default_factory=list)
    broader: list[str] = field(default_factory=list)
    ambiguous: frozenset[str] = frozenset()  # labels too ambiguous to find the concept in running text


@dataclass(frozen=True)
class Match:
    """How a term matched: the concepts and the rule that found them."""

    concepts: tuple[Concept, ...]
    how: str  # "label", "squashed" or "composite"


class Vocabulary:
    """Concept schemes loaded from Turtle, with a matcher over their labels."""

    def __init__(self, triples: list[ox.Triple]):
        self.triples = triples
        self.concepts: dict[str, Concept] = {}
        schemes = {str(iri): name for name, iri in SCHEMES.items()}
        by_subject: dict[str, dict[str, list]] = defaultdict(lambda: defaultdict(list))
        for t in triples:
            by_subject[t.subject.value][t.predicate.value].append(t.object)
        for subject, props in by_subject.items():
            if not any(o.value == _CONCEPT for o in props.get(_RDF_TYPE, [])):
                continue
            in_scheme = [o.value for o in props.get(_IN_SCHEME, [])]
            if not in_scheme:
                raise VocabularyError(f"concept <{subject}> has no skos:inScheme")
            scheme = schemes.get(in_scheme[0]) or in_scheme[0].rstrip("/#").rsplit("/", 1)[-1]
            prefs = [o.value for o in props.get(_PREF_LABEL, [])]
            if len(prefs) != 1:
                raise VocabularyError(f"concept <{subject}> needs exactly one skos:prefLabel, has {len(prefs)}")
            labels = [o.value for p in _LABELS for o in props.get(p, [])]
            ambiguous = frozenset(o.value for o in props.get(_AMBIGUOUS, []))
            if not ambiguous <= set(labels):
                raise VocabularyError(f"concept <{subject}> has tg:ambiguousLabel {sorted(ambiguous - set(labels))} "
                                      "that is not one of its labels")
            self.concepts[subject] = Concept(subject, scheme, prefs[0], labels,
                                             sorted(o.value for o in props.get(_BROADER, [])), ambiguous)
        #: IRI of another vocabulary's concept → ours, that skos:exactMatch makes the same concept (rule 1)
        self._same: dict[str, Concept] = {}
        rank = {name: index for index, name in enumerate(SCHEMES)}
        for pair in sorted((t.subject.value, t.object.value) for t in triples if t.predicate.value == _EXACT_MATCH):
            for ours, theirs in (pair, pair[::-1]):
                concept, other = self.concepts.get(ours), self._same.get(theirs)
                if concept is not None and theirs not in self.concepts and (
                        other is None or (rank.get(concept.scheme, 99), concept.iri) < (rank.get(other.scheme, 99), other.iri)):
                    self._same[theirs] = concept
        self._exact: dict[str, dict[str, Concept]] = defaultdict(dict)
        self._squashed: dict[str, dict[str, Concept]] = defaultdict(dict)
        for concept in self.concepts.values():
            for label in concept.labels:
                key = match_key(label)
                self._index(self._exact, concept, key, label)
                self._index(self._squashed, concept, squash(key), label)
        self._cache: dict[tuple, Match | None] = {}

    @staticmethod
    def _index(index, concept: Concept, key: str, label: str) -> None:
        if not key:
            raise VocabularyError(f"concept <{concept.iri}> has a label with no letters: {label!r}")
        other = index[concept.scheme].setdefault(key, concept)
        if other is not concept:
            raise VocabularyError(
                f"label {label!r} of <{concept.iri}> and a label of <{other.iri}> both match as {key!r} "
                f"in the {concept.scheme!r} scheme; remove or change one of them")

    @property
    def scheme_names(self) -> list[str]:
        names = list(SCHEMES)
        names += sorted({c.scheme for c in self.concepts.values()} - set(names))
        return names

    def in_scheme(self, scheme: str) -> list[Concept]:
        return [c for c in self.concepts.values() if c.scheme == scheme]

    def same_as(self, iri: str) -> Concept | None:
        """Our concept that is the concept ``iri`` of another vocabulary, by ``skos:exactMatch`` either way.

        >>> load_vocabulary().same_as("http://astrothesaurus.org/uat/761").iri
        'https://w3id.org/talkgraph/vocab/facility/hst'
        """
        return self._same.get(iri)

    def knows(self, key: str) -> bool:
        """Whether a label of a concept has the matching key ``key`` (or the same with spaces removed)."""
        return any(key in self._exact[s] or squash(key) in self._squashed[s] for s in self.scheme_names)

    @cached_property
    def subject_classes(self):
        """The arXiv subject classes (:mod:`.arxiv`), whose bare names yield to the labels of these schemes."""
        from .arxiv import load_subject_classes

        return load_subject_classes(known=self.knows)

    def match(self, term: Term, primary: str | None) -> Match | None:
        """Concepts for a term, looking in ``primary``'s scheme first, then the others; with no
        ``primary`` (a mixed keywords column), in the order :data:`MIXED_ORDER`.

        Tried in order: any variant on an exact key; any variant on a key without
        spaces ("Timeseries"); finally the first variant cut into known labels
        ("Extragalactic FIR" → extragalactic + far-infrared).
        """
        cache_key = (term.variants, primary)
        if cache_key not in self._cache:
            self._cache[cache_key] = self._match(term, primary)
        return self._cache[cache_key]

    def _match(self, term: Term, primary: str) -> Match | None:
        first = [primary] if primary else [s for s in MIXED_ORDER if s in self.scheme_names]
        order = first + [s for s in self.scheme_names if s not in first]
        keys = [match_key(v) for v in term.variants]
        for index, how, transform in ((self._exact, "label", str), (self._squashed, "squashed", squash)):
            for key in keys:
                for scheme in order:
                    concept = index[scheme].get(transform(key))
                    if concept:
                        return Match((concept,), how)
        for scheme in order:
            parts = self._segment(keys[0].split(), self._exact[scheme])
            if parts and len(parts) > 1:
                return Match(tuple(dict.fromkeys(parts)), "composite")
        return None

    @staticmethod
    def _segment(words: list[str], index: dict[str, Concept]) -> list[Concept] | None:
        """Fewest concepts whose labels cover every word but stopwords, or ``None``."""
        best: list[list[Concept] | None] = [None] * (len(words) + 1)
        best[0] = []
        for start in range(len(words)):
            if best[start] is None:
                continue
            if words[start] in _STOPWORDS and (best[start + 1] is None or len(best[start + 1]) > len(best[start])):
                best[start + 1] = best[start]
            for end in range(start + 1, min(len(words), start + _MAX_LABEL_WORDS) + 1):
                concept = index.get(" ".join(words[start:end]))
                if concept and (best[end] is None or len(best[end]) > len(best[start]) + 1):
                    best[end] = best[start] + [concept]
        return best[-1] or None


def _parse(path: Path) -> list[ox.Triple]:
    try:
        return list(ox.parse(path=str(path), format=ox.RdfFormat.TURTLE))
    except SyntaxError as error:
        raise VocabularyError(f"{path}: not valid Turtle: {error}") from None
    except OSError as error:
        raise VocabularyError(f"{path}: cannot read: {error.strerror}") from None


@cache
def _bundled() -> tuple[ox.Triple, ...]:
    return tuple(t for name in VOCABULARY_FILES for t in _parse(ontology_dir() / name))


def load_vocabulary(extra: tuple[str | Path, ...] = ()) -> Vocabulary:
    """The bundled ontology and concept schemes, plus any ``extra`` SKOS Turtle files."""
    triples = list(_bundled())
    for path in extra:
        triples.extend(_parse(Path(path)))
    seen: set[ox.Triple] = set()
    unique = [t for t in triples if not (t in seen or seen.add(t))]
    unique.sort(key=lambda t: (t.subject.value, t.predicate.value, str(t.object)))
    return Vocabulary(unique)
