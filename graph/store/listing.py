"""Every row of a listing from the links index: ``talkgraph query talks-by-method --all`` at 100,000 talks.

A talk listing (``talks-by-method``, ``talks-by-domain``, ``talks-mentioning``) lists, in the listings'
order, the talks linked to the concepts that a pattern finds from its parameter, with each talk's
title, its speakers' names, the labels of the concepts it matched and how it was linked to them
("declared", "mentioned"); a person listing (``speakers-by-method``) the people linked to them, with
their names and the domains their talks declare. Streamed whole by the store, the 70,000 rows of
``talks-by-method`` at 100,000 talks take about 3 s: the store looks up every row's title, names and
labels. The build has all of these at hand, so it writes them beside its links index
(``talks.links.bin``: the properties of each link; ``talks.details.tsv``: each talk's title and
speakers' names; ``people.details.tsv``: each person's name and talks;
:mod:`talkgraph.model.linkindex`), and a listing streamed whole reads its rows there: the store finds
the concepts and their labels, as the query does, the index the talks or people and their details.

The index can answer only a query it understands, so a listing streams from it only when its text
is :data:`TEMPLATE` (or :data:`PERSON_TEMPLATE`) with its slots filled (the patterns that find the
concepts, the variable they bind, the properties that count as declared, the name of the matched
column), comments and spacing aside; any other query, however like it, is answered by the store.
The catalogue's listings are written so (a test checks it), and a test compares every row both ways.
"""

from __future__ import annotations

import re
from bisect import bisect_left
from functools import cache
from typing import Iterator

from .. import engine as ox
from ..model.linkindex import LINK_BITS, details
from .catalogue import LIST_SEPARATOR, NamedQuery
from .parameters import bind_values
from .querycheck import declared_prefixes, first_keyword, spaced

__all__ = ["TEMPLATE", "PERSON_TEMPLATE", "ListingShape", "listing_shape", "index_rows"]

#: A talk listing, as the catalogue writes it: ``{pattern}`` finds the concepts (bound to
#: ``?{concept}``) from the query's parameter, ``{declared}`` are the properties, ``|``-separated,
#: that link a talk to a concept it declares, ``{matched}`` is the name of the column of labels.
TEMPLATE = """
SELECT ?talk ?title (GROUP_CONCAT(DISTINCT ?name; separator="; ") AS ?speakers)
       (GROUP_CONCAT(DISTINCT STR(?label); separator="; ") AS ?{matched})
       (GROUP_CONCAT(DISTINCT ?how; separator="; ") AS ?linked) WHERE {
  {
    SELECT ?talk ?position WHERE {
      VALUES ?talk { UNDEF }
      { SELECT DISTINCT ?talk WHERE {
          VALUES ?talk { UNDEF }
          { SELECT ?{concept} WHERE {pattern} }
          ?talk {declared}|tg:mentions ?{concept} } }
      ?talk schema:position ?position .
    }
    ORDER BY ?position
  }
  {
    SELECT ?talk ?{concept} ?how WHERE {
      VALUES ?talk { UNDEF }
      { SELECT ?{concept} WHERE {pattern} }
      { ?talk {declared} ?{concept} . BIND("declared" AS ?how) }
      UNION
      { ?talk tg:mentions ?{concept} . BIND("mentioned" AS ?how) }
    }
  }
  ?talk dcterms:title ?title .
  OPTIONAL { ?talk tg:speaker ?speaker . ?speaker schema:name ?name }
  ?{concept} skos:prefLabel ?label . FILTER NOT EXISTS { ?{concept} skos:prefLabel ?label_plainer FILTER(STRLEN(LANG(?label_plainer)) < STRLEN(LANG(?label))) }
}
GROUP BY ?talk ?title ?position
ORDER BY ?position
"""
#: A person listing, as the catalogue writes it: the people linked (``tg:personConcept``) to the concepts
#: ``{pattern}`` finds, who give a talk linked by ``{declared}`` or ``tg:mentions`` to those that
#: ``{links_pattern}`` finds, with the labels of the domains those talks declare.
PERSON_TEMPLATE = """
SELECT ?speaker ?name (GROUP_CONCAT(DISTINCT STR(?domain_label); separator="; ") AS ?{matched}) WHERE {
  {
    SELECT ?speaker ?position WHERE {
      VALUES ?speaker { UNDEF }
      { SELECT DISTINCT ?speaker WHERE {
          VALUES ?speaker { UNDEF }
          { SELECT ?{concept} WHERE {pattern} }
          ?speaker tg:personConcept ?{concept} } }
      ?speaker schema:position ?position .
    }
    ORDER BY ?position
  }
  ?speaker schema:name ?name .
  {
    SELECT DISTINCT ?speaker ?talk WHERE {
      VALUES ?speaker { UNDEF }
      { SELECT ?{concept} WHERE {links_pattern} }
      ?talk {declared}|tg:mentions ?{concept} ; tg:speaker ?speaker .
    }
  }
  OPTIONAL { ?talk tg:declaresDomain ?domain . ?domain skos:prefLabel ?domain_label . FILTER NOT EXISTS { ?domain skos:prefLabel ?domain_label_plainer FILTER(STRLEN(LANG(?domain_label_plainer)) < STRLEN(LANG(?domain_label))) } }
}
GROUP BY ?speaker ?name ?position
ORDER BY ?position
"""
#: The labels of concepts by the listing's own rule (the plainest language tag first).
_LABELS = """SELECT ?c ?label WHERE { VALUES ?c { %s } ?c skos:prefLabel ?label .
  FILTER NOT EXISTS { ?c skos:prefLabel ?label_plainer FILTER(STRLEN(LANG(?label_plainer)) < STRLEN(LANG(?label))) } }"""
