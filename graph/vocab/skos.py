"""Any SKOS vocabulary file (Turtle or RDF/XML) read into a compact, immutable structure.

:func:`read_skos` keeps, per concept, what linking needs and nothing else: its IRI, its
schemes, its labels (every language; English or untagged first), ``broader``,
``related``, notations, and whether it is deprecated and by what it is replaced. Each
label carries the facts a rule file needs to judge it cheaply (:class:`Label`). The
result is the same, byte for byte once compiled (:mod:`.compiled`), whatever the order
of the file's triples.

>>> import tempfile
>>> from pathlib import Path
>>> path = Path(tempfile.mkdtemp()) / "stars.ttl"
>>> _ = path.write_text('''
... @prefix skos: <http://www.w3.org/2004/02/skos/core#> .
... <http://example.org/stars> a skos:Concept ; skos:prefLabel "Stars"@en , "Étoiles"@fr .
... <http://example.org/jets> a skos:Concept ; skos:prefLabel "Jets"@en ;
...     skos:altLabel "Astrophysical jets"@en ; skos:broader <http://example.org/stars> .
... ''')
>>> vocab = read_skos(path)
>>> jets = vocab.concepts["http://example.org/jets"]
>>> jets.pref_label, jets.broader, jets.schemes      # no scheme in the file: one named after it
('Jets', ('http://example.org/stars',), ('https://w3id.org/talkgraph/vocab/file/stars',))
>>> [(label.text, label.kind, label.words, label.common) for label in jets.labels]
[('Jets', 'pref', 1, True), ('Astrophysical jets', 'alt', 2, False)]
>>> [label.text for label in vocab.concepts["http://example.org/stars"].labels]
['Stars', 'Étoiles']

Build a compiled copy once with ``python -m talkgraph.vocab.skos compile SOURCE TARGET``
(see :func:`main`); the shipped Unified Astronomy Thesaurus was made that way.
"""

from __future__ import annotations

import re
import sys
from collections import defaultdict
from dataclasses import dataclass, field, replace
from functools import cache
from pathlib import Path
from types import MappingProxyType
from typing import Mapping

from rdflib.namespace import DC, DCTERMS, OWL, RDF, RDFS, SKOS

from .. import engine as ox
from ..errors import VocabularyError
from ..namespaces import FILE_SCHEMES
from ..resources import vocab_data_file

__all__ = ["Label", "SkosConcept", "ConceptScheme", "SkosVocabulary", "read_skos", "read_rdf", "skos_from_triples",
           "concept_labels", "common_word", "label_key", "main"]

#: A changeNote with this title points (in its rdfs:comment) at the concept to use instead:
#: how UAT records the replacement of a deprecated concept.
_USE_INSTEAD = "use instead"
_XML_START = re.compile(rb"\s*<(?:\?xml|!|[A-Za-z_][\w.-]*(?::[A-Za-z_][\w.-]*)?[\s/>])")
_XML_SUFFIXES = {".rdf", ".owl", ".xml"}
_KINDS = ("pref", "alt", "hidden")


@dataclass(frozen=True, slots=True)
class Label:
    """One label of a concept, with the facts that rules about short, everyday labels need.

    ``words`` counts whitespace-separated words ("X-ray binaries" has 2); ``common`` says the
    label is one word that is a common English word in any case ("Jets", "Stars"; see
    ``graph/vocab/data/common-english.txt``); ``shared`` is how many concepts of the
    vocabulary this label names once deprecated concepts are replaced (1: it is unambiguous).
    """

    text: str
    lang: str  # lower-case BCP 47 tag, "" when untagged
    kind: str  # "pref", "alt" or "hidden"
    words: int
    common: bool
    shared: int


@dataclass(frozen=True, slots=True)
class SkosConcept:
    """A concept: ``labels`` start with the preferred label (English, else untagged, else any)."""

    iri: str
    schemes: tuple[str, ...]
    labels: tuple[Label, ...]
    broader: tuple[str, ...] = ()
    related: tuple[str, ...] = ()
    notations: tuple[str, ...] = ()
    deprecated: bool = False
    replaced_by: tuple[str, ...] = ()

    @property
    def pref_label(self) -> str:
        return self.labels[0].text

    def labels_of(self, kind: str) -> tuple[str, ...]:
        """Texts of the labels of one kind: ``"pref"``, ``"alt"`` or ``"hidden"``."""
        return tuple(label.text for label in self.labels if label.kind == kind)


