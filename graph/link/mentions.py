"""Mentions: the concepts a talk's title and abstract name, each with its evidence.

spaCy does the text work, and this is the only module that imports it. The
pipeline is ``spacy.blank("en")`` (a tokenizer; no model, nothing downloaded)
and two ``PhraseMatcher`` s whose patterns are generated from the SKOS labels
of the vocabularies, so adding an ``skos:altLabel`` teaches the extractor:

- every label is matched case-insensitively, in its written form and in
  generated variants: plural/singular of the last word, hyphen or space
  ("neural-network"), hyphen dropped ("autoencoder"), British/American
  spelling ("optimisation"/"optimization");
- acronyms (all capitals: "CNN", "GOTO", "SKA") and short capitalised names
  ("Stan", "Adam", "Virgo", "Gaia") are matched only as written (and in the
  plural, "CNNs"), so "stan" or "goto" in prose are not mentions;
- labels a concept lists under ``tg:ambiguousLabel`` ("Bayesian", "surveys",
  "attention") are not used in prose at all; they still match keyword cells;
- a label matches at the end of a sentence even where the tokenizer would keep
  the period on its last word ("SNe Ia.", "photo-z.", "SPT-3G.").

Overlapping matches: the longest wins ("Bayesian convolutional neural
networks" is one concept, narrower than both CNN and Bayesian deep learning),
then the earliest. Abbreviations defined in the text, "Convolutional Neural
Networks (CNNs)", are learnt for that talk (title and abstract), and override
a global acronym with another meaning. False friends are removed by the
:data:`RULES` below, each documented and tested.

>>> extractor = MentionExtractor.default()
>>> [(m.text, m.concept.rsplit("/", 1)[1]) for m in extractor.extract(
...     "", "We trained Bayesian convolutional neural networks with PyTorch on SDSS images.")]
[('Bayesian convolutional neural networks', 'bayesian-convolutional-neural-network'), ('PyTorch', 'pytorch'), ('SDSS', 'sdss')]
"""

from __future__ import annotations

import os
import re
from bisect import bisect_left
from collections import Counter
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from functools import cache
from typing import Iterable, Iterator, NamedTuple, Sequence

import multiprocessing

from ..vocab.vocabulary import Concept, Vocabulary, load_vocabulary

__all__ = ["Mention", "Rule", "RULES", "MentionExtractor", "MentionJob", "CandidateTerms", "FIELDS",
           "extract_all"]

#: The text fields mentions are looked for in, in the order they are read.
FIELDS = ("title", "abstract")


class Mention(NamedTuple):
    """One occurrence of a concept: ``text == field_text[start:end]`` (offsets in code points).

    A named tuple rather than a dataclass: a build makes a million of them, four times faster.
    """

    field: str
    start: int
    end: int
    concept: str
    text: str
    how: str = "label"  # "label" or "abbreviation" (learnt from this talk's text)


@dataclass(frozen=True)
class Rule:
    """A false friend: when a match of one of ``concepts`` is not a mention.

    Checked in this order, on lower-case tokens around the match: dropped if the
    next token is in ``not_before`` or the previous one in ``not_after``; kept if
    a ``keep_if`` word is within ``window`` tokens; else dropped if a ``drop_if``
    word is there; else, when there is a ``keep_if`` list, dropped (the context it
    needs is missing). ``window=None`` means the whole talk (title and abstract).
    ``labels`` limits the rule to matches that read exactly so (lower case, tokens joined by spaces).
    """

    name: str
    concepts: frozenset[str]
    description: str
    labels: frozenset[str] = frozenset()
    keep_if: frozenset[str] = frozenset()
    drop_if: frozenset[str] = frozenset()
    not_before: frozenset[str] = frozenset()
    not_after: frozenset[str] = frozenset()
    window: int | None = 12


def _words(text: str) -> frozenset[str]:
    return frozenset(text.split())


_ML_CONTEXT = _words("neural network networks deep learning learned trained training architecture architectures "
                     "encoder decoder attention self-attention embedding embeddings tokens language bert gpt")
