"""Starting real servers for tests, on 127.0.0.1 only, on free ports, and stopping them."""

from __future__ import annotations

import contextlib
import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.request

import pytest


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_for(url: str, process: subprocess.Popen, seconds: float = 30) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"server exited with {process.returncode}: {process.stderr.read()}")
        try:
            with urllib.request.urlopen(url, timeout=2):
                return
        except OSError:
            time.sleep(0.1)
    raise RuntimeError(f"server at {url} did not answer within {seconds} s")


@contextlib.contextmanager
def running(command: list[str], url: str):
    process = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        wait_for(url, process)
        yield process
    finally:
        process.terminate()
        try:
            process.wait(10)
        except subprocess.TimeoutExpired:
            process.kill()


def oxigraph_binary() -> str:
    exe = shutil.which("oxigraph")
    if exe is None:
        pytest.fail("the `oxigraph` server binary is missing: install the test extras (pip install -e '.[test]')")
    return exe


def talkgraph_command() -> list[str]:
    exe = shutil.which("talkgraph")
    return [exe] if exe else [sys.executable, "-m", "talkgraph.cli"]


def descendants(pid: int) -> set[int]:
    """Every process below ``pid`` (children, their children …), read from /proc."""
    found, todo = set(), [pid]
    while todo:
        parent = todo.pop()
        try:
            tasks = os.listdir(f"/proc/{parent}/task")
        except FileNotFoundError:
            continue
        for task in tasks:
            try:
                with open(f"/proc/{parent}/task/{task}/children") as children:
                    for child in map(int, children.read().split()):
                        if child not in found:
                            found.add(child)
                            todo.append(child)
            except FileNotFoundError:
                pass
    return found


def alive(pid: int) -> bool:
    """Whether ``pid`` runs (a zombie does not)."""
    try:
        with open(f"/proc/{pid}/stat") as stat:
            return stat.read().rsplit(")", 1)[1].split()[0] != "Z"
    except FileNotFoundError:
        return False
