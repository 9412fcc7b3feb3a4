"""Mentions: what the extractor finds in text, the false-friend rules, evidence in the graph, quality."""

from __future__ import annotations

import pytest
from click.testing import CliRunner
from rdflib import Literal, Namespace, URIRef
from rdflib.namespace import DCTERMS, RDF

from talkgraph import build
from talkgraph.cli import cli
from talkgraph.link.mentions import MentionExtractor, extract_all
from talkgraph.link.rules import RULES
from quality import TARGETS, score_mentions  # benchmarks/quality.py: evaluation is not part of the package
from talkgraph.vocab.vocabulary import load_vocabulary

from conftest import HEADER, ROOT

OA = Namespace("http://www.w3.org/ns/oa#")
TG = Namespace("https://w3id.org/talkgraph/ns#")


@pytest.fixture(scope="module")
def extractor():
    return MentionExtractor.default()


def found(extractor, text: str, title: str = "") -> list[tuple[str, str]]:
    """(matched text, concept local name) pairs, in text order."""
    return [(m.text, m.concept.rsplit("/", 1)[1]) for m in extractor.extract(title, text)]


def concepts(extractor, text: str) -> set[str]:
    return {concept for _, concept in found(extractor, text)}


@pytest.mark.parametrize("text, expected", [
    ("We use convolutional neural networks.", {"convolutional-neural-network"}),
    ("A CNN and two CNNs.", {"convolutional-neural-network"}),
    ("Three convolutional layers and a convolution kernel of width 5.", {"convolutional-neural-network"}),
    ("A neural-network classifier.", {"artificial-neural-network", "classification"}),
    ("We trained Bayesian convolutional neural networks.", {"bayesian-convolutional-neural-network"}),
    ("Bayesian optimization of the architecture.", {"bayesian-optimisation"}),
    ("Variational auto-encoders and a U-Net.", {"variational-autoencoder", "u-net"}),
    ("Here we present SegU-Net, a stable method.", {"u-net"}),
    ("Models were written in Stan and numpyro.", {"stan", "numpyro"}),
    # an instrument or a data set named after its facility names the facility too
    ("Herschel SPIRE and JCMT SCUBA-2 maps.", {"herschel", "spire", "jcmt", "scuba-2"}),
    ("Data from the Vera C. Rubin Observatory and SDSS Stripe 82.", {"rubin-observatory", "sdss", "sdss-stripe-82"}),
    ("Solar flares heat the solar chromosphere.", {"1496", "1479"}),  # UAT concepts by their numbers
])
def test_labels_match_in_any_case_plural_hyphenation_and_spelling(extractor, text, expected):
    assert concepts(extractor, text) == expected


@pytest.mark.parametrize("text, expected", [
    # a topic named by the adjective of its label's last word
    ("We retrieve exoplanet atmospheric parameters.", {"487"}),
    ("Radiation hydrodynamic simulations of flares.", {"radiation-hydrodynamics"}),
    ("The field holds non-Gaussian information.", {"1116"}),
    # a method by what carries it out, its modifier hyphenated as a compound ("light-curve classifier")
    ("We train a light-curve classifier.", {"time-series-classification"}),
    # topics UAT lacks, each under a UAT concept (ontology/domains.ttl), and words UAT lacks for its own
    ("Coalescing compact-object binaries seen by LIGO.", {"compact-binary-mergers", "ligo"}),
    ("H-alpha images of coronal jets and flare ribbons.", {"h-alpha", "coronal-jets", "flare-ribbons"}),
    ("The HI content of galaxies from neutral hydrogen maps.", {"neutral-hydrogen"}),
    ("Difference imaging finds the transient.", {"difference-imaging", "1851"}),
    ("A pyramid wavefront sensor and its guide stars.", {"pyramid-wavefront-sensor", "guide-stars"}),
    ("Asteroid families and potentially hazardous asteroids.", {"742", "potentially-hazardous-objects"}),
    ("Magnetohydrodynamic simulations with measurement errors.", {"1966", "1946"}),
    # a kind of variable star by the noun astronomers use for it
    ("We find $\\delta$ Scuti pulsators and RR Lyrae pulsators.", {"370", "1410"}),
    ("Gravitational arcs and two-point statistics of luminous red galaxies.", {"943", "1951", "luminous-red-galaxies"}),
    ("The expansion history of the universe and the inflaton field.", {"502", "319"}),
    ("Small bodies in three-body resonances, under atmospheric seeing.", {"1469", "1181", "92"}),
    ("A morphological classification of radio galaxies with feed-forward networks.", {"582", "1343", "multilayer-perceptron"}),
])
def test_adjective_forms_and_the_topics_uat_lacks(extractor, text, expected):
    assert concepts(extractor, text) == expected


def test_typographic_quotes_and_dashes_read_as_the_keyboards_and_the_evidence_quotes_the_text(extractor):
    text = "The thermal Sunyaev–Zel’dovich effect of Fanaroff–Riley radio galaxies."
    found = extractor.extract("", text)
    assert {m.concept.rsplit("/", 1)[1] for m in found} == {"1654", "526"}
    assert all(text[m.start:m.end] == m.text for m in found) and "Sunyaev–Zel’dovich effect" in {m.text for m in found}
    # a label that carries the dash itself is read the same way (the patterns are, too)
    assert concepts(extractor, "The Kennelly–Heaviside layer reflects radio waves.") == {"427"}


@pytest.mark.parametrize("text, expected", [
    # cosmology's statistics and the CMB, neutrinos, cosmic rays, adaptive optics (dev-set-4)
    ("The angular power spectrum, Minkowski functionals and peak counts of weak-lensing maps.",
     {"power-spectrum", "minkowski-functionals", "peak-counts", "1797"}),  # 1797: Weak gravitational lensing
    ("Primordial B-modes under extragalactic foregrounds and the cosmic infrared background.",
     {"cmb-b-modes", "extragalactic-foregrounds", "cosmic-infrared-background"}),
    ("Atmospheric and astrophysical neutrinos; ultra-high energy cosmic rays.",
     {"atmospheric-neutrinos", "astrophysical-neutrinos", "1733"}),
    ("Deformable mirrors for wavefront control; astrochemical networks.", {"deformable-mirrors", "wavefront-control", "75"}),
    # space weather, gamma-ray and radio transients, planetary archives (dev-set-5)
    ("High-speed streams and radio transients seen by imaging atmospheric Cherenkov telescopes (IACTs) and CTLearn.",
     {"1872", "2008", "imaging-atmospheric-cherenkov-telescope", "ctlearn"}),
    ("Content-based image retrieval over the Planetary Data System with polynomial regression and an N-body code.",
     {"content-based-image-retrieval", "planetary-data-system", "polynomial-regression", "1083"}),
    # supernova types as the SN Ia are written, exoplanet missions, alert-broker codes (dev-set-18, -20)
    ("Core Collapse SNe: SN II, SNe Ib and SN Ic for Ariel, the VLTI, Superphot+ and SNGuess.",
     {"304", "1731", "1729", "1730", "ariel-mission", "vlti", "superphot-plus", "snguess"}),
    # weak-lensing mass maps, LLM training, codes (dev-sets 18-23)
    ("A Wiener filter and Kaiser-Squires inversion for mass mapping; supervised fine-tuning and continued "
     "pre-training; redMaPPer and FARGO3D; stellar population synthesis; the Mahalanobis distance.",
     {"wiener-filter", "kaiser-squires-inversion", "mass-mapping", "supervised-fine-tuning", "continued-pretraining",
      "redmapper", "fargo3d", "stellar-population-synthesis", "mahalanobis-distance"}),
    ("The Chinese Space Station Telescope (CSST) and the Catalina Sky Survey (CSS).", {"csst", "catalina-sky-survey"}),
    # everyday topics UAT lacks, each under a UAT concept by broadMatch
    ("Star formation histories (SFHs), dust attenuation laws and the Sérsic index of jellyfish galaxies under "
     "ram-pressure stripping.", {"star-formation-history", "dust-attenuation", "sersic-index", "jellyfish-galaxies",
                                 "ram-pressure-stripping"}),
    ("Superluminous and pair-instability supernovae; the period–luminosity relation; the stellar-to-halo mass "
     "relation; the neutron star equation of state.", {"superluminous-supernovae", "pair-instability-supernovae",
                                                       "period-luminosity-relation", "stellar-to-halo-mass-relation",
                                                       "neutron-star-equation-of-state"}),
    # pulsar timing, dark matter, galaxies and haloes, agents (dev-set-6)
    ("The stochastic gravitational-wave background (SGWB), self-interacting dark matter, AGN feedback and "
     "cosmological structure formation; the halo mass function and the galaxy-halo connection of little red dots.",
     {"gravitational-wave-background", "self-interacting-dark-matter", "agn-feedback", "structure-formation",
      "halo-mass-function", "galaxy-halo-connection", "little-red-dots"}),
    ("A multi-agent framework for question answering, galaxy spectral fitting, periodograms, catalogue "
     "cross-matching and data mining.", {"multi-agent-system", "question-answering", "spectral-fitting",
                                         "periodogram", "cross-matching", "data-mining"}),
])
def test_the_words_of_fields_the_first_sets_lacked(extractor, text, expected):
    assert concepts(extractor, text) == expected


def test_classifying_names_classification(extractor):
    # the labels mark Classification where a talk says it classifies, on every labelled table
    assert concepts(extractor, "We classify light curves; the network classifies galaxies.") >= {"classification"}


def test_a_method_s_verb_and_its_doer_name_it(extractor):
    """Hidden labels: the labels mark Cross-validation for "cross-validate", Regression for "regressors"."""
    assert concepts(extractor, "We cross-validate five regressors, then fine-tune the best.") == {
        "cross-validation", "regression", "fine-tuning"}
    assert concepts(extractor, "Cross-validated scores.") == {"cross-validation"}


