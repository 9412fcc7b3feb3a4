"""Keyword cells that hold on any table (#17, parts 3 and 6, and the numbered form of part 1).

Table-driven: a cell's text → the links it makes. Three forms are read as units before a cell
is split: arXiv subject classes (graph/vocab/arxiv.py), keywords printed with their UAT number
("Galaxy evolution (594)"), and, in a mixed "Keywords" column, each term is placed by the
scheme it matches (graph/link/cells.py).
"""

from __future__ import annotations

import pytest

from talkgraph.link.cells import KeywordLinker, Link
from talkgraph.link.rules import _data as _mention_rules
from talkgraph.namespaces import SKOS, TG, UAT, VOCAB
from talkgraph.tables.records import Record
from talkgraph.vocab.arxiv import load_subject_classes
from talkgraph.vocab.compiled import shipped_uat
from talkgraph.vocab.keywords import numbered_terms
from talkgraph.vocab.vocabulary import load_vocabulary

ARXIV = "https://arxiv.org/list/"
BASE = "https://example.org/id/"
#: qualified_heads' examples in mention_rules.json: keyword → the concepts it names
QUALIFIED_HEAD_EXAMPLES = _mention_rules()["qualified_heads"]["examples"]


@pytest.fixture(scope="module")
def vocab():
    return load_vocabulary()


def record(keywords="", domains="", methods="", line=2) -> Record:
    return Record("t.csv", line, "A talk", "Ada", "Lovelace", "", [], domains, methods, keywords)


def short(link: Link) -> str:
    """``method:random-forest``, ``uat:594``, ``arxiv:astro-ph.IM``; ``via`` and ``candidate`` marked."""
    iri = link.iri
    for prefix, name in ((VOCAB, ""), (str(UAT), "uat:"), (ARXIV, "arxiv:"), (BASE + "candidate/", "candidate:")):
        if iri.startswith(prefix):
            iri = name + iri[len(prefix):].replace("/", ":", 1)
            break
    return f"{'via ' if link.via else ''}{iri}"


def links(vocab, **cells) -> list[str]:
    return [short(link) for link in KeywordLinker(vocab, BASE).link(record(**cells))]


# ------------------------------------------------------------------ arXiv classes, recognised whole

@pytest.mark.parametrize("cell, codes, rest", [
    ("Instrumentation and Methods for Astrophysics (astro-ph.IM)", ["astro-ph.IM"], ""),
    ("astro-ph.IM", ["astro-ph.IM"], ""),
    ("ASTRO-PH.im", ["astro-ph.IM"], ""),
    ("Astrophysics - Instrumentation and Methods for Astrophysics", ["astro-ph.IM"], ""),
    ("Astrophysics > Instrumentation and Methods for Astrophysics", ["astro-ph.IM"], ""),
    ("Astrophysics – Instrumentation and Methods for Astrophysics", ["astro-ph.IM"], ""),
    ("Instrumentation and Methods for Astrophysics", ["astro-ph.IM"], ""),
    ("Solar & Stellar Astrophysics, CNNs", ["astro-ph.SR"], ", CNNs"),
    ("Machine Learning (cs.LG)", ["cs.LG"], ""),
    ("cs.LG (Machine Learning)", ["cs.LG"], ""),
    ("Machine Learning (stat.ML); galaxies", ["stat.ML"], "; galaxies"),
    ("Data Analysis, Statistics and Probability (physics.data-an)", ["physics.data-an"], ""),
    ("gr-qc; hep-th", ["gr-qc", "hep-th"], "; "),
    ("astro-ph.IM astro-ph.HE", ["astro-ph.IM", "astro-ph.HE"], " "),  # codes with spaces between, as arXiv lists them
    ("cs.LG  stat.ML; galaxies", ["cs.LG", "stat.ML"], "  ; galaxies"),
    ("astro-ph.GA galaxies", [], "astro-ph.GA galaxies"),  # a code and a word: not codes apart
    ("Artificial Intelligence (cs)", ["cs.AI"], ""),  # a plain archive code after a class's name: the class
    ("Galaxies (astro-ph.GA)", ["astro-ph.GA"], ""),  # the code decides
    # never a class:
    ("Machine Learning", [], "Machine Learning"),  # two classes share the name: it names neither
    ("Statistics", [], "Statistics"),  # an archive's bare name is a topic
    ("Galaxies and astro-ph.GA stuff", [], "Galaxies and astro-ph.GA stuff"),  # only a whole term is a class
    ("Extragalactic (optical and radio)", [], "Extragalactic (optical and radio)"),
    ("Physics (math)", [], "Physics (math)"),
])
def test_arxiv_classes_are_recognised_before_the_cell_is_split(vocab, cell, codes, rest):
    found, left = vocab.subject_classes.extract(cell)
    assert ([use.code for use in found], left) == (codes, rest)


