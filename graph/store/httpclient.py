"""One HTTP exchange with a remote store, and what each way it can fail means.

talkgraph talks to remote stores twice: ``talkgraph push`` PUTs a graph into a Graph
Store endpoint (:mod:`.remote`) and ``talkgraph query --endpoint`` POSTs a query to a
SPARQL endpoint (:mod:`.endpoint`). Both go through :func:`send`, and every failure —
an HTTP status, a connection error, a timeout — is turned into an
:class:`~talkgraph.errors.EndpointError` here, worded by its cause with a hint saying what
to do next (docs/push.md lists them). The few words that differ between the two (what
was sent, what kind of endpoint was wanted) come from the caller's :class:`Exchange`.
"""

from __future__ import annotations

import http.client
import socket
import ssl
import threading
import time
import urllib.parse
from dataclasses import dataclass

from ..errors import EndpointError, shown

__all__ = ["Exchange", "Reply", "Failure", "TimedOut", "check_url", "send", "timeout_error"]

#: Statuses that say the server may well answer if asked again (a gateway or an overloaded store).
_RETRY_STATUSES = {502, 503, 504}


@dataclass(frozen=True)
class Exchange:
    """An exchange with one endpoint, with the words its failures are told in."""

    url: str
    sending: str  # what is sent: "the graph"
    service: str  # the kind of endpoint that takes it: "Graph Store"
    command: str  # what the user would do again: "push"
    access: str  # what a 401 or 403 forbids: "write"
    url_hint: str  # where such an endpoint is
    access_hint: str  # what to do about a 401 or 403
    size_hint: str  # what to do about a 413
    slow_hint: str  # what to do when the server accepted the connection but did not answer in time


@dataclass(frozen=True)
class Reply:
    status: int
    reason: str
    body: bytes


class Failure(Exception):
    """A failed exchange: ``error`` to raise; ``transient`` when trying again may succeed, after at least
    ``pause`` seconds (the server's ``Retry-After``)."""

    def __init__(self, error: EndpointError, *, transient: bool = False, pause: float = 0.0):
        super().__init__(str(error))
        self.error, self.transient, self.pause = error, transient, pause


class TimedOut(Exception):
    """The deadline passed; ``connected`` says whether the server had accepted the connection."""

    def __init__(self, connected: bool):
        self.connected = connected


def check_url(url: str, *, example: str) -> urllib.parse.SplitResult:
    """The parts of an http(s) URL, or EndpointError."""
    parts = urllib.parse.urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise EndpointError(shown(url), "is not an http(s) URL", hint=f"give the endpoint's full URL, e.g. {example}")
    return parts


def send(exchange: Exchange, method: str, target: str, body: bytes, headers: dict[str, str], *,
         deadline: float, max_body: int | None = None) -> Reply:
    """Send one request to the host of ``exchange.url`` (``target`` is the path and query) and return
    its 2xx answer (at most ``max_body`` bytes of it); raise :class:`Failure` or :class:`TimedOut`.

    A watchdog shuts the socket down at the deadline: a socket timeout alone bounds each read,
    not the whole answer, and a server that trickles a byte at a time would never trip it.
    """
    parts = urllib.parse.urlsplit(exchange.url)
    remaining = deadline - time.monotonic()
    if remaining <= 0:
        raise TimedOut(connected=False)
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
        connection.request(method, target, body=body, headers=headers)
        response = connection.getresponse()
        status, reason, retry_after = response.status, response.reason, response.getheader("Retry-After")
        ok = 200 <= status < 300
        content = response.read() if ok and max_body is None else response.read(max_body if ok else 4096)
        if expired.is_set():  # the watchdog cut the answer short: what was read of it proves nothing
            raise TimedOut(connected)
    except (TimeoutError, socket.timeout):
        raise TimedOut(connected) from None
    except (OSError, http.client.HTTPException) as error:
        if expired.is_set():
            raise TimedOut(connected) from None
        raise _connection_failure(exchange, parts, error) from None
    finally:
        watchdog.cancel()
        connection.close()
    if 200 <= status < 300:
        return Reply(status, reason, content)
    raise _status_failure(exchange, status, reason, content, len(body), retry_after)