def test_a_band_named_bare_is_no_topic_in_prose_but_links_a_keyword_cell(extractor):
    # the labels mark X-ray sources, gamma-ray bursts, interstellar dust where named, never 'X-ray', 'dust' alone
    assert concepts(extractor, "Gamma-ray and X-ray emission, dust, along the line of sight.") == set()
    assert concepts(extractor, "Gamma-ray bursts and X-ray binaries in dusty galaxies.") >= {"629"}
    from talkgraph.vocab.keywords import Term
    vocab = load_vocabulary()
    assert [c.iri.rsplit("/", 1)[1] for c in vocab.match(Term(("X-ray",)), "domain").concepts] == ["1810"]


def test_lambda_cold_dark_matter_spelt_out_is_the_model_and_hubble_measurements_are_not_the_telescope(extractor):
    assert concepts(extractor, "Parameters of the Lambda Cold Dark Matter (ΛCDM) framework.") == {"lambda-cdm"}
    assert concepts(extractor, "Cosmological parameters from Hubble measurements.") == {"339"}
    assert concepts(extractor, "Hubble observations of lensed quasars.") == {"hst", "1319"}


@pytest.mark.parametrize("text, expected", [
    # the field beyond the real table: brokers, surveys, telescopes, codes, methods and topics it names
    ("Alerts from ZTF reach the ALeRCE and Fink brokers.", {"ztf", "alerce", "fink"}),
    ("The Fink broker agrees with Lasair.", {"fink", "lasair"}),
    ("Spectra from GALAH, APOGEE and LAMOST give chemical abundances.",
     {"galah", "apogee", "lamost", "224"}),
    ("We flag RFI in MeerKAT and FAST data.", {"radio-frequency-interference", "meerkat", "fast"}),
    ("Cosmic shear from the Atacama Cosmology Telescope and SPT-3G data.", {"1797", "act", "spt"}),
    ("Neural ratio estimation on the Quijote simulations with JAX and Flax.",
     {"neural-ratio-estimation", "quijote", "jax", "flax"}),
    ("We fit SEDs with CIGALE and BAGPIPES, then Bayesian model comparison.",
     {"2129", "cigale", "bagpipes", "bayesian-model-comparison"}),
    ("Mask R-CNN finds galaxies; a YOLO network finds artefacts; SExtractor and GalSim.",
     {"mask-r-cnn", "yolo", "source-extractor", "galsim"}),  # "galaxies": the whole field, no mention
    ("Pulsar timing arrays (PTAs) and magnetars; the Lyman-alpha forest traces the IGM.",
     {"pulsar-timing-arrays", "992", "980", "813"}),
    ("A GPT-4 agent and astroBERT read papers; SimCLR and DINO learn from cutouts.", {"gpt", "bert", "simclr", "dino"}),
    ("Conformal prediction and SHAP for BBH mergers found through citizen science.",
     {"conformal-prediction", "shap", "binary-black-holes", "citizen-science"}),  # SHAP: narrower than explainable AI
    ("Radio sources in LoTSS, the EMU survey, VLASS and NVSS; WaveNet and seq2seq models; KiDS-1000.",
     {"1358", "lotss", "emu", "vlass", "nvss", "wavenet", "sequence-to-sequence", "kids"}),
    ("The Hubble tension, the SZ effect of clusters and H II regions; hot Jupiters' transmission spectra.",
     {"758", "1654", "694", "753", "2133"}),
    # grown from public lists (issue #17): training terms, attribution methods, statistics, model families
    ("We train with dropout layers, batch normalization and early stopping, with label smoothing and a cross-entropy loss.",
     {"dropout", "batch-normalisation", "early-stopping", "label-smoothing", "cross-entropy-loss"}),
    ("Grad-CAM, integrated gradients, occlusion maps, DeepDream and SHAP values explain the CNN.",
     {"grad-cam", "integrated-gradients", "occlusion-sensitivity", "deepdream", "shap", "convolutional-neural-network"}),
    ("Matched filtering, wavelet transforms, the KL divergence and the Wasserstein distance; quantile regression, "
     "bootstrap errors and SNPE.", {"matched-filtering", "wavelet-analysis", "kl-divergence", "wasserstein-distance",
                                    "quantile-regression", "bootstrap-resampling", "sequential-neural-posterior-estimation"}),
    ("A masked autoregressive flow, a WGAN-GP and a DDPM; LoRA adapters for a LLaMA model and a Mamba encoder.",
     {"masked-autoregressive-flow", "wasserstein-gan", "ddpm", "lora", "llama", "mamba"}),
    ("We use Monte Carlo simulations, a Monte Carlo Markov chain and a Fisher forecast; Nelder-Mead and L-BFGS.",
     {"monte-carlo-method", "markov-chain-monte-carlo", "fisher-matrix", "nelder-mead", "l-bfgs"}),
    # instruments under their facility (which their names name too), data releases and catalogues, both
    # spellings of LAMOST
    ("Fermi-LAT and Fermi GBM bursts, Hinode SOT/SP and SDO/EVE data, DKIST ViSP maps; AllWISE colours and the 4FGL "
     "catalogue.", {"fermi", "fermi-lat", "gbm", "hinode", "hinode-sot", "hinode-sp", "sdo", "sdo-eve", "dkist", "visp",
                    "wise", "fermi-4fgl"}),
    ("Gaia DR3, K2 and TESS Objects of Interest, CHIME/FRB bursts, eRASS1 sources and the Hubble Frontier Fields.",
     {"gaia", "k2", "tess", "toi", "chime", "chime-frb", "erass", "hst", "frontier-fields"}),
    ("Spectra from the Large Sky Area Multi-Object Fiber Spectroscopic Telescope, the BAT AGN Spectroscopic Survey "
     "and GCN Circulars.", {"lamost", "bass-agn", "gcn"}),
    ("We fit with LightGBM, CatBoost and NGBoost, tune with Optuna and Hyperopt and log to Weights & Biases; "
     "GPyTorch, WebbPSF and DrizzlePac.", {"lightgbm-library", "catboost-library", "ngboost", "optuna", "hyperopt",
                                          "weights-and-biases", "gpytorch", "webbpsf", "drizzlepac"}),
    # ambiguous labels name their concept in keyword cells only, never alone in prose
    ("B-dropouts and U-band dropout galaxies; the loss function, an F1 score of 0.9 and an AUC; Ray met the LAT team "
     "near a Tractor.", set()),
    ("Halos, glitches and ACT: our broker uses Spark and Lightning at GMT noon.", set()),
    ("Stars of the SMC; the MAE and the LDA of the fit; RAG, GAT and PSO.", {"1468"}),  # UAT's SMC: the Small Magellanic Cloud
])
def test_the_vocabularies_cover_the_field_and_keep_ambiguous_words_out(extractor, text, expected):
    assert concepts(extractor, text) == expected


def test_patterns_made_without_the_tokenizer_are_tokenized_as_it_would(extractor, monkeypatch):
    texts = [t for table in extractor.patterns.values() for texts in table.values() for t in texts]
    tokens = lambda doc: [(t.text, bool(t.whitespace_)) for t in doc][:-1] + [doc[-1].text]
    expected = [tokens(extractor.nlp.make_doc(text)) for text in texts]
    tokenized = []
    make_doc = extractor.nlp.make_doc
    monkeypatch.setattr(extractor.nlp, "make_doc", lambda text: tokenized.append(text) or make_doc(text))
    assert [tokens(extractor.pattern_doc(text)) for text in texts] == expected
    assert len(texts) > 5000 and 0 < len(tokenized) < 0.7 * len(texts)  # the shortcut is taken, often
    # not for the tokenizer's special cases, nor for anything but letters joined by single spaces or hyphens
    tokenized.clear()
    assert [tokens(extractor.pattern_doc(t)) for t in ("cannot", "neural-network", "GW170817")] == [
        [("can", False), "not"], [("neural", False), ("-", False), "network"], ["GW170817"]]
    assert tokenized == ["cannot", "GW170817"]


def test_acronyms_and_short_names_match_only_as_written(extractor):
    assert concepts(extractor, "GOTO and Stan") == {"goto", "stan"}
    assert concepts(extractor, "We goto the stan.") == set()


@pytest.mark.parametrize("text, expected", [
    ("We classify SNe Ia.", ("SNe Ia", "1728")),  # "Ia." is the tokenizer's abbreviation of Iowa
    ("We need accurate photo-z.", ("photo-z", "photometric-redshifts")),  # and "z." a letter's
    ("Galaxies that end the EoR.", ("EoR", "1383")),  # a capital after a lower-case letter
    ("Maps from SPT-3G.", ("SPT-3G", "spt")),  # after a digit
    ("We train a ViT.", ("ViT", "vision-transformer")),
    ("Radial velocities from HARPS-N.", ("HARPS-N", "harps-n")),
    ("As seen (by KM3NeT.)", ("KM3NeT", "km3net")),
])
def test_labels_match_at_the_end_of_a_sentence(extractor, text, expected):
    assert found(extractor, text)[-1] == expected
    assert found(extractor, text.replace(".", ",")) == found(extractor, text)


def test_every_pattern_matches_before_a_period_except_after_a_single_letter(extractor):
    missed = []
    for kind, table in extractor.patterns.items():
        for text in {t for texts in table.values() for t in texts}:
            pattern = [t.text for t in extractor.pattern_doc(text)]
            tokens = [t.text for t in extractor.nlp.make_doc(f"It is {text}. Then")]
            if tokens[2:] != pattern + [".", "Then"]:
                missed.append((text, pattern[-1]))
    # "photo z." and "Super K." (and "IRAM 30m.", whose last token is "m") would need "z." and "K." split
    # everywhere, initials ("K. Smith") too; a label that ends in a period itself is left alone
    assert sorted(missed) == sorted((t, last) for t, last in missed if len(last) == 1 or t.endswith("."))
    assert 0 < len(missed) < 50  # UAT brings labels ending in one letter: "Jupiter I", "Fanaroff Riley-class I"
    assert [t.text for t in extractor.nlp.make_doc("K. Smith and Z. Ivezic")] == ["K.", "Smith", "and", "Z.", "Ivezic"]


