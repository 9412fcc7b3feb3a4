"""A process makes the mention extractor of a vocabulary once and reuses it for the builds that
follow (talkgraph.pipeline.steps.mention_extractor); an edited vocabulary gets a new one."""

from __future__ import annotations

from talkgraph import build
from talkgraph.pipeline.steps import mention_extractor
from talkgraph.vocab.vocabulary import load_vocabulary

from conftest import HEADER

CONCEPT = """@prefix skos: <http://www.w3.org/2004/02/skos/core#> .
<https://w3id.org/talkgraph/vocab/method/cas-parameters> a skos:Concept ;
    skos:inScheme <https://w3id.org/talkgraph/vocab/method> ;
    skos:prefLabel "CAS parameters"@en{alt} .
"""


def test_the_same_vocabulary_reuses_one_extractor_and_another_gets_its_own(tmp_path):
    extra = tmp_path / "extra.ttl"
    extra.write_text(CONCEPT.format(alt=""), encoding="utf-8")
    bundled = mention_extractor(load_vocabulary())
    assert mention_extractor(load_vocabulary()) is bundled  # a new Vocabulary object of the same triples
    with_extra = mention_extractor(load_vocabulary((extra,)))
    assert with_extra is not bundled and mention_extractor(load_vocabulary((str(extra),))) is with_extra
    assert mention_extractor(load_vocabulary()) is bundled


def test_an_edited_vocabulary_file_teaches_the_next_build(tmp_path, write_table):
    """Same path, new content (an mtime may not even change within a second): the new label is found."""
    table = write_table([HEADER, ["Ana", "Lee", "Morphology", "galaxies", "CNN",
                                  "Measurements such as the CAS system are slow."]])
    extra = tmp_path / "extra.ttl"
    extra.write_text(CONCEPT.format(alt=""), encoding="utf-8")
    assert build(table, vocabularies=[extra]).counts["mentions"] == {}
    extra.write_text(CONCEPT.format(alt=' ; skos:altLabel "CAS system"@en'), encoding="utf-8")
    assert build(table, vocabularies=[extra]).counts["mentions"] == {"method": 1}


def test_a_build_with_a_reused_extractor_gives_the_same_graph(tmp_path, write_table):
    table = write_table([HEADER, ["Ana", "Lee", "CNNs for SNe Ia.", "supernovae", "CNN",
                                  "We trained Bayesian convolutional neural networks (BCNNs) with PyTorch on SDSS "
                                  "images; the BCNNs beat a random forest."]])
    first = build(table)
    assert first.counts["mentions"]
    assert build(table).ntriples == first.ntriples


def test_only_the_last_few_extractors_are_kept(tmp_path, monkeypatch):
    from talkgraph.pipeline import steps

    monkeypatch.setattr(steps, "EXTRACTORS_KEPT", 1)
    extras = [tmp_path / "one.ttl", tmp_path / "two.ttl"]
    for number, extra in enumerate(extras):
        extra.write_text(CONCEPT.replace("cas-parameters", f"cas-{number}").format(alt=""), encoding="utf-8")
    first = mention_extractor(load_vocabulary((extras[0],)))
    assert mention_extractor(load_vocabulary((extras[0],))) is first
    second = mention_extractor(load_vocabulary((extras[1],)))
    assert mention_extractor(load_vocabulary((extras[1],))) is second
    assert mention_extractor(load_vocabulary((extras[0],))) is not first  # let go to keep only one
