"""Both validation engines agree, on the real graph and on a manifest of broken graphs."""

from __future__ import annotations

import pytest
from rdflib import BNode, Graph, Literal, Namespace, URIRef
from rdflib.namespace import DCTERMS, PROV, RDF, SKOS

from talkgraph.namespaces import SCHEMA, TG

from conftest import ROOT
from talkgraph.model.validate import validate

ID = "https://w3id.org/talkgraph/id/"
SPINDLER_TALK = URIRef(ID + "talk/unsupervised-classification-for-galaxy-morphology-where-do-computers-go-wrong")
SPINDLER = URIRef(ID + "person/ashley-spindler")
METHOD = URIRef("https://w3id.org/talkgraph/vocab/method/u-net")
OA = Namespace("http://www.w3.org/ns/oa#")
MENTION = URIRef(str(SPINDLER_TALK) + "#mention-facility-sdss")
MENTION_TARGET, MENTION_POSITION, MENTION_QUOTE = (URIRef(f"{MENTION}-{part}") for part in ("target", "position", "quote"))


def keys(violations):
    """Comparable form of violations; blank-node labels differ between stores, so they are blanked."""
    def label(text):  # an IRI, a literal ('"...'), empty, or else a blank node
        return text if not text or text.startswith(("http://", "https://", '"')) else "_:b"
    return {(label(v.focus), v.path, v.component, label(v.value)) for v in violations}


# name → (mutation of the real graph, expected (focus, component) among the violations). A mutation of
# several steps puts them in a tuple: rdflib's add() and set() return the graph, so chaining them with
# `or` would run only the first.
MANIFEST = {
    "talk without title": (lambda g: g.remove((SPINDLER_TALK, DCTERMS.title, None)),
                           (SPINDLER_TALK, "MinCountConstraintComponent")),
    "talk with two titles": (lambda g: g.add((SPINDLER_TALK, DCTERMS.title, Literal("Another"))),
                             (SPINDLER_TALK, "MaxCountConstraintComponent")),
    "empty title": (lambda g: g.set((SPINDLER_TALK, DCTERMS.title, Literal(""))),
                    (SPINDLER_TALK, "MinLengthConstraintComponent")),
    "title with a language tag": (lambda g: g.set((SPINDLER_TALK, DCTERMS.title, Literal("T", lang="en"))),
                                  (SPINDLER_TALK, "DatatypeConstraintComponent")),
    "speaker is a literal": (lambda g: g.set((SPINDLER_TALK, TG.speaker, Literal("Ashley"))),
                             (SPINDLER_TALK, "ClassConstraintComponent")),
    # The lookup checks test every value of the predicate, not only the talks' (validate.py): a bad
    # value shared with a subject that is not a talk is reported for the talk alone.
    "speaker is a literal, also off a talk": (lambda g: (g.set((SPINDLER_TALK, TG.speaker, Literal("Ashley"))),
                                                        g.add((SPINDLER, TG.speaker, Literal("Ashley"))),
                                                        g.add((METHOD, TG.mentions, URIRef(ID + "person/nobody")))),
                                             (SPINDLER_TALK, "ClassConstraintComponent")),
    "domain that is a method": (lambda g: g.add((SPINDLER_TALK, TG.declaresDomain, METHOD)),
                                (SPINDLER_TALK, "NodeConstraintComponent")),
    "line zero": (lambda g: g.set((SPINDLER_TALK, TG.sourceLine, Literal(0))),
                  (SPINDLER_TALK, "MinInclusiveConstraintComponent")),
    "line as text": (lambda g: g.set((SPINDLER_TALK, TG.sourceLine, Literal("4"))),
                     (SPINDLER_TALK, "DatatypeConstraintComponent")),
    "link that is a literal": (lambda g: g.add((SPINDLER_TALK, TG.link, Literal("http://x.org"))),
                               (SPINDLER_TALK, "NodeKindConstraintComponent")),
    "blank-node talk": (lambda g: g.add((BNode("b0"), RDF.type, TG.Talk)), (None, "NodeKindConstraintComponent")),
    "person with no talk": (lambda g: (g.add((URIRef(ID + "person/x"), RDF.type, SCHEMA.Person)),
                                       g.add((URIRef(ID + "person/x"), SCHEMA.name, Literal("X")))),
                            (ID + "person/x", "MinCountConstraintComponent")),
    "person with two names": (lambda g: g.add((SPINDLER, SCHEMA.name, Literal("A. Spindler"))),
                              (SPINDLER, "MaxCountConstraintComponent")),
    "concept without label": (lambda g: g.remove((METHOD, SKOS.prefLabel, None)),
                              (str(METHOD), "MinCountConstraintComponent")),
    "bad digest": (lambda g: g.set((g.value(SPINDLER_TALK, PROV.wasDerivedFrom), TG.sha256, Literal("abc"))),
                   (None, "PatternConstraintComponent")),
    "meeting date as text": (lambda g: g.add((g.value(SPINDLER_TALK, SCHEMA.superEvent), SCHEMA.startDate,
                                              Literal("June"))), (None, "DatatypeConstraintComponent")),
    "build without time": (lambda g: g.remove((g.value(SPINDLER_TALK, PROV.wasGeneratedBy), PROV.startedAtTime, None)),
                           (None, "MinCountConstraintComponent")),
    # Mention evidence (W3C Web Annotation)
    "mention of a candidate": (lambda g: (g.add((SPINDLER_TALK, TG.mentions, URIRef(ID + "candidate/x"))),
                                          g.add((URIRef(ID + "candidate/x"), RDF.type, SKOS.Concept)),
                                          g.add((URIRef(ID + "candidate/x"), SKOS.prefLabel, Literal("x"))),
                                          g.add((URIRef(ID + "candidate/x"), SKOS.inScheme,
                                                 URIRef("https://w3id.org/talkgraph/vocab/candidate")))),
                               (SPINDLER_TALK, "NodeConstraintComponent")),
    "annotation with two bodies": (lambda g: g.add((MENTION, OA.hasBody, METHOD)),
                                   (MENTION, "MaxCountConstraintComponent")),
    "target in an unknown field": (lambda g: g.set((MENTION_TARGET, TG.inField, DCTERMS.description)),
                                   (MENTION_TARGET, "InConstraintComponent")),
    "target without a quote": (lambda g: g.remove((MENTION_TARGET, OA.hasSelector, MENTION_QUOTE)),
                               (MENTION_TARGET, "HasValueConstraintComponent")),
    "offsets the wrong way round": (lambda g: g.set((MENTION_POSITION, OA.start, Literal(9999))),
                                    (MENTION_POSITION, "LessThanConstraintComponent")),
    "negative offset": (lambda g: g.set((MENTION_POSITION, OA.start, Literal(-1))),
                        (MENTION_POSITION, "MinInclusiveConstraintComponent")),
    "empty quote": (lambda g: g.set((MENTION_QUOTE, OA.exact, Literal(""))),
                    (MENTION_QUOTE, "MinLengthConstraintComponent")),
}


