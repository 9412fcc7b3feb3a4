"""The output folder: each build in a folder of its own, switched in whole by one rename.

::

    out/
      .builds/<id>/        graph.ttl graph.nt graph.jsonld report.json rejects.tsv store/
      current              -> .builds/<id>       the live build
      graph.ttl            -> current/graph.ttl  (and so on for every output: made once)
      failed-report.json   the report of the last build whose graph did not conform

A build writes everything into a new folder under ``.builds``; :meth:`BuildFolder.publish`
then points ``current`` at it by renaming a new symbolic link over the old one, a single
``rename(2)``: a build killed at any moment leaves ``out/`` wholly old or wholly new. The
fixed names (``out/graph.ttl``, ``out/store``, ...) are links through ``current``, so every
path users know keeps working. Readers (:func:`resolve`) follow ``current`` once, when they
open, and then use the build folder's real path: one reader sees one build, even if another
build is switched in meanwhile.

Build folders that are not current are removed by the next build, unless a process still
uses them: a reader holds a shared ``flock`` on the build folder it opened (until it exits),
and so does a build on the folder it is making; the cleaner removes only the folders it can
lock exclusively. An output folder of the old layout (real files) is migrated by the first
build: its files are hard-linked into a build folder of their own, which becomes ``current``
before the new build is switched in, so that too goes from wholly old to wholly new. See
docs/outputs.md.
"""

from __future__ import annotations

import ctypes
import errno
import fcntl
import os
import shutil
import signal
import tempfile
import threading
import time
from contextlib import contextmanager
from pathlib import Path
from typing import Iterator

__all__ = ["BuildFolder", "OUTPUT_FILES", "STORE_DIR", "BUILDS", "CURRENT", "FAILED_REPORT", "resolve", "clean",
           "FAULT_VARIABLE"]

#: The folder, inside a build's folder, that holds the persistent Oxigraph store.
STORE_DIR = "store"
#: The outputs of a build, as their fixed names in the output folder.
OUTPUT_FILES = ("graph.ttl", "graph.nt", "graph.jsonld", "report.json", "rejects.tsv", STORE_DIR)
BUILDS = ".builds"
CURRENT = "current"
FAILED_REPORT = "failed-report.json"
#: For the fault tests only: name a point of :meth:`BuildFolder.publish` (or ``point:N``, its N-th
#: time), and the process kills itself (SIGKILL) when it gets there: "publish" (the folder is
#: complete), "migrated", "linking" (before each fixed name is made a link), "linked" (just before
#: the switch), "switched" (just after it), "cleaning" (before each leftover is removed).
FAULT_VARIABLE = "TALKGRAPH_KILL_AT"
_fault_counts: dict[str, int] = {}
#: Temporaries beside the outputs: the old layout's (it renamed each output into place from a hidden
#: sibling) and the links of a switch that was killed.
_LEGACY_TEMPORARIES = tuple(f".{name}." for name in (*OUTPUT_FILES, CURRENT))

_leases: dict[str, int] = {}  # build folder → the descriptor holding this process's shared lock on it
_leases_lock = threading.Lock()


def _fault(point: str) -> None:
    """Kill this process here if :data:`FAULT_VARIABLE` says ``point`` (or ``point:N``, its N-th time)."""
    wanted = os.environ.get(FAULT_VARIABLE)
    if not wanted:
        return
    name, _, nth = wanted.partition(":")
    if name == point:
        _fault_counts[point] = _fault_counts.get(point, 0) + 1
        if _fault_counts[point] == int(nth or 1):
            os.kill(os.getpid(), signal.SIGKILL)


# ------------------------------------------------------------------ locks

def _lock(folder: Path, *, exclusive: bool, wait: bool = True) -> int | None:
    """A descriptor of ``folder`` holding a ``flock`` on it, or ``None`` if it is gone (or, without
    ``wait``, locked the other way)."""
    try:
        fd = os.open(folder, os.O_RDONLY | os.O_DIRECTORY)
    except (FileNotFoundError, NotADirectoryError):
        return None
    try:
        fcntl.flock(fd, (fcntl.LOCK_EX if exclusive else fcntl.LOCK_SH) | (0 if wait else fcntl.LOCK_NB))
    except BlockingIOError:
        os.close(fd)
        return None
    except BaseException:
        os.close(fd)
        raise
    return fd


