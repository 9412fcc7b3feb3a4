"""``--vocab`` files: any SKOS vocabulary, in Turtle or RDF/XML, beside the bundled ones.

Each file is read once (:func:`read_vocabulary_file`) and is one of three kinds:

- ``"thesaurus"``: a release of the Unified Astronomy Thesaurus (every concept in the UAT
  namespace, and UAT's concept scheme declared, as each release file does). It replaces the
  shipped thesaurus for the build; its scheme's ``owl:versionInfo`` says which release it is.
- ``"concepts"``: any other file that declares ``skos:Concept``. Its triples join the
  vocabularies (and the graph); a concept without ``skos:inScheme`` is put in the file's
  one scheme, or in one named after the file (``namespaces.FILE_SCHEMES``), which is declared
  for it. Its labels for concepts of the thesaurus are matched as theirs.
- ``"labels"``: a file that declares no concept but labels concepts the vocabularies know.

A file that cannot be read, is neither Turtle nor RDF/XML, is not SKOS, or has a concept
without any label raises :class:`~talkgraph.errors.VocabularyError` naming the file, what is
wrong and what to do (exit 2 at the command line).

>>> import tempfile
>>> from pathlib import Path
>>> path = Path(tempfile.mkdtemp()) / "stars.ttl"
>>> _ = path.write_text('''
... @prefix skos: <http://www.w3.org/2004/02/skos/core#> .
... <http://example.org/jets> a skos:Concept ; skos:prefLabel "Relativistic jets"@en .
... ''')
>>> found = read_vocabulary_file(path)
>>> found.kind, found.schemes
('concepts', ('https://w3id.org/talkgraph/vocab/file/stars',))
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, replace
from pathlib import Path

from functools import cache

from .. import engine as ox
from ..errors import VocabularyError
from ..namespaces import DCTERMS, FILE_SCHEMES, RDF, SCHEMA, SKOS, TG, UAT, UAT_SCHEME
from ..resources import ontology_dir
from .skos import SkosVocabulary, read_rdf, skos_from_triples

__all__ = ["VocabularyFile", "Gathered", "gather", "read_vocabulary_file", "aim_labels", "HINT", "VOCABULARY_FILES",
           "LABEL_FILES", "bundled_triples", "bundled_label_triples"]

#: What to do about a file that is refused.
HINT = ("--vocab takes a SKOS vocabulary in Turtle or RDF/XML: skos:Concept resources with skos:prefLabel "
        "or skos:altLabel, or labels for concepts talkgraph knows (docs/vocabularies.md, \"--vocab\")")
_CONCEPT, _TYPE, _IN_SCHEME = str(SKOS.Concept), str(RDF.type), str(SKOS.inScheme)
#: The predicates a file may say about a concept of the thesaurus: ways to say it.
_LABELLING = {str(SKOS.prefLabel), str(SKOS.altLabel), str(SKOS.hiddenLabel), str(TG.ambiguousLabel)}
_LABELS = _LABELLING - {str(TG.ambiguousLabel)}
#: What only a build says: which talk is linked to what, who gives it, where it is listed. A vocabulary
#: that said it would put links in the graph that the build's index and statistics know nothing of.
_BUILD_ONLY = {str(p) for p in (TG.declaresDomain, TG.declaresMethod, TG.declaresSoftware, TG.declaresKeyword,
                                TG.declaresSubjectClass, TG.declaresVia, TG.mentions, TG.speaker, TG.personConcept,
                                SCHEMA.position)}


@dataclass(frozen=True)
class VocabularyFile:
    """One ``--vocab`` file as read: its triples, and its vocabulary if it declares concepts."""

    path: Path
    kind: str  # "thesaurus", "concepts" or "labels"
    triples: tuple[ox.Triple, ...]
    skos: SkosVocabulary | None = None  # None for a file of labels only
    schemes: tuple[str, ...] = ()  # IRIs of the schemes of its concepts

    @property
    def concepts(self) -> tuple[str, ...]:
        return tuple(self.skos.concepts) if self.skos is not None else ()

    def joined(self, known: set[str], thesaurus: set[str]) -> tuple[list[ox.Triple], list[ox.Triple]]:
        """What the file adds: ``(triples, label_triples)``, the triples that join the vocabularies'
        (and the graph), and the labels it gives concepts of the thesaurus (IRIs ``thesaurus``).
        ``known`` holds the IRIs of the concepts loaded so far, which keep their schemes."""
        # A concept of the thesaurus stays the thesaurus's (so its type is left out); the rest joins as it is.
        triples = [t for t in self.triples if not (t.subject.value in thesaurus and t.predicate.value == _TYPE)]
        labels = [t for t in self.triples if t.subject.value in thesaurus and t.predicate.value in _LABELLING]
        if self.kind == "labels":
            if not any(t.subject.value in known or t.subject.value in thesaurus
                       for t in self.triples if t.predicate.value in _LABELLING):
                raise _refused(self.path, "is not a SKOS vocabulary: it declares no skos:Concept and labels no "
                                          "concept talkgraph knows")
            return triples, labels
        stated = {t.subject.value for t in self.triples if t.predicate.value == _IN_SCHEME}
        for concept in self.skos.concepts.values():
            if concept.iri not in known and concept.iri not in thesaurus and concept.iri not in stated:
                triples += [ox.Triple(ox.NamedNode(concept.iri), ox.NamedNode(_IN_SCHEME), ox.NamedNode(s))
                            for s in concept.schemes]
        for scheme in self.skos.schemes:
            if scheme.iri.startswith(FILE_SCHEMES):  # minted for the file: declared here, titled by its name
                node = ox.NamedNode(scheme.iri)
                triples += [ox.Triple(node, ox.NamedNode(_TYPE), ox.NamedNode(SKOS.ConceptScheme)),
                            ox.Triple(node, ox.NamedNode(DCTERMS.title), ox.Literal(scheme.title))]
        return triples, labels

    def summary(self, concepts: int | None = None) -> dict:
        """What ``report.json`` says of the file (under ``vocabularies``)."""
        found = {"file": str(self.path), "kind": self.kind}
        if self.kind == "thesaurus":
            scheme = self.skos.schemes[0]
            found.update(title=scheme.title, version=scheme.version, concepts=len(self.skos.active()))
        else:
            found.update(schemes=list(self.schemes), concepts=len(self.concepts) if concepts is None else concepts)
        return found


@dataclass
class Gathered:
    """What the vocabularies are made of once the ``--vocab`` files are read (see :func:`gather`)."""

    triples: list[ox.Triple]  # the ontology and concept schemes, and what the files add (into the graph)
    thesaurus: SkosVocabulary
    label_triples: list[ox.Triple]  # labels for the thesaurus's concepts, for matching only
    file_schemes: tuple[str, ...]  # IRIs of the schemes of the files' concepts, in the order of the files
    sources: list[dict]  # for report.json: the thesaurus, then each file
    warnings: list[str]


#: Files of ``ontology/`` that go into every graph: the ontology and the concept schemes.
VOCABULARY_FILES = ("talkgraph.ttl", "domains.ttl", "methods.ttl", "software.ttl", "facilities.ttl")
#: Files of ``ontology/`` read for matching only: more labels for the thesaurus's concepts.
LABEL_FILES = ("uat-labels.ttl",)


@cache
def bundled_triples() -> tuple[ox.Triple, ...]:
    """The triples of the bundled ontology and concept schemes (:data:`VOCABULARY_FILES`), read once."""
    return tuple(t for name in VOCABULARY_FILES for t in _parse(ontology_dir() / name))


@cache
def bundled_label_triples() -> tuple[ox.Triple, ...]:
    """The bundled extra labels for the thesaurus's concepts (:data:`LABEL_FILES`), read once."""
    return tuple(t for name in LABEL_FILES for t in _parse(ontology_dir() / name))


