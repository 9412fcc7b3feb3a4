"""The graph model: linked records → triples, and their validation.

:mod:`.triples` mints the IRIs of talks, people and the build and makes the triples in
a fixed order; :mod:`.validate` checks a graph against ``ontology/shapes.ttl``. May
import :mod:`talkgraph.tables`, :mod:`talkgraph.vocab`, :mod:`talkgraph.link` and the base
modules, nothing above.
"""
