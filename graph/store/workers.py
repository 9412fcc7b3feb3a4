"""The worker processes that evaluate the server's queries, and the rules that keep it fair.

Each worker is a process with the store open read-only, so a query that runs too long
or grows too big costs its worker, never the server: the worker is killed and a new one
takes its place. The rules (see docs/server.md):

* **One deadline per request.** A request has ``timeout`` seconds in all, waiting for a
  worker plus running; past it, it is answered 503 and, if it was running, its worker
  is replaced.
* **Bounded waiting.** At most ``queue`` requests of each kind wait for a worker; one
  more is answered 503 with ``Retry-After`` at once.
* **Named queries are never starved.** Ad-hoc SPARQL runs on at most ``workers - 1``
  workers, so one worker is always left for the catalogue's named queries (our own,
  bounded queries), however many endless ad-hoc queries arrive. Named queries may use
  every worker, the kept one first. The workers that take ad-hoc queries run at a lower
  CPU priority (nice 10), so that endless queries do not slow the kept worker down by
  taking its processor either. (With one worker there is nothing to keep.)
* **A memory cap per worker.** Each worker limits its own data size
  (``RLIMIT_DATA``) to ``max_memory`` MB; a query that needs more is stopped there (the
  engine aborts the worker, or Python raises MemoryError) and answered 503.

Workers are started by one long-lived thread of the server and die with it (see
:func:`talkgraph.processes.die_with_parent`).
"""

from __future__ import annotations

import collections
import itertools
import multiprocessing
import os
import queue
import signal
import sys
import threading
import time
from dataclasses import dataclass

from ..errors import TalkgraphError

__all__ = ["WorkerPool", "Answer", "NAMED", "ADHOC"]

NAMED, ADHOC = "named", "sparql"
#: The CPU priority (nice) of the workers that take ad-hoc queries.
ADHOC_NICENESS = 10
#: Seconds a client is asked to wait before trying again when the server is full.
RETRY_AFTER = 2
_START_TIMEOUT = 120.0  # seconds a new worker may take to open the store


@dataclass(frozen=True)
class Answer:
    """What became of a request: ``ok`` (``body`` is (content type, bytes)), ``error`` (``kind`` names
    the error class, ``body`` the message), ``busy``, ``timeout``, ``memory`` or ``crashed``."""

    outcome: str
    kind: str = ""
    body: object = None
    truncated: bool | int = False  # of a named query's page: the offset of the next page (an int)


# ------------------------------------------------------------------ inside a worker

def _worker_main(parent_pid: int, store_path: str, connection, max_memory_mb: int,
                 allowed_services: tuple[str, ...], niceness: int) -> None:
    """Runs in a child process: open the store read-only and answer requests until told to stop."""
    from ..processes import die_with_parent

    die_with_parent(parent_pid)
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C is the server's to handle; it stops us
    _cap_memory(max_memory_mb)
    if niceness and hasattr(os, "nice"):
        os.nice(niceness)
    # The engine reports a failed allocation on stderr before it aborts; the server answers for it.
    devnull = os.open(os.devnull, os.O_WRONLY)
    os.dup2(devnull, 2)

    from .catalogue import get_query
    from .results import encode_results
    from .sparql import open_store, run_query, run_sparql

    backend = open_store(store_path, allowed_services=allowed_services)
    connection.send(("ready",))
    while True:
        request = connection.recv()
        if request is None:
            return
        kind, text_or_name, params, fmt, max_rows, (limit, offset) = request
        try:
            if kind == NAMED:  # a page: its limit (or the ranking's top N) and never more than max_rows
                query = get_query(text_or_name)
                limit = min(max_rows, query.top or max_rows if limit is None else limit)
                results = run_query(query, store=backend, params=params, limit=limit, offset=offset)
                more = results.offset + len(results.solutions) if results.truncated else False  # the next offset
            else:
                results = run_sparql(text_or_name, store=backend, source="query", limit=max_rows)
                more = results.truncated
            body = encode_results(results, fmt)
            connection.send(("ok", results.kind, body, more))
        except MemoryError:
            results = body = None
            connection.send(("memory", "", "", False))
            return  # a fresh worker rather than a fragmented one
        except TalkgraphError as error:
            connection.send(("error", type(error).__name__, str(error), False))
        except Exception as error:  # a query the store cannot evaluate
            connection.send(("error", "QueryError", f"{type(error).__name__}: {error}", False))


def _cap_memory(max_memory_mb: int) -> None:
    """Limit this process's data (heap and anonymous maps; not the store's files, which are mapped)."""
    try:
        import resource
    except ImportError:  # not on this platform: no cap
        return
    limit = max_memory_mb << 20
    try:
        resource.setrlimit(resource.RLIMIT_DATA, (limit, limit))
    except (ValueError, OSError):
        pass