@pytest.fixture(scope="module")
def real_graph(real_build):
    g = Graph()
    g.parse(data=real_build.ntriples.decode("utf-8"), format="nt")
    return g


@pytest.fixture(scope="module")
def talks_graph(tmp_path_factory):
    """The graph of a real build of one talk, Ashley Spindler's row of the real table, with the concepts it
    links (what the manifest breaks is all there: the talk, its speaker, its links, its mentions, the
    meeting and the build), so that pySHACL checks each case in a fraction of the whole graph's time."""
    from talkgraph import build

    lines = (ROOT / "data" / "talks.tsv").read_text(encoding="utf-8").splitlines()
    header = next(line for line in lines if line.startswith("First Name"))
    table = tmp_path_factory.mktemp("one-talk") / "talks.tsv"
    table.write_text(header + "\n" + next(line for line in lines if line.startswith("Ashley\tSpindler")) + "\n",
                     encoding="utf-8")
    whole = Graph()
    whole.parse(data=build(table).ntriples.decode("utf-8"), format="nt")
    # and of the vocabularies, the concepts the talk links, those above them, and METHOD
    concepts = set(whole.subjects(RDF.type, SKOS.Concept))
    kept = {o for s, o in whole.subject_objects() if s not in concepts and o in concepts} | {METHOD}
    todo = list(kept)
    while todo:
        for above in whole.objects(todo.pop(), SKOS.broader):
            if above not in kept:
                kept.add(above)
                todo.append(above)
    g = Graph()
    for triple in whole:
        if triple[0] not in concepts or triple[0] in kept:
            g.add(triple)
    assert (SPINDLER_TALK, TG.speaker, SPINDLER) in g and (MENTION, RDF.type, None) in g and (METHOD, None, None) in g
    assert validate(g, engine="sparql")[0]
    return g


