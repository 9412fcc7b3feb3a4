"""A remote SPARQL 1.1 Protocol endpoint (``talkgraph query --endpoint URL``), queried like the embedded store.

The query is checked here first (see :mod:`talkgraph.store.querycheck`), its parameters are
bound into its slots the same way, and it is sent by HTTP POST
(:mod:`talkgraph.store.httpclient`, which words every failure).
"""

from __future__ import annotations

import time
import urllib.parse
from typing import Iterable

from .. import engine as ox
from ..errors import EndpointError
from .httpclient import Exchange, Failure, TimedOut, check_url, send, timeout_error
from .parameters import bind_values
from .embedded import syntax_check
from .querycheck import check_query, query_form
from .results import Results, from_answer

__all__ = ["Endpoint"]


class Endpoint:
    """A SPARQL 1.1 Protocol endpoint, over HTTP (``--endpoint URL``); ``timeout`` bounds each query's exchange."""

    def __init__(self, url: str, *, timeout: float = 60.0, allowed_services: Iterable[str] = ()):
        parts = check_url(url, example="http://127.0.0.1:7878/query")
        self.url, self.timeout, self.name = url, timeout, url
        self.allowed_services = tuple(allowed_services)
        self._target = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
        self._exchange = Exchange(
            url, sending="the query", service="SPARQL query", command="query", access="query it",
            url_hint="give the endpoint's SPARQL 1.1 Protocol URL (for Oxigraph: http://HOST:PORT/query)",
            access_hint="the endpoint needs credentials, and talkgraph sends none: query a store that allows it",
            size_hint="shorten the query, or raise the server's request size limit",
            slow_hint="the endpoint may need longer for this query, or be stuck: ask for less, or see its log")

    def execute(self, text: str, bindings: dict[str, ox.NamedNode | ox.Literal], *, source: str = "query",
                limit: int | None = None, prefixes: dict[str, str] | None = None) -> Results:
        # Checked here too: a query sent on may be refused there, but the syntax check below runs it here.
        if check_query(text, source=source, allowed_services=self.allowed_services):
            form = query_form(text) or "select"  # not run here: that would call the service from here too
        else:
            form = syntax_check(text, source, prefixes=prefixes)
        # the endpoint knows no prefixes but those the text declares
        text = "".join(f"PREFIX {name}: <{iri}>\n" for name, iri in (prefixes or {}).items()) \
            + bind_values(text, bindings)
        accept = "application/n-triples" if form == "graph" else "application/sparql-results+json"
        body = self._post(text, accept)
        try:
            if form == "graph":
                triples = list(ox.parse(body, format=ox.RdfFormat.N_TRIPLES))
                return Results("graph", triples=triples[:limit] if limit else triples,
                               truncated=bool(limit and len(triples) > limit))
            return from_answer(ox.parse_query_results(body, format=ox.QueryResultsFormat.JSON), limit=limit)
        except (SyntaxError, ValueError) as error:
            raise EndpointError(self.url, f"answered with something that is not SPARQL results: {error}") from None

    def _post(self, text: str, accept: str) -> bytes:
        body = urllib.parse.urlencode({"query": text}).encode()
        headers = {"Accept": accept, "Content-Type": "application/x-www-form-urlencoded"}
        try:
            return send(self._exchange, "POST", self._target, body, headers,
                        deadline=time.monotonic() + self.timeout).body
        except TimedOut as stopped:
            raise timeout_error(self._exchange, self.timeout, connected=stopped.connected, size=len(body)) from None
        except Failure as failure:
            raise failure.error from None
