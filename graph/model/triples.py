"""Making RDF triples from records: the only module that decides the shape of the graph.

Triples are pyoxigraph terms, emitted in a fixed order (meeting, provenance,
talks in table order, people, candidates, extra columns, then the bundled
vocabularies), each exactly once. The same records therefore always give the
same sequence, and serialisers can stream it without sorting.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Iterable, Iterator

from .. import engine as ox

from ..link.cells import Candidate, Link
from ..link.mentions import Mention
from ..namespaces import CANDIDATE_SCHEME, PREFIXES, SCHEMES, VOCAB
from ..tables.records import Record
from ..tables.text import slugify

__all__ = ["Source", "TalkNode", "GraphSpec", "make_triples", "DECLARES"]



def _iri(prefix: str, local: str) -> ox.NamedNode:
    return ox.NamedNode(PREFIXES[prefix] + local)


RDF_TYPE = _iri("rdf", "type")
RDFS_LABEL = _iri("rdfs", "label")
XSD_INTEGER = _iri("xsd", "integer")
XSD_DATE = _iri("xsd", "date")
XSD_DATETIME = _iri("xsd", "dateTime")
T = {name: _iri("tg", name) for name in (
    "Talk", "Meeting", "CandidateConcept", "SourceTable", "Build", "speaker", "link", "extraField",
    "declaresKeyword", "declaresDomain", "declaresMethod", "declaresSoftware", "declaredDomainText",
    "declaredMethodText", "candidateFor", "sourceLine", "sha256", "mentions", "inField")}
S = {name: _iri("schema", name) for name in (
    "Person", "name", "givenName", "familyName", "alternateName", "superEvent", "startDate",
    "softwareVersion", "encodingFormat")}
DCT = {name: _iri("dcterms", name) for name in ("title", "abstract")}
OA = {name: _iri("oa", name) for name in (
    "Annotation", "SpecificResource", "TextPositionSelector", "TextQuoteSelector", "hasBody", "hasTarget",
    "hasSource", "hasSelector", "start", "end", "exact", "motivatedBy", "identifying")}
FIELD_PROPERTY = {"title": DCT["title"], "abstract": DCT["abstract"]}
SKOS = {name: _iri("skos", name) for name in ("Concept", "prefLabel", "inScheme", "note")}
PROV = {name: _iri("prov", name) for name in (
    "Entity", "Activity", "SoftwareAgent", "used", "wasAssociatedWith", "wasDerivedFrom", "wasGeneratedBy",
    "startedAtTime")}
OWL_DATATYPE_PROPERTY = _iri("owl", "DatatypeProperty")
RDFS_SUBPROPERTY = _iri("rdfs", "subPropertyOf")

#: Scheme of a linked concept → the property that links a talk to it.
DECLARES = {"domain": T["declaresDomain"], "method": T["declaresMethod"], "software": T["declaresSoftware"]}


@dataclass(frozen=True)
class Source:
    """An input file, identified by its name and content digest (not its absolute path)."""

    path: str
    sha256: str
    media_type: str

    @property
    def name(self) -> str:
        return Path(self.path).name


@dataclass
class TalkNode:
    """A record with everything it needs to become triples."""

    record: Record
    iri: str
    person_iri: str
    links: list[Link]
    mentions: list[Mention] = field(default_factory=list)


@dataclass
class GraphSpec:
    base_iri: str
    event_name: str
    event_date: str | None
    started: datetime
    version: str
    sources: list[Source]
    talks: Iterable[TalkNode]  # read once, in order: may be a generator that links talks as they are asked for
    people: dict[str, list[tuple[str, str, str]]]  # person IRI → distinct (full, given, family), first first
    candidates: Iterable[Candidate]  # read after the last talk
    extra_columns: dict[str, str]  # header → property IRI
    vocabulary: list[ox.Triple] = field(default_factory=list)
    evidence: bool = True  # a Web Annotation for each mention, or the tg:mentions links alone

    @property
    def event_iri(self) -> str:
        return f"{self.base_iri}event/{slugify(self.event_name) or 'meeting'}"

    @property
    def build_iri(self) -> str:
        digest = hashlib.sha256("\n".join(
            [self.version, self.base_iri, self.event_name, self.event_date or ""]
            + [s.sha256 for s in self.sources]).encode()).hexdigest()
        return f"{self.base_iri}build/{digest[:16]}"

    def source_iri(self, source: Source) -> str:
        return f"{self.base_iri}source/{slugify(source.name)}-{source.sha256[:12]}"


def _string(value: str) -> ox.Literal:
    return ox.Literal(value)


def make_triples(spec: GraphSpec) -> Iterator[ox.Triple]:
    """All triples of the graph, in a deterministic order and without duplicates.

    A generator: the build serialises it straight to N-Triples, so the triples of
    100,000 talks never sit in memory as Python objects at once.
    """
    Triple, Node = ox.Triple, ox.NamedNode

    meeting = Node(spec.event_iri)
    yield Triple(meeting, RDF_TYPE, T["Meeting"])
    yield Triple(meeting, S["name"], _string(spec.event_name))
    if spec.event_date:
        yield Triple(meeting, S["startDate"], ox.Literal(spec.event_date, datatype=XSD_DATE))

    build = Node(spec.build_iri)
    agent = Node(f"{spec.base_iri}agent/talkgraph-{spec.version}")
    yield Triple(build, RDF_TYPE, T["Build"])
    yield Triple(build, RDF_TYPE, PROV["Activity"])
    yield Triple(build, RDFS_LABEL, _string(f"talkgraph build of {spec.event_name}"))
    yield Triple(build, PROV["startedAtTime"], ox.Literal(spec.started.isoformat(), datatype=XSD_DATETIME))
    yield Triple(build, PROV["wasAssociatedWith"], agent)
    source_nodes = {}
    for source in spec.sources:
        node = source_nodes[source.path] = Node(spec.source_iri(source))
        yield Triple(build, PROV["used"], node)
    yield Triple(agent, RDF_TYPE, PROV["SoftwareAgent"])
    yield Triple(agent, RDFS_LABEL, _string(f"talkgraph {spec.version}"))
    yield Triple(agent, S["softwareVersion"], _string(spec.version))
    for source in spec.sources:
        node = source_nodes[source.path]
        yield Triple(node, RDF_TYPE, T["SourceTable"])
        yield Triple(node, RDF_TYPE, PROV["Entity"])
        yield Triple(node, S["name"], _string(source.name))
        yield Triple(node, S["encodingFormat"], _string(source.media_type))
        yield Triple(node, T["sha256"], _string(source.sha256))

    extra_props = {header: Node(iri) for header, iri in spec.extra_columns.items()}
    concept_nodes: dict[str, ox.NamedNode] = {}
    for talk in spec.talks:
        record = talk.record
        node = Node(talk.iri)
        yield Triple(node, RDF_TYPE, T["Talk"])
        yield Triple(node, DCT["title"], _string(record.title))
        yield Triple(node, T["speaker"], Node(talk.person_iri))
        yield Triple(node, S["superEvent"], meeting)
        if record.abstract:
            yield Triple(node, DCT["abstract"], _string(record.abstract))
        if record.domains_text:
            yield Triple(node, T["declaredDomainText"], _string(record.domains_text))
        if record.methods_text:
            yield Triple(node, T["declaredMethodText"], _string(record.methods_text))
        for link in talk.links:
            concept = concept_nodes.get(link.iri) or concept_nodes.setdefault(link.iri, Node(link.iri))
            yield Triple(node, DECLARES.get(link.scheme, T["declaresKeyword"]), concept)
        if talk.mentions:
            yield from _mention_triples(talk, node, spec.evidence, concept_nodes)
        for url in record.links:
            yield Triple(node, T["link"], Node(url))
        for header, value in record.extras.items():
            yield Triple(node, extra_props[header], _string(value))
        yield Triple(node, PROV["wasDerivedFrom"], source_nodes[record.path])
        yield Triple(node, T["sourceLine"], ox.Literal(str(record.line), datatype=XSD_INTEGER))
        yield Triple(node, PROV["wasGeneratedBy"], build)

    for person_iri, names in spec.people.items():
        node = Node(person_iri)
        full, given, family = names[0]
        yield Triple(node, RDF_TYPE, S["Person"])
        yield Triple(node, S["name"], _string(full))
        if given:
            yield Triple(node, S["givenName"], _string(given))
        if family:
            yield Triple(node, S["familyName"], _string(family))
        for other in dict.fromkeys(n[0] for n in names[1:] if n[0] != full):
            yield Triple(node, S["alternateName"], _string(other))

    for candidate in spec.candidates:
        node = Node(candidate.iri)
        yield Triple(node, RDF_TYPE, SKOS["Concept"])
        yield Triple(node, RDF_TYPE, T["CandidateConcept"])
        yield Triple(node, SKOS["prefLabel"], _string(candidate.label))
        yield Triple(node, SKOS["inScheme"], Node(str(CANDIDATE_SCHEME)))
        yield Triple(node, SKOS["note"], _string("matched no vocabulary concept; flagged for review"))
        for scheme in candidate.intended:
            yield Triple(node, T["candidateFor"], Node(str(SCHEMES[scheme])))

    for header, prop in extra_props.items():
        yield Triple(prop, RDF_TYPE, OWL_DATATYPE_PROPERTY)
        yield Triple(prop, RDFS_LABEL, _string(header))
        yield Triple(prop, RDFS_SUBPROPERTY, T["extraField"])

    yield from spec.vocabulary


def _mention_triples(talk: TalkNode, node: ox.NamedNode, evidence: bool,
                     concept_nodes: dict[str, ox.NamedNode]) -> Iterator[ox.Triple]:
    """``tg:mentions`` links, and a W3C Web Annotation holding the evidence of each.

    One annotation per mentioned concept, targeting its first occurrence: the field
    (``tg:inField``), the character offsets (``oa:TextPositionSelector``, code points
    into the stored plain text) and the words (``oa:TextQuoteSelector``).
    """
    Triple, Node = ox.Triple, ox.NamedNode
    first: dict[str, Mention] = {}
    for mention in talk.mentions:
        first.setdefault(mention.concept, mention)
    mentions = T["mentions"]
    for concept in first:
        yield Triple(node, mentions, concept_nodes.get(concept) or concept_nodes.setdefault(concept, Node(concept)))
    if not evidence:
        return
    for concept, mention in first.items():
        local = concept[len(VOCAB):].replace("/", "-") if concept.startswith(VOCAB) else \
            hashlib.sha1(concept.encode()).hexdigest()[:12]
        base = f"{talk.iri}#mention-{local}"
        annotation, target = Node(base), Node(base + "-target")
        position, quote = Node(base + "-position"), Node(base + "-quote")
        yield Triple(annotation, RDF_TYPE, OA["Annotation"])
        yield Triple(annotation, OA["motivatedBy"], OA["identifying"])
        yield Triple(annotation, OA["hasBody"], Node(concept))
        yield Triple(annotation, OA["hasTarget"], target)
        yield Triple(target, RDF_TYPE, OA["SpecificResource"])
        yield Triple(target, OA["hasSource"], node)
        yield Triple(target, T["inField"], FIELD_PROPERTY[mention.field])
        yield Triple(target, OA["hasSelector"], position)
        yield Triple(target, OA["hasSelector"], quote)
        yield Triple(position, RDF_TYPE, OA["TextPositionSelector"])
        yield Triple(position, OA["start"], ox.Literal(str(mention.start), datatype=XSD_INTEGER))
        yield Triple(position, OA["end"], ox.Literal(str(mention.end), datatype=XSD_INTEGER))
        yield Triple(quote, RDF_TYPE, OA["TextQuoteSelector"])
        yield Triple(quote, OA["exact"], _string(mention.text))
