"""Mentions: the concepts a talk's title and abstract name, each with its evidence.

Owns matching: :class:`MentionExtractor` reads a talk's title and abstract with a
blank spaCy tokenizer (:mod:`.nlp`), runs two ``PhraseMatcher`` s whose patterns are
generated from the SKOS labels of the vocabularies (:mod:`.patterns`), so adding an
``skos:altLabel`` teaches the extractor, then applies the talk's own abbreviations
(:mod:`.abbreviations`) and the false-friend rules (:mod:`.rules`), and resolves overlaps.
Many talks go through :class:`~.pool.MentionJob` (:mod:`.pool`). In short:

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
:data:`~.rules.RULES` (data: ``mention_rules.json``), each documented and tested.

>>> extractor = MentionExtractor.default()
>>> [(m.text, m.concept.rsplit("/", 1)[1]) for m in extractor.extract(
...     "", "We trained Bayesian convolutional neural networks with PyTorch on SDSS images.")]
[('Bayesian convolutional neural networks', 'bayesian-convolutional-neural-network'), ('PyTorch', 'pytorch'), ('SDSS', 'sdss')]
"""
from __future__ import annotations

import re
from functools import cache
from typing import Iterable, Iterator, NamedTuple, Sequence

from ..tables.latex import reading
from ..vocab.keywords import match_key
from ..vocab.vocabulary import PROSE_ORDER, THESAURUS, Concept, Vocabulary, load_vocabulary
from ..vocab.wordforms import singular_form
from .abbreviations import apply_learnt, learn
from .candidates import WORD_CHARACTER, CandidateTerms, count_candidates
from .contexts import context_rules, narrow, not_into, specialisations
from .coordination import coordinated, stackable_heads, stacked
from .gaps import across_definitions
from .nlp import BlankEnglish, lower_hashes, token_starting_at
from .objects import designated, find_objects, object_iri
from .parts import PREPOSITIONS
from .patterns import compile_patterns, keyboard
from .pool import MentionJob
from .rules import BOUND_PREFIXES, ELIDED_CONCEPTS, ELIDED_SCHEMES, RULES, HashedRule, Rule, hash_rule, passes, prose_drops

__all__ = ["Mention", "MentionExtractor", "FIELDS", "extract_all",
           # at home in .rules, .pool and .candidates; named here too, for the callers that import them from here
           "Rule", "RULES", "MentionJob", "CandidateTerms"]

#: The text fields mentions are looked for in, in the order they are read.
FIELDS = ("title", "abstract")

_WORD = re.compile(r"[\w'’-]+")
#: the schemes of topics, whose labels a longer label may hold after a preposition (:meth:`MentionExtractor._nested`)
_TOPICS = ("domain", THESAURUS)


class Mention(NamedTuple):
    """One occurrence of a concept: ``text == field_text[start:end]`` (offsets in code points).

    A named tuple rather than a dataclass: a build makes a million of them.
    """

    field: str
    start: int
    end: int
    concept: str
    text: str
    how: str = "label"  # "label", "abbreviation" (learnt from this talk's text) or "designation" (an object's)


