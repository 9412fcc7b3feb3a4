"""RDF namespaces used by talkgraph.

``TG`` is closed (``_fail = True``): a typo such as ``TG.speeker`` raises
instead of minting a new IRI. ``tests/test_namespaces.py`` checks that it lists
exactly the terms declared in ``ontology/talkgraph.ttl``.
"""

from __future__ import annotations

from rdflib import Namespace, URIRef
from rdflib.namespace import DCTERMS, OWL, PROV, QB, RDF, RDFS, SKOS, XSD, DefinedNamespace

__all__ = ["TG", "SCHEMA", "VOCAB", "SCHEMES", "CANDIDATE_SCHEME", "LINKED_CONCEPTS", "PREFIXES", "SPARQL_PREFIXES",
           "DEFAULT_BASE_IRI", "data_prefixes"]


class TG(DefinedNamespace):
    """The talkgraph ontology, ``https://w3id.org/talkgraph/ns#``."""

    _NS = Namespace("https://w3id.org/talkgraph/ns#")
    _fail = True

    Talk: URIRef
    Meeting: URIRef
    CandidateConcept: URIRef
    SourceTable: URIRef
    Build: URIRef
    speaker: URIRef
    link: URIRef
    extraField: URIRef
    declaresKeyword: URIRef
    declaresDomain: URIRef
    declaresMethod: URIRef
    declaresSoftware: URIRef
    mentions: URIRef
    inField: URIRef
    ambiguousLabel: URIRef
    declaredDomainText: URIRef
    declaredMethodText: URIRef
    candidateFor: URIRef
    sourceLine: URIRef
    sha256: URIRef
    # The statistics of a build, a W3C RDF Data Cube (talkgraph.model.cube): dimensions and the measure.
    domain: URIRef
    method: URIRef
    otherMethod: URIRef
    concept: URIRef
    linkKind: URIRef
    person: URIRef
    talkCount: URIRef


SCHEMA = Namespace("http://schema.org/")
VOCAB = "https://w3id.org/talkgraph/vocab/"

#: Concept scheme IRIs by short name; the order is the order keyword cells are
#: matched against when a term is not in the column's own scheme.
SCHEMES = {
    "domain": URIRef(VOCAB + "domain"),
    "method": URIRef(VOCAB + "method"),
    "software": URIRef(VOCAB + "software"),
    "facility": URIRef(VOCAB + "facility"),
}
CANDIDATE_SCHEME = URIRef(VOCAB + "candidate")
#: The code list of the cube's concept dimension: each build adds the concepts it counts as members.
LINKED_CONCEPTS = URIRef(VOCAB + "linked-concepts")

DEFAULT_BASE_IRI = "https://w3id.org/talkgraph/id/"

#: Prefixes written in every serialisation, in this order.
PREFIXES = {
    "tg": str(TG._NS),
    "schema": str(SCHEMA),
    "dcterms": str(DCTERMS),
    "skos": str(SKOS),
    "prov": str(PROV),
    "rdf": str(RDF),
    "rdfs": str(RDFS),
    "owl": str(OWL),
    "xsd": str(XSD),
    "oa": "http://www.w3.org/ns/oa#",
    "qb": str(QB),
    "domain": VOCAB + "domain/",
    "method": VOCAB + "method/",
    "software": VOCAB + "software/",
    "facility": VOCAB + "facility/",
    "uat": "http://astrothesaurus.org/uat/",
    "aio": "https://w3id.org/aio/",
}

#: The same prefixes as a SPARQL prologue, for the queries the library itself runs.
SPARQL_PREFIXES = "".join(f"PREFIX {name}: <{namespace}>\n" for name, namespace in PREFIXES.items())


def data_prefixes(base_iri: str, *, unused: tuple[str, ...] = ()) -> dict[str, str]:
    """Standard prefixes plus readable ones for the data minted under ``base_iri``."""
    prefixes = dict(PREFIXES)
    for name in ("talk", "person", "event", "candidate", "column", "source", "build", "agent", "cube"):
        if name not in unused:
            prefixes[name] = f"{base_iri}{name}/"
    return prefixes
