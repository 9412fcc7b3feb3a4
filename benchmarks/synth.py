"""Generate synthetic talk tables shaped like the real one.

    python benchmarks/synth.py 100000 > /tmp/talks-100k.tsv
    python benchmarks/synth.py 100000 --profile zipf > /tmp/talks-100k-zipf.tsv

Two profiles. ``uniform`` (the default, used for the build figures) draws keywords
from a fixed list of ~40 and the sentences that name concepts from 15 fixed ones, so every concept it
names sits in 25-100% of the talks. ``zipf`` draws concepts from the whole bundled
vocabulary with Zipf-like frequencies ranked by how often the real table
(data/talks.tsv) uses them, then the rest: a few concepts are in a third
of the talks and most in a handful, as in real programmes (the real table's 19
talks name 114 distinct concepts, most of them once). Query answers on it have
realistic sizes; on ``uniform`` a look-up such as talks-by-method returns the
whole corpus.

Speakers give several talks; names carry accents; keyword cells mix
separators (, ; / and), case, plurals, abbreviations, parenthesised qualifiers
and trailing separators; abstracts are ~1,500 characters with HTML paragraphs,
links and LaTeX; blank lines are scattered between rows. The same N and seed
give the same table.

Abstracts cost spaCy's tokenizer what real ones do. Built from a few fixed
sentences alone, they cost it less than half as much per character as the real
table's: it caches each chunk of text between spaces that it has seen, and those
few sentences are all cached after a few talks. So a fifth of their filler
sentences are :data:`DETAILED` ones, with the citations ("Smith et al. 2019", "e.g."),
numbers and object names that make real abstracts' words varied. With that share,
the issue's reference pipeline takes as long per character of them as of the
real table's abstracts (1.04x, median of 4 side-by-side runs); the build
benchmark measures this again each time it runs. The details name no concept,
and have a random stream of their own: the rest of the table is as it was.
"""

from __future__ import annotations

import argparse
import itertools
import random
import re
import sys
from collections import Counter
from pathlib import Path

GIVEN = ["Ashley", "Clár-Bríd", "Mike", "Xinyue", "Davide", "Lynge", "Peter", "Vasileios", "Joshua", "Thomas",
         "John", "Amanda", "Ingo", "Edward", "Alan", "Michele", "Paula", "Pablo", "Zoë", "José", "Søren", "Łukasz",
         "Anaïs", "Chloé", "Björn", "Nuño", "Aoife", "Siobhán", "Ngozi", "Priya", "Mei", "Yusuf", "Olga", "Renée"]
FAMILY = ["Spindler", "Tohill", "Walmsley", "Sheng", "Gerosa", "Lauritsen", "Hurley", "Skiris", "Wilde", "Chen",
          "Armstrong", "Ibsen", "Killestein", "Waldmann", "Elliott", "Heavens", "Bianco", "Soares", "Lemos",
          "Müller", "García", "Nørgaard", "Kowalski", "O'Brien", "Dubois", "Ståhl", "Okafor", "Patel", "Nakamura",
          "Demir", "Ivanova", "Brontë", "Núñez", "Ó Súilleabháin"]
DOMAINS = ["Extragalactic Astronomy", "Galaxies", "galaxy morphology", "Extragalactic (optical and radio)",
           "fast radio bursts", "time-domain astronomy", "Gravitational wave astronomy", "Submm Galaxies",
           "Extragalactic FIR", "Gravitational Waves", "Gravitational Lensing", "solar-terrestrial physics",
           "solar events", "Solar Physics", "transient astronomy", "transients", "Supernovae",
           "large-scale sky surveys", "multi-messenger astrophysics", "Extrasolar Planets", "Galaxy Formation",
           "Cosmology", "Cosmic Reionization", "Radio cosmology", "Gravitation", "Quasars", "AGN",
           "Star formation", "Stellar populations", "exoplanet atmospheres", "Dark matter", "CMB",
           "Weak lensing", "Photometric redshifts", "Pulsars", "Stellar and galactic dynamics", "Milky Way",
           "Solar flares", "Space weather", "Asteroids", "Planet formation", "Intergalactic medium"]
METHODS = ["Unsupervised Learning", "Bayesian Inference", "Deep learning", "supervised learning",
           "Computer vision", "Bayesian deep learning", "active learning", "Recurrent neural networks",
           "Neural networks", "classification", "TensorFlow", "Convolutional Neural Networks",
           "Probabilistic Programming", "CNN", "Timeseries classification", "image processing",
           "semantic segmentation", "invertible neural networks", "data-driven augmentation", "contextual ML",
           "Explainable AI", "Supervised and unsupervised learning", "Simulation-based inference",
           "ML of probability distributions", "U-Net", "Gaussian Process Regression (GPR)", "symbolic regression",
           "Random forests", "GANs", "VAE", "Transformers", "Normalizing flows", "MCMC", "PCA", "k-means",
           "Anomaly detection", "Graph neural networks", "LSTM", "Gradient boosting", "Transfer learning",
           "PyTorch", "scikit-learn", "Quantum annealing"]