def test_longest_match_wins_and_offsets_point_into_the_text(extractor):
    text = "An ensemble of Bayesian convolutional neural networks (BCNNs)."
    (mention, *_) = extractor.extract("", text)
    assert mention.concept.endswith("/bayesian-convolutional-neural-network")
    assert text[mention.start:mention.end] == mention.text == "Bayesian convolutional neural networks"
    assert mention.field == "abstract"


def test_an_abbreviation_defined_in_the_text_is_learnt_for_that_talk(extractor):
    text = "Convolutional Neural Networks (CNNs) are fast. Later, our ConvNN beats every CNN."
    mentions = extractor.extract("Detecting signals with CNNs", text)
    assert all(m.concept.endswith("/convolutional-neural-network") for m in mentions)
    assert [m.how for m in mentions if m.field == "abstract"] == ["label", "abbreviation", "abbreviation"]
    intensity = "We use HI intensity mapping (IM). IM surveys are new."
    assert [c for _, c in found(extractor, intensity)] == ["hi-intensity-mapping"] * 3


def test_a_local_definition_overrides_a_global_acronym(extractor):
    text = "We model the gravitational potential (GP) of the halo. The GP is smooth."
    assert "gaussian-process" not in concepts(extractor, text)
    assert "gaussian-process" in concepts(extractor, "A GP fits the light curve.")
    # a name in camel case whose capitals spell the acronym defines it too
    assert "spiking-neural-network" not in concepts(extractor, "We classify them with SuperNNova (SNN). SNN is fast.")
    assert "spiking-neural-network" in concepts(extractor, "An SNN on neuromorphic hardware.")


def test_a_label_s_leading_the_does_not_make_it_longer(extractor):
    """"the Galaxy" (the Milky Way) and "Galaxy Zoo" overlap in "the Galaxy Zoo": the two words of the
    project's name win over the article and one word of the other."""
    assert concepts(extractor, "Volunteers of the Galaxy Zoo project classify galaxies.") >= {"galaxy-zoo"}
    assert "1054" not in concepts(extractor, "Volunteers of the Galaxy Zoo project classify galaxies.")
    assert "1054" in concepts(extractor, "Stars of the Galaxy and their orbits.")  # 1054: Milky Way Galaxy


def test_a_roman_numeral_is_no_acronym(extractor):
    """"VI" names variational inference only where the talk defines it: a series' sixth paper is not."""
    assert concepts(extractor, "Identifying Exoplanets with Deep Learning VI. Enhancing networks.") == {
        "498", "deep-learning"}  # 498: Exoplanets
    assert "variational-inference" in concepts(extractor, "Variational inference (VI) is fast; VI scales.")


def test_hyphenated_and_closed_prefixes_match_both_ways(extractor):
    assert concepts(extractor, "Source de-blending of crowded fields.") == {"source-deblending"}


def test_bayesian_optimisation_is_not_bayesian_inference(extractor):
    text = "We discuss how Bayesian Optimisation can select network architectures."
    assert concepts(extractor, text) == {"bayesian-optimisation"}
    assert concepts(extractor, "Bayesian inference, not Bayesian optimisation.") == {"bayesian-inference",
                                                                                     "bayesian-optimisation"}


def test_ambiguous_labels_match_keyword_cells_but_not_prose(extractor):
    assert concepts(extractor, "This problem has received much attention from surveys.") == set()
    assert concepts(extractor, "Self-attention improves the classifier.") >= {"attention-mechanism"}
    vocab = load_vocabulary()
    from talkgraph.vocab.keywords import Term
    assert vocab.match(Term(("attention",)), "method").concepts[0].iri.endswith("/attention-mechanism")


@pytest.mark.parametrize("label, scheme, concept", [
    ("dropout", "method", "method/dropout"), ("loss function", "method", "method/loss-function"),
    ("F1 score", "method", "method/f1-score"), ("AUC", "method", "method/roc-curve"),
    ("confusion matrix", "method", "method/confusion-matrix"), ("RMSE", "method", "method/mean-squared-error"),
    ("LAT", None, "facility/fermi-lat"), ("Ray", None, "software/ray-tune"), ("Tractor", None, "software/tractor")])
def test_the_new_cells_only_labels_link_a_keyword_cell_but_not_prose(extractor, label, scheme, concept):
    # issue #17: an evaluation metric in prose reports a result; "dropout" is also a Lyman-break galaxy
    from talkgraph.vocab.keywords import Term
    assert concepts(extractor, f"In this talk, one {label} matters.") == set()
    match = load_vocabulary().match(Term((label,)), scheme)
    assert match and [c.iri.split("/vocab/")[1] for c in match.concepts] == [concept]


@pytest.mark.parametrize("label, uat", [("astronomical surveys", "1464"), ("orbits", "1184")])
def test_everyday_words_of_the_thesaurus_link_a_keyword_cell_but_not_prose(extractor, label, uat):
    # readers of the labelled tables marked "astronomical surveys" as Sky surveys in 2 of 12 talks, "orbits" in 0 of 6
    from talkgraph.vocab.keywords import Term
    assert concepts(extractor, f"Modern {label} grow; their {label} matter.") == set()
    match = load_vocabulary().match(Term((label,)), None)
    assert match and [c.iri for c in match.concepts] == [f"http://astrothesaurus.org/uat/{uat}"]


#: For each false-friend rule: text where the concept is mentioned, and text where it is not.
RULE_CASES = {
    "hierarchical-clustering-of-structure": (
        "We group light curves with hierarchical clustering, an unsupervised algorithm.",
        "The hierarchical clustering of dark matter haloes builds up galaxies."),
    "stellar-mass-of-galaxies": (
        "We infer stellar masses of binary stars from their orbits.",
        "We estimate the stellar mass and halo mass of each galaxy."),
    "stellar-radius-of-galaxies": (
        "We measure the stellar radius of each red giant from its oscillations.",
        "We predict the stellar radius and halo mass of each galaxy."),
    "galaxy-clustering": (
        "We apply clustering to the latent space of the autoencoder.",
        "We measure galaxy clustering with the two-point correlation function."),
    "bare-transformer": (
        "A transformer trained on light curves classifies supernovae.",
        "The observatory replaced the transformer in its power supply."),
    "dropout-the-regulariser": (
        "A network with one hidden layer and dropout in that layer predicts redshifts.",
        "We select Lyman-break dropouts at redshift 4 and count g-dropout galaxies."),
    "ensemble-of-models": (
        "The uncertainty comes from an ensemble of trained networks; a voting ensemble of four classifiers wins.",
        "For an ensemble of stars it infers the large frequency separation; the strain ensemble distribution is wide."),
    "attention-the-mechanism": (
        "A recurrent encoder with additive attention reads the light curves.",
        "Machine learning has received much attention in astronomy; we pay attention to the noise."),
    "adam-the-optimiser": (
        "The network was trained with Adam at a learning rate of 0.01.",
        "Adam Riess measured the expansion of the Universe."),
    "virgo-the-detector": (
        "We analyse data from the LIGO and Virgo detectors.",
        "We study dwarf galaxies in the Virgo cluster."),
    "bayesian-networks-of-neurons": (
        "A Bayesian network encodes the conditional dependencies between parameters.",
        "We train Bayesian convolutional neural networks. The Bayesian networks learn from noisy labels."),
    "detector-glitches": (
        "A network tells glitches in the LIGO detectors from gravitational-wave bursts.",
        "Pulsar glitches change the spin of the neutron star."),
    "bare-flares-of-the-sun": (
        "Coronal mass ejections, flares and filament eruptions leave the Sun.",
        "M dwarfs flare often; the flares last minutes."),
    "technique-adjective-of-data": (
        "We combine photometric data with spectroscopic surveys.",
        "Photometric classification of photometric light curves."),
    "roman-the-telescope": (
        "Forecasts for weak lensing with Euclid and Roman.",
        "The Roman road network of Britain."),
    "constellations-of-satellites": (
        "Stars of the constellation Orion and its neighbouring constellations.",
        "A constellation of small satellites monitors the solar wind."),
    "eponymous-constants": (
        "We classify images from the Hubble archive.",
        "We infer the Hubble constant from lensed quasars."),
    "ml-maximum-likelihood": (
        "ML methods are fast.",
        "The ML estimate of the amplitude is biased."),
}
RULE_CONCEPTS = {rule.name: rule.concepts for rule in RULES}


def test_every_rule_has_a_test():
    assert set(RULE_CASES) == set(RULE_CONCEPTS)


@pytest.mark.parametrize("name", sorted(RULE_CASES))
def test_false_friend_rule(extractor, name):
    kept, dropped = RULE_CASES[name]
    assert concepts(extractor, kept) & RULE_CONCEPTS[name], kept
    assert not concepts(extractor, dropped) & RULE_CONCEPTS[name], dropped


@pytest.mark.parametrize("text, concept, found", [
    ("Isochrones from BaSTI, MIST, PARSEC and Dartmouth.", "1199", False),  # a code's name, not the parsec
    ("Stars within a few parsec of the Sun.", "1199", True),
    ("As part of the CERES project we design a pipeline.", "219", False),
    ("Water on the dwarf planet Ceres.", "219", True),
    ("DEEP LEARNING FOR BLAZARS", "164", True),  # a heading in capitals: its words are words
    ("We classify AGNs and FRBs.", "16", True),  # an acronym label matches in capitals
])
def test_a_word_in_capitals_names_no_thesaurus_concept_labelled_as_a_word(extractor, text, concept, found):
    assert (concept in concepts(extractor, text)) is found


