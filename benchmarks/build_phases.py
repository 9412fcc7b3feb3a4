"""Where a build's time goes: its steps' start times, and the CPU of the build process and of its workers.

    python benchmarks/build_phases.py TABLE [--out DIR] [--no-mentions]

Runs what `talkgraph build TABLE --out DIR` runs (the library's ``build(..., validate=False,
out_dir=DIR)`` and ``write_outputs``, validation beside the writers) and prints, as it goes, the
seconds since the start at which each step reported its first progress (read, link, triples,
write), then the CPU seconds of this process (reading, linking, making and writing the triples, and
the threads that load the stores and validate) and of the mention worker processes. On a table of
100,000 synthetic talks (``python benchmarks/synth.py 100000 > t100k.tsv``) it shows which part of
the build grew between two versions (benchmarks/README.md, "The N-Triples no longer held in memory").
"""

from __future__ import annotations

import argparse
import resource
import sys
import tempfile
import time
from pathlib import Path


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("table", type=Path)
    parser.add_argument("--out", type=Path, help="output folder (default: a temporary one)")
    parser.add_argument("--no-mentions", action="store_true")
    options = parser.parse_args()
    from talkgraph.pipeline import build, write_outputs

    start = time.perf_counter()
    seen: set[str] = set()

    def progress(stage: str, done: int, total: int) -> None:
        if stage not in seen:
            seen.add(stage)
            print(f"{time.perf_counter() - start:8.2f} s  {stage}", flush=True)

    with tempfile.TemporaryDirectory() as temporary:
        out = options.out or Path(temporary) / "out"
        result = build(options.table, validate=False, mentions=not options.no_mentions, out_dir=out,
                       progress=progress)
        write_outputs(result, out, progress=progress)
        print(f"{time.perf_counter() - start:8.2f} s  written ({result.counts['triples']:,} triples)")
    own, workers = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    print(f"CPU: build process {own.ru_utime + own.ru_stime:.1f} s (user {own.ru_utime:.1f}, system "
          f"{own.ru_stime:.1f}); mention workers {workers.ru_utime + workers.ru_stime:.1f} s; peak memory of the "
          f"build process {own.ru_maxrss / 1024:,.0f} MB")


if __name__ == "__main__":
    sys.exit(main())
