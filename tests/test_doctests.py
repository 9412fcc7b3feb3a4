"""Every ``>>>`` example in the package's docstrings runs, as imported by users: ``talkgraph.*``.

(pytest's own --doctest-modules would import the modules from their folder, graph/, as a
second copy under another name.)
"""

from __future__ import annotations

import doctest
import importlib
import pkgutil

import pytest

import talkgraph

MODULES = sorted(["talkgraph"] + [info.name for info in pkgutil.walk_packages(talkgraph.__path__, "talkgraph.")])


def test_every_module_is_found():
    assert {"talkgraph.cli", "talkgraph.pipeline", "talkgraph.store.sparql", "talkgraph.link.mentions"} <= set(MODULES)


@pytest.mark.parametrize("name", MODULES)
def test_docstring_examples_run(name, monkeypatch):
    from conftest import ROOT

    monkeypatch.chdir(ROOT)  # examples name data/talks.tsv as the README does
    module = importlib.import_module(name)
    finder = doctest.DocTestFinder()
    runner = doctest.DocTestRunner(optionflags=doctest.ELLIPSIS)
    for test in finder.find(module, name):
        runner.run(test)
    result = runner.summarize(verbose=False)
    assert result.failed == 0, f"{result.failed} of {result.attempted} examples in {name} failed (see above)"
