"""Linking: records → concepts, from keyword cells and from titles and abstracts.

:mod:`.cells` links each keyword term to vocabulary concepts (or a candidate);
:mod:`.mentions` finds the concepts a title or abstract names, with the evidence, and
is the only module that imports spaCy. May import :mod:`graph.tables`,
:mod:`graph.vocab` and the base modules, nothing above.
"""
