"""The build's one concurrency seam: what runs beside what, and how its stores are handed on.

The steps in :mod:`talkgraph.pipeline.steps` are plain sequential functions. Only three
things here run on threads, each because Oxigraph parses and loads without holding the GIL,
so a second core can load a store while Python makes or writes the triples:

- :func:`serialize` turns the triples into N-Triples (given a build folder, written into its
  ``graph.nt``) and, meanwhile, loads the in-memory store that validation will use and (given a
  build folder) the on-disk store that :func:`~talkgraph.pipeline.write_outputs` will publish. What it loaded comes back as
  :class:`Stores`, the hand-off from a build to its :class:`~talkgraph.pipeline.BuildResult`
  (removed by :func:`discarded_on_error` if the build stops before it returns).
- :func:`run_beside` runs the writers in this thread while validation and the loading of the
  on-disk store go on in others.
- :func:`gc_paused` pauses Python's cyclic garbage collector for a build's millions of
  long-lived, acyclic objects.

:data:`PRELOAD_CHUNK` and :data:`STORE_SLICE` size the pieces (module constants, read on each
call, so a test may make them small enough to cut a small table into several).
"""

from __future__ import annotations

import gc
import shutil
import weakref
from bisect import bisect_right
from concurrent.futures import Future, ThreadPoolExecutor
from contextlib import contextmanager
from itertools import islice
from pathlib import Path
from typing import Callable, Iterable, Iterator

from .. import engine as ox
from ..errors import OutputError
from ..outputs.ntriples import NTriples
from ..store.folder import BuildFolder
from ..store.sparql import STORE_DIR

__all__ = ["gc_paused", "serialize", "Stores", "discarded_on_error", "DiskStore", "new_build_folder", "write_store",
           "run_beside", "PRELOAD_CHUNK", "STORE_SLICE", "GRAPH_FILE"]

#: The build folder's N-Triples file, which :func:`serialize` writes as the triples are made.
GRAPH_FILE = "graph.nt"
#: Triples serialised (and sent to the in-memory store) at a time: about 20 MB of N-Triples.
PRELOAD_CHUNK = 100_000
#: Bytes of N-Triples bulk-loaded into an on-disk store at a time.
STORE_SLICE = 32 << 20


@contextmanager
def gc_paused():
    """Pause Python's cyclic garbage collector.

    A build allocates millions of small objects that all live until it ends; the
    collector would walk them again and again for nothing (a large share of a big
    build's time). They hold no reference cycles, so nothing is leaked.
    """
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


class Stores:
    """The stores a build loaded while it made its triples, handed to its result.

    Each is handed out once, and only for the very N-Triples it holds (a result whose
    ``ntriples`` were replaced gets none). A staged on-disk store that is never taken is
    removed: when its result is garbage-collected, or by :meth:`discard`.
    """

    def __init__(self, ntriples: NTriples, memory: ox.Store | None, folder: BuildFolder | None,
                 loading: Future | None):
        self._ntriples = ntriples
        self._memory = memory
        self._staged = None if folder is None else (folder, loading)
        self._cleanup = None if folder is None else weakref.finalize(self, _discard_staged, folder, loading)

    def memory_store(self, ntriples: NTriples) -> ox.Store | None:
        """The in-memory store loaded with ``ntriples``, if one was (once)."""
        memory, self._memory = self._memory, None
        return memory if ntriples is self._ntriples else None

    def disk_store(self, ntriples: NTriples, out: Path) -> tuple[BuildFolder, Future] | None:
        """The build folder staged in the output folder ``out`` and the loading of its store (a future
        of the store's folder), if it holds ``ntriples``; a staged folder not taken is removed."""
        staged, self._staged = self._staged, None
        if staged is None:
            return None
        self._cleanup.detach()
        folder, loading = staged
        if ntriples is self._ntriples and folder.out.resolve() == out.resolve():
            return folder, loading
        _discard_staged(folder, loading)
        return None

    def discard(self) -> None:
        """Let go of both stores now, removing a staged build folder."""
        self._memory = None
        staged, self._staged = self._staged, None
        if staged is not None:
            self._cleanup.detach()
            _discard_staged(*staged)


@contextmanager
def discarded_on_error(stores: Stores | None):
    """Let go of ``stores`` (removing a staged build folder) if the block fails or is stopped
    (Ctrl-C): a build that never returns leaves nothing behind."""
    try:
        yield
    except BaseException:
        if stores is not None:
            stores.discard()
        raise


