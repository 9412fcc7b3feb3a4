"""Reading any SKOS file (Turtle or RDF/XML), the compiled form, and the shipped UAT (#17)."""

from __future__ import annotations

import random

import pytest
from conftest import needs_shared

from talkgraph.errors import VocabularyError
from talkgraph.namespaces import FILE_SCHEMES
from talkgraph.resources import vocab_data_file
from talkgraph.vocab.compiled import compile_skos, dumps, load_compiled, loads, shipped_uat
from talkgraph.vocab.skos import main, read_skos

PREFIXES = """@prefix skos: <http://www.w3.org/2004/02/skos/core#> .
@prefix owl: <http://www.w3.org/2002/07/owl#> .
@prefix dcterms: <http://purl.org/dc/terms/> .
@prefix ex: <http://example.org/> .
"""

# One scheme, and concepts that do not say they are in it.
TURTLE = PREFIXES + """
ex:scheme a skos:ConceptScheme ; dcterms:title "Titre"@fr , "Example topics"@en ; owl:versionInfo "2.0" .
ex:stars a skos:Concept ; skos:prefLabel "Étoiles"@fr , "Stars" , "Stars"@en ;
    skos:narrower ex:jets ; skos:notation "S1" .
ex:jets a skos:Concept ; skos:prefLabel "Jets"@en ; skos:altLabel "Astrophysical  jets"@en ;
    skos:hiddenLabel "jets"@en ; skos:related ex:outflows .
ex:outflows a skos:Concept ; skos:prefLabel "Outflows"@en ; skos:altLabel "Jets"@en .
ex:old a skos:Concept ; owl:deprecated true ; skos:prefLabel "Old outflows"@en ; dcterms:isReplacedBy ex:outflows .
"""

RDF_XML = """<?xml version="1.0" encoding="UTF-8"?>
<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#"
         xmlns:rdfs="http://www.w3.org/2000/01/rdf-schema#"
         xmlns:skos="http://www.w3.org/2004/02/skos/core#"
         xmlns:owl="http://www.w3.org/2002/07/owl#"
         xmlns:dcterms="http://purl.org/dc/terms/">
  <skos:ConceptScheme rdf:about="http://example.org/a"><dcterms:title>A</dcterms:title></skos:ConceptScheme>
  <skos:ConceptScheme rdf:about="http://example.org/b"><dcterms:title>B</dcterms:title></skos:ConceptScheme>
  <skos:Concept rdf:about="http://example.org/galaxies">
    <skos:inScheme rdf:resource="http://example.org/a"/>
    <skos:prefLabel xml:lang="en">Galaxies</skos:prefLabel>
    <skos:prefLabel xml:lang="en-gb">Galaxies</skos:prefLabel>
  </skos:Concept>
  <rdf:Description rdf:about="http://example.org/gone">
    <rdf:type rdf:resource="http://www.w3.org/2004/02/skos/core#Concept"/>
    <skos:inScheme rdf:resource="http://example.org/b"/>
    <rdfs:label xml:lang="en">Gone galaxies</rdfs:label>
    <owl:deprecated rdf:datatype="http://www.w3.org/2001/XMLSchema#boolean">true</owl:deprecated>
    <skos:changeNote rdf:nodeID="n1"/>
  </rdf:Description>
  <rdf:Description rdf:nodeID="n1">
    <dcterms:title>Use instead</dcterms:title>
    <rdfs:comment>http://example.org/galaxies</rdfs:comment>
  </rdf:Description>
</rdf:RDF>
"""


@pytest.fixture
def write(tmp_path):
    def write(text: str | bytes, name: str = "vocab.ttl"):
        path = tmp_path / name
        path.write_bytes(text.encode("utf-8") if isinstance(text, str) else text)
        return path
    return write


# ------------------------------------------------------------------ the shipped UAT


@pytest.fixture(scope="module")
def uat():
    return shipped_uat()


def test_the_shipped_uat_is_a_fresh_compile_of_the_release():
    release = needs_shared("vocab", "UAT.rdf")
    shipped = vocab_data_file("uat.json").read_bytes()
    assert dumps(read_skos(release, version="5.1.0")) == shipped, (
        "graph/vocab/data/uat.json is not what UAT.rdf compiles to: run "
        "`python -m talkgraph.vocab.skos compile ../shared/vocab/UAT.rdf graph/vocab/data/uat.json --version 5.1.0`")


def test_the_shipped_uat_has_its_licence_beside_it():
    assert "Attribution-ShareAlike 3.0" in vocab_data_file("UAT-LICENSE.md").read_text(encoding="utf-8")


def test_the_shipped_uat_counts(uat):
    assert [(s.title, s.version) for s in uat.schemes] == [("The Unified Astronomy Thesaurus", "5.1.0")]
    assert len(uat.active()) == 2275
    deprecated = uat.deprecated()
    assert len(deprecated) == 97
    # UAT 5.1.0 names a replacement for 93 of them (17 of those have several) and none for 4.
    assert sum(1 for c in deprecated if c.replaced_by) == 93
    assert sum(1 for c in deprecated if len(c.replaced_by) > 1) == 17
    assert all(c.labels for c in uat.concepts.values())