RULES: tuple[Rule, ...] = (
    Rule("hierarchical-clustering-of-structure", frozenset({"hierarchical-clustering"}),
         "Hierarchical clustering of galaxies or haloes is structure formation, not the ML method.",
         drop_if=_words("galaxy galaxies halo haloes halos dark matter structure structures formation cosmological "
                        "universe merger mergers bottom-up"),
         keep_if=_words("algorithm algorithms dendrogram linkage agglomerative unsupervised features")),
    Rule("galaxy-clustering", frozenset({"clustering"}),
         "Galaxy clustering (two-point statistics) is cosmology, not the ML method.",
         labels=frozenset({"clustering"}),
         not_after=_words("galaxy galaxies halo spatial angular two-point 2-point large-scale quasar stellar"),
         drop_if=_words("correlation bias amplitude power spectrum two-point redshift-space"), window=6),
    Rule("bare-transformer", frozenset({"transformer"}),
         "\"Transformer\" alone (a power transformer, a transformative survey) needs a neural-network context.",
         labels=frozenset({"transformer", "transformers"}), keep_if=_ML_CONTEXT, window=15),
    Rule("adam-the-optimiser", frozenset({"adam-optimiser"}),
         "\"Adam\" is the optimiser only next to optimisation words; otherwise it is a name.",
         labels=frozenset({"adam"}), keep_if=_words("optimiser optimizer optimisers optimizers optimisation optimization "
                                              "gradient learning rate loss epochs training trained sgd"), window=8),
    Rule("virgo-the-detector", frozenset({"virgo"}),
         "\"Virgo\" is the gravitational-wave detector only in a gravitational-wave context, never the Virgo "
         "cluster or consortium.",
         labels=frozenset({"virgo"}), not_before=_words("cluster clusters supercluster consortium constellation infall"),
         keep_if=_words("ligo kagra gravitational gravitational-wave interferometer interferometers detector "
                        "detectors"), window=None),
    Rule("bayesian-networks-of-neurons", frozenset({"probabilistic-graphical-model"}),
         "\"Bayesian networks\" in a talk about (Bayesian) neural networks are those networks, not graphical models.",
         labels=frozenset({"bayesian network", "bayesian networks"}), drop_if=_words("neural convolutional cnn cnns deep"), window=None),
    Rule("eponymous-constants", frozenset({"hst", "planck", "fermi"}),
         "Hubble, Planck and Fermi name constants, laws and effects as often as telescopes.",
         labels=frozenset({"hubble", "planck", "fermi"}),
         not_before=_words("constant constants parameter tension flow time radius sequence diagram law type mass "
                           "length scale units function spectrum level energy acceleration bubble bubbles paradox "
                           "distribution statistics gas surface 's ’s")),
    Rule("ml-maximum-likelihood", frozenset({"machine-learning"}),
         "\"ML\" next to estimate/estimator/fit is maximum likelihood.",
         labels=frozenset({"ml"}), drop_if=_words("estimate estimates estimator estimation fit fits likelihood"), window=3),
)

# ---------------------------------------------------------------- label variants

_SPELLING = [  # (British, American) word endings and words
    ("isation", "ization"), ("isations", "izations"), ("ise", "ize"), ("ised", "ized"), ("ising", "izing"),
    ("iser", "izer"), ("isers", "izers"), ("yse", "yze"), ("ysed", "yzed"), ("ysing", "yzing"), ("metre", "meter"),
    ("metres", "meters"), ("modelling", "modeling"), ("labelling", "labeling"), ("colour", "color"),
    ("centre", "center"), ("neighbours", "neighbors"), ("neighbour", "neighbor"), ("grey", "gray"),
]
_NO_PLURAL = re.compile(r"(?:[0-9]|ss|us|is|ics|ous|series|data|analysis|learning|inference|regression|"
                        r"processing|physics|astronomy|mechanics)$", re.IGNORECASE)


def _plural(word: str) -> str | None:
    if _NO_PLURAL.search(word) or not word[-1:].isalpha():
        return None
    if word.endswith(("s", "x", "ch", "sh")):
        return word + "es"
    if word.endswith("y") and len(word) > 2 and word[-2] not in "aeiou":
        return word[:-1] + "ies"
    return word + "s"


def _singular(word: str) -> str | None:
    if len(word) <= 3 or word.endswith(("ss", "us", "is", "ics", "ous")):
        return None
    if word.endswith("ies"):
        return word[:-3] + "y"
    if word.endswith(("sses", "shes", "ches", "xes")):
        return word[:-2]
    if word.endswith("s"):
        return word[:-1]
    return None


_SPELLING_ENDINGS = tuple({ending for pair in _SPELLING for ending in pair})


def _respell(word: str) -> set[str]:
    lower, out = word.lower(), set()
    if not lower.endswith(_SPELLING_ENDINGS):  # most words: one test instead of 38
        return out
    for british, american in _SPELLING:
        for a, b in ((british, american), (american, british)):
            if lower.endswith(a) and (len(a) > 4 or lower == a or len(lower) > len(a) + 2):
                out.add(word[: len(word) - len(a)] + b)
    return out


