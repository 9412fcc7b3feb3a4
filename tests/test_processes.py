"""Child processes die with their parent, even when the parent is killed with SIGKILL."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import textwrap
import time

import pytest

from talkgraph.processes import die_with_parent

pytestmark = pytest.mark.skipif(not sys.platform.startswith("linux"), reason="PR_SET_PDEATHSIG is Linux-only")

# A parent that starts a child (which arms die_with_parent and sleeps), prints the child's pid, and waits.
PARENT = textwrap.dedent("""
    import multiprocessing, os, sys, time
    from talkgraph.processes import die_with_parent

    def child(parent):
        if sys.argv[1] == "armed":
            die_with_parent(parent)
        time.sleep(60)

    if __name__ == "__main__":
        process = multiprocessing.get_context("spawn").Process(target=child, args=(os.getpid(),))
        process.start()
        print(process.pid, flush=True)
        time.sleep(60)
""")


def _alive(pid: int) -> bool:
    try:
        with open(f"/proc/{pid}/stat") as stat:
            return stat.read().split(")")[-1].split()[0] != "Z"
    except FileNotFoundError:
        return False


def _child_after_parent_killed(tmp_path, mode: str) -> int:
    script = tmp_path / "parent.py"
    script.write_text(PARENT)
    parent = subprocess.Popen([sys.executable, str(script), mode], stdout=subprocess.PIPE, text=True,
                              env={**os.environ, "PYTHONPATH": os.pathsep.join(sys.path)})
    child = int(parent.stdout.readline())
    time.sleep(1.0)  # let the child arm the signal
    parent.send_signal(signal.SIGKILL)
    parent.wait(10)
    return child


def test_an_armed_child_dies_when_its_parent_is_killed(tmp_path):
    child = _child_after_parent_killed(tmp_path, "armed")
    deadline = time.monotonic() + 5
    while _alive(child) and time.monotonic() < deadline:
        time.sleep(0.05)
    assert not _alive(child)


def test_an_unarmed_child_outlives_its_parent(tmp_path):
    """The control: without die_with_parent the child survives (so the test above can fail)."""
    child = _child_after_parent_killed(tmp_path, "unarmed")
    try:
        time.sleep(0.5)
        assert _alive(child)
    finally:
        os.kill(child, signal.SIGKILL)


def test_a_child_whose_parent_is_already_gone_exits():
    script = "from talkgraph.processes import die_with_parent; die_with_parent(-1); print('survived')"
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True,
                          env={**os.environ, "PYTHONPATH": os.pathsep.join(sys.path)}, timeout=30)
    assert done.returncode == 1 and "survived" not in done.stdout


def test_a_signal_during_a_fork_is_held_until_after_it_and_the_child_does_not_raise_it():
    """The build forks its mention workers inside processes.signals_deferred: Ctrl-C arriving then
    stops the build right after the fork (not swallowed inside it), and a child forked then does
    not run the build's raising handler."""
    import subprocess
    import sys

    script = """
import os, signal
from talkgraph.processes import signals_deferred
class Stop(Exception): pass
def stop(number, frame): raise Stop(number)
signal.signal(signal.SIGINT, stop)
pid = None
try:
    with signals_deferred():
        pid = os.fork()
        if pid == 0:
            os.kill(os.getpid(), signal.SIGINT)
            os._exit(0)
        os.kill(os.getpid(), signal.SIGINT)
        print("held", flush=True)
except Stop:
    _, status = os.waitpid(pid, 0)
    print("stopped after the fork; child exit", os.waitstatus_to_exitcode(status), flush=True)
"""
    run = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=60)
    assert run.stdout == "held\nstopped after the fork; child exit 0\n", run.stdout + run.stderr
    assert "Traceback" not in run.stderr
