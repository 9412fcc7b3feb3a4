"""The concept schemes as data: every file parses and is well-formed SKOS, the arXiv subject
classes are complete and well coded, the facility and software schemes cover what talks name,
and every UAT/AIO concept the schemes cite exists, is current and carries the stated label."""

from __future__ import annotations

import re
from collections import defaultdict

import pytest
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import OWL, RDF, RDFS, SKOS

from talkgraph.namespaces import TG
from talkgraph.resources import ontology_dir, ontology_file
from talkgraph.vocab.keywords import Term, match_key
from talkgraph.vocab.vocabulary import load_vocabulary


SCHEME_FILES = ("domains.ttl", "methods.ttl", "software.ttl", "facilities.ttl", "arxiv.ttl")
UAT_NS, AIO_NS = "http://astrothesaurus.org/uat/", "https://w3id.org/aio/"
ARXIV_LIST = "https://arxiv.org/list/"
VOCAB = "https://w3id.org/talkgraph/vocab/"
#: Predicates by which a scheme cites a concept of another vocabulary.
CITING = (SKOS.exactMatch, SKOS.closeMatch, SKOS.broadMatch, SKOS.narrowMatch, SKOS.relatedMatch, TG.standsFor)


@pytest.fixture(scope="module")
def graphs() -> dict[str, Graph]:
    return {name: Graph().parse(ontology_file(name)) for name in SCHEME_FILES}


@pytest.fixture(scope="module")
def arxiv(graphs) -> Graph:
    return graphs["arxiv.ttl"]


@pytest.fixture(scope="module")
def vocab():
    return load_vocabulary()


def concepts(g: Graph) -> list[URIRef]:
    return sorted(g.subjects(RDF.type, SKOS.Concept))


def notations(g: Graph, concept) -> list[str]:
    return sorted(str(n) for n in g.objects(concept, SKOS.notation))


def code_of(g: Graph, code: str) -> URIRef:
    found = [c for c in concepts(g) if code in notations(g, c)]
    assert len(found) == 1, f"{code}: {found}"
    return found[0]


# ---------------------------------------------------------------- every file

@pytest.mark.parametrize("name", sorted(p.name for p in ontology_dir().glob("*.ttl")))
def test_every_ontology_file_parses(name):
    assert len(Graph().parse(ontology_file(name))) > 0


@pytest.mark.parametrize("name", SCHEME_FILES)
def test_every_concept_has_one_english_pref_label_and_a_declared_scheme(graphs, name):
    g = graphs[name]
    schemes = set(g.subjects(RDF.type, SKOS.ConceptScheme))
    assert schemes and concepts(g)
    for concept in concepts(g):
        prefs = list(g.objects(concept, SKOS.prefLabel))
        assert len(prefs) == 1 and prefs[0].language == "en", (concept, prefs)
        assert set(g.objects(concept, SKOS.inScheme)) & schemes, concept
        for broader in g.objects(concept, SKOS.broader):
            assert (broader, RDF.type, SKOS.Concept) in g, f"{concept} is narrower than unknown {broader}"


@pytest.mark.parametrize("name", SCHEME_FILES)
def test_ambiguous_labels_are_labels_and_single_letters_are_ambiguous(graphs, name):
    g = graphs[name]
    for concept in concepts(g):
        labels = {str(o) for p in (SKOS.prefLabel, SKOS.altLabel, SKOS.hiddenLabel) for o in g.objects(concept, p)}
        ambiguous = {str(o) for o in g.objects(concept, TG.ambiguousLabel)}
        assert ambiguous <= labels, concept
        # a one-letter label ("R", "C") would match every such letter in prose
        assert {label for label in labels if len(label) == 1} <= ambiguous, concept


# ---------------------------------------------------------------- arXiv subject classes

ARCHIVE_CODE = re.compile(r"^[a-z]+(-[a-z]+)?$")
CLASS_CODE = re.compile(r"^(?P<archive>[a-z]+(-[a-z]+)?)\.([A-Z]{2}|[a-z]+(-[a-z]+)?)$")


