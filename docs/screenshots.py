"""Regenerate the README's screenshots of the HTML view, in a real headless Chromium.

    python docs/screenshots.py              # builds data/talks.tsv into a temporary folder

Writes three pictures into docs/images/: ``view-overview.png`` (the first screen),
``view-focus.png`` (the convolutional neural network concept with its talks and their
speakers, as a search for "CNN" shows it) and ``view-matrix.png`` (the domains ×
methods matrix, declared and found in abstracts). Uses Debian's Chromium (``apt-get install chromium``) through
Playwright, with every network request refused, exactly as the view tests do;
nothing is downloaded.
"""

from __future__ import annotations

import argparse
import shutil
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
FLAGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
         "--no-first-run", "--disable-sync", "--disable-quic"]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--table", default=str(ROOT / "data" / "talks.tsv"))
    parser.add_argument("--into", default=str(ROOT / "docs" / "images"), help="folder for the PNG files")
    args = parser.parse_args()

    from playwright.sync_api import sync_playwright

    from talkgraph import build
    from talkgraph.outputs.network import analyse, to_networkx
    from talkgraph.outputs.view import write_view

    chromium = shutil.which("chromium") or shutil.which("chromium-browser")
    if chromium is None:
        print("error: Debian's chromium is not installed (apt-get install chromium)", file=sys.stderr)
        return 2
    into = Path(args.into)
    into.mkdir(parents=True, exist_ok=True)
    written = []
    with tempfile.TemporaryDirectory() as folder:
        view = write_view(analyse(to_networkx(build(args.table).store, details=True)), Path(folder) / "view.html")
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=chromium, args=FLAGS)
            page = browser.new_page(viewport={"width": 1400, "height": 850})
            page.route("**/*", lambda route: route.continue_() if route.request.url.startswith("file:")
                       else route.abort())
            page.goto(view.resolve().as_uri())
            page.wait_for_function("window.talkgraph && window.talkgraph.ready", timeout=60_000)

            def shot(name):
                page.evaluate("() => new Promise(r => requestAnimationFrame(() => requestAnimationFrame(r)))")
                page.screenshot(path=str(into / name))
                written.append(into / name)

            shot("view-overview.png")
            page.fill("#search", "CNN")  # the results list shows the concept first, then the talks
            page.press("#search", "Enter")
            shot("view-focus.png")
            page.click("#overview")
            page.click("#tab-matrix")
            page.check("#matrix-mentions")  # declared + found in abstracts: the fuller picture
            page.click("#matrix td.hit")  # the busiest cell, its talks listed in the side panel
            shot("view-matrix.png")
            browser.close()
    for path in written:
        print(f"wrote {path}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
