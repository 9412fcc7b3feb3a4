"""Pushing a built graph into a triple store through the SPARQL 1.1 Graph Store Protocol."""

from __future__ import annotations

import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

from .errors import EndpointError, require_file

__all__ = ["push_graph"]


def push_graph(ntriples: str | Path, endpoint: str, *, graph: str | None = None, timeout: float = 600) -> int:
    """PUT the N-Triples file into ``graph`` (or the default graph) of the store at ``endpoint``.

    PUT replaces the graph's content, so pushing twice leaves one copy. Returns the
    number of triples sent.
    """
    path = require_file(ntriples, hint="run `talkgraph build` first (it writes out/graph.nt)")
    if not endpoint.startswith(("http://", "https://")):
        raise EndpointError(endpoint, "is not an http(s) URL", hint="e.g. http://127.0.0.1:7878/store")
    data = path.read_bytes()
    query = {"graph": graph} if graph else {"default": ""}
    separator = "&" if "?" in endpoint else "?"
    url = endpoint + separator + urllib.parse.urlencode(query).replace("default=", "default")
    request = urllib.request.Request(url, data=data, method="PUT",
                                     headers={"Content-Type": "application/n-triples"})
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:
            response.read()
    except urllib.error.HTTPError as error:
        detail = error.read().decode("utf-8", "replace").strip().splitlines()[:3]
        raise EndpointError(endpoint, f"HTTP {error.code} {error.reason}: {' '.join(detail)}",
                            hint="the URL must be the server's Graph Store Protocol endpoint "
                                 "(for Oxigraph: http://HOST:PORT/store)") from None
    except (urllib.error.URLError, OSError) as error:
        raise EndpointError(endpoint, f"cannot connect: {getattr(error, 'reason', error)}") from None
    return data.count(b"\n")
