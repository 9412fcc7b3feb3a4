"""Real servers on 127.0.0.1: Oxigraph (push, then every catalogue query) and `talkgraph serve`."""

from __future__ import annotations

import json
import time
import urllib.error
import urllib.parse
import urllib.request
from concurrent.futures import ThreadPoolExecutor

import pytest
from SPARQLWrapper import CSV, JSON, POST, TSV, TURTLE, XML, SPARQLWrapper

from talkgraph.store.catalogue import load_catalogue
from talkgraph.store.sparql import run_query

from conftest import guard
from servers import free_port, oxigraph_binary, running, talkgraph_command

pytestmark = pytest.mark.slow  # real servers, started and stopped


@pytest.fixture(scope="module")
def out(real_out):
    return real_out


@pytest.fixture(scope="module")
def oxigraph(tmp_path_factory):
    port = free_port()
    location = tmp_path_factory.mktemp("oxigraph")
    command = [oxigraph_binary(), "serve", "--location", str(location), "--bind", f"127.0.0.1:{port}"]
    with running(command, f"http://127.0.0.1:{port}/query?query=ASK%7B%7D"):
        yield f"http://127.0.0.1:{port}"


def triples_built(out) -> str:
    return str(json.loads((out / "report.json").read_text(encoding="utf-8"))["counts"]["triples"])


def talkgraph(*args):
    import subprocess

    return subprocess.run(talkgraph_command() + [str(a) for a in args], capture_output=True, text=True, timeout=300)


def test_push_then_every_catalogue_query_gives_the_same_answer_on_oxigraph(out, oxigraph):
    pushed = talkgraph("push", "--endpoint", f"{oxigraph}/store", "--out", out)
    assert pushed.returncode == 0, pushed.stderr
    assert f"pushed {int(triples_built(out)):,} triples" in pushed.stdout
    again = talkgraph("push", "--endpoint", f"{oxigraph}/store", "--out", out)  # PUT replaces: still one copy
    assert again.returncode == 0
    for name in load_catalogue():
        embedded = run_query(name, store=out)
        remote = run_query(name, endpoint=f"{oxigraph}/query")
        assert remote.variables == embedded.variables, name
        assert remote.comparable() == embedded.comparable(), name
    count = talkgraph("query", "--sparql", "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }",
                      "--endpoint", f"{oxigraph}/query", "-f", "csv")
    assert count.stdout.splitlines()[1] == triples_built(out)


def test_push_into_a_named_graph(out, oxigraph):
    graph = "https://example.org/graphs/talks"
    assert talkgraph("push", "--endpoint", f"{oxigraph}/store", "--graph", graph, "--out", out).returncode == 0
    answer = talkgraph("query", "--sparql", f"SELECT (COUNT(*) AS ?n) WHERE {{ GRAPH <{graph}> {{ ?s ?p ?o }} }}",
                       "--endpoint", f"{oxigraph}/query", "-f", "csv")
    assert answer.stdout.splitlines()[1] == triples_built(out)


def test_push_to_a_wrong_url_is_a_clear_error(out, oxigraph):
    run = talkgraph("push", "--endpoint", f"{oxigraph}/nothing-here", "--out", out)
    assert run.returncode == 2 and "HTTP 404" in run.stderr and "Traceback" not in run.stderr


# ------------------------------------------------------------------ talkgraph serve

@pytest.fixture(scope="module")
def server(out):
    port = free_port()
    command = talkgraph_command() + ["serve", "--store", str(out), "--port", str(port), "--timeout", "3",
                                     "--max-rows", "100"]
    with running(command, f"http://127.0.0.1:{port}/queries") as process:
        yield f"http://127.0.0.1:{port}", process


def sparql(server, query, fmt=JSON, method=None):
    client = SPARQLWrapper(f"{server[0]}/query")
    client.setQuery(query)
    client.setReturnFormat(fmt)
    if method:
        client.setMethod(method)
    return client.query()


COUNT_TALKS = "SELECT (COUNT(?t) AS ?n) WHERE { ?t a <https://w3id.org/talkgraph/ns#Talk> }"


def test_serve_binds_to_loopback_by_default(server):
    assert server[0].startswith("http://127.0.0.1:")
    assert "127.0.0.1" in server[1].stderr.readline()