def _lease(folder: Path) -> bool:
    """Hold a shared lock on the build ``folder`` for as long as this process lives (no cleaner
    removes it meanwhile); ``False`` if it was removed before the lock was taken."""
    key = str(folder)
    with _leases_lock:
        if key in _leases:
            return True
        fd = _lock(folder, exclusive=False)
        if fd is None:
            return False
        try:
            same = os.stat(folder).st_ino == os.fstat(fd).st_ino  # not renamed away for removal meanwhile
        except FileNotFoundError:
            same = False
        if not same:
            os.close(fd)
            return False
        _leases[key] = fd
        return True


def resolve(location: str | Path) -> Path:
    """The real path to open for ``location``: an output folder gives its current build's folder,
    and a path through ``current`` (``out/store``, ``out/graph.nt``) the same path in that build.
    That build is kept (see :func:`clean`) as long as this process lives. Any other path is
    returned as it is, so an old-layout folder or any file still opens.

    >>> resolve("no/such/folder")
    PosixPath('no/such/folder')
    """
    location = Path(location)
    for _ in range(20):  # a build switched in and the old one removed between two steps: look again
        current = location / CURRENT
        real = Path(os.path.realpath(current if current.is_symlink() else location))
        build = next((p for p in (real, *real.parents) if p.parent.name == BUILDS), None)
        if build is None:
            return location
        if _lease(build):
            return real
    raise OSError(errno.EAGAIN, "the output folder keeps changing under this reader", str(location))


# ------------------------------------------------------------------ writing

class BuildFolder:
    """A new, empty folder for one build under ``out/.builds``; locked (shared) while it is made, so
    that no other build removes it, and switched in whole by :meth:`publish`.
    """

    def __init__(self, out: str | Path):
        self.out = Path(out)
        builds = self.out / BUILDS
        builds.mkdir(parents=True, exist_ok=True)
        # Named by the time it was started, for people looking at the folder; the rest makes it unique.
        self.path = Path(tempfile.mkdtemp(dir=builds, prefix=time.strftime("%Y%m%dT%H%M%SZ-", time.gmtime())))
        umask = os.umask(0)
        os.umask(umask)
        os.chmod(self.path, 0o777 & ~umask)  # mkdtemp makes 0700
        self._fd = _lock(self.path, exclusive=False)
        self.published = False

    def publish(self) -> None:
        """Make this build the output folder's current one, in one rename, then remove leftovers.

        Signals (SIGINT, SIGTERM) that arrive meanwhile are handled once the switch is made.
        """
        if self.published:
            return
        self._sync()
        with _signals_held():
            _fault("publish")
            _migrate(self.out)
            _fault("migrated")
            _link_fixed_names(self.out)
            _fault("linked")
            _switch(self.out, self.path)
            self.published = True
            _fault("switched")
        self.release()
        try:  # the build is in place: what is left to remove must not make it look failed
            _remove(self.out / FAILED_REPORT)  # it was the report of a build older than this one
            clean(self.out)
        except OSError:
            pass  # the next build tries again

    def _sync(self) -> None:
        """Flush the folder's entries to disk before it is switched in (files are synced as written)."""
        for folder in (self.path, self.path / STORE_DIR):
            if folder.is_dir():
                _fsync(folder)

    def release(self) -> None:
        if self._fd is not None:
            os.close(self._fd)
            self._fd = None

    def discard(self) -> None:
        """Remove the folder, unless it was published; safe to call twice."""
        if self.published:
            return
        self.release()
        shutil.rmtree(self.path, ignore_errors=True)
        try:
            self.path.parent.rmdir()  # .builds, if this was the only build ever tried here
        except OSError:
            pass


