"""A named query's parameters: from ``NAME=VALUE`` text to RDF terms in the query's ``VALUES`` slots.

A parameter value may be a label or an IRI; it is resolved against the graph itself
(:class:`Resolver`): a concept by any of its labels, a person by name, a talk by title.
Each resolved term goes into its parameter's ``VALUES ?name { UNDEF }`` slot
(:func:`bind_values`), written by pyoxigraph, never pasted into the query text.

>>> parse_params(["method=CNN", "speaker=Mike Walmsley"])
{'method': 'CNN', 'speaker': 'Mike Walmsley'}
"""

from __future__ import annotations

import bisect
import collections
import difflib
import re
from functools import cache
from typing import Iterable

from .. import engine as ox
from ..errors import ParameterError, shown
from ..link.objects import label_of
from ..tables.text import fold
from ..vocab.keywords import match_key
from .catalogue import NamedQuery
from .prefixes import short_name
from .querycheck import value_slots

__all__ = ["Resolver", "LabelIndex", "PARAM_HELP", "parse_params", "bind_values"]

#: What to give for a parameter of each kind, when a value names nothing.
PARAM_HELP = {"concept": "one of its labels or its IRI (the concept-counts query lists the graph's concepts)",
              "person": "the speaker's name (or a unique part of it) or IRI",
              "talk": "the talk's title (or a unique part of it) or its IRI"}


def parse_params(pairs: Iterable[str]) -> dict[str, str]:
    """``["method=CNN", "speaker=Mike Walmsley"]`` → a dict; raise ParameterError on a malformed pair."""
    params = {}
    for pair in pairs:
        name, equals, value = pair.partition("=")
        if not equals or not name.strip():
            raise ParameterError(f"--param {shown(pair)} is not NAME=VALUE", hint="e.g. --param method=CNN")
        params[name.strip()] = value
    return params


def bind_values(text: str, bindings: dict[str, ox.NamedNode | ox.Literal | tuple]) -> str:
    """The query with each parameter's slot ``VALUES ?name { UNDEF }`` holding its value.

    Unbound, the slot lets the query answer for every value (it runs unchanged in
    any SPARQL tool); bound, it holds one RDF term written by pyoxigraph in
    N-Triples syntax, escapes and all, so no value can close the block or add to
    the query (a tuple of terms fills the slot with each: the rows a ranking may
    choose from, :mod:`talkgraph.store.pruning`). The slot sits inside the WHERE clause, so the binding restricts the
    pattern before any grouping (a trailing VALUES would be joined after it).
    """
    if not bindings:
        return text
    slots = value_slots(text)
    spliced = []
    for name, term in bindings.items():
        if not slots.get(name):
            raise ParameterError(f"the query has no slot 'VALUES ?{name} {{ UNDEF }}' for its parameter {name!r}")
        values = " ".join(map(str, term)) if isinstance(term, tuple) else str(term)  # a tuple: several terms
        for start, end in slots[name]:  # a paged query may need the value in its page and in its details
            spliced.append((start, end, f"VALUES ?{name} {{ {values} }}"))
    for start, end, slot in sorted(spliced, reverse=True):  # from the end, so that offsets stay true
        text = text[:start] + slot + text[end:]
    return text


@cache
def _vocabulary() -> dict:
    """The queries the resolver asks and the classes it knows, written with :mod:`talkgraph.namespaces`
    (imported on the first lookup: it loads rdflib, which a query with no parameters never needs)."""
    from ..namespaces import DCTERMS, PREFIXES, SCHEMA, SKOS, TG, XSD

    person = f"?x a {SCHEMA.Person.n3()} ; {SCHEMA.name.n3()}|{SCHEMA.alternateName.n3()} ?label"
    talk = f"?x a {TG.Talk.n3()} ; {DCTERMS.title.n3()} ?label"
    labels = "|".join(SKOS[name].n3() for name in ("prefLabel", "altLabel", "hiddenLabel"))
    matches = "|".join(SKOS[name].n3() for name in ("exactMatch", "closeMatch", "broadMatch", "narrowMatch",
                                                    "relatedMatch"))
    classes = {"concept": str(SKOS.Concept), "person": str(SCHEMA.Person), "talk": str(TG.Talk)}
    return {
        # the exact name or title: an index lookup, even among 100,000 talks
        "exact": {"person": f"SELECT DISTINCT ?x WHERE {{ VALUES ?label {{ UNDEF }} {person} }}",
                  "talk": f"SELECT DISTINCT ?x WHERE {{ VALUES ?label {{ UNDEF }} {talk} }}"},
        # every label of a kind, for the normalised lookup and for suggestions
        "scan": {"concept": f"SELECT ?x ?label WHERE {{ ?x {labels} ?label }}",
                 "person": f"SELECT ?x ?label WHERE {{ {person} }}",
                 "talk": f"SELECT ?x ?label WHERE {{ {talk} }}"},
        "types": "SELECT DISTINCT ?type WHERE { VALUES ?x { UNDEF } ?x a ?type }",
        "used": "ASK { VALUES ?x { UNDEF } { ?x ?p ?o } UNION { ?s ?p ?x } }",
        "mapped": f"SELECT DISTINCT ?c WHERE {{ VALUES ?x {{ UNDEF }} ?c {matches} ?x }}",
        # the class an IRI given for a parameter of each kind must have, and words for the classes it may have
        "classes": classes,
        "class_words": {**{iri: kind for kind, iri in classes.items()}, str(SKOS.ConceptScheme): "concept scheme",
                        str(TG.Meeting): "meeting", str(TG.SourceTable): "source table", str(TG.Build): "build",
                        PREFIXES["oa"] + "Annotation": "annotation (the evidence of a mention)"},
        "integer": ox.NamedNode(str(XSD.integer)),
    }


