"""RDF namespaces used by talkgraph, and the IRIs a build mints: the one home of every IRI.

Every vocabulary term the package writes or reads comes from here: ``TG`` (our
ontology) and ``OA`` (Web Annotation) are closed (``_fail = True``), as are rdflib's
``RDF``, ``RDFS``, ``OWL``, ``XSD``, ``SKOS``, ``SH``, ``DCTERMS`` and ``PROV`` re-exported here,
so a typo such as ``TG.speeker`` raises instead of minting a new IRI.
``tests/test_namespaces.py`` checks that ``TG`` lists exactly the terms declared in
``ontology/talkgraph.ttl``.

The IRIs of the resources a build makes (talks, people, the meeting, candidate
concepts, extra columns, sources, the build and its agent, mention annotations) are
minted by :func:`mint` and :func:`mention_iri`, nowhere else. A base module: imports
nothing of the package.
"""

from __future__ import annotations

import hashlib

from rdflib import Namespace, URIRef
from rdflib.namespace import DCTERMS, OWL, PROV, QB, RDF, RDFS, SH, SKOS, XSD, DefinedNamespace

__all__ = ["TG", "OA", "SCHEMA", "UAT", "UAT_SCHEME", "AIO", "DCTERMS", "OWL", "PROV", "RDF", "RDFS", "SH", "SKOS", "XSD",
           "QB",
           "VOCAB", "SCHEMES", "CANDIDATE_SCHEME", "OBJECT_SCHEME", "ARXIV_SCHEME", "FILE_SCHEMES", "LINKED_CONCEPTS",
           "LINKED_DOMAINS", "LINKED_AREAS", "PREFIXES",
           "SPARQL_PREFIXES", "DEFAULT_BASE_IRI", "data_prefixes", "MINTED", "mint", "mention_iri", "scheme_name"]


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
    declaresSubjectClass: URIRef
    declaresVia: URIRef
    mentions: URIRef
    inField: URIRef
    ambiguousLabel: URIRef
    standsFor: URIRef
    declaredDomainText: URIRef
    declaredMethodText: URIRef
    declaredKeywordText: URIRef
    candidateFor: URIRef
    sourceLine: URIRef
    sha256: URIRef
    personConcept: URIRef  # a person's methods and domains, for the rankings (talkgraph.model.pairs)
    # The statistics of a build, a W3C RDF Data Cube (talkgraph.model.cube): dimensions and the measure.
    domain: URIRef
    method: URIRef
    otherMethod: URIRef
    concept: URIRef
    linkKind: URIRef
    person: URIRef
    area: URIRef
    talkCount: URIRef


class OA(DefinedNamespace):
    """The terms of the W3C Web Annotation vocabulary that mentions use, ``http://www.w3.org/ns/oa#``."""

    _NS = Namespace("http://www.w3.org/ns/oa#")
    _fail = True

    Annotation: URIRef
    SpecificResource: URIRef
    TextPositionSelector: URIRef
    TextQuoteSelector: URIRef
    hasBody: URIRef
    hasTarget: URIRef
    hasSource: URIRef
    hasSelector: URIRef
    start: URIRef
    end: URIRef
    exact: URIRef
    motivatedBy: URIRef
    identifying: URIRef


SCHEMA = Namespace("http://schema.org/")
#: The Unified Astronomy Thesaurus and the Artificial Intelligence Ontology, which our concepts cite.
UAT = Namespace("http://astrothesaurus.org/uat/")
#: The concept scheme of the Unified Astronomy Thesaurus (as its release files name it).
UAT_SCHEME = URIRef(UAT + "1")
AIO = Namespace("https://w3id.org/aio/")
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
#: The scheme of the astronomical objects talks name by their designation (``talkgraph.link.objects``).
OBJECT_SCHEME = URIRef(VOCAB + "object")
#: The scheme of the arXiv subject classes (``ontology/arxiv.ttl``); its concepts are arXiv's listing pages.
ARXIV_SCHEME = URIRef(VOCAB + "arxiv")
#: Base of the scheme given to the concepts of a ``--vocab`` file that declares no
#: skos:ConceptScheme: the file's name follows, e.g. ``.../vocab/file/mine``.
FILE_SCHEMES = VOCAB + "file/"
#: The code list of the cube's concept dimension: each build adds the concepts it counts as members.
LINKED_CONCEPTS = URIRef(VOCAB + "linked-concepts")
#: The code list of the cube's domain dimension (UAT's topics and the domain scheme's): each build adds its own.
LINKED_DOMAINS = URIRef(VOCAB + "linked-domains")
#: The code list of the cube's area dimension (a concept with everything narrower): each build adds its own.
LINKED_AREAS = URIRef(VOCAB + "linked-areas")

