"""What a build hands back (:class:`BuildResult`), and the validation step that fills in its verdict."""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cached_property
from typing import TYPE_CHECKING, Iterator

from .. import engine as ox
from ..outputs.ntriples import NTriples
from ..outputs.serialize import PredicateKinds
from ..tables.records import Reject
from .concurrency import Stores
from .steps import Progress, silent

if TYPE_CHECKING:
    from ..model.linkindex import LinkIndex

__all__ = ["BuildResult", "validate_result"]


@dataclass
class BuildResult:
    """What a build produced: the graph (as N-Triples), the report and the validation outcome.

    :attr:`ntriples` are written by Oxigraph from terms it checked when they were made, so they
    are parsed back with ``lenient=True``: IRIs are not checked again, which makes parsing and
    loading a store markedly cheaper (see benchmarks/README.md). A build given an output folder
    keeps them in its build folder's file, not in memory (:attr:`text`); :attr:`ntriples` reads
    them.
    """

    #: The graph's N-Triples, in memory or in a file (:class:`~talkgraph.outputs.ntriples.NTriples`).
    text: NTriples
    report: dict
    prefixes: dict[str, str]
    kinds: PredicateKinds  # of the objects of each predicate, for the JSON-LD context
    rejects: list[Reject] = field(default_factory=list)
    conforms: bool = True
    violations: int = 0
    validation_text: str = "not validated"
    validated: bool = False
    #: The links index, written beside the store (:mod:`talkgraph.model.linkindex`).
    index: LinkIndex | None = field(default=None, repr=False)
    #: The stores the build loaded while it made the triples, for :attr:`store` and
    #: :func:`~talkgraph.pipeline.write_outputs` (see :mod:`talkgraph.pipeline.concurrency`).
    _stores: Stores | None = field(default=None, repr=False)

    @property
    def counts(self) -> dict:
        return self.report["counts"]

    @property
    def ntriples(self) -> bytes:
        """The graph as N-Triples (read from the build folder's file if they are there)."""
        return self.text.read()

    @ntriples.setter
    def ntriples(self, data: bytes) -> None:
        self.text = NTriples(data)

    def triples(self) -> Iterator[ox.Triple]:
        """The triples, in the build's fixed order (parsed afresh on each call)."""
        return ox.parse(self.text.stream(), format=ox.RdfFormat.N_TRIPLES, lenient=True)

    @cached_property
    def store(self) -> ox.Store:
        """An in-memory Oxigraph store holding the graph (its default graph)."""
        preloaded = self._stores.memory_store(self.text) if self._stores is not None else None
        if preloaded is not None:
            return preloaded
        store = ox.Store()
        store.load(self.text.stream(), format=ox.RdfFormat.N_TRIPLES, lenient=True)  # see the class's docstring
        return store

    def release_store(self) -> None:
        """Free :attr:`store` (and :attr:`graph`); they are rebuilt if asked for again."""
        self.__dict__.pop("graph", None)
        self.__dict__.pop("store", None)

    @cached_property
    def graph(self):
        """The graph as an :class:`rdflib.Graph`, backed by :attr:`store` (no copy)."""
        from ..model.rdf import rdflib_graph

        return rdflib_graph(self.store, prefixes=self.prefixes)


def validate_result(result: BuildResult, *, keep_store: bool = True, tick: Progress = silent) -> None:
    """Validate the result's graph against the SHACL shapes; record the verdict in it and its report.

    Without ``keep_store``, a store loaded for this alone is freed afterwards.
    """
    from ..model.validate import validate as validate_graph

    tick("validate", 0, 1)
    had_store = "store" in result.__dict__
    result.conforms, violations, result.validation_text = validate_graph(result.store)
    result.violations, result.validated = len(violations), True
    result.report["validation"] = {"conforms": result.conforms, "report": result.validation_text}
    if not (keep_store or had_store):
        result.release_store()  # loaded for validation only: free it while the writers go on
    tick("validate", 1, 1)
