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
    assert len(cited_iris("uat")) >= 90 and len(cited_iris("aio")) >= 90
    for source in ("uat", "aio"):
        for iri, (label, uses) in cited_iris(source).items():
            assert label, f"{iri} is cited without the label it carries"


def test_cited_uat_iris_exist_are_current_and_labelled_as_stated():
    assert check_alignments(uat=needs_shared("vocab", "UAT.rdf")) == []


def test_cited_aio_iris_exist_are_current_and_labelled_as_stated():
    assert check_alignments(aio=needs_shared("vocab", "aio.owl")) == []


def test_the_checker_catches_a_wrong_label_a_deprecated_and_a_missing_iri(tmp_path):
    """On a copy of the cited part of UAT (from the shipped compile, which tests/test_skos.py checks
    against the release) with one label misspelt, one concept deprecated and one missing."""
    from talkgraph.vocab.compiled import shipped_uat

    concepts = shipped_uat().concepts
    uat = Graph()
    for iri in cited_iris("uat"):
        for label in concepts[iri].labels:
            uat.add((URIRef(iri), SKOS.prefLabel if label.kind == "pref" else SKOS.altLabel, Literal(label.text, lang="en")))
    radio, cosmology = URIRef("http://astrothesaurus.org/uat/1338"), URIRef("http://astrothesaurus.org/uat/343")
    assert not check_alignments(uat=_written(uat, tmp_path / "cited.rdf"))  # the copy itself passes
    uat.set((radio, SKOS.prefLabel, Literal("Radio astronomyy", lang="en")))
    uat.add((cosmology, URIRef("http://www.w3.org/2002/07/owl#deprecated"), Literal(True)))
    uat.remove((URIRef("http://astrothesaurus.org/uat/1851"), None, None))
    problems = "\n".join(check_alignments(uat=_written(uat, tmp_path / "UAT.rdf")))
    assert "uat/1338" in problems and "Radio astronomyy" in problems
    assert "uat/343" in problems and "deprecated" in problems
    assert "uat/1851" in problems and "does not exist" in problems


def _written(graph: Graph, path):
    graph.serialize(path, format="xml")
    return path


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


def _aligned_schemes() -> Graph:
    graph = Graph()
    for name in ("domains.ttl", "methods.ttl", "facilities.ttl", "software.ttl"):
        graph.parse(ontology_file(name))
    return graph


_ONE = (SKOS.exactMatch, SKOS.closeMatch)   # the properties that make two concepts one for linking (rule 1)
_VOCABULARIES = ("http://astrothesaurus.org/uat/", "https://w3id.org/aio/")


def test_no_concept_is_one_with_two_concepts_of_a_vocabulary():
    # exact/close to two UAT (or two AIO) concepts would make them one through ours
    graph, seen = _aligned_schemes(), {}
    for predicate in _ONE:
        for ours, theirs in graph.subject_objects(predicate):
            for namespace in _VOCABULARIES:
                if str(theirs).startswith(namespace):
                    seen.setdefault((ours, namespace), set()).add(theirs)
    assert {k: v for k, v in seen.items() if len(v) > 1} == {}


def test_no_uat_or_aio_concept_is_one_with_two_of_ours():
    # else rule 1 would have to pick between two of our concepts for one UAT concept
    graph, seen = _aligned_schemes(), {}
    for predicate in _ONE:
        for ours, theirs in graph.subject_objects(predicate):
            if str(theirs).startswith(_VOCABULARIES):
                seen.setdefault(theirs, set()).add(ours)
    assert {k: v for k, v in seen.items() if len(v) > 1} == {}


