"""The process pool that finds the mentions of a large table beside the rest of the build.

Owns :class:`MentionJob`: talks are fed one at a time while the table is still read, and
on a large table forked worker processes (which share the extractor) each take a chunk and
send back only offsets. The workers die with the build and leave Ctrl-C and SIGTERM to it.
This module knows nothing about matching: it calls the extractor's ``spans``.
"""

from __future__ import annotations

import multiprocessing
import os
from concurrent.futures import ProcessPoolExecutor
from typing import TYPE_CHECKING, Iterator

from ..processes import die_with_parent, signals_deferred
from .candidates import CandidateTerms

if TYPE_CHECKING:
    from .mentions import MentionExtractor

__all__ = ["MentionJob"]


class MentionJob:
    """Extraction of many talks, fed one talk at a time while the table is still being read.

    Talks are buffered in chunks; once there are two chunks' worth, a pool of worker
    processes starts (forked, so they share the extractor) and each full chunk is sent to
    it, so extraction runs beside reading and linking. spaCy's own
    ``nlp.pipe(n_process=...)`` pickles every Doc back to the parent; these workers send
    back only offsets. Small tables never start a pool.
    """

    def __init__(self, extractor: "MentionExtractor", *, processes: int | None = None,
                 candidates: CandidateTerms | None = None, chunk: int = 2000):
        self.extractor, self.candidates, self.chunk = extractor, candidates, chunk
        self.processes = processes if processes is not None else (os.cpu_count() or 1)
        if "fork" not in multiprocessing.get_all_start_methods():
            self.processes = 1
        self.buffer: list[tuple[str, str]] = []
        self.pending: list = []  # futures of the chunks whose results are not yet taken, in order
        self.pool: ProcessPoolExecutor | None = None

    def add(self, title: str, abstract: str) -> None:
        self.buffer.append((title, abstract))
        if self.processes > 1 and len(self.buffer) >= (self.chunk if self.pool else 2 * self.chunk):
            self._submit()

    def _submit(self) -> None:
        with signals_deferred():  # submit() forks the workers: no Ctrl-C inside a fork (processes.py)
            self._submit_chunks()

    def _submit_chunks(self) -> None:
        global _WORKER
        if self.pool is None:
            _WORKER = self.extractor
            # Started from this (the calling) thread, which lives as long as the workers should: see
            # talkgraph.processes.die_with_parent.
            self.pool = ProcessPoolExecutor(max_workers=self.processes,
                                            mp_context=multiprocessing.get_context("fork"),
                                            initializer=_start_worker, initargs=(os.getpid(),))
        for i in range(0, len(self.buffer), self.chunk):
            self.pending.append(self.pool.submit(_work, self.buffer[i:i + self.chunk]))
        self.buffer = []

    def results(self) -> Iterator[list[tuple[int, int, int, int, bool]]]:
        """The spans of every talk added, in order; the pool shuts down at the end."""
        try:
            if self.pool is not None and self.buffer:
                self._submit()
            while self.pending:
                results, found = self.pending.pop(0).result()  # popped: its results are freed once used
                if self.candidates is not None:
                    self.candidates.update(found)
                yield from results
            for title, abstract in self.buffer:
                yield self.extractor.spans(title, abstract, self.candidates)
            self.buffer = []
        finally:
            self.close()

    def workers_done(self) -> bool:
        """Whether no worker process has (or will be given) talks left to extract. (A chunk whose
        results were taken left :attr:`pending` done; ask between two results, not from another thread.)"""
        return not self.buffer and all(future.done() for future in self.pending)

    def close(self) -> None:
        """Stop the worker processes (pending chunks are cancelled); safe to call twice.

        Workers still extracting (the build stopped midway: an error, Ctrl-C, SIGTERM) are killed
        rather than waited for.
        """
        pool, self.pool = self.pool, None
        if pool is None:
            return
        if not all(future.done() for future in self.pending):
            # ProcessPoolExecutor has no public way to kill its workers before Python 3.14
            # (kill_workers()); shutdown() would wait for each to finish its chunk.
            for process in list((getattr(pool, "_processes", None) or {}).values()):
                process.kill()
        self.pending = []
        pool.shutdown(cancel_futures=True)


_WORKER: "MentionExtractor | None" = None


def _start_worker(parent: int) -> None:
    """A worker dies with the build (even one killed with SIGKILL) and leaves stopping to it: Ctrl-C
    and SIGTERM sent to the whole process group are the build's to handle (it then kills its workers)."""
    import signal

    die_with_parent(parent)
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, signal.SIG_IGN)


def _work(pairs):
    found = CandidateTerms()
    return [_WORKER.spans(title, abstract, found) for title, abstract in pairs], found