class MentionExtractor:
    """Finds vocabulary concepts in text; build one per vocabulary and reuse it."""

    def __init__(self, vocab: Vocabulary, schemes: Iterable[str] = ("domain", "method", "software", "facility",
                                                                    THESAURUS)):
        english = BlankEnglish()
        self.nlp = english.nlp
        self.pattern_doc = english.pattern_doc
        strings = self.nlp.vocab.strings
        self.concepts: list[Concept] = [c for c in vocab.concepts.values() if c.scheme in set(schemes)]
        self._iris = [c.iri for c in self.concepts]
        #: an object's label → the concept whose label the designation is ("M31": UAT's Andromeda Galaxy)
        index_of = {iri: i for i, iri in enumerate(self._iris)}
        self._designated = {label: index_of[iri] for label, iri in
                            designated((c.iri, c.labels) for c in self.concepts).items()}
        self._key = {strings.add(c.iri): i for i, c in enumerate(self.concepts)}
        self.lower = english.phrase_matcher("LOWER")
        self.exact = english.phrase_matcher("ORTH")
        #: for each matcher, concept IRI → the texts of its patterns (dicts, as ordered sets)
        self.patterns = compile_patterns(self.concepts, _in_prose(vocab))
        # Words that name concepts of two schemes name one (rule 5 of docs/vocabularies.md): a narrower
        # concept before one above it, the project's concept before the same one elsewhere, then by scheme.
        index = {c.iri: i for i, c in enumerate(self.concepts)}
        rank = {scheme: r for r, scheme in enumerate(PROSE_ORDER)}
        self._rank = [rank.get(c.scheme, len(rank)) for c in self.concepts]
        self._above: list[frozenset[int]] = [frozenset(index[a] for a in vocab.ancestors(c.iri) if a in index)
                                             for c in self.concepts]
        #: the concepts a talk may name with a qualifier left out (``elided_qualifiers`` in mention_rules.json)
        self._elidable = frozenset(i for i, c in enumerate(self.concepts)
                                   if c.scheme in ELIDED_SCHEMES or c.iri in ELIDED_CONCEPTS)
        #: thesaurus concepts none of whose labels is an acronym: a word in capitals names none of them (:func:`_shouted`)
        self._words_only = frozenset(i for i, c in enumerate(self.concepts) if c.scheme == THESAURUS
                                     and not any(label.isupper() for label in c.labels))
        #: a thesaurus concept → ours that is it or close to it (rule 1): a talk that names both names ours
        self._ours = {i: index[ours.iri] for i, c in enumerate(self.concepts) if c.scheme == THESAURUS
                      and (ours := vocab.ours_for(c.iri)) is not None and ours.iri in index}
        #: lower-case pattern text → concept index (the first by rule 5 when two share it), for the
        #: earlier conjuncts of coordinated modifiers (:mod:`.coordination`)
        self._phrases: dict[str, int] = {}
        for iri, texts in self.patterns["lower"].items():
            concept = index[iri]
            for text in texts:
                other = self._phrases.setdefault(text.lower(), concept)
                if other != concept and self._better(concept, other):
                    self._phrases[text.lower()] = concept
        #: pattern text that matches only as written, its head in lower case ("DA white dwarfs") → concept index,
        #: for the earlier conjuncts of coordinated modifiers written in capitals ("DA and DB white dwarfs")
        self._written: dict[str, int] = {}
        for iri, texts in self.patterns["exact"].items():
            for text in texts:
                modifier, _, head = text.partition(" ")
                if head:
                    self._written.setdefault(f"{modifier} {head.lower()}", index[iri])
        #: concept → the heads that stacked modifiers may narrow to a concept below it (:mod:`.coordination`)
        self._heads = stackable_heads(self._phrases, self._above)
        #: the last words of labels, nouns nearly all: what a compound that goes on after a match ends with
        self._nouns = frozenset(text.rsplit(" ", 1)[-1] for text in self._phrases)
        for name, matcher in (("lower", self.lower), ("exact", self.exact)):
            for iri, texts in self.patterns[name].items():
                matcher.add(iri, [self.pattern_doc(text) for text in texts])
        english.split_final_periods(dict.fromkeys(text.rsplit(" ", 1)[-1] for patterns in self.patterns.values()
                                                  for texts in patterns.values() for text in texts))
        #: a topic → the narrower topic it is in a talk about a context (:mod:`.contexts`)
        self._contexts = context_rules()
        barred = set(not_into())
        self._special = specialisations(  # a label that is no evidence in prose ("halos") narrows nothing
            [[label for label in c.labels if label not in c.ambiguous] for c in self.concepts],
            [i for i, c in enumerate(self.concepts) if c.scheme in _TOPICS],
            [i for i, c in enumerate(self.concepts) if c.scheme == THESAURUS and c.iri not in barred
             and not barred & vocab.ancestors(c.iri)], self._contexts)
        # Rules compare tokens by the hash of their lower-case form, as spaCy stores them.
        slugs = [c.iri.rstrip("/").rsplit("/", 1)[-1] for c in self.concepts]
        self.rules: dict[int, list[tuple[Rule, HashedRule]]] = {}
        #: a rule's name → the concept a match it drops names instead (its ``becomes``)
        self._becomes: dict[str, int] = {}
        for rule in RULES:
            hashed = hash_rule(rule, strings.add)
            for slug in rule.concepts:
                for i, s in enumerate(slugs):
                    if s == slug:
                        self.rules.setdefault(i, []).append((rule, hashed))
            if rule.becomes is not None and rule.becomes in slugs:
                self._becomes[rule.name] = slugs.index(rule.becomes)

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
        """``(field, start, end, concept index, learnt)`` tuples: the compact form workers send back (for an
        object named by its designation, the index is ``OBJECT`` and the label stands where ``learnt`` does).

        A field with LaTeX is read as a reader would ("$\\gamma$-ray" as "γ-ray",
        :func:`~talkgraph.tables.latex.reading`), and typographic quotes and dashes as the keyboard's
        ("Sunyaev–Zel’dovich" as "Sunyaev-Zel'dovich", one character for one: :func:`~.patterns.keyboard`);
        the offsets are those of the field as written.
        """
        read = (reading(title), reading(abstract))
        if read == (None, None):
            return self._spans(keyboard(title), keyboard(abstract), candidates)
        found = self._spans(*(keyboard(r.text if r else text) for r, text in zip(read, (title, abstract))),
                            candidates)
        return [(f, *read[f].span(start, end), concept, learnt) if read[f] else (f, start, end, concept, learnt)
                for f, start, end, concept, learnt in found]

    def _spans(self, title: str, abstract: str, candidates: CandidateTerms | None
               ) -> list[tuple[int, int, int, int, bool]]:
        """:meth:`spans` of the fields as read. Written to stay out of Python loops over tokens:
        spaCy tokenizes and matches in Cython; abbreviations are found with regular expressions
        over the text, and rules look only at the few tokens around a match."""
        # A text longer than spaCy takes at once is read in pieces: (field, offset of the piece, piece).
        pieces = [(f, at, piece) for f, text in enumerate((title, abstract)) for at, piece in self._pieces(text)]
        texts = [piece for _, _, piece in pieces]
        docs = [self.nlp.make_doc(text) if text else None for text in texts]
        found = [self._match(doc) if doc is not None else [] for doc in docs]
        if " and " in title or " and " in abstract or " or " in abstract:
            found = [spans + coordinated(doc, spans, self._phrases, self._written) if spans else spans
                     for doc, spans in zip(docs, found)]
        found = [stacked(doc, spans, self._phrases, self._above, self._heads) if spans else spans
                 for doc, spans in zip(docs, found)]
        if "(" in title or "(" in abstract:  # "magnetohydrodynamic (MHD) simulations": the term goes on after it
            found = [spans + across_definitions(text, doc, self._match, self.nlp.make_doc) if doc is not None else spans
                     for text, doc, spans in zip(texts, docs, found)]
        # doc.text rebuilds the string token by token: pass the texts along instead
        local = (learn(texts, docs, found, candidates, lambda c: self.concepts[c].labels)
                 if "(" in title or "(" in abstract else None)
        if local:
            found = [apply_learnt(text, doc, spans, local) if doc is not None else []
                     for text, doc, spans in zip(texts, docs, found)]
        out = []
        whole: set[str] | None = None
        for (f, at, text), doc, spans in zip(pieces, docs, found):
            kept = []
            lowers = None
            bound = _bound_starts(text, doc) if "-" in text and spans else ()
            for span in spans:
                if span[0] in bound or (span[1] - span[0] >= 3 and _cuts_a_compound(doc, span[0], span[1], self._nouns)):
                    continue
                if span[1] - span[0] == 1 and span[2] in self._words_only and _shouted(doc, span[0]):
                    continue  # "PARSEC", "APOGEE", "CERES": a name in capitals, not UAT's parsec, apogee or Ceres
                rules = self.rules.get(span[2])
                if rules:
                    label = doc[span[0]:span[1]].text.lower()
                    rules = [(r, h) for r, h in rules if not r.labels or label in r.labels]
                if rules:
                    if whole is None and any(r.window is None for r, _ in rules):
                        whole = set(_WORD.findall(f"{title} {abstract}".lower()))
                    if lowers is None:
                        lowers = lower_hashes(doc)
                    failed = next((rule for rule, hashed in rules if not passes(rule, hashed, lowers, span, whole)),
                                  None)
                    if failed is not None:
                        if failed.name not in self._becomes:
                            continue
                        span = (span[0], span[1], self._becomes[failed.name], span[3])
                kept.append(span)
            if kept:
                for start, end, concept, learnt in self._one_per_span(self._nested(doc, kept, _resolve(kept, doc))):
                    last = doc[end - 1]
                    out.append((f, at + doc[start].idx, at + last.idx + len(last), concept, learnt))
        if any(span[3] in self._special for span in out):
            out = narrow(title, abstract, out, self._special, self._contexts)
        if self._ours and out:
            named = {span[3] for span in out}
            out = [span for span in out if self._ours.get(span[3], -1) not in named]
        if len(out) > 1:
            out = self._elided(title, abstract, out)
        out = _with_designations(title, abstract, out, self._designated)
        if candidates is not None:
            count_candidates(title, abstract, out, candidates)
        return out

    def _nested(self, doc, found, kept):
        """The spans of ``found`` inside a longer ``kept`` one that name something of their own: the host
        facility that a facility's name starts with ("Herschel" in "Herschel SPIRE", above SPIRE) or holds
        as an acronym ("HMI" in "Space-weather HMI Active Region Patches"; not "Legacy Survey" in "DECam
        Legacy Survey", which is the name's own words), and a topic after a preposition in a topic's or
        method's label ("galaxy formation" in "semi-analytic models of galaxy formation"). Never a
        concept above the same words."""
        if len(found) == len(kept):
            return kept
        held, extra = set(kept), []
        for span in found:
            start, end, concept = span[0], span[1], span[2]
            if span in held:
                continue
            inner = self.concepts[concept].scheme
            if inner != "facility" and inner not in _TOPICS:
                continue  # a method inside a longer match names nothing of its own
            outer = next((k for k in kept if k[0] <= start and end <= k[1] and (k[0], k[1]) != (start, end)), None)
            if outer is None:
                continue
            around = self.concepts[outer[2]].scheme
            if (inner == around == "facility" and concept in self._above[outer[2]]
                    and (start == outer[0] or _acronym(doc[start:end].text))) or (
                    start > outer[0] and inner in _TOPICS and around in (*_TOPICS, "method")
                    and doc[start - 1].lower_ in PREPOSITIONS):
                extra.append(span)
        return sorted(kept + extra, key=_start_then_concept) if extra else kept

    def _elided(self, title: str, abstract: str, spans: list[tuple]) -> list[tuple]:
        """Without the spans that are a narrower concept's words with its qualifier left out: in a talk
        about "strong gravitational lenses", "the gravitational lenses" elsewhere are those strong
        lenses, not the broader Gravitational lensing as well; "supernovae" beside "Type Ia supernovae" are
        the Type Ia ones. A span goes when its concept may be named so (``elided_qualifiers`` in
        mention_rules.json), its words (by their matching key) end another span's, one word or more
        shorter, and that span's concept is below its own: one concept only, for words that end the
        names of two ("DB white dwarfs and DQ white dwarfs" … "white dwarfs") are the kind both belong to."""
        above, elidable = self._above, self._elidable
        named = {span[3] for span in spans if span[3] in elidable}
        if not named or not any(above[span[3]] & named for span in spans if span[3] != OBJECT):
            return spans  # no concept of the talk is below one that may be named without its qualifier
        texts = (title, abstract)
        keys = [match_key(texts[f][s:e]) if c != OBJECT else "" for f, s, e, c, _ in spans]
        narrower = [(key, span[3]) for span, key in zip(spans, keys) if key and above[span[3]] & named]
        return [span for span, key in zip(spans, keys)
                if span[3] not in named or len({concept for other, concept in narrower
                                                if other.endswith(" " + key) and span[3] in above[concept]}) != 1]

    def _one_per_span(self, spans):
        """Of the concepts the same words name, the one of docs/vocabularies.md's rules (see ``__init__``)."""
        if all(a[:2] != b[:2] for a, b in zip(spans, spans[1:])):
            return spans
        out = []
        for span in spans:
            if out and out[-1][:2] == span[:2]:
                kept, new = out[-1][2], span[2]
                if self._better(new, kept):
                    out[-1] = span
            else:
                out.append(span)
        return out

    def _better(self, new: int, kept: int) -> bool:
        if self._ours.get(kept) == new or kept in self._above[new]:
            return True
        if self._ours.get(new) == kept or new in self._above[kept]:
            return False
        return (self._rank[new], new) < (self._rank[kept], kept)

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

    # -- many talks -------------------------------------------------------------------------

    def extract_many(self, pairs: Iterable[tuple[str, str]], *, processes: int | None = None,
                     candidates: CandidateTerms | None = None, chunk: int = 2000
                     ) -> Iterator[list[tuple[int, int, int, int, bool]]]:
        """:meth:`spans` of each (title, abstract) pair, in order (see :class:`~.pool.MentionJob`)."""
        job = MentionJob(self, processes=processes, candidates=candidates, chunk=chunk)
        for title, abstract in pairs:
            job.add(title, abstract)
        return job.results()

    def mentions(self, title: str, abstract: str, spans) -> list[Mention]:
        """:class:`Mention` objects from the compact ``spans`` of the same title and abstract."""
        texts, iris, make = (title, abstract), self._iris, tuple.__new__  # without the named tuple's __new__
        return [make(Mention, (FIELDS[f], s, e, iris[c], texts[f][s:e], "abbreviation" if learnt else "label"))
                if c != OBJECT else make(Mention, (FIELDS[f], s, e, object_iri(learnt), texts[f][s:e], "designation"))
                for f, s, e, c, learnt in spans]


