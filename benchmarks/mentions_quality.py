"""Precision and recall of the mention extractor against the labelled real table.

    python benchmarks/mentions_quality.py            # scores per scheme
    python benchmarks/mentions_quality.py --errors   # and every false positive / false negative

The gold file is tests/gold/mentions.tsv: for each talk of data/talks.tsv, the
concepts a careful reader links from its title and abstract (its header says
how it was made). Targets (issue #4): precision >= 0.9 and recall >= 0.85 for
ML methods and facilities; >= 0.8 for astronomy topics and software.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from quality import TARGETS, score_mentions  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--errors", action="store_true", help="list false positives and false negatives")
    parser.add_argument("--json", action="store_true", help="print the scores as JSON")
    args = parser.parse_args()
    scores = score_mentions(ROOT / "data" / "talks.tsv", ROOT / "tests" / "gold" / "mentions.tsv")
    if args.json:
        print(json.dumps(scores, indent=2, ensure_ascii=False))
        return
    print(f"{'scheme':<10} {'gold':>5} {'found':>6} {'tp':>4} {'precision':>10} {'recall':>7}  target P/R")
    for scheme, s in scores["schemes"].items():
        p, r = TARGETS[scheme]
        ok = "ok" if s["precision"] >= p and s["recall"] >= r else "MISSED"
        print(f"{scheme:<10} {s['gold']:>5} {s['found']:>6} {s['tp']:>4} {s['precision']:>10.3f} {s['recall']:>7.3f}"
              f"  >= {p}/{r} {ok}")
    if args.errors:
        for scheme, s in scores["schemes"].items():
            for kind in ("false_positives", "false_negatives"):
                for line, concept, text in s[kind]:
                    print(f"{kind[:5]:<6} {scheme:<9} line {line:>3} {concept:<55} {text}")


if __name__ == "__main__":
    main()