@pytest.mark.parametrize("text, concept, found", [
    ("We run magnetohydrodynamic (MHD) simulations of flux ropes.", "1966", True),  # Magnetohydrodynamical simulations
    ("A Gaussian process (GP) regression fits the light curve.", "gaussian-process", True),
    ("We sample with Markov chain Monte Carlo (MCMC) methods.", "monte-carlo-method", False),  # MCMC is no Monte Carlo
    ("We sample with Markov chain Monte Carlo (MCMC) methods.", "markov-chain-monte-carlo", True),
    ("A Vision Transformer (ViT) model classifies galaxies.", "vision-transformer", True),
    ("A Vision Transformer (ViT) model classifies galaxies.", "transformer", False),  # "Transformer model" is no term
])
def test_a_term_goes_on_after_the_acronym_it_defines(extractor, text, concept, found):
    assert (concept in concepts(extractor, text)) is found


def test_a_term_around_its_acronym_quotes_the_brackets(extractor):
    [mention] = [m for m in extractor.extract("", "Magnetohydrodynamic (MHD) simulations of the corona.")
                 if m.concept.endswith("/1966")]
    assert mention.text == "Magnetohydrodynamic (MHD) simulations"


def test_a_match_a_rule_drops_names_the_concept_it_becomes(extractor):
    # in a talk about galaxies, a galaxy's stellar mass is UAT's Galaxy masses, not Stellar masses
    becomes = {rule.name: rule.becomes for rule in RULES if rule.becomes}
    assert becomes == {"stellar-mass-of-galaxies": "607", "stellar-radius-of-galaxies": "617"}
    kept, dropped = RULE_CASES["stellar-mass-of-galaxies"]
    assert "607" in concepts(extractor, dropped)
    assert "607" not in concepts(extractor, kept)


def test_a_process_pool_gives_the_same_mentions_as_one_process(extractor):
    from talkgraph.tables.records import Record, to_record
    from talkgraph.tables.table import read_table

    records = [r for r in map(to_record, read_table(ROOT / "data" / "talks.tsv").rows()) if isinstance(r, Record)]
    pairs = [(r.title, r.abstract) for r in records] * 3
    serial = list(extractor.extract_many(pairs, processes=1))
    pooled = list(extractor.extract_many(pairs, processes=2, chunk=5))
    assert pooled == serial and sum(map(len, serial)) > 100


def test_computing_only_the_lexical_attributes_it_reads_changes_no_mention(extractor):
    """The extractor's vocabulary computes LOWER and IS_ALPHA for a new word, not spaCy's 23
    attributes; an extractor with all of them finds the same spans, abbreviations and candidates."""
    import io
    import sys

    import spacy

    from talkgraph.link.candidates import CandidateTerms
    from talkgraph.tables.records import Record, to_record
    from talkgraph.tables.table import read_table

    sys.path.insert(0, str(ROOT / "benchmarks"))
    from synth import generate

    stream = io.StringIO()
    generate(120, seed=3, out=stream)
    synthetic = [row.split("\t") for row in stream.getvalue().splitlines()[3:] if row.count("\t") == 5]
    records = [r for r in map(to_record, read_table(ROOT / "data" / "talks.tsv").rows()) if isinstance(r, Record)]
    pairs = [(r.title, r.abstract) for r in records] + [(row[2], row[5]) for row in synthetic] + [
        ("", "We apply the Zorblax Quantum Estimator (ZQE) to new data; the ZQE is fast.")]

    full, lean = MentionExtractor(load_vocabulary()), extractor
    full.nlp.vocab.lex_attr_getters = spacy.blank("en").vocab.lex_attr_getters
    assert len(lean.nlp.vocab.lex_attr_getters) == 2 < len(full.nlp.vocab.lex_attr_getters)
    found = {}
    for name, extractor in (("full", full), ("lean", lean)):
        candidates = CandidateTerms()
        found[name] = ([extractor.spans(title, abstract, candidates) for title, abstract in pairs],
                       candidates.count, candidates.long_forms)
    assert found["lean"] == found["full"] and sum(map(len, found["lean"][0])) > 1_200
    assert found["lean"][2]["ZQE"] == "Zorblax Quantum Estimator"  # a long form, which needs IS_ALPHA
    word = lean.nlp.make_doc("Zorblaxian")[0]
    assert (word.lower_, word.is_alpha) == ("zorblaxian", True)

# ------------------------------------------------------------------ in the graph

@pytest.fixture(scope="module")
def real(real_build):
    return real_build


def test_every_mention_has_evidence_that_quotes_the_stored_text(real):
    g = real.graph
    annotations = list(g.subjects(RDF.type, OA.Annotation))
    assert len(annotations) == len(list(g.triples((None, TG.mentions, None)))) == 201
    for annotation in annotations:
        concept = g.value(annotation, OA.hasBody)
        target = g.value(annotation, OA.hasTarget)
        talk, field = g.value(target, OA.hasSource), g.value(target, TG.inField)
        assert (talk, TG.mentions, concept) in g
        selectors = list(g.objects(target, OA.hasSelector))
        position = next(s for s in selectors if (s, RDF.type, OA.TextPositionSelector) in g)
        quote = next(s for s in selectors if (s, RDF.type, OA.TextQuoteSelector) in g)
        text = str(g.value(talk, field))
        start, end = int(g.value(position, OA.start)), int(g.value(position, OA.end))
        assert text[start:end] == str(g.value(quote, OA.exact))


def test_the_graph_has_the_mentions_the_issue_names(real):
    g = real.graph
    spindler = URIRef("https://w3id.org/talkgraph/id/talk/unsupervised-classification-for-galaxy-morphology-where-"
                      "do-computers-go-wrong")
    mentioned = {str(o).rsplit("/", 1)[1] for o in g.objects(spindler, TG.mentions)}
    assert {"variational-autoencoder", "gaussian-mixture-model", "sdss"} <= mentioned
    evidence = [a for a in g.subjects(OA.hasBody, URIRef("https://w3id.org/talkgraph/vocab/facility/sdss"))
                if g.value(g.value(a, OA.hasTarget), OA.hasSource) == spindler]
    quote = next(q for q in g.objects(g.value(evidence[0], OA.hasTarget), OA.hasSelector)
                 if g.value(q, OA.exact) is not None)
    assert g.value(quote, OA.exact) == Literal("Sloan Digital Sky Survey")
    assert g.value(g.value(evidence[0], OA.hasTarget), TG.inField) == DCTERMS.abstract


def test_the_report_counts_mentions_and_lists_candidate_terms(real):
    counts, mentions = real.counts["mentions"], real.report["mentions"]
    assert counts == {"domain": 18, "facility": 31, "method": 91, "software": 6, "uat": 55}
    assert mentions["talks_with_mentions"] == 19 and mentions["evidence"] is True
    terms = {t["term"]: t for t in mentions["candidate_terms"]}
    assert terms["AstroVaDEr"]["talks"] == 1  # the speaker's own network: a method the vocabulary could learn
    assert "HI" not in terms  # neutral hydrogen: learnt (domain:neutral-hydrogen)
    assert "CNN" not in terms and "How They Do It" not in terms  # matched; a title in Title Case


def test_no_evidence_keeps_the_links_and_no_mentions_drops_both(tmp_path):
    lean = build(ROOT / "data" / "talks.tsv", evidence=False)
    assert lean.conforms and lean.counts["mentions"] == build(ROOT / "data" / "talks.tsv").counts["mentions"]
    assert not list(lean.graph.subjects(RDF.type, OA.Annotation))
    runner = CliRunner()
    result = runner.invoke(cli, ["build", "--out", str(tmp_path), "--no-mentions"])
    assert result.exit_code == 0 and "mentions: skipped (--no-mentions)" in result.output
    from rdflib import Graph
    assert not list(Graph().parse(tmp_path / "graph.ttl").triples((None, TG.mentions, None)))


def test_an_alt_label_in_an_extra_vocabulary_teaches_the_extractor(tmp_path, write_table):
    extra = tmp_path / "extra.ttl"
    extra.write_text("""@prefix skos: <http://www.w3.org/2004/02/skos/core#> .
<https://w3id.org/talkgraph/vocab/method/cas-parameters> a skos:Concept ;
    skos:inScheme <https://w3id.org/talkgraph/vocab/method> ;
    skos:prefLabel "CAS parameters"@en ; skos:altLabel "CAS system"@en .
""", encoding="utf-8")
    table = write_table([HEADER, ["Ana", "Lee", "Morphology", "galaxies", "CNN",
                                  "Measurements such as the CAS system are slow."]])
    result = build(table, vocabularies=[extra])
    assert result.conforms and result.counts["mentions"] == {"method": 1}


def test_the_extractor_meets_the_quality_targets_of_issue_4_on_the_real_table():
    """The targets of issue #4, on the gold file written then (tests/gold/mentions.tsv), for the schemes it
    labelled fully; astronomy topics are scored on the labels of issue #17 (data/talks.labels.tsv, below)."""
    scores = score_mentions(ROOT / "data" / "talks.tsv", ROOT / "tests" / "gold" / "mentions.tsv")["schemes"]
    for scheme, (precision, recall) in TARGETS.items():
        if scheme != "domain":
            assert scores[scheme]["precision"] >= precision and scores[scheme]["recall"] >= recall, (scheme,
                                                                                                       scores[scheme])


