"""The methods of each domain with everything narrower, counted at build time.

``methods-by-domain`` and ``shared-methods`` find a domain's talks as the talks that declare
(``tg:declaresDomain``) or mention the domain or any concept narrower than it
(``skos:broader|skos:broadMatch``, any number of steps), and count, for each ML method, those that
declare or mention it. Asked of the links, that joins every method link of every talk to the
domain's talks (figures in benchmarks/README.md); the build counts the same from the talks it has
just linked, for every astronomy domain that is such an area or broader than one, and the cube
stores the counts (its ``area-method`` data set, :mod:`talkgraph.model.cube`).

One row of bits per area and per method, one bit per talk, as the cube's other pair tables: a
concept's talks are the bits of the areas narrower than it or-ed together, a cell the bits it
shares with a method.

>>> from talkgraph.link.cells import Link
>>> talks = [TalkNode(None, "t:1", "p:a", [Link("d:stars", "domain"), Link("m:rf", "method")]),
...          TalkNode(None, "t:2", "p:b", [Link("d:sun", "domain"), Link("m:rf", "method")])]
>>> sorted(count_area_methods(talks, {"m:rf"}, [("d:sun", "d:stars")], {"d:sun", "d:stars"}).items())
[(('d:stars', 'm:rf'), 2), (('d:sun', 'm:rf'), 1)]
"""

from __future__ import annotations

from collections import Counter
from typing import Container, Iterable, Sequence

from .triples import TalkNode, area_concepts, linked_concepts

__all__ = ["count_area_methods"]


def count_area_methods(talks: Sequence[TalkNode], methods: set[str],
                       broader: Iterable[tuple[str, str]], concepts: Container[str]) -> Counter:
    """(concept, method) → the talks that declare as their domain or mention the concept or a narrower
    one, and declare or mention the method (of ``methods``, the method scheme's concepts).

    ``broader`` gives the (narrower, broader) pairs of the graph. Each of ``concepts`` that an area is,
    or is narrower than, has its cells: the build gives the astronomy domains of the graph (concepts of
    UAT and of the domain scheme that it types ``skos:Concept``), the parameter of the queries that
    read them. With every concept, a method, facility or software named in some talk would have its
    cells too: in the zipf profile nine cells in ten, and half the bundled table's graph.
    """
    size = len(talks) // 8 + 1
    areas: dict[str, bytearray] = {}
    uses: dict[str, bytearray] = {}
    for number, talk in enumerate(talks):
        byte, bit = number >> 3, 1 << (number & 7)
        for iri in area_concepts(talk):
            row = areas.get(iri) or areas.setdefault(iri, bytearray(size))
            row[byte] |= bit
        for iri in linked_concepts(talk) & methods:
            row = uses.get(iri) or uses.setdefault(iri, bytearray(size))
            row[byte] |= bit
    up: dict[str, set[str]] = {}
    for narrower, wider in broader:
        up.setdefault(narrower, set()).add(wider)
    talks_of: dict[str, int] = {}
    for area, row in areas.items():
        bits = int.from_bytes(row, "little")
        for concept in _self_and_broader(area, up):
            if concept in concepts:
                talks_of[concept] = talks_of.get(concept, 0) | bits
    used = [(method, int.from_bytes(row, "little")) for method, row in uses.items()]
    counts: Counter = Counter()
    for concept, bits in talks_of.items():
        for method, of_method in used:
            if shared := (bits & of_method).bit_count():
                counts[concept, method] = shared
    return counts


def _self_and_broader(concept: str, up: dict[str, set[str]]) -> set[str]:
    """``concept`` and every concept broader than it, any number of steps (cycles end)."""
    seen, todo = {concept}, [concept]
    while todo:
        for wider in up.get(todo.pop(), ()):
            if wider not in seen:
                seen.add(wider)
                todo.append(wider)
    return seen
