"""Outputs: serialising the graph, the NetworkX export, and the HTML view.

:mod:`.serialize` writes Turtle, N-Triples and JSON-LD (the JSON-LD shape is
:mod:`talkgraph.model.jsonld`'s); :mod:`.network` turns a store into NetworkX graphs, lays
them out and exports GraphML, GEXF and JSON (the only module that imports networkx);
:mod:`.view` writes the offline HTML page with pyvis (the only one that imports pyvis).
May import every layer below it (tables, vocab, link, model, store) and the base modules;
only :mod:`talkgraph.pipeline` and :mod:`talkgraph.cli` import it.
"""