#: What benchmarks/link_quality.py measured when the linking of issue #17 landed (F1 of each table and part):
#: a change that makes links worse on the labelled tables fails here; one that makes them better raises these.
LINK_QUALITY_FLOOR = {("data/talks.tsv", "declared"): 0.90, ("data/talks.tsv", "mentioned"): 0.89,
                      ("data/dev-set/talks.tsv", "declared"): 0.96, ("data/dev-set/talks.tsv", "mentioned"): 0.85,
                      # the second to sixth development sets, tuned on from 2026-12-07 (their unseen figures:
                      # benchmarks/README.md)
                      ("data/dev-set-2/talks.tsv", "declared"): 0.96, ("data/dev-set-2/talks.tsv", "mentioned"): 0.87,
                      ("data/dev-set-3/talks.tsv", "declared"): 0.935, ("data/dev-set-3/talks.tsv", "mentioned"): 0.81,
                      ("data/dev-set-4/talks.tsv", "declared"): 0.95, ("data/dev-set-4/talks.tsv", "mentioned"): 0.85,
                      ("data/dev-set-5/talks.tsv", "declared"): 0.92, ("data/dev-set-5/talks.tsv", "mentioned"): 0.75,
                      ("data/dev-set-6/talks.csv", "declared"): 0.94, ("data/dev-set-6/talks.csv", "mentioned"): 0.81,
                      # the seventh, labelled 2026-12-07 and scored unseen (declared 0.893/0.836, mentioned
                      # 0.819/0.630: benchmarks/README.md)
                      ("data/dev-set-7/talks.tsv", "declared"): 0.91, ("data/dev-set-7/talks.tsv", "mentioned"): 0.78,
                      # the eighth, labelled 2026-12-07 and scored unseen (its headers unread: declared none; read by
                      # their heads, declared 0.922/0.870, mentioned 0.771/0.612: benchmarks/README.md)
                      # (0.93 until its "interplanetary coronal mass ejections" became a concept of their own,
                      # which set 47's reader labels and set 8's reader labelled as UAT's broader solar CMEs)
                      ("data/dev-set-8/talks.tsv", "declared"): 0.925, ("data/dev-set-8/talks.tsv", "mentioned"): 0.72,
                      # the ninth, labelled 2026-12-07 and scored unseen (declared 0.957/0.909, mentioned
                      # 0.822/0.644: benchmarks/README.md)
                      ("data/dev-set-9/talks.csv", "declared"): 0.93, ("data/dev-set-9/talks.csv", "mentioned"): 0.74,
                      # the tenth, labelled 2026-12-07 and scored unseen at the session's end (declared 0.941/0.825,
                      # mentioned 0.833/0.664: benchmarks/README.md)
                      ("data/dev-set-10/talks.tsv", "declared"): 0.88, ("data/dev-set-10/talks.tsv", "mentioned"): 0.75,
                      # the eleventh, labelled and scored unseen in the next session (declared 0.915/0.595, its
                      # second keyword column unread; mentioned 0.805/0.643: benchmarks/README.md)
                      ("data/dev-set-11/talks.csv", "declared"): 0.90, ("data/dev-set-11/talks.csv", "mentioned"): 0.75,
                      # the twelfth, the same (it did not build; with the speaker by hand declared 0.978/0.935,
                      # mentioned 0.918/0.400, its full text unread: benchmarks/README.md)
                      ("data/dev-set-12/talks.csv", "declared"): 0.95, ("data/dev-set-12/talks.csv", "mentioned"): 0.77,
                      # the thirteenth (a Google Forms export) and the fourteenth (EasyChair), labelled and scored
                      # unseen in the session after (13: its question headers unread, declared none, mentioned
                      # 0.856/0.702; 14: it did not build, with the speaker by hand declared 0.946/0.432, mentioned
                      # 0.871/0.737: benchmarks/README.md)
                      ("data/dev-set-13/talks.csv", "declared"): 0.97, ("data/dev-set-13/talks.csv", "mentioned"): 0.76,
                      ("data/dev-set-14/talks.csv", "declared"): 0.89, ("data/dev-set-14/talks.csv", "mentioned"): 0.79,
                      # the fifteenth (ConfTool, saved by a European Excel) and the sixteenth (Oxford Abstracts),
                      # the same; neither built unseen (15: a .csv separated by semicolons; 16: two lines above the
                      # header; by hand, 15: declared 0.773/0.777, mentioned 0.818/0.751; 16: declared
                      # 0.976/0.653, mentioned 0.882/0.710: benchmarks/README.md)
                      ("data/dev-set-15/talks.csv", "declared"): 0.77, ("data/dev-set-15/talks.csv", "mentioned"): 0.78,
                      ("data/dev-set-16/talks.tsv", "declared"): 0.95, ("data/dev-set-16/talks.tsv", "mentioned"): 0.78,
                      # the seventeenth, an Excel workbook, scored unseen once the workbook reader had landed
                      # (declared 1.000/0.951, mentioned 0.832/0.741: benchmarks/README.md)
                      ("data/dev-set-17/talks.xlsx", "declared"): 0.97, ("data/dev-set-17/talks.xlsx", "mentioned"): 0.80,
                      # the nineteenth, a pandas CSV from the arXiv API, scored unseen in the session after (its
                      # printed lists unread: declared none, every speaker "['Name'"; mentioned 0.872/0.742)
                      ("data/dev-set-19/talks.csv", "declared"): 0.97, ("data/dev-set-19/talks.csv", "mentioned"): 0.78,
                      # the eighteenth (Microsoft CMT) and the twentieth (a programme sheet), the same (18: its
                      # subject areas unread, declared none, every speaker from 'Authors' with their affiliation,
                      # mentioned 0.817/0.668; 20: the speakers' affiliations in their names, declared 0.972/0.575,
                      # its session names, which the labeller declared, are no keywords; mentioned 0.914/0.707)
                      ("data/dev-set-18/talks.csv", "declared"): 0.93, ("data/dev-set-18/talks.csv", "mentioned"): 0.71,
                      ("data/dev-set-20/talks.csv", "declared"): 0.70, ("data/dev-set-20/talks.csv", "mentioned"): 0.80,
                      # the twenty-first (columns per author), the twenty-second (a French Excel's Windows-1252 CSV)
                      # and the twenty-third (a Google Sheet's TSV with a group row), the same (21: it did not build,
                      # with the first author's columns by hand declared 0.972/0.952, mentioned 0.837/0.670; 22: it
                      # did not build, by hand declared 0.961/0.632, mentioned 0.782/0.675; 23: six abstracts cut at
                      # their first line break, declared 0.971/0.720, mentioned 0.819/0.611)
                      ("data/dev-set-21/talks.csv", "declared"): 0.94, ("data/dev-set-21/talks.csv", "mentioned"): 0.72,
                      ("data/dev-set-22/talks.csv", "declared"): 0.76, ("data/dev-set-22/talks.csv", "mentioned"): 0.70,
                      ("data/dev-set-23/talks.tsv", "declared"): 0.93, ("data/dev-set-23/talks.tsv", "mentioned"): 0.73,
                      # the twenty-fourth (Indico's abstracts CSV), twenty-fifth (a programme pasted from Word) and
                      # twenty-sixth (a workbook whose first sheet is instructions), the same (24: it did not build;
                      # with 'Primary authors' by hand, declared none, its tracks unread, and mentioned 0.821/0.217,
                      # 'Content' unread; 25: declared 0.919/0.864, mentioned 0.838/0.647, every speaker's name
                      # run into their affiliation; 26: it did not build)
                      ("data/dev-set-24/talks.csv", "mentioned"): 0.72,
                      ("data/dev-set-24/talks.csv", "declared"): 0.48,  # its Track, read since 2026-12-08
                      ("data/dev-set-25/talks.tsv", "declared"): 0.87, ("data/dev-set-25/talks.tsv", "mentioned"): 0.71,
                      ("data/dev-set-26/talks.xlsx", "declared"): 0.95, ("data/dev-set-26/talks.xlsx", "mentioned"): 0.72,
                      # the twenty-seventh (Excel's UTF-16 "Unicode Text"), twenty-eighth (a form's five keyword
                      # boxes) and twenty-ninth (HotCRP), the same (27: it did not build, with --encoding utf-16
                      # declared 0.963/0.918, mentioned 0.824/0.645; 28: declared none, mentioned 0.888/0.699;
                      # 29: declared 0.856/0.773, its "Area: subarea" topics unread, mentioned 0.861/0.657)
                      ("data/dev-set-27/talks.txt", "declared"): 0.91, ("data/dev-set-27/talks.txt", "mentioned"): 0.70,
                      ("data/dev-set-28/talks.csv", "declared"): 0.89, ("data/dev-set-28/talks.csv", "mentioned"): 0.76,
                      ("data/dev-set-29/talks.csv", "declared"): 0.86, ("data/dev-set-29/talks.csv", "mentioned"): 0.72,
                      # the thirtieth (Sessionize), thirty-first (Airtable) and thirty-second (an ADASS-style TSV),
                      # the same (30: declared 0.947/0.568, its tracks unread, mentioned 0.767/0.559; 31: it did not
                      # build, "Name" taken for the speaker; 32: declared 0.948/0.780, mentioned 0.865/0.678)
                      ("data/dev-set-30/talks.csv", "declared"): 0.70, ("data/dev-set-30/talks.csv", "mentioned"): 0.63,
                      ("data/dev-set-31/talks.csv", "declared"): 0.96, ("data/dev-set-31/talks.csv", "mentioned"): 0.70,
                      ("data/dev-set-32/talks.tsv", "declared"): 0.83, ("data/dev-set-32/talks.tsv", "mentioned"): 0.74,
                      # the thirty-third (OpenReview by pandas), thirty-fourth (Zotero) and thirty-fifth (an event
                      # app's agenda), the same (33: it did not build, by hand declared 0.899/0.756, mentioned
                      # 0.832/0.729; 34: declared none and mentions 0.974/0.270, its abstracts and tags unread, by
                      # hand 0.983/1.000 and 0.856/0.781; 35: it did not build, by hand mentioned 0.838/0.706)
                      ("data/dev-set-33/talks.csv", "declared"): 0.83, ("data/dev-set-33/talks.csv", "mentioned"): 0.76,
                      ("data/dev-set-34/talks.csv", "declared"): 0.97, ("data/dev-set-34/talks.csv", "mentioned"): 0.80,
                      ("data/dev-set-35/talks.xlsx", "mentioned"): 0.75,
                      ("data/dev-set-35/talks.xlsx", "declared"): 0.76,  # its Tracks, read since 2026-12-08
                      # the thirty-sixth (Web of Science), thirty-seventh (Scopus) and thirty-eighth (a review
                      # sheet), the same (36: it did not build, by hand declared 0.950/0.722, mentioned 0.881/0.675;
                      # 37: declared 0.953/0.828, mentioned 0.860/0.696; 38: declared none, by hand 0.909/0.870,
                      # mentioned 0.840/0.675)
                      ("data/dev-set-36/talks.txt", "declared"): 0.89, ("data/dev-set-36/talks.txt", "mentioned"): 0.75,
                      ("data/dev-set-37/talks.csv", "declared"): 0.88, ("data/dev-set-37/talks.csv", "mentioned"): 0.76,
                      ("data/dev-set-38/talks.csv", "declared"): 0.87, ("data/dev-set-38/talks.csv", "mentioned"): 0.73,
                      # the thirty-ninth (Notion), fortieth (Publish or Perish, no keyword column) and forty-first
                      # (bilingual headers), the same (39: it did not build at the session's start and built at
                      # df91f37, declared 1.000/0.969, mentioned 0.831/0.738; 40: mentioned 0.847/0.594; 41:
                      # declared 1.000/0.448, its "、" unsplit, mentioned 0.880/0.668)
                      ("data/dev-set-39/talks.csv", "declared"): 0.96, ("data/dev-set-39/talks.csv", "mentioned"): 0.75,
                      ("data/dev-set-40/talks.csv", "mentioned"): 0.72,
                      ("data/dev-set-41/talks.csv", "declared"): 0.93, ("data/dev-set-41/talks.csv", "mentioned"): 0.76,
                      # the forty-second (Semantic Scholar by pandas), forty-third (JabRef's BibTeX) and forty-fourth
                      # (a hack week's sheet), the same (42: mentioned 0.807/0.693, its speakers misread; 43: declared
                      # 0.971/0.971, mentioned 0.779/0.586; 44: it did not build, by hand mentioned 0.841/0.644)
                      ("data/dev-set-42/talks.csv", "mentioned"): 0.72,
                      ("data/dev-set-43/talks.csv", "declared"): 0.95, ("data/dev-set-43/talks.csv", "mentioned"): 0.68,
                      ("data/dev-set-44/talks.tsv", "declared"): 0.40, ("data/dev-set-44/talks.tsv", "mentioned"): 0.72,
                      # the forty-fifth to forty-seventh, labelled 2026-12-07 and scored unseen (benchmarks/README.md)
                      ("data/dev-set-45/talks.csv", "declared"): 0.89, ("data/dev-set-45/talks.csv", "mentioned"): 0.79,
                      ("data/dev-set-46/talks.csv", "declared"): 0.95, ("data/dev-set-46/talks.csv", "mentioned"): 0.72,
                      ("data/dev-set-47/talks.tsv", "declared"): 0.95, ("data/dev-set-47/talks.tsv", "mentioned"): 0.83,
                      # the forty-eighth to fiftieth, labelled 2026-12-07 and scored unseen (benchmarks/README.md)
                      ("data/dev-set-48/talks.csv", "declared"): 0.93, ("data/dev-set-48/talks.csv", "mentioned"): 0.78,
                      ("data/dev-set-49/talks.csv", "declared"): 0.94, ("data/dev-set-49/talks.csv", "mentioned"): 0.71,
                      ("data/dev-set-50/talks.tsv", "declared"): 0.98, ("data/dev-set-50/talks.tsv", "mentioned"): 0.83,
                      # the fifty-first to fifty-third, labelled 2026-12-08 and scored unseen (benchmarks/README.md)
                      ("data/dev-set-51/talks.csv", "declared"): 0.94, ("data/dev-set-51/talks.csv", "mentioned"): 0.72,
                      ("data/dev-set-52/talks.csv", "declared"): 0.94, ("data/dev-set-52/talks.csv", "mentioned"): 0.70,
                      ("data/dev-set-53/talks.xlsx", "declared"): 0.93, ("data/dev-set-53/talks.xlsx", "mentioned"): 0.76,
                      # the fifty-fourth (EDAS's coded topics), labelled 2026-12-08 and scored unseen (declared
                      # 0.940/0.764, mentioned 0.816/0.625; benchmarks/README.md)
                      ("data/dev-set-54/talks.csv", "declared"): 0.88, ("data/dev-set-54/talks.csv", "mentioned"): 0.72,
                      # the fifty-fifth (a Whova agenda workbook), the same (declared 0.852/0.505: its tracks, beside
                      # its tags, are no keyword column; mentioned 0.689/0.532)
                      ("data/dev-set-55/talks.xlsx", "declared"): 0.62, ("data/dev-set-55/talks.xlsx", "mentioned"): 0.58}


