"""talkgraph: turn a table of conference talks into a validated, queryable knowledge graph.

The library's entry points, imported only when first used, so that ``import talkgraph``
(and ``talkgraph --help``) costs nothing of rdflib, pyoxigraph or spaCy:

>>> from talkgraph import build, run_query
>>> result = build("data/talks.tsv")
>>> result.counts["talks_built"], result.conforms
(19, True)
>>> sorted({row["name"] for row in run_query("speakers-by-method", store=result.store,
...                                           method="Bayesian deep learning").rows()})
['Edward Elliott', 'Mike Walmsley', 'Thomas Killestein']

The package's folders follow the data: ``tables`` → ``vocab`` → ``link`` → ``model`` →
``store`` → ``outputs``, then :mod:`talkgraph.pipeline` (the build) and :mod:`talkgraph.cli`.
"""

from __future__ import annotations

from importlib import import_module

__version__ = "0.1.0"

#: Each public name and the module it lives in.
_EXPORTS = {
    "build": "pipeline", "build_graph": "pipeline", "write_outputs": "pipeline", "BuildResult": "pipeline",
    "run_query": "store.sparql", "run_sparql": "store.sparql", "open_store": "store.sparql",
    "TalkgraphError": "errors", "InputError": "errors", "MissingColumnError": "errors",
    "ValidationError": "errors", "VocabularyError": "errors",
}

__all__ = ["__version__", *_EXPORTS]


def __getattr__(name: str):
    if name in _EXPORTS:
        value = getattr(import_module(f".{_EXPORTS[name]}", __name__), name)
        globals()[name] = value  # once imported, an ordinary attribute
        return value
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def __dir__() -> list[str]:
    return sorted(__all__)