def _fsync(folder: Path) -> None:
    fd = os.open(folder, os.O_RDONLY | os.O_DIRECTORY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def _symlink(target: str, path: Path) -> None:
    """Point ``path`` at ``target`` with one rename (a new link beside it, renamed over it)."""
    temporary = path.with_name(f".{path.name}.{os.getpid()}.link")
    _remove(temporary)
    os.symlink(target, temporary)
    os.replace(temporary, path)


def _switch(out: Path, build: Path) -> None:
    _symlink(f"{BUILDS}/{build.name}", out / CURRENT)
    _fsync(out)


def _link_fixed_names(out: Path) -> None:
    """Make ``out/NAME`` a link to ``current/NAME`` for each output, where it is not one yet.

    Each link reads what ``current`` holds, before the switch as after: made before the first
    switch they lead nowhere (there was nothing), after a migration to the old files.
    """
    for name in OUTPUT_FILES:
        path, target = out / name, f"{CURRENT}/{name}"
        if path.is_symlink() and os.readlink(path) == target:
            continue
        _fault("linking")
        if path.is_dir() and not path.is_symlink():  # the old layout's store: swap it for the link
            aside = out / f".{name}.old"
            _remove(aside)
            if not _exchange(path, _made_link(target, aside)):
                path.rename(aside)
                os.symlink(target, path)
            _remove(aside)
        else:
            _symlink(target, path)


def _made_link(target: str, path: Path) -> Path:
    os.symlink(target, path)
    return path


def _exchange(a: Path, b: Path) -> bool:
    """Swap two paths atomically (Linux ``renameat2(RENAME_EXCHANGE)``); ``False`` where unsupported."""
    try:
        renameat2 = ctypes.CDLL(None, use_errno=True).renameat2
    except (OSError, AttributeError):
        return False
    at_fdcwd, rename_exchange = -100, 2
    return renameat2(at_fdcwd, os.fsencode(a), at_fdcwd, os.fsencode(b), rename_exchange) == 0


def _migrate(out: Path) -> None:
    """Give the old layout's outputs (real files in ``out/``) a build folder of their own, made
    ``current``: hard links, so nothing is copied and what each name reads does not change."""
    if (out / CURRENT).is_symlink():
        return
    old = [name for name in OUTPUT_FILES if (out / name).exists() and not (out / name).is_symlink()]
    if not old:
        return
    folder = BuildFolder(out)
    try:
        for name in old:
            if (out / name).is_dir():
                shutil.copytree(out / name, folder.path / name, copy_function=_link_or_copy)
            else:
                _link_or_copy(out / name, folder.path / name)
        folder._sync()
        _switch(out, folder.path)
        folder.published = True
    finally:
        folder.discard()
        folder.release()


def _link_or_copy(source, destination) -> None:
    try:
        os.link(source, destination)
    except OSError:
        shutil.copy2(source, destination)


def clean(out: str | Path) -> list[str]:
    """Remove what killed or finished builds left in ``out``: build folders that are neither current
    nor in use (locked by a reader or a running build), and the old layout's temporaries. Returns
    the names removed."""
    out = Path(out)
    removed = []
    current = os.path.realpath(out / CURRENT) if (out / CURRENT).is_symlink() else None
    builds = out / BUILDS
    for folder in sorted(builds.iterdir()) if builds.is_dir() else ():
        if str(folder) == current or os.path.realpath(folder) == current:
            continue
        fd = _lock(folder, exclusive=True, wait=False) if folder.is_dir() else None
        if fd is None and folder.is_dir():
            continue  # in use
        try:
            _fault("cleaning")
            # Renamed first: a reader that opened it before and locks it after sees that it is gone.
            doomed = folder.with_name(f".{folder.name}.removing") if not folder.name.startswith(".") else folder
            if doomed != folder:
                folder.rename(doomed)
            _remove(doomed)
            removed.append(f"{BUILDS}/{folder.name}")
        finally:
            if fd is not None:
                os.close(fd)
    for entry in out.iterdir() if out.is_dir() else ():
        name = entry.name
        if name.startswith(_LEGACY_TEMPORARIES) and (name.endswith((".tmp", ".old", ".link"))):
            _remove(entry)
            removed.append(name)
    return removed


def _remove(path: Path) -> None:
    if path.is_dir() and not path.is_symlink():
        shutil.rmtree(path, ignore_errors=True)
    else:
        try:
            path.unlink()
        except FileNotFoundError:
            pass


@contextmanager
def _signals_held() -> Iterator[None]:
    """Hold SIGINT and SIGTERM until the block is over, then let their handlers act (in the main
    thread, where Python runs them; elsewhere signals are not this code's to handle)."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    caught: list[int] = []
    previous = {number: signal.signal(number, lambda n, frame: caught.append(n))
                for number in (signal.SIGINT, signal.SIGTERM)}
    try:
        yield
    finally:
        for number, handler in previous.items():
            signal.signal(number, handler)
        for number in dict.fromkeys(caught):
            signal.raise_signal(number)
