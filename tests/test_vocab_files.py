"""``--vocab FILE``: any SKOS vocabulary (Turtle or RDF/XML), a UAT release in place of the shipped one,
clashes as warnings, and a clear error, with the previous outputs untouched, for a file that cannot be used."""

from __future__ import annotations

import json
import os
import re

import pytest
from click.testing import CliRunner
from rdflib import Literal, URIRef
from rdflib.namespace import DCTERMS, OWL, RDF, SKOS

from talkgraph import build
from talkgraph.cli import cli
from talkgraph.errors import VocabularyError
from talkgraph.namespaces import FILE_SCHEMES, TG, UAT, UAT_SCHEME
from talkgraph.vocab.keywords import Term
from talkgraph.vocab.skos import read_skos
from talkgraph.vocab.vocabulary import load_vocabulary

from conftest import HEADER, ROOT, needs_shared

PREFIXES = """@prefix skos: <http://www.w3.org/2004/02/skos/core#> .
@prefix owl: <http://www.w3.org/2002/07/owl#> .
@prefix dcterms: <http://purl.org/dc/terms/> .
@prefix uat: <http://astrothesaurus.org/uat/> .
@prefix ex: <http://example.org/transients/> .
"""
# A "newer UAT": the scheme every release declares, a concept the shipped release lacks (99999), one it has.
NEWER_UAT = PREFIXES + """
uat:1 a skos:ConceptScheme ; dcterms:title "The Unified Astronomy Thesaurus"@en ; owl:versionInfo "9.9.0" .
uat:99999 a skos:Concept ; skos:prefLabel "Quasi-periodic eruptions"@en ; skos:altLabel "QPEs"@en ;
    skos:broader uat:164 .
uat:164 a skos:Concept ; skos:prefLabel "Blazars"@en .
"""
# A foreign vocabulary: no scheme and no skos:inScheme, so its concepts go in a scheme named after the file.
TRANSIENTS = PREFIXES + """
ex:fbot a skos:Concept ; skos:prefLabel "fast blue optical transient"@en , "transitoire optique bleu rapide"@fr ;
    skos:altLabel "FBOT"@en .
ex:lfbot a skos:Concept ; skos:prefLabel "luminous fast blue optical transient"@en ; skos:altLabel "LFBOT"@en ;
    skos:broader ex:fbot .
"""
TRANSIENTS_XML = """<?xml version="1.0" encoding="UTF-8"?>
<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" xmlns:skos="http://www.w3.org/2004/02/skos/core#"
         xmlns:dcterms="http://purl.org/dc/terms/">
  <skos:ConceptScheme rdf:about="http://example.org/transients">
    <dcterms:title xml:lang="en">Transients</dcterms:title>
  </skos:ConceptScheme>
  <skos:Concept rdf:about="http://example.org/transients/fbot">
    <skos:prefLabel xml:lang="en">fast blue optical transient</skos:prefLabel>
    <skos:altLabel xml:lang="en">FBOT</skos:altLabel>
  </skos:Concept>
  <skos:Concept rdf:about="http://example.org/transients/lfbot">
    <skos:prefLabel xml:lang="en">luminous fast blue optical transient</skos:prefLabel>
    <skos:altLabel xml:lang="en">LFBOT</skos:altLabel>
    <skos:broader rdf:resource="http://example.org/transients/fbot"/>
  </skos:Concept>
</rdf:RDF>
"""
EX = "http://example.org/transients/"


@pytest.fixture
def vocab_file(tmp_path):
    def write(text: str | bytes, name: str):
        path = tmp_path / name
        path.write_bytes(text if isinstance(text, bytes) else text.encode("utf-8"))
        return path

    return write


@pytest.fixture
def table(write_table):
    return write_table([HEADER, ["Ada", "Lovelace", "Quasi-periodic eruptions and FBOTs found by machine learning",
                                 "Quasi-periodic eruptions; Blazars; FBOTs", "Random forests",
                                 "We classify LFBOTs and QPEs with random forests."]])


def talk(graph):
    return next(graph.subjects(RDF.type, TG.Talk))


# ---------------------------------------------------------------------------- a UAT release replaces the shipped one

