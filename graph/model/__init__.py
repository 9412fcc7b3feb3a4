"""The graph model: linked records → triples, their JSON-LD shape, and their validation.

:mod:`.triples` makes the triples in a fixed order (the IRIs it uses are minted by
:func:`talkgraph.namespaces.mint`); :mod:`.jsonld` is the one JSON-LD shape of the graph
(a build's ``graph.jsonld`` and query results); :mod:`.validate` checks a graph against
``ontology/shapes.ttl``, with the shapes compiled to SPARQL by :mod:`.shapes` or by pySHACL;
:mod:`.rdf` is an rdflib view of an Oxigraph store. May import :mod:`talkgraph.tables`,
:mod:`talkgraph.vocab`, :mod:`talkgraph.link` and the base modules, nothing above.
"""