def _plain(text: str) -> str:
    """Case, accents and punctuation left out: "Clár-Bríd  Tohill" and "clar brid tohill" are one."""
    return " ".join(_NON_WORD.sub(" ", fold(text)).split())


_NON_WORD = re.compile(r"[\W_]+")
#: The most candidates a suggestion is chosen among: difflib compares each with the value given.
_SUGGESTION_POOL = 100
#: The most matches an ambiguous value lists.
_LISTED = 5


class LabelIndex:
    """The labels (names, titles) of one kind of resource, normalised, for lookups that forgive:
    the exact normalised form, then a unique prefix of it, then a substring; and the nearest
    labels when nothing matches.

    >>> index = LabelIndex([("ex:1", "Deep Sky Surveys"), ("ex:2", "Deep learning for supernovae")], _plain)
    >>> index.find("deep  SKY surveys!"), index.find("deep l"), index.find("supernova")
    ({'ex:1': 'Deep Sky Surveys'}, {'ex:2': 'Deep learning for supernovae'}, {'ex:2': 'Deep learning for supernovae'})
    >>> sorted(index.find("deep"))
    ['ex:1', 'ex:2']
    >>> index.nearest("Deep Ski Survey")
    ['Deep Sky Surveys']
    """

    def __init__(self, pairs: Iterable[tuple[str, str]], normalise):
        self.normalise = normalise
        self.entries: dict[str, dict[str, str]] = {}  # normalised label -> {IRI: label as written}
        for iri, label in pairs:
            self.entries.setdefault(normalise(label), {}).setdefault(iri, label)
        self.keys = sorted(self.entries)
        self.words: dict[str, list[int]] = {}  # a word -> the keys holding it, for suggestions
        for i, key in enumerate(self.keys):
            for word in set(key.split()):
                self.words.setdefault(word, []).append(i)

    def find(self, value: str) -> dict[str, str]:
        """IRI → label of what ``value`` names: its exact normalised form, else the labels it is a
        prefix of, else those it is part of (empty when nothing matches)."""
        key = self.normalise(value)
        if not key:
            return {}
        if key in self.entries:
            return dict(self.entries[key])
        start = bisect.bisect_left(self.keys, key)
        end = bisect.bisect_left(self.keys, key + "\U0010ffff", start)
        matching = self.keys[start:end] or [k for k in self.keys if key in k]
        found: dict[str, str] = {}
        for k in matching:
            for iri, label in self.entries[k].items():
                found.setdefault(iri, label)
        return found

    def nearest(self, value: str, n: int = 3) -> list[str]:
        """The ``n`` labels closest to ``value`` (difflib), among those that share its words or
        sort beside it: comparing with every one of 100,000 titles would take seconds."""
        key = self.normalise(value)[:200]
        pool: collections.Counter = collections.Counter()
        budget = 5 * _SUGGESTION_POOL  # the rarest words first: they tell the labels apart
        for postings in sorted((self.words.get(word, ()) for word in set(key.split())), key=len):
            pool.update(postings[:budget])
            budget -= len(postings[:budget])
            if budget <= 0:
                break
        at = bisect.bisect_left(self.keys, key)
        near = range(max(0, at - 20), min(len(self.keys), at + 20))
        chosen = {i for i, _ in pool.most_common(_SUGGESTION_POOL)} | set(near)
        if len(self.keys) <= _SUGGESTION_POOL:
            chosen = set(range(len(self.keys)))
        candidates = [self.keys[i] for i in sorted(chosen)]
        close = difflib.get_close_matches(key, candidates, n=n, cutoff=0.6)
        return [next(iter(self.entries[k].values())) for k in close]


