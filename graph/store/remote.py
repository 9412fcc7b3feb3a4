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

import http.client
import socket
import ssl
import threading
import time
import urllib.parse
from pathlib import Path

from ..errors import EndpointError, require_file, shown

__all__ = ["push_graph", "TRIES", "BACKOFF", "DEFAULT_TIMEOUT"]

#: Seconds a whole push may take by default (``talkgraph push --timeout``).
DEFAULT_TIMEOUT = 60.0
#: How many times the PUT is sent at most, and the pauses (seconds) before the second, third, ... try.
TRIES = 4
BACKOFF = (0.5, 1.0, 2.0)
_RETRY_STATUSES = {502, 503, 504}
_MOST_RETRY_AFTER = 10.0  # seconds: a longer Retry-After is not waited for
_GRAPH_STORE_HINT = "give the store's SPARQL 1.1 Graph Store Protocol URL (for Oxigraph: http://HOST:PORT/store)"


class _TimedOut(Exception):
    def __init__(self, connected: bool):
        self.connected = connected


class _Retry(Exception):
    """A failure worth another try: the error to raise if none is left, and the pause the server asked for."""

    def __init__(self, error: EndpointError, pause: float = 0.0):
        self.error, self.pause = error, pause


def push_graph(ntriples: str | Path, endpoint: str, *, graph: str | None = None,
               timeout: float = DEFAULT_TIMEOUT) -> int:
    """PUT the N-Triples file into ``graph`` (or the default graph) of the store at ``endpoint``.

    PUT replaces the graph's content, so pushing twice leaves one copy. Returns the
    number of triples sent. Raises :class:`~talkgraph.errors.EndpointError` once ``timeout``
    seconds have passed, or the tries are spent, or the server refuses for good.
    """
    path = require_file(ntriples, hint="run `talkgraph build` first (it writes out/graph.nt)")
    parts = urllib.parse.urlsplit(endpoint)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise EndpointError(shown(endpoint), "is not an http(s) URL", hint="e.g. http://127.0.0.1:7878/store")
    if timeout <= 0:
        raise EndpointError(endpoint, f"--timeout must be more than 0 seconds, not {timeout:g}")
    data = path.read_bytes()
    query = urllib.parse.urlencode({"graph": graph}) if graph else "default"
    target = (parts.path or "/") + "?" + (parts.query + "&" if parts.query else "") + query
    deadline = time.monotonic() + timeout
    for attempt in range(1, TRIES + 1):
        try:
            _put(parts, target, data, deadline, endpoint=endpoint, size=len(data))
            return data.count(b"\n")
        except _TimedOut as stopped:
            raise _timeout_error(endpoint, timeout, stopped.connected, len(data), attempt) from None
        except _Retry as failure:
            pause = max(BACKOFF[min(attempt, len(BACKOFF)) - 1], min(failure.pause, _MOST_RETRY_AFTER))
            if attempt == TRIES or time.monotonic() + pause >= deadline:
                error = failure.error
                error.args = (f"{error.args[0]} (after {attempt} tr{'y' if attempt == 1 else 'ies'})",)
                raise error from None
            time.sleep(pause)
    raise AssertionError("unreachable")  # pragma: no cover


def _put(parts: urllib.parse.SplitResult, target: str, data: bytes, deadline: float, *, endpoint: str,
         size: int) -> None:
    """Send the PUT once; return on a 2xx answer, raise :class:`_Retry`, :class:`_TimedOut` or EndpointError.

    A watchdog shuts the socket down at the deadline: a socket timeout alone bounds each read,
    not the whole answer, and a server that trickles a byte at a time would never trip it.
    """
    remaining = deadline - time.monotonic()
    if remaining <= 0:
        raise _TimedOut(connected=False)
    connection_class = http.client.HTTPSConnection if parts.scheme == "https" else http.client.HTTPConnection
    connection = connection_class(parts.hostname, parts.port, timeout=remaining)
    expired, connected = threading.Event(), False

    def cut() -> None:
        expired.set()
        sock = connection.sock
        if sock is not None:
            try:
                sock.shutdown(socket.SHUT_RDWR)
            except OSError:
                pass

    watchdog = threading.Timer(remaining, cut)
    watchdog.daemon = True
    watchdog.start()
    try:
        connection.connect()
        connected = True
        connection.request("PUT", target, body=data, headers={"Content-Type": "application/n-triples"})
        response = connection.getresponse()
        body = response.read(4096)
        status, reason, retry_after = response.status, response.reason, response.getheader("Retry-After")
        if expired.is_set():  # the watchdog cut the answer short: what was read of it proves nothing
            raise _TimedOut(connected)
    except (TimeoutError, socket.timeout):
        raise _TimedOut(connected) from None
    except (OSError, http.client.HTTPException) as error:
        if expired.is_set():
            raise _TimedOut(connected) from None
        raise _connection_error(endpoint, parts, error) from None
    finally:
        watchdog.cancel()
        connection.close()
    if 200 <= status < 300:
        return
    detail = " ".join(body.decode("utf-8", "replace").split())
    detail = f": {detail[:300]}{'…' if len(detail) > 300 else ''}" if detail else ""
    raise _status_error(endpoint, status, reason, detail, size, retry_after)