SEPARATORS = [", ", "; ", "/", ", ", " and "]
SENTENCES = [
    "We present a novel machine-learning approach to estimate selection effects in survey data.",
    "Convolutional Neural Networks (CNNs) have demonstrated potential for the real-time analysis of data.",
    "The upcoming Square Kilometre Array will produce a tremendous amount of 3D tomographic data.",
    "We train a ResNet50 architecture on H-alpha data using a cross-entropy loss and an Adam optimizer.",
    "Interpreting the physics of the flaring solar atmosphere via the inversion of line profiles in H $\\alpha$.",
    "These surveys expect to find more than $10^5$ gravitational lenses in the coming decade.",
    "Bayesian deep learning addresses two common challenges: uncertain data and calibrated error bars.",
    "We compare different methods for early classification of supernova light curves.",
    "Gaussian Process Regression (GPR) is applied as a foreground removal technique to simulations.",
    "A variational autoencoder performs unsupervised clustering and synthetic image generation.",
    "Symbolic regression extracts a formula for the force law, which matches Newtonian gravity.",
    "Simulation-based inference (also known as likelihood-free inference) outperforms the 2-point analysis.",
    "Our pipeline, written in PyTorch and JAX, runs on Euclid and LSST simulations of galaxy clusters.",
    "We model the light curves of quasars observed by SDSS Stripe 82 with a recurrent neural network.",
    "Herschel SPIRE and JCMT SCUBA-2 maps of submillimetre galaxies are super-resolved by an autoencoder.",
]
#: Sentences that name no vocabulary concept: real abstracts are mostly these.
FILLER = [
    "The volume of data expected in the coming decade makes careful analysis essential.",
    "We discuss the results in the context of previous work and outline future directions.",
    "Our approach is fast, robust and easy to apply to new observations.",
    "This talk summarises work carried out over the last three years by a small team.",
    "We validate the method on held-out data and quantify the remaining systematic effects.",
    "The results agree well with earlier estimates but are obtained at a fraction of the cost.",
    "Particular care is taken to understand where and why the method fails.",
    "We make our code and trained models publicly available to the community.",
    "Such questions are central to understanding the history of the Universe.",
    "We conclude with lessons learnt and open problems that remain to be addressed.",
    "The performance depends strongly on the quality and size of the training sample.",
    "Comparisons with conventional techniques show clear gains in speed and accuracy.",
]
FILLER_SET = frozenset(FILLER)
DETAIL_SHARE = 0.2  # of the filler sentences
#: Of the designations of the details, those of an object talkgraph reads ("NGC 4038"; the others are bare positions,
#: "J1342+0928"): the share that makes the table name objects as often as the labelled real tables do, 0.07 a talk
#: (15 objects in 228 talks, data/**/talks.*; talkgraph.link.objects). A third of the designations named objects
#: before talkgraph read them, eleven times the real rate.
OBJECT_SHARE = 0.07


#: Sentences that name no concept of the vocabularies (only objects, by designation) but carry the details that make real abstracts' words so varied
#: (citations, numbers, dates, designations, "e.g.", "i.e.", "vs."): see the module's docstring.
DETAILED = [
    "We find {number} for the {count} sources, in agreement with {citation}.",
    "The sample comprises {count} objects observed between {year} and {year2} ({designation}, {designation2}).",
    "Residuals stay below {percent}, i.e. {number} at $z \\sim {z}$, across the whole sample.",
    "Earlier studies (e.g. {citation}; {citation2}) reached {number} on {designation}.",
    "Our estimate of {number} vs. {number2} from {citation} is a {sigma} difference.",
    "For {designation} the fit gives {number} and a reduced $\\chi^2$ of {chi}.",
    "{Name}'s catalogue of {count} objects, revised in {year}, is the starting point.",
    "Runs take {hours} hours on {count} cores, {percent} less than the code of {citation}.",
]
#: Names the syllables make that have become labels of the vocabularies (tests/test_synth.py finds
#: them), each given another name that is none; the rest of every table stays as it was.
_RENAMED = {"Zuko": "Zukov"}
_SYLLABLES = ["ka", "ro", "vi", "len", "mar", "to", "sch", "ber", "ni", "ov", "an", "del", "gu", "sto", "mi", "ra",
              "wes", "ho", "lin", "ska", "ter", "bu", "chen", "zu", "fen", "dal", "ko", "nes", "pi", "var"]


def _name(rng: random.Random) -> str:
    name = "".join(rng.choice(_SYLLABLES) for _ in range(rng.randint(2, 3))).capitalize()
    return _RENAMED.get(name, name)