def test_links_on_the_labelled_tables_do_not_fall_below_the_recorded_floor():
    from link_quality import Scorer, labelled_tables

    scorer = Scorer()
    results = {r["table"]: r["scores"] for r in (scorer.score(t, labels) for t, labels in labelled_tables())}
    for (table, part), floor in LINK_QUALITY_FLOOR.items():
        assert results[table][part]["all"]["f1"] >= floor, (table, part, results[table][part]["all"])


def test_a_labels_file_labels_the_table_beside_it_tsv_then_csv_then_workbook(tmp_path):
    from link_quality import labelled_tables

    for name in ("a/talks.labels.tsv", "a/talks.xlsx", "b/talks.labels.tsv", "b/talks.csv", "b/talks.xlsx",
                 "c/talks.labels.tsv", "c/talks.txt"):
        (tmp_path / "data" / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / "data" / name).write_text("", encoding="utf-8")
    assert [table.relative_to(tmp_path / "data").as_posix() for table, _ in labelled_tables(tmp_path)] == [
        "a/talks.xlsx", "b/talks.csv", "c/talks.txt"]


def test_a_labelled_table_that_does_not_build_scores_every_label_missed(tmp_path):
    """An unseen layout that talkgraph cannot read is measured as a user would find it: nothing linked."""
    from link_quality import Scorer

    table = tmp_path / "talks.csv"
    table.write_text("Who,Paper\nAda Lovelace,Engines\n", encoding="utf-8")
    labels = tmp_path / "talks.labels.tsv"
    labels.write_text("row\tpart\tkind\tlabel\tuat\tevidence\tline\n1\tmentioned\ttopic\tGalaxies\t573\tEngines\t2\n",
                      encoding="utf-8")
    result = Scorer().score(table, labels)
    assert "missing required column" in result["failed"]
    assert result["scores"]["mentioned"]["all"]["recall"] == 0.0 and result["scores"]["mentioned"]["all"]["gold"] == 1
    assert [e[3] for e in result["errors"]] == ["missed"]


def test_labels_find_their_talk_by_its_line_so_a_row_that_is_no_talk_shifts_nothing(tmp_path):
    """A programme's "Coffee break" row is no talk to the labeller and a reject to talkgraph; a talk the
    tool does not read (no speaker) is all missed, and the talks after it are still scored as themselves."""
    from link_quality import Scorer

    table = tmp_path / "talks.csv"
    table.write_text("Speaker,Title\n,Coffee break\n,Quasars with CNNs\nAda Lovelace,Galaxy clusters with random forests\n",
                     encoding="utf-8")
    labels = tmp_path / "talks.labels.tsv"
    labels.write_text("row\tpart\tkind\tlabel\tuat\tevidence\tline\n"
                      "1\tmentioned\ttopic\tQuasars\t1319\tQuasars\t3\n"
                      "2\tmentioned\ttopic\tGalaxy clusters\t584\tGalaxy clusters\t4\n"
                      "2\tmentioned\tmethod\trandom forest\t\trandom forests\t4\n", encoding="utf-8")
    result = Scorer().score(table, labels)
    assert result["scores"]["mentioned"]["all"]["gold_found"] == 2, result["errors"]
    assert [(e[1], e[3], e[5]) for e in result["errors"]] == [(3, "missed", "Quasars (1319)")]
    assert result["errors"][0][6].startswith("not read as a talk")


def test_extract_all_returns_mentions_and_candidates():
    mentions, candidates = extract_all([("Finding quasars with a CNN", "We use the XYZZY pipeline on SDSS data.")])
    assert [m.text for m in mentions[0]] == ["quasars", "CNN", "SDSS"]
    assert candidates.count["XYZZY"] == 1


def test_evidence_is_skipped_with_a_warning_above_the_limit_unless_asked_for(monkeypatch):
    import talkgraph.pipeline as pipeline

    monkeypatch.setattr(pipeline, "EVIDENCE_LIMIT", 5)
    lean = build(ROOT / "data" / "talks.tsv")
    assert lean.report["mentions"]["evidence"] is False and lean.counts["mentions"]["method"] == 91
    assert any("evidence of mentions was not recorded: 19 talks are more than 5" in w
               for w in lean.report["warnings"])
    assert build(ROOT / "data" / "talks.tsv", evidence=True).report["mentions"]["evidence"] is True


def test_every_rule_names_concepts_of_the_vocabularies_and_words_in_lower_case():
    slugs = {iri.rstrip("/").rsplit("/", 1)[-1] for iri in load_vocabulary().concepts}
    for rule in RULES:
        assert rule.concepts <= slugs, rule.name
        for words in (rule.labels, rule.keep_if, rule.drop_if, rule.not_before, rule.not_after):
            assert all(word == word.lower() for word in words), rule.name


