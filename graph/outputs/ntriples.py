"""A build's N-Triples: in memory, or in the file they were written to as the triples were made.

A build with an output folder writes its N-Triples straight into its build folder's ``graph.nt``
while it makes them (:func:`talkgraph.pipeline.concurrency.serialize`), and everything after
reads them back from there: the stores are loaded from it, Turtle and JSON-LD are written from
it. A graph of 100,000 talks is 850 MB of N-Triples, which a build used to hold in memory,
besides the file, until it ended (benchmarks/README.md). A build without an output folder
keeps them in memory.

The file is kept open while its :class:`NTriples` lives, so the text stays readable even once its
build folder is removed (a later build cleans the folders that are not current).
"""

from __future__ import annotations

import io
import os
from pathlib import Path
from typing import BinaryIO, Iterator

from ..errors import OutputError

__all__ = ["NTriples"]


class NTriples:
    """The N-Triples of a graph, one triple a line, as Oxigraph wrote them.

    Made empty (:meth:`in_memory`, :meth:`in_file`), filled by :meth:`append` and closed by
    :meth:`finish`; or made whole from bytes (``NTriples(data)``).

    >>> text = NTriples(b'<a:s> <a:p> "x" .\\n<a:s> <a:p> "y" .\\n')
    >>> text.lines, text.size, [piece for piece in text.pieces(size=10)]
    (2, 36, [b'<a:s> <a:p> "x" .\\n', b'<a:s> <a:p> "y" .\\n'])
    """

    def __init__(self, data: bytes = b""):
        self._data: bytes | None = data
        self._buffer: io.BytesIO | None = None
        self._file: io.FileIO | None = None
        self.path: Path | None = None
        self.size = len(data)
        self.lines = data.count(b"\n")  # N-Triples escapes newlines inside literals

    @classmethod
    def in_memory(cls) -> "NTriples":
        text = cls()
        text._data, text._buffer = None, io.BytesIO()
        return text

    @classmethod
    def in_file(cls, path: str | Path) -> "NTriples":
        """N-Triples to be written to the new file ``path`` (which must not exist)."""
        text = cls()
        text._data, text.path = None, Path(path)
        text._file = open(path, "x+b", buffering=0)  # noqa: SIM115 -- kept open while the text lives
        return text

    # -- writing ----------------------------------------------------------------------------

    def append(self, chunk: bytes) -> None:
        """Add ``chunk`` (whole lines) at the end."""
        if self._buffer is not None:
            self._buffer.write(chunk)
        else:
            view = memoryview(chunk)
            try:
                while view:  # a raw write may write less than asked
                    view = view[self._file.write(view):]
            except OSError as error:  # a full disk, mostly: name the file
                raise OutputError(self.path, error) from None
        self.size += len(chunk)
        self.lines += chunk.count(b"\n")

    def finish(self) -> "NTriples":
        """Nothing more will be appended."""
        if self._buffer is not None:
            self._data, self._buffer = self._buffer.getvalue(), None  # handed over without a copy
        return self

    def sync(self) -> None:
        """Make sure a file's text is on disk (a no-op in memory)."""
        if self._file is not None:
            os.fsync(self._file.fileno())

    # -- reading ----------------------------------------------------------------------------

    def read(self, start: int = 0, end: int | None = None) -> bytes:
        """The bytes from ``start`` to ``end`` (default: all of them)."""
        end = self.size if end is None else min(end, self.size)
        if self._file is None:  # in memory, read once finished
            return self._data if (start, end) == (0, len(self._data)) else self._data[start:end]
        parts, at = [], start
        while at < end:
            part = os.pread(self._file.fileno(), end - at, at)
            if not part:
                break
            parts.append(part)
            at += len(part)
        return parts[0] if len(parts) == 1 else b"".join(parts)

    def stream(self) -> BinaryIO:
        """A reader of the text from its start, of its own (several may read at once)."""
        if self._file is None:
            return io.BytesIO(self.read())  # shares the bytes until written to
        return io.BufferedReader(_Reader(self._file.fileno(), self.size), 1 << 20)

    def pieces(self, start: int = 0, size: int = 32 << 20) -> Iterator[bytes]:
        """The text from byte ``start`` on, in pieces of whole lines of about ``size`` bytes (a single
        line longer than that is one piece)."""
        while start < self.size:
            piece = self.read(start, start + size)
            if start + len(piece) < self.size:
                cut = piece.rfind(b"\n") + 1
                while cut == 0:  # one line longer than size
                    piece += self.read(start + len(piece), start + len(piece) + size)
                    cut = piece.find(b"\n") + 1 or len(piece)
                piece = piece[:cut]
            start += len(piece)
            yield piece

    def __repr__(self) -> str:
        where = f"in {self.path}" if self.path is not None else "in memory"
        return f"<NTriples: {self.lines:,} lines, {self.size:,} bytes {where}>"


class _Reader(io.RawIOBase):
    """Reads a file descriptor from its start with ``pread``, at a position of its own."""

    def __init__(self, fd: int, size: int):
        self.fd, self.position, self.size = fd, 0, size

    def readable(self) -> bool:
        return True

    def readinto(self, buffer) -> int:
        data = os.pread(self.fd, min(len(buffer), self.size - self.position), self.position)
        buffer[:len(data)] = data
        self.position += len(data)
        return len(data)