def serialize(triples: Iterator[ox.Triple], *, preload: bool, out_dir: Path | None = None,
              ready: Callable[[], bool] | None = None) -> tuple[NTriples, Stores | None]:
    """The N-Triples of ``triples`` and, while they are made, the stores that will hold them.

    With ``preload``, an in-memory store for validation, loaded chunk by chunk on a thread of its
    own while later triples are still being made. Into an in-memory store ``Store.load`` costs
    less than ``bulk_load`` for the same memory; on disk ``bulk_load`` is the fast one (see
    benchmarks/README.md).

    With an ``out_dir``, a new build folder there: the N-Triples are written into its ``graph.nt``
    as they are made (not held in memory: :mod:`talkgraph.outputs.ntriples`), and a new on-disk
    store in it is loaded on another thread from slices of the N-Triples made so far (read back,
    two at most in hand), once ``ready()`` (the mention workers are done: until then both cores are
    busy), or at once without ``ready``. What is left when the last triple is made is loaded, and
    the store compacted, after this returns. The build folder is removed if this fails.
    """
    if not preload and out_dir is None:
        return NTriples(ox.serialize(triples, format=ox.RdfFormat.N_TRIPLES)), None
    folder = new_build_folder(out_dir) if out_dir is not None else None
    try:
        disk = DiskStore(folder.path / STORE_DIR) if folder is not None else None
        text = NTriples.in_file(folder.path / GRAPH_FILE) if folder is not None else NTriples.in_memory()
    except OSError as error:
        folder.discard()
        raise OutputError(folder.path, error) from None
    except BaseException:
        folder.discard()
        raise
    store = ox.Store() if preload else None
    memory, on_disk = ThreadPoolExecutor(max_workers=1), ThreadPoolExecutor(max_workers=1)
    loads: list[Future] = []  # into the in-memory store
    slices: list[Future] = []  # into the on-disk store, one after the other, then closing it
    loaded, ends = 0, []  # bytes of the N-Triples sent to the on-disk store; where each chunk ends
    chunk_size, slice_size = PRELOAD_CHUNK, STORE_SLICE
    try:
        while chunk := ox.serialize(islice(triples, chunk_size), format=ox.RdfFormat.N_TRIPLES):
            text.append(chunk)
            ends.append(text.size)
            if store is not None:
                loads.append(memory.submit(store.load, chunk, format=ox.RdfFormat.N_TRIPLES, lenient=True))
            if disk is not None and ends[-1] - loaded >= slice_size and sum(not s.done() for s in slices) < 2 \
                    and (ready is None or ready()):
                end = ends[max(bisect_right(ends, loaded + slice_size) - 1, bisect_right(ends, loaded))]
                slices.append(on_disk.submit(disk.load, text.read(loaded, end)))
                loaded = end
            del chunk  # sent on: not kept while the next one is made
        for load in loads:
            load.result()
        text.finish()
        if disk is not None:
            slices.append(on_disk.submit(disk.close, slices[:], text, loaded))  # goes on after this returns
    except BaseException:
        for future in loads + slices:
            future.cancel()
        memory.shutdown(wait=True)
        on_disk.shutdown(wait=True)
        if disk is not None:
            disk.discard()
            folder.discard()
        raise
    memory.shutdown()
    on_disk.shutdown(wait=False)
    return text, Stores(text, store, folder, slices[-1] if disk is not None else None)


def new_build_folder(out: Path) -> BuildFolder:
    """A new build folder in the output folder ``out`` (see :mod:`talkgraph.store.folder`)."""
    try:
        return BuildFolder(out)
    except OSError as error:
        raise OutputError(out, error) from None


def run_beside(main: Callable[[], object], *others: Callable[[], object] | Future | None) -> None:
    """Run ``main()`` in this thread while each of ``others`` (a function, or a future already under
    way; ``None`` is skipped) runs on a thread of its own; return once all are done, raising the
    first error met (``main``'s, else the others' in order)."""
    jobs = [job for job in others if job is not None]
    with gc_paused(), ThreadPoolExecutor(max_workers=max(1, len(jobs))) as pool:
        futures = [job if isinstance(job, Future) else pool.submit(job) for job in jobs]
        try:
            main()
        finally:
            for future in futures:
                future.result()


def write_store(ntriples: bytes | NTriples, path: str | Path) -> Path:
    """Load the graph into a new persistent store in the folder ``path`` (which must not exist yet);
    return it. ``ntriples`` are a build's own (:attr:`BuildResult.ntriples`), parsed without
    checking their IRIs again.

    Queries then open it read-only in milliseconds instead of re-parsing Turtle.
    """
    return DiskStore(Path(path)).close((), ntriples if isinstance(ntriples, NTriples) else NTriples(ntriples))


class DiskStore:
    """A new Oxigraph store in the folder ``path``, loaded slice by slice.

    One bulk load of a large graph holds all of it in memory at once; slices of :data:`STORE_SLICE`
    keep the peak small (see benchmarks/README.md).
    """

    def __init__(self, path: Path):
        self.folder = path
        try:
            path.mkdir(parents=True)
        except OSError as error:
            raise OutputError(path, error) from None
        try:
            self.store: ox.Store | None = ox.Store(str(self.folder))
        except BaseException:
            shutil.rmtree(self.folder, ignore_errors=True)
            raise

    def load(self, ntriples: bytes) -> None:
        self.store.bulk_load(ntriples, format=ox.RdfFormat.N_TRIPLES, lenient=True)

    def close(self, loads: Iterable[Future], ntriples: NTriples, start: int = 0) -> Path:
        """Once ``loads`` (into the store) are done, load ``ntriples[start:]`` in slices, compact and
        close the store; return its folder. The store is removed if anything fails.

        Bulk loading leaves dozens of overlapping files; compacting them costs a few seconds on a large
        graph and makes the joins of the query catalogue faster on the read-only store.
        """
        slice_size = STORE_SLICE
        try:
            for load in loads:
                load.result()
            for piece in ntriples.pieces(start, slice_size):
                self.load(piece)
            self.store.flush()
            self.store.optimize()
            self.store = None  # closes the database
        except BaseException:
            self.discard()
            raise
        return self.folder

    def discard(self) -> None:
        self.store = None
        shutil.rmtree(self.folder, ignore_errors=True)


def _discard_staged(folder: BuildFolder, loading: Future | None) -> None:
    """Remove a staged build folder once the loading of its store is over."""
    try:
        if loading is not None:
            loading.result()
    except BaseException:
        pass
    folder.discard()
