"""The statistics of a build, written into its graph as a W3C RDF Data Cube.

Five tables, each a ``qb:DataSet`` with its ``qb:DataStructureDefinition`` and one
``qb:Observation`` per cell that is not zero. The measure of every cell is ``tg:talkCount``,
a number of distinct talks:

=========================  ===================================  =========================================
data set (``cube:…``)      dimensions                           counts the talks that
=========================  ===================================  =========================================
``domain-method``          ``tg:domain``, ``tg:method``         declare the domain and declare or mention
                                                                the method
``method-cooccurrence``    ``tg:method``, ``tg:otherMethod``    declare or mention both methods (each
                                                                pair once: ``tg:method`` sorts first)
``concept-talks``          ``tg:concept``, ``tg:linkKind``      declare (``tg:declaresKeyword``) or
                                                                mention (``tg:mentions``) the concept
``speaker-talks``          ``tg:person``                        the person gives
``concept-linked-talks``   ``tg:concept``                       declare the concept by its scheme's property
                                                                or in a keyword column, or mention it (each
                                                                talk once; not through a subject class)
``area-method``            ``tg:area``, ``tg:method``           declare as their domain or mention the area
                                                                (an astronomy domain) or a narrower
                                                                concept, and declare or mention the method
                                                                (:mod:`.areas`)
=========================  ===================================  =========================================

``concept-linked-talks`` is the rarity weight of the rankings (``queries/similar-talks.rq`` and others): the
talks linked to a concept either way, which the two ways of ``concept-talks`` cannot give (a
talk may do both); ``area-method`` is what ``methods-by-domain`` and ``shared-methods`` rank. Domains and methods are concepts of the domain and method schemes (candidates are not
counted there; ``concept-talks`` counts them). The counts come from the links the build
has just made, not from queries on the graph: that is one pass over the talks instead
of joins over the whole graph (see benchmarks/README.md).

The cube is written in the form that the recommendation's normalization algorithm gives, so
that its integrity constraints hold without inference: every component specification
names its property with ``qb:componentProperty`` as well as ``qb:dimension`` or
``qb:measure``, and every observation is typed ``qb:Observation``. The dimension and
measure properties are declared in ``ontology/talkgraph.ttl``. Observation IRIs are minted
from their dimension values, and everything comes out sorted, so the same talks always
give the same triples.

>>> from talkgraph import build
>>> from talkgraph.namespaces import SPARQL_PREFIXES
>>> rows = build().store.query(SPARQL_PREFIXES + '''
...     SELECT ?talks WHERE { ?cell qb:dataSet ?set ; tg:method method:convolutional-neural-network ;
...                                 tg:otherMethod method:deep-learning ; tg:talkCount ?talks .
...                           ?set rdfs:label "Method co-occurrence" }''')
>>> [row["talks"].value for row in rows]
['3']
"""

from __future__ import annotations

import hashlib
import re
from collections import Counter
from dataclasses import dataclass, field
from itertools import combinations
from typing import Iterator, Mapping, Sequence

from .. import engine as ox

from ..namespaces import LINKED_AREAS, LINKED_CONCEPTS, LINKED_DOMAINS, PROV, QB, RDF, RDFS, SKOS, TG, VOCAB, XSD, mint
from ..vocab.vocabulary import Vocabulary
from .areas import count_area_methods
from .triples import GraphSpec, TalkNode, concept_hierarchy, linked_concepts

__all__ = ["Statistics", "count_statistics", "cube_triples", "statistics_triples", "DATASETS"]

_DECLARED, _MENTIONED = str(TG.declaresKeyword), str(TG.mentions)
#: The schemes whose concepts are dimensions of the pair tables, and the dimension of each: the
#: thesaurus's topics (UAT) are astronomy domains as the domain scheme's are.
DIMENSION_SCHEMES = {"domain": "domain", "uat": "domain", "method": "method"}


@dataclass(frozen=True)
class _Table:
    name: str  # the data set's IRI is ``{base_iri}cube/{name}``
    label: str
    comment: str
    dimensions: tuple[str, ...]  # IRIs of the dimension properties, in the order of the keys of its counts


#: The data sets, in the order they are written.
DATASETS = (
    _Table("domain-method", "Talks per astronomy domain and ML method",
           "Talks that declare the astronomy domain and declare or mention the ML method.",
           (str(TG.domain), str(TG.method))),
    _Table("method-cooccurrence", "Method co-occurrence",
           "Talks that declare or mention both ML methods; each pair once, tg:method sorting before tg:otherMethod.",
           (str(TG.method), str(TG.otherMethod))),
    _Table("concept-talks", "Talks per concept",
           "Talks that declare (tg:declaresKeyword) or mention (tg:mentions) the concept, counted apart.",
           (str(TG.concept), str(TG.linkKind))),
    _Table("speaker-talks", "Talks per speaker", "Talks that the person gives.", (str(TG.person),)),
    _Table("concept-linked-talks", "Talks linked to each concept",
           "Talks that declare the concept (by its scheme's property or in a keyword column, not through a "
           "subject class) or mention it, each talk once: the rarity weight of the rankings.",
           (str(TG.concept),)),
    _Table("area-method", "Talks per astronomy domain, with its narrower concepts, and ML method",
           "Talks that declare as their domain (tg:declaresDomain) or mention the astronomy domain (of UAT or the "
           "domain scheme) or a concept narrower than it "
           "(skos:broader or skos:broadMatch, any number of steps), and declare or mention the ML method.",
           (str(TG.area), str(TG.method))),
)


