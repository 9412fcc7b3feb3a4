"""Word forms: plural and singular, British and American spelling, hyphen or space.

The one home of the rules that let "Convolutional Neural-Networks" meet "convolutional
neural network". The rules are data, in ``wordforms.json`` beside this module, in two
sets for two uses: the *key* rules normalise one word to the form that two labels must
share (:func:`singular`, :func:`key_word`; used by :func:`talkgraph.vocab.keywords.match_key`
to link keyword cells), and must never merge different words, so they are conservative
and go one way (British to American); the *variant* rules generate the forms that prose
may write a label in (:func:`label_variants`; used for the patterns of mentions), where
a form nobody writes costs nothing, so they are generous and go both ways.

>>> singular("galaxies"), key_word("optimisations"), sorted(label_variants("neural network"))
('galaxy', 'optimization', ['neural network', 'neural networks', 'neural-network', 'neural-networks'])
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from functools import cache, lru_cache
from pathlib import Path

__all__ = ["singular", "key_word", "plural_form", "singular_form", "adjective_form", "respellings", "label_variants",
           "greek_forms", "numeral_forms", "head_noun_forms", "closed_form", "opened_form", "of_phrases"]


@dataclass(frozen=True)
class _Ending:
    """Replace ``ending`` by ``becomes`` in a word at least ``min_length`` long whose letter before
    the ending is not in ``not_after``."""

    ending: str
    becomes: str
    min_length: int = 0
    not_after: str = ""

    def apply(self, word: str) -> str | None:
        if not word.endswith(self.ending) or len(word) < self.min_length:
            return None
        if self.not_after and word[-len(self.ending) - 1] in self.not_after:
            return None
        return word[: len(word) - len(self.ending)] + self.becomes


@dataclass(frozen=True)
class _Rules:
    irregular: dict[str, str]
    invariant: frozenset[str]
    key_min_length: int
    key_unchanged: tuple[str, ...]
    key_singular: tuple[_Ending, ...]
    key_spelling: tuple[tuple[re.Pattern, str], ...]
    no_plural: tuple[str, ...]
    plural: tuple[_Ending, ...]
    variant_min_length: int
    variant_unchanged: tuple[str, ...]
    variant_singular: tuple[_Ending, ...]
    adjectives: tuple[_Ending, ...]
    spelling: tuple[tuple[str, str], ...]
    spelling_endings: tuple[str, ...]
    min_stem: int
    short_ending: int


def _endings(rules: list[dict]) -> tuple[_Ending, ...]:
    return tuple(_Ending(r["ending"], r["becomes"], r.get("min_length", 0), r.get("not_after", "")) for r in rules)


@cache
def rules_data() -> dict:
    """The rules as written in ``wordforms.json`` (for tests and documentation)."""
    return json.loads(Path(__file__).with_name("wordforms.json").read_text(encoding="utf-8"))


@cache
def _rules() -> _Rules:
    data = rules_data()
    key, variants = data["key"], data["variants"]
    spelling = tuple((british, american) for british, american in variants["spelling"])
    return _Rules(
        irregular=dict(key["irregular"]), invariant=frozenset(key["invariant"]),
        key_min_length=key["singular_min_length"], key_unchanged=tuple(key["singular_unchanged_endings"]),
        key_singular=_endings(key["singular"]),
        key_spelling=tuple((re.compile(r["pattern"]), r["replacement"]) for r in key["spelling"]),
        no_plural=tuple(variants["no_plural_endings"]), plural=_endings(variants["plural"]),
        variant_min_length=variants["singular_min_length"],
        variant_unchanged=tuple(variants["singular_unchanged_endings"]),
        variant_singular=_endings(variants["singular"]), adjectives=_endings(variants["adjectives"]),
        spelling=spelling, spelling_endings=tuple({ending for pair in spelling for ending in pair}),
        min_stem=variants["spelling_stem"]["min_stem"], short_ending=variants["spelling_stem"]["short_ending"])


def _first(endings: tuple[_Ending, ...], word: str) -> str | None:
    for rule in endings:
        other = rule.apply(word)
        if other is not None:
            return other
    return None


# ---------------------------------------------------------------- the key: one form for many

def singular(word: str) -> str:
    """Singular of a lower-case English word, by rules good enough for technical terms.

    >>> [singular(w) for w in ("networks", "supernovae", "physics", "processes", "gas")]
    ['network', 'supernova', 'physics', 'process', 'gas']
    """
    rules = _rules()
    if word in rules.irregular:
        return rules.irregular[word]
    if len(word) < rules.key_min_length or word in rules.invariant or not word.isalnum():
        return word
    if word.endswith(rules.key_unchanged):
        return word
    other = _first(rules.key_singular, word)
    return word if other is None else other


@lru_cache(maxsize=None)
def key_word(word: str) -> str:
    """A lower-case word as a matching key has it: singular, then American spelling.

    >>> [key_word(w) for w in ("colours", "modelling", "centres", "neighbours")]
    ['color', 'modeling', 'center', 'neighbor']
    """
    word = singular(word)
    for pattern, replacement in _rules().key_spelling:
        word = pattern.sub(replacement, word)
    return word


# ---------------------------------------------------------------- variants: many forms for one

def plural_form(word: str) -> str | None:
    """The plural of a label's last word, or ``None`` for a word that takes none.

    >>> plural_form("galaxy"), plural_form("flux"), plural_form("inference"), plural_form("H2")
    ('galaxies', 'fluxes', None, None)
    """
    rules = _rules()
    lower = word.lower()
    if lower in rules.irregular:  # a plural already ("supernovae")
        return None
    plural = _irregular_plurals().get(lower)
    if plural is not None:  # "lens" → "lenses", "supernova" → "supernovae"
        return word[:1] + plural[1:] if word[:1].isupper() else plural
    if lower.endswith(rules.no_plural) or not word[-1:].isalpha():
        return None
    if lower.endswith("s") and not lower.endswith(("ss", "us", "is")) and len(lower) >= rules.variant_min_length:
        return None  # a plural already ("galaxies", "networks"): no "galaxieses"
    return _first(rules.plural, word)


@cache
def _irregular_plurals() -> dict[str, str]:
    """The irregular plurals of the key rules, by their singular ("supernova" → "supernovae")."""
    return {singular: plural for plural, singular in _rules().irregular.items()}


@cache
def _plural_only() -> frozenset[str]:
    return frozenset(rules_data()["variants"]["plural_only"]["words"])


def singular_form(word: str) -> str | None:
    """The singular of a label's last word, or ``None`` for a word that is not a plural.

    >>> singular_form("galaxies"), singular_form("processes"), singular_form("ous"), singular_form("physics")
    ('galaxy', 'process', None, None)
    >>> singular_form("Supernovae"), plural_form("Supernova"), plural_form("galaxies"), plural_form("lens")
    ('Supernova', 'Supernovae', None, 'lenses')
    """
    rules = _rules()
    if word.lower() in _plural_only():  # "ellipticals": "elliptical" is an adjective
        return None
    single = rules.irregular.get(word.lower())
    if single is not None:  # "Supernovae" → "Supernova", "spectra" → "spectrum"
        return word[:1] + single[1:] if word[:1].isupper() else single
    if len(word) < rules.variant_min_length or word.endswith(rules.variant_unchanged):
        return None
    return _first(rules.variant_singular, word)


def adjective_form(word: str) -> str | None:
    """The adjective of a noun whose ending says it ("spectroscopy" → "spectroscopic"), for prose variants.

    >>> adjective_form("photometry"), adjective_form("galaxy")
    ('photometric', None)
    """
    return _first(_rules().adjectives, word)


def respellings(word: str) -> set[str]:
    """The word in the other spelling, British or American (keeping the case of its stem).

    >>> sorted(respellings("Optimisation")), sorted(respellings("color")), respellings("rise")
    (['Optimization'], ['colour'], set())
    """
    rules, lower, out = _rules(), word.lower(), set()
    if not lower.endswith(rules.spelling_endings):  # most words: one test instead of one a pair
        return out
    for british, american in rules.spelling:
        for a, b in ((british, american), (american, british)):
            if lower.endswith(a) and (len(a) > rules.short_ending or lower == a
                                      or len(lower) >= len(a) + rules.min_stem):
                out.add(word[: len(word) - len(a)] + b)
    return out


def _hyphenations(form: str) -> set[str]:
    """A form of two to four words without hyphens, with a hyphen between any two of them, or (of three or
    more) between every two: "neural-network", "convolutional-neural-network".

    >>> sorted(_hyphenations("light curve classifier"))
    ['light curve-classifier', 'light-curve classifier', 'light-curve-classifier']
    """
    words = form.split(" ")
    if not 1 < len(words) <= 4 or any("-" in w for w in words):
        return set()
    out = {" ".join(words[:i]) + "-" + " ".join(words[i:]) for i in range(1, len(words))}
    if len(words) > 2:
        out.add("-".join(words))
    return out


def label_variants(label: str) -> set[str]:
    """Ways prose writes a label: plural/singular, hyphens, British/American spelling.

    A hyphenated label is also written with a space, and a short one-word one ("auto-encoder")
    without the hyphen; a label of two to four words is also written with a hyphen between
    any two of them, or between every two. The last word takes its plural or singular (one in capitals, an
    acronym after other words, only its plural with a small "s": "bidirectional LSTMs"), and any word its
    other spelling.

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
    forms |= _hyphenations(label)
    more = set()
    for form in forms:
        head, _, last = form.rpartition(" ")
        # a last word in capitals is an acronym: its plural only adds a small "s" ("bidirectional LSTMs")
        others = (plural_form(last), singular_form(last)) if not last.isupper() else (
            (last + "s",) if head and len(last) >= 2 and not last.endswith("S") else ())
        for other in others:
            if other:
                more.add(f"{head} {other}" if head else other)
    forms |= more
    head, _, last = label.rpartition(" ")
    adjective = adjective_form(last.lower())
    if adjective:
        forms.add(f"{head} {adjective}" if head else adjective)
        if head and " " not in head:
            forms.add(f"{head}-{adjective}")
    for form in list(forms):
        parts = form.split(" ")
        for i, part in enumerate(parts):
            for spelt in respellings(part):
                forms.add(" ".join(parts[:i] + [spelt] + parts[i + 1:]))
    forms |= of_phrases(label)
    heads = head_noun_forms(label)  # hyphenated as the label is: "light-curve classifier"
    forms |= heads | {hyphenated for head in heads for hyphenated in _hyphenations(head)}
    forms |= {closed for form in forms if (closed := closed_form(form))}
    forms |= {opened for form in list(forms) if (opened := opened_form(form))}
    if _numeral_words().search(label):
        forms |= {numeral_forms(form) for form in forms}
    if _greek_names().search(label):
        forms |= {written for form in forms for written in greek_forms(form)}
    return forms