def test_a_bare_class_name_the_vocabularies_know_names_their_concept(vocab):
    assert vocab.subject_classes.extract("Artificial Intelligence") == ([], "Artificial Intelligence")
    assert load_subject_classes().extract("Artificial Intelligence")[0][0].code == "cs.AI"  # nothing known


@pytest.mark.parametrize("cell, expected", [
    ("Instrumentation and Methods for Astrophysics (astro-ph.IM)",
     ["arxiv:astro-ph.IM", "via uat:1043", "via uat:799"]),
    ("astro-ph.SR", ["arxiv:astro-ph.SR", "via uat:1476", "via uat:1583"]),
    ("Machine Learning (cs.LG)", ["arxiv:cs.LG", "via method:machine-learning"]),
    ("Machine Learning", ["method:machine-learning"]),
    ("Machine Learning (cs.LG), machine learning", ["arxiv:cs.LG", "via method:machine-learning",
                                                    "method:machine-learning"]),
])
def test_a_class_links_itself_and_what_it_stands_for_through_it(vocab, cell, expected):
    assert links(vocab, keywords=cell) == expected


def test_classes_are_units_in_the_typed_columns_too(vocab):
    assert links(vocab, domains="Solar and Stellar Astrophysics (astro-ph.SR); galaxies") == [
        "arxiv:astro-ph.SR", "via uat:1476", "via uat:1583", "uat:573"]


def test_a_name_that_contradicts_its_code_is_reported(vocab):
    linker = KeywordLinker(vocab, BASE)
    found = linker.link(record(keywords="Cosmology and Nongalactic Astrophysics (astro-ph.GA)"))
    assert found[0].iri == ARXIV + "astro-ph.GA"
    assert linker.warnings == ["t.csv:2: keyword 'Cosmology and Nongalactic Astrophysics (astro-ph.GA)': the code "
                               "is astro-ph.GA (Astrophysics of Galaxies) but the name is astro-ph.CO's; linked by "
                               "the code"]


# ------------------------------------------------------------------ keywords with their UAT number

@pytest.mark.parametrize("separator", [" — ", " – ", " --- ", "; ", ", ", "—"])
def test_numbered_keywords_split_on_any_separator_aas_journals_use(separator):
    found, rest = numbered_terms(f"Galaxy evolution (594){separator}Convolutional neural networks (1938)")
    assert [(t.text, t.number) for t in found] == [("Galaxy evolution", "594"), ("Convolutional neural networks", "1938")]
    assert not rest.strip(" ;,")


