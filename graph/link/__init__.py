"""Linking: records → concepts, from keyword cells and from titles and abstracts.

:mod:`.cells` links each keyword term to vocabulary concepts (or a candidate);
:mod:`.mentions` finds the concepts a title or abstract names, with the evidence, and
is the only module that imports spaCy. May import :mod:`talkgraph.tables`,
:mod:`talkgraph.vocab` and the base modules, nothing above.
"""
