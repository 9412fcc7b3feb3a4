"""The graph's one JSON-LD shape: a compact document with an inline context, node by node.

The context holds the data's prefixes and one short term per predicate whose values
are all of one kind (IRIs, or literals of one language or datatype); the ``@graph``
holds one node object per subject, its ``@type`` first. :func:`write_jsonld` writes it
for a build's ``graph.jsonld``; :func:`jsonld_text` gives the same shape for any
triples (the results of a CONSTRUCT or DESCRIBE query), so every JSON-LD the package
produces reads the same way.

>>> from talkgraph import engine as ox
>>> from talkgraph.namespaces import data_prefixes
>>> talk = ox.NamedNode("https://example.org/id/talk/x")
>>> title = ox.NamedNode("http://purl.org/dc/terms/title")
>>> print(jsonld_text([ox.Triple(talk, title, ox.Literal("Deep skies"))],
...                   prefixes={"dcterms": "http://purl.org/dc/terms/", "talk": "https://example.org/id/talk/"}))
{
"@context": {
 "dcterms": "http://purl.org/dc/terms/",
 "talk": "https://example.org/id/talk/",
 "title": {
  "@id": "dcterms:title"
 }
},
"@graph": [
{"@id": "talk:x", "title": "Deep skies"}
]
}
<BLANKLINE>
"""

from __future__ import annotations

import io
import json
from collections import defaultdict
from json.encoder import encode_basestring as _quote  # the C function json.dumps uses
from typing import IO, Iterable, Iterator

from .. import engine as ox

from ..namespaces import RDF, XSD

__all__ = ["PredicateKinds", "write_jsonld", "jsonld_text"]

XSD_STRING = str(XSD.string)
RDF_TYPE = str(RDF.type)


def _local_name(iri: str) -> str:
    for separator in ("#", "/"):
        if separator in iri:
            iri = iri.rsplit(separator, 1)[1]
    return iri


class _Compactor:
    """IRI → compact IRI ("talk:x"), by namespace lookup rather than a scan of every prefix."""

    def __init__(self, prefixes: dict[str, str]):
        self.by_namespace = {namespace: name for name, namespace in prefixes.items()}
        # longest namespace first, for IRIs whose local part holds a "/" or "#"
        self.prefixes = sorted(prefixes.items(), key=lambda item: -len(item[1]))
        self.memo: dict[str, str] = {}

    def __call__(self, iri: str) -> str:
        compact = self.memo.get(iri)
        if compact is None:
            compact = self.memo[iri] = self._compact(iri)
        return compact

    def _compact(self, iri: str) -> str:
        cut = max(iri.rfind("/"), iri.rfind("#")) + 1
        name = self.by_namespace.get(iri[:cut])
        if name is not None and cut < len(iri):
            return f"{name}:{iri[cut:]}"
        for name, namespace in self.prefixes:
            if iri.startswith(namespace) and len(iri) > len(namespace) and not iri[len(namespace):].startswith("//"):
                return f"{name}:{iri[len(namespace):]}"
        return iri


class PredicateKinds:
    """The kinds of object each predicate has (IRI, or literal of a language or datatype).

    Gathered as triples go past (:meth:`observe`), so the JSON-LD writer can choose its
    short terms without a pass of its own over the graph.
    """

    def __init__(self) -> None:
        self.kinds: dict[str, set] = defaultdict(set)

    def observe(self, triples: Iterable[ox.Triple]) -> Iterator[ox.Triple]:
        """Yield ``triples`` unchanged, noting each predicate's kinds."""
        kinds = self.kinds
        linking: set[str] = set()  # predicates already seen with an IRI object: the common case, checked first
        literal = ox.Literal
        for t in triples:
            obj = t.object
            if type(obj) is not literal:
                predicate = t.predicate.value
                if predicate not in linking:
                    linking.add(predicate)
                    if predicate != RDF_TYPE:
                        kinds[predicate].add(("id", None))
            else:
                kinds[t.predicate.value].add(("lang", obj.language) if obj.language else ("type", obj.datatype.value))
            yield t


def _context(kinds: PredicateKinds, prefixes: dict[str, str], compact: _Compactor) -> tuple[dict, dict]:
    """Prefixes plus one short term per predicate whose values are all of one kind.

    Returns the context and, for each short term, the predicate IRI it stands for.
    """
    by_name: dict[str, list[str]] = defaultdict(list)
    for predicate in kinds.kinds:
        by_name[_local_name(predicate)].append(predicate)
    context: dict = dict(prefixes)
    short_names: dict[str, str] = {}
    for name, predicates in sorted(by_name.items()):
        if len(predicates) != 1 or name in context or not name.isidentifier():
            continue  # ambiguous short names stay as compact IRIs
        predicate = predicates[0]
        found = kinds.kinds[predicate]
        (kind, value), = found if len(found) == 1 else ((None, None),)
        definition: dict = {"@id": compact(predicate)}
        if kind == "id":
            definition["@type"] = "@id"
        elif kind == "lang":
            definition["@language"] = value
        elif kind == "type" and value != XSD_STRING:
            definition["@type"] = compact(value)
        elif kind is None:
            continue
        context[name] = definition
        short_names[name] = predicate
    return context, short_names