def extract_all(pairs: Sequence[tuple[str, str]], extractor: MentionExtractor | None = None,
                processes: int | None = None) -> tuple[list[list[Mention]], CandidateTerms]:
    """Mentions of many talks, and the unmatched candidate terms (see :meth:`MentionExtractor.extract_many`)."""
    extractor = extractor or MentionExtractor.default()
    candidates = CandidateTerms()
    found = extractor.extract_many(pairs, processes=processes, candidates=candidates)
    return [extractor.mentions(title, abstract, spans) for (title, abstract), spans in zip(pairs, found)], candidates


#: The concept index of a span that is an object's designation (:mod:`.objects`): the object is read from the words.
OBJECT = -1


def _with_designations(title: str, abstract: str, spans: list[tuple], concepts: dict[str, int]) -> list[tuple]:
    """``spans`` with the designations of objects in the title and abstract (:func:`~.objects.find_objects`),
    in field and text order. A designation is one name: it replaces the concepts matched inside it ("SDSS" in
    "SDSS J1004+4112"), and gives way to a concept whose words are the same ("NGC 224", a label of UAT's
    Andromeda Galaxy) or reach beyond it. A designation that is a concept's label in another spelling ("M 31")
    links that concept (``concepts``: label → concept index)."""
    found = [(f, start, end, label) for f, text in enumerate((title, abstract)) if text
             for start, end, _, label in find_objects(text)]
    if not found:
        return spans
    kept = list(spans)
    for f, start, end, label in found:
        if any(g == f and s < end and start < e and not (start <= s and e <= end and (s, e) != (start, end))
               for g, s, e, *_ in spans):
            continue
        kept = [span for span in kept if not (span[0] == f and start <= span[1] and span[2] <= end)]
        # an object's span carries its label where other spans say whether they were learnt: the words as
        # written may not read back (LaTeX), and workers send spans, not texts
        kept.append((f, start, end, concepts[label], False) if label in concepts else (f, start, end, OBJECT, label))
    return sorted(kept, key=lambda span: span[:2])


