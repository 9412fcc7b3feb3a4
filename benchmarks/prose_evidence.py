"""Which labels are evidence of their concept in titles and abstracts, as the readers of the labelled tables judge.

    python benchmarks/prose_evidence.py             # both lists, with the thresholds below
    python benchmarks/prose_evidence.py --all       # every label seen, not only those past a threshold
    python benchmarks/prose_evidence.py --unseen dev-set-32   # without a set kept unseen, to score it after

A label is kept out of prose when it is a ``tg:ambiguousLabel`` or a thesaurus label that the prose rules drop
(docs/mentions.md). For each such label this prints, over the talks that say it and in which talkgraph links
its concept by no other words, how many a reader labelled with the concept: a label readers mark in at least
:data:`KEEP_SHARE` of at least :data:`LEAST_TALKS` talks is evidence, and may be let into prose. For each
label that is in prose, it prints how many of the talks it links its concept in were labelled so: one that
is right in under :data:`DROP_SHARE` of at least :data:`LEAST_FOUND` talks makes more wrong links than right
ones, by more than F1 gains from it (a wrong link costs F1 about as much as 1.5 missed right ones at F1 0.8),
and may be kept out. The held-out set is never read.
"""

from __future__ import annotations

import argparse
import re
import sys
from collections import defaultdict

from link_quality import Scorer, aligned, labelled_tables, read_labels

from talkgraph.errors import InputError
from talkgraph.tables.records import Record, to_record
from talkgraph.tables.table import read_table
from talkgraph.vocab.keywords import match_key

KEEP_SHARE, LEAST_TALKS = 0.6, 5
DROP_SHARE, LEAST_FOUND = 0.4, 8


def _tables(unseen: list[str]):
    for table, labels in labelled_tables():
        if "holdout" in table.parts or table.parent.name in unseen:
            continue
        try:
            records = [r for r in (to_record(row) for row in read_table(table).rows()) if isinstance(r, Record)]
        except InputError:
            continue
        yield table, records, aligned(read_labels(labels), [r.line for r in records])[0]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--all", action="store_true", help="every label seen, not only those past a threshold")
    parser.add_argument("--unseen", action="append", default=[], metavar="FOLDER",
                        help="leave out a labelled set of data/ (by its folder's name), to score it unseen after")
    args = parser.parse_args(argv)
    scorer = Scorer()
    extractor = scorer.extractor
    in_prose: dict[str, set[str]] = defaultdict(set)  # concept → its labels in prose (lower case)
    for patterns in extractor.patterns.values():
        for iri, texts in patterns.items():
            in_prose[iri].update(text.lower() for text in texts)
    def one(iri: str) -> str:  # ours for a concept of another vocabulary that ours matches exactly (rule 1)
        return getattr(scorer.vocab.same_as(iri), "iri", iri)

    kept_out: dict[str, set[str]] = defaultdict(set)  # label (lower case) → concepts it names only in cells
    for concept in extractor.concepts:
        for label in concept.labels:
            if len(label) > 2 and label.lower() not in in_prose[concept.iri]:
                kept_out[label.lower()].add(one(concept.iri))
    said = {label: re.compile(r"(?<![\w-])" + re.escape(label) + r"(?:s|es)?(?![\w-])", re.IGNORECASE)
            for label in kept_out}
    out_counts: dict[str, list[int]] = defaultdict(lambda: [0, 0])  # label → [talks, marked]
    # (concept, the words' matching key: "redshift" and "redshifts" are one, as the rules read them) → [found, right]
    in_counts: dict[tuple[str, str], list[int]] = defaultdict(lambda: [0, 0])
    for table, records, golds in _tables(args.unseen):
        for row, record in enumerate(records, 1):
            gold = [g for g in golds if g.row == row and g.part == "mentioned"]
            first: dict[str, str] = {}
            for mention in extractor.extract(record.title, record.abstract):
                first.setdefault(one(mention.concept), mention.text)
            text = f"{record.title}\n{record.abstract}"
            for label, pattern in said.items():
                if not kept_out[label] & first.keys() and pattern.search(text):
                    counts = out_counts[label]
                    counts[0] += 1
                    counts[1] += any(scorer.names(g, iri) for g in gold for iri in kept_out[label])
            for iri, words in first.items():
                counts = in_counts[scorer.label(iri), match_key(words)]
                counts[0] += 1
                counts[1] += any(scorer.names(g, iri) for g in gold)
    print(f"Kept out of prose, marked by readers in >= {KEEP_SHARE:.0%} of >= {LEAST_TALKS} talks that say them:")
    for label, (talks, marked) in sorted(out_counts.items(), key=lambda item: (-item[1][1], item[0])):
        if args.all or (talks >= LEAST_TALKS and marked >= KEEP_SHARE * talks):
            print(f"  {marked:3} of {talks:3}  {label!r} ({', '.join(sorted(kept_out[label]))})")
    print(f"\nIn prose, right in under {DROP_SHARE:.0%} of >= {LEAST_FOUND} talks it links:")
    for (concept, words), (found, right) in sorted(in_counts.items(), key=lambda item: item[1][1] / item[1][0]):
        if args.all or (found >= LEAST_FOUND and right < DROP_SHARE * found):
            print(f"  {right:3} of {found:3}  {words!r} -> {concept}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