def test_units_and_numerals_are_never_candidate_terms():
    mentions, candidates = extract_all([("", "At 5 GHz and 10 TeV (Paper II) the QQZ source is new.")])
    assert dict(candidates.count) == {"QQZ": 1}


# ------------------------------------------------------------------ the thesaurus in prose (issue #17)

def _thesaurus_concepts_labelled(extractor, label):
    from talkgraph.vocab.compiled import shipped_uat

    return [c.iri for c in shipped_uat().active() if any(l.text == label for l in c.labels)]


def _patterns_of(extractor, iri):
    return {t for table in extractor.patterns.values() for t in table.get(iri, ())}


@pytest.mark.parametrize("rule", [r for r in __import__("talkgraph.link.rules", fromlist=["PROSE_RULES"]).PROSE_RULES],
                         ids=lambda r: r.name)
def test_each_prose_rule_keeps_its_dropped_examples_out_of_prose_and_its_kept_ones_in(extractor, rule):
    assert rule.dropped and rule.kept and rule.description
    for label in rule.dropped:
        iris = _thesaurus_concepts_labelled(extractor, label)
        assert iris, f"{label!r} is no UAT label: the example proves nothing"
        assert all(label not in _patterns_of(extractor, iri) for iri in iris), label
    for label in rule.kept:
        iris = _thesaurus_concepts_labelled(extractor, label)
        assert iris and any(label in _patterns_of(extractor, iri) for iri in iris), label


def test_everyday_words_of_the_thesaurus_are_no_mentions_but_its_terms_are(extractor):
    text = "Light from the stars and their jets; we are seeing relativistic jets from blazars."
    assert concepts(extractor, text) == {"1390", "164"}  # Relativistic jets, Blazars


def test_a_designation_matches_only_as_written(extractor):
    assert concepts(extractor, "We observed a star and the spectra of stars.") == set()
    assert concepts(extractor, "Spectra of A stars and Be stars.") == {"5", "142"}
    # a kind of star is also written with a hyphen: "K-giants", "M-dwarfs"; other designated labels are not
    assert concepts(extractor, "We select K-giants and M-dwarfs.") == {"877", "982"}
    assert "347" not in concepts(extractor, "The network has three D-layers.")  # UAT's D layer


def test_coordinated_modifiers_each_name_the_concept_of_the_shared_head(extractor):
    assert concepts(extractor, "Elliptical, lenticular, spiral and irregular galaxies.") == {"456", "915", "1560", "864"}
    assert concepts(extractor, "Convolutional and recurrent neural networks.") == {
        "convolutional-neural-network", "recurrent-neural-network"}
    assert concepts(extractor, "Stars and galaxies, supervised or unsupervised learning.") == {
        "supervised-learning", "unsupervised-learning"}
    # a hyphenated conjunct is one modifier ("semi-detached" is three tokens)
    assert concepts(extractor, "We find 290 semi-detached or contact eclipsing binaries.") == {"1443", "297"}
    assert concepts(extractor, "We study low-mass and high-mass X-ray binaries.") == {"939", "733"}  # the last one too


def test_stacked_modifiers_name_the_narrower_concept_of_their_head(extractor):
    """ "Residual Multitask Neural Networks": 'residual neural network' is a label, below 'neural network',
    which it replaces; a modifier whose concept is not below the match's adds nothing."""
    assert concepts(extractor, "We train Residual Multitask Neural Networks.") == {"resnet"}
    assert concepts(extractor, "A fully connected multitask neural network.") == {"multilayer-perceptron"}
    assert concepts(extractor, "Deep convolutional neural networks.") == {"convolutional-neural-network"}
    assert concepts(extractor, "A simple, standard neural network.") == {"artificial-neural-network"}


def test_a_talk_naming_our_concept_and_the_thesaurus_one_it_matches_names_ours(extractor):
    # method:artificial-neural-network matches uat:1933 "Neural networks"; method:time-series-analysis is uat:1916
    assert concepts(extractor, "Neural networks for time series analysis.") == {"artificial-neural-network",
                                                                                "time-series-analysis"}


def test_the_same_words_name_one_concept_the_narrower_or_ours(extractor):
    found = extractor.extract("", "We use sparse Gaussian processes and Bayesian convolutional neural networks.")
    assert [m.concept.rsplit("/", 1)[1] for m in found] == ["sparse-gaussian-process",
                                                            "bayesian-convolutional-neural-network"]


@pytest.mark.parametrize("text, expected", [
    ("Semi-analytic models of galaxy formation.", [("Semi-analytic models of galaxy formation", "semi-analytic-models"),
                                                  ("galaxy formation", "595")]),
    ("Herschel SPIRE maps.", [("Herschel", "herschel"), ("Herschel SPIRE", "spire")]),
    # a host facility's acronym inside the name; not the name's own last words ("Legacy Survey")
    ("Space-weather HMI Active Region Patches.", [("Space-weather HMI Active Region Patches", "sharp"),
                                                  ("HMI", "hmi")]),
    ("The Dark Energy Camera Legacy Survey.", [("Dark Energy Camera Legacy Survey", "decals")]),
    # never a concept above the same words, nor a topic inside a facility's name
    ("The Hubble Space Telescope and the Hydrogen Epoch of Reionization Array.",
     [("Hubble Space Telescope", "hst"), ("Hydrogen Epoch of Reionization Array", "hera")]),
])
def test_words_inside_a_longer_match_that_name_another_thing_are_mentions_too(extractor, text, expected):
    assert [(m.text, m.concept.rsplit("/", 1)[-1]) for m in extractor.extract("", text)] == expected


def test_an_acronym_defined_with_a_variant_of_its_own_long_form_keeps_its_meaning(extractor):
    """ "Widefield Infrared Survey Explorer (WISE)": the long form matches no label as written, but it is,
    but for its spelling, a name of WISE; a long form that names something else still stops the acronym."""
    text = "We use the Widefield Infrared Survey Explorer (WISE) and the Galactic Evolution Explorer (GALEX). WISE is deep."
    assert [(m.text, m.concept.rsplit("/", 1)[-1], m.how) for m in extractor.extract("", text)] == [
        ("WISE", "wise", "abbreviation"), ("GALEX", "galex", "abbreviation"), ("WISE", "wise", "abbreviation")]
    assert extractor.extract("", "The Wide Imaging Survey Engine (WISE) is ours. WISE works.") == []


def test_no_match_starts_after_a_bound_prefix_and_its_hyphen(extractor):
    """mention_rules.json "bound_prefixes": its examples are its test."""
    from talkgraph.link.rules import _data

    examples = _data()["bound_prefixes"]["examples"]
    for text in examples["dropped"]:
        words = text.split("-", 1)[1]
        assert not [m for m in extractor.extract("", f"We use {text} data.") if m.text.lower() == words.lower()], text
    for text in examples["kept"]:
        assert extractor.extract("", f"We use {text} data."), text
    assert [m.text for m in extractor.extract("", "A self-supervised model, not a supervised one.")] == [
        "self-supervised", "supervised"]


def test_words_with_their_qualifier_left_out_name_the_narrower_concept_once(extractor):
    """mention_rules.json "elided_qualifiers": its examples are its test."""
    from talkgraph.link.rules import _data

    from talkgraph.vocab.keywords import match_key

    examples = _data()["elided_qualifiers"]["examples"]
    for text, words in examples["dropped"]:
        found = [m.text.lower() for m in extractor.extract("", text)]
        assert words not in found and any(match_key(f).endswith(" " + match_key(words)) for f in found), (text, found)
    for text, words in examples["kept"]:
        assert words in [m.text.lower() for m in extractor.extract("", text)], text
    # the narrower concept in the title, the words without its qualifier in the abstract: the same
    assert [m.text for m in extractor.extract("Type Ia supernovae with a random forest", "The supernovae are bright.")
            ] == ["Type Ia supernovae", "random forest"]
    # the longer match's concept must be below the shorter one's: hot Jupiters are not Jupiter
    assert [m.text for m in extractor.extract("", "Hot Jupiters, and Jupiter.")] == ["Hot Jupiters", "Jupiter"]
    # nothing narrower, nothing goes
    assert [m.text for m in extractor.extract("", "Neural networks and a random forest.")] == [
        "Neural networks", "random forest"]


def _labelled(extractor, text):
    vocab = load_vocabulary()
    return [(m.text.lower(), vocab.concepts[m.concept].pref_label) for m in extractor.extract("", text)]


def test_a_bare_topic_is_the_one_of_the_subject_the_talk_is_about(extractor):
    """mention_rules.json "contexts": its examples are its test, and each part of the rule has its case."""
    from talkgraph.link.rules import CONTEXT_RULES

    examples = CONTEXT_RULES["examples"]
    for text, words, expected in examples["specialised"] + examples["kept"]:
        assert (words.lower(), expected) in _labelled(extractor, text), (text, _labelled(extractor, text))
    # narrowed from another context's concept: the Sun's chromosphere, not a star's
    assert ("chromosphere", "Solar chromosphere") in _labelled(
        extractor, "Flares heat the chromosphere. We model the solar atmosphere above sunspots.")
    # a talk about the Sun and other stars alike: neither
    assert ("magnetic fields", "Magnetic fields") in _labelled(
        extractor, "Magnetic fields in the Sun and in other stars: a solar-stellar comparison.")
    # the words right after say whose: the galaxies', in a talk about stars too
    assert ("magnetic fields", "Galaxy magnetic fields") in _labelled(
        extractor, "Stars and stellar winds; and the magnetic fields of galaxies.")
    # said once is not about it
    assert ("magnetic fields", "Magnetic fields") in _labelled(extractor, "Magnetic fields near the Sun.")
    # observing techniques keep their general name (not_into)
    assert ("photometry", "Photometry") in _labelled(
        extractor, "Photometry of galaxies: galaxy colours in deep fields.")