def _in_prose(vocab: Vocabulary):
    """Whether a label may find its concept in prose: the thesaurus's own labels follow the prose rules
    (:data:`~.rules.PROSE_RULES`); the project's labels, curated, all may."""
    thesaurus = vocab.thesaurus

    def allowed(concept: Concept, label: str) -> bool:
        if concept.scheme != THESAURUS or thesaurus is None or concept.iri not in thesaurus.concepts:
            return True
        fact = next((f for f in thesaurus.concepts[concept.iri].labels if f.text == label), None)
        return fact is None or prose_drops(label, fact.common and not label.isupper()) is None

    return allowed


_PREFIXES = frozenset(prefix.lower() for prefix in BOUND_PREFIXES)
_LONGEST_PREFIX = max(map(len, _PREFIXES), default=0)
_WORD_LETTER = re.compile(r"\w")  # the character after a bound prefix's hyphen


def bound_ends(text: str) -> list[int]:
    """The offsets right after each bound prefix and its hyphen ("self-|supervised"): a prefix of
    ``bound_prefixes`` (any case) not glued to a word character or hyphen before it, and followed by a
    word character after the hyphen. Found from the hyphens, in Python: a regular expression that starts
    with a look-behind is tried at every character, twenty times slower on an abstract.

    >>> bound_ends("Self-supervised, non-Gaussian, anti-aliased; xnon-x, 2non-x, non-")
    [5, 21, 36]
    """
    out = []
    hyphen = text.find("-")
    while hyphen != -1:
        start = hyphen
        while start > 0 and hyphen - start <= _LONGEST_PREFIX and text[start - 1].isalpha():
            start -= 1
        if (hyphen - start <= _LONGEST_PREFIX and text[start:hyphen].lower() in _PREFIXES
                and (start == 0 or not WORD_CHARACTER.match(text, start - 1)) and _WORD_LETTER.match(text, hyphen + 1)):
            out.append(hyphen + 1)
        hyphen = text.find("-", hyphen + 1)
    return out


