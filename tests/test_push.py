"""`talkgraph push` against real listeners on 127.0.0.1 that fail in each way a store can (#21, part 7)."""

from __future__ import annotations

import contextlib
import socket
import subprocess
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from talkgraph.errors import EndpointError
from talkgraph.store.remote import TRIES, push_graph

from servers import free_port, talkgraph_command

TRIPLES = b"".join(b"<http://example.org/s%d> <http://example.org/p> \"o\" .\n" % i for i in range(3))


@pytest.fixture
def out(tmp_path):
    (tmp_path / "graph.nt").write_bytes(TRIPLES)
    return tmp_path


@contextlib.contextmanager
def answering(*statuses: int, headers: dict[str, str] | None = None):
    """An HTTP server answering PUTs (and POSTs) with these statuses in turn (the last one again and again);
    yields its URL and the (path, body) of each request it got."""
    seen: list[tuple[str, bytes]] = []

    class Handler(BaseHTTPRequestHandler):
        def do_PUT(self):
            body = self.rfile.read(int(self.headers["Content-Length"]))
            seen.append((self.path, body))
            status = statuses[min(len(seen), len(statuses)) - 1]
            self.send_response(status)
            for name, value in (headers or {}).items():
                self.send_header(name, value)
            message = b"" if status == 204 else b"something broke inside the store\n"
            self.send_header("Content-Length", str(len(message)))
            self.end_headers()
            self.wfile.write(message)

        do_POST = do_PUT  # as a SPARQL endpoint would be asked a query

        def log_message(self, *args):
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/store", seen
    finally:
        server.shutdown()
        server.server_close()