@dataclass
class Statistics:
    """The talk counts of the six tables, keyed by tuples of their dimension values (IRIs), in the
    order of :data:`DATASETS`.

    >>> from talkgraph.link.cells import Link
    >>> talk = TalkNode(None, "t1", "p1", [Link("d1", "domain"), Link("m1", "method"), Link("m2", "method")])
    >>> stats = count_statistics([talk], {"d1": "domain", "m1": "method", "m2": "method"})
    >>> stats.domain_method["d1", "m2"], stats.cooccurrence["m1", "m2"], stats.speakers["p1",]
    (1, 1, 1)
    """

    domain_method: Counter = field(default_factory=Counter)
    cooccurrence: Counter = field(default_factory=Counter)
    concepts: Counter = field(default_factory=Counter)  # (concept, tg:declaresKeyword or tg:mentions)
    speakers: Counter = field(default_factory=Counter)  # (person,)
    linked: Counter = field(default_factory=Counter)  # (concept,): declared or mentioned, each talk once
    area_method: Counter = field(default_factory=Counter)  # (concept, method): see talkgraph.model.areas

    def tables(self) -> tuple[Counter, ...]:
        return self.domain_method, self.cooccurrence, self.concepts, self.speakers, self.linked, self.area_method


def count_statistics(talks: Sequence[TalkNode], schemes: Mapping[str, str]) -> Statistics:
    """Count the talks of each cell of the first five tables (the sixth is :func:`.areas.count_area_methods`'s).

    ``schemes`` gives the scheme (``"domain"``, ``"method"``, …) of each concept of the vocabularies.
    The pairs are counted with one bit per talk for each domain and method: a cell is the number
    of bits that two concepts share. That costs one
    operation per pair of concepts in use, on whole bit strings, rather than one per pair that
    each talk makes, which grows with the square of the methods a talk names.
    """
    stats = Statistics()
    size = len(talks) // 8 + 1
    # One row of bits for each domain and method of the vocabularies: talks set their bit in the
    # rows of the concepts they declare, and methods' rows also for the concepts they mention.
    # Candidates are in no vocabulary, so in no row.
    dimension = {iri: DIMENSION_SCHEMES[of] for iri, of in schemes.items() if of in DIMENSION_SCHEMES}
    rows: dict[str, dict[str, bytearray]] = {"domain": {}, "method": {}}  # a row for each concept in use
    methods = rows["method"]
    declared, mentioned, either = [], [], []
    for number, talk in enumerate(talks):
        byte, bit = number >> 3, 1 << (number & 7)
        linked = {link.iri for link in talk.links}
        found = {mention.concept for mention in talk.mentions}
        for iri in linked:
            if iri in dimension:
                row = rows[dimension[iri]].get(iri)
                if row is None:
                    row = rows[dimension[iri]][iri] = bytearray(size)
                row[byte] |= bit
        for iri in found:
            if dimension.get(iri) == "method":
                row = methods.get(iri)
                if row is None:
                    row = methods[iri] = bytearray(size)
                row[byte] |= bit
        declared.extend(linked)
        mentioned.extend(found)
        either.extend(linked_concepts(talk))
    stats.speakers.update((talk.person_iri,) for talk in talks)
    stats.concepts.update({(concept, _DECLARED): n for concept, n in Counter(declared).items()})
    stats.concepts.update({(concept, _MENTIONED): n for concept, n in Counter(mentioned).items()})
    stats.linked.update((concept,) for concept in either)
    domain_bits, method_bits = ([(iri, int.from_bytes(row, "little")) for iri, row in sorted(rows[name].items())]
                                for name in ("domain", "method"))
    for domain, talks_of_domain in domain_bits:
        for method, talks_of_method in method_bits:
            if shared := (talks_of_domain & talks_of_method).bit_count():
                stats.domain_method[domain, method] = shared
    for (first, first_bits), (other, other_bits) in combinations(method_bits, 2):
        if shared := (first_bits & other_bits).bit_count():
            stats.cooccurrence[first, other] = shared
    return stats


def statistics_triples(spec: GraphSpec, talks: list[TalkNode], vocab: Vocabulary) -> Iterator[ox.Triple]:
    """The cube of ``talks``, counted only when its first triple is asked for.

    The build chains it after :func:`~talkgraph.model.triples.make_triples`, which links the talks
    as it goes and collects them in ``talks``: by then the list is complete.
    """
    schemes = {iri: concept.scheme for iri, concept in vocab.concepts.items()}
    stats = count_statistics(talks, schemes)
    methods = {iri for iri, scheme in schemes.items() if scheme == "method"}
    concepts, broader = concept_hierarchy(spec)
    domains = {iri for iri in concepts if DIMENSION_SCHEMES.get(schemes.get(iri, "")) == "domain"}
    stats.area_method = count_area_methods(talks, methods, broader, domains)
    yield from cube_triples(stats, base_iri=spec.base_iri, build_iri=spec.build_iri)


