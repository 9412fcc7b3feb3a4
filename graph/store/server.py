"""``talkgraph serve``: the built graph, read-only, over the SPARQL 1.1 Protocol.

* ``GET|POST /query`` (also ``/sparql``): SPARQL 1.1 Protocol; results as JSON, XML,
  CSV or TSV, graphs as Turtle, N-Triples or JSON-LD, by ``Accept`` or ``?format=``.
* ``GET /queries``: the catalogue as JSON; ``GET /queries/NAME?param=value``: a named
  query's results (JSON, or CSV/TSV/XML by ``Accept`` or ``?format=``).
* ``GET /``: a query page that works offline (no CDN) and offers the catalogue.

What it refuses, and why, is in docs/server.md: updates (403); queries that call a
service not allowed by ``allowed_services`` or that are nested too deeply (400, before
any engine sees them); requests whose ``Host`` is not this server's address (403, so a
web page cannot reach it through DNS rebinding); cross-origin reads unless ``cors``
names the origin. Queries run in worker processes under a deadline, a memory cap and a
fair share (see :mod:`talkgraph.store.workers`); connections are bounded in number and in the
time they may take to send their request.
"""

from __future__ import annotations

import socket
import sys
import threading
import time
from dataclasses import dataclass, field
from http.server import ThreadingHTTPServer
from pathlib import Path

from ..errors import InputError, TalkgraphError, shown
from .handler import Handler
from .workers import RETRY_AFTER, WorkerPool

__all__ = ["make_server", "serve_until_stopped", "ServerConfig", "Server"]

#: Seconds the requests still open when the server is told to stop may take to be answered;
#: past it, the workers are stopped and those requests are answered 503.
STOP_GRACE = 10.0

#: The names of the loopback address, which the server always answers to.
LOOPBACK_NAMES = ("localhost", "127.0.0.1", "[::1]")


@dataclass(frozen=True)
class ServerConfig:
    """What ``make_server`` was given, and the names the server answers to (``host_names``)."""

    store: str
    timeout: float = 30.0
    max_rows: int = 10_000
    workers: int = 2
    queue: int = 64
    max_memory: int = 1024
    max_connections: int = 128
    idle_timeout: float = 10.0
    allowed_services: tuple[str, ...] = ()
    allowed_hosts: tuple[str, ...] = ()
    cors: tuple[str, ...] = ()
    host: str = "127.0.0.1"
    port: int = 7878
    host_names: frozenset = field(default=frozenset(), compare=False)


class Server(ThreadingHTTPServer):
    """One thread per connection, at most ``max_connections`` of them; one more is answered 503 and closed
    at once. A connection has ``idle_timeout`` seconds in all to send its request."""

    daemon_threads = True
    request_queue_size = 128  # the listen backlog: a burst of clients is accepted, not made to retry
    config: ServerConfig
    pool: WorkerPool

    def __init__(self, address, handler, config: ServerConfig):
        self.config = config
        self._open = 0
        self._open_lock = threading.Lock()
        self._deadlines: dict[socket.socket, float] = {}
        super().__init__(address, handler)
        self._reaper = threading.Thread(target=self._reap, name="talkgraph-reaper", daemon=True)
        self._reaper.start()

    def process_request(self, request, client_address):
        with self._open_lock:
            full = self._open >= self.config.max_connections
            if not full:
                self._open += 1
        if full:
            self._refuse(request, b"too many open connections; try again later\n")
            return
        try:
            super().process_request(request, client_address)
        except Exception:
            with self._open_lock:
                self._open -= 1
            raise

    def _refuse(self, request, reason: bytes) -> None:
        """Answer 503 with ``reason`` at once, without reading the request, and close."""
        try:
            request.setblocking(False)
            request.send(b"HTTP/1.0 503 Service Unavailable\r\nContent-Type: text/plain; charset=utf-8\r\n"
                         b"Retry-After: " + str(RETRY_AFTER).encode() + b"\r\nConnection: close\r\n\r\n" + reason)
        except OSError:
            pass
        self.shutdown_request(request)

    def refuse_waiting(self) -> None:
        """Answer 503 to the connections the kernel accepted that the server has not yet taken up,
        so that a client which reached the server before it stopped is answered, not reset."""
        try:
            self.socket.setblocking(False)
        except OSError:  # already closed
            return
        while True:
            try:
                request, _ = self.socket.accept()
            except OSError:  # none left (BlockingIOError), or the socket is gone
                return
            self._refuse(request, b"the server is stopping\n")

    def open_connections(self) -> int:
        with self._open_lock:
            return self._open

    def process_request_thread(self, request, client_address):
        try:
            super().process_request_thread(request, client_address)
        finally:
            with self._open_lock:
                self._open -= 1

    def handle_error(self, request, client_address):
        error = sys.exc_info()[1]
        if isinstance(error, OSError):  # the client went away, or was too slow and was cut off
            return
        print(f"talkgraph serve: could not answer {client_address[0]}: {type(error).__name__}: "
              f"{shown(str(error), limit=200, quoted=False)}", file=sys.stderr)

    # -- the request deadline of each connection
    def watch(self, connection: socket.socket, deadline: float) -> None:
        with self._open_lock:
            self._deadlines[connection] = deadline

    def unwatch(self, connection: socket.socket) -> None:
        with self._open_lock:
            self._deadlines.pop(connection, None)

    def _reap(self) -> None:
        """Cut off connections that have not sent their whole request in time (one thread for all of them)."""
        while True:
            time.sleep(min(0.5, self.config.idle_timeout / 4))
            now = time.monotonic()
            with self._open_lock:
                late = [c for c, deadline in self._deadlines.items() if deadline <= now]
                for connection in late:
                    del self._deadlines[connection]
            for connection in late:
                try:
                    connection.shutdown(socket.SHUT_RDWR)
                except OSError:
                    pass