def test_a_newer_uat_replaces_the_shipped_one(vocab_file, table):
    before = build(table).graph
    assert (talk(before), TG.declaresDomain, UAT["99999"]) not in before  # the shipped release lacks it
    result = build(table, vocabularies=[vocab_file(NEWER_UAT, "uat-9.9.ttl")])
    g = result.graph
    assert result.conforms
    assert {UAT["99999"], UAT["164"]} <= set(g.objects(talk(g), TG.declaresDomain))
    assert UAT["99999"] in set(g.objects(talk(g), TG.mentions))  # "QPEs" in the abstract: prose too
    assert g.value(UAT_SCHEME, OWL.versionInfo) == Literal("9.9.0")
    assert g.value(UAT["99999"], SKOS.prefLabel) == Literal("Quasi-periodic eruptions", lang="en")
    thesaurus = result.report["vocabularies"][0]
    assert (thesaurus["kind"], thesaurus["version"], thesaurus["concepts"]) == ("thesaurus", "9.9.0", 2)
    assert thesaurus["file"].endswith("uat-9.9.ttl")
    # our labels for UAT concepts the small release lacks are left out, with one warning, not an error
    assert any("not active in uat-9.9.ttl are left out" in w for w in result.report["warnings"])


def test_the_shipped_uat_is_reported_by_default(table):
    assert build(table).report["vocabularies"] == [{"file": "(shipped)", "kind": "thesaurus", "concepts": 2275,
                                                   "title": "The Unified Astronomy Thesaurus", "version": "5.1.0"}]


def test_the_uat_release_file_replaces_the_shipped_one_and_names_its_release():
    release = needs_shared("vocab", "UAT.rdf")
    vocab = load_vocabulary((release,))
    assert vocab.thesaurus.source == "UAT.rdf" and vocab.thesaurus.schemes[0].version == "5.1.0"  # the same concepts
    assert [c.iri for c in vocab.match(Term(("blazars",)), None).concepts] == [str(UAT["164"])]
    assert vocab.sources[0]["file"] == str(release) and vocab.warnings == []


def test_a_uat_release_whose_version_is_unstated_is_named_by_its_file(vocab_file):
    path = vocab_file(NEWER_UAT.replace(' ; owl:versionInfo "9.9.0"', ""), "UAT-next.ttl")
    version = load_vocabulary((path,)).thesaurus.schemes[0].version
    assert version.startswith("unstated; read from UAT-next.ttl, sha256 ")


def test_two_uat_releases_are_refused(vocab_file):
    first, second = vocab_file(NEWER_UAT, "a.ttl"), vocab_file(NEWER_UAT, "b.ttl")
    with pytest.raises(VocabularyError, match=r"b\.ttl: is a second release of the Unified Astronomy Thesaurus"):
        load_vocabulary((first, second))


# ---------------------------------------------------------------------------- any other SKOS file

@pytest.mark.parametrize("name, text, scheme", [
    ("transients.ttl", TRANSIENTS, FILE_SCHEMES + "transients"),  # no scheme: one named after the file
    ("transients.rdf", TRANSIENTS_XML, "http://example.org/transients"),  # the file's one scheme
])
def test_a_foreign_vocabulary_joins_in_its_own_scheme(vocab_file, table, tmp_path, name, text, scheme):
    result = build(table, vocabularies=[vocab_file(text, name)])
    g = result.graph
    assert result.conforms, result.validation_text
    assert (talk(g), TG.declaresKeyword, URIRef(EX + "fbot")) in g  # the keyword cell
    assert (talk(g), TG.mentions, URIRef(EX + "lfbot")) in g  # the abstract
    assert g.value(URIRef(EX + "lfbot"), SKOS.inScheme) == URIRef(scheme)
    assert (URIRef(scheme), RDF.type, SKOS.ConceptScheme) in g
    assert result.report["vocabularies"][1] == {"file": str(tmp_path / name), "kind": "concepts",
                                                "schemes": [scheme], "concepts": 2}


def test_foreign_schemes_come_after_the_built_in_ones_in_the_order_of_the_files(vocab_file):
    first = vocab_file(TRANSIENTS.replace("<http://example.org/transients/>", "<http://example.org/z/>"), "zeta.ttl")
    vocab = load_vocabulary((first, vocab_file(TRANSIENTS, "alpha.ttl")))
    assert vocab.scheme_names[-2:] == ["zeta", "alpha"]
    assert [c.iri for c in vocab.match(Term(("FBOT",)), None).concepts] == ["http://example.org/z/fbot"]