def _detail(rng: random.Random, key: str) -> str:
    if key.startswith("citation"):
        first, year = _name(rng), rng.randint(1995, 2025)
        return rng.choice([f"{first} et al. {year}", f"{first} & {_name(rng)} {year}", f"{first} {year}"])
    if key.startswith("designation"):
        if rng.random() < OBJECT_SHARE:
            return rng.choice([f"NGC {rng.randint(1, 7840)}", f"UGC {rng.randint(1, 12940):05d}"])
        return rng.choice([f"J{rng.randint(0, 2359):04d}{rng.choice('+-')}{rng.randint(0, 8959):04d}",
                           f"J{rng.randint(0, 235959):06d}.{rng.randint(0, 9)}{rng.choice('+-')}{rng.randint(0, 895959):06d}"])
    if key.startswith("number"):
        return rng.choice([f"{rng.uniform(0.01, 99):.2f}",
                           f"${rng.uniform(1, 9.9):.1f} \\times 10^{{{rng.randint(-9, 14)}}}$",
                           f"${rng.randint(2, 999)} \\pm {rng.randint(1, 99)}$"])
    if key.startswith("year"):
        return str(rng.randint(1990, 2025))
    return {"count": lambda: f"{rng.randint(12, 250_000):,}", "percent": lambda: f"{rng.uniform(0.1, 45):.1f}%",
            "z": lambda: f"{rng.uniform(0.05, 9):.2f}", "sigma": lambda: f"{rng.uniform(1, 6):.1f}σ",
            "chi": lambda: f"{rng.uniform(0.8, 1.6):.2f}", "hours": lambda: str(rng.randint(2, 900)),
            "Name": lambda: _name(rng)}[key]()


def _detailed(rng: random.Random) -> str:
    """A sentence of :data:`DETAILED` with its details filled in."""
    template = rng.choice(DETAILED)
    return re.sub(r"\{(\w+)\}", lambda m: _detail(rng, m.group(1)), template)


def _with_details(sentences: list[str], details: random.Random) -> list[str]:
    """``sentences`` with a :data:`DETAIL_SHARE` of their filler replaced by :func:`_detailed` ones."""
    return [_detailed(details) if s in FILLER_SET and details.random() < DETAIL_SHARE else s for s in sentences]


def _abstract(rng: random.Random, details: random.Random) -> str:
    """About one sentence in three names concepts, as in the real table; of the others, a fixed
    sentence of :data:`FILLER` is replaced by a :func:`_detailed` one drawn from ``details``, a
    random stream of its own, so that the rest of the table is the same with or without them."""
    text, paragraphs = [], rng.random() < 0.4
    while sum(len(s) for s in text) < 1400:
        text.append(rng.choice(SENTENCES if rng.random() < 0.35 else FILLER))
    text = _with_details(text, details)
    if paragraphs:
        middle = len(text) // 2
        link = f'<a href="https://zenodo.org/record/{rng.randrange(10**6, 10**7)}">data</a>'
        return f"<p>{' '.join(text[:middle])}</p> <p>{' '.join(text[middle:])} See {link}.</p>"
    return " ".join(text)


def _cell(rng: random.Random, terms: list[str], most: int) -> str:
    return _join(rng, rng.sample(terms, rng.randint(1, most)))


def _join(rng: random.Random, picked: list[str], keep_acronyms: bool = False) -> str:
    """A messy keyword cell: mixed separators, some terms in lower case, sometimes a trailing comma."""
    cell = picked[0]
    for term in picked[1:]:
        separator = rng.choice(SEPARATORS)
        lower = rng.random() < 0.3 and not (keep_acronyms and term.isupper())
        cell += separator + (term.lower() if lower else term)
    return cell + ("," if rng.random() < 0.05 else "")


#: Sentences that name concepts in the zipf profile; {method} etc. take a label of a concept of that scheme.
TEMPLATES = {
    "method": ["We apply {method} to this problem and compare it with {method}.",
               "We train {method} on simulated data and test it on real observations.",
               "Our approach combines {method} with careful calibration."],
    "domain": ["The science case is {domain}.", "We discuss applications to {domain} and {domain}."],
    "facility": ["We use data from {facility}.", "Forecasts for {facility} are presented."],
    "software": ["The code is written with {software} and is publicly available."],
}
#: How often each scheme is named in the zipf profile's sentences (about the real table's mix of mentions).
SCHEME_WEIGHTS = {"method": 0.45, "domain": 0.3, "facility": 0.17, "software": 0.08}
ZIPF_EXPONENT = 1.1
PROFILES = ("uniform", "zipf")