DEFAULT_BASE_IRI = "https://w3id.org/talkgraph/id/"
#: The XML namespace of the SPARQL Query Results XML Format.
SPARQL_RESULTS_XML = "http://www.w3.org/2005/sparql-results#"

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
    "oa": str(OA._NS),
    "qb": str(QB),
    "domain": VOCAB + "domain/",
    "method": VOCAB + "method/",
    "software": VOCAB + "software/",
    "facility": VOCAB + "facility/",
    "uat": str(UAT),
    "aio": str(AIO),
}

#: The same prefixes as a SPARQL prologue, for the queries the library itself runs.
SPARQL_PREFIXES = "".join(f"PREFIX {name}: <{namespace}>\n" for name, namespace in PREFIXES.items())


#: The kinds of resource a build mints under its base IRI, each in a folder of its own
#: (``{base}talk/…``); also the data's prefixes, in this order.
MINTED = ("talk", "person", "event", "candidate", "column", "source", "build", "agent", "cube")


def data_prefixes(base_iri: str, *, unused: tuple[str, ...] = ()) -> dict[str, str]:
    """Standard prefixes plus readable ones for the data minted under ``base_iri``."""
    prefixes = dict(PREFIXES)
    for name in MINTED:
        if name not in unused:
            prefixes[name] = mint(base_iri, name, "")
    return prefixes


def mint(base_iri: str, kind: str, local: str) -> str:
    """The IRI of a resource of ``kind`` (one of :data:`MINTED`) that a build makes under ``base_iri``.

    ``local`` is already a slug (made by :mod:`talkgraph.tables.text` and
    :mod:`talkgraph.tables.records`, which this base module cannot import).

    >>> mint("https://example.org/id/", "talk", "deep-sky-surveys")
    'https://example.org/id/talk/deep-sky-surveys'
    >>> mint("https://example.org/id/", "speaker", "ada")
    Traceback (most recent call last):
    ...
    ValueError: no kind of minted IRI named 'speaker' (known: talk, person, event, candidate, column, source, build, agent, cube)
    """
    if kind not in MINTED:
        raise ValueError(f"no kind of minted IRI named {kind!r} (known: {', '.join(MINTED)})")
    return f"{base_iri}{kind}/{local}"


def mention_iri(talk_iri: str, concept_iri: str) -> str:
    """The IRI of the Web Annotation of ``concept_iri`` mentioned in the talk ``talk_iri``.

    A fragment of the talk's IRI, named after the concept (its path under ``VOCAB``;
    for a concept of another vocabulary, a digest of its IRI). The annotation's target
    and selectors append ``-target``, ``-position`` and ``-quote`` to it.

    >>> mention_iri("https://example.org/id/talk/x", VOCAB + "method/u-net")
    'https://example.org/id/talk/x#mention-method-u-net'
    """
    local = concept_iri[len(VOCAB):].replace("/", "-") if concept_iri.startswith(VOCAB) else \
        hashlib.sha1(concept_iri.encode()).hexdigest()[:12]
    return f"{talk_iri}#mention-{local}"


def scheme_name(iri: str) -> str:
    """The short name of a concept scheme: ``"method"`` for the method scheme, ``"uat"`` for the Unified
    Astronomy Thesaurus, else the last segment of its IRI.

    >>> scheme_name(str(SCHEMES["method"])), scheme_name(str(UAT_SCHEME)), scheme_name(VOCAB + "file/mine")
    ('method', 'uat', 'mine')
    """
    return "uat" if iri == str(UAT_SCHEME) else iri.rstrip("/#").rsplit("/", 1)[-1]