def _connection_failure(exchange: Exchange, parts: urllib.parse.SplitResult, error: Exception) -> Failure:
    url = exchange.url
    where = f"{parts.hostname}:{parts.port or (443 if parts.scheme == 'https' else 80)}"
    if isinstance(error, socket.gaierror):
        return Failure(EndpointError(url, f"cannot find the host {parts.hostname!r} ({error.strerror})",
                                     hint="check the host name in --endpoint"))
    if isinstance(error, ssl.SSLError):
        return Failure(EndpointError(url, f"the TLS handshake failed: {error.reason or error}",
                                     hint="check the certificate of the server, or whether it speaks https at all"))
    if isinstance(error, ConnectionRefusedError):
        return Failure(EndpointError(url, f"cannot connect, connection refused: nothing listens at {where}",
                                     hint="start the triple store, or check the host and port of --endpoint"),
                       transient=True)
    if isinstance(error, (ConnectionError, http.client.RemoteDisconnected, http.client.IncompleteRead)):
        return Failure(EndpointError(url, "the server closed the connection without answering",
                                     hint="see the server's log; it may have crashed or restarted"), transient=True)
    if isinstance(error, http.client.HTTPException):
        return Failure(EndpointError(url, f"the server did not answer in HTTP ({type(error).__name__})",
                                     hint=exchange.url_hint))
    return Failure(EndpointError(url, f"cannot connect to {where}: {getattr(error, 'strerror', None) or error}"),
                   transient=True)


def _status_failure(exchange: Exchange, status: int, reason: str, content: bytes, size: int,
                    retry_after: str | None) -> Failure:
    url, answer = exchange.url, f"HTTP {status} {reason}".rstrip()
    detail = " ".join(content.decode("utf-8", "replace").split())
    detail = f": {detail[:300]}{'…' if len(detail) > 300 else ''}" if detail else ""
    if status in (404, 405):
        return Failure(EndpointError(url, f"{answer}: not a {exchange.service} endpoint", hint=exchange.url_hint))
    if status in (401, 403):
        return Failure(EndpointError(url, f"{answer}: the server does not let talkgraph {exchange.access}{detail}",
                                     hint=exchange.access_hint))
    if status == 413:
        return Failure(EndpointError(url, f"{answer}: {exchange.sending} ({size / 1e6:,.1f} MB) is over the "
                                          "server's upload limit", hint=exchange.size_hint))
    if 300 <= status < 400:
        return Failure(EndpointError(url, f"{answer}: the endpoint has moved", hint="give the URL it moved to"))
    if status >= 500:
        error = EndpointError(url, f"the server failed: {answer}{detail}",
                              hint=f"the URL reached the store, which could not take {exchange.sending}: see its log")
        if status not in _RETRY_STATUSES:
            return Failure(error)
        error.hint = (f"the store is overloaded, restarting or behind a failing proxy: {exchange.command} "
                      "again later")
        pause = float(retry_after) if retry_after and retry_after.strip().isdigit() else 0.0
        return Failure(error, transient=True, pause=pause)
    return Failure(EndpointError(url, f"the server refused {exchange.sending}: {answer}{detail}",
                                 hint="see the server's answer above"))


def timeout_error(exchange: Exchange, seconds: float, *, connected: bool, size: int, tries: int = 1) \
        -> EndpointError:
    """The error for an exchange (of ``size`` bytes, in ``tries`` tries) that took more than ``seconds``."""
    tried = f" ({tries} tries)" if tries > 1 else ""
    if not connected:
        return EndpointError(exchange.url, f"could not connect within {seconds:g} s{tried}",
                             hint="check the host and port of --endpoint and that the store is running")
    return EndpointError(exchange.url, f"the server accepted the connection but did not answer within {seconds:g} s"
                                       f"{tried}", hint=exchange.slow_hint.format(mb=f"{size / 1e6:,.1f}"))