def _bound_starts(text: str, doc) -> set[int]:
    """Tokens right after a prefix and its hyphen ("self-|supervised"), where no match may start
    (``bound_prefixes`` in mention_rules.json)."""
    return {i for end in bound_ends(text) if (i := token_starting_at(doc, end)) is not None}


#: Words that may follow a noun phrase that has ended: prepositions, conjunctions, determiners, common verbs.
_AFTER_A_PHRASE = frozenset("""a an the this that these those of for in on with by from to at as and or but than via
    using based is are was were be been being has have had can could will would may might must should do does did
    into onto over under within without between among across through during after before since until while where
    when which who whose because although if whether not also both each all any some such remains remain requires
    require allows allow shows show""".split())


def _cuts_a_compound(doc, start: int, end: int, nouns: frozenset[str]) -> bool:
    """Whether a match "X of Y" ends inside a compound: its last word, singular, is followed by a noun (a word
    that ends a label, of ``nouns``: "formation of galaxy | clusters", "characterization of exoplanet |
    atmospheres"): the phrase goes on and names something else. A plural ends it ("formation of galaxies in
    clusters"), and so does a word that ends no label ("formation of structure proceeds").

    >>> import spacy; nlp = spacy.blank("en")
    >>> [_cuts_a_compound(nlp(t), 0, 3, frozenset({"clusters"})) for t in ("formation of galaxy clusters",
    ...     "formation of galaxies clusters", "formation of structure proceeds", "formation of galaxy")]
    [True, False, False, False]
    """
    if end >= len(doc) or doc.vocab.strings["of"] not in lower_hashes(doc)[start + 1:end - 1]:
        return False
    last, after = doc[end - 1], doc[end]
    if not last.whitespace_ or not last.text.islower() or after.text not in nouns or after.lower_ in _AFTER_A_PHRASE:
        return False  # a name ends where it ends: "Legacy Survey of Space and Time image billions of galaxies"
    return singular_form(last.lower_) is None