def _by_label(vocab, text):
    return next(c for c in vocab.concepts.values() if c.pref_label == text)


def test_a_deprecated_uat_concept_resolves_to_its_replacement(uat):
    old = _by_label(uat, "Far-infrared astronomy")
    assert old.deprecated
    assert [c.pref_label for c in uat.resolve(old.iri)] == ["Far infrared astronomy"]
    several = _by_label(uat, "RC Aurigae stars")
    assert sorted(c.pref_label for c in uat.resolve(several.iri)) == ["Emission line stars", "Irregular variable stars"]
    without = _by_label(uat, "Natural decay")  # deprecated, no replacement named: it stays itself
    assert uat.resolve(without.iri) == (without,)
    active = _by_label(uat, "Stellar evolution")
    assert uat.resolve(active.iri) == (active,)


def test_a_uat_concept_with_us_and_uk_spelling_prefers_the_us_label(uat):
    concept = _by_label(uat, "Millimeter astronomy")
    assert concept.labels_of("pref") == ("Millimeter astronomy", "Millimetre astronomy")
    assert [label.lang for label in concept.labels[:2]] == ["en", "en-gb"]


def test_uat_labels_carry_the_facts_rules_need(uat):
    jets = next(label for c in uat.active() for label in c.labels if label.text == "Jets")
    assert (jets.words, jets.common, jets.shared) == (1, True, 1)
    planets = [c.pref_label for c in uat.active() if "Planets" in c.labels_of("alt")]
    assert sorted(planets) == ["Exoplanets", "Solar system planets"]
    assert {label.shared for c in uat.active() for label in c.labels if label.text == "Planets"} == {2}
    quasars = next(label for c in uat.active() for label in c.labels if label.text == "Quasars")
    assert not quasars.common
    two_words = next(label for c in uat.active() for label in c.labels if label.text == "Stellar evolution")
    assert (two_words.words, two_words.common) == (2, False)


# ------------------------------------------------------------------ any SKOS file


def test_a_turtle_file_without_in_scheme_belongs_to_its_one_scheme(write):
    vocab = read_skos(write(TURTLE))
    assert [(s.iri, s.title, s.version) for s in vocab.schemes] == [("http://example.org/scheme", "Example topics", "2.0")]
    stars, jets = vocab.concepts["http://example.org/stars"], vocab.concepts["http://example.org/jets"]
    assert stars.schemes == ("http://example.org/scheme",)
    assert [(label.text, label.lang) for label in stars.labels] == [("Stars", "en"), ("Stars", ""), ("Étoiles", "fr")]
    assert stars.notations == ("S1",)
    assert jets.broader == ("http://example.org/stars",)  # from ex:stars skos:narrower ex:jets
    assert jets.labels_of("alt") == ("Astrophysical  jets",) and jets.labels_of("hidden") == ("jets",)
    assert vocab.concepts["http://example.org/outflows"].related == ("http://example.org/jets",)
    assert [c.iri for c in vocab.resolve("http://example.org/old")] == ["http://example.org/outflows"]
    shared = {label.text: label.shared for label in jets.labels}
    assert shared == {"Jets": 2, "Astrophysical  jets": 1, "jets": 2}  # Outflows is also "Jets"


def test_an_rdf_xml_file_with_two_schemes_and_a_use_instead_note(write):
    vocab = read_skos(write(RDF_XML, "vocab.rdf"))
    assert [s.title for s in vocab.schemes] == ["A", "B"]
    galaxies = vocab.concepts["http://example.org/galaxies"]
    assert galaxies.schemes == ("http://example.org/a",)
    assert [label.lang for label in galaxies.labels] == ["en", "en-gb"]
    gone = vocab.concepts["http://example.org/gone"]
    assert gone.deprecated and gone.pref_label == "Gone galaxies"  # rdfs:label when there is no prefLabel
    assert gone.replaced_by == ("http://example.org/galaxies",)
    assert vocab.resolve(gone.iri) == (galaxies,)
    assert [c.iri for c in vocab.active()] == ["http://example.org/galaxies"]


def test_a_file_without_any_scheme_gets_one_named_after_it(write):
    vocab = read_skos(write(PREFIXES + 'ex:a a skos:Concept ; skos:prefLabel "A" .\n', "my topics.ttl"))
    assert [(s.iri, s.title) for s in vocab.schemes] == [(FILE_SCHEMES + "my-topics", "my topics.ttl")]
    assert vocab.concepts["http://example.org/a"].schemes == (FILE_SCHEMES + "my-topics",)


