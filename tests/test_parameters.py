"""Parameters of named queries given as IRIs of the wrong kind, or as huge values (#21, parts 8)."""

from __future__ import annotations

import pytest
from click.testing import CliRunner

from talkgraph.errors import ParameterError
from talkgraph.store.sparql import run_query

ID = "https://w3id.org/talkgraph/id/"
PERSON = ID + "person/mike-walmsley"


@pytest.fixture(scope="module")
def store(real_build):
    return real_build.store


def talk_iri(store) -> str:
    return next(iter(store.query("SELECT ?t WHERE { ?t a <https://w3id.org/talkgraph/ns#Talk> } LIMIT 1")))[0].value


def test_a_persons_iri_for_a_concept_is_named_as_such(store):
    with pytest.raises(ParameterError) as caught:
        run_query("talks-by-method", store=store, method=PERSON)
    assert str(caught.value).startswith(f"<{PERSON}> is a person, not a concept; parameter 'method' of "
                                        "talks-by-method wants a concept")


def test_a_talks_iri_for_a_person_is_named_as_such(store):
    with pytest.raises(ParameterError, match=r"is a talk, not a person; parameter 'speaker' of speaker-profile"):
        run_query("speaker-profile", store=store, speaker=talk_iri(store))


def test_an_iri_that_is_not_in_the_graph_is_named(store):
    with pytest.raises(ParameterError, match=rf"<{ID}method/nothing> is not in the graph; parameter 'method'"):
        run_query("talks-by-method", store=store, method=f"<{ID}method/nothing>")


def test_an_outside_iri_the_graph_maps_to_points_to_the_graphs_concept(store):
    uat = next(iter(store.query("SELECT ?u WHERE { ?c <http://www.w3.org/2004/02/skos/core#exactMatch> ?u ; "
                                "a <http://www.w3.org/2004/02/skos/core#Concept> } ORDER BY ?u LIMIT 1")))[0].value
    with pytest.raises(ParameterError, match="appears there only as a value") as caught:
        run_query("talks-by-domain", store=store, domain=uat)
    assert "maps to it: give that IRI" in caught.value.hint


def test_iris_of_the_right_kind_still_answer(store):
    concept = next(iter(store.query("SELECT ?c WHERE { ?t <https://w3id.org/talkgraph/ns#declaresMethod> ?c } LIMIT 1")))[0]
    assert len(run_query("talks-by-method", store=store, method=concept.value)) > 0
    assert len(run_query("speaker-profile", store=store, speaker=PERSON)) > 0


def test_the_command_exits_2_with_the_message(real_build, tmp_path):
    from talkgraph import write_outputs
    from talkgraph.cli import cli

    write_outputs(real_build, tmp_path / "out")
    run = CliRunner().invoke(cli, ["query", "talks-by-method", "-p", f"method={PERSON}", "--store",
                                   str(tmp_path / "out")])
    assert run.exit_code == 2 and "is a person, not a concept" in run.output


@pytest.mark.parametrize("call", [
    lambda store: run_query("talks-by-method", store=store, method="x" * 50_000),
    lambda store: run_query("talks-by-method", store=store, params={"y" * 50_000: "1"}),
    lambda store: run_query("top-methods-by-min-talks-" + "z" * 50_000, store=store),
    lambda store: run_query("talks-by-method", store=store, method="http://example.org/" + "w" * 50_000),
])
def test_huge_values_are_cut_in_the_message(store, call):
    with pytest.raises(Exception) as caught:
        call(store)
    assert len(str(caught.value)) < 1000 and "50,0" in str(caught.value)