def test_arxiv_codes_are_unique_well_formed_and_name_the_listing_page(arxiv):
    seen: dict[str, URIRef] = {}
    for concept in concepts(arxiv):
        codes = notations(arxiv, concept)
        assert codes, concept
        assert str(concept) in {ARXIV_LIST + c for c in codes}, concept
        for code in codes:
            assert ARCHIVE_CODE.match(code) or CLASS_CODE.match(code), code
            assert code not in seen, f"{code} is the notation of {seen.get(code)} and {concept}"
            seen[code] = concept
            assert Literal(code, lang="en") in set(arxiv.objects(concept, SKOS.altLabel)), code
    assert len(seen) >= 155


def test_every_class_is_narrower_than_its_archive_and_archives_are_top_concepts(arxiv):
    scheme = URIRef(VOCAB + "arxiv")
    for concept in concepts(arxiv):
        canonical = str(concept)[len(ARXIV_LIST):]
        match = CLASS_CODE.match(canonical)
        if match:
            assert list(arxiv.objects(concept, SKOS.broader)) == [URIRef(ARXIV_LIST + match["archive"])], concept
        else:
            assert (concept, SKOS.topConceptOf, scheme) in arxiv and (scheme, SKOS.hasTopConcept, concept) in arxiv


@pytest.mark.parametrize("archive, count", [
    ("astro-ph", 6), ("cs", 40), ("stat", 6), ("math", 32), ("physics", 22), ("eess", 4), ("q-bio", 10),
    ("q-fin", 9), ("econ", 3), ("cond-mat", 9), ("nlin", 5)])
def test_every_archive_has_all_its_classes(arxiv, archive, count):
    # the counts are of codes, aliases included (cs.NA and cs.SY are cs classes too)
    codes = {c for concept in concepts(arxiv) for c in notations(arxiv, concept) if c.startswith(archive + ".")}
    assert len(codes) == count, sorted(codes)


@pytest.mark.parametrize("code", ["astro-ph", "gr-qc", "hep-ex", "hep-lat", "hep-ph", "hep-th", "nucl-ex", "nucl-th",
                                  "quant-ph", "math-ph"])
def test_archives_without_classes_are_classes(arxiv, code):
    code_of(arxiv, code)


def test_a_class_carries_the_forms_people_write(arxiv):
    im = code_of(arxiv, "astro-ph.IM")
    assert str(arxiv.value(im, SKOS.prefLabel)) == "Instrumentation and Methods for Astrophysics"
    assert {str(o) for o in arxiv.objects(im, SKOS.altLabel)} == {
        "astro-ph.IM", "Astrophysics - Instrumentation and Methods for Astrophysics",
        "Astrophysics > Instrumentation and Methods for Astrophysics"}


@pytest.mark.parametrize("alias, canonical", [("cs.NA", "math.NA"), ("cs.SY", "eess.SY"), ("math.IT", "cs.IT"),
                                              ("math.MP", "math-ph"), ("q-fin.EC", "econ.GN"), ("stat.TH", "math.ST")])
def test_an_alias_is_a_second_code_of_its_canonical_class(arxiv, alias, canonical):
    assert code_of(arxiv, alias) == URIRef(ARXIV_LIST + canonical)


def test_machine_learning_is_the_only_name_two_classes_share(arxiv):
    # docs/vocabularies.md: a name two classes share names neither; the code reads the rule from here
    by_key: dict[str, set] = defaultdict(set)
    for concept in concepts(arxiv):
        for p in (SKOS.prefLabel, SKOS.altLabel):
            for label in arxiv.objects(concept, p):
                by_key[match_key(str(label))].add(concept)
    shared = {key: sorted(str(c)[len(ARXIV_LIST):] for c in cs) for key, cs in by_key.items() if len(cs) > 1}
    assert shared == {"machine learning": ["cs.LG", "stat.ML"]}


M = "https://w3id.org/talkgraph/vocab/method/"


@pytest.mark.parametrize("code, targets", [
    ("astro-ph.IM", {UAT_NS + "799", UAT_NS + "1043"}),   # astronomical instrumentation, methods
    ("astro-ph.SR", {UAT_NS + "1476", UAT_NS + "1583"}),  # solar physics, stellar astronomy
    ("astro-ph.CO", {UAT_NS + "343"}),
    ("cs.LG", {M + "machine-learning"}),
    ("stat.ML", {M + "machine-learning"}),
    ("cs.CV", {M + "computer-vision"}),
])
def test_a_class_stands_for_its_topics_and_methods(arxiv, code, targets):
    assert {str(o) for o in arxiv.objects(code_of(arxiv, code), TG.standsFor)} == targets


