"""Build benchmark: the real `talkgraph build`, process start to files written.

    python benchmarks/bench_build.py                 # 19-talk table and 100,000 synthetic talks
    python benchmarks/bench_build.py --sizes 10000   # other sizes
    python benchmarks/bench_build.py --runs 5        # more repetitions of the small table

    python benchmarks/bench_build.py --configs default evidence no-mentions

Targets (on a 2-core machine): the 19-talk table in <= 3 s (with mentions);
100,000 talks built, validated and written in <= 60 s with <= 2 GB peak memory
without mentions (issue #2) and in <= 75 s with mentions (issue #4). Each
configuration is a set of `talkgraph build` flags:

    default       the default build: mentions, with their evidence up to 10,000 talks
    evidence      mentions with their evidence at any size (--evidence)
    no-mentions   the core build (--no-mentions)
Peak memory is the child process's maximum resident set size; CPU s is the user and
system time of the build and its worker processes (on 2 cores, a build takes at least
half of it). Results are printed and saved to benchmarks/results/build.json.

This machine's speed drifts by up to 2x within a day (same code, same input), so
two yardsticks are taken before each build and again after it, and their means are
printed beside its figures:

    calib    seconds a fresh Python takes for a fixed workload (10^7 additions)
    ref/s    abstracts a second of issue #4's reference pipeline, as the issue
             describes it (a blank English pipeline with a lower-case
             PhraseMatcher of the bundled labels, one core; best of 3 passes over
             5,000 abstracts), on the "realistic abstracts" it names: the real
             table's (data/talks.tsv, repeated), as they stand, HTML and all. The
             issue measured 9,500/s.
    @9,500   the build's seconds scaled to that speed (seconds x ref/s / 9,500): a
             rough figure for the machine the issue had in mind, which assumes the
             whole build slows as spaCy's tokenizer does

The yardstick must read the same kind of text as the issue's: spaCy's tokenizer
caches each whitespace-separated chunk it has seen (up to 10,000, and none after a
special case such as "e.g." in the same text), so a text made of few distinct
chunks runs through it twice as fast per character as the real abstracts. The
synthetic abstracts therefore carry the details that make real ones varied
(citations, numbers, designations; see synth.py), and the benchmark first prints
what they cost the reference pipeline per character against the real ones
("synthetic/real", about 1 or more: they must be no cheaper).
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(HERE))

from synth import generate  # noqa: E402


def talkgraph_command() -> list[str]:
    exe = shutil.which("talkgraph")
    return [exe] if exe else [sys.executable, "-m", "talkgraph.cli"]


CONFIGS = {"default": [], "evidence": ["--evidence"], "no-mentions": ["--no-mentions"]}
TARGETS = {"default": 75.0, "evidence": 75.0, "no-mentions": 60.0}
PEAK_TARGETS_MB = {"no-mentions": {"target_peak_mb": 2048}}  # issue #2's core build; #4 names no memory target


def calibrate() -> float:
    """Seconds for 10^7 additions in a fresh Python: a yardstick of the machine's speed right now."""
    code = "import time; t = time.perf_counter(); s = 0\nfor i in range(10**7): s += i\nprint(time.perf_counter() - t)"
    return round(float(subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                                      check=True).stdout), 3)


ISSUE_REFERENCE_RATE = 9_500  # abstracts/s, issue #4's measurement of its reference pipeline
YARDSTICK_ABSTRACTS = 5_000  # abstracts the reference pipeline reads in a pass


def reference_rate(table: Path) -> float:
    """Abstracts a second of issue #4's reference pipeline on ``table``'s abstracts, in a fresh process."""
    done = subprocess.run([sys.executable, str(Path(__file__).resolve()), "--reference-rate", str(table)],
                          capture_output=True, text=True, check=True)
    return round(float(done.stdout))


def _reference_rate(table: Path, talks: int = YARDSTICK_ABSTRACTS, passes: int = 3) -> tuple[float, int]:
    """(best abstracts/s, matches in a pass) of the reference pipeline over ``talks`` abstracts of
    ``table``: its first ones, or all of them again and again if it has fewer."""
    import spacy
    from spacy.matcher import PhraseMatcher

    from talkgraph.vocab.vocabulary import load_vocabulary

    texts = _abstracts(table, talks)
    nlp = spacy.blank("en")
    matcher = PhraseMatcher(nlp.vocab, attr="LOWER")
    vocab = load_vocabulary(())
    labels = sorted({label for scheme in vocab.scheme_names for concept in vocab.in_scheme(scheme)
                     for label in (concept.pref_label, *concept.labels)})
    matcher.add("concept", [nlp.make_doc(label) for label in labels])
    best, matches = 0.0, 0
    for _ in range(passes):
        start = time.process_time()
        matches = sum(len(matcher(doc)) for doc in nlp.pipe(texts))
        best = max(best, len(texts) / (time.process_time() - start))
    return best, matches


def _abstracts(table: Path, count: int) -> list[str]:
    """``count`` abstracts of ``table``, as written: its first ones, or all of them again and again."""
    import csv

    with open(table, encoding="utf-8", newline="") as stream:
        rows = [row for row in csv.reader(stream, delimiter="\t") if len(row) >= 6][1:count + 1]
    return [rows[i % len(rows)][5] for i in range(count)]


def cost_per_character(synthetic: Path, real: Path, rounds: int = 3) -> float:
    """How much more the reference pipeline takes per character of ``synthetic``'s abstracts than of
    ``real``'s: the median of ``rounds`` side-by-side measurements (each in a process of its own)."""
    def characters(table: Path) -> float:
        return statistics.mean(map(len, _abstracts(table, YARDSTICK_ABSTRACTS)))

    per_char = {table: characters(table) for table in (synthetic, real)}
    ratios = [(reference_rate(real) * per_char[real]) / (reference_rate(synthetic) * per_char[synthetic])
              for _ in range(rounds)]
    return round(statistics.median(ratios), 2)


