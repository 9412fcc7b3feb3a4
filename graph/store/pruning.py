"""Pages on a large graph: the links index chooses the few rows that can be on the page, the query does the rest.

A query that declares ``# prune:`` has a candidate slot, ``VALUES ?talk { UNDEF }`` (or another
variable), in the parts that find its rows. On the embedded store of a build, with its links index
(:mod:`talkgraph.model.linkindex`), talkgraph fills that slot with the talks or people that can
be on the asked page, and the query runs as written on those only: it computes their scores, their
order and their details itself, so the answer is the query's, row for row. Two kinds of query say so:

**A ranking** (``similar-talks``, ``potential-collaborators``) scores every other talk (person) by
the concepts it shares with the given one, each weighted by one over the talks linked to it, and
rounds the sum to its score unit::

    # prune: other like talk among talks, score unit 0.000001

talkgraph sums those weights in Python, from the index, for every talk that shares a concept (a few
tens of milliseconds for half a million links), and keeps those within three score units of the
last row the page needs (row offset + limit + 1: the extra row says whether another page follows):
any other row scores at least two units lower once rounded, so it cannot reach the page, whatever
the ties. The catalogue checks that the unit is the one the query's ``ROUND`` rounds to.

**A listing** (``talks-by-method``, ``speakers-by-method``, …) lists, in the listings' order, the talks
(people) linked to the concepts that a pattern finds from its parameter::

    # prune: talk among talks linked to ?matched in { VALUES ?concept { UNDEF } ?matched skos:broader* ?concept }

talkgraph asks the store for those concepts (a handful), merges their talks from the index, which
numbers them in the listings' order, and hands the query the first ones: as many as the page needs,
then four times more while the query finds fewer (the index links a talk to every concept it declares
or mentions, not through a subject class; a query may count fewer of those links). The query's rows
among a first stretch of the listing's order are the listing's first rows, so the page is exact as
soon as it is full, or when the stretch is the whole list. The catalogue checks that the pattern is
the query's own, so that the index never finds fewer concepts than the query.

**People by their talks** (``speaker-counts``), most first, then in the listings' order::

    # prune: person among people by talks

The index holds the talks each person gives (the cube's count): the page's people are all who give
more than its last row's person, and the first, in the listings' order, of those who give as many.

A slot only narrows which rows are found, never a count or a weight that other rows depend on.
Without an index (an in-memory store, a graph file, a remote endpoint), with another build's or a
damaged one (:attr:`~talkgraph.store.embedded.EmbeddedStore.index`), for a parameter the index does
not know, when the index fails at query time, or past :data:`MOST_CANDIDATES` rows, the slot stays
``UNDEF`` and the query finds every row itself, as it would in any SPARQL tool.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from heapq import merge, nlargest
from itertools import islice
from typing import Iterator

from .. import engine as ox
from ..errors import TalkgraphError

__all__ = ["Prune", "parse_prune", "candidates", "most_talks", "choices", "index_from_graph", "MOST_CANDIDATES"]

#: The most rows the index hands to the query; a page deeper than that is found by the query alone.
MOST_CANDIDATES = 2000
#: Rows within this many score units of the page's last are kept: float sums in Python differ from the
#: store's decimal sums by far less than a unit, so a row left out rounds to at least two units lower.
MARGIN_UNITS = 3
#: How much longer each next stretch of a listing is, when the query found too few rows in the last.
GROWTH = 4

_RANKING = re.compile(r"^(?P<variable>\w+) like (?P<param>\w+) among (?P<kind>talks|people), "
                      r"score unit (?P<unit>\d+(?:\.\d+)?(?:[eE]-?\d+)?)$")
_BY_TALKS = re.compile(r"^(?P<variable>\w+) among people by talks$")
_LISTING = re.compile(r"^(?P<variable>\w+) among (?P<kind>talks|people) linked to \?(?P<concept>\w+) "
                      r"in (?P<pattern>\{.*\})$")


@dataclass(frozen=True)
class Prune:
    variable: str  # the candidate slot: VALUES ?variable { UNDEF }
    kind: str  # the index's kind: "talks" or "people"
    param: str = ""  # a ranking: the talk or person compared with the others
    unit: float = 0.0  # a ranking: the score is rounded to a multiple of it
    concept: str = ""  # a listing: the variable of the pattern that finds the concepts
    pattern: str = ""  # a listing: a group graph pattern, with the query's parameter slots
    by_talks: bool = False  # people ranked by the talks they give, then in the listings' order


def parse_prune(line: str, source: str) -> Prune:
    """The ``# prune:`` header line's value as a :class:`Prune`.

    >>> parse_prune("other like talk among talks, score unit 0.000001", "q.rq")
    Prune(variable='other', kind='talks', param='talk', unit=1e-06, concept='', pattern='', by_talks=False)
    >>> parse_prune("talk among talks linked to ?c in { VALUES ?m { UNDEF } ?c ?p ?m }", "q.rq").pattern
    '{ VALUES ?m { UNDEF } ?c ?p ?m }'
    """
    line = line.strip()
    if match := _RANKING.match(line):
        if float(match["unit"]) > 0:
            return Prune(match["variable"], match["kind"], param=match["param"], unit=float(match["unit"]))
    elif match := _BY_TALKS.match(line):
        return Prune(match["variable"], "people", by_talks=True)
    elif match := _LISTING.match(line):
        return Prune(match["variable"], match["kind"], concept=match["concept"], pattern=match["pattern"])
    raise TalkgraphError(f"{source}: cannot read '# prune: {line}' (expected '# prune: VARIABLE like PARAMETER "
                         f"among talks|people, score unit NUMBER' for a ranking, '# prune: VARIABLE among "
                         f"talks|people linked to ?CONCEPT in {{ PATTERN }}' for a listing, or '# prune: VARIABLE "
                         f"among people by talks')")


def choices(prune: Prune, backend, bindings: dict, rows: int, prologue: str) \
        -> Iterator[tuple[tuple[ox.NamedNode, ...], bool]]:
    """The candidates to try in turn for the first ``rows`` rows of the query, each with whether it is
    the last try (the page is then exact whatever the query finds); nothing if the index cannot help.
    ``prologue`` is the query's PREFIX lines, for a listing's pattern."""
    index = backend.index
    if index is None or rows > MOST_CANDIDATES:
        return
    if prune.by_talks:
        yield most_talks(index.kinds["people"], rows), True
        return
    if prune.param:
        found = candidates(prune, index, bindings, rows)
        if found is not None:
            yield found, True
        return
    from .parameters import bind_values

    postings = index.kinds[prune.kind]
    pattern = bind_values(f"{prologue}SELECT DISTINCT ?{prune.concept} WHERE {prune.pattern}", bindings)
    concepts = [postings.concept_number(row[0].value) for row in backend.store.query(pattern)
                if isinstance(row[0], ox.NamedNode)]
    lists = [postings.member_numbers(n) for n in concepts if n is not None]
    taken: list[int] = []
    wanted = rows
    for number in merge(*lists):
        if taken and taken[-1] == number:
            continue  # linked to two of the concepts
        if len(taken) == wanted:
            yield tuple(ox.NamedNode(postings.members[n]) for n in taken), False
            if wanted >= MOST_CANDIDATES:
                return  # too few even among the most it hands over
            wanted = min(wanted * GROWTH, MOST_CANDIDATES)
        taken.append(number)
    yield tuple(ox.NamedNode(postings.members[n]) for n in taken), True


def most_talks(people, rows: int) -> tuple[ox.NamedNode, ...]:
    """The first ``rows`` people by the talks they give, most first, then in the listings' order: all who
    give more than the last of them, and the first in that order of those who give as many."""
    given = people.talks
    if len(given) <= rows:
        return tuple(ox.NamedNode(iri) for iri in people.members)
    floor = nlargest(rows, given)[-1]
    above = [n for n, count in enumerate(given) if count > floor]
    tied = islice((n for n, count in enumerate(given) if count == floor), rows - len(above))
    return tuple(ox.NamedNode(people.members[n]) for n in sorted(above + list(tied)))


def candidates(prune: Prune, index, bindings: dict, rows: int) -> tuple[ox.NamedNode, ...] | None:
    """The talks (people) that can be among the first ``rows`` of the ranking of ``bindings[prune.param]``,
    by the index; None when the index cannot say (then the query ranks every row)."""
    if prune.param not in bindings:
        return None
    postings = index.kinds[prune.kind]
    given = postings.number(bindings[prune.param].value)
    if given is None:
        return None
    sums: dict[int, float] = {}
    weights, concepts = index.weights, postings.concepts
    for concept in postings.concept_numbers(given):
        weight, get = 1.0 / weights[concepts[concept]], sums.get
        for member in postings.member_numbers(concept):
            sums[member] = get(member, 0.0) + weight
    sums.pop(given, None)
    if len(sums) > rows:
        floor = nlargest(rows, sums.values())[-1] - MARGIN_UNITS * prune.unit
        kept = [member for member, score in sums.items() if score >= floor]
    else:
        kept = list(sums)
    if len(kept) > MOST_CANDIDATES:
        return None
    return tuple(ox.NamedNode(postings.members[member]) for member in sorted(kept))


def index_from_graph(store: ox.Store):
    """The links index of the graph in ``store``, read from its links, its positions and its cube: what the
    build writes beside its store (:class:`~talkgraph.model.linkindex.LinkIndex`), found by SPARQL, for
    checking a build's index against its graph (tests) and for indexing a graph built without one."""
    from ..model.linkindex import LINK_BITS, LinkIndex, Postings
    from ..namespaces import SPARQL_PREFIXES

    def linked(query: str) -> dict[str, set[str]]:
        found: dict[str, set[str]] = {}
        for member, concept in store.query(SPARQL_PREFIXES + query):
            found.setdefault(member.value, set()).add(concept.value)
        return found

    def ordered(kind: str) -> list[str]:
        return [row[0].value for row in store.query(SPARQL_PREFIXES + f"""
            SELECT ?x WHERE {{ ?x a {kind} ; schema:position ?position }} ORDER BY ?position""")]

    talks = linked("""SELECT DISTINCT ?x ?concept WHERE {
        ?x tg:declaresDomain|tg:declaresMethod|tg:declaresSoftware|tg:declaresKeyword|tg:mentions ?concept }""")
    people = linked("SELECT ?x ?concept WHERE { ?x tg:personConcept ?concept }")
    given = {person.value: int(count.value) for person, count in store.query(SPARQL_PREFIXES + """
        SELECT ?person ?count WHERE { ?cell tg:person ?person ; tg:talkCount ?count }""")}
    weights = {concept.value: int(count.value) for concept, count in store.query(SPARQL_PREFIXES + """
        SELECT ?concept ?count WHERE { ?cell tg:concept ?concept ; tg:talkCount ?count .
                                       FILTER NOT EXISTS { ?cell tg:linkKind ?kind } }""")}
    concepts = sorted(weights)
    build = next((row[0].value for row in store.query(SPARQL_PREFIXES + "SELECT ?b WHERE { ?b a tg:Build }")), "")
    bits: dict[str, dict[str, int]] = {}
    for talk, prop, concept in store.query(SPARQL_PREFIXES + "SELECT ?x ?p ?concept WHERE { VALUES ?p { "
                                           + " ".join(f"tg:{name}" for name in LINK_BITS) + " } ?x ?p ?concept }"):
        mine = bits.setdefault(talk.value, {})
        mine[concept.value] = mine.get(concept.value, 0) | LINK_BITS[prop.value.rpartition("#")[2]]
    titles = {talk.value: title.value for talk, title in store.query(SPARQL_PREFIXES + """
        SELECT ?x ?title WHERE { ?x a tg:Talk ; dcterms:title ?title }""")}
    speakers: dict[str, set[str]] = {}
    for talk, person in store.query(SPARQL_PREFIXES + "SELECT ?x ?p WHERE { ?x a tg:Talk ; tg:speaker ?p }"):
        speakers.setdefault(talk.value, set()).add(person.value)
    names = {person.value: name.value for person, name in store.query(SPARQL_PREFIXES + """
        SELECT ?p ?name WHERE { ?p a schema:Person ; schema:name ?name }""")}
    return LinkIndex.from_links({iri: weights[iri] for iri in concepts},
                                {"talks": Postings.from_sets(talks, ordered("tg:Talk"), concepts),
                                 "people": Postings.from_sets(people, ordered("schema:Person"), concepts, given)},
                                build, bits, titles, speakers, names)
