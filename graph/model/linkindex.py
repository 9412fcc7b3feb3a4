"""The links index: the concepts of each talk and person, and the talks and people of each concept.

A page of a ranking (``similar-talks``) or of a listing (``talks-by-method``) on a large graph
costs the store a join over every link of every matching talk: at 100,000 talks, half a million
rows for 20 or 25 answers. The build knows these links already, so it writes them beside the
store, in the build folder's ``index/``; :mod:`talkgraph.store.pruning` reads them to find the
few talks or people that can be on the asked page, and the query then runs, as written, on those
only, so that the answer is the query's, whatever the index says.

A talk's concepts are those the rankings count (:func:`~talkgraph.model.triples.linked_concepts`),
a person's those of ``tg:personConcept`` (:func:`~talkgraph.model.pairs.person_concepts`), and a
concept's weight is the number of talks linked to it, the ``concept-linked-talks`` of the cube.
Talks and people are numbered in the listings' order (``schema:position``,
:func:`~talkgraph.model.order.listing_order`), so the first rows of a listing have the smallest
numbers.

The files (docs/graph-model.md, "The links index"):

``concepts.tsv``
    one line per concept: its IRI, a tab, the talks linked to it; a concept's number is its line (from 0)
``talks.txt``
    the IRIs of the talks, in the listings' order, one per line; a talk's number is its line
``people.txt``
    the IRIs of the people in the listings' order, one per line, each followed by a tab and the
    number of talks the person gives (the ``speaker-talks`` count of the cube); a number is a line
``talks.bin``, ``people.bin``
    unsigned 32-bit little-endian integers: for E talks (people) and C concepts, E + 1 offsets,
    the concept numbers of each talk (person) in turn, then C + 1 offsets and the talk (person)
    numbers of each concept in turn, each concept's in increasing order
``talks.links.bin``
    one byte for each talk's concept in ``talks.bin`` (its E + 1 offsets apply): the properties that
    link the talk to it, as the bits of :data:`LINK_BITS` (``tg:declaresDomain`` 1, ``tg:declaresMethod``
    2, ``tg:declaresSoftware`` 4, ``tg:declaresKeyword`` 8, ``tg:mentions`` 16)
``talks.details.tsv``
    one line per talk, in ``talks.txt``'s order: its title, then the name of each of its speakers,
    separated by tabs (a backslash, tab, line feed or carriage return in them written ``\\\\``, ``\\t``,
    ``\\n``, ``\\r``)
``people.details.tsv``
    one line per person, in ``people.txt``'s order: the person's name, then the numbers of the talks
    they give, separated by tabs (the name escaped so); with ``talks.links.bin`` and
    ``talks.details.tsv``, what a listing's every row needs (:mod:`talkgraph.store.listing`), read only
    when a listing is streamed whole
``build.txt``
    the IRI of the build the index is of, then a line per other file: its SHA-256 and its name; an
    index whose files do not have these digests is not read, and one of another build is not used
    (:attr:`talkgraph.store.embedded.EmbeddedStore.index`)

>>> from types import SimpleNamespace
>>> from talkgraph.link.cells import Link
>>> from talkgraph.model.triples import TalkNode
>>> talks = [TalkNode(SimpleNamespace(title="Zeta"), "t:1", "p:a", [Link("m:1", "method"), Link("f:1", "facility")]),
...          TalkNode(SimpleNamespace(title="Alpha"), "t:2", "p:b", [Link("m:1", "method")])]
>>> vocab = SimpleNamespace(concepts={"m:1": SimpleNamespace(scheme="method"), "f:1": SimpleNamespace(scheme="facility")})
>>> index = LinkIndex.from_talks(talks, {"p:a": [("Ann", "", "")], "p:b": [("Bob", "", "")]}, vocab)
>>> index.weights
{'f:1': 1, 'm:1': 2}
>>> index.kinds["talks"].members, index.kinds["talks"].concepts_of("t:1"), index.kinds["people"].members_of("m:1")
(['t:2', 't:1'], ['f:1', 'm:1'], ['p:a', 'p:b'])
>>> list(index.kinds["people"].talks)
[1, 1]
"""

