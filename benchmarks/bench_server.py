"""Server benchmark: catalogue queries from many clients, with and without endless queries alongside.

    python benchmarks/bench_server.py                       # the bundled table, 50 clients, 20 s a phase
    python benchmarks/bench_server.py --out /tmp/q100k/out  # a build folder made before (e.g. by bench_queries)
    python benchmarks/bench_server.py --clients 20 --seconds 10 --workers 3

Starts a real `talkgraph serve` on 127.0.0.1 and runs two phases of --seconds each:
--clients threads that ask the catalogue's named queries in turn (each client sends its
next request when the last is answered), first alone, then while --endless clients keep
sending an endless ad-hoc query (each stopped at the server's --timeout, then sent
again). For each phase it prints the latency of the catalogue requests (p50, p95, max),
how many were answered and how many were not (status other than 200, by status).
The figures also go to benchmarks/results/server-CLIENTSc-WORKERSw.json.
"""

from __future__ import annotations

import argparse
import http.client
import json
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse
from collections import Counter
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))
sys.path.insert(0, str(HERE.parent / "tests"))

from servers import free_port, wait_for  # noqa: E402

ENDLESS = "SELECT (COUNT(*) AS ?n) { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }"


def request(port: int, path: str, timeout: float = 120.0) -> tuple[int, float]:
    """(status, seconds) of one GET; 0 for a connection that failed."""
    started = time.perf_counter()
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=timeout)
    try:
        connection.request("GET", path)
        response = connection.getresponse()
        response.read()
        status = response.status
    except OSError:
        status = 0
    finally:
        connection.close()
    return status, time.perf_counter() - started


def phase(port: int, paths: list[str], *, clients: int, seconds: float, endless: int) -> dict:
    stop = threading.Event()
    latencies: list[float] = []
    statuses: Counter = Counter()
    endless_statuses: Counter = Counter()
    lock = threading.Lock()

    def client(offset: int) -> None:
        i = offset
        while not stop.is_set():
            status, took = request(port, paths[i % len(paths)])
            i += 1
            with lock:
                statuses[status] += 1
                if status == 200:
                    latencies.append(took)

    def endless_client() -> None:
        path = "/query?" + urllib.parse.urlencode({"query": ENDLESS})
        while not stop.is_set():
            status, _ = request(port, path)
            with lock:
                endless_statuses[status] += 1

    threads = [threading.Thread(target=endless_client) for _ in range(endless)]
    for thread in threads:
        thread.start()
    time.sleep(1.0 if endless else 0)  # let the endless queries take their workers first
    threads_clients = [threading.Thread(target=client, args=(n,)) for n in range(clients)]
    for thread in threads_clients:
        thread.start()
    time.sleep(seconds)
    stop.set()
    for thread in threads_clients:
        thread.join()
    answered = sorted(latencies)
    figures = {
        "requests": sum(statuses.values()),
        "answered": len(answered),
        "errors": {str(status): count for status, count in sorted(statuses.items()) if status != 200},
        "p50_ms": round(1000 * statistics.median(answered), 1) if answered else None,
        "p95_ms": round(1000 * answered[int(0.95 * (len(answered) - 1))], 1) if answered else None,
        "max_ms": round(1000 * answered[-1], 1) if answered else None,
    }
    for thread in threads:  # each endless request ends at the server's --timeout
        thread.join()
    if endless:
        figures["endless_answers"] = {str(status): count for status, count in sorted(endless_statuses.items())}
    return figures


def start_server(folder: Path, *, workers: int | None = None, timeout: float | None = None) \
        -> tuple[subprocess.Popen, int]:
    """A real `talkgraph serve` of the build ``folder`` on 127.0.0.1 (its own defaults for what is not
    given), answering: (its process, its port). Stop it with ``terminate()``."""
    port = free_port()
    exe = shutil.which("talkgraph")
    command = ([exe] if exe else [sys.executable, "-m", "talkgraph.cli"]) + [
        "serve", "--store", str(folder), "--port", str(port)]
    command += ["--workers", str(workers)] if workers else []
    command += ["--timeout", str(timeout)] if timeout else []
    server = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    try:
        wait_for(f"http://127.0.0.1:{port}/queries", server)
    except BaseException:
        server.terminate()
        server.wait(10)
        raise
    return server, port


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--out", type=Path, help="a build folder (with store/); default: build the bundled table")
    parser.add_argument("--clients", type=int, default=50)
    parser.add_argument("--seconds", type=float, default=20.0)
    parser.add_argument("--endless", type=int, default=4)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--timeout", type=float, default=10.0, help="the server's --timeout")
    args = parser.parse_args()

    from talkgraph.store.catalogue import load_catalogue

    temporary = None
    folder = args.out
    if folder is None:
        temporary = Path(tempfile.mkdtemp(prefix="talkgraph-bench-server-"))
        folder = temporary / "out"
        exe = shutil.which("talkgraph")
        subprocess.run(([exe] if exe else [sys.executable, "-m", "talkgraph.cli"]) + ["build", "--out", str(folder),
                                                                                  "-q"], check=True)
    server, port = start_server(folder, workers=args.workers, timeout=args.timeout)
    try:
        paths = [f"/queries/{name}" for name in load_catalogue()]
        for path in paths:  # warm up, and make sure each one answers alone
            status, _ = request(port, path)
            if status != 200:
                raise SystemExit(f"{path} answered {status} on an idle server")
        print(f"talkgraph serve --workers {args.workers} --timeout {args.timeout:g}; {args.clients} clients asking "
              f"{len(paths)} catalogue queries in turn for {args.seconds:g} s a phase")
        report = {"clients": args.clients, "seconds": args.seconds, "workers": args.workers, "timeout": args.timeout,
                  "store": str(folder), "phases": {}}
        for endless in (0, args.endless):
            figures = phase(port, paths, clients=args.clients, seconds=args.seconds, endless=endless)
            report["phases"][f"endless={endless}"] = figures
            label = f"with {endless} endless queries" if endless else "alone"
            print(f"  {label:<26} p50 {figures['p50_ms']} ms  p95 {figures['p95_ms']} ms  max {figures['max_ms']} ms  "
                  f"requests {figures['requests']:,}  answered {figures['answered']:,}  "
                  f"errors {figures['errors'] or 0}"
                  + (f"  (endless queries answered: {figures['endless_answers']})" if endless else ""))
        results = HERE / "results" / f"server-{args.clients}c-{args.workers}w.json"
        results.parent.mkdir(exist_ok=True)
        results.write_text(json.dumps(report, indent=2) + "\n", encoding="utf-8")
        print(f"  wrote {results}")
    finally:
        server.terminate()
        server.wait(10)
        if temporary is not None:
            shutil.rmtree(temporary, ignore_errors=True)


if __name__ == "__main__":
    main()