#: The namespaces the template's prefixed names stand for.
_PREFIXES = {"tg": "https://w3id.org/talkgraph/ns#", "schema": "http://schema.org/",
             "dcterms": "http://purl.org/dc/terms/", "skos": "http://www.w3.org/2004/02/skos/core#"}


class ListingShape:
    """What a listing asks: of ``kind`` "talks", the talks linked to the concepts of ``pattern`` (bound to
    ``concept``) by one of the properties of ``declared`` (declared) or by ``tg:mentions``; of ``kind``
    "people", the people linked to the concepts of ``pattern`` who give such a talk, linked to those of
    ``links_pattern``. ``prologue`` is the query's PREFIX lines, ``variables`` its columns."""

    def __init__(self, kind: str, pattern: str, concept: str, declared: int, prologue: str, matched: str,
                 links_pattern: str = ""):
        self.kind, self.pattern, self.concept, self.declared = kind, pattern, concept, declared
        self.prologue, self.links_pattern = prologue, links_pattern
        self.variables = (["talk", "title", "speakers", matched, "linked"] if kind == "talks"
                          else ["speaker", "name", matched])


@cache
def _template_pattern(template: str) -> re.Pattern:
    pattern = r"\{ VALUES \?\w+ \{ UNDEF \} [^{}]* \}"
    slots = {"{pattern}": f"(?P<pattern>{pattern})", "{links_pattern}": f"(?P<links_pattern>{pattern})",
             "{declared}": r"(?P<declared>tg:\w+(?:\|tg:\w+)*)", "{concept}": r"(?P<concept>\w+)",
             "{matched}": r"(?P<matched>\w+)"}
    normal = re.escape(spaced(template))
    for slot, group in slots.items():
        escaped = re.escape(slot)
        name = group[4:group.index(">")]
        first = True
        while escaped in normal:
            normal = normal.replace(escaped, group if first else f"(?P={name})", 1)
            first = False
    return re.compile(normal)


def listing_shape(query: NamedQuery) -> ListingShape | None:
    """The :class:`ListingShape` of ``query`` if its text is :data:`TEMPLATE`'s, else None."""
    return _shape(query.text)


@cache
def _shape(text: str) -> ListingShape | None:
    prefixes, first = declared_prefixes(text), first_keyword(text)
    if first is None or any(prefixes.get(name) != namespace for name, namespace in _PREFIXES.items()):
        return None
    prologue, normal = text[:first[1]], spaced(text[first[1]:])
    for kind, template in (("talks", TEMPLATE), ("people", PERSON_TEMPLATE)):
        found = _template_pattern(template).fullmatch(normal)
        if found is not None:
            break
    else:
        return None
    declared = 0
    for name in found["declared"].split("|"):
        bit = LINK_BITS.get(name.removeprefix("tg:"))
        if bit is None or name == "tg:mentions":
            return None
        declared |= bit
    return ListingShape(kind, found["pattern"], found["concept"], declared, prologue, found["matched"],
                        found.groupdict().get("links_pattern") or "")