class Resolver:
    """Turns parameter values (labels, names, titles or IRIs) into RDF terms, by asking the graph
    through ``backend`` (an :class:`~talkgraph.store.sparql.EmbeddedStore` or an
    :class:`~talkgraph.store.endpoint.Endpoint`)."""

    NORMALISE = {"concept": match_key, "person": _plain, "talk": _plain}

    def __init__(self, backend):
        self.backend = backend

    def _index(self, kind: str) -> LabelIndex:
        """The :class:`LabelIndex` of a kind, built on first use and kept with the backend (the store
        is read-only, so it stays true)."""
        cached = self.backend.__dict__.setdefault("_label_indexes", {})
        if kind not in cached:
            rows = self.backend.execute(_vocabulary()["scan"][kind], {}).solutions
            cached[kind] = LabelIndex(((row[0].value, row[1].value) for row in rows), self.NORMALISE[kind])
        return cached[kind]
    def _check_kind(self, query: NamedQuery, name: str, kind: str, node: ox.NamedNode) -> None:
        """Raise :class:`ParameterError` unless ``node`` is a ``kind`` of the graph: a person's IRI
        given for a concept would otherwise match nothing, silently."""
        vocabulary = _vocabulary()
        types = {row[0].value for row in self.backend.execute(vocabulary["types"], {"x": node}).solutions
                 if isinstance(row[0], ox.NamedNode)}
        if vocabulary["classes"][kind] in types:
            return
        wants = f"parameter {name!r} of {query.name} wants a {kind}"
        iri = f"<{node.value}>" if len(node.value) <= 200 else shown(node.value, limit=200)
        hint = f"give {PARAM_HELP[kind]}"
        if types:
            words = sorted(vocabulary["class_words"].get(t) or t.rstrip("/#").rsplit("/", 1)[-1].rsplit("#", 1)[-1]
                           for t in types)
            article = "an" if words[0][:1] in "aeiou" else "a"
            raise ParameterError(f"{iri} is {article} {' and '.join(words)}, not a {kind}; {wants}", hint=hint)
        if kind == "concept":
            mapped = sorted(row[0].value for row in self.backend.execute(vocabulary["mapped"], {"x": node}).solutions)
            if mapped:
                hint = f"the graph's concept <{mapped[0]}> maps to it: give that IRI (or one of its labels)"
        if self.backend.execute(vocabulary["used"], {"x": node}).boolean:
            raise ParameterError(f"{iri} is not a {kind} of the graph (it appears there only as a value); {wants}",
                                 hint=hint)
        raise ParameterError(f"{iri} is not in the graph; {wants}", hint=hint)

    def resolve(self, query: NamedQuery, name: str, value: str) -> ox.NamedNode | ox.Literal:
        """The RDF term ``value`` stands for, as parameter ``name`` of ``query``; or ParameterError."""
        param = query.param(name)
        kind = param.kind
        if kind == "string":
            return ox.Literal(value)
        if kind == "integer":
            if not re.fullmatch(r"[+-]?\d+", value.strip()):
                raise ParameterError(f"parameter {name!r} of {query.name} must be a whole number, not {shown(value)}")
            return ox.Literal(value.strip(), datatype=_vocabulary()["integer"])
        iri = value.strip()
        if iri.startswith("<") and iri.endswith(">"):
            iri = iri[1:-1]
        if kind == "iri" or re.match(r"^[a-zA-Z][a-zA-Z0-9+.-]*://\S+$", iri):
            try:
                node = ox.NamedNode(iri)
            except ValueError:
                raise ParameterError(f"parameter {name!r}: {shown(value)} is not a valid IRI") from None
            if kind in _vocabulary()["classes"]:
                self._check_kind(query, name, kind, node)
            return node
        found: dict[str, str] = {}
        exact = _vocabulary()["exact"]
        if kind in exact:  # the exact name or title: an index lookup in the store, no label index needed
            answer = self.backend.execute(exact[kind], {"label": ox.Literal(value.strip())})
            found = {row[0].value: value.strip() for row in answer.solutions}
        index = None
        if not found:
            index = self._index(kind)
            found = index.find(value)
        if not found and kind == "concept" and (label := label_of(value.strip())) not in (None, value.strip()):
            found = index.find(label)  # an object's designation in another spelling: "GW 170817", "AT2017gfo"
        if not found:
            close = index.nearest(value)
            raise ParameterError(f"no {kind} in the graph is called {shown(value)} (parameter {name!r} of {query.name})",
                                 hint=f"did you mean {', '.join(repr(c) for c in close)}?" if close else
                                 f"give {PARAM_HELP[kind]}")
        if len(found) > 1:
            listed = sorted(found.items(), key=lambda item: (item[1].casefold(), item[0]))
            names = "; ".join(f"{shown(label, limit=60)} ({short_name(iri)})" for iri, label in listed[:_LISTED])
            more = f"; and {len(listed) - _LISTED:,} more" if len(listed) > _LISTED else ""
            raise ParameterError(f"{shown(value)} names {len(found):,} {kind}s (parameter {name!r} of {query.name}): "
                                 f"{names}{more}", hint=f"give more of the {_WORD[kind]}, or the IRI of the one you mean")
        return ox.NamedNode(next(iter(found)))


_WORD = {"concept": "label", "person": "name", "talk": "title"}
