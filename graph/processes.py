"""Child processes that never outlive the talkgraph process that started them.

The build's mention workers and the server's query workers are separate processes.
If their parent is killed (``kill -9``, an out-of-memory kill), nothing in Python
runs to stop them, so they would live on, holding memory and open files. On Linux
the kernel can send a child a signal when its parent dies (``prctl(PR_SET_PDEATHSIG)``);
:func:`die_with_parent` arms it. Elsewhere it only checks that the parent is alive.
"""

from __future__ import annotations

import ctypes
import os
import signal
import sys

__all__ = ["die_with_parent"]

_PR_SET_PDEATHSIG = 1


def die_with_parent(parent_pid: int) -> None:
    """Call first thing in a child process: it is killed (SIGKILL) as soon as its parent dies.

    ``parent_pid`` is the parent's ``os.getpid()``, taken before the child was started:
    if the parent died before the signal was armed, the child exits at once.

    The kernel sends the signal when the *thread* that started the child ends, not
    the process, so start such children from a thread that lives as long as they
    should (the main thread, or a pool's own long-lived thread), never from a
    short-lived helper thread.
    """
    if sys.platform.startswith("linux"):
        try:
            libc = ctypes.CDLL(None, use_errno=True)
            libc.prctl(_PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0)
        except (OSError, AttributeError):  # no libc to ask: fall back to the check below
            pass
    if os.getppid() != parent_pid:
        os._exit(1)