@dataclass(frozen=True, slots=True)
class ConceptScheme:
    iri: str
    title: str = ""
    version: str = ""


@dataclass(frozen=True)
class SkosVocabulary:
    """The concepts of one vocabulary file, by IRI in IRI order, and its schemes."""

    source: str  # the file's name, without its folder, so that a compiled copy is the same anywhere
    schemes: tuple[ConceptScheme, ...]
    concepts: Mapping[str, SkosConcept] = field(repr=False)

    def active(self) -> list[SkosConcept]:
        return [c for c in self.concepts.values() if not c.deprecated]

    def deprecated(self) -> list[SkosConcept]:
        return [c for c in self.concepts.values() if c.deprecated]

    def resolve(self, iri: str) -> tuple[SkosConcept, ...]:
        """The concepts to link instead of ``iri``: itself if active, else its replacements.

        Follows replacements of replacements; a deprecated concept whose replacements are
        not in the vocabulary resolves to itself, so that nothing said is lost.
        """
        found: dict[str, SkosConcept] = {}
        seen: set[str] = set()
        todo = [iri]
        while todo:
            current = todo.pop(0)
            if current in seen or current not in self.concepts:
                continue
            seen.add(current)
            concept = self.concepts[current]
            known = [r for r in concept.replaced_by if r in self.concepts]
            if concept.deprecated and known:
                todo.extend(known)
            else:
                found.setdefault(current, concept)
        if not found and iri in self.concepts:
            found[iri] = self.concepts[iri]
        return tuple(found.values())


def label_key(text: str) -> str:
    """What two labels must share to be the same label: the text, case and spacing aside."""
    return " ".join(text.casefold().split())


@cache
def _common_words() -> frozenset[str]:
    lines = vocab_data_file("common-english.txt").read_text(encoding="utf-8").splitlines()
    return frozenset(line for line in lines if line and not line.startswith("#"))


def common_word(text: str) -> bool:
    """Whether the label ``text`` is one word that is a common English word in any case (:attr:`Label.common`).

    >>> common_word("Jets"), common_word("Blazars"), common_word("Astrophysical jets")
    (True, False, False)
    """
    key = label_key(text)
    return " " not in key and key in _common_words()


def _with_label_facts(source: str, schemes: tuple[ConceptScheme, ...],
                     concepts: list[SkosConcept]) -> SkosVocabulary:
    """The vocabulary of ``concepts`` (labels without facts yet), each label given its facts."""
    draft = SkosVocabulary(source, schemes, {c.iri: c for c in concepts})
    named: dict[str, set[str]] = defaultdict(set)
    for concept in concepts:
        targets = [c.iri for c in draft.resolve(concept.iri)]
        for label in concept.labels:
            named[label_key(label.text)].update(targets)
    final = {}
    for concept in sorted(concepts, key=lambda c: c.iri):
        labels = tuple(Label(label.text, label.lang, label.kind, len(label.text.split()),
                             common_word(label.text),
                             len(named[label_key(label.text)])) for label in concept.labels)
        final[concept.iri] = replace(concept, labels=labels)
    return SkosVocabulary(source, tuple(sorted(schemes, key=lambda s: s.iri)), MappingProxyType(final))


# ---------------------------------------------------------------------------- reading RDF


def read_rdf(path: Path) -> list[ox.Triple]:
    """The triples of the RDF file ``path``: RDF/XML if it starts like XML, else Turtle; a
    :class:`~talkgraph.errors.VocabularyError` names the file (and the place) when it cannot be read."""
    try:
        data = path.read_bytes()
    except IsADirectoryError:
        raise VocabularyError(f"{path}: is a folder, not a vocabulary file") from None
    except OSError as error:
        raise VocabularyError(f"{path}: cannot read: {error.strerror or error}") from None
    xml = bool(_XML_START.match(data[:1024].removeprefix(b"\xef\xbb\xbf")))
    name = "RDF/XML" if xml else "Turtle"
    try:
        return list(ox.parse(data, format=ox.RdfFormat.RDF_XML if xml else ox.RdfFormat.TURTLE))
    except SyntaxError as error:
        where = f"{path}:{error.lineno}:{error.offset}" if error.lineno else str(path)
        message = re.sub(r"^Parser error (?:at|between) line .*?: ", "", str(error.msg))  # the place is in `where`
        read_as = "it starts like XML" if xml else "it does not start like XML"
        if not xml and path.suffix.lower() in _XML_SUFFIXES:
            read_as += f" although its name ends in {path.suffix}"
        raise VocabularyError(f"{where}: not a valid {name} file (read as {name} because {read_as}): {message}") from None


