"""Every UAT/AIO IRI the vocabularies cite exists, is current and carries the stated label."""

from __future__ import annotations

import pytest
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import SKOS

from talkgraph.vocab.alignments import check_alignments, cited_iris
from talkgraph.resources import ontology_file

from conftest import needs_shared


def test_vocabularies_cite_uat_and_aio_with_labels():
    # (the domain concepts UAT has are UAT's own concepts now: only what UAT lacks cites it)
    assert len(cited_iris("uat")) >= 60 and len(cited_iris("aio")) >= 40
    for source in ("uat", "aio"):
        for iri, (label, uses) in cited_iris(source).items():
            assert label, f"{iri} is cited without the label it carries"


def test_cited_uat_iris_exist_are_current_and_labelled_as_stated():
    assert check_alignments(uat=needs_shared("vocab", "UAT.rdf")) == []


def test_cited_aio_iris_exist_are_current_and_labelled_as_stated():
    assert check_alignments(aio=needs_shared("vocab", "aio.owl")) == []


@pytest.mark.slow
def test_the_checker_catches_a_wrong_label_a_deprecated_and_a_missing_iri(tmp_path):
    uat = Graph().parse(needs_shared("vocab", "UAT.rdf"))
    radio, cosmology = URIRef("http://astrothesaurus.org/uat/1338"), URIRef("http://astrothesaurus.org/uat/343")
    uat.set((radio, SKOS.prefLabel, Literal("Radio astronomyy", lang="en")))
    uat.add((cosmology, URIRef("http://www.w3.org/2002/07/owl#deprecated"), Literal(True)))
    uat.remove((URIRef("http://astrothesaurus.org/uat/1851"), None, None))
    copy = tmp_path / "UAT.rdf"
    uat.serialize(copy, format="xml")
    problems = "\n".join(check_alignments(uat=copy))
    assert "uat/1338" in problems and "Radio astronomyy" in problems
    assert "uat/343" in problems and "deprecated" in problems
    assert "uat/1851" in problems and "does not exist" in problems


def test_deep_learning_is_not_an_exact_match_of_uat_cnn():
    # UAT lists "Deep learning" only as an altLabel of "Convolutional neural networks" (uat:1938)
    methods = Graph().parse(ontology_file("methods.ttl"))
    deep = URIRef("https://w3id.org/talkgraph/vocab/method/deep-learning")
    cnn_uat = URIRef("http://astrothesaurus.org/uat/1938")
    assert (deep, SKOS.exactMatch, cnn_uat) not in methods
    assert (deep, SKOS.relatedMatch, cnn_uat) in methods


@pytest.mark.parametrize("name", ["domains.ttl", "methods.ttl"])
def test_mapping_predicates_are_skos_mapping_relations(name):
    g = Graph().parse(ontology_file(name))
    external = [o for _, p, o in g if str(o).startswith(("http://astrothesaurus.org/", "https://w3id.org/aio/"))
                and p != URIRef("http://www.w3.org/2000/01/rdf-schema#isDefinedBy")]
    predicates = {p for s, p, o in g if o in external}
    assert predicates <= {SKOS.exactMatch, SKOS.closeMatch, SKOS.broadMatch, SKOS.narrowMatch, SKOS.relatedMatch}