def of_phrases(label: str) -> set[str]:
    """``label`` as "HEAD of MODIFIER" when its last word is an action or process noun, or a plural ("clusters
    of galaxies"), and what comes before it a noun ("of_phrase" in wordforms.json).

    >>> sorted(of_phrases("light curve classification")), of_phrases("Bayesian inference")
    (['classification of light curve', 'classification of light curves'], set())
    >>> sorted(of_phrases("Galaxy clusters"))
    ['clusters of galaxies', 'clusters of galaxy']
    """
    words = label.split(" ")
    rule = rules_data()["variants"]["of_phrase"]
    if not 2 <= len(words) <= 3:
        return set()
    head = words[-1].lower()
    plural_head = rule.get("plural_heads") and head.isalpha() and singular_form(head) not in (None, head)
    if not (head.endswith(tuple(rule["head_endings"])) or plural_head):
        return set()
    first = words[0]
    if first[:1].isupper() and first[1:].islower():  # a capital that only starts the label: "Galaxy clusters"
        words = [first.lower()] + words[1:]
    *modifier, head = words
    last = modifier[-1]
    if last.lower().endswith(tuple(rule["adjective_endings"])) or not last.isalpha() or last.isupper():
        return set()
    start = " ".join(modifier[:-1] + [""])
    return {f"{head} of {start}{form}" for form in (last, plural_form(last)) if form}


