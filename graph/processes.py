"""Child processes that never outlive the talkgraph process that started them.

The build's mention workers and the server's query workers are separate processes.
If their parent is killed (``kill -9``, an out-of-memory kill), nothing in Python
runs to stop them, so they would live on, holding memory and open files. On Linux
the kernel can send a child a signal when its parent dies (``prctl(PR_SET_PDEATHSIG)``);
:func:`die_with_parent` arms it. Elsewhere it only checks that the parent is alive.

Forking while Ctrl-C or SIGTERM may arrive is the other hazard: a handler that raises (the
CLI's, which stops a build with an exception) and runs inside the interpreter's fork
machinery is swallowed there ("Exception ignored"), so the build goes on; and a child
forked with that handler raises it too before it can ignore the signal.
:func:`signals_deferred` holds both signals around a fork and delivers them after.
"""

from __future__ import annotations

import ctypes
import os
import signal
import sys
import threading
from contextlib import contextmanager
from typing import Iterator

__all__ = ["die_with_parent", "signals_deferred"]

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


@contextmanager
def signals_deferred(numbers: tuple[int, ...] = (signal.SIGINT, signal.SIGTERM)) -> Iterator[None]:
    """Hold ``numbers`` (Ctrl-C and SIGTERM) for the block, then deliver the first one caught.

    Within the block, the signals are only noted, so a fork made there never runs a raising
    handler in the fork's own hooks, and the children it makes start with a handler that
    does nothing until they set their own. On leaving, the previous handlers are back and a
    noted signal is raised again, so it stops the program where ordinary code runs. Signal
    handlers belong to the main thread: from any other thread this does nothing.

    >>> import os, signal
    >>> seen = []
    >>> old = signal.signal(signal.SIGTERM, lambda number, frame: seen.append(number))
    >>> with signals_deferred():
    ...     os.kill(os.getpid(), signal.SIGTERM)
    ...     held = list(seen)
    >>> held, seen == [signal.SIGTERM]
    ([], True)
    >>> _ = signal.signal(signal.SIGTERM, old)
    """
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    caught: list[int] = []
    previous = {number: signal.getsignal(number) for number in numbers}
    previous = {number: handler for number, handler in previous.items() if handler is not None}
    for number in previous:
        signal.signal(number, lambda received, frame: caught.append(received))
    try:
        yield
    finally:
        for number, handler in previous.items():
            signal.signal(number, handler)
        if caught:
            signal.raise_signal(caught[0])