def test_stands_for_targets_exist_and_the_property_is_declared(arxiv, graphs):
    ontology = Graph().parse(ontology_file("talkgraph.ttl"))
    assert (TG.standsFor, RDFS.subPropertyOf, SKOS.relatedMatch) in ontology
    assert (TG.standsFor, RDF.type, OWL.ObjectProperty) in ontology
    methods = set(concepts(graphs["methods.ttl"]))
    targets = set(arxiv.objects(None, TG.standsFor))
    assert len(targets) >= 20
    for target in targets:
        assert str(target).startswith(UAT_NS) or target in methods, target


# ---------------------------------------------------------------- facilities and software

def test_facility_and_software_schemes_cover_what_talks_name(vocab):
    # issue #17 grew them from public lists (AAS facility keywords, lists of missions, surveys, packages)
    assert len(vocab.in_scheme("facility")) >= 480
    assert len(vocab.in_scheme("software")) >= 260
    assert len(vocab.in_scheme("method")) >= 300


@pytest.mark.parametrize("kind, at_least", [
    ("space-telescope", 140), ("radio-telescope", 45), ("optical-telescope", 95), ("survey", 120),
    ("instrument", 100), ("data-set", 60), ("space-probe", 20), ("data-archive", 15), ("solar-telescope", 25)])
def test_no_kind_of_facility_is_thin(graphs, kind, at_least):
    g = graphs["facilities.ttl"]
    kind_iri = URIRef(VOCAB + "facility/" + kind)
    members = {c for c in concepts(g) if (c, SKOS.broader, kind_iri) in g}
    members |= {c for c in concepts(g) if any((b, SKOS.broader, kind_iri) in g for b in g.objects(c, SKOS.broader))}
    assert len(members) >= at_least, (kind, len(members))


@pytest.mark.parametrize("kind, at_least", [
    ("programming-language", 14), ("machine-learning-library", 55), ("astronomy-code", 130)])
def test_no_kind_of_software_is_thin(graphs, kind, at_least):
    g = graphs["software.ttl"]
    members = {c for c in concepts(g) if (c, SKOS.broader, URIRef(VOCAB + "software/" + kind)) in g}
    assert len(members) >= at_least, (kind, len(members))


@pytest.mark.parametrize("text, concept", [
    ("Rubin", "facility/rubin-observatory"), ("VRO", "facility/rubin-observatory"),
    ("LSST", "facility/rubin-observatory"), ("Rubin Observatory LSST", "facility/rubin-observatory"),
    ("Legacy Survey of Space and Time", "facility/rubin-observatory"), ("HST", "facility/hst"),
    ("TESS", "facility/tess"), ("JWST NIRSpec", "facility/nirspec"), ("MAST", "facility/mast"),
    ("Python", "software/python"), ("R", "software/r-language"), ("CASA", "software/casa"),
    ("astropy", "software/astropy"), ("scikit-learn", "software/scikit-learn"), ("PyTorch", "software/pytorch"),
    ("SExtractor", "software/source-extractor"), ("Source Extractor", "software/source-extractor"),
    ("SciPy", "software/scipy"), ("Xspec", "software/xspec"), ("SAOImage DS9", "software/ds9"),
    # grown for issue #17: sub-instruments, data releases and catalogues, acronyms and both spellings
    ("Fermi-LAT", "facility/fermi-lat"), ("Fermi GBM", "facility/gbm"), ("Hinode SOT/SP", "facility/hinode-sp"),
    ("SDO/EVE", "facility/sdo-eve"), ("DKIST ViSP", "facility/visp"), ("Cryo-NIRSP", "facility/cryo-nirsp"),
    ("WFPC", "facility/wfpc"), ("AllWISE", "facility/wise"), ("Gaia DR3", "facility/gaia"),
    ("Gaia", "facility/gaia"), ("4FGL-DR3", "facility/fermi-4fgl"), ("4LAC", "facility/fermi-4lac"),
    ("Large Sky Area Multi-Object Fiber Spectroscopic Telescope", "facility/lamost"),
    ("Large Sky Area Multi-Object Fibre Spectroscopic Telescope", "facility/lamost"),
    ("K2", "facility/k2"), ("MACHO Project", "facility/macho-project"), ("ASAS", "facility/asas"),
    ("BAT AGN Spectroscopic Survey", "facility/bass-agn"), ("GCN Circulars", "facility/gcn"),
    ("eRASS1", "facility/erass"), ("TOI", "facility/toi"), ("NASA Exoplanet Archive", "facility/nasa-exoplanet-archive"),
    ("LightGBM", "software/lightgbm-library"), ("CatBoost", "software/catboost-library"),
    ("NGBoost", "software/ngboost"), ("GPyTorch", "software/gpytorch"), ("Hyperopt", "software/hyperopt"),
    ("dm-haiku", "software/haiku"), ("STPSF", "software/webbpsf"), ("AstroDrizzle", "software/drizzlepac"),
    ("Weights & Biases", "software/weights-and-biases"), ("sbi package", "software/sbi-package"),
    ("reproject", "software/reproject"), ("The Cannon", "software/the-cannon"),
])
def test_the_forms_people_write_find_the_concept(vocab, text, concept):
    match = vocab.match(Term((text,)), "facility" if concept.startswith("facility") else "software")
    assert match and [c.iri for c in match.concepts] == [VOCAB + concept]