from __future__ import annotations

import hashlib
import re
import sys
from array import array
from collections import Counter
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path
from typing import Iterable, Mapping, Sequence

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from .triples import TalkNode

__all__ = ["LinkIndex", "Postings", "StreamFiles", "INDEX_DIR", "KINDS", "LINK_BITS", "details"]

#: The folder of a build that holds the index, beside its store.
INDEX_DIR = "index"
#: What the index numbers: talks and people.
KINDS = ("talks", "people")
#: The talkgraph properties that link a talk to a concept, by local name, and their bit in ``talks.links.bin``.
LINK_BITS = {"declaresDomain": 1, "declaresMethod": 2, "declaresSoftware": 4, "declaresKeyword": 8, "mentions": 16}
#: The files every index has; those of :data:`_STREAM_FILES` are read only when a listing is streamed.
_FILES = {"concepts.tsv", "talks.txt", "people.txt", "talks.bin", "people.bin"}
_STREAM_FILES = {"talks.links.bin", "talks.details.tsv", "people.details.tsv"}
_ESCAPES = str.maketrans({"\\": "\\\\", "\t": "\\t", "\n": "\\n", "\r": "\\r"})


def _uint32(values: Iterable[int] = ()) -> array:
    numbers = array("I", values)
    if numbers.itemsize != 4:  # "I" is 4 bytes wherever CPython runs; follow the format if not
        numbers = array("L", numbers)
    return numbers


class Postings:
    """The links of one kind of thing (talks or people) to concepts, both ways, by number."""

    def __init__(self, members: list[str], concepts: list[str], forward: array, forward_at: array,
                 inverse: array, inverse_at: array, talks: Sequence[int] = ()):
        self.members, self.concepts = members, concepts
        self.forward, self.forward_at, self.inverse, self.inverse_at = forward, forward_at, inverse, inverse_at
        self.talks = talks  # of people: the talks each gives, by number

    @classmethod
    def from_sets(cls, linked: Mapping[str, set[str]], order: Sequence[str], concepts: list[str],
                  talks: Mapping[str, int] | None = None) -> "Postings":
        """The postings of ``linked`` (IRI → its concepts), numbered in ``order``; of people, ``talks`` gives
        the talks of each."""
        number = {iri: n for n, iri in enumerate(concepts)}
        members = list(order)
        forward, forward_at = _uint32(), _uint32([0])
        inverse_lists: list[list[int]] = [[] for _ in concepts]
        for n, member in enumerate(members):
            found = sorted(number[iri] for iri in linked.get(member, ()))
            forward.extend(found)
            forward_at.append(len(forward))
            for concept in found:
                inverse_lists[concept].append(n)
        inverse, inverse_at = _uint32(), _uint32([0])
        for found in inverse_lists:
            inverse.extend(found)
            inverse_at.append(len(inverse))
        return cls(members, concepts, forward, forward_at, inverse, inverse_at,
                   _uint32(talks[iri] for iri in members) if talks is not None else ())

    @cached_property
    def _numbers(self) -> dict[str, int]:
        return {iri: n for n, iri in enumerate(self.members)}

    @cached_property
    def _concept_numbers(self) -> dict[str, int]:
        return {iri: n for n, iri in enumerate(self.concepts)}

    def number(self, iri: str) -> int | None:
        """The number of the talk (person) ``iri``, or None if it is not one of the build's."""
        return self._numbers.get(iri)

    def concept_number(self, iri: str) -> int | None:
        return self._concept_numbers.get(iri)

    def concept_numbers(self, member: int) -> array:
        return self.forward[self.forward_at[member]:self.forward_at[member + 1]]

    def member_numbers(self, concept: int) -> array:
        """The numbers of the talks (people) linked to the concept numbered ``concept``, in increasing order."""
        return self.inverse[self.inverse_at[concept]:self.inverse_at[concept + 1]]

    def concepts_of(self, iri: str) -> list[str]:
        member = self.number(iri)
        return [] if member is None else [self.concepts[c] for c in self.concept_numbers(member)]

    def members_of(self, concept_iri: str) -> list[str]:
        concept = self.concept_number(concept_iri)
        return [] if concept is None else [self.members[m] for m in self.member_numbers(concept)]

    def to_bytes(self) -> bytes:
        parts = [self.forward_at, self.forward, self.inverse_at, self.inverse]
        if sys.byteorder != "little":
            parts = [array(p.typecode, p) for p in parts]
            for part in parts:
                part.byteswap()
        return b"".join(part.tobytes() for part in parts)

    @classmethod
    def from_bytes(cls, members: list[str], concepts: list[str], data: bytes, talks: Sequence[int] = ()) -> "Postings":
        numbers = _uint32()
        numbers.frombytes(data)
        if sys.byteorder != "little":
            numbers.byteswap()
        end = len(members) + 1
        if len(numbers) < end:
            raise ValueError("the index's numbers do not add up")
        forward_at = numbers[:end]
        forward = numbers[end:end + forward_at[-1]]
        start = end + forward_at[-1]
        inverse_at = numbers[start:start + len(concepts) + 1]
        inverse = numbers[start + len(concepts) + 1:]
        if len(inverse_at) != len(concepts) + 1 or len(inverse) != inverse_at[-1]:
            raise ValueError("the index's numbers do not add up")
        postings = cls(members, concepts, forward, forward_at, inverse, inverse_at, talks)
        postings.check()
        return postings

    def check(self) -> None:
        """ValueError unless every offset follows the one before, every number names a concept or a member
        that is there, and every person gives a talk."""
        for offsets, numbers, bound in ((self.forward_at, self.forward, len(self.concepts)),
                                        (self.inverse_at, self.inverse, len(self.members))):
            if any(a > b for a, b in zip(offsets, offsets[1:])) or (numbers and max(numbers) >= bound):
                raise ValueError("the index's numbers are out of order or out of range")
        if self.talks and (len(self.talks) != len(self.members) or min(self.talks) < 1):
            raise ValueError("the index's talks per person do not fit its people")


