"""Each person's methods and domains, written at build time as direct links (``tg:personConcept``).

``queries/potential-collaborators.rq`` compares people by the ML methods and astronomy domains
(of the domain scheme) that their talks declare or mention. Found through the talks, that is every
link of every talk of every other person that shares one of them, joined to its speaker and kept
once per person and concept; a person's concepts, once each, are several times fewer rows
(figures in benchmarks/README.md). The build knows them already: the talks it has just linked.

A concept counts for a person as it counts for a talk in the weights of the rankings
(:func:`~talkgraph.model.triples.linked_concepts`): declared by its scheme's property or
mentioned, not through a subject class. Candidates are in no scheme, so never counted.

>>> from types import SimpleNamespace
>>> from talkgraph.link.cells import Link
>>> talks = [TalkNode(None, "t:1", "p:a", [Link("m:1", "method"), Link("f:1", "facility")]),
...          TalkNode(None, "t:2", "p:a", [Link("m:1", "method"), Link("d:1", "domain")])]
>>> vocab = SimpleNamespace(concepts={iri: SimpleNamespace(scheme=scheme) for iri, scheme in
...                                   (("m:1", "method"), ("d:1", "domain"), ("f:1", "facility"))})
>>> [(t.subject.value, t.object.value) for t in person_concept_triples(talks, vocab)]
[('p:a', 'd:1'), ('p:a', 'm:1')]
"""

from __future__ import annotations

from typing import Iterator, Sequence

from .. import engine as ox
from ..namespaces import TG
from ..vocab.vocabulary import Vocabulary
from .triples import TalkNode, linked_concepts

__all__ = ["person_concept_triples", "person_concepts", "PERSON_SCHEMES"]

#: The schemes whose concepts a person is linked to: those potential-collaborators compares.
PERSON_SCHEMES = frozenset({"method", "domain"})


def person_concept_triples(talks: Sequence[TalkNode], vocab: Vocabulary) -> Iterator[ox.Triple]:
    """``person tg:personConcept concept`` for each method and domain (of :data:`PERSON_SCHEMES`) of
    ``vocab`` that one of the person's talks declares or mentions, sorted by person, then concept.

    A generator: the build chains it after the talks are linked, so ``talks`` is complete when its
    first triple is asked for.
    """
    concepts = person_concepts(talks, vocab)
    prop, nodes = ox.NamedNode(str(TG.personConcept)), {}
    for person in sorted(concepts):
        node = ox.NamedNode(person)
        for concept in sorted(concepts[person]):
            yield ox.Triple(node, prop, nodes.get(concept) or nodes.setdefault(concept, ox.NamedNode(concept)))


def person_concepts(talks: Sequence[TalkNode], vocab: Vocabulary) -> dict[str, set[str]]:
    """Each person's methods and domains (of :data:`PERSON_SCHEMES`), as ``tg:personConcept`` links them."""
    kept = {iri for iri, concept in vocab.concepts.items() if concept.scheme in PERSON_SCHEMES}
    concepts: dict[str, set[str]] = {}
    for talk in talks:
        concepts.setdefault(talk.person_iri, set()).update(linked_concepts(talk) & kept)
    return concepts
