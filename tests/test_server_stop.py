"""`talkgraph serve` stops cleanly (#18): SIGINT or SIGTERM → one line, exit 0, no traceback, no
child process left, and the request still open gets its answer or a 503. The real server process."""

from __future__ import annotations

import os
import signal
import subprocess
import threading
import time
import urllib.error
import urllib.parse
import urllib.request

import pytest

from talkgraph.store.server import STOP_GRACE

from servers import alive, descendants, free_port, talkgraph_command, wait_for

pytestmark = pytest.mark.slow  # real servers, started and stopped

#: A query with no end on any graph of more than a few triples.
ENDLESS = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i . ?j ?k ?l }"


@pytest.mark.skipif(not os.path.isdir("/proc"), reason="counts child processes through /proc")
@pytest.mark.parametrize("signum, grace", [(signal.SIGTERM, 1.5), (signal.SIGINT, 1.0)])
def test_a_signal_stops_the_server_cleanly_and_answers_the_open_request(real_out, signum, grace):
    """The endless query is still running when the grace is over: it is answered 503 then. Short
    graces (``--stop-grace``) keep the test quick; that the default is STOP_GRACE is checked below."""
    port = free_port()
    url = f"http://127.0.0.1:{port}/"
    options = ["--stop-grace", str(grace)]
    process = subprocess.Popen(talkgraph_command() + ["serve", "--store", str(real_out), "--port", str(port),
                                                      "--workers", "2", "--timeout", "60", *options],
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        wait_for(url + "queries", process)
        kids = descendants(process.pid)
        assert kids, "the workers are child processes"
        status: list[int] = []

        def ask():
            target = url + "query?" + urllib.parse.urlencode({"query": ENDLESS})
            try:
                with urllib.request.urlopen(target, timeout=60) as answer:
                    status.append(answer.status)
            except urllib.error.HTTPError as error:
                status.append(error.code)
            except OSError:
                status.append(0)

        client = threading.Thread(target=ask)
        client.start()
        time.sleep(1.5)  # the query is running on a worker
        process.send_signal(signum)
        signalled = time.monotonic()
        code = process.wait(30)
        stopping = time.monotonic() - signalled
        client.join(30)
        stderr = process.stderr.read()
    finally:
        if process.poll() is None:
            process.kill()
    assert code == 0, stderr
    assert "Traceback" not in stderr and "Error" not in stderr, stderr
    lines = stderr.strip().splitlines()
    assert lines[-1].startswith(f"talkgraph serve: stopped by {signal.Signals(signum).name}") and len(lines) == 2
    assert status in ([200], [503]), status
    assert grace <= stopping < grace + 8, stopping  # waited the grace for the open request, then stopped
    deadline = time.monotonic() + 10  # the multiprocessing resource tracker ends once its pipe closes
    while any(alive(pid) for pid in kids) and time.monotonic() < deadline:
        time.sleep(0.1)
    assert not [pid for pid in kids if alive(pid)]


def test_the_default_stop_grace_is_the_servers():
    from talkgraph.cli import serve_command

    [option] = [o for o in serve_command.params if o.name == "stop_grace"]
    assert option.default == STOP_GRACE