def _parse(path: Path) -> list[ox.Triple]:
    try:
        return list(ox.parse(path=str(path), format=ox.RdfFormat.TURTLE))
    except SyntaxError as error:
        raise VocabularyError(f"{path}: not valid Turtle: {error}") from None
    except OSError as error:
        raise VocabularyError(f"{path}: cannot read: {error.strerror}") from None


def gather(paths, triples: list[ox.Triple], label_triples: list[ox.Triple], shipped: SkosVocabulary) -> Gathered:
    """The bundled ``triples`` and ``label_triples`` (ours for the thesaurus ``shipped``) with the
    ``--vocab`` files ``paths``: a UAT release among them replaces ``shipped``."""
    files = [read_vocabulary_file(path, shipped=shipped) for path in paths]
    releases = [f for f in files if f.kind == "thesaurus"]
    if len(releases) > 1:
        raise _refused(releases[1].path, f"is a second release of the Unified Astronomy Thesaurus, after "
                                         f"{releases[0].path}; give --vocab one of them")
    thesaurus, warnings = shipped, []
    if releases:
        thesaurus = releases[0].skos
        label_triples, warnings = aim_labels(label_triples, thesaurus)
        warnings = [f"talkgraph's own {warning} (ontology/uat-labels.ttl)" for warning in warnings]
    scheme = thesaurus.schemes[0] if thesaurus.schemes else None
    found = Gathered(list(triples), thesaurus, list(label_triples), (), [{
        "file": str(releases[0].path) if releases else "(shipped)", "kind": "thesaurus",
        "title": scheme.title if scheme else "", "version": scheme.version if scheme else "",
        "concepts": len(thesaurus.active())}], warnings)
    known = {t.subject.value for t in triples if t.predicate.value == _TYPE and t.object.value == _CONCEPT}
    in_thesaurus = set(thesaurus.concepts)
    for file in files:
        if file.kind == "thesaurus":
            continue
        added, labels = file.joined(known, in_thesaurus)
        aimed, notes = aim_labels(labels, thesaurus)
        found.triples += added
        found.label_triples += aimed
        found.warnings += [f"{file.path}: {note}" for note in notes]
        labelled = {t.subject.value for t in [*added, *labels] if t.predicate.value in _LABELS}
        found.sources.append(file.summary(None if file.kind == "concepts" else len(labelled)))
        known.update(file.concepts)
    found.file_schemes = tuple(dict.fromkeys(s for f in files if f.kind == "concepts" for s in f.schemes))
    return found