def make_server(store: str | Path, *, host: str = "127.0.0.1", port: int = 7878, timeout: float = 30.0,
                max_rows: int = 10_000, workers: int = 2, queue: int = 64, max_memory: int = 1024,
                max_connections: int = 128, idle_timeout: float = 10.0, allowed_services=(), allowed_hosts=(),
                cors=()) -> Server:
    """A ready server (call ``serve_forever()``); ``port=0`` picks a free port.

    It returns once every worker has opened the store, or raises TalkgraphError.
    """
    from .querycheck import allowed_endpoints
    from .sparql import open_store

    backend = open_store(store)  # checks the store exists, with a clear message if not
    if backend.path is None:  # a graph file: the workers open the store by its folder
        raise InputError(store, "no talkgraph store here (the server needs the store a build writes, not a "
                         "graph file)", hint="give a build folder such as out/ (`talkgraph build` writes one)")
    path = str(backend.path)
    del backend
    names = {*LOOPBACK_NAMES, *(h.lower() for h in allowed_hosts)}
    names.add(f"[{host.lower()}]" if ":" in host else host.lower())
    config = ServerConfig(path, timeout=timeout, max_rows=max_rows, workers=workers, queue=queue,
                          max_memory=max_memory, max_connections=max_connections, idle_timeout=idle_timeout,
                          allowed_services=allowed_endpoints(allowed_services), allowed_hosts=tuple(allowed_hosts),
                          cors=tuple(cors), host=host, port=port, host_names=frozenset(names))
    handler = type("Handler", (Handler,), {"page": _page(), "timeout": idle_timeout})
    try:
        server = Server((host, port), handler, config)
    except OSError as error:
        raise TalkgraphError(f"cannot listen on {host}:{port}: {error.strerror}") from None
    server.pool = WorkerPool(path, workers=workers, timeout=timeout, queue_size=queue, max_memory=max_memory,
                             allowed_services=config.allowed_services)
    try:
        server.pool.wait_ready()
    except TalkgraphError:
        server.server_close()
        server.pool.close()
        raise
    return server


def serve_until_stopped(server: Server, *, grace: float = STOP_GRACE) -> str:
    """Serve until SIGINT or SIGTERM (call from the main thread); return the signal's name.

    On the signal the server stops accepting connections, gives the requests already open
    up to ``grace`` seconds (and no more than its query timeout) to be answered, then stops
    its workers, so that whatever is still running is answered 503, and no process is left.
    """
    import signal

    stopped_by: list[str] = []

    def stop(signum, frame):
        if not stopped_by:
            stopped_by.append(signal.Signals(signum).name)
            # serve_forever returns only when asked from another thread
            threading.Thread(target=server.shutdown, name="talkgraph-stop", daemon=True).start()

    previous = {number: signal.signal(number, stop) for number in (signal.SIGINT, signal.SIGTERM)}
    try:
        server.serve_forever()
    finally:
        for number in previous:  # a second Ctrl-C while stopping changes nothing
            signal.signal(number, signal.SIG_IGN)
        server.refuse_waiting()  # those the listen backlog holds get 503, not a reset
        server.server_close()  # no new connections
        deadline = time.monotonic() + min(grace, server.config.timeout)
        while server.open_connections() and time.monotonic() < deadline:
            time.sleep(0.05)
        server.pool.close()
        deadline = time.monotonic() + 2.0  # the 503s of what was still running
        while server.open_connections() and time.monotonic() < deadline:
            time.sleep(0.05)
    return stopped_by[0] if stopped_by else "shutdown"


def _page() -> bytes:
    """The query page, with the prefixes it shows IRIs by (as JSON in its script; ``</`` escaped so
    that no namespace can close the script)."""
    import json

    from .prefixes import display_prefixes

    prefixes = json.dumps(display_prefixes(), sort_keys=True).replace("</", "<\\/")
    return (Path(__file__).parent / "page.html").read_text(encoding="utf-8") \
        .replace("/*PREFIXES*/{}", prefixes, 1).encode("utf-8")
