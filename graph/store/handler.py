"""Answering one request of ``talkgraph serve``: routes, content negotiation, and the guards of each request.

:class:`Handler` answers ``/query`` (the SPARQL 1.1 Protocol), ``/queries`` and ``/`` (see
:mod:`talkgraph.store.server` for what each is, and docs/server.md for what is refused and
why); the queries themselves run in the server's :class:`~talkgraph.store.workers.WorkerPool`.
It relies on its server (:class:`talkgraph.store.server.Server`) for ``config``, ``pool`` and the
request deadline of each connection (``watch``, ``unwatch``).
"""

from __future__ import annotations

import json
import re
import time
import urllib.parse
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler

from ..errors import ParameterError, QueryRefused, shown
from .catalogue import page_bounds
from .results import GRAPH_TYPES, RESULT_TYPES
from .workers import ADHOC, NAMED, RETRY_AFTER, Answer

__all__ = ["Handler", "MAX_BODY"]

_ALIASES = {"application/json": "json", "text/plain": "ntriples", "application/x-turtle": "turtle"}
#: The largest request body (a query) accepted, in bytes.
MAX_BODY = 1 << 20


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


class Handler(BaseHTTPRequestHandler):
    server_version = "talkgraph"
    page: bytes

    def log_message(self, format, *args):  # quiet: the answers say what went wrong
        pass

    # -- connection: the request must arrive within idle_timeout in all (see Server._reap)
    def setup(self):
        super().setup()
        self.server.watch(self.connection, time.monotonic() + self.server.config.idle_timeout)

    def finish(self):
        self.server.unwatch(self.connection)
        try:
            super().finish()
        except OSError:
            pass

    # -- plumbing
    def _send(self, status: int, content_type: str, body: bytes, headers: dict | None = None) -> None:
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        self.send_header("X-Content-Type-Options", "nosniff")
        for name, value in {**self._cors_headers(), **(headers or {})}.items():
            self.send_header(name, value)
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(body)

    def _problem(self, status: int, message: str, headers: dict | None = None) -> None:
        self._send(status, "text/plain; charset=utf-8", (message.rstrip() + "\n").encode("utf-8"), headers)

    def _cors_headers(self) -> dict:
        origin = self.headers.get("Origin") if self.headers else None
        allowed = self.server.config.cors
        if not origin or not allowed or (origin not in allowed and "*" not in allowed):
            return {}
        return {"Access-Control-Allow-Origin": origin, "Vary": "Origin",
                "Access-Control-Expose-Headers": "X-Talkgraph-Truncated, Link"}

    def _host_allowed(self) -> bool:
        """Answer only requests addressed to this server by one of its names (a guard against DNS rebinding)."""
        host = self.headers.get("Host")
        config = self.server.config
        if host is None or "*" in config.allowed_hosts:
            return True
        name, port = _split_host(host.strip())
        if name in config.host_names and port in ("", str(self.server.server_address[1])):
            return True
        names = ", ".join(sorted(config.host_names))
        port = self.server.server_address[1]
        self._problem(HTTPStatus.FORBIDDEN, f"the Host header names {shown(host)}, but this server answers only "
                      f"requests for {names} (on port {port}); start it with --allow-host NAME to answer another name")
        return False

    def _answer(self, request: tuple, kind: str, deadline: float, next_page=None) -> None:
        self.server.unwatch(self.connection)  # the request has arrived: from here the query's deadline rules
        answer: Answer = self.server.pool.run(request, kind=kind, deadline=deadline)
        if answer.outcome == "ok":
            content_type, payload = answer.body
            headers = {"X-Talkgraph-Truncated": "true"} if answer.truncated else {}
            if next_page and type(answer.truncated) is int:  # a named query's page, and more rows follow
                headers["Link"] = f'<{next_page(answer.truncated)}>; rel="next"'
            self._send(200, content_type, payload, headers)
        elif answer.outcome in ("busy", "timeout"):
            self._problem(HTTPStatus.SERVICE_UNAVAILABLE, answer.body, {"Retry-After": str(RETRY_AFTER)})
        elif answer.outcome == "memory":
            self._problem(HTTPStatus.SERVICE_UNAVAILABLE, answer.body)
        elif answer.outcome == "crashed":
            self._problem(HTTPStatus.INTERNAL_SERVER_ERROR, answer.body)
        else:
            status = {"UnknownQuery": HTTPStatus.NOT_FOUND, "UpdateRefused": HTTPStatus.FORBIDDEN}.get(
                answer.kind, HTTPStatus.BAD_REQUEST)
            self._problem(status, answer.body)

    def _run_sparql(self, text: str, args: dict, deadline: float) -> None:
        from .querycheck import check_query

        try:  # before a worker or the engine sees it: refused queries cost no worker and no wait
            check_query(text, source="query", allowed_services=self.server.config.allowed_services)
        except QueryRefused as error:
            return self._problem(HTTPStatus.BAD_REQUEST, str(error))
        fmt = _negotiate(self.headers.get("Accept", ""), (args.get("format") or [None])[0])
        self._answer((ADHOC, text, {}, fmt, self.server.config.max_rows, (None, 0)), ADHOC, deadline)

    # -- routes
    def do_GET(self):
        deadline = time.monotonic() + self.server.config.timeout
        if not self._host_allowed():
            return
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
            return self._run_sparql(args["query"][0], args, deadline)
        if url.path == "/queries":
            from .catalogue import load_catalogue

            listing = [q.describe() for q in load_catalogue().values()]
            return self._send(200, "application/json", json.dumps(listing, ensure_ascii=False).encode("utf-8"))
        if url.path.startswith("/queries/"):
            name = urllib.parse.unquote(url.path[len("/queries/"):])
            fmt = _negotiate(self.headers.get("Accept", ""), (args.pop("format", None) or [None])[0])
            page = [(args.pop(key, None) or [None])[-1] for key in ("limit", "offset")]
            try:
                limit, offset = page_bounds(*page)
            except ParameterError as error:
                return self._problem(HTTPStatus.BAD_REQUEST, str(error))
            params = {key: values[-1] for key, values in args.items()}
            return self._answer((NAMED, name, params, fmt, self.server.config.max_rows, (limit, offset)), NAMED,
                                deadline, next_page=lambda at: _page_link(url, at))
        if url.path == "/update":
            return self._problem(HTTPStatus.FORBIDDEN, "this endpoint is read-only: updates are refused")
        return self._problem(HTTPStatus.NOT_FOUND, f"nothing at {shown(url.path, quoted=False)}; try / or /query or /queries")

    do_HEAD = do_GET

    def do_OPTIONS(self):
        """CORS preflight: answered for the origins given to --cors; without them, no Access-Control-* at all."""
        if not self._host_allowed():
            return
        headers = {"Allow": "GET, HEAD, POST, OPTIONS"}
        if self._cors_headers() and self.headers.get("Access-Control-Request-Method", "").upper() in (
                "GET", "HEAD", "POST"):
            headers.update({"Access-Control-Allow-Methods": "GET, HEAD, POST",
                            "Access-Control-Allow-Headers": "Accept, Content-Type",
                            "Access-Control-Max-Age": "600"})
        self.send_response(HTTPStatus.NO_CONTENT)
        for name, value in {**self._cors_headers(), **headers}.items():
            self.send_header(name, value)
        self.send_header("Content-Length", "0")
        self.end_headers()

    def do_POST(self):
        deadline = time.monotonic() + self.server.config.timeout
        if not self._host_allowed():
            return self._drain()
        body = self._read_body()
        if body is None:
            return
        url = urllib.parse.urlsplit(self.path)
        content_type = self.headers.get("Content-Type", "").split(";")[0].strip().lower()
        if url.path == "/update" or content_type == "application/sparql-update":
            return self._problem(HTTPStatus.FORBIDDEN, "this endpoint is read-only: updates are refused")
        if url.path not in ("/query", "/sparql"):
            return self._problem(HTTPStatus.NOT_FOUND, f"nothing to POST at {shown(url.path, quoted=False)}; use /query")
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
        return self._run_sparql(text, args, deadline)

    def _read_body(self) -> str | None:
        """The request body as text, or None after answering why it cannot be read."""
        if self.headers.get("Transfer-Encoding") is not None:
            self._problem(HTTPStatus.LENGTH_REQUIRED, "send the query with a Content-Length: bodies in chunks "
                          "(Transfer-Encoding) are not accepted")
            self._drain()
            return None
        lengths = self.headers.get_all("Content-Length") or []
        if len(set(lengths)) > 1 or any(not re.fullmatch(r"\s*\d{1,15}\s*", value) for value in lengths):
            self._problem(HTTPStatus.BAD_REQUEST, f"Content-Length {shown(', '.join(lengths))} is not a number "
                          "of bytes")
            self._drain()
            return None
        length = int(lengths[0]) if lengths else 0
        if length > MAX_BODY:
            self._problem(HTTPStatus.REQUEST_ENTITY_TOO_LARGE, "queries are limited to 1 MB")
            return None
        data = bytearray()
        while len(data) < length:  # read1: each read waits once, so the connection's deadline holds
            chunk = self.rfile.read1(length - len(data))
            if not chunk:
                self.close_connection = True
                return None
            data += chunk
        return data.decode("utf-8", "replace")

    def _drain(self) -> None:
        """Read what the client already sent, so that closing does not reset the connection before it reads
        the answer."""
        try:
            self.connection.settimeout(0.2)
            for _ in range(16):
                if not self.rfile.read1(65536):
                    break
        except OSError:
            pass


def _split_host(host: str) -> tuple[str, str]:
    """``Host`` header → (name in lower case, port or "")."""
    if host.startswith("["):
        name, _, rest = host.partition("]")
        return name.lower() + "]", rest[1:] if rest.startswith(":") else rest
    name, _, port = host.partition(":")
    return name.lower().rstrip("."), port


def _page_link(url: urllib.parse.SplitResult, offset: int) -> str:
    """The path and query of the next page: the request's own, with ``offset`` replaced."""
    args = [(k, v) for k, v in urllib.parse.parse_qsl(url.query, keep_blank_values=True) if k != "offset"]
    return url.path + "?" + urllib.parse.urlencode(args + [("offset", str(offset))])
