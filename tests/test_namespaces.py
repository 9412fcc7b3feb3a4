"""The closed Python namespace TG matches the terms declared in ontology/talkgraph.ttl."""

from __future__ import annotations

import pytest
from rdflib import Graph
from rdflib.namespace import OWL, RDF, RDFS

from talkgraph.namespaces import MINTED, OA, TG, data_prefixes, mention_iri, mint
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


def test_oa_is_closed_too():
    assert str(OA.hasBody) == "http://www.w3.org/ns/oa#hasBody"
    with pytest.raises(AttributeError):
        OA.hasBodies  # noqa: B018


def test_every_iri_a_build_makes_is_minted_in_one_place(real_build):
    """Each IRI under the base IRI is ``mint(base, kind, slug)`` of a known kind, or a mention's
    annotation (``mention_iri``) and its parts; the data's prefixes are those kinds."""
    base = real_build.report["build"]["base_iri"]
    iris = {t.subject.value for t in real_build.store} | {t.object.value for t in real_build.store
                                                          if type(t.object).__name__ == "NamedNode"}
    mentions = {(t.subject.value, t.object.value) for t in real_build.store
                if t.predicate.value == str(TG.mentions)}
    annotations = {mention_iri(talk, concept) + part for talk, concept in mentions
                   for part in ("", "-target", "-position", "-quote")}
    minted = {iri for iri in iris if iri.startswith(base)}
    assert {iri.split("#")[0][len(base):].split("/")[0] for iri in minted} <= set(MINTED)
    assert {iri for iri in minted if "#" in iri} == annotations
    for iri in minted - annotations:
        kind, local = iri[len(base):].split("/", 1)
        assert mint(base, kind, local) == iri
    assert [name for name in data_prefixes(base) if name in MINTED] == list(MINTED)
    with pytest.raises(ValueError, match="known: talk, person"):
        mint(base, "speaker", "ada")
