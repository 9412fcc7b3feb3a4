"""Mention extraction of two versions side by side, in one process, interleaved: a speed ratio that the machine's
drift (±30% between runs here) does not move.

    python benchmarks/extract_ab.py ../other-checkout/graph              # 2,000 synthetic talks, 2 rounds
    python benchmarks/extract_ab.py /tmp/wt-main/graph --talks 3000 --rounds 3

The other version is a ``graph/`` folder of another checkout or worktree (``git worktree add /tmp/wt-main main``); it is
imported under another name beside the installed ``talkgraph``, each with its own vocabulary and spaCy pipeline.
Both extract the same synthetic talks (``synth.py``) in blocks of 50, alternating which goes first, and the CPU
time of each is summed. Printed: µs a talk for each, and the ratio this checkout / the other.
"""

from __future__ import annotations

import argparse
import importlib
import io
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from synth import generate  # noqa: E402


def extractor(package: str):
    vocabulary = importlib.import_module(f"{package}.vocab.vocabulary")
    mentions = importlib.import_module(f"{package}.link.mentions")
    candidates = importlib.import_module(f"{package}.link.candidates")
    vocab = vocabulary.load_vocabulary()
    return mentions.MentionExtractor(vocab, schemes=vocab.scheme_names), candidates.CandidateTerms()


def talks(n: int) -> list[tuple[str, str]]:
    out = io.StringIO()
    generate(n, out=out)
    rows = [line.split("\t") for line in out.getvalue().splitlines() if line.strip()]
    header = rows[0]
    title, abstract = header.index("Proposed Talk Title"), header.index("Abstract")
    return [(row[title], row[abstract]) for row in rows[1:]]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("other", type=Path, help="the graph/ folder of the other version")
    parser.add_argument("--talks", type=int, default=2000)
    parser.add_argument("--rounds", type=int, default=2)
    options = parser.parse_args()
    if not (options.other / "link" / "mentions.py").is_file():
        sys.exit(f"error: {options.other} is not a talkgraph graph/ folder (no link/mentions.py)")
    with tempfile.TemporaryDirectory() as folder:
        (Path(folder) / "tg_other").symlink_to(options.other.resolve(), target_is_directory=True)
        sys.path.insert(0, folder)
        pairs = talks(options.talks)
        sides = {"other": extractor("tg_other"), "this": extractor("talkgraph")}
        for ex, found in sides.values():  # warm both: the tokenizers' caches, the regular expressions
            for title, abstract in pairs[:300]:
                ex.spans(title, abstract, found)
        spent = dict.fromkeys(sides, 0.0)
        for _ in range(options.rounds):
            for block, start in enumerate(range(0, len(pairs), 50)):
                order = ("other", "this") if block % 2 == 0 else ("this", "other")
                for name in order:
                    ex, found = sides[name]
                    begun = time.process_time()
                    for title, abstract in pairs[start:start + 50]:
                        ex.spans(title, abstract, found)
                    spent[name] += time.process_time() - begun
    n = len(pairs) * options.rounds
    print(f"other {spent['other'] / n * 1e6:.1f} µs a talk, this {spent['this'] / n * 1e6:.1f} µs a talk, "
          f"ratio this/other {spent['this'] / spent['other']:.3f}")


if __name__ == "__main__":
    main()
