"""Vocabularies: the SKOS schemes, their label index, keyword cells and word forms.

Owns loading the shipped schemes (``ontology/``) and ``--vocab`` files (any SKOS file; a UAT
release in place of the shipped one: :mod:`.files`) into a :class:`~.vocabulary.Vocabulary`,
splitting keyword cells into terms and the word-form keys they are matched by (:mod:`.keywords`),
the word-form rules that both keyword cells and mentions use (:mod:`.wordforms`, data in
``wordforms.json``), and checking the UAT and AIO alignments (:mod:`.alignments`). May import
:mod:`talkgraph.tables` and the base modules (errors, resources, namespaces), nothing above.
"""