class _JsonLd:
    """Compact JSON-LD written node by node from N-Triples (grouped by subject).

    It reads the N-Triples as Oxigraph writes them, line by line, as strings: one triple a
    line, its terms separated by single spaces, a line ending in `` .``. Making a pyoxigraph
    term of each would cost more (see benchmarks/README.md). Each node's JSON is put together from strings quoted by
    :mod:`json`'s own C quoting, as ``json.dumps`` with its default separators would write
    it. A literal's N-Triples escapes are JSON's own (``\\" \\\\ \\n \\t`` …); only ``\\uXXXX`` differs
    (upper-case, and for DEL too), so a literal holding ``\\u`` is decoded and quoted again, to be
    written as ``json.dumps`` writes it.
    """

    def __init__(self, stream: IO[str], prefixes: dict[str, str], kinds: PredicateKinds):
        self.stream = stream
        self.compact = compact = _Compactor(prefixes)
        context, short_names = _context(kinds, prefixes, compact)
        self.terms = {predicate: (name, context[name]) for name, predicate in short_names.items()}
        #: predicate as written in N-Triples → (``, "key": `` in a node, whether the key is a short
        #: term whose context gives the kind of its values)
        self.keys: dict[str, tuple[str, bool]] = {}
        stream.write('{\n"@context": ')
        stream.write(json.dumps(context, ensure_ascii=False, indent=1))
        stream.write(',\n"@graph": [\n')

    def write(self, ntriples: bytes | IO[bytes]) -> None:
        """Write a node for each run of triples with the same subject, and close the document.

        A subject that came back later would simply appear as a second node object with the
        same @id, which JSON-LD merges.
        """
        write, node = self.stream.write, self.node
        subject, properties, separator = None, {}, ""
        lines = io.BytesIO(ntriples) if isinstance(ntriples, bytes) else ntriples
        for line in lines:  # lines split in C, without a list of them all
            s, p, o = line[:-3].decode().split(" ", 2)
            if s != subject:
                if subject is not None:
                    write(separator + node(subject, properties))
                    separator = ",\n"
                subject, properties = s, {}
            objects = properties.get(p)
            if objects is None:
                properties[p] = [o]
            else:
                objects.append(o)
        if subject is not None:
            write(separator + node(subject, properties))
        write("\n]\n}\n")

    def node(self, subject: str, properties: dict[str, list[str]]) -> str:
        """The JSON of one node; ``properties`` maps predicates to objects, all as N-Triples terms."""
        compact, keys, text = self.compact, self.keys, _json_text
        parts = ['{"@id": ', _quote(compact(_iri(subject)))]
        types = properties.pop(_RAW_RDF_TYPE, None)
        if types:
            parts.append(', "@type": ')
            parts.append(_quote(compact(_iri(types[0]))) if len(types) == 1 else
                         "[" + ", ".join([_quote(compact(_iri(o))) for o in types]) + "]")
        for predicate, objects in properties.items():
            key = keys.get(predicate)
            if key is None:
                name, definition = self.terms.get(predicate[1:-1]) or (compact(predicate[1:-1]), None)
                key = keys[predicate] = (", " + _quote(name) + ": ", definition is not None)
            if key[1]:  # the context says what the values are: IRIs compacted, literals as plain strings
                values = [text(o[1:o.rindex('"')]) if o[0] == '"' else _quote(compact(_iri(o))) for o in objects]
            else:
                values = [self.value(o) for o in objects]
            parts.append(key[0])
            parts.append(values[0] if len(values) == 1 else "[" + ", ".join(values) + "]")
        parts.append("}")
        return "".join(parts)

    def value(self, term: str) -> str:
        """The JSON of an object whose key is not a short term: its kind is written beside it."""
        if term[0] != '"':
            return '{"@id": ' + _quote(self.compact(_iri(term))) + "}"
        end = term.rindex('"')  # after the closing quote: nothing, @language or ^^<datatype>
        value = _json_text(term[1:end])
        if end == len(term) - 1:
            return value
        if term[end + 1] == "@":
            return '{"@value": ' + value + ', "@language": ' + _quote(term[end + 2:]) + "}"
        datatype = term[end + 4:-1]
        if datatype == XSD_STRING:
            return value
        return '{"@value": ' + value + ', "@type": ' + _quote(self.compact(datatype)) + "}"


_RAW_RDF_TYPE = f"<{RDF_TYPE}>"


def _iri(term: str) -> str:
    """The IRI of an N-Triples IRI (``<…>``); a blank node (``_:b1``) is its own JSON-LD identifier."""
    return term[1:-1] if term[0] == "<" else term


def _json_text(escaped: str) -> str:
    """The JSON string of a literal from its N-Triples escaped text."""
    return '"' + escaped + '"' if "\\u" not in escaped else _quote(json.loads('"' + escaped + '"'))


def write_jsonld(ntriples: bytes | IO[bytes], stream: IO[str], *, prefixes: dict[str, str],
                 kinds: PredicateKinds) -> None:
    """Write the JSON-LD of ``ntriples`` (N-Triples as Oxigraph writes them, or a reader of them) to ``stream``.

    ``kinds`` has seen every triple (:meth:`PredicateKinds.observe`); ``prefixes`` go into
    the context. Triples of one subject in a row make one node.
    """
    _JsonLd(stream, prefixes, kinds).write(ntriples)


def jsonld_text(triples: Iterable[ox.Triple], *, prefixes: dict[str, str]) -> str:
    """The JSON-LD of any ``triples``, in the shape of a build's ``graph.jsonld``.

    The triples are grouped by subject (their N-Triples sorted), so each subject is one node.
    """
    kinds = PredicateKinds()
    ntriples = ox.serialize(kinds.observe(triples), format=ox.RdfFormat.N_TRIPLES)
    stream = io.StringIO()
    write_jsonld(b"".join(sorted(io.BytesIO(ntriples))), stream, prefixes=prefixes, kinds=kinds)
    return stream.getvalue()