def test_real_graph_conforms_in_both_engines(real_graph):
    for engine in ("sparql", "pyshacl"):
        conforms, violations, text = validate(real_graph, engine=engine)
        assert (conforms, violations, text) == (True, [], "conforms"), engine


@pytest.mark.slow  # pySHACL on one real talk's graph for each case
@pytest.mark.parametrize("name", MANIFEST)
def test_broken_graphs_fail_alike_in_both_engines(talks_graph, name):
    mutate, (focus, component) = MANIFEST[name]
    g = Graph()
    for triple in talks_graph:
        g.add(triple)
    mutate(g)
    fast = validate(g, engine="sparql")
    reference = validate(g, engine="pyshacl")
    assert fast[0] is False and reference[0] is False
    assert keys(fast[1]) == keys(reference[1])
    assert any(v.component == component and (focus is None or v.focus == str(focus)) for v in fast[1]), fast[2]


def test_a_talk_of_two_talk_classes_is_counted_once(talks_graph):
    g = Graph()
    for triple in talks_graph:
        g.add(triple)
    keynote = URIRef("http://example.org/Keynote")
    g.add((keynote, URIRef("http://www.w3.org/2000/01/rdf-schema#subClassOf"), TG.Talk))
    g.add((SPINDLER_TALK, RDF.type, keynote))
    for engine in ("sparql", "pyshacl"):
        assert validate(g, engine=engine) == (True, [], "conforms"), engine
    g.add((SPINDLER_TALK, DCTERMS.title, Literal("Another")))
    assert keys(validate(g)[1]) == {(str(SPINDLER_TALK), f"<{DCTERMS.title}>", "MaxCountConstraintComponent", "")}


def test_counts_are_of_focus_nodes_only(real_graph):
    # "At most one title" is checked by a self-join over the predicate: a subject that is not a talk
    # may have two titles, and a talk without any is found among the talks alone.
    g = Graph()
    for triple in real_graph:
        g.add(triple)
    g.add((SPINDLER, DCTERMS.title, Literal("Dr")))
    g.add((SPINDLER, DCTERMS.title, Literal("Prof")))
    for engine in ("sparql", "pyshacl"):
        assert validate(g, engine=engine) == (True, [], "conforms"), engine


def test_report_is_readable(real_graph):
    g = Graph()
    for triple in real_graph:
        g.add(triple)
    g.remove((SPINDLER_TALK, DCTERMS.title, None))
    conforms, violations, text = validate(g)
    assert text.splitlines() == [f"- <{SPINDLER_TALK}> <{DCTERMS.title}> [MinCountConstraintComponent] "
                                 "A talk has exactly one non-empty plain-text title."]


def test_unknown_constructs_fall_back_to_pyshacl(monkeypatch, real_graph):
    import talkgraph.model.validate as module

    def unsupported():
        raise module.UnsupportedShape("sh:sparql")

    monkeypatch.setattr(module, "_bundled_checks", unsupported)
    assert validate(real_graph)[0] is True


def test_a_built_graph_is_validated_on_its_own_store_and_any_rdflib_graph_through_public_apis(real_build):
    """The build's rdflib view hands validation its Oxigraph store (no copy, no private attribute);
    a graph in a plain oxrdflib store, or in rdflib's memory, is read through rdflib's API, with the
    same answer."""
    import pyoxigraph as ox
    from oxrdflib import OxigraphStore
    from rdflib import Graph

    from talkgraph.model.rdf import oxigraph_of
    from talkgraph.model.validate import _as_store

    assert _as_store(real_build.graph) is real_build.store is oxigraph_of(real_build.graph)
    plain = Graph(store=OxigraphStore(store=ox.Store()))
    plain.parse(data=real_build.ntriples.decode(), format="nt")
    in_memory = Graph().parse(data=real_build.ntriples.decode(), format="nt")
    for graph in (plain, in_memory):
        assert oxigraph_of(graph) is None
        assert validate(graph) == (True, [], "conforms")
