"""Stores and queries: the output folder's builds, the query catalogue, SPARQL, the server.

:mod:`.folder` lays out a build folder and switches builds in whole; :mod:`.sparql`
opens stores and runs named or ad-hoc queries on them or on a remote endpoint;
:mod:`.catalogue` reads ``queries/*.rq``; :mod:`.server` is ``talkgraph serve``;
:mod:`.remote` pushes a graph to a triple store; :mod:`.stats` counts what a build
holds. May import :mod:`talkgraph.tables`, :mod:`talkgraph.vocab`, :mod:`talkgraph.link`,
:mod:`talkgraph.model` and the base modules, nothing above.
"""
