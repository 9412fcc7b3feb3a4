"""The benchmark's synthetic tables: every row builds, the same seed gives the same table,
and the zipf profile spreads concepts as real programmes do (few common, most rare). And
the build benchmark's yardstick, issue #4's reference pipeline, runs and scales."""

from __future__ import annotations

import io
import sys
from collections import Counter
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "benchmarks"))

from synth import generate  # noqa: E402

from talkgraph import build  # noqa: E402
from talkgraph.link.objects import is_object  # noqa: E402

MENTIONS = "https://w3id.org/talkgraph/ns#mentions"
DECLARES = {"https://w3id.org/talkgraph/ns#declaresMethod", "https://w3id.org/talkgraph/ns#declaresDomain"}


def _table(tmp_path, profile: str, n: int = 300, seed: int = 1) -> Path:
    stream = io.StringIO()
    generate(n, seed=seed, out=stream, profile=profile)
    path = tmp_path / f"{profile}.tsv"
    path.write_text(stream.getvalue(), encoding="utf-8")
    return path


def _talks_per_concept(result) -> Counter:
    """Talks per vocabulary concept: the profiles draw concepts from the vocabularies; the objects that the
    random designations of the details name ("NGC 4038") are the same in both."""
    pairs = {(t.subject.value, t.object.value) for t in result.triples()
             if (t.predicate.value == MENTIONS or t.predicate.value in DECLARES) and not is_object(t.object.value)}
    return Counter(concept for _, concept in pairs)


@pytest.mark.parametrize("profile", ["uniform", "zipf"])
def test_every_synthetic_row_builds_and_the_seed_fixes_the_table(tmp_path, profile):
    path = _table(tmp_path, profile)
    (tmp_path / "again").mkdir()
    assert path.read_bytes() == _table(tmp_path / "again", profile).read_bytes()
    assert path.read_bytes() != _table(tmp_path / "again", profile, seed=2).read_bytes()
    result = build(path, evidence=False)
    assert result.conforms
    assert not result.rejects
    assert result.report["counts"]["talks_built"] == 300