class LinkIndex:
    """The weights of the concepts (talks linked to each) and the :class:`Postings` of talks and people."""

    def __init__(self, weights: dict[str, int], kinds: dict[str, Postings], build: str = "",
                 stream: StreamFiles | None = None, folder: Path | None = None,
                 digests: Mapping[str, str] | None = None):
        self.weights, self.kinds, self.build = weights, kinds, build
        # the files a listing streamed whole reads, or where to read them on first use
        self._stream, self._folder, self._digests = stream, folder, dict(digests or {})

    @classmethod
    def from_links(cls, weights: dict[str, int], kinds: dict[str, Postings], build: str,
                   bits: Mapping[str, Mapping[str, int]], titles: Mapping[str, str],
                   speakers: Mapping[str, Iterable[str]], names: Mapping[str, str]) -> "LinkIndex":
        """The index with its streaming files: ``bits`` the :data:`LINK_BITS` of each talk's link to each
        of its concepts, ``titles`` each talk's title, ``speakers`` each talk's speakers (IRIs), ``names``
        each person's name."""
        talks, people = kinds["talks"], kinds["people"]
        links = bytearray()
        given: dict[str, list[int]] = {}  # each person's talks, by number
        for member, iri in enumerate(talks.members):
            mine = bits.get(iri, {})
            links.extend(mine[talks.concepts[c]] for c in talks.concept_numbers(member))
            for person in speakers.get(iri, ()):
                given.setdefault(person, []).append(member)
        talk_lines = ["\t".join(_escaped(text) for text in (titles[iri], *sorted(names[p] for p in speakers.get(iri, ()))))
                      for iri in talks.members]
        person_lines = ["\t".join((_escaped(names[iri]), *map(str, sorted(given.get(iri, ())))))
                        for iri in people.members]
        return cls(weights, kinds, build, StreamFiles(bytes(links), talk_lines, person_lines))

    @classmethod
    def from_talks(cls, talks: Sequence[TalkNode], people: Mapping[str, Sequence[tuple[str, str, str]]],
                   vocab, build: str = "") -> "LinkIndex":
        """The index of the talks of a build (its IRI ``build``), as its graph links them (``people`` as
        :class:`~talkgraph.model.triples.GraphSpec` holds them, for their order)."""
        from .order import listing_order  # the build's modules: a query reads the index without them
        from .pairs import person_concepts
        from .triples import link_property, linked_concepts

        counted: Counter = Counter()
        by_talk: dict[str, set[str]] = {}
        bits: dict[str, dict[str, int]] = {}
        titles: dict[str, str] = {}
        speakers: dict[str, set[str]] = {}
        for talk in talks:
            found = linked_concepts(talk)
            counted.update(found)
            by_talk.setdefault(talk.iri, set()).update(found)  # a talk met twice is one node of the graph
            mine = bits.setdefault(talk.iri, {})
            for mention in talk.mentions:
                mine[mention.concept] = mine.get(mention.concept, 0) | LINK_BITS["mentions"]
            for link in talk.links:
                bit = 0 if link.via else LINK_BITS.get(link_property(link).value.rpartition("#")[2], 0)
                if bit:
                    mine[link.iri] = mine.get(link.iri, 0) | bit
            titles.setdefault(talk.iri, talk.record.title)
            speakers.setdefault(talk.iri, set()).add(talk.person_iri)
        concepts = sorted(counted)
        talk_order, person_order = listing_order(talks, people)
        given = Counter(talk.person_iri for talk in talks)  # as the cube's speaker-talks counts them
        return cls.from_links({iri: counted[iri] for iri in concepts},
                              {"talks": Postings.from_sets(by_talk, talk_order, concepts),
                               "people": Postings.from_sets(person_concepts(talks, vocab), person_order, concepts,
                                                            given)},
                              build, bits, titles, speakers, {iri: names[0][0] for iri, names in people.items()})

    def files(self) -> dict[str, bytes]:
        """The index's files, by name, as the build writes them in its folder's ``index/``."""
        concepts = self.kinds["talks"].concepts
        files = {"concepts.tsv": "".join(f"{iri}\t{self.weights[iri]}\n" for iri in concepts).encode()}
        talks, people = self.kinds["talks"], self.kinds["people"]
        files["talks.txt"] = "".join(f"{iri}\n" for iri in talks.members).encode()
        files["people.txt"] = "".join(f"{iri}\t{n}\n" for iri, n in zip(people.members, people.talks)).encode()
        for kind, postings in self.kinds.items():
            files[f"{kind}.bin"] = postings.to_bytes()
        stream = self.stream_files()
        if stream is not None:
            files["talks.links.bin"] = stream.links
            files["talks.details.tsv"] = "".join(f"{line}\n" for line in stream.talks).encode()
            files["people.details.tsv"] = "".join(f"{line}\n" for line in stream.people).encode()
        files["build.txt"] = (f"{self.build}\n" + "".join(f"{hashlib.sha256(data).hexdigest()}  {name}\n"
                                                           for name, data in files.items())).encode()
        return files

    @classmethod
    def read(cls, folder: Path) -> "LinkIndex":
        """The index written in ``folder``; OSError or ValueError if it is missing or damaged."""
        build, *digests = (folder / "build.txt").read_text(encoding="utf-8").splitlines()
        data, later = {}, {}
        for line in digests:
            digest, _, name = line.partition("  ")
            if name in _STREAM_FILES:
                later[name] = digest  # read when a listing is streamed (stream_files)
                continue
            data[name] = (folder / name).read_bytes()
            if hashlib.sha256(data[name]).hexdigest() != digest:
                raise ValueError(f"{name} is not the file the build wrote")
        if set(data) != _FILES or set(later) not in (set(), _STREAM_FILES):
            raise ValueError("the index's files are not those a build writes")
        weights: dict[str, int] = {}
        for line in data["concepts.tsv"].decode("utf-8").splitlines():
            iri, _, count = line.partition("\t")
            weights[iri] = int(count)
            if weights[iri] < 1:
                raise ValueError("a concept of the index is linked to no talk")
        concepts = list(weights)
        talks = data["talks.txt"].decode("utf-8").splitlines()
        people, given = [], _uint32()
        for line in data["people.txt"].decode("utf-8").splitlines():
            iri, _, count = line.partition("\t")
            people.append(iri)
            given.append(int(count))
        return cls(weights, {"talks": Postings.from_bytes(talks, concepts, data["talks.bin"]),
                             "people": Postings.from_bytes(people, concepts, data["people.bin"], given)}, build,
                   folder=folder if later else None, digests=later)

    def stream_files(self) -> StreamFiles | None:
        """The files a listing streamed whole reads (``talks.links.bin``, and the lines of
        ``talks.details.tsv`` and ``people.details.tsv``: :func:`details`), read and checked on first use;
        None for an index without them (written before they were) or when they are not the files the
        build wrote."""
        if self._stream is None and self._folder is not None:
            folder, self._folder = self._folder, None  # read once, whatever comes of it
            try:
                read = {name: (folder / name).read_bytes() for name in sorted(_STREAM_FILES)}
                if any(hashlib.sha256(data).hexdigest() != self._digests[name] for name, data in read.items()):
                    return None
                lines = {name: read[name].decode("utf-8").split("\n") for name in ("talks.details.tsv",
                                                                                    "people.details.tsv")}
            except (OSError, UnicodeDecodeError):
                return None
            talks, people = self.kinds["talks"], self.kinds["people"]
            talk_lines, person_lines = lines["talks.details.tsv"], lines["people.details.tsv"]
            if (len(read["talks.links.bin"]) != len(talks.forward) or talk_lines[-1] or person_lines[-1]
                    or len(talk_lines) != len(talks.members) + 1 or len(person_lines) != len(people.members) + 1):
                return None
            last = len(talks.members)
            for line in person_lines[:-1]:  # each person's talks: numbers of talks that are there
                numbers = line.split("\t")[1:]
                if not all(n.isascii() and n.isdigit() and int(n) < last for n in numbers):
                    return None
            self._stream = StreamFiles(read["talks.links.bin"], talk_lines[:-1], person_lines[:-1])
        return self._stream


