"""Shared fixtures and helpers: the real table's build, ../shared, graph comparison; the
hypothesis profiles."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from hypothesis import HealthCheck, settings

ROOT = Path(__file__).resolve().parent.parent
SHARED = Path(os.environ.get("TALKGRAPH_SHARED", ROOT.parent / "shared"))
REAL_TABLE = ROOT / "data" / "talks.tsv"

# Property tests: "short" by default and in CI (the same examples every run, so a failure is never a
# new draw's luck), "long" on demand (TALKGRAPH_HYPOTHESIS=long, or pytest --hypothesis-profile=long):
# twenty times the examples, new ones each run. Tests whose examples are costly take a fraction of
# ``settings.default.max_examples``. No deadline: a loaded machine must not fail a correct test.
_QUIET = [HealthCheck.too_slow, HealthCheck.data_too_large, HealthCheck.function_scoped_fixture]
settings.register_profile("short", max_examples=100, deadline=None, derandomize=True, database=None,
                          suppress_health_check=_QUIET)
settings.register_profile("long", max_examples=2000, deadline=None, suppress_health_check=_QUIET)
settings.load_profile(os.environ.get("TALKGRAPH_HYPOTHESIS", "short"))


def pytest_collection_modifyitems(config, items):
    """The files that hold slow tests run first, the rest after them (each group in its usual order).

    pytest-xdist hands each worker a whole file at a time (``--dist loadfile``, with
    ``--no-loadscope-reorder``: in this order). Started last, a long file would leave the other
    worker idle at the end; started first, the short files fill in around it. Only the order
    changes: every test still runs."""
    slow_files = {item.path for item in items if item.get_closest_marker("slow")}
    items.sort(key=lambda item: item.path not in slow_files)  # a stable sort: each group keeps its order


def write_synthetic(folder: Path, talks: int, seed: int, *, mentions: bool = True) -> Path:
    """A synthetic table of ``talks`` talks (benchmarks/synth.py) built into ``folder``/out with its
    index; the out folder."""
    import io
    import sys

    from talkgraph import build, write_outputs

    sys.path.insert(0, str(ROOT / "benchmarks"))
    from synth import generate

    stream = io.StringIO()
    generate(talks, seed=seed, out=stream)
    table = folder / "talks.tsv"
    table.write_text(stream.getvalue(), encoding="utf-8")
    write_outputs(build(table, mentions=mentions), folder / "out")
    return folder / "out"


def needs_shared(*parts: str) -> Path:
    """Path under ../shared, or skip the test with a clear reason when it is absent."""
    path = SHARED.joinpath(*parts)
    if not path.exists():
        pytest.skip(f"{path} is absent: this test needs the ../shared folder beside the checkout "
                    "(present in CI); set TALKGRAPH_SHARED to point elsewhere")
    return path


@pytest.fixture(scope="session")
def real_build():
    """The build of the real table (data/talks.tsv), shared by the tests that only read it."""
    from talkgraph import build

    return build(REAL_TABLE)


@pytest.fixture(scope="session")
def real_out(tmp_path_factory, real_build):
    """That build written to an output folder, for the tests that only read it (queries, servers)."""
    from talkgraph import write_outputs

    folder = tmp_path_factory.mktemp("real-out")
    write_outputs(real_build, folder)
    return folder


@pytest.fixture
def write_table(tmp_path):
    """Write a table from rows of cells (first row = header); return its path."""

    def write(rows, name="talks.tsv", *, delimiter="\t", prefix="", encoding="utf-8"):
        path = tmp_path / name
        text = prefix + "".join(delimiter.join(row) + "\n" for row in rows)
        path.write_bytes(text.encode(encoding))
        return path

    return write


HEADER = ["First Name", "Surname", "Proposed Talk Title", "Area of Astronomy Research",
          "Areas of Machine Learning / AI", "Abstract"]


@pytest.fixture(scope="session")
def browser():
    """Debian's headless Chromium driven by Playwright (executable_path set: no browser download, ever)."""
    import shutil

    chromium = shutil.which("chromium") or shutil.which("chromium-browser")
    if chromium is None:
        pytest.fail("Debian's chromium is not installed; .ci/run installs it (apt-get install chromium)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=chromium, args=[
            "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
            "--no-first-run", "--disable-sync", "--disable-quic"])
        yield browser
        browser.close()


def guard(page, allowed: str) -> tuple[list[str], list[str]]:
    """Refuse every request whose URL does not start with ``allowed``; collect them and console errors."""
    outgoing: list[str] = []
    errors: list[str] = []

    def route(route):
        if route.request.url.startswith(allowed):
            return route.continue_()
        outgoing.append(route.request.url)
        return route.abort()

    page.route("**/*", route)
    page.on("console", lambda message: errors.append(message.text) if message.type == "error" else None)
    page.on("pageerror", lambda error: errors.append(str(error)))
    return outgoing, errors
