"""Reading tables: files → rows with roles → records.

Owns the table reader (TSV/CSV, encodings, header roles and aliases), cell cleaning
(Unicode, whitespace, real HTML markup; :mod:`.text`) and the records a talk is made
from, with the rejects report's rows. Pure Python: it imports nothing of talkgraph
but :mod:`talkgraph.errors`, and neither rdflib, pyoxigraph nor spaCy, so it is quick to
property-test.
"""