def _connection_error(endpoint: str, parts: urllib.parse.SplitResult, error: Exception) -> Exception:
    where = f"{parts.hostname}:{parts.port or (443 if parts.scheme == 'https' else 80)}"
    if isinstance(error, socket.gaierror):
        return EndpointError(endpoint, f"cannot find the host {parts.hostname!r} ({error.strerror})",
                             hint="check the host name in --endpoint")
    if isinstance(error, ssl.SSLError):
        return EndpointError(endpoint, f"the TLS handshake failed: {error.reason or error}",
                             hint="check the certificate of the server, or whether it speaks https at all")
    if isinstance(error, ConnectionRefusedError):
        return _Retry(EndpointError(endpoint, f"connection refused: nothing listens at {where}",
                                    hint="start the triple store, or check the host and port of --endpoint"))
    if isinstance(error, (ConnectionError, http.client.RemoteDisconnected, http.client.IncompleteRead)):
        return _Retry(EndpointError(endpoint, "the server closed the connection without answering",
                                    hint="see the server's log; it may have crashed or restarted"))
    if isinstance(error, http.client.HTTPException):
        return EndpointError(endpoint, f"the server did not answer in HTTP ({type(error).__name__})",
                             hint=_GRAPH_STORE_HINT)
    return _Retry(EndpointError(endpoint, f"cannot connect to {where}: {getattr(error, 'strerror', None) or error}"))


def _status_error(endpoint: str, status: int, reason: str, detail: str, size: int,
                  retry_after: str | None) -> Exception:
    answer = f"HTTP {status} {reason}".rstrip()
    if status in (404, 405):
        return EndpointError(endpoint, f"{answer}: not a Graph Store endpoint", hint=_GRAPH_STORE_HINT)
    if status in (401, 403):
        return EndpointError(endpoint, f"{answer}: the server does not let talkgraph write{detail}",
                             hint="the store needs credentials or refuses writes, and talkgraph push sends none: "
                                  "allow writes from this machine, or load out/graph.nt with the store's own tools")
    if status == 413:
        return EndpointError(endpoint, f"{answer}: the graph ({size / 1e6:,.1f} MB) is over the server's upload "
                                       "limit", hint="raise the server's request size limit, or load out/graph.nt "
                                                     "with the store's own bulk loader")
    if 300 <= status < 400:
        return EndpointError(endpoint, f"{answer}: the endpoint has moved", hint="give the URL it moved to")
    if status >= 500:
        error = EndpointError(endpoint, f"the server failed: {answer}{detail}",
                              hint="the URL reached the store, which could not take the graph: see its log")
        if status in _RETRY_STATUSES:
            error.hint = "the store is overloaded, restarting or behind a failing proxy: push again later"
            pause = float(retry_after) if retry_after and retry_after.strip().isdigit() else 0.0
            return _Retry(error, pause)
        return error
    return EndpointError(endpoint, f"the server refused the graph: {answer}{detail}",
                         hint="see the server's answer above")


def _timeout_error(endpoint: str, timeout: float, connected: bool, size: int, attempt: int) -> EndpointError:
    tries = f" ({attempt} tries)" if attempt > 1 else ""
    if not connected:
        return EndpointError(endpoint, f"could not connect within {timeout:g} s{tries}",
                             hint="check the host and port of --endpoint and that the store is running")
    return EndpointError(endpoint, f"the server accepted the connection but did not answer within {timeout:g} s"
                                   f"{tries}", hint=f"a store may take long to load a large graph ({size / 1e6:,.1f} "
                                                   "MB here): give it longer with --timeout SECONDS; or check that "
                                                   "the URL is its Graph Store endpoint")
