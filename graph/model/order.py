"""Each talk's and each person's place in the order that listings show them in, written at build time.

Listings show talks by title and people by name, ties broken by IRI. A store that sorts
by a string must compare the strings themselves (Oxigraph reads each one from its
dictionary at every comparison), and every matching talk must be sorted before the
first page is known. So the build writes, for each talk, ``schema:position`` = its rank
(1, 2, …) among all the talks of the graph by (title, IRI), and for each person their
rank by (name, IRI): a query then orders by a small integer, which the store compares
in place, and takes its page before it looks up any title or name
(``queries/README.md``; figures in ``benchmarks/README.md``).

The strings are compared as Python compares them (by code point), the order that
talkgraph used to sort listings in, so the pages are the same as before.

>>> from types import SimpleNamespace
>>> a, b = (TalkNode(SimpleNamespace(title=t), iri, "p:a", []) for t, iri in (("Zeta", "t:1"), ("Alpha", "t:2")))
>>> [(t.subject.value, t.object.value) for t in position_triples([a, b], {"p:a": [("Ann", "", "")]})]
[('t:2', '1'), ('t:1', '2'), ('p:a', '1')]
"""

from __future__ import annotations

from typing import Iterator, Mapping, Sequence

from .. import engine as ox
from ..namespaces import SCHEMA, XSD
from .triples import TalkNode

__all__ = ["position_triples", "listing_order", "POSITION"]

#: The property that holds a talk's or a person's rank in the listings' order.
POSITION = SCHEMA.position


def position_triples(talks: Sequence[TalkNode], people: Mapping[str, Sequence[tuple[str, str, str]]]) \
        -> Iterator[ox.Triple]:
    """``schema:position`` of every talk (by title, then IRI) and every person (by ``schema:name``, then IRI).

    ``people`` maps each person's IRI to their names, the first the one written as
    ``schema:name`` (as :class:`~talkgraph.model.triples.GraphSpec` holds them). A talk met
    twice (the same IRI from two tables) is ranked once, by its first title.
    """
    position, integer = ox.NamedNode(str(POSITION)), ox.NamedNode(str(XSD.integer))
    for ranked in listing_order(talks, people):
        for rank, iri in enumerate(ranked, 1):
            yield ox.Triple(ox.NamedNode(iri), position, ox.Literal(str(rank), datatype=integer))


def listing_order(talks: Sequence[TalkNode], people: Mapping[str, Sequence[tuple[str, str, str]]]) \
        -> tuple[list[str], list[str]]:
    """The IRIs of the talks and of the people in the listings' order: ``schema:position`` 1, 2, …"""
    titles: dict[str, str] = {}
    for talk in talks:
        titles.setdefault(talk.iri, talk.record.title)
    names = {iri: found[0][0] for iri, found in people.items()}
    return ([iri for _, iri in sorted((text, iri) for iri, text in titles.items())],
            [iri for _, iri in sorted((text, iri) for iri, text in names.items())])
