"""Queries that try to abuse `talkgraph query` (issue #21).

* No outgoing requests from queries: SERVICE is refused unless its endpoint is allowed,
  proved against a real HTTP listener on 127.0.0.1 that counts what reaches it.
* Deep nesting is refused before the engine (which would crash) sees the query.
"""

from __future__ import annotations

import json
import subprocess
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from graph import build, write_outputs

from servers import talkgraph_command

@pytest.fixture(scope="module")
def out(tmp_path_factory):
    folder = tmp_path_factory.mktemp("build")
    write_outputs(build(), folder)
    return folder


class Listener:
    """An HTTP server on 127.0.0.1 that answers every request as a SPARQL endpoint would, and counts them."""

    ANSWER = {"head": {"vars": ["a"]}, "results": {"bindings": [
        {"a": {"type": "uri", "value": "http://listener.test/answer"}}]}}

    def __init__(self):
        self.requests: list[str] = []
        listener = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args):
                pass

            def do_GET(self):
                self._answer()

            def do_POST(self):
                self.rfile.read(int(self.headers.get("Content-Length") or 0))
                self._answer()

            def _answer(self):
                listener.requests.append(self.path)
                body = json.dumps(Listener.ANSWER).encode()
                self.send_response(200)
                self.send_header("Content-Type", "application/sparql-results+json")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def close(self):
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def listener():
    server = Listener()
    yield server
    server.close()


def talkgraph(*args, timeout=120):
    return subprocess.run(talkgraph_command() + [str(a) for a in args], capture_output=True, text=True,
                          timeout=timeout)


SERVICE_VARIANTS = [
    "SELECT * WHERE {{ SERVICE <{url}> {{ ?a ?b ?c }} }}",
    "select * where {{ service <{url}> {{ ?a ?b ?c }} }}",
    "SELECT * WHERE {{ SERVICE SILENT <{url}> {{ ?a ?b ?c }} }}",
    "PREFIX remote: <{url}>\nSELECT * WHERE {{\n  ?s ?p ?o .\n  SERVICE remote: {{ ?a ?b ?c }} }}",
    "PREFIX : <{url}>\nSELECT * WHERE {{ SERVICE:x {{ ?a ?b ?c }} }}",
    "SELECT * WHERE {{ BIND(<{url}> AS ?endpoint) SERVICE ?endpoint {{ ?a ?b ?c }} }}",
    "CONSTRUCT {{ ?a ?b ?c }} WHERE {{ FILTER EXISTS {{ SERVICE <{url}> {{ ?a ?b ?c }} }} }}",
]
NOT_A_SERVICE = [
    "SELECT ?x WHERE {{ BIND('SERVICE <{url}> {{ ?a ?b ?c }}' AS ?x) }}",
    'SELECT ?x WHERE {{ BIND("""\nSERVICE <{url}> {{ }}\n""" AS ?x) }}',
    "SELECT * WHERE {{ ?s <http://example.org/SERVICE> ?o }} # SERVICE <{url}> {{ ?a ?b ?c }}",
    "PREFIX ex: <http://example.org/>\nSELECT ?service WHERE {{ ?service ex:SERVICE ?o }}",
]


# ------------------------------------------------------------------ talkgraph query

def test_query_refuses_service_and_sends_nothing(out, listener):
    """Before #21 each of these made the store send a request to the listener and print its answer."""
    for variant in SERVICE_VARIANTS:
        text = variant.format(url=listener.url + "/sparql")
        run = talkgraph("query", "--sparql", text, "--store", out)
        assert run.returncode == 2, (text, run.stdout, run.stderr)
        assert "the query calls a remote service" in run.stderr and "--sparql:" in run.stderr, run.stderr
        assert "Traceback" not in run.stderr
    located = talkgraph("query", "--sparql", SERVICE_VARIANTS[3].format(url=listener.url), "--store", out)
    assert "--sparql:4:3: the query calls a remote service (SERVICE <" in located.stderr, located.stderr
    assert "hint: if you trust that endpoint, allow it with --allow-service" in located.stderr
    assert listener.requests == []
    for text in NOT_A_SERVICE:  # SERVICE in a string, an IRI, a comment or a name is not a call
        run = talkgraph("query", "--sparql", text.format(url=listener.url), "--store", out)
        assert run.returncode == 0, (text, run.stderr)
    assert listener.requests == []


