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
from itertools import chain
from pathlib import Path
from typing import Iterable, Iterator

from .. import engine as ox

from ..link.cells import Candidate, Described, Link
from ..link.mentions import Mention
from ..namespaces import (CANDIDATE_SCHEME, DCTERMS, OA, OBJECT_SCHEME, OWL, PROV, RDF, RDFS, SCHEMA, SCHEMES, SKOS,
                          TG, XSD, mention_iri, mint)
from ..tables.records import Record
from ..tables.text import slugify

__all__ = ["Source", "TalkNode", "GraphSpec", "make_triples", "linked_concepts", "area_concepts", "link_property",
           "concept_hierarchy", "DECLARES"]


def _nodes(namespace, *names: str) -> dict[str, ox.NamedNode]:
    """pyoxigraph terms of ``namespace`` (closed ones raise on a typo), made once."""
    return {name: ox.NamedNode(namespace[name]) for name in names}


RDF_TYPE = ox.NamedNode(RDF.type)
RDFS_LABEL = ox.NamedNode(RDFS.label)
XSD_INTEGER = ox.NamedNode(XSD.integer)
XSD_DATE = ox.NamedNode(XSD.date)
XSD_DATETIME = ox.NamedNode(XSD.dateTime)
T = _nodes(TG, "Talk", "Meeting", "CandidateConcept", "SourceTable", "Build", "speaker", "link", "extraField",
           "declaresKeyword", "declaresDomain", "declaresMethod", "declaresSoftware", "declaresSubjectClass",
           "declaresVia", "declaredDomainText", "declaredMethodText", "declaredKeywordText", "candidateFor",
           "sourceLine", "sha256", "mentions", "inField")
S = _nodes(SCHEMA, "Person", "name", "givenName", "familyName", "alternateName", "superEvent", "startDate",
           "softwareVersion", "encodingFormat")
DCT = _nodes(DCTERMS, "title", "abstract")
_OA = _nodes(OA, "Annotation", "SpecificResource", "TextPositionSelector", "TextQuoteSelector", "hasBody", "hasTarget",
             "hasSource", "hasSelector", "start", "end", "exact", "motivatedBy", "identifying")
FIELD_PROPERTY = {"title": DCT["title"], "abstract": DCT["abstract"]}
_SKOS = _nodes(SKOS, "Concept", "ConceptScheme", "prefLabel", "altLabel", "hiddenLabel", "inScheme", "note", "broader")
_PROV = _nodes(PROV, "Entity", "Activity", "SoftwareAgent", "used", "wasAssociatedWith", "wasDerivedFrom",
               "wasGeneratedBy", "startedAtTime")
OWL_DATATYPE_PROPERTY = ox.NamedNode(OWL.DatatypeProperty)
RDFS_SUBPROPERTY = ox.NamedNode(RDFS.subPropertyOf)

#: Scheme of a linked concept → the property that links a talk to it (any other: tg:declaresKeyword).
#: A concept of the Unified Astronomy Thesaurus is an astronomy topic, as the domain scheme's are.
DECLARES = {"domain": T["declaresDomain"], "method": T["declaresMethod"], "software": T["declaresSoftware"],
            "uat": T["declaresDomain"], "arxiv": T["declaresSubjectClass"]}


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


#: Schemes whose declared concepts are not counted as the talk's own (:func:`linked_concepts`): a subject
#: class is linked by ``tg:declaresSubjectClass``, which the rankings do not follow.
_UNRANKED_SCHEMES = frozenset(scheme for scheme, prop in DECLARES.items() if prop == T["declaresSubjectClass"])


def link_property(link: Link) -> ox.NamedNode:
    """The property that links a talk to the concept of ``link``, one of its declared links."""
    return T["declaresVia"] if link.via else DECLARES.get(link.scheme, T["declaresKeyword"])


def area_concepts(talk: TalkNode) -> set[str]:
    """The concepts ``talk`` declares as its domain (``tg:declaresDomain``) or mentions: the areas that
    ``methods-by-domain`` and ``shared-methods`` find a domain's talks by (with the narrower ones)."""
    found = {mention.concept for mention in talk.mentions}
    found.update(link.iri for link in talk.links if link_property(link) == T["declaresDomain"])
    return found