@pytest.mark.parametrize("cell, expected", [
    # uat:1938 is close to our convolutional neural network (skos:closeMatch): one concept by rule 1, as
    # the words alone are, so the talk links ours, a method
    ("Galaxy evolution (594) — Convolutional neural networks (1938)", ["uat:594", "method:convolutional-neural-network"]),
    ("Hubble Space Telescope (761)", ["facility:hst"]),
    ("DC stars (0)", ["uat:0"]),
    ("Mira variable stars (1067)", ["uat:1066"]),  # deprecated: its replacement
    ("Minor planets (1065)", ["uat:1469", "uat:72"]),  # deprecated, two replacements (uat:72 is ours)
    ("(1938)", ["method:convolutional-neural-network"]),  # the number alone
    ("(1882)", ["method:statistical-inference"]),  # Astrostatistics, close to ours
    ("Galaxy evolution (594), Stars", ["uat:594", "uat:1634"]),
    ("Galaxy evolution (594) — random forests", ["uat:594", "method:random-forest"]),
])
def test_numbered_keywords_link_by_the_number(vocab, cell, expected):
    assert links(vocab, keywords=cell) == expected


def test_a_number_whose_label_disagrees_is_linked_by_the_number_and_reported(vocab):
    linker = KeywordLinker(vocab, BASE)
    assert [short(x) for x in linker.link(record(keywords="Galaxy evolutoin (594)", line=7))] == \
        ["uat:594"]
    linker.link(record(keywords="Galaxy evolutoin (594)", line=8))  # reported once, at its first row
    assert linker.warnings == ["t.csv:7: keyword Galaxy evolutoin (594): UAT 594 is 'Galaxy evolution', "
                               "not 'Galaxy evolutoin'; linked by the number"]


def test_any_label_of_the_concept_or_its_replacement_agrees(vocab):
    linker = KeywordLinker(vocab, BASE)
    linker.link(record(keywords="Evolution of galaxies (594); Mira variables (1067); Neutrino oscillations (1103)"))
    assert linker.warnings == []


def test_a_number_uat_lacks_is_reported_and_its_words_are_matched(vocab):
    linker = KeywordLinker(vocab, BASE)
    assert [short(x) for x in linker.link(record(keywords="Stars (99999)"))] == ["uat:1634"]
    assert linker.warnings == ["t.csv:2: keyword Stars (99999): the Unified Astronomy Thesaurus has no concept "
                               "99999; matched by its words instead"]


def test_linked_uat_concepts_are_described_from_the_shipped_thesaurus(vocab):
    linker = KeywordLinker(vocab, BASE)
    linker.link(record(keywords="Galaxy evolution (594); Mira variable stars (1067)"))
    uat = shipped_uat()
    # the linked concepts (1067 is deprecated: its replacement, 1066) and every concept above them
    above = {str(UAT["1066"]), str(UAT["594"])}
    todo = list(above)
    while todo:
        for broader in uat.concepts[todo.pop()].broader:
            above.add(broader)
            todo.append(broader)
    assert set(linker.described.uat) == above
    assert str(UAT["1067"]) not in linker.described.uat
    assert linker.described.uat[str(UAT["594"])] is uat.concepts[str(UAT["594"])]


def test_a_number_of_a_uat_concept_close_to_ours_links_ours_as_its_words_do(vocab):
    # uat:1938 is close to our convolutional neural network (it also lists "Deep learning"): rule 1, one concept
    by_number = KeywordLinker(vocab, BASE).link(record(methods="Convolutional neural networks (1938)"))
    by_words = KeywordLinker(vocab, BASE).link(record(methods="Convolutional neural networks"))
    assert by_number == by_words == [Link(VOCAB + "method/convolutional-neural-network", "method")]


# ------------------------------------------------------------------ a mixed keywords column

@pytest.mark.parametrize("cell, expected", [
    ("TensorFlow", ["software:tensorflow"]),
    ("random forests", ["method:random-forest"]),
    ("Brown dwarfs", ["uat:185"]),
    ("Hubble Space Telescope", ["facility:hst"]),
    ("wibble wobble", ["candidate:wibble-wobble"]),
    ("Galaxies; CNNs, Python", ["uat:573", "method:convolutional-neural-network", "software:python"]),
])
def test_each_term_of_a_mixed_cell_is_placed_by_the_scheme_it_matches(vocab, cell, expected):
    assert links(vocab, keywords=cell) == expected