def cube_triples(stats: Statistics, *, base_iri: str, build_iri: str) -> Iterator[ox.Triple]:
    """The data sets, their structures and their observations, in a fixed order."""
    Triple, Node = ox.Triple, ox.NamedNode
    a, integer = Node(str(RDF.type)), Node(str(XSD.integer))
    count = Node(str(TG.talkCount))
    in_set, observation = Node(str(QB.dataSet)), Node(str(QB.Observation))
    build = Node(build_iri)
    keys = _Keys(base_iri)
    for table, counts in zip(DATASETS, stats.tables()):
        dataset = Node(mint(base_iri, "cube", table.name))
        yield from _structure(table, dataset, build, base_iri)
        dimensions = [Node(d) for d in table.dimensions]
        nodes: dict[str, ox.NamedNode] = {}
        for cell in sorted(counts):
            values = [nodes.get(v) or nodes.setdefault(v, Node(v)) for v in cell]
            node = Node(mint(base_iri, "cube", ".".join([table.name, *(keys[v] for v in cell)])))
            yield Triple(node, a, observation)
            yield Triple(node, in_set, dataset)
            for dimension, value in zip(dimensions, values):
                yield Triple(node, dimension, value)
            yield Triple(node, count, ox.Literal(str(counts[cell]), datatype=integer))
    member, collection = Node(str(SKOS.member)), Node(str(LINKED_CONCEPTS))
    for concept in sorted({concept for concept, _ in stats.concepts}):
        yield Triple(collection, member, Node(concept))
    domains = Node(str(LINKED_DOMAINS))
    for domain in sorted({domain for domain, _ in stats.domain_method}):
        yield Triple(domains, member, Node(domain))
    areas = Node(str(LINKED_AREAS))
    for area in sorted({area for area, _ in stats.area_method}):
        yield Triple(areas, member, Node(area))


def _structure(table: _Table, dataset: ox.NamedNode, build: ox.NamedNode, base_iri: str) -> Iterator[ox.Triple]:
    Triple, Node = ox.Triple, ox.NamedNode
    a, label = Node(str(RDF.type)), Node(str(RDFS.label))
    structure = Node(mint(base_iri, "cube", f"{table.name}_structure"))
    yield Triple(dataset, a, Node(str(QB.DataSet)))
    yield Triple(dataset, label, ox.Literal(table.label))
    yield Triple(dataset, Node(str(RDFS.comment)), ox.Literal(table.comment))
    yield Triple(dataset, Node(str(QB.structure)), structure)
    yield Triple(dataset, Node(str(PROV.wasGeneratedBy)), build)
    yield Triple(structure, a, Node(str(QB.DataStructureDefinition)))
    components = [(QB.dimension, d) for d in table.dimensions] + [(QB.measure, str(TG.talkCount))]
    specs = [Node(mint(base_iri, "cube", f"{table.name}_{prop.rsplit('#', 1)[-1]}")) for _, prop in components]
    for spec in specs:
        yield Triple(structure, Node(str(QB.component)), spec)
    for order, ((kind, prop), spec) in enumerate(zip(components, specs), 1):
        yield Triple(spec, a, Node(str(QB.ComponentSpecification)))
        yield Triple(spec, Node(str(kind)), Node(prop))
        yield Triple(spec, Node(str(QB.componentProperty)), Node(prop))
        yield Triple(spec, Node(str(QB.order)), ox.Literal(str(order), datatype=Node(str(XSD.integer))))


class _Keys(dict):
    """The readable, unique key of each dimension value in an observation's IRI
    (``{base_iri}cube/{data set}.{key}.{key}``; its structure and components are ``{data set}_…``).

    ``…/vocab/method/deep-learning`` → ``method-deep-learning``, ``{base}candidate/x`` →
    ``candidate-x``, ``tg:mentions`` → ``mentions``; anything else, or a segment already taken by
    another value, a digest of the IRI.
    """

    _SAFE = re.compile(r"[A-Za-z0-9-]+")  # never "." nor "_", which separate

    def __init__(self, base_iri: str):
        super().__init__()
        self.base_iri = base_iri
        self.taken: set[str] = set()

    def __missing__(self, iri: str) -> str:
        for root in (VOCAB, self.base_iri, str(TG._NS)):
            if iri.startswith(root):
                key = iri[len(root):].replace("/", "-")
                break
        else:
            key = ""
        if not self._SAFE.fullmatch(key) or key in self.taken:
            key = hashlib.sha1(iri.encode()).hexdigest()[:12]
        self.taken.add(key)
        self[iri] = key
        return key