def test_bound_prefixes_are_found_from_the_hyphens_as_the_rule_says():
    # the rule of mention_rules.json, as a regular expression: a bound prefix not glued to a word character
    # or hyphen before it, its hyphen, then a word character; bound_ends finds the same from the hyphens
    import re

    from talkgraph.link.mentions import bound_ends
    from talkgraph.link.rules import BOUND_PREFIXES

    rule = re.compile(r"(?<![\w-])(?:" + "|".join(sorted(BOUND_PREFIXES)) + r")-(?=\w)", re.IGNORECASE)
    texts = ["Self-supervised, NON-Gaussian and anti-aliased (re-ionisation) fits.", "xnon-x 2non-x non- -non-x",
             "semi-analytic pre-trained co-add super-resolution un-", "self-\nsupervised", "Pseudo-Voigt über-non-x"]
    texts += [text for path in sorted((ROOT / "data").rglob("talks.*")) if path.suffix in (".tsv", ".csv")
              for text in path.read_bytes().decode("utf-8", errors="replace").split("\t")]  # one set is cp1252
    assert sum(bool(bound_ends(text)) for text in texts) > 50
    for text in texts:
        assert bound_ends(text) == [m.end() for m in rule.finditer(text)], text


@pytest.mark.parametrize("text, expected", [
    # methods scikit-learn's user guide and SciPy name
    ("Agents trained with deep reinforcement learning.", ("deep reinforcement learning", "deep-reinforcement-learning")),
    ("Simulations on a Latin hypercube design.", ("Latin hypercube design", "latin-hypercube-sampling")),
    ("A one-class SVM flags outliers.", ("one-class SVM", "one-class-svm")),
    ("Compared with a Kolmogorov-Smirnov test.", ("Kolmogorov-Smirnov test", "kolmogorov-smirnov-test")),
    ("Features ranked by mutual information.", ("mutual information", "mutual-information")),
    ("Trained on pseudo-labels.", ("pseudo-labels", "self-training")),
    ("We use sparse Gaussian processes.", ("sparse Gaussian processes", "sparse-gaussian-process")),  # -ss plurals
    ("Score-Based Models for lensing.", ("Score-Based Models", "diffusion-model")),
    ("Foregrounds removed by the internal linear combination.", ("internal linear combination",
                                                                "internal-linear-combination")),
    ("A Bayesian framework for retrievals.", ("Bayesian framework", "bayesian-inference")),
    ("Compared with frequentist approaches.", ("frequentist approaches", "frequentist-statistics")),
    ("Corrected for selection effects and the Malmquist bias.", ("Malmquist bias", "malmquist-bias")),
    ("Posterior predictive checks of the model.", ("Posterior predictive checks", "posterior-predictive-check")),
    # facilities other meetings' talks name
    ("Spectra from eBOSS.", ("eBOSS", "eboss")),
    ("Events in KM3NeT/ORCA.", ("KM3NeT/ORCA", "km3net-orca")),
    ("Technosignatures in Breakthrough Listen data.", ("Breakthrough Listen", "breakthrough-listen")),
    ("Maps from the IRAM-30m telescope.", ("IRAM-30m", "iram-30m")),
])
def test_public_names_of_methods_and_facilities_link(extractor, text, expected):
    assert expected in found(extractor, text)


def test_an_acronyms_plural_matches_only_as_written(extractor):
    # "GPs" (Gaussian processes) is no "GPS"
    assert concepts(extractor, "Positions from GPS receivers.") == set()
    assert concepts(extractor, "We fit GPs to the data.") == {"gaussian-process"}


def test_a_greek_letter_alone_is_a_symbol(extractor):
    # the tidal deformability $\Lambda$ of a neutron star is no cosmological constant; Lambda-CDM stays
    assert concepts(extractor, r"Radii and the tidal deformability $\Lambda$ of neutron stars.") == {"1108"}
    assert "lambda-cdm" in concepts(extractor, r"In flat $\Lambda$CDM.")


@pytest.mark.parametrize("text, expected", [
    # topics the domain scheme held although UAT has them, now UAT's (its rule: only what UAT lacks)
    ("Geomagnetic storms disturb the ionosphere.", {"2320", "860"}),  # Magnetic storms, Earth ionosphere
    ("Open clusters in the Galactic disc.", {"1160", "1050"}),       # Milky Way disk
    # the 21 cm signal is the H I line, as every labelled table reads it; 21 cm cosmology stays ours
    ("The global 21 cm signal.", {"690"}),
    ("Measuring the 21-cm power spectrum.", {"radio-cosmology"}),
    ("Colour-magnitude diagrams of open clusters.", {"725", "1160"}),  # Hertzsprung Russell diagram
])
def test_topics_uat_has_link_uat(extractor, text, expected):
    assert concepts(extractor, text) == expected


@pytest.mark.parametrize("text, expected", [
    ("Both early- and late-type galaxies.", [("early-", "429"), ("late-type galaxies", "907")]),
    ("Low- and high-mass stars.", [("Low-", "2050"), ("high-mass stars", "732")]),
    ("Short- and long-period variables.", [("Short-", "1453"), ("long-period variables", "935")]),
])
def test_a_suspended_hyphen_takes_the_rest_of_the_last_conjuncts_compound(extractor, text, expected):
    assert found(extractor, text) == expected


@pytest.mark.parametrize("text, expected", [
    # "X of Y" whose singular Y starts a compound that goes on names what the compound does
    ("The characterization of exoplanet atmospheres.", {"487"}),        # Exoplanet atmospheres
    ("The formation of galaxy clusters.", {"584"}),                       # Galaxy clusters, no Galaxy formation
    ("The formation of galaxies in clusters.", {"595"}),                  # a plural ends the phrase
    ("The Legacy Survey of Space and Time image billions of galaxies.", {"rubin-observatory"}),  # a name ends
])
def test_an_of_phrase_does_not_cut_a_compound(extractor, text, expected):
    assert concepts(extractor, text) == expected


def test_a_bands_astronomy_is_named_by_what_it_observes(extractor):
    # as UAT itself writes "Gamma-ray astronomical observations"; an object's observations are the object's
    assert concepts(extractor, "Radio observations and X-ray observations.") == {"1338", "1810"}
    assert concepts(extractor, "Exoplanet observations.") == {"498"}
    assert concepts(extractor, "Near-field cosmology with stellar streams.") == {"2178", "2166"}


def test_a_fields_name_and_a_methods_synonym(extractor):
    # "solar system sciences" is the field, UAT's Solar system astronomy, not the Solar System itself
    assert concepts(extractor, "Machine learning for solar system sciences.") == {"machine-learning", "1529"}
    assert concepts(extractor, "Atmospheric inverse modelling of exoplanets.") == {"atmospheric-retrieval", "498"}


def test_a_label_that_is_no_evidence_in_prose_narrows_nothing(extractor):
    # "halos", a label of Galaxy dark matter halos kept out of prose, made them "Galaxy halos" (stellar halos)
    # in a talk about galaxies
    text = "Strongly-lensed galaxies and their galaxies probe small dark matter halos."
    assert "1880" in concepts(extractor, text) and "598" not in concepts(extractor, text)


@pytest.mark.parametrize("text, expected", [
    # in prose since readers marked it in 19 of 26 talks (benchmarks/prose_evidence.py)
    ("Solar flare forecasting with CNNs.", {"time-series-forecasting", "1496", "convolutional-neural-network"}),
    # out of prose since readers marked them in a third of the talks or fewer; the longer labels still link
    ("Galaxies at high redshift; we estimate redshifts.", set()),
    ("Posterior distributions of the parameters.", set()),
    ("Posterior probability distributions of the parameters.", {"1926"}),
    ("Dust extinction in the Solar System.", set()),
    ("Feature extraction from cosmological simulations.", set()),
    ("A cosmological model is fitted to the data.", set()),
])
def test_labels_readers_do_or_do_not_mark_in_prose(extractor, text, expected):
    assert concepts(extractor, text) == expected


def test_labels_kept_out_of_prose_still_link_keyword_cells():
    from talkgraph.link.cells import KeywordLinker
    from talkgraph.tables.records import Record
    from talkgraph.vocab.vocabulary import load_vocabulary

    record = Record("t.csv", 2, "A talk", "Ada", "Lovelace", "", [], "Solar system; Extinction; Redshift",
                    "Feature extraction; Forecasting", "")
    iris = {link.iri.rsplit("/", 1)[-1] for link in KeywordLinker(load_vocabulary(), "https://example.org/id/").link(record)}
    assert iris == {"1528", "505", "1379", "feature-extraction", "time-series-forecasting"}


@pytest.mark.parametrize("text, expected", [
    # stellar spectroscopy's symbols name their UAT concepts, as written and as LaTeX reads
    ("We infer Teff, log g and [Fe/H] from spectra.", {"1597", "1669", "1031"}),
    ("We infer $T_{\\rm eff}$, $\\log g$ and $\\rm [M/H]$ from spectra.", {"1597", "1669", "1031"}),
    ("The [α/Fe] and [C/Fe] ratios of giants.", {"1577"}),
    ("The log of g is not a symbol.", set()),
])
def test_stellar_parameters_named_by_their_symbols(extractor, text, expected):
    assert concepts(extractor, text) == expected


def test_coordinated_modifiers_in_capitals_name_their_concepts(extractor):
    # an acronym's label matches only as written, and so does its conjunct ("DA and DB white dwarfs")
    assert concepts(extractor, "DA and DB white dwarfs.") == {"348", "358"}
    assert concepts(extractor, "da and db white dwarfs.") == {"1799"}