@pytest.mark.parametrize("cell, expected", [
    ("Fermi-GBM", ["facility:gbm", "facility:fermi"]),
    ("Fermi–LAT", ["facility:fermi-lat", "facility:fermi"]),  # an en-dash, as the matching key folds it
    ("SDSS Moving Object Catalogue", ["facility:sdss-moc", "facility:sdss"]),
    ("Herschel SPIRE", ["facility:spire", "facility:herschel"]),
    ("Gaia", ["facility:gaia"]),  # the host alone is itself
    ("Galaxy Zoo", ["facility:galaxy-zoo"]),  # a name whose first word is no facility above it
])
def test_a_facility_named_after_its_host_links_the_host_too(vocab, cell, expected):
    # as the mention extractor does in prose ("Herschel SPIRE" is Herschel's instrument)
    assert links(vocab, keywords=cell) == expected


def test_a_candidate_of_the_mixed_column_is_reported_under_keywords(vocab):
    linker = KeywordLinker(vocab, BASE)
    (link,) = linker.link(record(keywords="wibble wobble"))
    assert (link.candidate, link.scheme) == (True, "keywords")
    assert [c.intended for c in linker.candidates.values()] == [["keywords"]]
    assert [(u.text, u.column, u.how) for u in linker.terms.values()] == [("wibble wobble", "keywords", "candidate")]


# ------------------------------------------------------------------ end to end

ROWS = [
    ["Title", "Speaker", "Keywords"],
    ["Galaxies with CNNs", "Ada Lovelace", "Galaxy evolution (594) — Convolutional neural networks (1938)"],
    ["Instruments", "Grace Hopper", "Instrumentation and Methods for Astrophysics (astro-ph.IM); Machine Learning (cs.LG)"],
    ["Mixed", "Alan Turing", "TensorFlow, random forests, Brown dwarfs, wibble wobble"],
    ["Typos", "Emmy Noether", "Galaxy evolutoin (594), Stars (99999)"],
]


@pytest.fixture(scope="module")
def mixed_build(tmp_path_factory):
    from talkgraph import build

    path = tmp_path_factory.mktemp("cells") / "talks.csv"
    path.write_text("".join(",".join(f'"{c}"' for c in row) + "\n" for row in ROWS), encoding="utf-8")
    return build(path, mentions=False)


def _objects(result, subject_tail: str, predicate) -> set[str]:
    return {t.object.value for t in result.triples()
            if t.subject.value.endswith(subject_tail) and t.predicate.value == str(predicate)}


def test_a_table_with_one_keywords_column_in_all_three_styles_builds_and_validates(mixed_build):
    assert mixed_build.conforms, mixed_build.validation_text
    assert _objects(mixed_build, "talk/galaxies-with-cnns", TG.declaresDomain) == {str(UAT["594"])}
    assert _objects(mixed_build, "talk/galaxies-with-cnns", TG.declaresMethod) == {
        VOCAB + "method/convolutional-neural-network"}  # "Convolutional neural networks (1938)", by rule 1
    assert _objects(mixed_build, "talk/instruments", TG.declaresSubjectClass) == {ARXIV + "astro-ph.IM",
                                                                                   ARXIV + "cs.LG"}
    assert _objects(mixed_build, "talk/instruments", TG.declaresVia) == {
        str(UAT["1043"]), str(UAT["799"]), VOCAB + "method/machine-learning"}
    assert _objects(mixed_build, "talk/mixed", TG.declaresSoftware) == {VOCAB + "software/tensorflow"}
    assert _objects(mixed_build, "talk/mixed", TG.declaresKeyword) == {BASE.replace("example.org/id", "w3id.org/talkgraph/id")
                                                                       + "candidate/wibble-wobble"}
    assert _objects(mixed_build, "talk/mixed", TG.declaredKeywordText) == {ROWS[3][2]}


