"""Builds killed or stopped at many points leave every output wholly old or wholly new (#21).

One output folder holds an "old" build (a 500-talk synthetic table); a 6,000-talk table is
then built into it again and again, killed with SIGKILL at each stage of the build (seen from
outside: its worker processes, the files of its build folder) and at the precise points of the
switch (``TALKGRAPH_KILL_AT``, see :mod:`talkgraph.store.folder`), also from a
folder of the old layout (real files) while it is being migrated, and stopped with SIGTERM and
SIGINT. After each: every output (each file, and the store as a reader opens and queries it) is
the old build's or the new one's, all of them the same one; no process of the build is left;
and, after the next build that completes, no temporary file or folder. Run with ``-s`` to see
the figures.

The new table is as small as shows every stage: over two chunks of talks (4,000), so the build
starts its mention worker processes, and built without evidence, as tables over 10,000 talks are by
default; each stage then still lasts long enough to be seen and struck from outside.
"""

from __future__ import annotations

import fcntl
import hashlib
import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from conftest import ROOT

pytestmark = [pytest.mark.faults, pytest.mark.slow,
              pytest.mark.skipif(not sys.platform.startswith("linux"), reason="Linux-only (PR_SET_PDEATHSIG)")]

FILES = ("graph.ttl", "graph.nt", "graph.jsonld", "report.json", "rejects.tsv")
ENV = {**os.environ, "PYTHONPATH": os.pathsep.join([str(ROOT), os.environ.get("PYTHONPATH", "")])}
ENV.pop("TALKGRAPH_KILL_AT", None)
TALKGRAPH = [sys.executable, "-m", "talkgraph.cli"]
# How a reader finds and queries the store: through talkgraph.store.sparql.open_store, in a process of its own
# (a reader keeps the build it opened for as long as it lives).
COUNT = "import sys; from talkgraph.store.sparql import open_store; print(len(open_store(sys.argv[1]).store))"


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


def _alive_in_group(group: int) -> list[int]:
    """Processes (not zombies) whose process group is ``group``: a build and everything it started."""
    found = []
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                with open(f"/proc/{entry}/stat") as stat:
                    fields = stat.read().rsplit(")", 1)[1].split()
            except OSError:
                continue
            if fields[0] != "Z" and int(fields[2]) == group:
                found.append(int(entry))
    return found


def _children(pid: int) -> set[int]:
    try:
        with open(f"/proc/{pid}/task/{pid}/children") as children:
            return {int(p) for p in children.read().split()}
    except OSError:
        return set()


class Run:
    """One `talkgraph build` of the new table into ``out``, sent ``sig`` as soon as ``when(run)`` holds
    (or killed at the fault point ``at``, or left to finish)."""

    def __init__(self, lab, out: Path, *, when=None, sig=signal.SIGKILL, at: str | None = None,
                 group: bool = False, mentions: bool = True):
        env = dict(ENV, TALKGRAPH_KILL_AT=at) if at else ENV
        self.builds = out / ".builds"
        self.before = set(self.builds.iterdir()) if self.builds.is_dir() else set()
        self.started = started = time.monotonic()
        options = ["--no-evidence"] if mentions else ["--no-mentions"]
        process = subprocess.Popen([*TALKGRAPH, "build", "-q", *options, str(lab.new_table), "--out", str(out)], env=env,
                                   stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                                   start_new_session=True)  # its own process group: all it starts is in it
        self.workers: set[int] = set()
        self.workers_started: float | None = None  # when two workers were first seen
        self.signalled = False
        while process.poll() is None:
            self.workers |= _children(process.pid)
            if self.workers_started is None and len(self.workers) >= 2:
                self.workers_started = time.monotonic()
            if when is not None and when(self):
                (os.killpg if group else os.kill)(process.pid, sig)
                self.signalled = True
                break
            time.sleep(0.02)
        self.stdout, self.stderr = process.communicate(timeout=120)
        self.returncode, self.seconds = process.returncode, time.monotonic() - started
        deadline = time.monotonic() + 10
        while (left := _alive_in_group(process.pid)) and time.monotonic() < deadline:
            time.sleep(0.1)
        self.survivors = left
        self.killed = self.returncode == -signal.SIGKILL

    def elapsed(self) -> float:
        return time.monotonic() - self.started

    def since_workers(self) -> float:
        return -1.0 if self.workers_started is None else time.monotonic() - self.workers_started

    def own_folders(self) -> list[Path]:
        return [p for p in self.builds.iterdir() if p not in self.before] if self.builds.is_dir() else []


