"""Astronomical objects named by designation: the rules of designations.json, the mentions they make, the graph."""

from __future__ import annotations

import pytest
from click.testing import CliRunner
from rdflib import Literal, URIRef
from rdflib.namespace import RDF, SKOS

from talkgraph import build
from talkgraph.cli import cli
from talkgraph.link.mentions import MentionExtractor
from talkgraph.link.objects import _data, catalogues, find_objects, label_of, object_iri, object_label
from talkgraph.namespaces import OBJECT_SCHEME
from talkgraph.tables.latex import reading

from conftest import HEADER

TG_MENTIONS = URIRef("https://w3id.org/talkgraph/ns#mentions")


def _read(text: str) -> str:
    """The text as the extractor reads it (LaTeX as a reader would)."""
    read = reading(text)
    return read.text if read else text


EXAMPLES = [(c.name, text, label) for c in catalogues() for text, label in c.examples]
NOT_EXAMPLES = [(c.name, text) for c in catalogues() for text in c.not_examples]


@pytest.mark.parametrize("catalogue, text, label", EXAMPLES, ids=[f"{c}: {t}" for c, t, _ in EXAMPLES])
def test_every_example_of_the_rules_is_found_with_its_label(catalogue, text, label):
    assert label in [found for *_, found in find_objects(_read(text))]


@pytest.mark.parametrize("catalogue, text", NOT_EXAMPLES, ids=[f"{c}: {t}" for c, t in NOT_EXAMPLES])
def test_no_counterexample_of_the_rules_names_an_object(catalogue, text):
    assert find_objects(_read(text)) == []


def test_every_catalogue_has_examples_and_counterexamples_and_the_constellations_are_the_iaus_88():
    assert all(c.examples and c.not_examples for c in catalogues())
    constellations = _data()["constellations"]
    assert len(constellations) == 88 == len({abbreviation for abbreviation, _, _ in constellations})
    assert set(_data()["variable_stars"]["english_abbreviations"]) <= {a for a, _, _ in constellations}


@pytest.mark.parametrize("label", sorted({label for _, _, label in EXAMPLES}))
def test_an_objects_iri_gives_back_its_label(label):
    iri = object_iri(label)
    assert iri.startswith(str(OBJECT_SCHEME) + "/") and " " not in iri
    assert object_label(iri) == label
    assert URIRef(iri).n3().startswith("<")  # a valid IRI for N-Triples


def test_spellings_of_one_object_give_one_iri():
    assert {object_iri(label_of(text)) for text in ("NGC1977", "NGC 1977")} == {object_iri("NGC 1977")}
    assert label_of("M 87") == label_of("M87") == "M87"
    assert label_of(r"$\omega$ Centauri") == label_of("Omega Centauri") == label_of("ω Cen") == "Omega Centauri"
    assert label_of("PSR J0437−4715") == "PSR J0437-4715"  # a typographic minus
    assert label_of("not an object") is None and object_label("https://example.org/x") is None


@pytest.fixture(scope="module")
def extractor():
    return MentionExtractor.default()


def test_a_designation_is_a_mention_and_replaces_the_concepts_inside_it(extractor):
    found = extractor.extract("Lensing of SDSS J1004+4112",
                              "Deep learning on the kilonova AT2017gfo of GW170817, and on SDSS images of NGC1977.")
    objects = [(m.field, m.text, object_label(m.concept), m.how) for m in found if object_label(m.concept)]
    assert objects == [("title", "SDSS J1004+4112", "SDSS J1004+4112", "designation"),
                       ("abstract", "AT2017gfo", "AT 2017gfo", "designation"),
                       ("abstract", "GW170817", "GW170817", "designation"),
                       ("abstract", "NGC1977", "NGC 1977", "designation")]
    sdss = [m for m in found if m.concept.endswith("/sdss")]
    assert [m.field for m in sdss] == ["abstract"]  # "SDSS images", not the SDSS of the designation


def test_a_concept_whose_label_is_the_designation_is_linked_not_the_object(extractor):
    # UAT's Andromeda Galaxy has the labels "M31" and "NGC 224": the thesaurus's IRI, not a new one
    found = extractor.extract("", "Stellar populations of NGC 224, also known as M31, and of NGC 1977.")
    assert [m.concept.rsplit("/", 1)[1] for m in found if m.text in ("NGC 224", "M31", "NGC 1977")] == \
        ["39", "39", "NGC_1977"]


def test_any_spelling_of_a_designation_that_a_concept_has_links_the_concept(extractor):
    # "M 31" and "Messier 31" are M31, a label of UAT's Andromeda Galaxy; "Abell1656" is the Coma Cluster's
    found = extractor.extract("", "The halo of M 31 and of Messier 31; the Coma cluster, Abell1656; and M 87.")
    assert [(m.text, m.concept.rsplit("/", 1)[1]) for m in found if m.text in ("M 31", "Messier 31", "Abell1656",
                                                                               "M 87")] == \
        [("M 31", "39"), ("Messier 31", "39"), ("Abell1656", "270"), ("M 87", "M87")]


