"""``talkgraph serve``: the built graph, read-only, over the SPARQL 1.1 Protocol.

* ``GET|POST /query`` (also ``/sparql``): SPARQL 1.1 Protocol; results as JSON, XML,
  CSV or TSV, graphs as Turtle, N-Triples or JSON-LD, by ``Accept`` or ``?format=``.
* ``GET /queries``: the catalogue as JSON; ``GET /queries/NAME?param=value``: a named
  query's results (JSON, or CSV/TSV/XML by ``Accept`` or ``?format=``).
* ``GET /``: a query page that works offline (no CDN) and offers the catalogue.
* Updates are refused (403). A query running past the time limit is stopped (its
  worker process is killed and replaced; others keep being served) and answered
  with 503. Results are capped at ``max_rows`` (header ``X-Talkgraph-Truncated``).
"""

from __future__ import annotations

import json
import multiprocessing
import queue
import threading
import urllib.parse
from dataclasses import dataclass
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

from ..errors import TalkgraphError

__all__ = ["serve", "make_server", "ServerConfig"]

RESULT_TYPES = {
    "json": "application/sparql-results+json", "xml": "application/sparql-results+xml",
    "csv": "text/csv", "tsv": "text/tab-separated-values",
}
GRAPH_TYPES = {"turtle": "text/turtle", "ntriples": "application/n-triples", "jsonld": "application/ld+json"}
_ALIASES = {"application/json": "json", "text/plain": "ntriples", "application/x-turtle": "turtle"}


@dataclass(frozen=True)
class ServerConfig:
    store: str
    timeout: float = 30.0
    max_rows: int = 10_000
    workers: int = 2


# ------------------------------------------------------------------ worker processes

def _worker_main(store_path: str, connection) -> None:
    """Runs in a child process: open the store read-only and answer requests until told to stop."""
    import pyoxigraph as ox

    from .sparql import EmbeddedStore, format_results, run_query, run_sparql

    backend = EmbeddedStore(ox.Store.read_only(store_path), name=store_path)
    while True:
        request = connection.recv()
        if request is None:
            return
        kind, text_or_name, params, fmt, max_rows = request
        try:
            if kind == "named":
                results = run_query(text_or_name, store=backend, params=params, limit=max_rows)
            else:
                results = run_sparql(text_or_name, store=backend, source="query", limit=max_rows)
            body = _serialise(results, fmt, format_results)
            connection.send(("ok", results.kind, body, results.truncated))
        except TalkgraphError as error:
            connection.send(("error", type(error).__name__, str(error), False))
        except Exception as error:  # a query the store cannot evaluate
            connection.send(("error", "QueryError", f"{type(error).__name__}: {error}", False))


def _serialise(results, fmt: str, format_results) -> tuple[str, bytes]:
    import pyoxigraph as ox

    if results.kind == "graph":
        graph_format = fmt if fmt in GRAPH_TYPES else "turtle"
        if graph_format == "ntriples":
            return GRAPH_TYPES["ntriples"], ox.serialize(results.triples, format=ox.RdfFormat.N_TRIPLES)
        # Turtle and JSON-LD (the JSON of a graph) as `talkgraph query` prints them
        text = format_results(results, "json" if graph_format == "jsonld" else "turtle")
        return GRAPH_TYPES[graph_format], text.encode("utf-8")
    result_format = fmt if fmt in RESULT_TYPES else "json"
    content_type = RESULT_TYPES[result_format]
    if result_format == "csv":
        content_type += "; charset=utf-8"
    return content_type, format_results(results, result_format).encode("utf-8")


class _Worker:
    def __init__(self, store: str):
        context = multiprocessing.get_context("spawn")
        self.connection, child = context.Pipe()
        self.process = context.Process(target=_worker_main, args=(store, child), daemon=True)
        self.process.start()

    def stop(self) -> None:
        if self.process.is_alive():
            self.process.terminate()
        self.process.join(5)


class WorkerPool:
    """Worker processes with the store open; a query past its time limit costs its worker, not the server."""

    def __init__(self, config: ServerConfig):
        self.config = config
        self.idle: queue.Queue[_Worker] = queue.Queue()
        for _ in range(config.workers):
            self.idle.put(_Worker(config.store))

    def run(self, request) -> tuple:
        worker = self.idle.get()
        try:
            worker.connection.send(request)
            if worker.connection.poll(self.config.timeout):
                answer = worker.connection.recv()
                self.idle.put(worker)
                return answer
        except (EOFError, OSError):
            pass
        worker.stop()
        threading.Thread(target=lambda: self.idle.put(_Worker(self.config.store)), daemon=True).start()
        return ("timeout", "", f"the query ran past the time limit of {self.config.timeout:g} s and was stopped",
                False)

    def close(self) -> None:
        while not self.idle.empty():
            worker = self.idle.get_nowait()
            try:
                worker.connection.send(None)
            except OSError:
                pass
            worker.stop()


# ------------------------------------------------------------------ HTTP

def _negotiate(accept: str, explicit: str | None) -> str:
    if explicit:
        return _ALIASES.get(explicit, explicit.lower())
    for part in accept.split(","):
        media = part.split(";")[0].strip().lower()
        for name, mime in {**RESULT_TYPES, **GRAPH_TYPES}.items():
            if media == mime:
                return name
        if media in _ALIASES:
            return _ALIASES[media]
    return ""