def index_rows(query: NamedQuery, backend, bindings: dict) -> tuple[list[str], Iterator[tuple]] | None:
    """Every row of the listing ``query``, from the store's links index, as the store would give them
    (:func:`talkgraph.store.sparql.stream_query`); None when the index cannot give them (not a listing
    of a template's shape, no index, or an index without its streaming files)."""
    shape = listing_shape(query)
    index = getattr(backend, "index", None)
    if shape is None or index is None:
        return None
    files = index.stream_files()
    if files is None:
        return None
    if shape.kind == "people":
        return shape.variables, _people_rows(shape, backend.store, index, files, bindings)
    talks = index.kinds["talks"]
    labels = _labels(backend.store, shape.prologue, talks, _concepts(backend.store, shape, shape.pattern, bindings))
    found: dict[int, tuple[set, set]] = {}
    for concept, names in labels.items():
        for talk, bits in _linked(talks, files.links, concept):
            how = ("declared",) * bool(bits & shape.declared) + ("mentioned",) * bool(bits & _MENTIONS)
            if how:
                cells = found.get(talk)
                if cells is None:
                    cells = found[talk] = (set(), set())
                cells[0].update(names)
                cells[1].update(how)
    return shape.variables, _talk_rows(found, talks.members, files.talks)


_MENTIONS = LINK_BITS["mentions"]


def _concepts(store, shape: ListingShape, pattern: str, bindings: dict) -> list[ox.NamedNode]:
    """The concepts ``pattern`` finds, with the query's parameters bound."""
    return [row[0] for row in store.query(bind_values(
        f"{shape.prologue}SELECT DISTINCT ?{shape.concept} WHERE {pattern}", bindings))
        if isinstance(row[0], ox.NamedNode)]


def _labels(store, prologue: str, postings, concepts: list[ox.NamedNode]) -> dict[int, set[str]]:
    """The labels of ``concepts`` by the listings' rule, as the items of a list cell, by concept number
    in ``postings``; a concept that no talk (person) is linked to is left out."""
    labels: dict[int, set[str]] = {}
    if concepts:
        values = " ".join(str(concept) for concept in concepts)
        for concept, label in store.query(prologue + _LABELS % values):
            number = postings.concept_number(concept.value)
            if number is not None and not isinstance(label, ox.BlankNode):  # STR() of a blank node is no label
                labels.setdefault(number, set()).update(label.value.split(LIST_SEPARATOR))
    return labels


def _linked(talks, links: bytes, concept: int) -> Iterator[tuple[int, int]]:
    """The talks linked to the concept numbered ``concept``, each with the bits of its link."""
    forward, forward_at = talks.forward, talks.forward_at
    for talk in talks.member_numbers(concept):
        yield talk, links[bisect_left(forward, concept, forward_at[talk], forward_at[talk + 1])]


def _talk_rows(found: dict[int, tuple[set, set]], members: list[str], lines: list[str]) -> Iterator[tuple]:
    Literal, NamedNode, join = ox.Literal, ox.NamedNode, LIST_SEPARATOR.join
    for talk in sorted(found):
        matched, how = found[talk]
        title, names = details(lines[talk])
        speakers = set()
        for name in names:
            speakers.update(name.split(LIST_SEPARATOR))
        yield (NamedNode(members[talk]), Literal(title), Literal(join(sorted(speakers))),
               Literal(join(sorted(matched))), Literal(join(sorted(how))))


def _people_rows(shape: ListingShape, store, index, files, bindings: dict) -> Iterator[tuple]:
    talks, people = index.kinds["talks"], index.kinds["people"]
    chosen: set[int] = set()  # the people linked to the first pattern's concepts
    for concept in _concepts(store, shape, shape.pattern, bindings):
        number = people.concept_number(concept.value)
        if number is not None:
            chosen.update(people.member_numbers(number))
    linked: set[int] = set()  # the talks linked to the second's, by the listing's properties
    wanted = shape.declared | _MENTIONS
    for concept in _concepts(store, shape, shape.links_pattern, bindings):
        number = talks.concept_number(concept.value)
        if number is not None:
            linked.update(talk for talk, bits in _linked(talks, files.links, number) if bits & wanted)
    domain = LINK_BITS["declaresDomain"]
    rows, domains = [], set()
    for person in sorted(chosen):
        name, given = details(files.people[person])
        theirs = [talk for talk in map(int, given) if talk in linked]
        if not theirs:
            continue
        declared = {c for talk in theirs for c, bits in _concepts_of(talks, files.links, talk) if bits & domain}
        domains |= declared
        rows.append((person, name, declared))
    labels = _labels(store, shape.prologue, talks, [ox.NamedNode(talks.concepts[c]) for c in sorted(domains)])
    Literal, NamedNode, join = ox.Literal, ox.NamedNode, LIST_SEPARATOR.join
    for person, name, declared in rows:
        items = set().union(*(labels.get(c, ()) for c in declared))
        yield NamedNode(people.members[person]), Literal(name), Literal(join(sorted(items)))


def _concepts_of(talks, links: bytes, talk: int) -> Iterator[tuple[int, int]]:
    """The concepts of the talk numbered ``talk``, each with the bits of its link."""
    start, end = talks.forward_at[talk], talks.forward_at[talk + 1]
    return zip(talks.forward[start:end], links[start:end])