def label_variants(label: str) -> set[str]:
    """Ways prose writes a label: plural/singular, hyphens, British/American spelling.

    >>> sorted(label_variants("neural network"))
    ['neural network', 'neural networks', 'neural-network', 'neural-networks']
    >>> {"Bayesian optimization", "Bayesian optimisations"} <= label_variants("Bayesian optimisation")
    True
    """
    forms = {label}
    if "-" in label:
        forms.add(label.replace("-", " "))
        if label.count(" ") == 0 and len(label) <= 12:
            forms.add(label.replace("-", ""))
    words = label.split(" ")
    if 1 < len(words) <= 4 and not any("-" in w for w in words):
        forms.update(" ".join(words[:i]) + "-" + " ".join(words[i:]) for i in range(1, len(words)))
    more = set()
    for form in forms:
        head, _, last = form.rpartition(" ")
        for other in (_plural(last), _singular(last)) if last.islower() or not last.isupper() else ():
            if other:
                more.add(f"{head} {other}" if head else other)
    forms |= more
    for form in list(forms):
        parts = form.split(" ")
        for i, part in enumerate(parts):
            for spelt in _respell(part):
                forms.add(" ".join(parts[:i] + [spelt] + parts[i + 1:]))
    return forms


_LETTERS = re.compile(r"[^A-Za-z]")


def case_sensitive(label: str) -> bool:
    """Acronyms and short capitalised names are matched only as written.

    >>> [case_sensitive(x) for x in ("CNN", "GOTO", "HI IM", "Stan", "Virgo", "NumPyro", "U-Net", "Euclid", "t-SNE")]
    [True, True, True, True, True, False, False, False, False]
    """
    letters = _LETTERS.sub("", label)
    if len(letters) >= 2 and letters.isupper():
        return True
    return " " not in label and "-" not in label and len(letters) <= 5 and letters[:1].isupper() \
        and letters[1:].islower()


# ---------------------------------------------------------------- the extractor

_PLAIN_WORDS = re.compile(r"[A-Za-z]+(?: [A-Za-z]+)*")
_DEFINITION = re.compile(r"\(([A-Za-z][A-Za-z0-9\-]{1,11})\)")
_WORD = re.compile(r"[\w'’-]+")
_CAPITALS = re.compile(r"[A-Z]")
# Candidate terms are words or phrases not glued to a word character ([\w-]) on either side. The
# patterns start with a capital rather than a look-behind, which lets the regex engine skip ahead
# to the next capital (much faster); the character before is checked in Python.
_WORD_CHARACTER = re.compile(r"[\w-]")
_ACRONYM_RUN = re.compile(r"[A-Z][A-Za-z0-9]*[A-Z][\w-]*")  # a word with two capitals, to its end
_ACRONYM = re.compile(r"([A-Z][A-Za-z0-9]*[A-Z][A-Za-z0-9\-]*?)s?")  # the acronym in that word, plural "s" off
_CAPITALISED_PHRASE = re.compile(r"[A-Z][a-z]+(?:[ -](?:of |and |for |the )?[A-Z][a-z]+)+(?![\w-])")
_NOT_CANDIDATES = frozenset({"II", "III", "IV", "VI", "VII", "GHz", "MHz", "kHz", "TeV", "GeV", "MeV", "keV", "PhD"})


@dataclass
class CandidateTerms:
    """Capitalised terms and acronyms that matched no concept, counted for review."""

    count: Counter = field(default_factory=Counter)  # term → occurrences
    talks: Counter = field(default_factory=Counter)  # term → talks
    long_forms: dict[str, str] = field(default_factory=dict)  # acronym → the long form the text defines

    def update(self, other: "CandidateTerms") -> None:
        self.count.update(other.count)
        self.talks.update(other.talks)
        for key, value in other.long_forms.items():
            self.long_forms.setdefault(key, value)

    def top(self, limit: int = 100) -> list[dict]:
        ranked = sorted(self.count, key=lambda t: (-self.talks[t], -self.count[t], t))[:limit]
        return [{"term": t, "talks": self.talks[t], "count": self.count[t],
                 **({"long_form": self.long_forms[t]} if t in self.long_forms else {})} for t in ranked]