def test_broad_and_narrow_matches_say_more_than_the_hierarchy():
    # a broadMatch that a broader concept of ours already states as exact/close adds nothing (and
    # likewise a narrowMatch that a narrower concept of ours states): docs/vocabularies.md#alignments
    graph = _aligned_schemes()

    def closure(concept, step):
        found, todo = set(), [concept]
        while todo:
            for other in step(todo.pop()):
                if other not in found:
                    found.add(other)
                    todo.append(other)
        return found

    up = lambda c: closure(c, lambda x: graph.objects(x, SKOS.broader))
    down = lambda c: closure(c, lambda x: graph.subjects(SKOS.broader, x))
    redundant = [(ours, predicate, theirs)
                 for predicate, related in ((SKOS.broadMatch, up), (SKOS.narrowMatch, down))
                 for ours, theirs in graph.subject_objects(predicate)
                 if any((other, p, theirs) in graph for other in related(ours) for p in _ONE)]
    assert redundant == []


@pytest.mark.parametrize("ours, predicate, theirs", [
    # in a table of astronomy talks these ARE the astronomy-specific UAT concepts
    ("method/image-processing", SKOS.closeMatch, "uat/2306"),          # Astronomy image processing
    ("method/time-series-classification", SKOS.closeMatch, "uat/1954"),  # Light curve classification
    ("method/statistical-inference", SKOS.closeMatch, "uat/1882"),     # Astrostatistics
    ("software/software", SKOS.closeMatch, "uat/1855"),                # Astronomy software
    ("facility/data-archive", SKOS.closeMatch, "uat/83"),              # Astronomy databases
    # facilities are more than instrumentation (surveys, data sets, archives)
    ("facility/facility", SKOS.narrowMatch, "uat/799"),
])
def test_alignments_decided_by_meaning(ours, predicate, theirs):
    graph = _aligned_schemes()
    assert (URIRef("https://w3id.org/talkgraph/vocab/" + ours), predicate,
            URIRef("http://astrothesaurus.org/" + theirs)) in graph


@pytest.mark.parametrize("term, concept", [
    ("Bayes factor", "method/bayesian-model-comparison"),      # was UAT's "Bayes factor" by rule 3
    ("Astronomical databases", "facility/data-archive"),       # was UAT's "Astronomy databases" by rule 2
    ("light curve classification", "method/time-series-classification"),
])
@pytest.mark.parametrize("column", ["uat", "method", None])
def test_a_label_shared_with_a_close_uat_concept_names_ours_without_a_clash(term, concept, column):
    from talkgraph.vocab.keywords import split_cell
    from talkgraph.vocab.vocabulary import load_vocabulary

    (piece,) = split_cell(term)
    match = load_vocabulary().match(piece, column)
    assert [c.iri for c in match.concepts] == ["https://w3id.org/talkgraph/vocab/" + concept]
    assert match.clashes == ()


def test_the_docs_state_how_many_concepts_are_aligned_by_property():
    import re
    from pathlib import Path

    from rdflib.namespace import RDF

    page = (Path(__file__).parent.parent / "docs" / "vocabularies.md").read_text(encoding="utf-8")
    rows = re.findall(r"^\| (\w+) \((\d+)\) \| (UAT|AIO) \| (\d+) \| (\d+) \| (\d+) \| (\d+) \| (\d+) \| (\d+) \|$",
                      page, re.M)
    namespaces = {"UAT": "http://astrothesaurus.org/uat/", "AIO": "https://w3id.org/aio/"}
    predicates = (SKOS.exactMatch, SKOS.closeMatch, SKOS.broadMatch, SKOS.narrowMatch, SKOS.relatedMatch)
    assert len(rows) >= 4
    for scheme, size, source, *stated in rows:
        graph = Graph().parse(ontology_file(f"{scheme}.ttl"))
        concepts = set(graph.subjects(RDF.type, SKOS.Concept))
        uses = [{c for c, o in graph.subject_objects(p) if c in concepts and str(o).startswith(namespaces[source])}
                for p in predicates]
        assert [int(size), *map(int, stated)] == [len(concepts), *map(len, uses), len(set().union(*uses))], \
            f"docs/vocabularies.md: the {scheme} row for {source}"