def test_zipf_profile_has_a_long_tail_and_uniform_does_not(tmp_path):
    zipf = _talks_per_concept(build(_table(tmp_path, "zipf"), evidence=False))
    uniform = _talks_per_concept(build(_table(tmp_path, "uniform"), evidence=False))

    def median(counts: Counter) -> int:
        return sorted(counts.values())[len(counts) // 2]

    # zipf: three times as many distinct concepts, most in under 2% of the talks, a few in over 20%.
    assert len(zipf) > 3 * len(uniform)
    assert median(zipf) <= 300 * 0.02
    assert max(zipf.values()) > 300 * 0.2
    # uniform: the typical concept sits in over 5% of the talks
    assert median(uniform) > 300 * 0.05


@pytest.mark.slow
def test_the_build_benchmarks_yardstick_matches_the_abstracts_and_scales_to_the_issues_speed(tmp_path):
    import bench_build

    path = _table(tmp_path, "uniform", n=200)
    rate, matches = bench_build._reference_rate(path, talks=200, passes=1)
    # a third of the synthetic sentences name concepts: several matches an abstract, on every pass
    assert rate > 0 and matches > 3 * 200
    assert bench_build.reference_rate(path) > 0  # in a process of its own, as before each build
    line = bench_build._line({"talks": 100_000, "config": "default", "triples": 1, "seconds": 60.0, "peak_mb": 1.0,
                              "cpu_seconds": 1.0, "calibration_s": 1.0, "reference_rate": 19_000,
                              "target_seconds": 75.0})
    assert " 120.0  <= 75 s" in line  # 60 s at twice the issue's 9,500 abstracts/s
    # the yardsticks are taken before and after a build; the figures use their means
    around = bench_build._around((1.0, 8_000.0), (1.2, 10_000.0))
    assert (around["calibration_s"], around["reference_rate"]) == (1.1, 9_000)


def test_the_yardstick_reads_the_real_abstracts_again_and_again_and_compares_costs_per_character(tmp_path,
                                                                                                  monkeypatch):
    import bench_build

    real = Path(__file__).resolve().parent.parent / "data" / "talks.tsv"
    texts = bench_build._abstracts(real, 40)
    assert len(texts) == 40 and len(set(texts)) == 19 and texts[19] == texts[0]
    assert any("<p>" in text for text in texts)  # as the table has them, HTML and all

    synthetic = _table(tmp_path, "uniform", n=50)
    real_chars = sum(map(len, bench_build._abstracts(real, 5_000))) / 5_000
    synthetic_chars = sum(map(len, bench_build._abstracts(synthetic, 5_000))) / 5_000
    # the real abstracts at 10,000/s; the synthetic ones as costly per character, then twice as costly
    for synthetic_rate, expected in ((10_000 * real_chars / synthetic_chars, 1.0),
                                     (5_000 * real_chars / synthetic_chars, 2.0)):
        rates = {real: 10_000, synthetic: synthetic_rate}
        monkeypatch.setattr(bench_build, "reference_rate", rates.__getitem__)
        assert bench_build.cost_per_character(synthetic, real, rounds=1) == expected


def test_the_details_of_synthetic_abstracts_name_objects_but_no_concept_and_change_nothing_else(tmp_path, monkeypatch):
    import synth

    def links(share: float) -> tuple[set, str]:
        monkeypatch.setattr(synth, "DETAIL_SHARE", share)
        (tmp_path / str(share)).mkdir()
        path = _table(tmp_path / str(share), "uniform", n=200)
        result = build(path, evidence=False)
        triples = {(t.subject.value, t.predicate.value, t.object.value) for t in result.triples()
                   if t.predicate.value == MENTIONS or t.predicate.value in DECLARES}
        return triples, path.read_text(encoding="utf-8")

    plain, plain_table = links(0.0)
    detailed, detailed_table = links(1.0)
    # the details name objects by their designations ("NGC 4038", "UGC 01241"), and no concept of the vocabularies
    objects = {t for t in detailed if is_object(t[2])}
    assert detailed - objects == plain and len(plain) > 1_000
    assert objects and not any(is_object(t[2]) for t in plain)
    assert detailed_table != plain_table and " et al. " in detailed_table and " et al. " not in plain_table
    # every row is the same but for its abstract (the details have a random stream of their own)
    assert [line.split("\t")[:5] for line in detailed_table.splitlines()] == \
        [line.split("\t")[:5] for line in plain_table.splitlines()]


def test_no_name_the_details_can_cite_is_a_label_of_the_vocabularies():
    import itertools

    import synth
    from talkgraph.vocab.vocabulary import load_vocabulary

    labels = {label.lower() for concept in load_vocabulary().concepts.values() for label in concept.labels}
    names = {"".join(parts).capitalize() for size in (2, 3) for parts in itertools.product(synth._SYLLABLES, repeat=size)}
    names = {synth._RENAMED.get(name, name) for name in names}
    assert len(names) > 10_000
    assert not {name for name in names if name.lower() in labels}  # "Fermi 2012" would be the telescope


def test_the_extraction_benchmark_compares_two_versions_in_one_process(tmp_path):
    """benchmarks/extract_ab.py imports another graph/ folder beside the installed package and times both on the
    same talks; given this checkout's own package twice, both extract and the ratio is about one."""
    import re
    import subprocess

    script = Path(__file__).resolve().parent.parent / "benchmarks" / "extract_ab.py"
    package = Path(__file__).resolve().parent.parent / "graph"
    done = subprocess.run([sys.executable, str(script), str(package), "--talks", "60", "--rounds", "1"],
                          capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr
    found = re.search(r"other ([\d.]+) µs a talk, this ([\d.]+) µs a talk, ratio this/other ([\d.]+)", done.stdout)
    assert found and float(found[1]) > 0 and float(found[2]) > 0
    assert 0.3 < float(found[3]) < 3
    wrong = subprocess.run([sys.executable, str(script), str(tmp_path)], capture_output=True, text=True, timeout=60)
    assert wrong.returncode != 0 and "not a talkgraph graph/ folder" in wrong.stderr