# ------------------------------------------------------------------ the pool

class _Waiter:
    def __init__(self, ticket: int):
        self.ticket, self.event, self.worker = ticket, threading.Event(), None


class _Worker:
    def __init__(self, process, connection, takes_adhoc: bool):
        self.process, self.connection, self.takes_adhoc = process, connection, takes_adhoc
        self._killing = threading.Lock()

    def kill(self) -> int | None:
        """Stop the process (if it still runs) and return its exit code.

        Safe from two threads at once: a stopping server kills every worker while the request
        thread of a query still running sees its worker gone and kills it too; closing the
        pipe twice at once would close one descriptor twice (EBADF, or worse, another's).
        """
        with self._killing:
            if self.process.is_alive():
                self.process.kill()
            self.process.join(5)
            if not self.connection.closed:
                self.connection.close()
        return self.process.exitcode


class WorkerPool:
    """``workers`` processes with the store open, shared fairly between named and ad-hoc queries."""

    def __init__(self, store: str, *, workers: int = 2, timeout: float = 30.0, queue_size: int = 64,
                 max_memory: int = 1024, allowed_services: tuple[str, ...] = ()):
        self.store, self.workers, self.timeout = store, workers, timeout
        self.queue_size, self.max_memory, self.allowed_services = queue_size, max_memory, allowed_services
        self._parent = os.getpid()
        self._lock = threading.Condition()
        self._idle: list[_Worker] = []
        self._all: set[_Worker] = set()
        self._lines = {NAMED: collections.deque(), ADHOC: collections.deque()}
        self._tickets = itertools.count()
        self._closed = False
        self._failure: str | None = None
        self._to_start: queue.SimpleQueue = queue.SimpleQueue()
        # One thread starts every worker, for as long as the pool lives: a child armed with
        # die_with_parent is killed when the thread that started it ends (see talkgraph.processes).
        self._starter = threading.Thread(target=self._start_workers, name="talkgraph-workers", daemon=True)
        self._starter.start()
        # One worker is kept for named queries; the others take ad-hoc ones too. Alone, it takes both.
        for slot in range(workers):
            self._to_start.put(slot > 0 or workers == 1)

    # -- starting workers
    def wait_ready(self, seconds: float = _START_TIMEOUT) -> None:
        """Block until every worker has opened the store; raise TalkgraphError if one could not."""
        deadline = time.monotonic() + seconds
        with self._lock:
            while len(self._idle) < self.workers and self._failure is None:
                if not self._lock.wait(max(0.0, deadline - time.monotonic())) and time.monotonic() >= deadline:
                    break
            if self._failure is not None:
                raise TalkgraphError(self._failure)
            if len(self._idle) < self.workers:
                raise TalkgraphError(f"the query workers did not start within {seconds:g} s")

    def _start_workers(self) -> None:
        context = multiprocessing.get_context("spawn")
        while True:
            takes_adhoc = self._to_start.get()
            if takes_adhoc is None or self._closed:
                return
            connection, child = context.Pipe()
            niceness = ADHOC_NICENESS if takes_adhoc and self.workers > 1 else 0
            process = context.Process(target=_worker_main, daemon=True, name="talkgraph-query-worker",
                                      args=(self._parent, self.store, child, self.max_memory,
                                            self.allowed_services, niceness))
            process.start()
            child.close()
            worker = _Worker(process, connection, takes_adhoc)
            with self._lock:
                self._all.add(worker)
            # Waiting for it to open the store needs no long-lived thread, only the start does.
            threading.Thread(target=self._await_ready, args=(worker,), daemon=True).start()

    def _await_ready(self, worker: _Worker) -> None:
        ready = False
        try:
            ready = worker.connection.poll(_START_TIMEOUT) and worker.connection.recv() == ("ready",)
        except (EOFError, OSError):
            pass
        with self._lock:
            if ready and not self._closed:
                self._idle.append(worker)
                self._dispatch()
                self._lock.notify_all()  # for wait_ready
                return
            self._all.discard(worker)
        code = worker.kill()
        if self._closed:
            return
        reason = (f"a query worker could not open the store {self.store} within --max-memory {self.max_memory} MB "
                  f"(it stopped with {_describe(code)}); give it more memory" if code is not None else
                  f"a query worker did not open the store {self.store} within {_START_TIMEOUT:g} s")
        with self._lock:
            self._failure = self._failure or reason
            self._lock.notify_all()
        print(f"talkgraph serve: {reason}; trying again", file=sys.stderr)
        time.sleep(1.0)
        self._to_start.put(worker.takes_adhoc)

    # -- running requests
    def run(self, request: tuple, *, kind: str, deadline: float | None = None) -> Answer:
        """Evaluate ``request`` on a worker within the request's deadline (arrival + timeout)."""
        deadline = deadline if deadline is not None else time.monotonic() + self.timeout
        worker = self._acquire(kind, deadline)
        if isinstance(worker, Answer):
            return worker
        if time.monotonic() >= deadline:  # handed a worker just too late: give it back unused
            self._release(worker)
            return self._waited_too_long()
        try:
            worker.connection.send(request)
            if worker.connection.poll(max(0.0, deadline - time.monotonic())):
                outcome, error_kind, body, truncated = worker.connection.recv()
                if outcome == "memory":
                    self._replace(worker)
                    return self._memory_answer()
                self._release(worker)
                return Answer(outcome, error_kind, body, truncated)
        except (EOFError, OSError):  # the worker died while evaluating
            code = self._replace(worker)
            if self._closed:  # stopped with the server, not by the query
                return Answer("busy", "", "the server is stopping")
            if code == -signal.SIGABRT:  # what the engine does when an allocation fails under the cap
                return self._memory_answer()
            return Answer("crashed", "", f"the query stopped the worker evaluating it ({_describe(code)}); "
                                         "the worker was replaced")
        self._replace(worker)
        return Answer("timeout", "", f"the query ran past the time limit of {self.timeout:g} s and was stopped")

    def _memory_answer(self) -> Answer:
        return Answer("memory", "", f"the query needed more than {self.max_memory:,} MB and was stopped "
                                    "(the server's --max-memory per worker)")

    def _waited_too_long(self) -> Answer:
        return Answer("timeout", "", f"the query waited {self.timeout:g} s for a free worker and was not run "
                                     f"(the time limit of {self.timeout:g} s counts waiting and running); "
                                     "the server is busy")

    def _acquire(self, kind: str, deadline: float) -> _Worker | Answer:
        """A worker for a query of this kind, in order of arrival within each kind.

        A waiting request is handed its worker by whoever frees one (:meth:`_dispatch`) and
        woken alone: with dozens waiting, waking them all to compete would cost more than the
        queries.
        """
        line = self._lines[kind]
        with self._lock:
            if self._closed:
                return Answer("busy", "", "the server is stopping")
            worker = self._idle_for(kind) if not line else None
            if worker is not None:
                self._idle.remove(worker)
                return worker
            if len(line) >= self.queue_size:
                return Answer("busy", "", f"the server is busy: {len(line)} {_KIND_NAMES[kind]} are already "
                                          f"waiting; try again in {RETRY_AFTER} s")
            waiter = _Waiter(next(self._tickets))
            line.append(waiter)
        waiter.event.wait(max(0.0, deadline - time.monotonic()))
        with self._lock:
            if waiter.worker is not None:
                return waiter.worker
            if waiter in line:
                line.remove(waiter)
            return Answer("busy", "", "the server is stopping") if self._closed else self._waited_too_long()

    def _dispatch(self) -> None:
        """Hand idle workers to the requests that have waited longest and may use them (lock held)."""
        while self._idle:
            heads = [(line[0], kind) for kind, line in self._lines.items()
                     if line and self._idle_for(kind) is not None]
            if not heads:
                return
            waiter, kind = min(heads, key=lambda head: head[0].ticket)
            worker = self._idle_for(kind)
            self._idle.remove(worker)
            self._lines[kind].popleft()
            waiter.worker = worker
            waiter.event.set()

    def _idle_for(self, kind: str) -> _Worker | None:
        """An idle worker that may take a query of this kind: for a named query the kept one first."""
        fits = [w for w in self._idle if w.takes_adhoc or kind == NAMED]
        return min(fits, key=lambda w: w.takes_adhoc) if fits else None

    def _release(self, worker: _Worker) -> None:
        with self._lock:
            self._idle.append(worker)
            self._dispatch()

    def _replace(self, worker: _Worker) -> int | None:
        code = worker.kill()
        with self._lock:
            self._all.discard(worker)
        if not self._closed:
            self._to_start.put(worker.takes_adhoc)
        return code

    def close(self) -> None:
        with self._lock:
            self._closed = True
            workers = list(self._all)
            self._all.clear()
            self._idle.clear()
            for line in self._lines.values():
                for waiter in line:
                    waiter.event.set()
                line.clear()
            self._lock.notify_all()
        self._to_start.put(None)
        for worker in workers:
            try:
                worker.connection.send(None)
            except OSError:
                pass
            worker.kill()


_KIND_NAMES = {NAMED: "named queries", ADHOC: "SPARQL queries"}


def _describe(code: int | None) -> str:
    if code is None:
        return "no exit code"
    if code < 0:
        try:
            return f"signal {signal.Signals(-code).name}"
        except ValueError:
            return f"signal {-code}"
    return f"exit code {code}"
