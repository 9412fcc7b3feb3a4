"""Comparing graphs in tests, with a readable diff of what is only on one side."""

from __future__ import annotations

from rdflib import BNode, Graph
from rdflib.compare import graph_diff, to_isomorphic

from talkgraph.vocab.vocabulary import load_vocabulary

_VOCAB_TRIPLES = None


def without_vocabulary(graph: Graph) -> Graph:
    """The graph minus the triples of the bundled ontology and vocabularies, so goldens do not churn with
    them (a UAT concept the vocabularies cite keeps the description the build copies from UAT)."""
    global _VOCAB_TRIPLES
    if _VOCAB_TRIPLES is None:
        _VOCAB_TRIPLES = {(str(t.subject), str(t.predicate), str(t.object)) for t in load_vocabulary().triples}
    out = Graph(bind_namespaces="none")
    for prefix, namespace in graph.namespaces():
        out.bind(prefix, namespace, override=True, replace=True)
    for triple in graph:
        if tuple(term.n3() for term in triple) not in _VOCAB_TRIPLES:
            out.add(triple)
    return out


def assert_isomorphic(expected: Graph, actual: Graph, *, limit: int = 40) -> None:
    """Fail with the triples only in one graph or the other, in Turtle-ish N-Triples lines."""
    if _ground_and_equal(expected, actual):
        return  # isomorphic without the canonical relabelling, which costs most of a comparison
    iso_expected, iso_actual = to_isomorphic(expected), to_isomorphic(actual)
    if iso_expected == iso_actual:
        return
    _, only_expected, only_actual = graph_diff(iso_expected, iso_actual)

    def lines(g):
        rows = sorted(" ".join(term.n3(expected.namespace_manager) for term in t) + " ." for t in g)
        return "\n".join(rows[:limit]) + (f"\n... {len(rows) - limit} more" if len(rows) > limit else "")

    raise AssertionError(f"graphs differ\n--- only in expected ({len(only_expected)}):\n{lines(only_expected)}"
                         f"\n+++ only in actual ({len(only_actual)}):\n{lines(only_actual)}")


def _ground_and_equal(expected: Graph, actual: Graph) -> bool:
    """True if both graphs have no blank node and the same triples: two such graphs are isomorphic
    exactly when their sets of triples are equal (False means: compare them the long way)."""
    triples = set(expected)
    if any(isinstance(term, BNode) for triple in triples for term in triple):
        return False
    return triples == set(actual)