def _digest(path: Path) -> str:
    try:
        return hashlib.sha256(path.read_bytes()).hexdigest()
    except FileNotFoundError:
        return "missing"


def _signature(out: Path) -> dict[str, str]:
    """Each output of ``out`` as users and readers see it: file digests, and the store's size as queried."""
    state = {name: _digest(out / name) for name in FILES}
    count = subprocess.run([sys.executable, "-c", COUNT, str(out)], env=ENV, capture_output=True, text=True,
                           timeout=120)
    state["store"] = count.stdout.strip() if count.returncode == 0 else "unreadable"
    return state


def _leftovers(out: Path) -> list[str]:
    """Hidden entries but the builds' folder, and build folders that are not the current one."""
    current = (out / "current").resolve()
    hidden = [p.name for p in out.iterdir() if p.name.startswith(".") and p.name != ".builds"]
    return sorted(hidden + [f".builds/{p.name}" for p in (out / ".builds").iterdir() if p != current])


def _point_current_at(out: Path, build: Path) -> None:
    link = out / ".current.test-reset"
    os.symlink(f".builds/{build.name}", link)
    os.replace(link, out / "current")


class Lab:
    old: dict[str, str]
    new: dict[str, str]  # the new table's build
    plain: dict[str, str]  # the same, --no-mentions: half the time, for the kills at the switch