@dataclass(frozen=True)
class StreamFiles:
    """What a listing streamed whole reads: ``links``, the :data:`LINK_BITS` of each talk's links (in
    the order of its concepts in ``talks.bin``); ``talks``, a line per talk (its title, its speakers'
    names); ``people``, a line per person (their name, the numbers of their talks)."""

    links: bytes
    talks: list[str]
    people: list[str]


def details(line: str) -> tuple[str, list[str]]:
    """A talk's title and its speakers' names, from its line of ``talks.details.tsv`` (a person's name
    and the numbers of their talks, from theirs of ``people.details.tsv``).

    >>> details(_escaped("A\\tB") + "\\t" + _escaped("Ann\\\\") + "\\tBo")
    ('A\\tB', ['Ann\\\\', 'Bo'])
    """
    title, *names = line.split("\t")
    if "\\" in line:
        title, names = _unescaped(title), [_unescaped(name) for name in names]
    return title, names


def _escaped(text: str) -> str:
    return text.translate(_ESCAPES)


_UNESCAPES = {"\\\\": "\\", "\\t": "\t", "\\n": "\n", "\\r": "\r"}


def _unescaped(text: str) -> str:
    return re.sub(r"\\[\\tnr]", lambda m: _UNESCAPES[m.group()], text)