def test_the_format_is_told_by_the_first_bytes_not_the_name(write):
    assert read_skos(write(RDF_XML, "vocab.ttl")).concepts.keys() == read_skos(write(RDF_XML, "v.rdf")).concepts.keys()
    assert "http://example.org/jets" in read_skos(write(TURTLE, "vocab.rdf")).concepts
    assert read_skos(write(b"\xef\xbb\xbf" + RDF_XML.encode(), "bom.xml")).concepts


def test_the_version_given_names_a_release_that_does_not_state_it(write):
    path = write(RDF_XML, "vocab.rdf")
    assert {s.version for s in read_skos(path, version="5.1.0").schemes} == {"5.1.0"}
    assert {s.version for s in read_skos(write(TURTLE), version="3").schemes} == {"3"}  # the caller wins


# ------------------------------------------------------------------ errors


@pytest.mark.parametrize("text, name, message", [
    (PREFIXES + 'ex:a a skos:Concept ; skos:prefLabel "A" ', "broken.ttl",
     r"broken\.ttl:5:\d+: not a valid Turtle file \(read as Turtle because it does not start like XML\)"),
    ('<?xml version="1.0"?>\n<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">\n<a>',
     "broken.rdf", r"broken\.rdf.*: not a valid RDF/XML file \(read as RDF/XML because it starts like XML\)"),
    ("Title\tSpeaker\nA talk\tA. Person\n", "talks.rdf", r"talks\.rdf:1:\d+: not a valid Turtle file .*although its "
                                                          r"name ends in \.rdf"),
    (PREFIXES + 'ex:a a ex:Thing ; ex:name "A" .\n', "things.ttl",
     r"things\.ttl: is not a SKOS vocabulary: it declares no skos:Concept"),
    (PREFIXES + "ex:a a skos:Concept .\nex:b a skos:Concept ; skos:prefLabel \"\" .\nex:c a skos:Concept ; "
     "skos:prefLabel \"C\" .\n", "bare.ttl",
     r"bare\.ttl: 2 concept\(s\) without any label \(skos:prefLabel, .*\): <http://example.org/a>, <http://example.org/b>"),
    (PREFIXES + 'ex:s1 a skos:ConceptScheme . ex:s2 a skos:ConceptScheme . ex:a a skos:Concept ; skos:prefLabel "A" .',
     "two.ttl", r"two\.ttl: concept <http://example.org/a> has no skos:inScheme, and the file declares 2 schemes"),
])
def test_a_bad_file_gets_a_clear_message(write, text, name, message):
    with pytest.raises(VocabularyError, match=message):
        read_skos(write(text, name))


def test_an_unreadable_file_gets_a_clear_message(tmp_path):
    with pytest.raises(VocabularyError, match=r"missing\.ttl: cannot read: No such file or directory"):
        read_skos(tmp_path / "missing.ttl")
    with pytest.raises(VocabularyError, match=r": is a folder, not a vocabulary file"):
        read_skos(tmp_path)
    with pytest.raises(VocabularyError, match=r"missing\.json: cannot read"):
        load_compiled(tmp_path / "missing.json")


@pytest.mark.parametrize("data", [b"not json", b'{"format": "talkgraph-skos/0"}', b'{"format": "talkgraph-skos/1"}'])
def test_a_compiled_file_of_another_format_says_to_compile_again(data):
    with pytest.raises(VocabularyError, match=r"compile it again with `python -m talkgraph.vocab.skos compile`"):
        loads(data)


# ------------------------------------------------------------------ the compiled form


def test_the_compiled_form_reads_back_as_the_same_vocabulary(write, tmp_path):
    for path in (write(TURTLE), write(RDF_XML, "vocab.rdf")):
        vocab = read_skos(path)
        assert compile_skos(path, tmp_path / "out.json") == vocab
        assert load_compiled(tmp_path / "out.json") == vocab


def test_compiling_is_deterministic_whatever_the_order_of_the_triples(write, tmp_path):
    path = write(TURTLE)
    compile_skos(path, tmp_path / "one.json")
    compile_skos(path, tmp_path / "two.json")
    assert (tmp_path / "one.json").read_bytes() == (tmp_path / "two.json").read_bytes()
    statements = TURTLE[len(PREFIXES):].strip().split(" .\n")
    random.Random(17).shuffle(statements)
    shuffled = write(PREFIXES + " .\n".join(s.removesuffix(" .") for s in statements) + " .\n", "vocab.ttl")
    assert dumps(read_skos(shuffled)) == (tmp_path / "one.json").read_bytes()


def test_the_compile_command(write, tmp_path, capsys):
    assert main(["compile", str(write(RDF_XML, "vocab.rdf")), str(tmp_path / "out.json"), "--version", "1.0"]) == 0
    assert "1 active and 1 deprecated concepts of A, B" in capsys.readouterr().out
    assert {s.version for s in load_compiled(tmp_path / "out.json").schemes} == {"1.0"}
    assert main(["compile", str(write(PREFIXES, "empty.ttl")), str(tmp_path / "none.json")]) == 2
    assert "is not a SKOS vocabulary" in capsys.readouterr().err
    assert not (tmp_path / "none.json").exists()