def head_noun_forms(label: str) -> set[str]:
    """``label`` with its last word, when it is a study of something, replaced by what is studied, in a
    label of two words or more ("head_nouns" in wordforms.json).

    >>> sorted(head_noun_forms("Galaxy spectroscopy")), head_noun_forms("Spectroscopy")
    (['Galaxy spectra', 'Galaxy spectrum'], set())
    >>> sorted(head_noun_forms("Contact binary stars")), head_noun_forms("Binary stars")
    (['Contact binaries', 'Contact binary', 'Contact eclipsing binaries'], set())
    """
    words = label.split(" ")
    table = rules_data()["variants"]["head_nouns"]["nouns"]
    for size in (2, 1):  # a head of two words first: "Contact binary stars" as "Contact binaries"
        if len(words) > size and (nouns := table.get(" ".join(words[-size:]).lower())):
            head = " ".join(words[:-size])
            return {f"{head} {noun}" for noun in nouns}
    return set()


@cache
def _open_prefixes() -> re.Pattern:
    prefixes = rules_data()["variants"]["closed_prefixes"]["prefixes"]
    return re.compile(r"(?<![\w-])((?i:" + "|".join(prefixes) + r"))-(?=[a-z])")  # a lower-case word after it


def closed_form(label: str) -> str | None:
    """``label`` with the hyphen after each prefix of "closed_prefixes" (wordforms.json) dropped, or None
    when it has none.

    >>> closed_form("Multi-messenger astronomy"), closed_form("self-supervised learning")
    ('Multimessenger astronomy', None)
    """
    closed = _open_prefixes().sub(lambda m: m.group(1), label)
    return closed if closed != label else None