def read_vocabulary_file(path: str | Path, *, shipped: SkosVocabulary | None = None) -> VocabularyFile:
    """The ``--vocab`` file ``path``, read and sorted into its kind (see the module's docstring).

    A UAT release that does not state its version is given ``shipped``'s when its concepts are
    the same, else one that names the file and its digest.
    """
    path = Path(path)
    try:
        triples = read_rdf(path)
        said = [t for t in triples if t.predicate.value in _BUILD_ONLY]
        if said:
            raise VocabularyError(f"{path}: is not only a vocabulary: it says <{said[0].predicate.value}> of "
                                  f"{_listed(list(dict.fromkeys(t.subject.value for t in said)))}, which only a "
                                  f"build says (which talk is linked to what, who gives it)")
        typed = {t.subject.value for t in triples if t.predicate.value == _TYPE and t.object.value == _CONCEPT
                 and isinstance(t.subject, ox.NamedNode)}
        if not typed:
            if not any(t.predicate.value in _LABELLING for t in triples):
                raise VocabularyError(f"{path}: is not a SKOS vocabulary: it declares no skos:Concept and gives "
                                      "no skos:prefLabel, skos:altLabel or skos:hiddenLabel")
            return VocabularyFile(path, "labels", tuple(triples))
        skos = skos_from_triples(triples, path)
    except VocabularyError as error:
        raise _refused(path, str(error), prefixed=True) from None
    schemes = tuple(dict.fromkeys(s for c in skos.concepts.values() for s in c.schemes))
    if all(iri.startswith(str(UAT)) for iri in skos.concepts) and str(UAT_SCHEME) in {s.iri for s in skos.schemes}:
        return VocabularyFile(path, "thesaurus", (), _versioned(skos, path, shipped), schemes)
    return VocabularyFile(path, "concepts", tuple(triples), skos, schemes)


def _versioned(release: SkosVocabulary, path: Path, shipped: SkosVocabulary | None) -> SkosVocabulary:
    """``release``, its scheme's version said: as the file states it, else ``shipped``'s for the same
    concepts, else the file's name and digest (UAT's release files do not state their version)."""
    if all(s.version for s in release.schemes):
        return release
    if shipped is not None and dict(release.concepts) == dict(shipped.concepts):
        stated = {s.iri: s.version for s in shipped.schemes}
        return replace(release, schemes=tuple(replace(s, version=s.version or stated.get(s.iri, ""))
                                              for s in release.schemes))
    digest = hashlib.sha256(path.read_bytes()).hexdigest()
    unstated = f"unstated; read from {path.name}, sha256 {digest}"
    return replace(release, schemes=tuple(replace(s, version=s.version or unstated) for s in release.schemes))


def aim_labels(label_triples: list[ox.Triple], thesaurus: SkosVocabulary) -> tuple[list[ox.Triple], list[str]]:
    """Labels for UAT concepts (``ontology/uat-labels.ttl``, a file's) aimed at the thesaurus in use: those
    of a concept it deprecates name its one replacement; those of a concept it lacks, or replaces by
    several, are left out. Returns the triples, and a warning for each of the two cases that occurs."""
    active = {c.iri for c in thesaurus.active()}
    aimed, moved, left = [], [], []
    by_subject: dict[str, list[ox.Triple]] = {}
    for t in label_triples:
        by_subject.setdefault(t.subject.value, []).append(t)
    for subject, about in by_subject.items():
        if subject in active:
            aimed += about
            continue
        replacements = [c.iri for c in thesaurus.resolve(subject) if not c.deprecated]
        if len(replacements) == 1:
            aimed += [ox.Triple(ox.NamedNode(replacements[0]), t.predicate, t.object) for t in about]
            moved.append(subject)
        else:
            left.append(subject)
    warnings = []
    if moved:
        warnings.append(f"labels for {len(moved):,} concept(s) that {thesaurus.source} deprecates name their "
                        f"replacement: {_listed(moved)}")
    if left:
        warnings.append(f"labels for {len(left):,} concept(s) that are not active in {thesaurus.source} are left "
                        f"out: {_listed(left)}")
    return aimed, warnings


def _listed(iris: list[str], most: int = 3) -> str:
    more = f" and {len(iris) - most:,} more" if len(iris) > most else ""
    return ", ".join(f"<{iri}>" for iri in iris[:most]) + more


def _refused(path: Path, message: str, *, prefixed: bool = False) -> VocabularyError:
    error = VocabularyError(message if prefixed else f"{path}: {message}")
    error.hint = HINT
    return error
