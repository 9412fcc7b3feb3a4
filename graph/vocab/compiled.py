"""A SKOS vocabulary compiled once into compact JSON, and the shipped Unified Astronomy Thesaurus.

Parsing a large RDF/XML release and gathering its concepts on every build costs more
than reading the same facts from JSON; :func:`compile_skos` writes them once,
:func:`load_compiled` reads them back into the same :class:`~.skos.SkosVocabulary`.
The bytes depend only on the vocabulary: concepts in IRI order, one a line, keys sorted,
so compiling twice gives the same file and a new release gives a readable diff.

The Unified Astronomy Thesaurus ships compiled as ``graph/vocab/data/uat.json``, with its
licence (CC BY-SA 3.0) beside it; :func:`shipped_uat` loads it:

>>> uat = shipped_uat()
>>> uat.schemes[0].title, uat.schemes[0].version
('The Unified Astronomy Thesaurus', '5.1.0')
>>> len(uat.active()) > 2000
True
"""

from __future__ import annotations

import json
from functools import cache
from pathlib import Path
from types import MappingProxyType

from ..errors import VocabularyError
from ..resources import vocab_data_file
from .skos import ConceptScheme, Label, SkosConcept, SkosVocabulary, read_skos

__all__ = ["FORMAT", "dumps", "loads", "compile_skos", "load_compiled", "shipped_uat", "SHIPPED_UAT"]

#: Written in every compiled file; a file of another format is refused with a hint to recompile.
FORMAT = "talkgraph-skos/1"
#: The compiled Unified Astronomy Thesaurus in ``graph/vocab/data/``.
SHIPPED_UAT = "uat.json"
_LABEL_FIELDS = ("text", "lang", "kind", "words", "common", "shared")


def _concept_json(concept: SkosConcept) -> str:
    fields = {"iri": concept.iri, "schemes": list(concept.schemes),
              "labels": [[getattr(label, name) for name in _LABEL_FIELDS] for label in concept.labels]}
    for name in ("broader", "related", "notations", "replaced_by"):
        if getattr(concept, name):
            fields[name] = list(getattr(concept, name))
    if concept.deprecated:
        fields["deprecated"] = True
    return json.dumps(fields, ensure_ascii=False, sort_keys=True, separators=(",", ":"))


def dumps(vocab: SkosVocabulary) -> bytes:
    """The compiled form of ``vocab``: JSON, one concept a line, the same bytes for the same vocabulary."""
    head = json.dumps({"format": FORMAT, "label_fields": list(_LABEL_FIELDS), "source": vocab.source,
                       "schemes": [{"iri": s.iri, "title": s.title, "version": s.version} for s in vocab.schemes]},
                      ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    lines = [_concept_json(c) for c in sorted(vocab.concepts.values(), key=lambda c: c.iri)]
    return (head[:-1] + ',\n"concepts":[\n' + ",\n".join(lines) + "\n]}\n").encode("utf-8")


def loads(data: bytes | str, *, source: str = "<compiled vocabulary>") -> SkosVocabulary:
    """The vocabulary that :func:`dumps` wrote."""
    try:
        document = json.loads(data)
        if document.get("format") != FORMAT:
            raise VocabularyError(f"{source}: is not a compiled vocabulary of this talkgraph "
                                  f"(format {document.get('format')!r}, expected {FORMAT!r}); "
                                  "compile it again with `python -m talkgraph.vocab.skos compile`")
        fields = document["label_fields"]
        concepts = {}
        for entry in document["concepts"]:
            labels = tuple(Label(**dict(zip(fields, row))) for row in entry["labels"])
            concepts[entry["iri"]] = SkosConcept(
                entry["iri"], tuple(entry["schemes"]), labels, tuple(entry.get("broader", ())),
                tuple(entry.get("related", ())), tuple(entry.get("notations", ())),
                bool(entry.get("deprecated", False)), tuple(entry.get("replaced_by", ())))
        schemes = tuple(ConceptScheme(**s) for s in document["schemes"])
        return SkosVocabulary(document["source"], schemes, MappingProxyType(concepts))
    except (ValueError, KeyError, TypeError, AttributeError) as error:
        raise VocabularyError(f"{source}: is not a valid compiled vocabulary ({type(error).__name__}: {error}); "
                              "compile it again with `python -m talkgraph.vocab.skos compile`") from None


def compile_skos(source: str | Path, target: str | Path, *, version: str | None = None) -> SkosVocabulary:
    """Read the SKOS file ``source`` (see :func:`~.skos.read_skos`) and write its compiled form to ``target``."""
    vocab = read_skos(source, version=version)
    target = Path(target)
    try:
        target.write_bytes(dumps(vocab))
    except OSError as error:
        raise VocabularyError(f"{target}: cannot write: {error.strerror or error}") from None
    return vocab


def load_compiled(path: str | Path) -> SkosVocabulary:
    """The vocabulary compiled into ``path`` by :func:`compile_skos`."""
    path = Path(path)
    try:
        data = path.read_bytes()
    except OSError as error:
        raise VocabularyError(f"{path}: cannot read: {error.strerror or error}") from None
    return loads(data, source=str(path))


@cache
def shipped_uat() -> SkosVocabulary:
    """The Unified Astronomy Thesaurus that ships with talkgraph (its release: ``schemes[0].version``)."""
    return load_compiled(vocab_data_file(SHIPPED_UAT))
