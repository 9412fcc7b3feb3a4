"""Writing the graph: Turtle, N-Triples and compact JSON-LD.

A build's files are written into a folder of its own, switched in whole once complete
(:mod:`talkgraph.store.folder`); a single file elsewhere is written to a temporary sibling and
renamed into place (:func:`atomic_writer`). The triple sequence from
:func:`talkgraph.model.triples.make_triples` is already in a fixed order, so the same
input gives byte-identical files.
"""

from __future__ import annotations

import io
import json
import os
import tempfile
from collections import defaultdict
from contextlib import contextmanager
from json.encoder import encode_basestring as _quote  # the C function json.dumps uses
from pathlib import Path
from typing import IO, Iterable, Iterator

from .. import engine as ox

from ..errors import OutputError
from ..namespaces import PREFIXES

__all__ = ["atomic_writer", "durable_writer", "write_turtle_and_jsonld", "PredicateKinds"]

XSD_STRING = PREFIXES["xsd"] + "string"
RDF_TYPE = PREFIXES["rdf"] + "type"
RDF_LANG_STRING = PREFIXES["rdf"] + "langString"


@contextmanager
def durable_writer(path: str | Path, mode: str = "wb") -> Iterator[IO]:
    """Open a new file at ``path`` (in a folder no reader sees yet); it is on disk when the block ends."""
    path = Path(path)
    try:
        stream = open(path, mode.replace("w", "x"), **({} if "b" in mode else {"encoding": "utf-8", "newline": "\n"}))
    except OSError as error:
        raise OutputError(path, error) from None
    with stream:
        yield stream
        stream.flush()
        os.fsync(stream.fileno())


@contextmanager
def atomic_writer(path: str | Path, mode: str = "wb") -> Iterator[IO]:
    """Open a temporary file beside ``path``; on success rename it over ``path``, so a crash never
    leaves a half-written file.

    >>> import tempfile; folder = Path(tempfile.mkdtemp())
    >>> with atomic_writer(folder / "a.txt", "w") as stream:
    ...     _ = stream.write("hello")
    >>> [p.name for p in folder.iterdir()], (folder / "a.txt").read_text()
    (['a.txt'], 'hello')
    """
    path = Path(path)
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    except OSError as error:
        raise OutputError(path, error) from None
    try:
        with os.fdopen(handle, mode, **({} if "b" in mode else {"encoding": "utf-8", "newline": "\n"})) as stream:
            yield stream
            stream.flush()
            os.fsync(stream.fileno())
        umask = os.umask(0)
        os.umask(umask)
        os.chmod(temporary, 0o666 & ~umask)  # mkstemp makes 0600; give the file normal permissions
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


class _SkipPrefixLines:
    """Binary writer that drops the leading ``@prefix`` block of a Turtle stream."""

    def __init__(self, stream: IO[bytes]):
        self.stream, self.pending, self.in_header = stream, b"", True

    def write(self, data: bytes) -> int:
        if not self.in_header:
            return self.stream.write(data)
        self.pending += data
        while self.in_header and b"\n" in self.pending:
            line, self.pending = self.pending.split(b"\n", 1)
            if not line.startswith(b"@prefix "):
                self.in_header = False
                self.stream.write(line + b"\n" + self.pending)
                self.pending = b""
        return len(data)

    def flush(self) -> None:
        self.stream.write(self.pending)
        self.pending = b""


def _turtle(triples: Iterable[ox.Triple], stream: IO[bytes], prefixes: dict[str, str]) -> None:
    """Turtle with our prefixes in our order (pyoxigraph's own order is its map's)."""
    for name, namespace in prefixes.items():
        stream.write(f"@prefix {name}: <{namespace}> .\n".encode())
    stream.write(b"\n")
    skipper = _SkipPrefixLines(stream)
    ox.serialize(triples, skipper, ox.RdfFormat.TURTLE, prefixes=prefixes)
    skipper.flush()


# ------------------------------------------------------------------------ JSON-LD

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
    term of each would cost about twice as much (see benchmarks/README.md). Each node's JSON is put together from strings quoted by
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

    def write(self, ntriples: bytes) -> None:
        """Write a node for each run of triples with the same subject, and close the document.

        A subject that came back later would simply appear as a second node object with the
        same @id, which JSON-LD merges.
        """
        write, node = self.stream.write, self.node
        subject, properties, separator = None, {}, ""
        for line in io.BytesIO(ntriples):  # lines split in C, without a list of them all
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


def write_turtle_and_jsonld(ntriples: bytes, turtle: IO[bytes], jsonld: IO[str], *,
                            prefixes: dict[str, str], kinds: PredicateKinds) -> None:
    """Turtle and compact JSON-LD of N-Triples that Oxigraph wrote (a build's own)."""
    _turtle(ox.parse(ntriples, format=ox.RdfFormat.N_TRIPLES, lenient=True), turtle, prefixes)
    _JsonLd(jsonld, prefixes, kinds).write(ntriples)
