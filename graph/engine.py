"""The RDF engine: the one module that imports pyoxigraph.

Every other module reaches Oxigraph through this one (``from .. import engine as ox``),
so the names below are the whole of pyoxigraph that talkgraph depends on: a newer
pyoxigraph that renames one of them fails here, in one place, and swapping the engine
means reading one list. Importing it loads the engine, so modules that a quick command
needs (the CLI, the table readers) import it only inside the functions that use it.
"""

from __future__ import annotations

from pyoxigraph import (BlankNode, DefaultGraph, Literal, NamedNode, QueryBoolean, QueryResultsFormat,
                        QueryTriples, Quad, RdfFormat, Store, Triple, parse, parse_query_results, serialize)

__all__ = ["BlankNode", "DefaultGraph", "Literal", "NamedNode", "QueryBoolean", "QueryResultsFormat",
           "QueryTriples", "Quad", "RdfFormat", "Store", "Triple", "parse", "parse_query_results", "serialize"]
