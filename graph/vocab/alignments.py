"""Checking the vocabularies' links to UAT and AIO against copies of those vocabularies.

Each concept that cites a UAT or AIO IRI (``skos:exactMatch`` and friends) also
states, in ``rdfs:label``, the label that IRI carries. :func:`check_alignments`
proves each cited IRI exists in the given copy, is not deprecated and carries
that label. Used by the tests (with ``../shared/vocab``) and by
``talkgraph check-alignments`` (with any newer release a user downloads).
"""

from __future__ import annotations

from functools import cache
from pathlib import Path

from rdflib import Graph, URIRef

from ..errors import InputError, require_file
from ..namespaces import AIO, OWL, RDFS, SKOS, TG, UAT
from ..resources import ontology_dir
from .vocabulary import VOCABULARY_FILES

__all__ = ["cited_iris", "check_alignments", "MAPPING_PREDICATES"]

MAPPING_PREDICATES = (SKOS.exactMatch, SKOS.closeMatch, SKOS.broadMatch, SKOS.narrowMatch, SKOS.relatedMatch)
_SOURCES = {"uat": str(UAT), "aio": str(AIO)}


def cited_iris(source: str) -> dict[str, tuple[str, list[tuple[str, str]]]]:
    """IRIs of ``source`` ("uat" or "aio") cited by the vocabularies (and by the arXiv classes, for the
    topics they stand for) → (stated label, [(concept, predicate)])."""
    namespace = _SOURCES[source]
    vocab = _citing_files()
    cited: dict[str, tuple[str, list]] = {}
    for predicate in (*MAPPING_PREDICATES, TG.standsFor):
        for concept, target in vocab.subject_objects(predicate):
            if str(target).startswith(namespace):
                label = vocab.value(target, RDFS.label)
                entry = cited.setdefault(str(target), (str(label) if label is not None else "", []))
                entry[1].append((str(concept), str(predicate)))
    return cited


@cache
def _citing_files() -> Graph:
    """The bundled files that cite UAT and AIO (package data: read once per process)."""
    vocab = Graph()
    for name in (*VOCABULARY_FILES, "arxiv.ttl"):
        vocab.parse(ontology_dir() / name, format="turtle")
    return vocab


def _load(path: Path) -> Graph:
    require_file(path, hint="docs/vocabularies.md, 'Alignments', says where to download UAT and AIO")
    try:
        return Graph().parse(path, format="xml" if path.suffix in (".rdf", ".owl", ".xml") else None)
    except Exception as error:
        raise InputError(path, f"cannot parse: {error}".splitlines()[0]) from None


def check_alignments(*, uat: str | Path | None = None, aio: str | Path | None = None) -> list[str]:
    """Problems with the cited IRIs, one readable line each; an empty list means all is well."""
    problems: list[str] = []
    for source, path, label_predicates in (("uat", uat, (SKOS.prefLabel,)), ("aio", aio, (RDFS.label,))):
        if path is None:
            continue
        reference = _load(Path(path))
        for iri, (stated, uses) in sorted(cited_iris(source).items()):
            node = URIRef(iri)
            who = ", ".join(sorted(c.rsplit("/", 1)[-1] for c, _ in uses))
            if (node, None, None) not in reference:
                problems.append(f"{iri} (cited by {who}) does not exist in {path}")
                continue
            if reference.value(node, OWL.deprecated) is not None and bool(reference.value(node, OWL.deprecated).toPython()):
                problems.append(f"{iri} (cited by {who}) is deprecated in {path}")
            labels = {str(o).strip() for p in label_predicates for o in reference.objects(node, p)}
            if stated.strip() not in labels:
                problems.append(f"{iri} (cited by {who}) is labelled {sorted(labels)} in {path}, "
                                f"the vocabulary says {stated!r}")
    return problems
