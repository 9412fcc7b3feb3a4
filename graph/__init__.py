"""talkgraph: turn a table of conference talks into a validated, queryable knowledge graph.

>>> from graph import build_graph
>>> g = build_graph("data/talks.tsv")
>>> len(g) > 1000
True
"""

__version__ = "0.1.0"

from .errors import InputError, MissingColumnError, TalkgraphError, ValidationError, VocabularyError  # noqa: E402
from .pipeline import BuildResult, build, build_graph, write_outputs  # noqa: E402

__all__ = [
    "__version__",
    "build",
    "build_graph",
    "write_outputs",
    "BuildResult",
    "TalkgraphError",
    "InputError",
    "MissingColumnError",
    "ValidationError",
    "VocabularyError",
]
