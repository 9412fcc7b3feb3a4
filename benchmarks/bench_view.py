"""View benchmark: writing the HTML (layout included) and drawing it in headless Chromium.

    python benchmarks/bench_view.py                      # about 5,000 and 20,000 nodes
    python benchmarks/bench_view.py --talks 3000 12000   # choose the table sizes

Each size builds a synthetic table (benchmarks/synth.py) and writes two views: the
full graph drawn at once (`--projection full`) and the default page, which above
3,000 nodes opens on the concept overview. Each is opened in Debian's chromium
(Playwright, executable_path set, all network requests refused). Reported: nodes
and edges in the page, nodes shown on the first screen and labels drawn, seconds to
write the HTML, seconds from opening the file to the first drawing, and seconds for
a search to select a node and draw its focus (responsiveness). Targets (issues #5,
#19): drawn and responsive within 2 s at 5,000 nodes and 5 s at 20,000; writing
<= 5 s at 5,000 nodes and <= 30 s at 20,000.
"""

from __future__ import annotations

import argparse
import json
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
from synth import generate  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--talks", type=int, nargs="*", default=[3400, 14500])
    args = parser.parse_args()
    from playwright.sync_api import sync_playwright

    exe = shutil.which("talkgraph")
    talkgraph = [exe] if exe else [sys.executable, "-m", "talkgraph.cli"]
    results = []
    with tempfile.TemporaryDirectory() as folder, sync_playwright() as playwright:
        folder = Path(folder)
        browser = playwright.chromium.launch(executable_path=shutil.which("chromium"), args=[
            "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--no-first-run"])
        for talks in args.talks:
            table = folder / f"t{talks}.tsv"
            with open(table, "w", encoding="utf-8") as stream:
                generate(talks, out=stream)
            out = folder / f"out{talks}"
            subprocess.run(talkgraph + ["build", str(table), "--out", str(out), "-q"], check=True)
            for mode, extra in (("full", ["--projection", "full"]), ("default", [])):
                html = out / f"view-{mode}.html"
                started = time.perf_counter()
                done = subprocess.run(talkgraph + ["view", *extra, "--store", str(out), "--out", str(html)],
                                      check=True, capture_output=True, text=True)
                write_s = time.perf_counter() - started
                page = browser.new_page(viewport={"width": 1400, "height": 850})
                page.route("**/*", lambda r: r.continue_() if r.request.url.startswith("file:") else r.abort())
                started = time.perf_counter()
                page.goto(html.as_uri())
                page.wait_for_function("window.talkgraph && window.talkgraph.ready", timeout=120_000)
                draw_s = time.perf_counter() - started
                nodes, edges, shown, labels = page.evaluate(
                    "[talkgraph.data.nodes.length, talkgraph.data.edges.length, talkgraph.state.shown.size, "
                    "talkgraph.labels.length]")
                label = page.evaluate("talkgraph.data.nodes[Math.floor(talkgraph.data.nodes.length / 2)].label")
                started = time.perf_counter()
                page.fill("#search", label)
                page.press("#search", "Enter")
                page.wait_for_function("talkgraph.network.getSelectedNodes().length === 1")
                page.evaluate("() => new Promise(r => requestAnimationFrame(() => requestAnimationFrame(r)))")
                search_s = time.perf_counter() - started
                page.close()
                results.append({"talks": talks, "mode": mode, "nodes": nodes, "edges": edges, "shown": shown,
                                "labels": labels, "write_s": round(write_s, 2), "draw_s": round(draw_s, 2),
                                "search_s": round(search_s, 2), "cli": done.stdout.strip().splitlines()[0]})
        browser.close()
    print(f"{'talks':>7} {'view':<8}{'nodes':>8}{'edges':>8}{'shown':>8}{'labels':>7}{'write s':>9}{'draw s':>8}"
          f"{'search s':>9}")
    for r in results:
        print(f"{r['talks']:>7,} {r['mode']:<8}{r['nodes']:>8,}{r['edges']:>8,}{r['shown']:>8,}{r['labels']:>7}"
              f"{r['write_s']:>9.2f}{r['draw_s']:>8.2f}{r['search_s']:>9.2f}")
    (HERE / "results").mkdir(exist_ok=True)
    (HERE / "results" / "view.json").write_text(json.dumps(results, indent=2) + "\n")


if __name__ == "__main__":
    main()