def _shouted(doc, i: int) -> bool:
    """Whether token ``i`` is a word in capitals ("PARSEC", "APOGEE") amid words that are not (not a heading
    in capitals): an acronym or a name, which a thesaurus label written as a word does not name."""
    text = doc[i].text
    if len(text) < 3 or not text.isupper() or not text.isalpha():
        return False
    near = [doc[j].text for j in (i - 1, i + 1) if 0 <= j < len(doc) and doc[j].is_alpha and len(doc[j].text) > 1]
    return not any(word.isupper() for word in near)


def _acronym(text: str) -> bool:
    """Two capitals or more and no lower-case letter: "HMI", "BAT"."""
    letters = [c for c in text if c.isalpha()]
    return len(letters) >= 2 and all(c.isupper() for c in letters)


def _resolve(spans, doc=None):
    """Longest first, then earliest; a span identical to a kept one keeps its other concepts too. A
    leading "the" of a label ("the Galaxy", "the Sun") does not count: "the Galaxy Zoo" is Galaxy Zoo.

    >>> _resolve([(0, 2, 7, False), (1, 3, 8, False), (0, 3, 9, False), (0, 3, 5, False), (4, 5, 1, False)])
    [(0, 3, 5, False), (0, 3, 9, False), (4, 5, 1, False)]
    >>> import spacy; doc = spacy.blank("en")("the Galaxy Zoo project")
    >>> _resolve([(0, 2, 1, False), (1, 3, 2, False)], doc)
    [(1, 3, 2, False)]
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
    named: set[tuple[int, int, int]] = set()  # (start, end, concept) of the kept spans
    # the kept spans' (start, end) by token: they never overlap, so a token has one at most
    owner: list[tuple[int, int] | None] = [None] * (len(doc) if doc is not None else max(span[1] for span in ordered))
    if doc is not None:
        lowers, the = lower_hashes(doc), doc.vocab.strings["the"]
        articles = {start for start, *_ in ordered if lowers[start] == the}
    else:
        articles = set()
    # longest first (a leading "the" not counted), then earliest, then by concept; ties in the set's order, as a
    # stable sort keeps them (the index), without a Python call per span
    for *_, span in sorted((span[0] - span[1] + (span[0] in articles), span[0], span[2], i, span)
                           for i, span in enumerate(set(ordered))):
        start, end = span[0], span[1]
        for i in range(start, end):
            if owner[i] is not None:
                if owner[i] != (start, end) or span[:3] in named:
                    break  # overlaps a longer or earlier kept span (the same words: another concept they name)
                kept.append(span)
                named.add(span[:3])
                break
        else:
            owner[start:end] = [(start, end)] * (end - start)
            kept.append(span)
            named.add(span[:3])
    kept.sort(key=_start_then_concept)
    return kept


def _start_then_concept(span) -> tuple[int, int]:
    return span[0], span[2]