class _Handler(BaseHTTPRequestHandler):
    server_version = "talkgraph"
    pool: WorkerPool
    page: bytes

    def log_message(self, format, *args):  # quiet by default; errors still reach stderr via send_error
        pass

    # -- plumbing
    def _send(self, status: int, content_type: str, body: bytes, headers: dict | None = None) -> None:
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        self.send_header("X-Content-Type-Options", "nosniff")
        for name, value in (headers or {}).items():
            self.send_header(name, value)
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(body)

    def _problem(self, status: int, message: str) -> None:
        self._send(status, "text/plain; charset=utf-8", (message.rstrip() + "\n").encode("utf-8"))

    def _answer(self, request) -> None:
        outcome, kind, body, truncated = self.pool.run(request)
        if outcome == "ok":
            content_type, payload = body
            self._send(200, content_type, payload, {"X-Talkgraph-Truncated": "true"} if truncated else None)
        elif outcome == "timeout":
            self._problem(HTTPStatus.SERVICE_UNAVAILABLE, body)
        else:
            status = {"UnknownQuery": HTTPStatus.NOT_FOUND, "UpdateRefused": HTTPStatus.FORBIDDEN}.get(
                kind, HTTPStatus.BAD_REQUEST)
            self._problem(status, body)

    # -- routes
    def do_GET(self):
        url = urllib.parse.urlsplit(self.path)
        args = urllib.parse.parse_qs(url.query, keep_blank_values=True)
        if url.path in ("/", "/index.html"):
            return self._send(200, "text/html; charset=utf-8", self.page,
                              {"Content-Security-Policy": "default-src 'self'; script-src 'unsafe-inline'; "
                                                          "style-src 'unsafe-inline'"})
        if url.path in ("/query", "/sparql"):
            if "update" in args:
                return self._problem(HTTPStatus.FORBIDDEN, "this endpoint is read-only: updates are refused")
            if "query" not in args:
                return self._problem(HTTPStatus.BAD_REQUEST, "give the query in the 'query' parameter")
            fmt = _negotiate(self.headers.get("Accept", ""), (args.get("format") or [None])[0])
            return self._answer(("sparql", args["query"][0], {}, fmt, self.server.config.max_rows))
        if url.path == "/queries":
            from .catalogue import load_catalogue

            listing = [q.describe() for q in load_catalogue().values()]
            return self._send(200, "application/json", json.dumps(listing, ensure_ascii=False).encode("utf-8"))
        if url.path.startswith("/queries/"):
            name = urllib.parse.unquote(url.path[len("/queries/"):])
            fmt = _negotiate(self.headers.get("Accept", ""), (args.pop("format", None) or [None])[0])
            params = {key: values[-1] for key, values in args.items()}
            return self._answer(("named", name, params, fmt, self.server.config.max_rows))
        if url.path == "/update":
            return self._problem(HTTPStatus.FORBIDDEN, "this endpoint is read-only: updates are refused")
        return self._problem(HTTPStatus.NOT_FOUND, f"nothing at {url.path}; try / or /query or /queries")

    do_HEAD = do_GET

    def do_POST(self):
        url = urllib.parse.urlsplit(self.path)
        length = int(self.headers.get("Content-Length") or 0)
        if length > 1 << 20:
            return self._problem(HTTPStatus.REQUEST_ENTITY_TOO_LARGE, "queries are limited to 1 MB")
        body = self.rfile.read(length).decode("utf-8", "replace")
        content_type = self.headers.get("Content-Type", "").split(";")[0].strip().lower()
        if url.path == "/update" or content_type == "application/sparql-update":
            return self._problem(HTTPStatus.FORBIDDEN, "this endpoint is read-only: updates are refused")
        if url.path not in ("/query", "/sparql"):
            return self._problem(HTTPStatus.NOT_FOUND, f"nothing to POST at {url.path}; use /query")
        args = urllib.parse.parse_qs(url.query, keep_blank_values=True)
        if content_type == "application/sparql-query":
            text = body
        else:
            form = urllib.parse.parse_qs(body, keep_blank_values=True)
            if "update" in form:
                return self._problem(HTTPStatus.FORBIDDEN, "this endpoint is read-only: updates are refused")
            if "query" not in form:
                return self._problem(HTTPStatus.BAD_REQUEST, "give the query in the 'query' form field")
            text = form["query"][0]
            args.update(form)
        fmt = _negotiate(self.headers.get("Accept", ""), (args.get("format") or [None])[0])
        return self._answer(("sparql", text, {}, fmt, self.server.config.max_rows))


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    config: ServerConfig


def make_server(store: str | Path, *, host: str = "127.0.0.1", port: int = 7878, timeout: float = 30.0,
                max_rows: int = 10_000, workers: int = 2) -> _Server:
    """A ready server (call ``serve_forever()``); ``port=0`` picks a free port."""
    from .sparql import open_store

    backend = open_store(store)  # checks the store exists, with a clear message if not
    path = backend.name
    del backend
    config = ServerConfig(path, timeout=timeout, max_rows=max_rows, workers=workers)
    handler = type("Handler", (_Handler,), {"pool": WorkerPool(config), "page": _page()})
    try:
        server = _Server((host, port), handler)
    except OSError as error:
        handler.pool.close()
        raise TalkgraphError(f"cannot listen on {host}:{port}: {error.strerror}") from None
    server.config = config
    server.pool = handler.pool
    return server


def serve(store: str | Path, **options) -> None:
    server = make_server(store, **options)
    try:
        server.serve_forever()
    finally:
        server.server_close()
        server.pool.close()


def _page() -> bytes:
    return (Path(__file__).parent / "page.html").read_bytes()