@contextlib.contextmanager
def silent(trickle: bool = False):
    """A listener that accepts connections and reads them but never answers (or, with ``trickle``,
    starts an answer and sends one byte of it every 0.2 s, forever)."""
    listener = socket.create_server(("127.0.0.1", 0))
    stop = threading.Event()
    held: list[socket.socket] = []

    def hold(connection: socket.socket) -> None:
        connection.settimeout(0.2)
        sent_status = False
        while not stop.is_set():
            try:
                connection.recv(65536)
            except TimeoutError:
                pass
            except OSError:
                return
            if trickle:
                try:
                    connection.sendall(b"X" if sent_status else b"HTTP/1.1 200 OK\r\nX-Slow: ")
                except OSError:
                    return
                sent_status = True

    def accept() -> None:
        listener.settimeout(0.2)
        while not stop.is_set():
            try:
                connection, _ = listener.accept()
            except TimeoutError:
                continue
            except OSError:
                return
            held.append(connection)
            threading.Thread(target=hold, args=(connection,), daemon=True).start()

    thread = threading.Thread(target=accept, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{listener.getsockname()[1]}/store", held
    finally:
        stop.set()
        thread.join(5)
        for connection in held:
            connection.close()
        listener.close()


def timed(call, *, limit: float):
    """Run ``call`` in a thread; fail (rather than hang) if it has not returned within ``limit`` seconds."""
    outcome: dict[str, object] = {}

    def run():
        started = time.monotonic()
        try:
            outcome["value"] = call()
        except BaseException as error:  # noqa: BLE001 - handed to the test
            outcome["error"] = error
        outcome["seconds"] = time.monotonic() - started

    thread = threading.Thread(target=run, daemon=True)
    thread.start()
    thread.join(limit)
    assert not thread.is_alive(), f"still running after {limit} s"
    return outcome


def test_a_server_that_never_answers_stops_the_command_within_its_timeout(out):
    with silent() as (url, held):
        started = time.monotonic()
        run = subprocess.run(talkgraph_command() + ["push", "--endpoint", url, "--out", str(out), "--timeout", "2"],
                             capture_output=True, text=True, timeout=120)
        elapsed = time.monotonic() - started
        assert held, "the push never reached the listener"
    assert run.returncode == 2, run.stderr
    assert "accepted the connection but did not answer within 2 s" in run.stderr and "--timeout" in run.stderr
    assert "Traceback" not in run.stderr
    assert elapsed < 2 + 15  # the timeout, plus starting Python on a busy machine


def test_the_timeout_bounds_the_whole_answer_not_each_read(out):
    with silent(trickle=True) as (url, _):
        outcome = timed(lambda: push_graph(out / "graph.nt", url, timeout=1.5), limit=30)
    assert isinstance(outcome.get("error"), EndpointError), outcome
    assert "did not answer within 1.5 s" in str(outcome["error"])
    assert outcome["seconds"] < 1.5 + 5


def test_503_then_204_is_retried_and_succeeds(out):
    with answering(503, 204) as (url, seen):
        assert push_graph(out / "graph.nt", url) == 3
    assert [body for _, body in seen] == [TRIPLES, TRIPLES]
    assert all(path == "/store?default" for path, _ in seen)


def test_a_server_that_stays_unavailable_is_tried_a_few_times_then_named(out, monkeypatch):
    monkeypatch.setattr("talkgraph.store.remote.BACKOFF", (0.05, 0.1, 0.2))  # the real pauses are timed below
    with answering(503) as (url, seen):
        with pytest.raises(EndpointError) as caught:
            push_graph(out / "graph.nt", url)
    assert len(seen) == TRIES
    assert f"the server failed: HTTP 503 Service Unavailable: something broke inside the store (after {TRIES} tries)" \
        in str(caught.value)


def test_retry_after_is_honoured_within_the_timeout(out):
    with answering(503, headers={"Retry-After": "30"}) as (url, seen):
        outcome = timed(lambda: push_graph(out / "graph.nt", url, timeout=3), limit=30)
    assert isinstance(outcome.get("error"), EndpointError) and len(seen) == 1  # 30 s is past the timeout: no wait
    assert outcome["seconds"] < 3


def test_500_is_the_servers_failure_not_a_wrong_url_and_is_not_retried(out):
    with answering(500) as (url, seen):
        with pytest.raises(EndpointError) as caught:
            push_graph(out / "graph.nt", url)
    assert len(seen) == 1
    message = str(caught.value)
    assert "the server failed: HTTP 500 Internal Server Error: something broke inside the store" in message
    assert "Graph Store" not in message and "/store" not in caught.value.hint


@pytest.mark.parametrize("status, message, hint", [
    (404, "HTTP 404 Not Found: not a Graph Store endpoint", "for Oxigraph: http://HOST:PORT/store"),
    (405, "HTTP 405 Method Not Allowed: not a Graph Store endpoint", "for Oxigraph: http://HOST:PORT/store"),
    (401, "HTTP 401 Unauthorized: the server does not let talkgraph write", "credentials"),
    (403, "HTTP 403 Forbidden: the server does not let talkgraph write", "credentials"),
    (413, "HTTP 413 Request Entity Too Large: the graph (0.0 MB) is over the server's upload limit", "size limit"),
    (400, "the server refused the graph: HTTP 400 Bad Request: something broke", "answer"),
])
def test_each_refusal_is_worded_by_its_cause_and_not_retried(out, status, message, hint):
    with answering(status) as (url, seen):
        with pytest.raises(EndpointError) as caught:
            push_graph(out / "graph.nt", url)
    assert len(seen) == 1 and message in str(caught.value) and hint in caught.value.hint


def test_a_refused_connection_is_retried_then_named(out):
    port = free_port()  # nothing listens there
    outcome = timed(lambda: push_graph(out / "graph.nt", f"http://127.0.0.1:{port}/store"), limit=30)
    error = outcome.get("error")
    assert isinstance(error, EndpointError)
    assert f"connection refused: nothing listens at 127.0.0.1:{port} (after {TRIES} tries)" in str(error)
    assert outcome["seconds"] >= 3  # the pauses between the tries: 0.5 + 1 + 2 s


def test_the_named_graph_goes_in_the_query_string(out):
    with answering(204) as (url, seen):
        push_graph(out / "graph.nt", url, graph="https://example.org/g?x=1")
    assert seen[0][0] == "/store?graph=https%3A%2F%2Fexample.org%2Fg%3Fx%3D1"


@pytest.mark.parametrize("status, message, hint", [
    (404, "HTTP 404 Not Found: not a SPARQL query endpoint", "for Oxigraph: http://HOST:PORT/query"),
    (403, "HTTP 403 Forbidden: the server does not let talkgraph query it", "credentials"),
    (400, "the server refused the query: HTTP 400 Bad Request: something broke", "answer"),
    (503, "the server failed: HTTP 503 Service Unavailable: something broke inside the store", "query again"),
])
def test_a_query_endpoint_s_failures_are_worded_by_the_same_mapper_and_not_retried(status, message, hint):
    from talkgraph.store.sparql import run_sparql

    with answering(status) as (url, seen):
        with pytest.raises(EndpointError) as caught:
            run_sparql("ASK {}", endpoint=url)
    assert len(seen) == 1 and message in str(caught.value) and hint in caught.value.hint


def test_a_query_endpoint_that_never_answers_is_cut_off_at_its_timeout():
    from talkgraph.store.endpoint import Endpoint

    with silent(trickle=True) as (url, _):
        outcome = timed(lambda: Endpoint(url, timeout=1.5).execute("ASK {}", {}), limit=30)
    assert isinstance(outcome.get("error"), EndpointError), outcome
    assert "did not answer within 1.5 s" in str(outcome["error"]) and outcome["seconds"] < 1.5 + 5