@pytest.fixture(scope="module")
def lab(tmp_path_factory):
    """Tables, the old build (kept: this process holds it as a reader would), both builds' signatures."""
    lab = Lab()
    folder = tmp_path_factory.mktemp("faults")
    lab.folder, lab.out = folder, folder / "out"
    lab.new_table, old_table = folder / "new.tsv", folder / "old.tsv"
    for table, args in ((lab.new_table, ["6000"]), (old_table, ["500", "--seed", "3"])):
        with open(table, "w", encoding="utf-8") as stream:
            subprocess.run([sys.executable, str(ROOT / "benchmarks" / "synth.py"), *args], stdout=stream, check=True)
    done = subprocess.run([*TALKGRAPH, "build", "-q", str(old_table), "--out", str(lab.out)], env=ENV,
                          capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr
    lab.old_build = (lab.out / "current").resolve()
    lab.old_lock = os.open(lab.old_build, os.O_RDONLY | os.O_DIRECTORY)
    fcntl.flock(lab.old_lock, fcntl.LOCK_SH)  # as a reader: no build removes it, so it can be made current again
    lab.old = _signature(lab.out)
    reference = Run(lab, lab.out)
    assert reference.returncode == 0, reference.stderr
    lab.seconds = reference.seconds
    lab.new = _signature(lab.out)
    assert lab.new != lab.old and "unreadable" not in lab.new.values() and "missing" not in lab.new.values()
    assert Run(lab, lab.out, mentions=False).returncode == 0
    lab.plain = _signature(lab.out)
    lab.kills, lab.mixed, lab.orphans, lab.lines = 0, 0, 0, []
    yield lab
    os.close(lab.old_lock)
    print(f"\n[faults] {lab.kills} builds of 6,000 talks killed (SIGKILL) at different points, {lab.mixed} left "
          f"a mix of old and new outputs, {lab.orphans} left a process behind; a whole build took "
          f"{lab.seconds:.1f} s\n" + "\n".join(lab.lines))


def _judge(lab, run: Run, state: dict[str, str], label: str, expected: str | None = None, *,
           new: dict[str, str] | None = None) -> str:
    """'old' or 'new' (counting a mix or an orphan for the report), and checks of what must hold."""
    sides = {"old": lab.old, "new": new or lab.new}
    could_be = set(sides)  # an output the same in both builds (rejects.tsv: none) is either
    for name, value in state.items():
        could_be &= {side for side, signature in sides.items() if signature[name] == value}
    outcome = "old" if could_be == {"old"} else "new" if could_be == {"new"} else \
        "MIXED " + ", ".join(f"{name}:{next((s for s, g in sides.items() if g[name] == value), 'other')}"
                             for name, value in state.items())
    assert run.killed, f"{label}: the build was not killed ({run.returncode}): {run.stderr}"
    lab.kills += 1
    lab.mixed += outcome not in ("old", "new")
    lab.orphans += bool(run.survivors)
    lab.lines.append(f"  {label:<34} {run.seconds:5.1f} s  {outcome:<5}  workers seen {len(run.workers)}, "
                     f"left {len(run.survivors)}")
    assert outcome in ("old", "new"), f"{label}: {state}"
    assert expected is None or outcome == expected, f"{label}: {outcome}, expected {expected}"
    assert not run.survivors, f"{label}: processes of the killed build survived: {run.survivors}"
    return outcome


@pytest.mark.parametrize("stage", STAGES)
def test_sigkill_at_any_stage_leaves_old_outputs_and_no_process(lab, stage):
    _point_current_at(lab.out, lab.old_build)
    run = Run(lab, lab.out, when=STAGES[stage])
    assert run.workers  # the build had started its mention workers: none may outlive it
    _judge(lab, run, _signature(lab.out), f"SIGKILL, {stage}")


@pytest.mark.parametrize("point, expected", [("publish", "old"), ("switched", "new"), ("cleaning:2", "new")])
def test_sigkill_at_the_switch_leaves_old_or_new_outputs(lab, point, expected):
    _point_current_at(lab.out, lab.old_build)
    run = Run(lab, lab.out, at=point, mentions=False)
    assert run.returncode == -signal.SIGKILL, run.stderr
    _judge(lab, run, _signature(lab.out), f"SIGKILL at {point}", expected, new=lab.plain)


@pytest.mark.parametrize("point", ["linking:4", "linking:6"])
def test_sigkill_while_an_old_layout_folder_is_migrated_leaves_the_old_outputs(lab, point):
    """The old layout (real files, a real store folder) is migrated by the first build: killed between
    two of its renames, every output is still the old one."""
    out = lab.folder / f"legacy-{point.replace(':', '-')}"
    shutil.copytree(lab.old_build, out)  # the old layout: the outputs as real files and folder
    (out / ".store.k3j2.tmp").mkdir()  # and a temporary an old build killed midway left
    run = Run(lab, out, at=point, mentions=False)
    assert run.returncode == -signal.SIGKILL, run.stderr
    _judge(lab, run, _signature(out), f"SIGKILL at {point} (old layout)", "old", new=lab.plain)
    shutil.rmtree(out)


@pytest.mark.parametrize("sig, code", [(signal.SIGTERM, 143), (signal.SIGINT, 130)])
def test_sigterm_and_sigint_stop_a_build_cleanly(lab, sig, code):
    _point_current_at(lab.out, lab.old_build)
    before = sorted(p.name for p in (lab.out / ".builds").iterdir())
    # SIGINT as Ctrl-C sends it, to the whole process group; SIGTERM to the build alone
    run = Run(lab, lab.out, when=STAGES["mention workers running"], sig=sig, group=sig == signal.SIGINT)
    assert run.signalled and run.workers
    assert run.returncode == code, run.stderr
    message = run.stderr.strip()
    assert len(message.splitlines()) == 1 and "Traceback" not in message, message
    assert f"Stopped by {sig.name}" in message and "holds the last complete build" in message
    assert _signature(lab.out) == lab.old
    assert not run.survivors
    assert sorted(p.name for p in (lab.out / ".builds").iterdir()) == before  # its own folder removed


def test_the_next_build_leaves_no_temporary_behind(lab):
    """Last: the folders of all the builds killed above, and the old layout's temporaries, are removed."""
    (lab.out / ".graph.nt.x8d1.tmp").write_bytes(b"half a file")
    (lab.out / ".store.old").mkdir()
    assert len(_leftovers(lab.out)) >= 3
    os.close(lab.old_lock)  # no reader holds the old build any more
    lab.old_lock = os.open(lab.folder, os.O_RDONLY)
    run = Run(lab, lab.out)
    assert run.returncode == 0, run.stderr
    assert _signature(lab.out) == lab.new
    assert _leftovers(lab.out) == [], _leftovers(lab.out)
    assert sorted(p.name for p in lab.out.iterdir()) == [".builds", "current", *sorted(FILES + ("store",))]
