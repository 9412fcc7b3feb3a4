"""The prefixes a query may use without declaring them, and the short names IRIs are shown by.

``talkgraph query --sparql`` and ``--file`` predeclare :func:`query_prefixes`: the
prefixes the catalogue's queries declare, the vocabularies of
:data:`talkgraph.namespaces.PREFIXES`, and those of the data a build mints under the default
base IRI (``talk:``, ``person:``, ``column:``, …, as results show IRIs), so that a name copied
from a result can be pasted into a query (a query that declares a prefix itself keeps its own;
a build with another ``--base-iri`` declares its own). Tables and the server's query page show an IRI as a prefixed name
(:func:`short_name`), using those and the prefixes of the data a build mints; CSV and
JSON keep IRIs whole.

>>> query_prefixes()["skos"]
'http://www.w3.org/2004/02/skos/core#'
>>> short_name("https://w3id.org/talkgraph/id/talk/deep-sky-surveys")
'talk:deep-sky-surveys'
"""

from __future__ import annotations

from functools import cache

__all__ = ["query_prefixes", "display_prefixes", "missing_prefixes", "short_name"]


@cache
def query_prefixes() -> dict[str, str]:
    """Name → namespace of every prefix a query may use undeclared, in name order."""
    from ..namespaces import DEFAULT_BASE_IRI, PREFIXES, data_prefixes
    from .catalogue import load_catalogue
    from .querycheck import declared_prefixes

    found = {**data_prefixes(DEFAULT_BASE_IRI), **PREFIXES}  # talk:, person:, … as the results show them
    for query in load_catalogue().values():
        found.update(declared_prefixes(query.text))
    return dict(sorted(found.items()))


@cache
def display_prefixes() -> dict[str, str]:
    """:func:`query_prefixes` and the prefixes of the data minted under the default base IRI."""
    from ..namespaces import DEFAULT_BASE_IRI, data_prefixes

    return {**data_prefixes(DEFAULT_BASE_IRI), **query_prefixes()}


@cache
def _longest_first() -> tuple[tuple[str, str], ...]:
    return tuple(sorted(display_prefixes().items(), key=lambda item: (-len(item[1]), item[0])))


def missing_prefixes(text: str) -> dict[str, str]:
    """The :func:`query_prefixes` that ``text`` does not declare itself."""
    from .querycheck import declared_prefixes

    own = declared_prefixes(text)
    return {name: iri for name, iri in query_prefixes().items() if name not in own}


def short_name(iri: str) -> str:
    """``iri`` as a prefixed name when a known namespace holds it (and the rest is a plain local
    name), else as it is.

    >>> short_name("http://example.org/x")
    'http://example.org/x'
    """
    for name, namespace in _longest_first():
        if iri.startswith(namespace) and len(iri) > len(namespace):
            local = iri[len(namespace):]
            if "/" not in local and "#" not in local:
                return f"{name}:{local}"
    return iri
