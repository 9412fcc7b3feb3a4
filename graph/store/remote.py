"""Pushing a built graph into a triple store through the SPARQL 1.1 Graph Store Protocol.

A push is one HTTP ``PUT`` of ``graph.nt``. PUT replaces the graph, so it is idempotent and
safe to send again: it is retried, with a pause, when the connection fails or the server
answers 502, 503 or 504 (``TRIES`` tries in all, ``BACKOFF`` seconds apart, longer if the
server asks with ``Retry-After``). ``timeout`` bounds the whole push, tries and pauses
included, so a server that accepts the connection and never answers costs ``timeout``
seconds, not forever. Every failure is an :class:`~talkgraph.errors.EndpointError` worded by its
cause (docs/push.md lists them).
"""

from __future__ import annotations

import time
import urllib.parse
from pathlib import Path

from ..errors import EndpointError, require_file
from .httpclient import Exchange, Failure, TimedOut, check_url, send, timeout_error

__all__ = ["push_graph", "TRIES", "BACKOFF", "DEFAULT_TIMEOUT"]

#: Seconds a whole push may take by default (``talkgraph push --timeout``).
DEFAULT_TIMEOUT = 60.0
#: How many times the PUT is sent at most, and the pauses (seconds) before the second, third, ... try.
TRIES = 4
BACKOFF = (0.5, 1.0, 2.0)
_MOST_RETRY_AFTER = 10.0  # seconds: a longer Retry-After is not waited for


def _exchange(endpoint: str) -> Exchange:
    """A push, in the words its failures are told in (see :mod:`talkgraph.store.httpclient`)."""
    return Exchange(
        endpoint, sending="the graph", service="Graph Store", command="push", access="write",
        url_hint="give the store's SPARQL 1.1 Graph Store Protocol URL (for Oxigraph: http://HOST:PORT/store)",
        access_hint="the store needs credentials or refuses writes, and talkgraph push sends none: allow writes "
                    "from this machine, or load out/graph.nt with the store's own tools",
        size_hint="raise the server's request size limit, or load out/graph.nt with the store's own bulk loader",
        slow_hint="a store may take long to load a large graph ({mb} MB here): give it longer with --timeout "
                  "SECONDS; or check that the URL is its Graph Store endpoint")


def push_graph(ntriples: str | Path, endpoint: str, *, graph: str | None = None,
               timeout: float = DEFAULT_TIMEOUT) -> int:
    """PUT the N-Triples file into ``graph`` (or the default graph) of the store at ``endpoint``.

    PUT replaces the graph's content, so pushing twice leaves one copy. Returns the
    number of triples sent. Raises :class:`~talkgraph.errors.EndpointError` once ``timeout``
    seconds have passed, or the tries are spent, or the server refuses for good.
    """
    path = require_file(ntriples, hint="run `talkgraph build` first (it writes out/graph.nt)")
    parts = check_url(endpoint, example="http://127.0.0.1:7878/store")
    if timeout <= 0:
        raise EndpointError(endpoint, f"--timeout must be more than 0 seconds, not {timeout:g}")
    exchange = _exchange(endpoint)
    data = path.read_bytes()
    query = urllib.parse.urlencode({"graph": graph}) if graph else "default"
    target = (parts.path or "/") + "?" + (parts.query + "&" if parts.query else "") + query
    deadline = time.monotonic() + timeout
    for attempt in range(1, TRIES + 1):
        try:
            send(exchange, "PUT", target, data, {"Content-Type": "application/n-triples"}, deadline=deadline,
                 max_body=4096)
            return data.count(b"\n")
        except TimedOut as stopped:
            raise timeout_error(exchange, timeout, connected=stopped.connected, size=len(data),
                                tries=attempt) from None
        except Failure as failure:
            if not failure.transient:
                raise failure.error from None
            pause = max(BACKOFF[min(attempt, len(BACKOFF)) - 1], min(failure.pause, _MOST_RETRY_AFTER))
            if attempt == TRIES or time.monotonic() + pause >= deadline:
                error = failure.error
                error.args = (f"{error.args[0]} (after {attempt} tr{'y' if attempt == 1 else 'ies'})",)
                raise error from None
            time.sleep(pause)
    raise AssertionError("unreachable")  # pragma: no cover
