"""Stores and queries: the output folder's builds, the query catalogue, SPARQL, the server.

:mod:`.folder` lays out a build folder and switches builds in whole; :mod:`.embedded`
opens a build's graph (:func:`~talkgraph.store.embedded.open_store`, the one way every
reader opens it) and :mod:`.endpoint` a remote SPARQL endpoint; :mod:`.sparql` runs named
or ad-hoc queries on either, with :mod:`.parameters` (values to RDF terms),
:mod:`.querycheck` (the one SPARQL lexer: services, depth, query form, slots) and
:mod:`.results` (answers and their formats); :mod:`.catalogue` reads ``queries/*.rq``;
:mod:`.server` and :mod:`.handler` are ``talkgraph serve``, its queries run by
:mod:`.workers`; :mod:`.remote` pushes a graph to a triple store, through
:mod:`.httpclient` (one HTTP client, one wording of its failures); :mod:`.stats` counts
what a build holds. May import :mod:`talkgraph.tables`, :mod:`talkgraph.vocab`,
:mod:`talkgraph.link`, :mod:`talkgraph.model` and the base modules, nothing above.
"""