@cache
def _closed_prefixes() -> re.Pattern:
    rule = rules_data()["variants"]["opened_prefixes"]
    return re.compile(r"(?<![\w-])(" + "|".join(rule["prefixes"]) + r")(?=[a-z]{%d,}(?![\w-]))" % rule["min_rest"])


def opened_form(label: str) -> str | None:
    """``label`` with a hyphen after each prefix of "opened_prefixes" (wordforms.json) that begins a
    lower-case word, or None when none does.

    >>> opened_form("deblending"), opened_form("Supernovae"), opened_form("deep learning")
    ('de-blending', None, None)
    """
    opened = _closed_prefixes().sub(lambda m: m.group(1) + "-", label)
    return opened if opened != label else None


@cache
def _numeral_words() -> re.Pattern:
    words = rules_data()["variants"]["numerals"]["words"]
    return re.compile(r"(?<![\w-])(" + "|".join(words) + r")(?=-\w)", re.IGNORECASE)


def numeral_forms(label: str) -> str:
    """``label`` with each number word that a hyphen joins to the next word written as digits
    ("numerals" in wordforms.json).

    >>> numeral_forms("Two-point correlation function"), numeral_forms("one of two")
    ('2-point correlation function', 'one of two')
    """
    words = rules_data()["variants"]["numerals"]["words"]
    return _numeral_words().sub(lambda m: words[m.group().lower()], label)


@cache
def _greek_names() -> re.Pattern:
    letters = rules_data()["variants"]["greek"]["letters"]
    return re.compile(r"(?<![A-Za-z])(" + "|".join(letters) + r")(?![A-Za-z])", re.IGNORECASE)


def greek_forms(label: str) -> set[str]:
    """``label`` with the names of Greek letters written as the letters: alone ("γ-rays" for "Gamma-rays"), and
    joined to a short part before them or a short acronym after them, which a hyphen or a space separates
    from them ("Hα" for "H-alpha", "λCDM" for "Lambda-CDM"); each name at a time, then all of them.

    >>> sorted(greek_forms("H-alpha"))
    ['H-α', 'Hα']
    """
    greek = rules_data()["variants"]["greek"]
    letters, short = greek["letters"], greek["join_up_to"]
    out = set()
    found = list(_greek_names().finditer(label))
    for match in found:
        letter = letters[match.group().lower()]
        start, end = match.span()
        out.add(label[:start] + letter + label[end:])
        before = re.search(r"(?:^|[\s-])([A-Za-z]{1,%d})[\s-]$" % short, label[:start])
        if before:
            out.add(label[:before.end(1)] + letter + label[end:])
        after = re.match(r"[\s-]([A-Z]{1,%d})(?=$|[\s-])" % short, label[end:])  # an acronym: "CDM"
        if after and not before:
            out.add(label[:start] + letter + label[end + 1:])
    if len(found) > 1:
        out.add(_greek_names().sub(lambda m: letters[m.group().lower()], label))
    return out