class _ZipfVocabulary:
    """Each scheme's concepts ranked by the real table's use of them, drawn with weight 1/rank^s."""

    def __init__(self, rng: random.Random):
        sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
        from talkgraph.pipeline import build
        from talkgraph.vocab.vocabulary import load_vocabulary

        real = Path(__file__).resolve().parent.parent / "data" / "talks.tsv"
        result = build(real, validate=False, evidence=False)
        links = {"declaresDomain", "declaresMethod", "declaresSoftware", "mentions"}
        talk_concept = {(t.subject.value, t.object.value) for t in result.triples()
                        if t.predicate.value.rsplit("#", 1)[-1] in links}
        used = Counter(concept for _, concept in talk_concept)  # talks per concept
        vocabulary = load_vocabulary()
        self.pools = {}
        for scheme in SCHEME_WEIGHTS:
            concepts = sorted(vocabulary.in_scheme(scheme), key=lambda c: c.iri)
            rng.shuffle(concepts)  # the order of the concepts the real table does not use
            concepts.sort(key=lambda c: -used[c.iri])
            labels = [[label for label in c.labels if label not in c.ambiguous] or [c.pref_label] for c in concepts]
            weights = list(itertools.accumulate(1 / (rank + 1) ** ZIPF_EXPONENT for rank in range(len(labels))))
            self.pools[scheme] = (labels, weights)

    def labels(self, rng: random.Random, scheme: str, k: int) -> list[str]:
        """``k`` labels of distinct concepts (the preferred label mostly, another label sometimes)."""
        labels, weights = self.pools[scheme]
        picked: dict[int, str] = {}
        while len(picked) < min(k, len(labels)):
            index = rng.choices(range(len(labels)), cum_weights=weights)[0]
            if index not in picked:
                options = labels[index]
                picked[index] = options[0] if rng.random() < 0.7 else rng.choice(options)
        return list(picked.values())


def _zipf_abstract(rng: random.Random, vocab: _ZipfVocabulary, details: random.Random) -> str:
    text = []
    while sum(len(s) for s in text) < 1400:
        if rng.random() < 0.35:
            scheme = rng.choices(list(SCHEME_WEIGHTS), weights=list(SCHEME_WEIGHTS.values()))[0]
            template = rng.choice(TEMPLATES[scheme])
            labels = iter(vocab.labels(rng, scheme, template.count("{")))
            text.append(template.replace("{" + scheme + "}", "{}").format(*labels))
        else:
            text.append(rng.choice(FILLER))
    return " ".join(_with_details(text, details))


def _zipf_cell(rng: random.Random, vocab: _ZipfVocabulary, scheme: str, most: int) -> str:
    return _join(rng, vocab.labels(rng, scheme, rng.randint(1, most)), keep_acronyms=True)


def generate(n: int, *, seed: int = 1, out=sys.stdout, profile: str = "uniform") -> None:
    """Write an ``n``-talk table to ``out``; about one speaker per three talks."""
    if profile not in PROFILES:
        raise ValueError(f"unknown profile {profile!r}: choose one of {', '.join(PROFILES)}")
    rng = random.Random(seed)
    vocab = _ZipfVocabulary(random.Random(seed)) if profile == "zipf" else None
    details = random.Random(f"details-{seed}")
    speakers = [(rng.choice(GIVEN), f"{rng.choice(FAMILY)}{'' if i < len(FAMILY) else '-' + str(i)}")
                for i in range(max(1, n // 3))]
    out.write("\n\nFirst Name\tSurname\tProposed Talk Title\tArea of Astronomy Research\t"
              "Areas of Machine Learning / AI\tAbstract\n")
    for i in range(n):
        given, family = rng.choice(speakers)
        verb = rng.choice(["Detecting", "Classifying", "Emulating", "Measuring", "Finding"])
        if vocab:
            title = f"{verb} {vocab.labels(rng, 'domain', 1)[0]} with {vocab.labels(rng, 'method', 1)[0]} #{i}"
            cells = (_zipf_cell(rng, vocab, "domain", 3), _zipf_cell(rng, vocab, "method", 4),
                     _zipf_abstract(rng, vocab, details))
        else:
            title = f"{verb} {rng.choice(['quasars', 'lenses', 'galaxies', 'transients', 'flares', 'exoplanets'])} " \
                    f"with {rng.choice(['deep learning', 'CNNs', 'Gaussian processes', 'random forests'])} #{i}"
            cells = (_cell(rng, DOMAINS, 3), _cell(rng, METHODS, 4), _abstract(rng, details))
        out.write("\t".join((given, family, title) + cells) + "\n")
        if rng.random() < 0.02:
            out.write("\n")


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("n", type=int, help="number of talks")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--profile", choices=PROFILES, default="uniform",
                        help="how concepts are spread over the talks (see above)")
    args = parser.parse_args()
    generate(args.n, seed=args.seed, profile=args.profile)
