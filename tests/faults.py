"""Killing real builds for the fault tests (test_build_faults.py, test_switch_faults.py): a build run
as a process of its own and struck from outside, the outputs as users and readers see them, and the
lab both files set up (an "old" build in an output folder, and the "new" one to build over it).

After each kill, every output (each file, and the store as a reader opens and queries it) must be
the old build's or the new one's, all of them the same one; no process of the build may be left;
and, after the next build that completes, no temporary file or folder.
"""

from __future__ import annotations

import fcntl
import hashlib
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

from conftest import ROOT

FILES = ("graph.ttl", "graph.nt", "graph.jsonld", "report.json", "rejects.tsv")
ENV = {**os.environ, "PYTHONPATH": os.pathsep.join([str(ROOT), os.environ.get("PYTHONPATH", "")])}
ENV.pop("TALKGRAPH_KILL_AT", None)
TALKGRAPH = [sys.executable, "-m", "talkgraph.cli"]
# How a reader finds and queries the store: through talkgraph.store.sparql.open_store, in a process of its own
# (a reader keeps the build it opened for as long as it lives).
COUNT = "import sys; from talkgraph.store.sparql import open_store; print(len(open_store(sys.argv[1]).store))"


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
    """One `talkgraph build` of the lab's new table into ``out``, sent ``sig`` as soon as ``when(run)``
    holds (or killed at the fault point ``at``, or left to finish); with mention workers as the lab's
    new build has them, unless ``mentions`` says otherwise."""

    def __init__(self, lab, out: Path, *, when=None, sig=signal.SIGKILL, at: str | None = None,
                 group: bool = False, mentions: bool | None = None):
        env = dict(ENV, TALKGRAPH_KILL_AT=at) if at else ENV
        self.builds = out / ".builds"
        self.before = set(self.builds.iterdir()) if self.builds.is_dir() else set()
        self.started = started = time.monotonic()
        options = ["--no-evidence"] if (lab.mentions if mentions is None else mentions) else ["--no-mentions"]
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


def signature(out: Path) -> dict[str, str]:
    """Each output of ``out`` as users and readers see it: file digests, and the store's size as queried."""
    state = {name: _digest(out / name) for name in FILES}
    count = subprocess.run([sys.executable, "-c", COUNT, str(out)], env=ENV, capture_output=True, text=True,
                           timeout=120)
    state["store"] = count.stdout.strip() if count.returncode == 0 else "unreadable"
    return state


def leftovers(out: Path) -> list[str]:
    """Hidden entries but the builds' folder, and build folders that are not the current one."""
    current = (out / "current").resolve()
    hidden = [p.name for p in out.iterdir() if p.name.startswith(".") and p.name != ".builds"]
    return sorted(hidden + [f".builds/{p.name}" for p in (out / ".builds").iterdir() if p != current])


def point_current_at(out: Path, build: Path) -> None:
    link = out / ".current.test-reset"
    os.symlink(f".builds/{build.name}", link)
    os.replace(link, out / "current")


class Lab:
    old: dict[str, str]  # the old build's signature
    new: dict[str, str]  # the new table's


def make_lab(folder: Path, new_rows: str, *, mentions: bool):
    """Tables, the old build (kept: this process holds it as a reader would), both builds' signatures;
    yields the lab, then prints what the kills left."""
    lab = Lab()
    lab.folder, lab.out, lab.mentions = folder, folder / "out", mentions
    lab.new_table, old_table = folder / "new.tsv", folder / "old.tsv"
    for table, args in ((lab.new_table, [new_rows]), (old_table, ["500", "--seed", "3"])):
        with open(table, "w", encoding="utf-8") as stream:
            subprocess.run([sys.executable, str(ROOT / "benchmarks" / "synth.py"), *args], stdout=stream, check=True)
    # the old build only has to be a complete one: without mentions it is ready sooner
    done = subprocess.run([*TALKGRAPH, "build", "-q", "--no-mentions", str(old_table), "--out", str(lab.out)], env=ENV,
                          capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr
    lab.old_build = (lab.out / "current").resolve()
    lab.old_lock = os.open(lab.old_build, os.O_RDONLY | os.O_DIRECTORY)
    fcntl.flock(lab.old_lock, fcntl.LOCK_SH)  # as a reader: no build removes it, so it can be made current again
    lab.old = signature(lab.out)
    reference = Run(lab, lab.out)
    assert reference.returncode == 0, reference.stderr
    lab.seconds = reference.seconds
    lab.new = signature(lab.out)
    assert lab.new != lab.old and "unreadable" not in lab.new.values() and "missing" not in lab.new.values()
    lab.kills, lab.mixed, lab.orphans, lab.lines = 0, 0, 0, []
    yield lab
    os.close(lab.old_lock)
    print(f"\n[faults] {lab.kills} builds of {int(new_rows):,} talks killed (SIGKILL) at different points, "
          f"{lab.mixed} left a mix of old and new outputs, {lab.orphans} left a process behind; a whole build "
          f"took {lab.seconds:.1f} s\n" + "\n".join(lab.lines))


def judge(lab, run: Run, state: dict[str, str], label: str, expected: str | None = None) -> str:
    """'old' or 'new' (counting a mix or an orphan for the report), and checks of what must hold."""
    sides = {"old": lab.old, "new": lab.new}
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


def next_build_leaves_no_temporary_behind(lab) -> None:
    """The folders of all the builds killed before, and the old layout's temporaries, are removed by
    the next build that completes."""
    (lab.out / ".graph.nt.x8d1.tmp").write_bytes(b"half a file")
    (lab.out / ".store.old").mkdir()
    assert len(leftovers(lab.out)) >= 3
    os.close(lab.old_lock)  # no reader holds the old build any more
    lab.old_lock = os.open(lab.folder, os.O_RDONLY)
    run = Run(lab, lab.out)
    assert run.returncode == 0, run.stderr
    assert signature(lab.out) == lab.new
    assert leftovers(lab.out) == [], leftovers(lab.out)
    assert sorted(p.name for p in lab.out.iterdir()) == [".builds", "current", *sorted(FILES + ("store",))]
