"""Linking: records → concepts, from keyword cells and from titles and abstracts.

:mod:`.cells` links each keyword term to vocabulary concepts (or a candidate).
:mod:`.mentions` finds the concepts a title or abstract names, with the evidence, built
from one module per job: :mod:`.patterns` (labels → matcher phrases), :mod:`.nlp` (spaCy
set-up, the only module that imports spaCy), :mod:`.rules` (the false friends, as data in
``mention_rules.json``), :mod:`.abbreviations` (what a talk defines), :mod:`.candidates`
(terms that matched nothing) and :mod:`.pool` (the worker processes). May import
:mod:`talkgraph.tables`, :mod:`talkgraph.vocab` and the base modules, nothing above.
"""