@pytest.mark.parametrize("text, concept", [
    # training, evaluation and attribution terms, model families and statistics (issue #17)
    ("dropout", "dropout"), ("Batch Normalization", "batch-normalisation"), ("early stopping", "early-stopping"),
    ("label smoothing", "label-smoothing"), ("cross-entropy", "cross-entropy-loss"), ("F1 score", "f1-score"),
    ("AUC", "roc-curve"), ("Grad-CAM", "grad-cam"), ("SHAP values", "shap"), ("occlusion maps", "occlusion-sensitivity"),
    ("DeepDream", "deepdream"), ("multi-head attention", "multi-head-attention"), ("KL divergence", "kl-divergence"),
    ("Wasserstein distance", "wasserstein-distance"), ("matched filter", "matched-filtering"),
    ("quantile regression", "quantile-regression"), ("SNPE", "sequential-neural-posterior-estimation"),
    ("MAF", "masked-autoregressive-flow"), ("WGAN-GP", "wasserstein-gan"), ("BiLSTM", "bidirectional-lstm"),
    ("LoRA", "lora"), ("Monte Carlo simulations", "monte-carlo-method"), ("Bootstrap", "bootstrap-resampling"),
    ("XGBoost", "xgboost"), ("LightGBM", None),
])
def test_the_method_forms_people_write_find_the_concept(vocab, text, concept):
    match = vocab.match(Term((text,)), "method")
    # LightGBM is the library (software), looked up right after the method scheme, not an XGBoost
    expected = VOCAB + ("software/lightgbm-library" if concept is None else "method/" + concept)
    assert match and [c.iri for c in match.concepts] == [expected]


@pytest.mark.parametrize("instrument, carrier", [
    ("fermi-lat", "fermi"), ("gbm", "fermi"), ("hinode-sot", "hinode"), ("hinode-sp", "hinode-sot"),
    ("hinode-eis", "hinode"), ("aia", "sdo"), ("hmi", "sdo"), ("sdo-eve", "sdo"), ("visp", "dkist"),
    ("dl-nirsp", "dkist"), ("vtf", "dkist"), ("fos", "hst"), ("ghrs", "hst"), ("chandra-hrc", "chandra"),
    ("xmm-rgs", "xmm-newton"), ("planck-hfi", "planck"), ("solo-eui", "solar-orbiter")])
def test_an_instrument_is_narrower_than_the_facility_that_carries_it(graphs, instrument, carrier):
    g = graphs["facilities.ttl"]
    broader = set(g.objects(URIRef(VOCAB + "facility/" + instrument), SKOS.broader))
    assert URIRef(VOCAB + "facility/" + carrier) in broader
    assert URIRef(VOCAB + "facility/instrument") in broader


@pytest.mark.parametrize("release, mission", [("Gaia DR3", "gaia"), ("Gaia EDR3", "gaia"), ("DESI DR1", "desi"),
                                              ("Rubin Data Preview 1", "rubin-observatory"), ("AllWISE", "wise"),
                                              ("Euclid Q1", "euclid"), ("Galaxy Zoo 2", "galaxy-zoo")])
def test_a_data_release_is_a_label_of_its_survey_or_mission(graphs, release, mission):
    """Every labelled table's reader linked a release to its survey: the release is a label of it."""
    g = graphs["facilities.ttl"]
    labels = {str(o) for p in (SKOS.prefLabel, SKOS.altLabel) for o in g.objects(URIRef(VOCAB + "facility/" + mission), p)}
    assert release in labels