def linked_concepts(talk: TalkNode) -> set[str]:
    """The concepts ``talk`` is linked to either way: declared by its scheme's property or in a keyword
    column, or mentioned; not through a subject class (``tg:declaresVia``), nor the class itself.
    The rankings weigh a concept by the talks linked to it so (``concept-linked-talks`` of the cube).
    """
    found = {mention.concept for mention in talk.mentions}
    found.update(link.iri for link in talk.links if not link.via and link.scheme not in _UNRANKED_SCHEMES)
    return found


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
    described: Described | None = None  # read after the last talk: the UAT concepts and arXiv classes linked
    settings: tuple[str, ...] = ()  # the options that make a graph other than the defaults would ("mentions: off")

    @property
    def event_iri(self) -> str:
        return mint(self.base_iri, "event", slugify(self.event_name) or "meeting")

    @property
    def build_iri(self) -> str:
        """Names what was built from what: the same version, options and inputs give the same IRI (a build
        with the defaults names none of them, so its IRI is what it was before they were named)."""
        digest = hashlib.sha256("\n".join(
            [self.version, self.base_iri, self.event_name, self.event_date or ""]
            + [s.sha256 for s in self.sources] + list(self.settings)).encode()).hexdigest()
        return mint(self.base_iri, "build", digest[:16])

    @property
    def agent_iri(self) -> str:
        return mint(self.base_iri, "agent", f"talkgraph-{self.version}")

    def source_iri(self, source: Source) -> str:
        return mint(self.base_iri, "source", f"{slugify(source.name)}-{source.sha256[:12]}")


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
    agent = Node(spec.agent_iri)
    yield Triple(build, RDF_TYPE, T["Build"])
    yield Triple(build, RDF_TYPE, _PROV["Activity"])
    yield Triple(build, RDFS_LABEL, _string(f"talkgraph build of {spec.event_name}"))
    yield Triple(build, _PROV["startedAtTime"], ox.Literal(spec.started.isoformat(), datatype=XSD_DATETIME))
    yield Triple(build, _PROV["wasAssociatedWith"], agent)
    source_nodes = {}
    for source in spec.sources:
        node = source_nodes[source.path] = Node(spec.source_iri(source))
        yield Triple(build, _PROV["used"], node)
    yield Triple(agent, RDF_TYPE, _PROV["SoftwareAgent"])
    yield Triple(agent, RDFS_LABEL, _string(f"talkgraph {spec.version}"))
    yield Triple(agent, S["softwareVersion"], _string(spec.version))
    for source in spec.sources:
        node = source_nodes[source.path]
        yield Triple(node, RDF_TYPE, T["SourceTable"])
        yield Triple(node, RDF_TYPE, _PROV["Entity"])
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
        if record.keywords_text:
            yield Triple(node, T["declaredKeywordText"], _string(record.keywords_text))
        for link in talk.links:
            concept = concept_nodes.get(link.iri) or concept_nodes.setdefault(link.iri, Node(link.iri))
            yield Triple(node, link_property(link), concept)
        if talk.mentions:
            yield from _mention_triples(talk, node, spec.evidence, concept_nodes)
        for url in record.links:
            yield Triple(node, T["link"], Node(url))
        for header, value in record.extras.items():
            yield Triple(node, extra_props[header], _string(value))
        yield Triple(node, _PROV["wasDerivedFrom"], source_nodes[record.path])
        yield Triple(node, T["sourceLine"], ox.Literal(str(record.line), datatype=XSD_INTEGER))
        yield Triple(node, _PROV["wasGeneratedBy"], build)

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
        yield Triple(node, RDF_TYPE, _SKOS["Concept"])
        yield Triple(node, RDF_TYPE, T["CandidateConcept"])
        yield Triple(node, _SKOS["prefLabel"], _string(candidate.label))
        yield Triple(node, _SKOS["inScheme"], Node(str(CANDIDATE_SCHEME)))
        yield Triple(node, _SKOS["note"], _string("matched no vocabulary concept; flagged for review"))
        # A candidate of the mixed keywords column could belong to any scheme once reviewed.
        intended = dict.fromkeys(s for column in candidate.intended for s in ([column] if column in SCHEMES else SCHEMES))
        for scheme in intended:
            yield Triple(node, T["candidateFor"], Node(str(SCHEMES[scheme])))

    if spec.described is not None:
        known = set(spec.vocabulary) if spec.described.uat or spec.described.classes else set()
        yield from (t for t in _described_triples(spec.described) if t not in known)

    for header, prop in extra_props.items():
        yield Triple(prop, RDF_TYPE, OWL_DATATYPE_PROPERTY)
        yield Triple(prop, RDFS_LABEL, _string(header))
        yield Triple(prop, RDFS_SUBPROPERTY, T["extraField"])

    yield from spec.vocabulary