def test_a_designation_in_a_keyword_cell_that_a_concept_has_links_the_concept():
    from talkgraph.link.cells import KeywordLinker
    from talkgraph.tables.records import Record
    from talkgraph.vocab.vocabulary import load_vocabulary

    linker = KeywordLinker(load_vocabulary(), "https://example.org/")
    record = Record(path="t.tsv", line=2, title="A talk", given_name="Ada", family_name="Lovelace", abstract="",
                    links=[], domains_text="M 31; NGC1977; GW 170817", methods_text="")
    assert sorted(link.iri.rsplit("/", 1)[1] for link in linker.link(record)) == ["39", "GW170817", "NGC_1977"]


def test_designations_written_in_latex_or_typographic_signs(extractor):
    for abstract, label in [(r"The pulsar PSR J0437$-$4715 is timed.", "PSR J0437-4715"),
                            ("The pulsar PSR J0437\u22124715 is timed.", "PSR J0437-4715"),
                            (r"Imaging Sgr A$^*$ with the EHT.", "Sgr A*"), ("Imaging Sgr A\u2217.", "Sgr A*"),
                            (r"The reflection nebula NGC~1977.", "NGC 1977"), ("The hot Jupiter HD 189733b.", "HD 189733 b")]:
        found = [m for m in extractor.extract("", abstract) if object_label(m.concept)]
        assert [object_label(m.concept) for m in found] == [label], abstract
        assert all(abstract[m.start:m.end] == m.text for m in found)


def test_a_designation_in_latex_keeps_the_offsets_of_the_text_as_written(extractor):
    abstract = r"Stars of $\omega$ Centauri and of 51 Pegasi b."
    objects = [m for m in extractor.extract("", abstract) if object_label(m.concept)]
    assert [(abstract[m.start:m.end], m.text, object_label(m.concept)) for m in objects] == [
        (r"$\omega$ Centauri", r"$\omega$ Centauri", "Omega Centauri"), ("51 Pegasi b", "51 Pegasi b", "51 Pegasi b")]


def test_classes_named_after_a_star_are_not_the_star(extractor):
    text = r"We find 377 $\delta$ Scuti pulsators, RR Lyr stars and M5 dwarfs among the M 87 fields."
    assert [object_label(m.concept) for m in extractor.extract("", text) if object_label(m.concept)] == ["M87"]


def test_a_build_describes_the_objects_its_talks_mention_and_queries_find_them(tmp_path):
    table = tmp_path / "talks.tsv"
    rows = [HEADER,
            ["Ada", "Lovelace", "Kilonova light curves with neural networks", "Transients", "Deep learning",
             "We model the kilonova AT 2017gfo that followed GW170817 with a neural network."],
            ["Grace", "Hopper", "A catalogue of galaxies", "Galaxies", "Random forests",
             "Random forests classify the galaxies around NGC 1275 and NGC1275's neighbours."]]
    table.write_text("".join("\t".join(row) + "\n" for row in rows), encoding="utf-8")
    result = build(table)
    assert result.conforms
    graph = result.graph
    gw = URIRef(object_iri("GW170817"))
    assert (gw, RDF.type, SKOS.Concept) in graph
    assert (gw, SKOS.prefLabel, Literal("GW170817")) in graph
    assert (gw, SKOS.inScheme, URIRef(str(OBJECT_SCHEME))) in graph
    scheme_label = Literal("Astronomical objects named in talks", lang="en")
    assert (URIRef(str(OBJECT_SCHEME)), SKOS.prefLabel, scheme_label) in graph
    mentioned = {object_label(str(o)) for o in graph.objects(None, TG_MENTIONS) if object_label(str(o))}
    assert mentioned == {"AT 2017gfo", "GW170817", "NGC 1275"}

    # a designation in a keyword cell is the object too
    table2 = tmp_path / "declared.tsv"
    rows2 = [HEADER, ["Alan", "Turing", "The first neutron-star merger", "GW170817; kilonovae", "Bayesian inference",
                      "We revisit the event."]]
    table2.write_text("".join("\t".join(row) + "\n" for row in rows2), encoding="utf-8")
    declared = build(table2)
    assert declared.conforms
    assert (None, URIRef("https://w3id.org/talkgraph/ns#declaresKeyword"), gw) in declared.graph
    assert (gw, SKOS.prefLabel, Literal("GW170817")) in declared.graph
    assert not any("candidate" in str(o) and "gw170817" in str(o).lower() for o in declared.graph.objects())

    out = tmp_path / "out"
    assert CliRunner().invoke(cli, ["build", str(table), "--out", str(out)]).exit_code == 0
    for spelling in ("GW170817", "GW 170817", "AT2017gfo"):  # any spelling of the designation names the object
        run = CliRunner().invoke(cli, ["query", "talks-mentioning", "-p", f"concept={spelling}", "--store", str(out)])
        assert run.exit_code == 0, run.output
        assert "Kilonova light curves with neural networks" in run.output and "A catalogue of galaxies" not in run.output
