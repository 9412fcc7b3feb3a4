"""The statistics in the graph, a W3C RDF Data Cube: well-formed, and counting what the links say.

The integrity constraints are the SPARQL ASK queries of the recommendation
(https://www.w3.org/TR/vocab-data-cube/#wf-rules), one file each under
tests/data/qb-integrity/; an ASK that answers true is a violation. IC-20 and IC-21 are
templates for each qb:HierarchicalCodeList's qb:parentChildProperty: the cube has none
(checked below), so they have nothing to check.
"""

from __future__ import annotations

import io
import sys
from pathlib import Path

import pytest

from talkgraph import build
from talkgraph import engine as ox
from talkgraph.namespaces import SPARQL_PREFIXES

from conftest import REAL_TABLE

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "benchmarks"))

from synth import generate  # noqa: E402

CONSTRAINTS = sorted((Path(__file__).parent / "data" / "qb-integrity").glob("ic-*.rq"))

#: Each table of the cube, as a plain GROUP BY over the talks' links would count it.
GROUP_BY = {
    "domain-method": """
        SELECT ?a ?b (COUNT(DISTINCT ?talk) AS ?n) WHERE {
          ?talk tg:declaresDomain ?a .
          ?a skos:inScheme ?in . VALUES ?in { <https://w3id.org/talkgraph/vocab/domain> <http://astrothesaurus.org/uat/1> }
          ?talk tg:declaresMethod|tg:mentions ?b . ?b skos:inScheme <https://w3id.org/talkgraph/vocab/method> .
        } GROUP BY ?a ?b""",
    "method-cooccurrence": """
        SELECT ?a ?b (COUNT(DISTINCT ?talk) AS ?n) WHERE {
          ?talk tg:declaresMethod|tg:mentions ?a . ?a skos:inScheme <https://w3id.org/talkgraph/vocab/method> .
          ?talk tg:declaresMethod|tg:mentions ?b . ?b skos:inScheme <https://w3id.org/talkgraph/vocab/method> .
          FILTER(STR(?a) < STR(?b))
        } GROUP BY ?a ?b""",
    "concept-talks": """
        SELECT ?a ?b (COUNT(DISTINCT ?talk) AS ?n) WHERE {
          { ?p rdfs:subPropertyOf* tg:declaresKeyword . ?talk a tg:Talk ; ?p ?a . BIND(tg:declaresKeyword AS ?b) }
          UNION { ?talk tg:mentions ?a . BIND(tg:mentions AS ?b) }
        } GROUP BY ?a ?b""",
    "speaker-talks": "SELECT ?a (COUNT(DISTINCT ?talk) AS ?n) WHERE { ?talk tg:speaker ?a } GROUP BY ?a",
    "area-method": """
        SELECT ?a ?b (COUNT(DISTINCT ?talk) AS ?n) WHERE {
          ?talk tg:declaresDomain|tg:mentions ?area . ?area (skos:broader|skos:broadMatch)* ?a . ?a a skos:Concept ;
            skos:inScheme ?in . VALUES ?in { <https://w3id.org/talkgraph/vocab/domain> <http://astrothesaurus.org/uat/1> }
          ?talk tg:declaresMethod|tg:mentions ?b . ?b skos:inScheme <https://w3id.org/talkgraph/vocab/method> .
        } GROUP BY ?a ?b""",
    "concept-linked-talks": """
        SELECT ?a (COUNT(DISTINCT ?talk) AS ?n) WHERE {
          ?talk tg:declaresDomain|tg:declaresMethod|tg:declaresSoftware|tg:declaresKeyword|tg:mentions ?a
        } GROUP BY ?a""",
}
CUBE = """
    SELECT ?a ?b ?n WHERE {
      ?set rdfs:label ?label ; qb:structure ?structure .
      FILTER(STRENDS(STR(?set), "/cube/%s"))
      ?obs qb:dataSet ?set ; tg:talkCount ?n .
      ?structure qb:component [ qb:dimension ?first ; qb:order 1 ] .
      ?obs ?first ?a .
      OPTIONAL { ?structure qb:component [ qb:dimension ?second ; qb:order 2 ] . ?obs ?second ?b }
    }"""


def _synthetic(tmp_path: Path, profile: str, n: int = 30) -> Path:
    """A small synthetic table: IC-12 compares every pair of observations of a data set, and 30
    talks of the zipf profile already make a thousand observations."""
    stream = io.StringIO()
    generate(n, seed=3, out=stream, profile=profile)
    path = tmp_path / f"{profile}.tsv"
    path.write_text(stream.getvalue(), encoding="utf-8")
    return path


def _violations(store: ox.Store, names: tuple[str, ...] = ()) -> list[str]:
    """The constraints (all, or those ``names``) that ``store`` violates."""
    return [path.stem for path in CONSTRAINTS
            if (not names or path.stem in names) and store.query(path.read_text(encoding="utf-8"))]


def _cells(store: ox.Store, query: str) -> dict[tuple, int]:
    rows = store.query(SPARQL_PREFIXES + query)
    return {(row["a"].value, row["b"].value if row["b"] is not None else None): int(row["n"].value)
            for row in rows}