class MentionExtractor:
    """Finds vocabulary concepts in text; build one per vocabulary and reuse it."""

    def __init__(self, vocab: Vocabulary, schemes: Iterable[str] = ("domain", "method", "software", "facility")):
        import spacy  # here, not at the top: only builds that extract mentions pay for importing it
        from spacy.attrs import IS_ALPHA, LOWER
        from spacy.matcher import PhraseMatcher
        from spacy.tokens import Doc

        self.nlp = spacy.blank("en")
        # Each word the tokenizer meets for the first time becomes a lexeme, and spaCy computes its
        # 23 lexical attributes at once (most of the cost in LIKE_URL, LIKE_NUM and SHAPE). Abstracts
        # bring new words all the time (numbers, names, designations); the matchers and rules read
        # only LOWER (and _long_form IS_ALPHA), so only those are computed (figures: benchmarks/README.md).
        getters = self.nlp.vocab.lex_attr_getters
        self.nlp.vocab.lex_attr_getters = {attr: getters[attr] for attr in (LOWER, IS_ALPHA)}
        self._Doc, self._special_cases = Doc, self.nlp.tokenizer.rules
        strings = self.nlp.vocab.strings
        self.concepts: list[Concept] = [c for c in vocab.concepts.values() if c.scheme in set(schemes)]
        self._index = {c.iri: i for i, c in enumerate(self.concepts)}
        self._iris = [c.iri for c in self.concepts]
        self._key = {strings.add(c.iri): i for i, c in enumerate(self.concepts)}
        self._slug = [c.iri.rstrip("/").rsplit("/", 1)[-1] for c in self.concepts]
        self.lower = PhraseMatcher(self.nlp.vocab, attr="LOWER")
        self.exact = PhraseMatcher(self.nlp.vocab, attr="ORTH")
        #: for each matcher, concept IRI → the texts of its patterns (dicts, as ordered sets)
        self.patterns: dict[str, dict[str, dict[str, None]]] = {"lower": {}, "exact": {}}
        for concept in self.concepts:
            for label in dict.fromkeys(concept.labels):
                if label in concept.ambiguous:
                    continue
                exact = case_sensitive(label)
                texts = [label, label + "s"] if exact else sorted(label_variants(label))
                self.patterns["exact" if exact else "lower"].setdefault(concept.iri, {}).update(dict.fromkeys(texts))
        for name, matcher in (("lower", self.lower), ("exact", self.exact)):
            for iri, texts in self.patterns[name].items():
                matcher.add(iri, [self.pattern_doc(text) for text in texts])
        self._split_final_periods(dict.fromkeys(text.rsplit(" ", 1)[-1] for patterns in self.patterns.values()
                                                for texts in patterns.values() for text in texts))
        # Rules compare tokens by the hash of their lower-case form, as spaCy stores them.
        self.rules: dict[int, list[tuple[Rule, _Hashed]]] = {}
        for rule in RULES:
            hashed = _Hashed(*(frozenset(strings.add(w) for w in words) for words in (
                rule.keep_if, rule.drop_if, rule.not_before, rule.not_after)))
            for slug in rule.concepts:
                for i, s in enumerate(self._slug):
                    if s == slug:
                        self.rules.setdefault(i, []).append((rule, hashed))

    def pattern_doc(self, text: str):
        """``text`` tokenized as the tokenizer would, for a pattern.

        Half the patterns are words of letters joined by single spaces, which the tokenizer only
        splits at the spaces, unless a word is one of its special cases ("cannot"): those are
        made into Docs directly, which halves the start-up cost of the patterns (0.37 -> 0.18 s).
        ``tests/test_mentions.py`` checks every pattern of the bundled vocabularies both ways.
        """
        if _PLAIN_WORDS.fullmatch(text):
            words = text.split(" ")
            if not any(word in self._special_cases for word in words):
                return self._Doc(self.nlp.vocab, words=words)
        return self.nlp.make_doc(text)

    def _split_final_periods(self, words: Iterable[str]) -> None:
        """Let labels match at the end of a sentence: "SNe Ia.", "photo-z.", "EoR.", "SPT-3G.".

        The English tokenizer keeps the period on some words: its abbreviations ("Ia." for Iowa, "z."),
        and words whose last capital follows a lower-case letter or a digit. "SNe Ia." would end in a
        token "Ia." that no pattern has. ``words`` are the last words of the patterns (after their last
        space); for each that would keep a period, a special case splits it off, as the tokenizer
        splits "JWST.". A single letter is left alone, so that initials ("K. Smith") stay as they are:
        "Super K" is not found before a period (but "Super-K" is).
        """
        tokenizer, exceptions = self.nlp.tokenizer, self._special_cases
        for word in words:
            # The tokenizer splits a period off after a lower-case letter, a digit or two capitals,
            # unless the word (or its part after a hyphen: "photo-z.") is an exception: only the
            # other words (a few hundred of 5,000) are worth tokenizing to see.
            if len(word) < 2 or word.endswith("."):
                continue
            splits = word[-1].islower() or word[-1].isdigit() or word[-1].isupper() and word[-2].isupper()
            exception = word + "." in exceptions or word.rsplit("-", 1)[-1] + "." in exceptions
            if splits and not exception:
                continue
            tokens = [t.text for t in tokenizer(word)] + ["."]
            if [t.text for t in tokenizer(word + ".")] != tokens:
                tokenizer.add_special_case(word + ".", [{"ORTH": t} for t in tokens])

    @classmethod
    @cache
    def default(cls) -> "MentionExtractor":
        """The extractor for the bundled vocabularies (built once per process)."""
        return cls(load_vocabulary())

    # -- one talk ---------------------------------------------------------------------------

    def extract(self, title: str, abstract: str) -> list[Mention]:
        """Mentions in one talk, in field order then text order."""
        return self.mentions(title, abstract, self.spans(title, abstract))

    def spans(self, title: str, abstract: str, candidates: CandidateTerms | None = None
              ) -> list[tuple[int, int, int, int, bool]]:
        """``(field, start, end, concept index, learnt)`` tuples: the compact form workers send back.

        Written to stay out of Python loops over tokens: spaCy tokenizes and matches in
        Cython; abbreviations are found with regular expressions over the text, and rules
        look only at the few tokens around a match.
        """
        # A text longer than spaCy takes at once is read in pieces: (field, offset of the piece, piece).
        pieces = [(f, at, piece) for f, text in enumerate((title, abstract)) for at, piece in self._pieces(text)]
        texts = [piece for _, _, piece in pieces]
        docs = [self.nlp.make_doc(text) if text else None for text in texts]
        found = [self._match(doc) if doc is not None else [] for doc in docs]
        # doc.text rebuilds the string token by token: pass the texts along instead
        local = self._learn(texts, docs, found, candidates) if "(" in title or "(" in abstract else None
        if local:
            found = [self._apply_local(text, doc, spans, local) if doc is not None else []
                     for text, doc, spans in zip(texts, docs, found)]
        out = []
        whole: set[str] | None = None
        for (f, at, _), doc, spans in zip(pieces, docs, found):
            kept = []
            lowers = None
            for span in spans:
                rules = self.rules.get(span[2])
                if rules:
                    label = doc[span[0]:span[1]].text.lower()
                    rules = [(r, h) for r, h in rules if not r.labels or label in r.labels]
                if rules:
                    if whole is None and any(r.window is None for r, _ in rules):
                        whole = set(_WORD.findall(f"{title} {abstract}".lower()))
                    if lowers is None:
                        lowers = doc.to_array("LOWER").tolist()
                    if not all(_passes(rule, hashed, lowers, span, whole) for rule, hashed in rules):
                        continue
                kept.append(span)
            if kept:
                for start, end, concept, learnt in _resolve(kept):
                    last = doc[end - 1]
                    out.append((f, at + doc[start].idx, at + last.idx + len(last), concept, learnt))
        if candidates is not None:
            self._candidates(title, abstract, out, candidates)
        return out

    def _pieces(self, text: str) -> list[tuple[int, str]]:
        """``text`` as (offset, piece) pairs no longer than spaCy takes at once (``nlp.max_length``, a
        million characters), cut after a paragraph, else a sentence, else a space: a mention across a
        cut, or a rule's context on the far side of it, is missed, in texts that long only."""
        limit = self.nlp.max_length
        if len(text) <= limit:
            return [(0, text)]
        pieces, at = [], 0
        while len(text) - at > limit:
            end = at + limit
            cut = max((text.rfind(mark, at + limit // 2, end) + len(mark) for mark in ("\n", ". ")), default=0)
            if cut <= at + limit // 2:
                cut = text.rfind(" ", at + limit // 2, end) + 1
            if cut <= at + limit // 2:
                cut = end  # no space in half a million characters: not words anyway
            pieces.append((at, text[at:cut]))
            at = cut
        pieces.append((at, text[at:]))
        return pieces

    def _match(self, doc) -> list[tuple[int, int, int, bool]]:
        key = self._key
        spans = [(start, end, key[k], False) for k, start, end in self.lower(doc)]
        spans += [(start, end, key[k], False) for k, start, end in self.exact(doc)]
        return spans

    def _learn(self, texts, docs, found, candidates: CandidateTerms | None) -> dict[str, int | None]:
        """Abbreviations the talk defines: ``{"CNN": concept index}`` after a matched long form,
        ``{"GP": None}`` after one that matched nothing (the global acronym means something else here)."""
        local: dict[str, int | None] = {}
        for text, doc, spans in zip(texts, docs, found):
            if doc is None:
                continue
            ends: dict[int, list[tuple[int, int, int, bool]]] = {}
            for definition in _DEFINITION.finditer(text):
                short = definition.group(1)
                if len(_CAPITALS.findall(short)) < 2:
                    continue
                start = _token_starting_at(doc, definition.start())
                if start is None:
                    continue
                if not ends and spans:
                    for span in spans:
                        ends.setdefault(span[1], []).append(span)
                before = [s for s in ends.get(start, ()) if _abbreviates(short, doc[s[0]:s[1]].text)]
                if before:
                    longest = max(before, key=lambda s: s[1] - s[0])
                    local.setdefault(short, longest[2])
                    if short.endswith("s") and len(short) > 3:
                        local.setdefault(short[:-1], longest[2])
                else:
                    long_form = _long_form(doc, start, short)
                    if long_form:
                        key = short[:-1] if short.endswith("s") and short[-2:-1].isupper() else short
                        local.setdefault(key, None)
                        if candidates is not None:
                            candidates.long_forms.setdefault(key, long_form)
        return local

    def _apply_local(self, text: str, doc, spans, local: dict[str, int | None]):
        """Add spans for learnt abbreviations; they replace a global acronym on the same token.

        An abbreviation counts where it stands as a word of its own (not glued to ``[\\w-]``),
        with or without a plural "s"; at one position the longest abbreviation wins. Found with
        ``str.find`` (a talk defines one or two): compiling a regular expression for each talk
        cost three times as much.
        """
        hits: dict[int, tuple[str, int]] = {}  # start -> (abbreviation, end)
        size = len(text)
        for key in local:
            at = text.find(key)
            while at != -1:
                if not (at and _WORD_CHARACTER.match(text, at - 1)):
                    end = at + len(key)
                    for stop in ((end + 1, end) if end < size and text[end] == "s" else (end,)):
                        if not (stop < size and _WORD_CHARACTER.match(text, stop)):
                            if at not in hits or len(hits[at][0]) < len(key):
                                hits[at] = (key, stop)
                            break
                at = text.find(key, at + 1)
        learnt, taken = [], set()
        for at in sorted(hits):
            key, stop = hits[at]
            i = _token_starting_at(doc, at)
            if i is None or len(doc[i]) != stop - at:
                continue
            taken.add((i, i + 1))
            concept = local[key]
            if concept is not None:
                learnt.append((i, i + 1, concept, True))
        if not taken:
            return spans
        return [s for s in spans if (s[0], s[1]) not in taken] + learnt

    def _candidates(self, title: str, abstract: str, spans, candidates: CandidateTerms) -> None:
        covered = [[], []]
        for f, s, e, _, _ in spans:
            covered[f].append((s, e))
        seen: set[str] = set()
        for f, text in enumerate((title, abstract)):
            if not text:
                continue
            hits = _acronyms(text)
            if f:  # titles are in Title Case: only their acronyms are candidates
                hits += [hit for hit in _capitalised_phrases(text) if not _starts_sentence(text, hit[0])]
            for s, e, term in hits:
                if term in _NOT_CANDIDATES or any(s < ce and cs < e for cs, ce in covered[f]):
                    continue
                candidates.count[term] += 1
                if term not in seen:
                    seen.add(term)
                    candidates.talks[term] += 1

    # -- many talks -------------------------------------------------------------------------

    def extract_many(self, pairs: Iterable[tuple[str, str]], *, processes: int | None = None,
                     candidates: CandidateTerms | None = None, chunk: int = 2000
                     ) -> Iterator[list[tuple[int, int, int, int, bool]]]:
        """:meth:`spans` of each (title, abstract) pair, in order (see :class:`MentionJob`)."""
        job = MentionJob(self, processes=processes, candidates=candidates, chunk=chunk)
        for title, abstract in pairs:
            job.add(title, abstract)
        return job.results()

    def mentions(self, title: str, abstract: str, spans) -> list[Mention]:
        """:class:`Mention` objects from the compact ``spans`` of the same title and abstract."""
        texts, iris, make = (title, abstract), self._iris, tuple.__new__  # without the named tuple's __new__
        return [make(Mention, (FIELDS[f], s, e, iris[c], texts[f][s:e], "abbreviation" if learnt else "label"))
                for f, s, e, c, learnt in spans]


class MentionJob:
    """Extraction of many talks, fed one talk at a time while the table is still being read.

    Talks are buffered in chunks; once there are two chunks' worth, a pool of worker
    processes starts (forked, so they share the extractor) and each full chunk is sent to
    it, so extraction runs beside reading and linking. spaCy's own
    ``nlp.pipe(n_process=...)`` pickles every Doc back to the parent; these workers send
    back only offsets. Small tables never start a pool.
    """

    def __init__(self, extractor: MentionExtractor, *, processes: int | None = None,
                 candidates: CandidateTerms | None = None, chunk: int = 2000):
        self.extractor, self.candidates, self.chunk = extractor, candidates, chunk
        self.processes = processes if processes is not None else (os.cpu_count() or 1)
        if "fork" not in multiprocessing.get_all_start_methods():
            self.processes = 1
        self.buffer: list[tuple[str, str]] = []
        self.pending: list = []  # futures of the chunks whose results are not yet taken, in order
        self.pool: ProcessPoolExecutor | None = None

    def add(self, title: str, abstract: str) -> None:
        self.buffer.append((title, abstract))
        if self.processes > 1 and len(self.buffer) >= (self.chunk if self.pool else 2 * self.chunk):
            self._submit()

    def _submit(self) -> None:
        global _WORKER
        if self.pool is None:
            _WORKER = self.extractor
            # Started from this (the calling) thread, which lives as long as the workers should: see
            # talkgraph.processes.die_with_parent.
            self.pool = ProcessPoolExecutor(max_workers=self.processes,
                                            mp_context=multiprocessing.get_context("fork"),
                                            initializer=_start_worker, initargs=(os.getpid(),))
        for i in range(0, len(self.buffer), self.chunk):
            self.pending.append(self.pool.submit(_work, self.buffer[i:i + self.chunk]))
        self.buffer = []

    def results(self) -> Iterator[list[tuple[int, int, int, int, bool]]]:
        """The spans of every talk added, in order; the pool shuts down at the end."""
        try:
            if self.pool is not None and self.buffer:
                self._submit()
            while self.pending:
                results, found = self.pending.pop(0).result()  # popped: its results are freed once used
                if self.candidates is not None:
                    self.candidates.update(found)
                yield from results
            for title, abstract in self.buffer:
                yield self.extractor.spans(title, abstract, self.candidates)
            self.buffer = []
        finally:
            self.close()

    def workers_done(self) -> bool:
        """Whether no worker process has (or will be given) talks left to extract. (A chunk whose
        results were taken left :attr:`pending` done; ask between two results, not from another thread.)"""
        return not self.buffer and all(future.done() for future in self.pending)

    def close(self) -> None:
        """Stop the worker processes (pending chunks are cancelled); safe to call twice.

        Workers still extracting (the build stopped midway: an error, Ctrl-C, SIGTERM) are killed
        rather than waited for.
        """
        pool, self.pool = self.pool, None
        if pool is None:
            return
        if not all(future.done() for future in self.pending):
            for process in list((getattr(pool, "_processes", None) or {}).values()):
                process.kill()
        self.pending = []
        pool.shutdown(cancel_futures=True)


_WORKER: MentionExtractor | None = None


def _start_worker(parent: int) -> None:
    """A worker dies with the build (even one killed with SIGKILL) and leaves stopping to it: Ctrl-C
    and SIGTERM sent to the whole process group are the build's to handle (it then kills its workers)."""
    import signal

    from ..processes import die_with_parent

    die_with_parent(parent)
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, signal.SIG_IGN)


def _work(pairs):
    found = CandidateTerms()
    return [_WORKER.spans(title, abstract, found) for title, abstract in pairs], found


def extract_all(pairs: Sequence[tuple[str, str]], extractor: MentionExtractor | None = None,
                processes: int | None = None) -> tuple[list[list[Mention]], CandidateTerms]:
    """Mentions of many talks, and the unmatched candidate terms (see :meth:`MentionExtractor.extract_many`)."""
    extractor = extractor or MentionExtractor.default()
    candidates = CandidateTerms()
    found = extractor.extract_many(pairs, processes=processes, candidates=candidates)
    return [extractor.mentions(title, abstract, spans) for (title, abstract), spans in zip(pairs, found)], candidates


def _token_starting_at(doc, char: int) -> int | None:
    """Index of the token that starts at character ``char``, or ``None`` (no Python loop over tokens)."""
    starts = doc.user_data.get("starts")
    if starts is None:
        starts = doc.user_data["starts"] = doc.to_array("IDX").tolist()
    i = bisect_left(starts, char)
    return i if i < len(starts) and starts[i] == char else None


class _Hashed(NamedTuple):
    """A :class:`Rule`'s word lists as spaCy's hashes of lower-case token text."""

    keep_if: frozenset[int]
    drop_if: frozenset[int]
    not_before: frozenset[int]
    not_after: frozenset[int]


def _passes(rule: Rule, hashed: _Hashed, lowers: list[int], span, whole: set[str] | None) -> bool:
    """Whether a match (that reads as one of the rule's ``labels``, if it has any) survives ``rule``
    (see :class:`Rule`); ``lowers`` holds the doc's LOWER hashes."""
    start, end = span[0], span[1]
    if end < len(lowers) and lowers[end] in hashed.not_before:
        return False
    if start > 0 and lowers[start - 1] in hashed.not_after:
        return False
    if rule.window is None:
        context, keep_if, drop_if = whole or set(), rule.keep_if, rule.drop_if
    else:
        context = set(lowers[max(0, start - rule.window):start])
        context.update(lowers[end:end + rule.window])
        keep_if, drop_if = hashed.keep_if, hashed.drop_if
    if keep_if and not context.isdisjoint(keep_if):
        return True
    if drop_if:
        return context.isdisjoint(drop_if)
    return not keep_if


def _acronyms(text: str) -> list[tuple[int, int, str]]:
    """``(start, end, acronym)`` of each free-standing word with two capitals, a plural "s" left off.

    >>> _acronyms("CNNs, mCNN, NASA's U-Net and ResNet50")
    [(0, 3, 'CNN'), (12, 16, 'NASA'), (29, 37, 'ResNet50')]
    """
    hits = []
    for run in _ACRONYM_RUN.finditer(text):
        start = run.start()
        if start and _WORD_CHARACTER.match(text, start - 1):
            continue  # inside a word: the rest of the word is too
        acronym = _ACRONYM.fullmatch(run.group())
        if acronym:
            hits.append((start, start + acronym.end(1), acronym.group(1)))
    return hits


def _capitalised_phrases(text: str) -> list[tuple[int, int, str]]:
    """``(start, end, phrase)`` of each free-standing run of capitalised words.

    >>> _capitalised_phrases("xBlack Hole Merger and the Square Kilometre Array")
    [(7, 18, 'Hole Merger'), (27, 49, 'Square Kilometre Array')]
    """
    hits, at, search = [], 0, _CAPITALISED_PHRASE.search
    while (phrase := search(text, at)) is not None:
        start = phrase.start()
        if start and _WORD_CHARACTER.match(text, start - 1):
            at = start + 1  # a later word of the same phrase may still start one
            continue
        hits.append((start, phrase.end(), phrase.group()))
        at = phrase.end()
    return hits


def _starts_sentence(text: str, at: int) -> bool:
    """Whether ``text[at:]`` starts the text, a line or a sentence (looks back only over whitespace).

    >>> [_starts_sentence("Deep Learning. Deep Fields", i) for i in (0, 5, 15)]
    [True, False, True]
    """
    i = at
    while i and text[i - 1].isspace():
        i -= 1
    return at == 0 or "\n" in text[i:at] or (0 < i < at and text[i - 1] in ".!?:;")


def _resolve(spans):
    """Longest first, then earliest; a span identical to a kept one keeps its other concepts too.

    >>> _resolve([(0, 2, 7, False), (1, 3, 8, False), (0, 3, 9, False), (0, 3, 5, False), (4, 5, 1, False)])
    [(0, 3, 5, False), (0, 3, 9, False), (4, 5, 1, False)]
    """
    ordered = sorted(spans)
    reach = -1
    for span in ordered:
        if span[0] < reach:
            break
        reach = span[1]
    else:  # the usual case: nothing overlaps
        return ordered
    kept: list[tuple[int, int, int, bool]] = []
    taken: list[tuple[int, int]] = []  # (start, end) of the kept spans, which never overlap
    for span in sorted(set(ordered), key=_longest_first):
        start, end = span[0], span[1]
        for first, last in taken:
            if start < last and first < end:  # overlaps a longer or earlier kept span
                if (first, last) == (start, end) and not any(k[:3] == span[:3] for k in kept):
                    kept.append(span)  # the same words: another concept they name
                break
        else:
            taken.append((start, end))
            kept.append(span)
    kept.sort(key=_start_then_concept)
    return kept


def _longest_first(span) -> tuple[int, int, int]:
    return span[0] - span[1], span[0], span[2]


def _start_then_concept(span) -> tuple[int, int]:
    return span[0], span[2]


def _long_form(doc, paren: int, short: str) -> str | None:
    """The words before ``(SHORT)`` whose initials spell it (Schwartz & Hearst, simplified)."""
    letters = [c.lower() for c in short if c.isalpha()]
    if short.endswith("s") and short[-2:-1].isupper():
        letters = letters[:-1]
    if len(letters) < 2:
        return None
    words = [t for t in doc[max(0, paren - len(letters) - 3):paren]]
    for size in range(1, len(words) + 1):
        window = words[-size:]
        initials = [t.text[0].lower() for t in window if t.text[:1].isalpha()]
        if initials and initials[0] == letters[0] and _subsequence(letters, initials + list(
                "".join(t.text.lower() for t in window))):
            if len([t for t in window if t.is_alpha]) >= max(2, len(letters) - 2):
                return doc[window[0].i:paren].text
    return None


def _abbreviates(short: str, long: str) -> bool:
    """Whether ``short`` can abbreviate ``long``: its letters in order, the first one starting a word.

    >>> _abbreviates("CNNs", "Convolutional Neural Networks"), _abbreviates("BBH", "Black Hole")
    (True, False)
    """
    letters = [c.lower() for c in short if c.isalpha()]
    if short.endswith("s") and short[-2:-1].isupper():
        letters = letters[:-1]
    words = long.lower().replace("-", " ").split()
    for i, word in enumerate(words):
        if word[:1] == letters[:1][0] and _subsequence(letters, list(" ".join(words[i:]))):
            return True
    return False


def _subsequence(needle: list[str], hay: list[str]) -> bool:
    it = iter(hay)
    return all(ch in it for ch in needle)
