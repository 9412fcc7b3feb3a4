"""Rankings on a large graph: the index finds the few rows that can reach the page, the query ranks them.

A ranking that declares ``# prune:`` (``similar-talks``, ``potential-collaborators``) scores every
other talk or person by the concepts it shares with the given one, each weighted by one over the
talks linked to it, and rounds the sum to its score unit. On the embedded store of a build, with its
index (:mod:`talkgraph.model.rankindex`), talkgraph first computes those sums in Python, from the
index, for every talk that shares a concept (a few tens of milliseconds for half a million links),
and keeps those within three score units of the last row the page needs: any other row scores at
least two units lower once rounded, so it cannot reach the page, whatever the ties. The query then
runs as written, with its candidate slot ``VALUES ?other { UNDEF }`` holding the kept rows, and
computes their scores, their order and their details itself: the answer is the query's, row for row.

Without an index (an in-memory store, a graph file, a remote endpoint), when the page lies so deep
that more than :data:`MOST_CANDIDATES` rows would be kept, or when the parameter is unknown to the
index, the query runs on every row as it always does.

The header line reads ``# prune: other like talk among talks, score unit 0.000001``: the candidate
variable, the parameter it is compared with, the index's kind (``talks`` or ``people``) and the unit
the score is rounded to.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from heapq import nlargest

from .. import engine as ox
from ..errors import TalkgraphError

__all__ = ["Prune", "parse_prune", "candidates", "index_from_graph", "MOST_CANDIDATES"]

#: The most rows the index hands to the query; a page deeper than that is ranked by the query alone.
MOST_CANDIDATES = 2000
#: Rows within this many score units of the page's last are kept: float sums in Python differ from the
#: store's decimal sums by far less than a unit, so a row left out rounds to at least two units lower.
MARGIN_UNITS = 3

_PRUNE = re.compile(r"^(?P<variable>\w+) like (?P<param>\w+) among (?P<kind>talks|people), "
                    r"score unit (?P<unit>\d+(?:\.\d+)?(?:[eE]-?\d+)?)$")


@dataclass(frozen=True)
class Prune:
    variable: str  # the candidate slot: VALUES ?variable { UNDEF }
    param: str  # the talk or person compared with the others
    kind: str  # the index's kind: "talks" or "people"
    unit: float  # the score is rounded to a multiple of it


def parse_prune(line: str, source: str) -> Prune:
    """The ``# prune:`` header line's value as a :class:`Prune`.

    >>> parse_prune("other like talk among talks, score unit 0.000001", "q.rq")
    Prune(variable='other', param='talk', kind='talks', unit=1e-06)
    """
    match = _PRUNE.match(line.strip())
    if not match or float(match["unit"]) <= 0:
        raise TalkgraphError(f"{source}: cannot read '# prune: {line}' (expected '# prune: VARIABLE like "
                             f"PARAMETER among talks|people, score unit NUMBER')")
    return Prune(match["variable"], match["param"], match["kind"], float(match["unit"]))


def candidates(prune: Prune, index, bindings: dict, rows: int) -> tuple[ox.NamedNode, ...] | None:
    """The talks (people) that can be among the first ``rows`` of the ranking of ``bindings[prune.param]``,
    by the index; None when the index cannot say (then the query ranks every row)."""
    if index is None or prune.param not in bindings:
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
    """The rankings' index of the graph in ``store``, read from its links and its cube: what the build
    writes beside its store (:class:`~talkgraph.model.rankindex.RankingIndex`), found by SPARQL, for
    checking a build's index against its graph (tests) and for indexing a graph built without one."""
    from ..model.rankindex import Postings, RankingIndex
    from ..namespaces import SPARQL_PREFIXES

    talks: dict[str, set[str]] = {}
    for talk, concept in store.query(SPARQL_PREFIXES + """SELECT DISTINCT ?talk ?concept WHERE {
            ?talk tg:declaresDomain|tg:declaresMethod|tg:declaresSoftware|tg:declaresKeyword|tg:mentions ?concept }"""):
        talks.setdefault(talk.value, set()).add(concept.value)
    people: dict[str, set[str]] = {}
    for person, concept in store.query(SPARQL_PREFIXES + "SELECT ?person ?concept WHERE { ?person tg:personConcept ?concept }"):
        people.setdefault(person.value, set()).add(concept.value)
    weights = {concept.value: int(count.value) for concept, count in store.query(SPARQL_PREFIXES + """
        SELECT ?concept ?count WHERE { ?cell tg:concept ?concept ; tg:talkCount ?count .
                                       FILTER NOT EXISTS { ?cell tg:linkKind ?kind } }""")}
    concepts = sorted(weights)
    return RankingIndex({iri: weights[iri] for iri in concepts},
                        {"talks": Postings.from_sets(talks, concepts), "people": Postings.from_sets(people, concepts)})