def _text(term) -> str | None:
    return term.value if isinstance(term, ox.Literal) else None


def _language_rank(lang: str) -> int:
    return 0 if lang == "en" else 1 if lang == "" else 2 if lang.startswith("en-") else 3


def _best_text(literals: list) -> str:
    texts = sorted(((_language_rank(o.language or ""), o.value) for o in literals if isinstance(o, ox.Literal)))
    return texts[0][1] if texts else ""


def read_skos(path: str | Path, *, version: str | None = None) -> SkosVocabulary:
    """The SKOS vocabulary in ``path`` (Turtle or RDF/XML, told apart by its first bytes).

    ``version`` names the release when the file does not say it (``owl:versionInfo`` of
    its scheme). Concepts without ``skos:inScheme`` belong to the file's one
    ``skos:ConceptScheme``, or to a scheme named after the file when it declares none. A
    concept without a SKOS label is labelled by its ``rdfs:label`` (UAT labels its deprecated
    concepts so). Raises :class:`~talkgraph.errors.VocabularyError` when the file cannot be
    read or parsed, holds no ``skos:Concept`` or has a concept without any label.
    """
    path = Path(path)
    return skos_from_triples(read_rdf(path), path, version=version)


def skos_from_triples(triples: list[ox.Triple], path: Path, *, version: str | None = None) -> SkosVocabulary:
    """The SKOS vocabulary of ``triples`` read from ``path`` (see :func:`read_skos`)."""
    props: dict = defaultdict(lambda: defaultdict(list))
    for t in triples:
        props[t.subject][str(t.predicate.value)].append(t.object)
    typed = defaultdict(set)
    for subject, by in props.items():
        for kind in by.get(str(RDF.type), ()):
            typed[kind.value].add(subject)
    concepts = sorted((s for s in typed[str(SKOS.Concept)] if isinstance(s, ox.NamedNode)), key=lambda s: s.value)
    if not concepts:
        raise VocabularyError(f"{path}: is not a SKOS vocabulary: it declares no skos:Concept")
    declared = sorted(s.value for s in typed[str(SKOS.ConceptScheme)] if isinstance(s, ox.NamedNode))
    members: dict[str, set[str]] = defaultdict(set)
    for scheme in declared:
        for top in props[ox.NamedNode(scheme)].get(str(SKOS.hasTopConcept), ()):
            members[top.value].add(scheme)
    narrower_of: dict[str, set[str]] = defaultdict(set)
    related_to: dict[str, set[str]] = defaultdict(set)
    for subject, by in props.items():
        for child in by.get(str(SKOS.narrower), ()):
            narrower_of[child.value].add(subject.value)
        for other in by.get(str(SKOS.related), ()):
            related_to[other.value].add(subject.value)

    default_scheme = declared[0] if len(declared) == 1 else FILE_SCHEMES + _slug(path.stem)
    drafts, unlabelled, used_schemes = [], [], set()
    for node in concepts:
        by, iri = props[node], node.value
        schemes = {o.value for p in (SKOS.inScheme, SKOS.topConceptOf) for o in by.get(str(p), ())
                   if isinstance(o, ox.NamedNode)} | members[iri]
        if not schemes:
            if len(declared) > 1:
                raise VocabularyError(f"{path}: concept <{iri}> has no skos:inScheme, and the file declares "
                                      f"{len(declared)} schemes ({', '.join(declared[:3])}…); say which")
            schemes = {default_scheme}
        used_schemes |= schemes
        labels = concept_labels(by)
        if not labels:
            unlabelled.append(iri)
            continue
        deprecated = any(_text(o) in ("true", "1") for o in by.get(str(OWL.deprecated), ()))
        drafts.append(SkosConcept(
            iri, tuple(sorted(schemes)), labels,
            broader=_iris(by.get(str(SKOS.broader), ()), narrower_of[iri]),
            related=_iris(by.get(str(SKOS.related), ()), related_to[iri]),
            notations=tuple(sorted({o.value for o in by.get(str(SKOS.notation), ())})),
            deprecated=deprecated, replaced_by=_replacements(by, props)))
    if unlabelled:
        more = f" and {len(unlabelled) - 3:,} more" if len(unlabelled) > 3 else ""
        raise VocabularyError(f"{path}: {len(unlabelled):,} concept(s) without any label (skos:prefLabel, "
                              f"skos:altLabel, skos:hiddenLabel or rdfs:label): "
                              f"{', '.join(f'<{i}>' for i in unlabelled[:3])}{more}")
    schemes = tuple(_scheme(iri, props, path, version) for iri in sorted(set(declared) | used_schemes))
    return _with_label_facts(path.name, schemes, drafts)


