"""Every row of a talk listing from the links index: ``talkgraph query talks-by-method --all`` at 100,000 talks.

A talk listing (``talks-by-method``, ``talks-by-domain``, ``talks-mentioning``) lists, in the listings'
order, the talks linked to the concepts that a pattern finds from its parameter, with each talk's
title, its speakers' names, the labels of the concepts it matched and how it was linked to them
("declared", "mentioned"). Streamed whole by the store, its 70,000 rows at 100,000 talks take about
3 s: the store looks up every row's title, names and labels. The build has all of these at hand, so
it writes them beside its links index (``talks.links.bin``: the properties of each link;
``talks.details.tsv``: each talk's title and speakers' names; :mod:`talkgraph.model.linkindex`), and
a listing streamed whole reads its rows there: the store finds the concepts and their labels, as the
query does, the index the talks and their details.

The index can answer only a query it understands, so a listing streams from it only when its text
is :data:`TEMPLATE` with its four slots filled (the pattern that finds the concepts, the variable it
binds, the properties that count as declared, the name of the matched column), comments and spacing
aside; any other query, however like it, is answered by the store. The catalogue's talk listings are
written so (a test checks it), and a test compares every row both ways.
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

__all__ = ["TEMPLATE", "ListingShape", "listing_shape", "index_rows"]

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
#: The labels of concepts by the listing's own rule (the plainest language tag first).
_LABELS = """SELECT ?c ?label WHERE { VALUES ?c { %s } ?c skos:prefLabel ?label .
  FILTER NOT EXISTS { ?c skos:prefLabel ?label_plainer FILTER(STRLEN(LANG(?label_plainer)) < STRLEN(LANG(?label))) } }"""
#: The namespaces the template's prefixed names stand for.
_PREFIXES = {"tg": "https://w3id.org/talkgraph/ns#", "schema": "http://schema.org/",
             "dcterms": "http://purl.org/dc/terms/", "skos": "http://www.w3.org/2004/02/skos/core#"}
_TOKENS = re.compile(r'"(?:[^"\\\n]|\\.)*"|<[^<>"\s]*>|#[^\n]*|\s+|[^\s"<#]+|.')
_PREFIX_LINE = re.compile(r"PREFIX\s+(\w*):\s*<([^>]*)>\s*", re.IGNORECASE)
_DECLARED = re.compile(r"tg:(\w+)(?:\|tg:(\w+))*")


class ListingShape:
    """What a talk listing asks: the talks linked to the concepts of ``pattern`` (bound to ``concept``)
    by one of the properties of ``declared`` (declared) or by ``tg:mentions``; ``prologue`` is the
    query's PREFIX lines, ``variables`` its columns."""

    def __init__(self, pattern: str, concept: str, declared: int, prologue: str, matched: str):
        self.pattern, self.concept, self.declared, self.prologue = pattern, concept, declared, prologue
        self.variables = ["talk", "title", "speakers", matched, "linked"]


def _normal(text: str) -> str:
    """``text`` without comments, its spacing one space, and none inside parentheses' edges."""
    kept = []
    for token in _TOKENS.findall(text):
        if token.startswith("#"):
            continue
        kept.append(" " if token.isspace() else token)
    return " ".join("".join(kept).split())


@cache
def _template_pattern() -> re.Pattern:
    slots = {"{pattern}": r"(?P<pattern>\{ VALUES \?\w+ \{ UNDEF \} [^{}]* \})",
             "{declared}": r"(?P<declared>tg:\w+(?:\|tg:\w+)*)", "{concept}": r"(?P<concept>\w+)",
             "{matched}": r"(?P<matched>\w+)"}
    normal = re.escape(_normal(TEMPLATE))
    seen = set()
    for slot, group in slots.items():
        escaped = re.escape(slot)
        while escaped in normal:
            replacement = group if slot not in seen else f"(?P={group[4:group.index('>')]})"
            seen.add(slot)
            normal = normal.replace(escaped, replacement, 1)
    return re.compile(normal)


def listing_shape(query: NamedQuery) -> ListingShape | None:
    """The :class:`ListingShape` of ``query`` if its text is :data:`TEMPLATE`'s, else None."""
    return _shape(query.text)


@cache
def _shape(text: str) -> ListingShape | None:
    prefixes = {}
    body = re.sub(r"^(?:\s*#[^\n]*\n)*", "", text)  # the header's comments
    while match := _PREFIX_LINE.match(body):
        prefixes[match[1]] = match[2]
        body = body[match.end():]
    if any(prefixes.get(name) != namespace for name, namespace in _PREFIXES.items()):
        return None
    found = _template_pattern().fullmatch(_normal(body))
    if found is None:
        return None
    declared = 0
    for name in found["declared"].split("|"):
        bit = LINK_BITS.get(name.removeprefix("tg:"))
        if bit is None or name == "tg:mentions":
            return None
        declared |= bit
    prologue = "".join(f"PREFIX {name}: <{namespace}>\n" for name, namespace in sorted(prefixes.items()))
    return ListingShape(found["pattern"], found["concept"], declared, prologue, found["matched"])


def index_rows(query: NamedQuery, backend, bindings: dict) -> tuple[list[str], Iterator[tuple]] | None:
    """Every row of the talk listing ``query``, from the store's links index, as the store would give
    them (:func:`talkgraph.store.sparql.stream_query`); None when the index cannot give them (not a
    listing of :data:`TEMPLATE`'s shape, no index, or an index without its streaming files)."""
    shape = listing_shape(query)
    index = getattr(backend, "index", None)
    if shape is None or index is None:
        return None
    files = index.stream_files()
    if files is None:
        return None
    links, lines = files
    talks = index.kinds["talks"]
    store = backend.store
    concepts = [row[0] for row in store.query(bind_values(
        f"{shape.prologue}SELECT DISTINCT ?{shape.concept} WHERE {shape.pattern}", bindings))
        if isinstance(row[0], ox.NamedNode)]
    labels: dict[int, set[str]] = {}
    if concepts:
        values = " ".join(str(concept) for concept in concepts)
        for concept, label in store.query(shape.prologue + _LABELS % values):
            number = talks.concept_number(concept.value)
            if number is not None:  # a concept no talk is linked to by the listing's properties
                labels.setdefault(number, set()).update(label.value.split(LIST_SEPARATOR))
    mentions, declared = LINK_BITS["mentions"], shape.declared
    forward, forward_at = talks.forward, talks.forward_at
    found: dict[int, tuple[set, set]] = {}
    for concept, names in labels.items():
        for talk in talks.member_numbers(concept):
            start = forward_at[talk]
            bits = links[bisect_left(forward, concept, start, forward_at[talk + 1])]
            how = ("declared",) * bool(bits & declared) + ("mentioned",) * bool(bits & mentions)
            if how:
                cells = found.get(talk)
                if cells is None:
                    cells = found[talk] = (set(), set())
                cells[0].update(names)
                cells[1].update(how)
    return shape.variables, _rows(found, talks.members, lines)


def _rows(found: dict[int, tuple[set, set]], members: list[str], lines: list[str]) -> Iterator[tuple]:
    Literal, NamedNode, join = ox.Literal, ox.NamedNode, LIST_SEPARATOR.join
    for talk in sorted(found):
        matched, how = found[talk]
        title, names = details(lines[talk])
        speakers = set()
        for name in names:
            speakers.update(name.split(LIST_SEPARATOR))
        yield (NamedNode(members[talk]), Literal(title), Literal(join(sorted(speakers))),
               Literal(join(sorted(matched))), Literal(join(sorted(how))))
