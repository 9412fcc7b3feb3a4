"""Writing the graph: Turtle, N-Triples and compact JSON-LD, atomically.

Each file is written to a temporary sibling and renamed into place, so a crash
never leaves a half-written file. The triple sequence from
:func:`graph.triples.make_triples` is already in a fixed order, so the same
input gives byte-identical files.
"""

from __future__ import annotations

import json
import os
import tempfile
from collections import defaultdict
from contextlib import contextmanager
from pathlib import Path
from typing import IO, Iterator

import pyoxigraph as ox

from .namespaces import PREFIXES

__all__ = ["atomic_writer", "write_turtle", "write_ntriples", "write_jsonld", "data_prefixes", "FORMATS"]

XSD_STRING = PREFIXES["xsd"] + "string"
RDF_TYPE = PREFIXES["rdf"] + "type"
RDF_LANG_STRING = PREFIXES["rdf"] + "langString"


@contextmanager
def atomic_writer(path: str | Path, mode: str = "wb") -> Iterator[IO]:
    """Open a temporary file beside ``path``; on success rename it over ``path``."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
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


def data_prefixes(base_iri: str, *, unused: tuple[str, ...] = ()) -> dict[str, str]:
    """Standard prefixes plus readable ones for the data minted under ``base_iri``."""
    prefixes = dict(PREFIXES)
    for name in ("talk", "person", "event", "candidate", "column", "source", "build", "agent"):
        if name not in unused:
            prefixes[name] = f"{base_iri}{name}/"
    return prefixes


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


def write_turtle(triples: list[ox.Triple], path: str | Path, *, prefixes: dict[str, str]) -> None:
    """Turtle with our prefixes in our order (pyoxigraph's own order is its map's)."""
    with atomic_writer(path) as stream:
        for name, namespace in prefixes.items():
            stream.write(f"@prefix {name}: <{namespace}> .\n".encode())
        stream.write(b"\n")
        skipper = _SkipPrefixLines(stream)
        ox.serialize(triples, skipper, ox.RdfFormat.TURTLE, prefixes=prefixes)
        skipper.flush()


def write_ntriples(triples: list[ox.Triple], path: str | Path) -> None:
    with atomic_writer(path) as stream:
        ox.serialize(triples, stream, ox.RdfFormat.N_TRIPLES)


# ------------------------------------------------------------------------ JSON-LD

def _local_name(iri: str) -> str:
    for separator in ("#", "/"):
        if separator in iri:
            iri = iri.rsplit(separator, 1)[1]
    return iri


class _Compactor:
    def __init__(self, prefixes: dict[str, str]):
        # longest namespace first, so "talk:" wins over a shorter base
        self.prefixes = sorted(prefixes.items(), key=lambda item: -len(item[1]))

    def __call__(self, iri: str) -> str:
        for name, namespace in self.prefixes:
            if iri.startswith(namespace) and len(iri) > len(namespace):
                local = iri[len(namespace):]
                if not local.startswith("//"):
                    return f"{name}:{local}"
        return iri


def _context(triples: list[ox.Triple], prefixes: dict[str, str], compact: _Compactor) -> dict:
    """Prefixes plus one short term per predicate whose values are all of one kind."""
    kinds: dict[str, set] = defaultdict(set)
    for t in triples:
        if t.predicate.value == RDF_TYPE:
            continue
        obj = t.object
        if isinstance(obj, ox.Literal):
            kinds[t.predicate.value].add(("lang", obj.language) if obj.language else ("type", obj.datatype.value))
        else:
            kinds[t.predicate.value].add(("id", None))
    by_name: dict[str, list[str]] = defaultdict(list)
    for predicate in kinds:
        by_name[_local_name(predicate)].append(predicate)
    context: dict = dict(prefixes)
    for name, predicates in sorted(by_name.items()):
        if len(predicates) != 1 or name in context or not name.isidentifier():
            continue  # ambiguous short names stay as compact IRIs
        predicate = predicates[0]
        (kind, value), = kinds[predicate] if len(kinds[predicate]) == 1 else ((None, None),)
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
    return context


def write_jsonld(triples: list[ox.Triple], path: str | Path, *, prefixes: dict[str, str]) -> None:
    """Compact JSON-LD with an inline ``@context`` (no remote context is ever fetched)."""
    compact = _Compactor(prefixes)
    context = _context(triples, prefixes, compact)
    terms = {definition["@id"]: (name, definition) for name, definition in context.items()
             if isinstance(definition, dict)}

    nodes: dict[str, dict[str, list]] = {}
    for t in triples:
        nodes.setdefault(t.subject.value, defaultdict(list))[t.predicate.value].append(t.object)

    def value(obj, definition):
        if isinstance(obj, ox.NamedNode):
            return compact(obj.value) if definition else {"@id": compact(obj.value)}
        if definition:
            return obj.value
        if obj.language:
            return {"@value": obj.value, "@language": obj.language}
        if obj.datatype.value == XSD_STRING:
            return obj.value
        return {"@value": obj.value, "@type": compact(obj.datatype.value)}

    with atomic_writer(path, "w") as stream:
        stream.write('{\n"@context": ')
        stream.write(json.dumps(context, ensure_ascii=False, indent=1))
        stream.write(',\n"@graph": [\n')
        first = True
        for subject, properties in nodes.items():
            node: dict = {"@id": compact(subject)}
            if RDF_TYPE in properties:
                types = [compact(o.value) for o in properties[RDF_TYPE]]
                node["@type"] = types[0] if len(types) == 1 else types
            for predicate, objects in properties.items():
                if predicate == RDF_TYPE:
                    continue
                short = compact(predicate)
                name, definition = terms.get(short, (short, None))
                values = [value(o, definition) for o in objects]
                node[name] = values[0] if len(values) == 1 else values
            stream.write(("" if first else ",\n") + json.dumps(node, ensure_ascii=False))
            first = False
        stream.write("\n]\n}\n")


#: Output file name → writer; the build writes all of them.
FORMATS = {"graph.ttl": "turtle", "graph.nt": "ntriples", "graph.jsonld": "jsonld"}
