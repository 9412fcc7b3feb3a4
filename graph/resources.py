"""The one place that knows where talkgraph's data files live.

In a source checkout they are the top-level ``ontology/``, ``queries/`` and
``data/`` folders; in an installed wheel they are packaged under
``graph/_resources/``. Data files that belong to one stage sit beside its code
(``graph/vocab/data/``) and ship inside that package. Nothing else in the package hunts for files.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path

__all__ = ["ontology_dir", "queries_dir", "default_input", "ontology_file", "vocab_data_file"]

_PACKAGE = Path(__file__).resolve().parent


@cache
def _root(name: str) -> Path:
    for candidate in (_PACKAGE / "_resources" / name, _PACKAGE.parent / name):
        if candidate.exists():
            return candidate
    raise FileNotFoundError(f"talkgraph's {name}/ folder is missing from {_PACKAGE}; reinstall the package")


def ontology_dir() -> Path:
    """Folder holding the ontology, vocabularies and SHACL shapes (Turtle)."""
    return _root("ontology")


def ontology_file(name: str) -> Path:
    """Path of one Turtle file in :func:`ontology_dir`, e.g. ``"shapes.ttl"``."""
    return ontology_dir() / name


def queries_dir() -> Path:
    """Folder holding the named SPARQL queries (``*.rq``)."""
    return _root("queries")


def default_input() -> Path:
    """The bundled table of talks (``data/talks.tsv``)."""
    return _root("data") / "talks.tsv"


def vocab_data_file(name: str) -> Path:
    """Path of one data file of the vocabulary stage, e.g. ``"uat.json"`` (``graph/vocab/data/``)."""
    return _PACKAGE / "vocab" / "data" / name
