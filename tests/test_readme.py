"""The README's console examples are what the commands print.

Each fenced block that starts with ``$ talkgraph …`` is run in a folder where the
first example (``talkgraph build``) has built the bundled table, and its output is
compared as doctest compares it: ``...`` stands for any text (the README uses it to
cut long listings), and the build time is not compared.
"""

from __future__ import annotations

import doctest
import re
import shlex

import pytest
from click.testing import CliRunner

from talkgraph.cli import cli

from conftest import ROOT

_EXAMPLE = re.compile(r"^```\n\$ (talkgraph [^\n]*)\n(.*?)^```", re.MULTILINE | re.DOTALL)
_SECONDS = re.compile(r" in \d+(?:\.\d+)? s$", re.MULTILINE)


def readme_examples() -> list[tuple[str, str]]:
    return _EXAMPLE.findall((ROOT / "README.md").read_text(encoding="utf-8"))


EXAMPLES = readme_examples()


def test_the_readme_has_console_examples_and_the_first_builds():
    commands = [command for command, _ in EXAMPLES]
    assert len(commands) >= 3, commands
    assert commands[0] == "talkgraph build"


@pytest.fixture(scope="module")
def folder(tmp_path_factory):
    """The working directory the examples share; the first one, `talkgraph build`, builds into it."""
    return tmp_path_factory.mktemp("readme")


def _run(command: str, cwd, monkeypatch) -> str:
    monkeypatch.chdir(cwd)
    monkeypatch.delenv("SOURCE_DATE_EPOCH", raising=False)
    result = CliRunner().invoke(cli, shlex.split(command)[1:], catch_exceptions=False)
    assert result.exit_code == 0, result.output
    return result.output


@pytest.mark.parametrize("command, expected", EXAMPLES, ids=[command for command, _ in EXAMPLES])
def test_readme_console_example_matches_what_the_command_prints(command, expected, folder, monkeypatch):
    if command != "talkgraph build" and not (folder / "out" / "store").exists():
        _run("talkgraph build -q", folder, monkeypatch)
    got = _SECONDS.sub(" in <seconds> s", _run(command, folder, monkeypatch))
    want = _SECONDS.sub(" in <seconds> s", expected)
    checker = doctest.OutputChecker()
    if not checker.check_output(want, got, doctest.ELLIPSIS):
        example = doctest.Example(command, want)
        pytest.fail(f"README example `{command}` is out of date:\n"
                    + checker.output_difference(example, got, doctest.ELLIPSIS | doctest.REPORT_UDIFF))


def test_readme_turtle_excerpt_is_lines_of_the_built_graph(folder, monkeypatch):
    """Every line of the README's excerpt of out/graph.ttl, but those cut with `...`, is a line of the file."""
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    excerpt = readme.split("An excerpt of `out/graph.ttl`:", 1)[1].split("```turtle\n", 1)[1].split("```", 1)[0]
    if not (folder / "out" / "store").exists():
        _run("talkgraph build -q", folder, monkeypatch)
    lines = set((folder / "out" / "graph.ttl").read_text(encoding="utf-8").splitlines())
    checked = [line for line in excerpt.splitlines() if "..." not in line]
    assert len(checked) >= 12
    missing = [line for line in checked if line not in lines]
    assert not missing, "README's Turtle excerpt has lines graph.ttl does not:\n" + "\n".join(missing)
