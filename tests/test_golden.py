"""Golden cases: each folder under tests/golden/ holds input table(s) and expected.ttl.

The built graph (minus the bundled vocabularies) must be isomorphic to
expected.ttl; on failure the test prints the triples only on one side. After a
deliberate change, regenerate with ``TALKGRAPH_UPDATE_GOLDEN=1 pytest tests/test_golden.py``
and review the diff of expected.ttl.
"""

from __future__ import annotations

import os
from datetime import datetime, timezone
from pathlib import Path

import pytest
from rdflib import Graph, URIRef

from talkgraph import build

from graphs import assert_isomorphic, without_vocabulary

GOLDEN = Path(__file__).parent / "golden"
CASES = sorted(p.name for p in GOLDEN.iterdir() if p.is_dir() and any(p.glob("*.[tc]sv")))


def built(case: str) -> Graph:
    folder = GOLDEN / case
    inputs = sorted(p for p in folder.iterdir() if p.suffix in (".tsv", ".csv"))
    cwd = os.getcwd()
    os.chdir(folder)  # relative paths, so the graph does not depend on where the checkout lives
    try:
        result = build([p.name for p in inputs], event="Golden meeting",
                       timestamp=datetime(2021, 6, 28, tzinfo=timezone.utc))
    finally:
        os.chdir(cwd)
    assert result.conforms, result.validation_text
    return without_vocabulary(result.graph)


@pytest.mark.parametrize("case", CASES)
def test_golden_case(case):
    actual = built(case)
    expected_path = GOLDEN / case / "expected.ttl"
    if os.environ.get("TALKGRAPH_UPDATE_GOLDEN"):
        actual.serialize(expected_path, format="turtle")
    assert_isomorphic(Graph().parse(expected_path), actual)


def test_the_diff_names_what_differs():
    expected = built("merge")
    actual = built("merge")
    actual.remove((None, URIRef("http://schema.org/name"), None))
    with pytest.raises(AssertionError) as caught:
        assert_isomorphic(expected, actual)
    assert "only in expected (5)" in str(caught.value) and "schema:name" in str(caught.value)