def test_a_mixed_keywords_column_stands_for_both_keyword_columns_in_the_warnings(mixed_build):
    """The table has Title, Speaker and Keywords: only its missing abstract is worth a warning."""
    missing = [w for w in mixed_build.report["warnings"] if "those fields are left empty" in w]
    assert len(missing) == 1 and "'Abstract'" in missing[0]
    assert "Astronomy" not in missing[0] and "Machine Learning" not in missing[0]


def test_the_mixed_cell_is_no_longer_an_extra_column(mixed_build):
    assert not any(t.predicate.value.endswith("column/keywords") for t in mixed_build.triples())
    assert mixed_build.report["inputs"][0]["extra_columns"] == []


def test_the_graph_describes_the_uat_concepts_and_classes_it_links(mixed_build):
    uat_scheme = shipped_uat().schemes[0].iri
    assert _objects(mixed_build, "uat/594", SKOS.prefLabel) == {"Galaxy evolution"}
    assert _objects(mixed_build, "uat/594", SKOS.inScheme) == {uat_scheme}
    assert _objects(mixed_build, "/list/astro-ph.IM", SKOS.notation) == {"astro-ph.IM"}
    assert _objects(mixed_build, "/list/astro-ph.IM", TG.standsFor) == {str(UAT["799"]), str(UAT["1043"])}
    assert _objects(mixed_build, "/list/astro-ph", SKOS.prefLabel) == {"Astrophysics"}  # its archive
    # with the concepts above it, so that a query for a broad topic finds the talks under it
    assert str(UAT["614"]) in _objects(mixed_build, "uat/594", SKOS.broader)
    assert _objects(mixed_build, "uat/614", SKOS.prefLabel) == {"Galaxy processes"}
    # not the whole thesaurus, nor every class
    assert not _objects(mixed_build, "uat/164", SKOS.prefLabel)
    assert not _objects(mixed_build, "/list/astro-ph.CO", SKOS.prefLabel)


def test_the_report_warns_of_numbers_that_disagree_or_do_not_exist(mixed_build):
    warnings = mixed_build.report["warnings"]
    assert any("UAT 594 is 'Galaxy evolution', not 'Galaxy evolutoin'" in w for w in warnings)
    assert any("has no concept 99999" in w for w in warnings)
    kinds = {t["term"]: t["match"] for t in mixed_build.report["keyword_terms"]}
    assert kinds["Galaxy evolution (594)"] == "uat number"
    assert kinds["Instrumentation and Methods for Astrophysics (astro-ph.IM)"] == "arxiv class"
    assert mixed_build.report["unmapped_terms"][0]["columns"] == ["keywords"]
    assert mixed_build.report["counts"]["declared_links"] == {  # links through a class are counted apart
        "arxiv": 2, "candidate": 1, "method": 2, "software": 1, "uat": 4, "via": 3}


def test_a_bare_number_confirms_the_uat_concept_the_cell_names_and_is_otherwise_a_term(vocab):
    # ADS lists the UAT names, then their numbers: "Galaxies; Spectroscopy; 573; 1558"
    assert links(vocab, keywords="Galaxies; Spectroscopy; 573; 1558") == ["uat:573", "uat:1558"]
    # a number no label of the cell confirms (a year, a count) stays a term for review
    assert links(vocab, keywords="Galaxies; 2020") == ["uat:573", "candidate:2020"]


# ------------------------------------------------------------------ terms that name concepts in part

