"""An rdflib view of a pyoxigraph store: one graph, two APIs, no copy.

:func:`rdflib_graph` wraps a :class:`pyoxigraph.Store` (its default graph) as an
:class:`rdflib.Graph` through oxrdflib, for code that speaks rdflib; :func:`oxigraph_of`
gives the store back, so that a fast path (validation on Oxigraph) never has to copy
the triples or reach into oxrdflib's private attributes.
"""

from __future__ import annotations

__all__ = ["rdflib_graph", "oxigraph_of"]


def _store_class():
    from oxrdflib import OxigraphStore
    from rdflib import Literal
    from rdflib.namespace import XSD

    class OxigraphView(OxigraphStore):
        """oxrdflib's store that keeps its pyoxigraph store in sight (:attr:`oxigraph`) and returns
        plain literals as rdflib's parsers do: oxrdflib gives ``"x"`` back as
        ``Literal("x", datatype=XSD.string)``, which rdflib does not consider equal to ``Literal("x")``."""

        def __init__(self, store):
            super().__init__(store=store)
            self.oxigraph = store

        def triples(self, pattern, context=None):
            for (s, p, o), contexts in super().triples(pattern, context):
                if type(o) is Literal and o.datatype == XSD.string:
                    o = Literal(str(o))
                yield (s, p, o), contexts

    return OxigraphView


def rdflib_graph(store, *, prefixes: dict[str, str] | None = None):
    """The default graph of the pyoxigraph ``store`` as an :class:`rdflib.Graph` (no copy)."""
    from rdflib import Graph
    from rdflib.graph import DATASET_DEFAULT_GRAPH_ID

    graph = Graph(store=_store_class()(store), identifier=DATASET_DEFAULT_GRAPH_ID)
    for prefix, namespace in (prefixes or {}).items():
        graph.bind(prefix, namespace, override=True, replace=True)
    return graph


def oxigraph_of(graph):
    """The pyoxigraph store behind an rdflib graph made by :func:`rdflib_graph`, else ``None``.

    >>> from talkgraph.engine import Store
    >>> store = Store()
    >>> oxigraph_of(rdflib_graph(store)) is store
    True
    """
    return getattr(getattr(graph, "store", None), "oxigraph", None)