def concept_hierarchy(spec: GraphSpec) -> tuple[set[str], list[tuple[str, str]]]:
    """The concepts of the graph (typed ``skos:Concept``), and (narrower, broader) for each ``skos:broader``
    and ``skos:broadMatch`` between concepts it describes: its vocabularies and, once the talks are
    linked, the UAT concepts and classes they link, and the candidates."""
    edges, concept = {_SKOS["broader"], ox.NamedNode(SKOS.broadMatch)}, _SKOS["Concept"]
    described = _described_triples(spec.described) if spec.described is not None else ()
    concepts, pairs = {candidate.iri for candidate in spec.candidates}, []
    for triple in chain(spec.vocabulary, described):
        if triple.predicate in edges:
            pairs.append((triple.subject.value, triple.object.value))
        elif triple.predicate == RDF_TYPE and triple.object == concept:
            concepts.add(triple.subject.value)
    return concepts, pairs


def _described_triples(described: Described) -> Iterator[ox.Triple]:
    """The UAT concepts that talks link, with their labels and scheme (not the whole thesaurus), and the
    arXiv subject classes, with their archives and the scheme: so that the graph describes what it links."""
    Triple, Node = ox.Triple, ox.NamedNode
    schemes: dict[str, None] = {}
    kinds = {"pref": _SKOS["prefLabel"], "alt": _SKOS["altLabel"], "hidden": _SKOS["hiddenLabel"]}
    for iri in sorted(described.uat):
        concept = described.uat[iri]
        node = Node(iri)
        yield Triple(node, RDF_TYPE, _SKOS["Concept"])
        for label in concept.labels:
            yield Triple(node, kinds[label.kind], ox.Literal(label.text, language=label.lang) if label.lang
                         else _string(label.text))
        for broader in concept.broader:
            if broader in described.uat:
                yield Triple(node, _SKOS["broader"], Node(broader))
        for scheme in concept.schemes:
            schemes.setdefault(scheme)
            yield Triple(node, _SKOS["inScheme"], Node(scheme))
    if schemes:
        titles = {s.iri: s for s in described.uat_schemes}
        for scheme in schemes:
            node = Node(scheme)
            yield Triple(node, RDF_TYPE, _SKOS["ConceptScheme"])
            if scheme in titles and titles[scheme].title:
                yield Triple(node, DCT["title"], _string(titles[scheme].title))
            if scheme in titles and titles[scheme].version:
                yield Triple(node, ox.NamedNode(OWL.versionInfo), _string(titles[scheme].version))
    if described.classes:
        yield from described.class_scheme
        for iri in sorted(described.classes):
            yield from described.classes[iri].triples
    for iri in sorted(described.objects):  # the scheme is described by ontology/talkgraph.ttl
        node = Node(iri)
        yield Triple(node, RDF_TYPE, _SKOS["Concept"])
        yield Triple(node, _SKOS["prefLabel"], _string(described.objects[iri]))
        yield Triple(node, _SKOS["inScheme"], Node(str(OBJECT_SCHEME)))


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
        base = mention_iri(talk.iri, concept)
        annotation, target = Node(base), Node(base + "-target")
        position, quote = Node(base + "-position"), Node(base + "-quote")
        yield Triple(annotation, RDF_TYPE, _OA["Annotation"])
        yield Triple(annotation, _OA["motivatedBy"], _OA["identifying"])
        yield Triple(annotation, _OA["hasBody"], Node(concept))
        yield Triple(annotation, _OA["hasTarget"], target)
        yield Triple(target, RDF_TYPE, _OA["SpecificResource"])
        yield Triple(target, _OA["hasSource"], node)
        yield Triple(target, T["inField"], FIELD_PROPERTY[mention.field])
        yield Triple(target, _OA["hasSelector"], position)
        yield Triple(target, _OA["hasSelector"], quote)
        yield Triple(position, RDF_TYPE, _OA["TextPositionSelector"])
        yield Triple(position, _OA["start"], ox.Literal(str(mention.start), datatype=XSD_INTEGER))
        yield Triple(position, _OA["end"], ox.Literal(str(mention.end), datatype=XSD_INTEGER))
        yield Triple(quote, RDF_TYPE, _OA["TextQuoteSelector"])
        yield Triple(quote, _OA["exact"], _string(mention.text))