@pytest.fixture(scope="module")
def synthetic(tmp_path_factory):
    return build(_synthetic(tmp_path_factory.mktemp("cube"), "zipf"))


def test_the_constraint_files_are_the_recommendations_ic_1_to_ic_19():
    names = [path.stem for path in CONSTRAINTS]
    assert names == [f"ic-{n:02}" for n in range(1, 19)] + ["ic-19a", "ic-19b"]
    for path in CONSTRAINTS:
        text = path.read_text(encoding="utf-8")
        assert text.startswith("# IC-") and "ASK" in text


@pytest.mark.parametrize("which", ["real", "synthetic"])
def test_the_cube_is_well_formed(real_build, synthetic, which):
    result = real_build if which == "real" else synthetic
    assert result.conforms, result.validation_text
    assert _violations(result.store) == []
    assert not result.store.query(SPARQL_PREFIXES + "ASK { ?list a qb:HierarchicalCodeList }")  # IC-20, IC-21


def test_every_table_has_observations(real_build):
    for table in GROUP_BY:
        assert _cells(real_build.store, CUBE % table), table


@pytest.mark.parametrize("which", ["real", "synthetic"])
@pytest.mark.parametrize("table", sorted(GROUP_BY))
def test_the_cube_counts_what_a_group_by_on_the_links_counts(real_build, synthetic, which, table):
    store = (real_build if which == "real" else synthetic).store
    assert _cells(store, CUBE % table) == _cells(store, GROUP_BY[table])


#: Each person's methods and domains (of the domain scheme) through their talks: what tg:personConcept says.
PERSON_CONCEPTS_BY_TALKS = """
    SELECT DISTINCT ?person ?concept WHERE {
      { ?talk tg:declaresMethod|tg:mentions ?concept . ?concept skos:inScheme <https://w3id.org/talkgraph/vocab/method> }
      UNION
      { ?talk tg:declaresDomain|tg:mentions ?concept . ?concept skos:inScheme <https://w3id.org/talkgraph/vocab/domain> }
      ?talk tg:speaker ?person .
    }"""


def _pairs(store: ox.Store, query: str) -> set[tuple[str, str]]:
    return {(row[0].value, row[1].value) for row in store.query(SPARQL_PREFIXES + query)}


@pytest.mark.parametrize("which", ["real", "synthetic"])
def test_each_persons_concepts_are_the_methods_and_domains_of_their_talks(real_build, synthetic, which):
    """tg:personConcept, which potential-collaborators and speakers-by-method read instead of the talks."""
    store = (real_build if which == "real" else synthetic).store
    written = _pairs(store, "SELECT ?person ?concept WHERE { ?person tg:personConcept ?concept }")
    assert written and written == _pairs(store, PERSON_CONCEPTS_BY_TALKS)


def test_speakers_by_method_are_the_speakers_of_the_talks_with_the_method(synthetic):
    """The query finds speakers through tg:personConcept; for every method of the graph (and the methods
    above it) it finds the speakers of the talks that declare or mention it or a narrower one."""
    from talkgraph.store.sparql import run_query

    store = synthetic.store
    methods = [row[0].value for row in store.query(SPARQL_PREFIXES + """
        SELECT DISTINCT ?method WHERE { ?talk tg:declaresMethod|tg:mentions ?c . ?c skos:broader* ?method .
          ?method skos:inScheme <https://w3id.org/talkgraph/vocab/method> } ORDER BY ?method""")]
    assert len(methods) > 10
    for method in methods:
        by_talks = {row[0].value for row in store.query(SPARQL_PREFIXES + f"""
            SELECT DISTINCT ?speaker WHERE {{ ?c skos:broader* <{method}> .
              ?talk tg:declaresMethod|tg:mentions ?c ; tg:speaker ?speaker }}""")}
        found = run_query("speakers-by-method", store=store, method=method, limit=1000)
        assert {row["speaker"] for row in found.rows()} == by_talks, method


def test_a_talk_mentioning_a_concept_it_declares_counts_once_in_each_kind(real_build):
    cells = _cells(real_build.store, CUBE % "concept-talks")
    cnn = "https://w3id.org/talkgraph/vocab/method/convolutional-neural-network"
    declared, mentioned = (cells[cnn, f"https://w3id.org/talkgraph/ns#{kind}"] for kind in ("declaresKeyword",
                                                                                             "mentions"))
    assert declared >= 1 and mentioned >= 1


def _broken(result, update: str) -> ox.Store:
    store = ox.Store()
    store.load(result.ntriples, format=ox.RdfFormat.N_TRIPLES)
    store.update(SPARQL_PREFIXES + update)
    return store