def test_select_over_get_and_post_in_every_results_format(server):
    assert sparql(server, COUNT_TALKS).convert()["results"]["bindings"][0]["n"]["value"] == "19"
    assert sparql(server, COUNT_TALKS, method=POST).convert()["results"]["bindings"][0]["n"]["value"] == "19"
    assert sparql(server, COUNT_TALKS, XML).convert().getElementsByTagName("literal")[0].firstChild.data == "19"
    assert sparql(server, COUNT_TALKS, CSV).convert().decode().splitlines() == ["n", "19"]
    assert sparql(server, COUNT_TALKS, TSV).convert().decode().splitlines()[1].startswith('"19"')


def test_ask_and_construct_with_content_negotiation(server):
    assert sparql(server, "ASK { ?s a <https://w3id.org/talkgraph/ns#Talk> }").convert()["boolean"] is True
    turtle = sparql(server, "CONSTRUCT { ?t a ?c } WHERE { ?t a <https://w3id.org/talkgraph/ns#Talk>, ?c }", TURTLE)
    assert b"tg:Talk" in turtle.convert() or b"ns#Talk" in turtle.convert()
    request = urllib.request.Request(f"{server[0]}/query?" + urllib.parse.urlencode(
        {"query": "CONSTRUCT WHERE { ?t a <https://w3id.org/talkgraph/ns#Talk> }"}),
        headers={"Accept": "application/ld+json"})
    with urllib.request.urlopen(request) as response:
        assert response.headers["Content-Type"] == "application/ld+json"
        assert len(json.loads(response.read())["@graph"]) == 19


def http_status(url, data=None, headers=None, method=None):
    try:
        with urllib.request.urlopen(urllib.request.Request(url, data=data, headers=headers or {}, method=method)) as r:
            return r.status, r.read().decode(), dict(r.headers)
    except urllib.error.HTTPError as error:
        return error.code, error.read().decode(), dict(error.headers)


def test_updates_are_refused(server):
    update = "INSERT DATA { <http://x/a> <http://x/b> <http://x/c> }"
    client = SPARQLWrapper(f"{server[0]}/query")
    client.setQuery(update)
    client.setMethod(POST)
    with pytest.raises(Exception) as caught:
        client.query()
    assert "403" in str(caught.value) or "Forbidden" in str(caught.value) or "read-only" in str(caught.value)
    assert http_status(f"{server[0]}/update", data=urllib.parse.urlencode({"update": update}).encode())[0] == 403
    assert http_status(f"{server[0]}/query", data=update.encode(),
                       headers={"Content-Type": "application/sparql-update"})[0] == 403
    # an update sent where a query goes is named as an update, not reported as a syntax error
    for status, body, _ in (http_status(f"{server[0]}/query?" + urllib.parse.urlencode({"query": update})),
                            http_status(f"{server[0]}/query", data=urllib.parse.urlencode({"query": update}).encode())):
        assert status == 403 and "this is a SPARQL update (INSERT), not a query" in body, (status, body)
    assert sparql(server, COUNT_TALKS).convert()["results"]["bindings"][0]["n"]["value"] == "19"


def test_a_slow_query_is_stopped_and_others_are_still_served(server):
    """Ad-hoc SPARQL gets all workers but one (issue #21), so while the slow query runs a named query
    is answered by the worker kept for them (before #21 a second ad-hoc query was, which let a few
    endless queries starve the catalogue)."""
    slow = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }"  # 2,942^3 solutions
    url = f"{server[0]}/query?" + urllib.parse.urlencode({"query": slow})
    with ThreadPoolExecutor(2) as pool:
        slow_answer = pool.submit(http_status, url)
        time.sleep(0.3)
        started = time.monotonic()
        quick = http_status(f"{server[0]}/queries/speakers-by-method?method=Bayesian+deep+learning")
        assert time.monotonic() - started < 2.5
        status, body, _ = slow_answer.result()
    assert quick[0] == 200 and "Mike Walmsley" in quick[1]
    assert status == 503 and "time limit of 3 s" in body
    deadline = time.monotonic() + 20  # the killed worker is replaced
    while time.monotonic() < deadline:
        if http_status(f"{server[0]}/query?" + urllib.parse.urlencode({"query": COUNT_TALKS}))[0] == 200:
            break
    assert sparql(server, COUNT_TALKS).convert()["results"]["bindings"][0]["n"]["value"] == "19"


def test_results_are_capped(server):
    status, body, headers = http_status(f"{server[0]}/query?" + urllib.parse.urlencode(
        {"query": "SELECT * WHERE { ?s ?p ?o }"}), headers={"Accept": "application/sparql-results+json"})
    assert status == 200 and len(json.loads(body)["results"]["bindings"]) == 100
    assert headers["X-Talkgraph-Truncated"] == "true"


