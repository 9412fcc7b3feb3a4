"""Builds killed at the precise points of the switch leave every output wholly old or wholly new (#21).

As in test_build_faults.py (what must hold after each kill, and the machinery, are in faults.py),
but each build kills itself at a named point of the switch (``TALKGRAPH_KILL_AT``, see
:mod:`talkgraph.store.folder`), also in a folder of the old layout (real files) while it is being
migrated. Nothing here is timed from outside, so the new table need not be large, nor its build
start mention workers: a 600-talk table built with ``--no-mentions``.
"""

from __future__ import annotations

import shutil
import signal
import sys

import pytest

from faults import Run, judge, make_lab, next_build_leaves_no_temporary_behind, point_current_at, signature

pytestmark = [pytest.mark.faults, pytest.mark.slow,
              pytest.mark.skipif(not sys.platform.startswith("linux"), reason="Linux-only (PR_SET_PDEATHSIG)")]


@pytest.fixture(scope="module")
def lab(tmp_path_factory):
    yield from make_lab(tmp_path_factory.mktemp("switch-faults"), "600", mentions=False)


@pytest.mark.parametrize("point, expected", [("publish", "old"), ("switched", "new"), ("cleaning:2", "new")])
def test_sigkill_at_the_switch_leaves_old_or_new_outputs(lab, point, expected):
    point_current_at(lab.out, lab.old_build)
    run = Run(lab, lab.out, at=point)
    assert run.returncode == -signal.SIGKILL, run.stderr
    judge(lab, run, signature(lab.out), f"SIGKILL at {point}", expected)


@pytest.mark.parametrize("point", ["linking:4", "linking:6"])
def test_sigkill_while_an_old_layout_folder_is_migrated_leaves_the_old_outputs(lab, point):
    """The old layout (real files, a real store folder) is migrated by the first build: killed between
    two of its renames, every output is still the old one."""
    out = lab.folder / f"legacy-{point.replace(':', '-')}"
    shutil.copytree(lab.old_build, out)  # the old layout: the outputs as real files and folder
    (out / ".store.k3j2.tmp").mkdir()  # and a temporary an old build killed midway left
    run = Run(lab, out, at=point)
    assert run.returncode == -signal.SIGKILL, run.stderr
    judge(lab, run, signature(out), f"SIGKILL at {point} (old layout)", "old")
    shutil.rmtree(out)


def test_the_next_build_leaves_no_temporary_behind(lab):
    """Last: the folders of the builds killed above, and the old layout's temporaries, are removed."""
    next_build_leaves_no_temporary_behind(lab)