def test_a_foreign_scheme_named_like_one_of_ours_is_not_ours(vocab_file):
    text = TRANSIENTS.replace("ex:fbot a skos:Concept ;", "ex:fbot a skos:Concept ; skos:inScheme ex:method ;")
    vocab = load_vocabulary((vocab_file(text, "t.ttl"),))
    assert vocab.concepts[EX + "fbot"].scheme not in ("method", "domain", "software", "facility", "uat")


def test_a_file_of_labels_for_known_concepts_keeps_working(vocab_file):
    path = vocab_file(PREFIXES + '<https://w3id.org/talkgraph/vocab/method/convolutional-neural-network> '
                                 'skos:altLabel "convolutional thingy"@en .\n'
                                 'uat:164 skos:altLabel "BL Lac-ish things"@en .\n', "labels.ttl")
    vocab = load_vocabulary((path,))
    assert [c.pref_label for c in vocab.match(Term(("Convolutional thingies",)), "method").concepts] == [
        "convolutional neural network"]
    assert [c.iri for c in vocab.match(Term(("BL Lac-ish things",)), None).concepts] == [str(UAT["164"])]
    assert vocab.sources[1] == {"file": str(path), "kind": "labels", "schemes": [], "concepts": 2}


def test_the_docs_own_vocab_example_builds_the_same_graph_as_before(vocab_file, write_table):
    # docs/vocabularies.md's mine.ttl: a label for a method, and a new method in the method scheme
    path = vocab_file(PREFIXES + """@prefix method: <https://w3id.org/talkgraph/vocab/method/> .
method:convolutional-neural-network skos:altLabel "convolutional thingy"@en .
method:kolmogorov-arnold-network a skos:Concept ; skos:inScheme <https://w3id.org/talkgraph/vocab/method> ;
    skos:prefLabel "Kolmogorov-Arnold network"@en ; skos:altLabel "KAN"@en ;
    skos:broader method:artificial-neural-network .
""", "mine.ttl")
    table = write_table([HEADER, ["Ada", "Lovelace", "KANs for galaxies", "", "Convolutional thingies; KAN", ""]])
    g = build(table, vocabularies=[path]).graph
    methods = set(g.objects(talk(g), TG.declaresMethod))
    assert methods == {URIRef("https://w3id.org/talkgraph/vocab/method/convolutional-neural-network"),
                       URIRef("https://w3id.org/talkgraph/vocab/method/kolmogorov-arnold-network")}


# ---------------------------------------------------------------------------- clashes are warnings

def test_labels_shared_within_a_file_or_with_other_schemes_are_warnings(vocab_file, write_table):
    text = TRANSIENTS + """ex:rf a skos:Concept ; skos:prefLabel "random forest"@en .
ex:fbot2 a skos:Concept ; skos:prefLabel "FBOT"@en .
ex:a a skos:Concept ; skos:prefLabel "LFBOT-like"@en .
ex:b a skos:Concept ; skos:prefLabel "LFBOT-like"@en .
"""
    table = write_table([HEADER, ["Ada", "Lovelace", "T", "FBOT; LFBOT-like", "Random forest", ""]])
    result = build(table, vocabularies=[vocab_file(text, "clashing.ttl")])
    g, warnings = result.graph, result.report["warnings"]
    assert result.conforms
    # within the file's scheme: a prefLabel beats an altLabel (rule 3); two prefLabels name neither
    assert (talk(g), TG.declaresKeyword, URIRef(EX + "fbot2")) in g
    assert any("label 'fbot' names 2 concepts of the 'clashing' scheme" in w and "whose prefLabel it is" in w
               for w in warnings)
    assert any("label 'lfbot like' names 2 concepts" in w and "names neither" in w for w in warnings)
    # with the method scheme: rule 5 (method before the schemes of --vocab files), reported
    assert (talk(g), TG.declaresMethod, URIRef("https://w3id.org/talkgraph/vocab/method/random-forest")) in g
    assert any(f"<{EX}rf>" in w and "rule" in w for w in warnings)


def test_a_label_shared_with_another_scheme_is_reported_even_where_only_prose_meets_it(vocab_file, write_table):
    # a table with abstracts only: no keyword cell meets the clash, the load reports it all the same
    text = TRANSIENTS + 'ex:iforest a skos:Concept ; skos:prefLabel "isolation forest"@en .\n'
    table = write_table([HEADER, ["Ada", "Lovelace", "T", "", "", "We use an isolation forest."]])
    result = build(table, vocabularies=[vocab_file(text, "mine.ttl")])
    method = "https://w3id.org/talkgraph/vocab/method/isolation-forest"
    assert f"label 'isolation forest' names <{method}> and <{EX}iforest>: titles and abstracts link the first" in (
        " ".join(result.report["warnings"]))
    assert (talk(result.graph), TG.mentions, URIRef(method)) in result.graph


