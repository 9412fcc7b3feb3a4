"""Scoring mentions against a labelled file: precision and recall per scheme.

The labelled file is a TSV of ``line``, ``speaker`` and ``concept`` (a CURIE such as
``method:u-net``), one row per (talk, concept), ``#`` comments allowed; see
``tests/gold/mentions.tsv``.
"""

from __future__ import annotations

import csv
from pathlib import Path

from talkgraph.link.mentions import extract_all
from talkgraph.namespaces import PREFIXES
from talkgraph.tables.records import Record, to_record
from talkgraph.tables.table import read_table

__all__ = ["TARGETS", "read_gold", "score_mentions"]

#: Scheme → (precision, recall) targets of issue #4.
TARGETS = {"method": (0.9, 0.85), "facility": (0.9, 0.85), "domain": (0.8, 0.8), "software": (0.8, 0.8)}
#: The prefixes of the concepts a group of TARGETS scores.
TOPICS = {"domain": ("domain", "uat")}


def read_gold(path: str | Path) -> set[tuple[int, str]]:
    """``{(line, concept IRI)}`` from a labelled TSV."""
    with open(path, encoding="utf-8", newline="") as stream:
        rows = csv.DictReader((line for line in stream if not line.startswith("#")), delimiter="\t")
        gold = set()
        for row in rows:
            prefix, _, local = row["concept"].partition(":")
            gold.add((int(row["line"]), PREFIXES[prefix] + local))
    return gold


def score_mentions(table: str | Path, gold_path: str | Path) -> dict:
    records = [r for r in (to_record(row) for row in read_table(table).rows()) if isinstance(r, Record)]
    mentions, _ = extract_all([(r.title, r.abstract) for r in records], processes=1)
    found: dict[tuple[int, str], str] = {}
    for record, found_here in zip(records, mentions):
        for m in found_here:
            found.setdefault((record.line, m.concept), m.text)
    gold = read_gold(gold_path)
    lines = {r.line for r in records}
    if not {line for line, _ in gold} <= lines:
        raise ValueError(f"{gold_path}: lines {sorted({l for l, _ in gold} - lines)} are not talks of {table}")
    schemes = {}
    for scheme in TARGETS:
        # astronomy topics: the domain scheme's and the Unified Astronomy Thesaurus's
        namespaces = tuple(PREFIXES[p] for p in TOPICS.get(scheme, (scheme,)))
        g = {k for k in gold if k[1].startswith(namespaces)}
        f = {k for k in found if k[1].startswith(namespaces)}
        tp = len(g & f)
        short = lambda iri: next(f"{p}:{iri[len(PREFIXES[p]):]}" for p in TOPICS.get(scheme, (scheme,))  # noqa: E731
                                 if iri.startswith(PREFIXES[p]))
        schemes[scheme] = {
            "gold": len(g), "found": len(f), "tp": tp,
            "precision": round(tp / len(f), 4) if f else 1.0, "recall": round(tp / len(g), 4) if g else 1.0,
            "false_positives": sorted((line, short(c), found[(line, c)]) for line, c in f - g),
            "false_negatives": sorted((line, short(c), "") for line, c in g - f),
        }
    return {"schemes": schemes}