def test_query_calls_only_the_allowed_service(out, listener, tmp_path):
    allowed = listener.url + "/sparql"
    file = tmp_path / "federated.rq"
    file.write_text(f"SELECT ?a WHERE {{ SERVICE <{allowed}> {{ ?a ?b ?c }} }}\n", encoding="utf-8")
    run = talkgraph("query", "--file", file, "--store", out, "--allow-service", allowed, "-f", "csv")
    assert run.returncode == 0, run.stderr
    assert run.stdout.splitlines() == ["a", "http://listener.test/answer"]
    assert len(listener.requests) == 1  # once: the query is not also run on an empty store to check it
    other = talkgraph("query", "--sparql", f"SELECT * {{ SERVICE <{listener.url}/elsewhere> {{ ?a ?b ?c }} }}",
                      "--store", out, "--allow-service", allowed)
    variable = talkgraph("query", "--sparql", SERVICE_VARIANTS[5].format(url=allowed), "--store", out,
                         "--allow-service", allowed)
    assert other.returncode == 2 and "calls a remote service" in other.stderr
    assert variable.returncode == 2 and "only SERVICE <IRI>" in variable.stderr
    assert len(listener.requests) == 1
    bad = talkgraph("query", "--sparql", "ASK {}", "--store", out, "--allow-service", "file:///etc/passwd")
    assert bad.returncode == 2 and "not an http(s) URL" in bad.stderr


def test_query_to_a_remote_endpoint_is_checked_here_first(listener):
    """The SERVICE and depth checks run before anything is sent or test-run locally."""
    endpoint = listener.url + "/query"
    service = talkgraph("query", "--sparql", SERVICE_VARIANTS[0].format(url=listener.url + "/other"),
                        "--endpoint", endpoint)
    deep = talkgraph("query", "--sparql", "SELECT * WHERE " + "{" * 5000 + " ?s ?p ?o " + "}" * 5000,
                     "--endpoint", endpoint)
    assert service.returncode == 2 and "calls a remote service" in service.stderr
    assert deep.returncode == 2 and "query nested too deeply" in deep.stderr, deep.stderr
    assert listener.requests == []


DEEP = {
    "braces": "SELECT * WHERE " + "{" * 5000 + " ?s ?p ?o " + "}" * 5000,
    "parentheses": "SELECT * WHERE { ?s ?p ?o FILTER(" + "(" * 5000 + "?o" + ")" * 5000 + ") }",
    "a chain of UNION": "SELECT * WHERE { " + " UNION ".join(["{ ?s ?p ?o }"] * 10000) + " }",
    "a chain of +": "SELECT (" + " + ".join(["1"] * 10000) + " AS ?n) WHERE {}",
}


def test_query_nested_too_deeply_exits_2_instead_of_crashing(out, tmp_path):
    """Before #21 the engine overflowed its stack on these: the process died with a segmentation fault (139).
    Deep but reasonable queries, and long VALUES lists, still run."""
    file = tmp_path / "deep.rq"
    for name, text in DEEP.items():
        file.write_text(text, encoding="utf-8")
        run = talkgraph("query", "--file", file, "--store", out)
        assert run.returncode == 2, (name, run.returncode, run.stderr[-300:])
        assert "query nested too deeply" in run.stderr and "(the limit is 500)" in run.stderr, (name, run.stderr)
        assert "Traceback" not in run.stderr
    text = "SELECT (COUNT(*) AS ?n) WHERE " + "{" * 100 + " ?t a <https://w3id.org/talkgraph/ns#Talk> " + "}" * 100
    values = "SELECT (COUNT(*) AS ?n) WHERE { VALUES (?x ?y) { " + "(1 2) " * 20000 + "} }"
    assert talkgraph("query", "--sparql", text, "--store", out, "-f", "csv").stdout.splitlines() == ["n", "19"]
    assert talkgraph("query", "--sparql", values, "--store", out, "-f", "csv").stdout.splitlines() == ["n", "20000"]
