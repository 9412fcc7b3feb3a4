"""Writing the graph: Turtle, N-Triples and compact JSON-LD (whose shape :mod:`talkgraph.model.jsonld` owns).

A build's files are written into a folder of its own, switched in whole once complete
(:mod:`talkgraph.store.folder`); a single file elsewhere is written to a temporary sibling and
renamed into place (:func:`atomic_writer`). The triple sequence from
:func:`talkgraph.model.triples.make_triples` is already in a fixed order, so the same
input gives byte-identical files.
"""

from __future__ import annotations

import io
import os
import tempfile
from contextlib import contextmanager
from pathlib import Path
from typing import IO, Callable, Iterable, Iterator

from .. import engine as ox

from ..errors import OutputError
from ..model.jsonld import PredicateKinds, write_jsonld

# PredicateKinds is named here too: the build gathers the kinds as it writes the triples.
__all__ = ["atomic_writer", "durable_writer", "write_turtle_and_jsonld", "PredicateKinds"]


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


def write_turtle_and_jsonld(ntriples: bytes | Callable[[], IO[bytes]], turtle: IO[bytes], jsonld: IO[str], *,
                            prefixes: dict[str, str], kinds: PredicateKinds) -> None:
    """Turtle and compact JSON-LD (:mod:`talkgraph.model.jsonld`) of N-Triples that Oxigraph wrote (a build's
    own): the bytes, or a function that opens a new reader of them (each format reads them once)."""
    opened = (lambda: io.BytesIO(ntriples)) if isinstance(ntriples, bytes) else ntriples
    with opened() as stream:
        _turtle(ox.parse(stream, format=ox.RdfFormat.N_TRIPLES, lenient=True), turtle, prefixes)
    with opened() as stream:
        write_jsonld(stream, jsonld, prefixes=prefixes, kinds=kinds)
