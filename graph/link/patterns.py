"""Matcher patterns: the texts a vocabulary's concepts are looked for as, in prose.

Owns the step from SKOS labels to the phrases of the two matchers (plain data, no spaCy):
each label of a concept, unless the concept lists it under ``tg:ambiguousLabel``, becomes
patterns for the case-insensitive matcher (``"lower"``: the label in every form of
:func:`talkgraph.vocab.wordforms.label_variants`) or, for acronyms and short capitalised
names (:func:`case_sensitive`), for the matcher that compares text as written (``"exact"``:
the label and its plural with "s").

>>> from talkgraph.vocab.vocabulary import Concept
>>> cnn = Concept("https://example.org/cnn", "method", "CNN", ["CNN", "convolutional network"])
>>> compile_patterns([cnn])
{'lower': {'https://example.org/cnn': {'convolutional network': None, 'convolutional networks': None, 'convolutional-network': None, 'convolutional-networks': None}}, 'exact': {'https://example.org/cnn': {'CNN': None, 'CNNs': None}}}
"""

from __future__ import annotations

import re
from typing import Callable, Iterable

from ..vocab.vocabulary import Concept
from ..vocab.wordforms import label_variants

__all__ = ["case_sensitive", "compile_patterns"]

_LETTERS = re.compile(r"[^A-Za-z]")


def case_sensitive(label: str) -> bool:
    """Acronyms and short capitalised names are matched only as written.

    >>> [case_sensitive(x) for x in ("CNN", "GOTO", "HI IM", "Stan", "Virgo", "NumPyro", "U-Net", "Euclid", "t-SNE")]
    [True, True, True, True, True, False, False, False, False]
    >>> [case_sensitive(x) for x in ("GPs", "CNNs", "galaxies")]
    [True, True, False]
    >>> [case_sensitive(x) for x in ("A stars", "Of stars", "Be stars", "Binary stars", "The Galaxy", "The Sun")]
    [True, True, True, False, True, True]
    """
    letters = _LETTERS.sub("", label)
    if len(letters) >= 2 and letters.isupper():
        return True
    if len(letters) >= 3 and letters.endswith("s") and letters[:-1].isupper():  # an acronym's plural: "GPs", not "GPS"
        return True
    first, _, rest = label.partition(" ")
    if rest and len(first) <= 2 and first[:1].isupper():  # a designation: "A stars", "Of stars", "Be stars"
        return True
    if first == "The" and rest[:1].isupper():  # a name: "the Galaxy" is ours, "the galaxy" any
        return True
    return " " not in label and "-" not in label and len(letters) <= 5 and letters[:1].isupper() \
        and letters[1:].islower()


#: Typographic apostrophes and dashes read as the keyboard's, one character for one (so offsets hold), in the
#: texts matched and in the patterns alike: papers write "Sunyaev–Zel’dovich", labels "Sunyaev-Zel'dovich", and a
#: few labels carry the dash themselves ("Kennelly–Heaviside layer").
TYPOGRAPHY = str.maketrans({"\u2019": "'", "\u2018": "'", "\u2013": "-", "\u2010": "-", "\u2011": "-"})
_TYPOGRAPHIC = re.compile("[\u2019\u2018\u2013\u2010\u2011]")


def keyboard(text: str) -> str:
    """``text`` with :data:`TYPOGRAPHY` applied; most texts have none of its characters, and a search costs a
    tenth of a translation.

    >>> keyboard("Sunyaev–Zel’dovich"), keyboard("plain")
    ("Sunyaev-Zel'dovich", 'plain')
    """
    return text.translate(TYPOGRAPHY) if _TYPOGRAPHIC.search(text) else text


#: A kind of star named by its spectral class and what it is: "K giants", "M dwarfs", "O stars" (not UAT's "D layer").
_DESIGNATED_KIND = re.compile(r"[A-Z][a-z]? (?:stars?|dwarfs?|giants?|subdwarfs?|subgiants?|supergiants?)")


def compile_patterns(concepts: Iterable[Concept], allowed: Callable[[Concept, str], bool] | None = None
                     ) -> dict[str, dict[str, dict[str, None]]]:
    """For each matcher ("lower", "exact"): concept IRI → the texts of its patterns (dicts, as ordered
    sets), in the order of the concepts and their labels; ``allowed`` may keep a label out of prose."""
    patterns: dict[str, dict[str, dict[str, None]]] = {"lower": {}, "exact": {}}
    for concept in concepts:
        for label in dict.fromkeys(concept.labels):
            if label in concept.ambiguous or allowed is not None and not allowed(concept, label):
                continue
            exact = case_sensitive(label)
            written = keyboard(label)
            texts = [written, written + "s"] if exact else sorted({keyboard(text) for text in label_variants(label)})
            if exact and label.startswith("The "):
                texts.append("the" + label[3:])  # mid-sentence
            elif exact and _DESIGNATED_KIND.fullmatch(written):  # "K giants" is also written "K-giants"
                hyphened = written.replace(" ", "-", 1)
                texts += [hyphened, hyphened + "s"]
            patterns["exact" if exact else "lower"].setdefault(concept.iri, {}).update(dict.fromkeys(texts))
    return patterns
