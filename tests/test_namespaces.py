"""The closed Python namespace TG matches the terms declared in ontology/talkgraph.ttl."""

from __future__ import annotations

import pytest
from rdflib import Graph
from rdflib.namespace import OWL, RDF, RDFS

from talkgraph.namespaces import TG
from talkgraph.resources import ontology_file


def test_tg_lists_exactly_the_declared_terms():
    g = Graph().parse(ontology_file("talkgraph.ttl"))
    declared = {str(s)[len(str(TG._NS)):] for kind in (OWL.Class, OWL.ObjectProperty, OWL.DatatypeProperty, OWL.AnnotationProperty)
                for s in g.subjects(RDF.type, kind) if str(s).startswith(str(TG._NS))}
    assert declared == set(TG.__annotations__)


def test_every_declared_term_has_a_label_and_a_comment():
    g = Graph().parse(ontology_file("talkgraph.ttl"))
    for name in TG.__annotations__:
        assert g.value(TG[name], RDFS.label) is not None, name
        assert g.value(TG[name], RDFS.comment) is not None, name


def test_a_typo_raises_instead_of_minting_an_iri():
    with pytest.raises(AttributeError):
        TG.speeker  # noqa: B018