def test_the_arxiv_scheme_loads_as_a_vocab_file():
    vocab = load_vocabulary((ROOT / "ontology" / "arxiv.ttl",))  # cs.LG and stat.ML share "Machine Learning"
    assert any("'machine learning' names 2 concepts of the 'arxiv' scheme" in w and "names neither" in w
               for w in vocab.warnings)
    assert vocab.sources[1]["concepts"] == len(read_skos(ROOT / "ontology" / "arxiv.ttl").concepts) > 150


# ---------------------------------------------------------------------------- files that cannot be used

def snapshot(folder):
    """Every entry under ``folder``: a link's target, a file's bytes, a folder's name; links are not followed."""
    return {p.relative_to(folder): os.readlink(p) if p.is_symlink() else p.read_bytes() if p.is_file() else "folder"
            for p in folder.rglob("*")}


CONCEPT = '<http://example.org/a> a <http://www.w3.org/2004/02/skos/core#Concept> .\n'


@pytest.mark.parametrize("name, content, message", [
    ("missing.ttl", None, r"missing\.ttl: cannot read"),
    ("garbage.ttl", "this is not RDF at all", r"garbage\.ttl:1:\d+: not a valid Turtle file"),
    ("garbage.rdf", "<?xml version='1.0'?><rdf:RDF", r"garbage\.rdf.*not a valid RDF/XML file"),
    ("binary.ttl", b"\xff\xfe\x00\x01", r"binary\.ttl.*not a valid Turtle file"),
    ("plain.ttl", '<http://example.org/a> <http://example.org/p> "x" .\n',
     r"plain\.ttl: is not a SKOS vocabulary: it declares no skos:Concept"),
    ("strangers.ttl", '<http://example.org/a> <http://www.w3.org/2004/02/skos/core#altLabel> "x" .\n',
     r"strangers\.ttl: is not a SKOS vocabulary: it declares no skos:Concept and labels no concept"),
    ("unlabelled.ttl", CONCEPT, r"unlabelled\.ttl: 1 concept\(s\) without any label"),
    ("links.ttl", '<http://example.org/a> a <http://www.w3.org/2004/02/skos/core#Concept> ; '
                  '<http://www.w3.org/2004/02/skos/core#prefLabel> "thing" .\n'
                  '<https://w3id.org/talkgraph/id/talk/t> <https://w3id.org/talkgraph/ns#declaresMethod> <http://example.org/a> .\n',
     r"links\.ttl: is not only a vocabulary: it says <https://w3id.org/talkgraph/ns#declaresMethod> of "
     r"<https://w3id.org/talkgraph/id/talk/t>, which only a build says"),
])
def test_a_file_that_cannot_be_used_exits_2_and_leaves_the_previous_outputs(tmp_path, name, content, message):
    runner = CliRunner()
    out = tmp_path / "out"
    assert runner.invoke(cli, ["build", "--out", str(out), "-q"]).exit_code == 0
    before = snapshot(out)
    path = tmp_path / name
    if content is not None:
        path.write_bytes(content if isinstance(content, bytes) else content.encode("utf-8"))
    run = runner.invoke(cli, ["build", "--vocab", str(path), "--out", str(out), "-q"])
    assert run.exit_code == 2, run.output
    first, *rest = run.output.strip().splitlines()
    assert first.startswith("Error: ") and str(tmp_path) in first
    assert re.search(message, first), first
    assert any("--vocab takes a SKOS vocabulary in Turtle or RDF/XML" in line for line in rest)  # what to do
    assert "Traceback" not in run.output
    assert snapshot(out) == before


def test_the_report_lists_the_vocabularies(tmp_path, vocab_file, table):
    out = tmp_path / "out"
    run = CliRunner().invoke(cli, ["build", str(table), "--vocab", str(vocab_file(TRANSIENTS, "t.ttl")),
                                   "--out", str(out), "-q"])
    assert run.exit_code == 0, run.output
    report = json.loads((out / "report.json").read_text(encoding="utf-8"))
    assert [v["kind"] for v in report["vocabularies"]] == ["thesaurus", "concepts"]