@pytest.mark.parametrize("release, mission", [
    ("unwise", "wise"), ("catwise", "wise"), ("fermi-4fgl", "fermi-lat"), ("tic", "tess"), ("koi", "kepler")])
def test_a_catalogue_is_narrower_than_its_mission(graphs, release, mission):
    g = graphs["facilities.ttl"]
    assert URIRef(VOCAB + "facility/" + mission) in set(g.objects(URIRef(VOCAB + "facility/" + release), SKOS.broader))


def test_acronyms_of_two_things_are_no_facility_label(vocab):
    # "BASS" is two surveys; "GCN" a graph convolutional network as often as the alert network
    assert vocab.match(Term(("BASS",)), "facility") is None
    assert [c.iri for c in vocab.match(Term(("GCN",)), None).concepts] == [VOCAB + "method/graph-convolutional-network"]


@pytest.mark.parametrize("concept, predicate, target", [
    ("kl-divergence", SKOS.exactMatch, UAT_NS + "1923"), ("monte-carlo-method", SKOS.exactMatch, UAT_NS + "2238"),
    ("bootstrap-resampling", SKOS.exactMatch, UAT_NS + "1906"), ("wavelet-analysis", SKOS.exactMatch, UAT_NS + "1918"),
    ("affine-invariant-sampler", SKOS.closeMatch, UAT_NS + "1890"), ("echo-state-network", SKOS.exactMatch, AIO_NS + "EchoStateNetwork"),
    ("batch-normalisation", SKOS.closeMatch, AIO_NS + "BatchNormalizationLayer"),
    ("generalised-linear-model", SKOS.exactMatch, AIO_NS + "GeneralizedLinearModel")])
def test_new_methods_are_aligned_to_uat_and_aio(graphs, concept, predicate, target):
    assert (URIRef(M + concept), predicate, URIRef(target)) in graphs["methods.ttl"]

def test_wikidata_items_are_cited_as_entity_iris(graphs):
    cited = [o for g in graphs.values() for o in g.objects(None, SKOS.exactMatch) if "wikidata" in str(o)]
    assert len(cited) >= 5
    assert all(re.fullmatch(r"http://www\.wikidata\.org/entity/Q[1-9]\d*", str(o)) for o in cited)


# ---------------------------------------------------------------- citations of UAT and AIO

def test_the_label_clash_examples_of_the_docs_hold_in_the_data(graphs):
    # docs/vocabularies.md, "When two vocabularies give one label to different concepts"; UAT as shipped
    # (tests/test_skos.py checks it is a fresh compile of the release in ../shared)
    from talkgraph.vocab.compiled import shipped_uat

    uat = shipped_uat().concepts
    deep, cnn = URIRef(M + "deep-learning"), URIRef(UAT_NS + "1938")
    assert str(graphs["methods.ttl"].value(deep, SKOS.prefLabel)) == "deep learning"
    assert "Deep learning" in {label.text for label in uat[str(cnn)].labels if label.kind == "alt"}
    assert (deep, SKOS.exactMatch, cnn) not in graphs["methods.ttl"]  # rule 3 decides, not rule 1
    assert uat[UAT_NS + "57"].pref_label == "Apogee"
    assert str(graphs["facilities.ttl"].value(URIRef(VOCAB + "facility/apogee"), SKOS.prefLabel)) == "APOGEE"
    assert (URIRef(VOCAB + "facility/hst"), SKOS.exactMatch, URIRef(UAT_NS + "761")) in graphs["facilities.ttl"]


@pytest.mark.parametrize("name", ["domains.ttl", "methods.ttl", "facilities.ttl", "software.ttl"])
def test_each_concept_is_written_once_in_its_file(name):
    # two blocks of one IRI merge silently when their prefLabels agree (an altLabel or broader of one is then
    # easily missed by whoever edits the other): a concept is described in one place
    from collections import Counter
    from pathlib import Path

    text = (Path(__file__).parent.parent / "ontology" / name).read_text(encoding="utf-8")
    subjects = Counter(line for line in text.splitlines() if re.fullmatch(r"[a-z]+:[A-Za-z0-9_.-]+", line))
    assert [s for s, n in subjects.items() if n > 1] == []