@pytest.mark.parametrize("cell, expected", [
    # the head: the kind of thing the term names
    ("Glitch classification", ["method:classification", "domain:gravitational-wave-glitches",
                               "candidate:glitch-classification"]),
    ("Anomaly detection in light curves", ["method:anomaly-detection", "candidate:anomaly-detection-in-light-curve"]),
    # what qualifies the head, when the head is no concept
    ("Solar flare prediction", ["uat:1496", "candidate:solar-flare-prediction"]),
    ("Kepler light curves", ["uat:918", "facility:kepler", "candidate:kepler-light-curve"]),
    # the rules of prose hold: no telescope in "Hubble flow", no everyday "Stars"
    ("Hubble flow", ["candidate:hubble-flow"]),
    ("Stars behaving badly", ["candidate:star-behaving-badly"]),
    # an acronym or short name matches as written: "fast" is no FAST telescope, "Class" no CLASS code
    ("fast classification", ["method:classification", "candidate:fast-classification"]),
    ("FAST pulsar survey", ["facility:fast", "candidate:fast-pulsar-survey"]),  # "survey": no evidence in prose
    ("Class symbolic regression", ["method:symbolic-regression", "candidate:class-symbolic-regression"]),
    # a label marked as no evidence in prose (tg:ambiguousLabel) is none in a phrase: no generic telescope
    ("telescope scheduling", ["candidate:telescope-scheduling"]),
    # a term the words of which name nothing stays a candidate alone
    ("Data-driven discovery", ["candidate:data-driven-discovery"]),
])
def test_a_term_that_names_concepts_in_part_links_them_and_stays_a_candidate(vocab, cell, expected):
    assert links(vocab, keywords=cell) == expected


@pytest.mark.parametrize("cell, expected", sorted(QUALIFIED_HEAD_EXAMPLES.items()))
def test_a_qualified_head_names_the_narrower_concept_it_always_is(vocab, cell, expected):
    # qualified_heads in mention_rules.json: "radio surveys" are sky surveys, "surveys" alone stay Surveys
    linker = KeywordLinker(vocab, BASE)
    linker.link(record(keywords=cell))
    [use] = linker.terms.values()
    assert use.concepts == expected


def test_a_term_linked_in_part_is_reported_so():
    linker = KeywordLinker(load_vocabulary(), BASE)
    linker.link(record(keywords="Glitch classification; Data-driven discovery"))
    assert {use.text: (use.how, use.concepts) for use in linker.terms.values()} == {
        "Glitch classification": ("parts", ["classification", "gravitational-wave detector glitches"]),
        "Data-driven discovery": ("candidate", [])}
    assert sorted(c.label for c in linker.candidates.values()) == ["Data-driven discovery", "Glitch classification"]


@pytest.mark.parametrize("cells, expected", [
    ({"domains": "astronomy, cosmology"}, ["uat:343"]),  # the field as a whole beside a topic adds nothing
    ({"domains": "Astrophysics"}, ["domain:astronomy"]),  # alone, it is all the cell says
    ({"keywords": "astronomy; astro-ph.CO"}, ["arxiv:astro-ph.CO", "via uat:343"]),  # a topic through a class too
    ({"domains": "astronomy", "methods": "machine learning"}, ["domain:astronomy", "method:machine-learning"]),
])
def test_the_umbrella_concept_is_declared_only_without_a_topic(vocab, cells, expected):
    """The domain scheme's one top concept, "astronomy", stands for the field every talk of the table is in
    (Vocabulary.umbrellas: the single top concept of a scheme)."""
    assert links(vocab, **cells) == expected


def test_a_term_is_also_read_without_its_article(vocab):
    # data/dev-set-38's category "E - Exoplanets and the Solar System": "the Solar System" is Solar system;
    # the words as written first, for "The Sun" is a UAT label of its own
    assert links(vocab, domains="Exoplanets and the Solar System") == ["uat:498", "uat:1528"]
    assert links(vocab, domains="The Sun") == ["uat:1693"]


def test_chinese_and_japanese_separators_split_a_cell(vocab):
    # the ideographic enumeration comma and the full-width comma and semicolon (data/dev-set-41)
    assert links(vocab, domains="Galaxies、Cosmology") == links(vocab, domains="Galaxies, Cosmology")
    assert links(vocab, domains="Galaxies，Cosmology；Pulsars") == links(vocab, domains="Galaxies, Cosmology; Pulsars")