def yardsticks(table: Path) -> tuple[float, float]:
    """(calib, ref/s) now."""
    return calibrate(), reference_rate(table)


def _around(before: tuple[float, float], after: tuple[float, float]) -> dict:
    """The yardsticks taken before and after a build, and their means, which the figures use: the
    machine drifts within a build too."""
    return {"calibration_s": round((before[0] + after[0]) / 2, 3), "reference_rate": round((before[1] + after[1]) / 2),
            "yardsticks_before": before, "yardsticks_after": after}


def run_build(table: Path, out: Path, flags: list[str] = ()) -> tuple[float, float, float]:
    """Seconds, peak MB and CPU seconds (user + system, worker processes included) of one
    `talkgraph build` in a fresh process."""
    code = ("import resource, subprocess, sys, time; t = time.perf_counter(); "
            "r = subprocess.run(sys.argv[1:]); d = time.perf_counter() - t; "
            "u = resource.getrusage(resource.RUSAGE_CHILDREN); "
            "print(d, u.ru_maxrss / 1024, u.ru_utime + u.ru_stime); sys.exit(r.returncode)")
    done = subprocess.run([sys.executable, "-c", code, *talkgraph_command(), "build", str(table), "--out", str(out),
                           "-q", *flags], capture_output=True, text=True)
    if done.returncode != 0:
        raise SystemExit(f"talkgraph build failed ({done.returncode}):\n{done.stderr}")
    seconds, peak, cpu = done.stdout.split()
    return float(seconds), float(peak), float(cpu)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sizes", type=int, nargs="*", default=[100_000], help="synthetic table sizes")
    parser.add_argument("--runs", type=int, default=3, help="repetitions of the 19-talk build")
    parser.add_argument("--configs", nargs="*", default=["default", "no-mentions"], choices=list(CONFIGS),
                        help="build configurations to run on the synthetic tables")
    parser.add_argument("--reference-rate", type=Path, help=argparse.SUPPRESS)  # the yardstick's own process
    args = parser.parse_args()
    if args.reference_rate:
        print(_reference_rate(args.reference_rate)[0])
        return

    results = {"machine": {"cpus": os.cpu_count(), "python": platform.python_version(),
                           "platform": platform.platform()}, "builds": []}
    with tempfile.TemporaryDirectory() as folder:
        folder = Path(folder)
        yardstick_table = ROOT / "data" / "talks.tsv"  # the issue's "realistic abstracts"
        sample = folder / "synthetic-sample.tsv"
        with open(sample, "w", encoding="utf-8") as stream:
            generate(YARDSTICK_ABSTRACTS, seed=2, out=stream)
        results["synthetic_per_real_cost"] = cost_per_character(sample, yardstick_table)
        print(f"synthetic/real: the synthetic abstracts cost the reference pipeline "
              f"{results['synthetic_per_real_cost']:.2f}x what the real ones do, per character", flush=True)
        before = yardsticks(yardstick_table)
        small = [run_build(ROOT / "data" / "talks.tsv", folder / "small") for _ in range(args.runs)]
        results["builds"].append({"talks": 19, "config": "default",
                                  "triples": json.loads((folder / "small" / "report.json").read_text())["counts"][
                                      "triples"],
                                  "seconds_median": statistics.median(s for s, _, _ in small),
                                  "seconds_max": max(s for s, _, _ in small), "peak_mb": max(m for _, m, _ in small),
                                  "cpu_seconds": statistics.median(c for _, _, c in small),
                                  "target_seconds": 3.0, **_around(before, yardsticks(yardstick_table))})
        for size in args.sizes:
            table = folder / f"synthetic-{size}.tsv"
            with open(table, "w", encoding="utf-8") as stream:
                generate(size, out=stream)
            for config in args.configs:
                out = folder / f"out-{size}-{config}"
                before = yardsticks(yardstick_table)
                seconds, peak, cpu = run_build(table, out, CONFIGS[config])
                after = yardsticks(yardstick_table)
                triples = json.loads((out / "report.json").read_text())["counts"]["triples"]
                results["builds"].append({"talks": size, "config": config, "triples": triples, "seconds": seconds,
                                          "peak_mb": peak, "cpu_seconds": cpu, "target_seconds": TARGETS[config],
                                          **PEAK_TARGETS_MB.get(config, {}), **_around(before, after)})
                shutil.rmtree(out)
                print(_line(results["builds"][-1]), flush=True)

    print(f"{'talks':>8} {'config':<12} {'triples':>10} {'seconds':>8} {'peak MB':>8} {'CPU s':>7} {'calib':>6}"
          f" {'ref/s':>7} {'@9,500':>7}  target")
    for b in results["builds"]:
        print(_line(b))
    (HERE / "results").mkdir(exist_ok=True)
    (HERE / "results" / "build.json").write_text(json.dumps(results, indent=2) + "\n", encoding="utf-8")


def _line(b: dict) -> str:
    seconds = b.get("seconds", b.get("seconds_median"))
    target = f"<= {b['target_seconds']:.0f} s" + (f", <= {b['target_peak_mb']} MB" if "target_peak_mb" in b else "")
    scaled = seconds * b["reference_rate"] / ISSUE_REFERENCE_RATE
    return (f"{b['talks']:>8,} {b['config']:<12} {b.get('triples', 0):>10,} {seconds:>8.2f} {b['peak_mb']:>8.0f}"
            f" {b['cpu_seconds']:>7.1f} {b['calibration_s']:>6.2f} {b['reference_rate']:>7,.0f} {scaled:>7.1f}  {target}")


if __name__ == "__main__":
    main()