def test_named_queries_are_http_resources(server, out):
    status, body, headers = http_status(f"{server[0]}/queries/speakers-by-method?" +
                                        urllib.parse.urlencode({"method": "Bayesian deep learning"}))
    assert status == 200 and headers["Content-Type"] == "application/sparql-results+json"
    names = {b["name"]["value"] for b in json.loads(body)["results"]["bindings"]}
    assert names == {"Mike Walmsley", "Thomas Killestein", "Edward Elliott"}
    status, body, headers = http_status(f"{server[0]}/queries/talks-by-method?method=U-Net&format=csv")
    assert status == 200 and headers["Content-Type"].startswith("text/csv") and "Michele Bianco" in body
    expected = run_query("methods-by-domain", store=out)
    status, body, _ = http_status(f"{server[0]}/queries/methods-by-domain")
    assert [b["label"]["value"] for b in json.loads(body)["results"]["bindings"]] == \
        [r["label"] for r in expected.rows()]
    assert http_status(f"{server[0]}/queries/talk-by-method")[0] == 404
    status, body, _ = http_status(f"{server[0]}/queries/talks-by-method?method=nothing-like-this")
    assert status == 400 and "no concept in the graph is called" in body
    listing = json.loads(http_status(f"{server[0]}/queries")[1])
    assert {q["name"] for q in listing} == set(load_catalogue())


def test_syntax_errors_are_400_with_the_position(server):
    status, body, _ = http_status(f"{server[0]}/query?" + urllib.parse.urlencode({"query": "SELECT * { ?s ?p }"}))
    assert status == 400 and "1:" in body and "syntax error" in body


def test_query_page_works_offline(server):
    status, page, headers = http_status(f"{server[0]}/")
    assert status == 200 and "<textarea" in page and 'fetch("queries")' in page
    import re

    # nothing that would load from elsewhere: no src/href/url()/import/fetch of an absolute URL
    assert not re.search(r"""(src|href|action)\s*=\s*["']?(https?:)?//|url\(\s*["']?(https?:)?//|@import|"""
                         r"""fetch\(\s*["'](https?:)?//""", page, re.IGNORECASE)
    assert "<script src" not in page and "<link" not in page
    assert "default-src 'self'" in headers["Content-Security-Policy"]


def test_the_query_page_runs_catalogue_and_own_queries_in_a_browser(server, browser):
    page = browser.new_page()
    origin = server[0]
    outgoing, errors = guard(page, origin)
    page.goto(origin + "/")
    page.get_by_role("button", name="Speakers by method").click()
    page.fill("input[name=method]", "Bayesian deep learning")
    page.get_by_role("button", name="Run").click()
    page.wait_for_selector("#out table")
    cells = page.locator("#out td").all_inner_texts()
    assert {"Mike Walmsley", "Thomas Killestein", "Edward Elliott"} <= set(cells)
    # IRIs as prefixed names, whole on hover (#18)
    assert "person:mike-walmsley" in cells and not [c for c in cells if c.startswith("https://w3id.org/talkgraph/")]
    assert page.locator("#out td:text-is('person:mike-walmsley')").first.get_attribute("title") == \
        "https://w3id.org/talkgraph/id/person/mike-walmsley"
    page.fill("#query", "SELECT (COUNT(?t) AS ?n) WHERE { ?t a <https://w3id.org/talkgraph/ns#Talk> }")
    page.get_by_role("button", name="Run").click()
    page.wait_for_selector("#out td:text-is('19')")  # (the page's CSP forbids eval, so no wait_for_function)
    assert outgoing == [] and errors == []
    page.close()


def test_ambiguous_parameters_and_syntax_errors_are_400_with_the_cli_words(server):
    """The same words as `talkgraph query` (#18): several matches listed, no parser grammar."""
    status, body, _ = http_status(f"{server[0]}/queries/talks-by-method?method=neural")
    assert status == 400 and "'neural' names" in body and "concepts" in body
    status, body, _ = http_status(f"{server[0]}/queries/speaker-profile?speaker=Mike%20Walmsly")
    assert status == 400 and "did you mean 'Mike Walmsley'" in body
    status, body, _ = http_status(f"{server[0]}/queries/speaker-profile?speaker=walmsley")
    assert status == 200
    query = urllib.parse.quote("SELECT ?x WHERE {\n ?x a nope:Talk }")
    status, body, _ = http_status(f"{server[0]}/query?query={query}")
    assert status == 400 and ":2:" in body and "nope:" in body and "not declared" in body and "..=" not in body