@pytest.mark.parametrize("update, constraint", [
    ("DELETE { ?obs tg:talkCount ?n }"
     " WHERE { { SELECT ?obs ?n WHERE { ?obs tg:talkCount ?n } ORDER BY ?obs LIMIT 1 } }",
     "ic-14"),
    ("DELETE { ?obs qb:dataSet ?set }"
     " WHERE { { SELECT ?obs ?set WHERE { ?obs qb:dataSet ?set } ORDER BY ?obs LIMIT 1 } }",
     "ic-01"),
    ("DELETE { ?obs tg:method ?m }"
     " WHERE { { SELECT ?obs ?m WHERE { ?obs tg:method ?m } ORDER BY ?obs LIMIT 1 } }",
     "ic-11"),
    # IC-12 compares every pair of observations of a data set (12 s on the whole cube): the speakers' alone
    ("DELETE { ?obs ?p ?o } WHERE { ?obs a qb:Observation ; ?p ?o FILTER NOT EXISTS { ?obs tg:person ?person } } ;"
     "INSERT { ?copy a qb:Observation ; qb:dataSet ?set ; tg:person ?p ; tg:talkCount 7 } WHERE {"
     " { SELECT ?set ?p WHERE { ?obs qb:dataSet ?set ; tg:person ?p } ORDER BY ?obs LIMIT 1 }"
     " BIND(IRI(CONCAT(STR(?set), '.copy')) AS ?copy) }", "ic-12"),
    ("INSERT { ?obs tg:method domain:astronomy } WHERE {"
     " { SELECT ?obs WHERE { ?obs tg:method ?d } ORDER BY ?obs LIMIT 1 } }", "ic-19a"),
    ("INSERT { ?obs tg:domain method:deep-learning } WHERE {"  # the domains' code list is a collection
     " { SELECT ?obs WHERE { ?obs tg:domain ?d } ORDER BY ?obs LIMIT 1 } }", "ic-19b"),
    ("INSERT { ?obs tg:concept <https://example.org/not-a-concept> } WHERE {"
     " { SELECT ?obs WHERE { ?obs tg:concept ?c } ORDER BY ?obs LIMIT 1 } }", "ic-19b"),
    ("DELETE { ?spec qb:componentProperty tg:talkCount } WHERE { ?spec qb:componentProperty tg:talkCount }", "ic-03"),
    ("DELETE { tg:person rdfs:range ?range } WHERE { tg:person rdfs:range ?range }", "ic-04"),
    ("DELETE { tg:concept qb:codeList ?list } WHERE { tg:concept qb:codeList ?list }", "ic-05"),
])
def test_a_broken_cube_is_caught(real_build, update, constraint):
    """Each damage breaks its constraint; the undamaged cube passes every one (test_the_cube_is_well_formed,
    on the same build), so the violation is the damage's. IC-12 compares every pair of observations:
    checking it once more here, before the damage, cost 7 s."""
    store = _broken(real_build, update)
    assert _violations(store, (constraint,)) == [constraint]


def test_a_cell_without_a_count_fails_validation_too(real_build):
    from talkgraph.model.validate import validate

    store = _broken(real_build, "DELETE { ?obs tg:talkCount ?n } WHERE { ?obs tg:talkCount ?n ; tg:person ?p }")
    conforms, violations, _ = validate(store)
    assert not conforms and {v.path for v in violations} == {"<https://w3id.org/talkgraph/ns#talkCount>"}


def test_observation_iris_name_their_cell_and_the_cube_comes_out_the_same_each_time(tmp_path):
    table = _synthetic(tmp_path, "uniform", n=60)
    first, second = build(table, validate=False), build(table, validate=False)
    assert first.ntriples == second.ntriples
    triples = list(first.triples())
    start = next(i for i, t in enumerate(triples) if "/cube/" in t.subject.value)
    cube = triples[start:]  # last, in one block, then the members of the concept code list
    assert all("/cube/" in t.subject.value or t.subject.value.endswith(("/linked-concepts", "/linked-domains", "/linked-areas"))
               for t in cube)
    names = {t.subject.value.rsplit("/", 1)[-1] for t in cube}
    assert "domain-method" in names and "speaker-talks_structure" in names
    assert any(n.startswith("method-cooccurrence.method-") for n in names)
    assert any(n.startswith("concept-talks.") and n.endswith(".mentions") for n in names)


def test_a_keyword_in_both_columns_is_one_declared_link_and_candidates_stay_out_of_the_matrix(write_table):
    from conftest import HEADER

    table = write_table([HEADER,
                         ["Ada", "Lovelace", "Engines", "Cosmology; quux widgets", "deep learning; quux widgets", ""],
                         ["Ada", "Lovelace", "Looms", "Cosmology", "deep learning, CNN", ""]])
    result = build(table)
    store = result.store
    for name, query in GROUP_BY.items():
        assert _cells(store, CUBE % name) == _cells(store, query), name
    concepts = _cells(store, CUBE % "concept-talks")
    candidate = next(c for c, _ in concepts if "/candidate/" in c)
    assert concepts[candidate, "https://w3id.org/talkgraph/ns#declaresKeyword"] == 1
    assert _cells(store, CUBE % "speaker-talks") == {("https://w3id.org/talkgraph/id/person/ada-lovelace", None): 2}
    matrix = _cells(store, CUBE % "domain-method")
    assert all("/candidate/" not in a + b for a, b in matrix)
    assert matrix["http://astrothesaurus.org/uat/343",
                  "https://w3id.org/talkgraph/vocab/method/deep-learning"] == 2
    assert _violations(store) == []