def concept_labels(by) -> tuple[Label, ...]:
    """The labels (without their facts) of a concept whose statements ``by`` holds (predicate IRI →
    objects): the preferred ones first, each kind English first; ``rdfs:label`` when it has no prefLabel."""
    found = []
    for kind, predicate in zip(_KINDS, (SKOS.prefLabel, SKOS.altLabel, SKOS.hiddenLabel)):
        found += [(kind, o) for o in by.get(str(predicate), ()) if isinstance(o, ox.Literal)]
    if not any(kind == "pref" for kind, _ in found):
        found += [("pref", o) for o in by.get(str(RDFS.label), ()) if isinstance(o, ox.Literal)]
    ordered = sorted({(_KINDS.index(kind), _language_rank(o.language or ""), o.language or "", o.value)
                      for kind, o in found if o.value.strip()})
    return tuple(Label(text, lang, _KINDS[kind], 0, False, 0) for kind, _, lang, text in ordered)


def _iris(objects, inverse: set[str]) -> tuple[str, ...]:
    return tuple(sorted({o.value for o in objects if isinstance(o, ox.NamedNode)} | inverse))


def _replacements(by, props) -> tuple[str, ...]:
    found = {o.value for o in by.get(str(DCTERMS.isReplacedBy), ()) if isinstance(o, ox.NamedNode)}
    for note in by.get(str(SKOS.changeNote), ()):
        if isinstance(note, ox.Literal):
            continue
        about = props.get(note, {})
        titles = [o.value for p in (DCTERMS.title, DC.title, RDFS.label) for o in about.get(str(p), ())]
        if any(title.strip().casefold() == _USE_INSTEAD for title in titles):
            for o in [*about.get(str(RDFS.comment), ()), *about.get(str(RDF.value), ())]:
                target = o.value.strip()
                if isinstance(o, ox.NamedNode) or re.fullmatch(r"https?://\S+", target):
                    found.add(target)
    return tuple(sorted(found))


def _scheme(iri: str, props, path: Path, version: str | None) -> ConceptScheme:
    if iri.startswith(FILE_SCHEMES):
        return ConceptScheme(iri, path.name, version or "")
    by = props.get(ox.NamedNode(iri), {})
    title = next((_best_text(by[str(p)]) for p in (DCTERMS.title, DC.title, SKOS.prefLabel, RDFS.label)
                  if by.get(str(p))), "")
    stated = sorted(o.value for o in by.get(str(OWL.versionInfo), ()) if isinstance(o, ox.Literal))
    return ConceptScheme(iri, title, version or (stated[0] if stated else ""))


def _slug(name: str) -> str:
    return re.sub(r"[^A-Za-z0-9._-]+", "-", name).strip("-") or "vocabulary"


def main(argv: list[str] | None = None) -> int:
    """``python -m talkgraph.vocab.skos compile SOURCE TARGET [--version V]``: compile a vocabulary."""
    import argparse

    from .compiled import compile_skos

    parser = argparse.ArgumentParser(prog="python -m talkgraph.vocab.skos",
                                     description="Compile a SKOS vocabulary (Turtle or RDF/XML) into talkgraph's "
                                                 "compact JSON form.")
    commands = parser.add_subparsers(dest="command", required=True)
    compile_ = commands.add_parser("compile", help="read SOURCE, write TARGET (JSON)")
    compile_.add_argument("source")
    compile_.add_argument("target")
    compile_.add_argument("--version", help="the release, when SOURCE does not state it (UAT does not)")
    args = parser.parse_args(argv)
    try:
        vocab = compile_skos(args.source, args.target, version=args.version)
    except VocabularyError as error:
        print(f"error: {error}", file=sys.stderr)
        return 2
    print(f"{args.target}: {len(vocab.active()):,} active and {len(vocab.deprecated()):,} deprecated concepts "
          f"of {', '.join(s.title or s.iri for s in vocab.schemes)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
