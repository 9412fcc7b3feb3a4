"""Outputs: serialising the graph, the NetworkX export, and the HTML view.

:mod:`.serialize` writes Turtle, N-Triples and JSON-LD; :mod:`.network` turns a store
into NetworkX graphs and exports GraphML, GEXF and JSON; :mod:`.view` writes the
offline HTML page with pyvis. May import every layer below it (tables, vocab, link,
model, store) and the base modules; only :mod:`talkgraph.pipeline` and :mod:`talkgraph.cli`
import it.
"""
