"""Builds killed or stopped at each stage leave every output wholly old or wholly new (#21).

One output folder holds an "old" build (a 500-talk synthetic table); a 6,000-talk table is
then built into it again and again, killed with SIGKILL at each stage of the build, seen from
outside (its worker processes, the files of its build folder), and stopped with SIGTERM and
SIGINT. The kills at the precise points of the switch are in test_switch_faults.py; what
must hold after each kill, and the machinery, are in faults.py. Run with ``-s`` to see the
figures.

The new table is as small as shows every stage: over two chunks of talks (4,000), so the build
starts its mention worker processes, and built without evidence, as tables over 10,000 talks are by
default; each stage then still lasts long enough to be seen and struck from outside.
"""

from __future__ import annotations

import signal
import sys

import pytest

from faults import Run, judge, make_lab, next_build_leaves_no_temporary_behind, point_current_at, signature

pytestmark = [pytest.mark.faults, pytest.mark.slow,
              pytest.mark.skipif(not sys.platform.startswith("linux"), reason="Linux-only (PR_SET_PDEATHSIG)")]


def _new_file(name: str):
    """The build's own folder (new under .builds) holds ``name``: reached whatever the machine's speed."""
    return lambda run: any((folder / name).exists() for folder in run.own_folders())


#: When the timed kills strike: a stage of the build, seen from outside (its processes, its files).
STAGES = {
    # Both workers started a while ago: struck while they extract, not while the pool forks them.
    "mention workers running": lambda run: run.since_workers() > 0.5 and run.elapsed() > 1.0,
    "store loading": _new_file("store/CURRENT"),
    "graph.ttl being written": _new_file("graph.ttl"),
    "graph.nt being written": _new_file("graph.nt"),
    "report.json written": _new_file("report.json"),
}


@pytest.fixture(scope="module")
def lab(tmp_path_factory):
    """The new table built with mentions (and their worker processes) over the old build."""
    yield from make_lab(tmp_path_factory.mktemp("faults"), "6000", mentions=True)


@pytest.mark.parametrize("stage", STAGES)
def test_sigkill_at_any_stage_leaves_old_outputs_and_no_process(lab, stage):
    point_current_at(lab.out, lab.old_build)
    run = Run(lab, lab.out, when=STAGES[stage])
    assert run.workers  # the build had started its mention workers: none may outlive it
    judge(lab, run, signature(lab.out), f"SIGKILL, {stage}")


@pytest.mark.parametrize("sig, code", [(signal.SIGTERM, 143), (signal.SIGINT, 130)])
def test_sigterm_and_sigint_stop_a_build_cleanly(lab, sig, code):
    point_current_at(lab.out, lab.old_build)
    before = sorted(p.name for p in (lab.out / ".builds").iterdir())
    # SIGINT as Ctrl-C sends it, to the whole process group; SIGTERM to the build alone
    run = Run(lab, lab.out, when=STAGES["mention workers running"], sig=sig, group=sig == signal.SIGINT)
    assert run.signalled and run.workers
    assert run.returncode == code, run.stderr
    message = run.stderr.strip()
    assert len(message.splitlines()) == 1 and "Traceback" not in message, message
    assert f"Stopped by {sig.name}" in message and "holds the last complete build" in message
    assert signature(lab.out) == lab.old
    assert not run.survivors
    assert sorted(p.name for p in (lab.out / ".builds").iterdir()) == before  # its own folder removed


def test_the_next_build_leaves_no_temporary_behind(lab):
    """Last: the folders of all the builds killed above, and the old layout's temporaries, are removed."""
    next_build_leaves_no_temporary_behind(lab)
