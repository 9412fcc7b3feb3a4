"""The build's steps, each a plain function from its inputs to a small dataclass.

:func:`read` the rows into records → :func:`link` each record to people, concepts and
mentions → :func:`mint` the triples (N-Triples) → :func:`describe` the build in its
report. :func:`talkgraph.pipeline.build` calls them in that order; validation and writing
are in :mod:`talkgraph.pipeline.result` and :mod:`talkgraph.pipeline.write`.

Linking is lazy: :class:`LinkedTalks` links each record as :func:`mint` asks for it, so the
triples of the first talks are serialised while mention worker processes still read the
last; its people, talks and warnings are complete once it has been read through.
"""

from __future__ import annotations

import hashlib
import os
import re
import threading
from collections import OrderedDict
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from datetime import datetime, timezone
from itertools import chain
from pathlib import Path
from typing import TYPE_CHECKING, Callable, Iterable, Iterator, Mapping

from .. import __version__
from .. import engine as ox
from ..errors import TalkgraphError
from ..link.cells import KeywordLinker
from ..link.mentions import CandidateTerms
from ..model.cube import statistics_triples
from ..model.order import position_triples
from ..model.pairs import person_concept_triples
from ..model.linkindex import LinkIndex
from ..model.triples import GraphSpec, Source, TalkNode, make_triples
from ..namespaces import data_prefixes, mint as mint_iri
from ..outputs.serialize import PredicateKinds
from ..resources import default_input
from ..tables.records import Record, Reject, markup_removed, talk_slug, to_record
from ..tables.table import Table
from ..tables.text import slugify
from ..tables.workbook import WORKBOOK
from ..vocab.vocabulary import Vocabulary
from ..outputs.ntriples import NTriples
from .concurrency import Stores, serialize

if TYPE_CHECKING:
    from ..link.mentions import MentionExtractor

__all__ = ["Progress", "silent", "Options", "Rows", "LinkedTalks", "Minted", "mention_extractor", "mention_job",
           "read", "link", "mint", "describe", "DEFAULT_EVENT"]

DEFAULT_EVENT = "Talk submissions"
#: ``progress(stage, done, total)``: told of each step's progress (stages: read, link, triples, validate, write).
Progress = Callable[[str, int, int], None]



def settings(*, vocabularies: Iterable[Path] = (), mentions: bool = True, evidence: bool | None = None,
             columns: Mapping[str, str] | None = None, encoding: str | None = None) -> tuple[str, ...]:
    """The options that are not their defaults, one line each: what the build IRI names besides the
    inputs, so that two builds of one table with other options are never taken for each other (a links
    index copied from one into the other is then not used).

    >>> settings(mentions=False, columns={"title": "Paper"})
    ('mentions: off', 'column: title=Paper')
    """
    chosen = [f"vocabulary: {hashlib.sha256(Path(p).read_bytes()).hexdigest()}" for p in vocabularies]
    if not mentions:
        chosen.append("mentions: off")
    if evidence is not None:
        chosen.append(f"evidence: {'on' if evidence else 'off'}")
    chosen += [f"column: {role}={header}" for role, header in sorted((columns or {}).items())]
    if encoding and encoding.lower().replace("_", "-") not in ("utf-8", "utf8"):
        chosen.append(f"encoding: {encoding}")
    return tuple(chosen)


def silent(stage: str, done: int, total: int) -> None:
    """The progress display of a build nobody watches."""


@dataclass(frozen=True)
class Options:
    """A build's options, checked: the tables to read and what to make of them. ``settings`` names
    the other options that are not their defaults (:func:`settings`), for the build's IRI."""

    paths: list[Path]
    base_iri: str
    event: str
    event_date: str | None
    settings: tuple[str, ...] = ()

    @classmethod
    def checked(cls, inputs: Iterable[str | Path] | str | Path | None, *, base_iri: str, event: str,
                event_date: str | None) -> "Options":
        """The options, or :class:`~talkgraph.errors.TalkgraphError` naming the one that is wrong."""
        if inputs is None:
            paths = [default_input()]
        elif isinstance(inputs, (str, Path)):
            paths = [Path(inputs)]
        else:
            paths = [Path(p) for p in inputs] or [default_input()]
        if not re.match(r"^[a-zA-Z][a-zA-Z0-9+.-]*://[^\s<>\"{}|\\^`]+[/#]$", base_iri):
            raise TalkgraphError(f"--base-iri {base_iri!r} is not an absolute IRI ending in '/' or '#'")
        if event_date is not None:
            try:
                event_date = datetime.strptime(event_date, "%Y-%m-%d").date().isoformat()
            except ValueError:
                raise TalkgraphError(f"--event-date {event_date!r} is not a date like 2021-06-28") from None
        return cls(paths, base_iri, " ".join(event.split()) or DEFAULT_EVENT, event_date)

    def with_settings(self, **chosen) -> "Options":
        """These options with the others that were chosen (``None`` or the default: not chosen)."""
        return replace(self, settings=settings(**chosen))

    def started(self, timestamp: datetime | None) -> datetime:
        """Reproducible build time: ``timestamp``, else SOURCE_DATE_EPOCH, else the newest input's mtime."""
        if timestamp is None:
            epoch = os.environ.get("SOURCE_DATE_EPOCH")
            if epoch and epoch.strip().isdigit():
                timestamp = datetime.fromtimestamp(int(epoch), timezone.utc)
            else:
                timestamp = datetime.fromtimestamp(max(int(p.stat().st_mtime) for p in self.paths), timezone.utc)
        if timestamp.tzinfo is None:
            timestamp = timestamp.replace(tzinfo=timezone.utc)
        return timestamp.astimezone(timezone.utc).replace(microsecond=0)


#: How many mention extractors (of distinct vocabularies) a process keeps for the builds to come.
EXTRACTORS_KEPT = 4
_extractors: OrderedDict[tuple, tuple[object, "MentionExtractor"]] = OrderedDict()
_extractors_lock = threading.Lock()


def mention_extractor(vocab: Vocabulary) -> "MentionExtractor":
    """The mention extractor of ``vocab``, made once per process for each distinct vocabulary.

    Compiling the extractor's patterns costs more than building a small table, so a process
    that builds again and again (a notebook, a service, the tests) reuses it. The key is the
    vocabulary's triples (bundled and ``--vocab`` files alike, sorted and without duplicates), its
    thesaurus (the shipped UAT is one object per process; a release given with ``--vocab`` is read
    anew each build) and the labels added to it: an edited vocabulary file is another key,
    whatever its name or mtime. The extractor finds the concepts of every scheme, those of
    ``--vocab`` files too. The extractor keeps
    nothing of a build that changes the next one's mentions (its spaCy vocabulary only learns the
    new words it reads, as it does within one build). The last :data:`EXTRACTORS_KEPT` are kept.
    """
    from ..link.mentions import MentionExtractor

    # the entry holds the thesaurus, so that its id() is not reused while the key is in use
    key = (tuple(vocab.triples), id(vocab.thesaurus), vocab.label_triples)
    with _extractors_lock:  # held while one is made: two threads never make the same one twice
        entry = _extractors.pop(key, None)
        if entry is None:
            entry = (vocab.thesaurus, MentionExtractor(vocab, schemes=vocab.scheme_names))
        _extractors[key] = entry  # the most recently used last
        while len(_extractors) > EXTRACTORS_KEPT:
            _extractors.popitem(last=False)
    return entry[1]


@contextmanager
def mention_job(vocab: Vocabulary, *, enabled: bool):
    """The extraction of mentions (see :class:`talkgraph.link.mentions.MentionJob`), or ``None``
    without ``enabled``; its worker processes are stopped on the way out, whatever happened."""
    if not enabled:
        yield None
        return
    from ..link.mentions import MentionJob

    job = MentionJob(mention_extractor(vocab), candidates=CandidateTerms())
    try:
        yield job
    finally:
        job.close()  # after an error mid-table, the worker processes must not linger


@dataclass
class Rows:
    """What :func:`read` made of the tables' rows."""

    tables: list[Table]
    records: list[Record]
    rejects: list[Reject]
    rows_read: dict[str, int]  # table path → rows


def read(tables: list[Table], *, job=None, tick: Progress = silent) -> Rows:
    """Each row of ``tables`` as a record, or a reject (no title or speaker, or a duplicate talk).
    Each record's text goes to the mention ``job`` as it is read."""
    rows = Rows(tables, [], [], {})
    first_seen: dict[tuple[str, str], Record] = {}
    for table in tables:
        rows.rows_read[table.path] = 0
        for row in table.rows():
            rows.rows_read[table.path] += 1
            result = to_record(row)
            if isinstance(result, Record):
                original = first_seen.setdefault(result.identity, result)
                if original is not result:
                    result = Reject(row.path, row.line, f"duplicate of the talk on {original.path}:{original.line} "
                                    "(same speaker and title)", tuple(row.values))
            if isinstance(result, Record):
                rows.records.append(result)
                if job is not None:
                    job.add(result.title, result.abstract)
            else:
                rows.rejects.append(result)
            if len(rows.records) + len(rows.rejects) & 4095 == 0:
                tick("read", len(rows.records) + len(rows.rejects), 0)
    return rows


@dataclass
class LinkedTalks:
    """The records as talks, linked one by one as they are iterated (once)."""

    records: list[Record]
    base_iri: str
    linker: KeywordLinker
    job: object | None = None  # a MentionJob fed every record
    tick: Progress = silent
    talks: list[TalkNode] = field(default_factory=list)
    people: dict[str, list[tuple[str, str, str]]] = field(default_factory=dict)  # IRI → distinct spellings
    warnings: list[str] = field(default_factory=list)

    def __iter__(self) -> Iterator[TalkNode]:
        used_slugs: set[str] = set()
        found = self.job.results() if self.job is not None else None
        for index, record in enumerate(self.records, 1):
            bad = [url for url in record.links if not _valid_iri(url)]
            if bad:
                self.warnings.extend(f"{record.path}:{record.line}: link {url!r} is not a valid IRI; kept in the "
                                     "abstract text only" for url in bad)
                record.links = [url for url in record.links if url not in bad]
            person_iri = mint_iri(self.base_iri, "person", record.person_slug)
            names = self.people.setdefault(person_iri, [])
            spelling = (record.name, record.given_name, record.family_name)
            if spelling not in names:
                names.append(spelling)
            slug = _unique(talk_slug(record.title), used_slugs, record.person_slug)
            talk = TalkNode(record, mint_iri(self.base_iri, "talk", slug), person_iri, self.linker.link(record))
            if found is not None:
                talk.mentions = self.job.extractor.mentions(record.title, record.abstract, next(found))
                self.linker.describe(mention.concept for mention in talk.mentions)
            self.talks.append(talk)
            if index & 4095 == 0:
                self.tick("link", index, len(self.records))
            yield talk


def link(rows: Rows, vocab: Vocabulary, base_iri: str, *, job=None, tick: Progress = silent) -> LinkedTalks:
    """The records of ``rows`` linked to people, to the concepts their keyword cells name and,
    with a mention ``job``, to those their titles and abstracts mention (lazily: see :class:`LinkedTalks`)."""
    return LinkedTalks(rows.records, base_iri, KeywordLinker(vocab, base_iri), job, tick)


@dataclass
class Minted:
    """The graph as N-Triples, and what was learnt making it."""

    text: NTriples  # in the build folder's graph.nt, given one
    kinds: PredicateKinds  # of the objects of each predicate, for the JSON-LD context
    prefixes: dict[str, str]  # those the graph uses
    stores: Stores | None  # loaded meanwhile (see talkgraph.pipeline.concurrency)
    spec: GraphSpec
    evidence_limit: int | None  # exceeded by the table, so the evidence of mentions was left out
    index: LinkIndex  # written beside the store, for the pages of large graphs (talkgraph.model.linkindex)

    @property
    def triple_count(self) -> int:
        return self.text.lines  # N-Triples escapes newlines inside literals



def mint(rows: Rows, talks: LinkedTalks, vocab: Vocabulary, options: Options, *, started: datetime,
         evidence: bool | None, evidence_limit: int, preload: bool, out_dir: Path | None) -> Minted:
    """The triples of the meeting, its ``talks`` (linked as they are made), people, candidate concepts,
    extra columns and vocabularies, as N-Triples. With ``preload`` the in-memory store is loaded
    meanwhile, and with an ``out_dir`` the on-disk store (see :func:`.concurrency.serialize`).

    ``evidence`` ``None`` keeps the evidence of mentions for tables of up to ``evidence_limit`` talks.
    """
    mentions = talks.job is not None
    skipped_evidence = evidence is None and mentions and len(rows.records) > evidence_limit
    if evidence is None:
        evidence = len(rows.records) <= evidence_limit
    extra_columns: dict[str, str] = {}
    used_columns: set[str] = set()
    # the tables' extra columns, then what records keep as one (an affiliation printed with the speaker's name)
    headers = chain((h for table in rows.tables for h in table.extra_columns.values()),
                    (h for record in rows.records for h in record.extras))
    for header in headers:
        if header not in extra_columns:
            slug = _unique(slugify(_SIGNS.get(header.strip(), header)) or "column", used_columns)
            extra_columns[header] = mint_iri(options.base_iri, "column", slug)
    sources = []
    for table in rows.tables:
        source = Source(table.path, table.sha256,
                        _MEDIA_TYPES.get(table.delimiter, "text/csv"))
        if source not in sources:
            sources.append(source)
    # make_triples reads the people and the candidate concepts after the last talk, so both may
    # still grow while the talks are linked.
    spec = GraphSpec(base_iri=options.base_iri, event_name=options.event, event_date=options.event_date,
                     started=started, version=__version__, sources=sources, talks=iter(talks), people=talks.people,
                     candidates=talks.linker.candidates.values(), extra_columns=extra_columns,
                     vocabulary=vocab.triples, evidence=evidence, described=talks.linker.described,
                     settings=options.settings)
    kinds = PredicateKinds()
    # Mention workers, if any, keep both cores busy until they are done; then, or at once without
    # them, the second core is free to load the on-disk store while the triples are made.
    workers = mentions and talks.job.pool is not None
    # The listings' order and the statistics cube are made once make_triples has linked the last talk
    # (generators: talks.talks and talks.people are full by the time their first triple is asked for).
    triples = chain(make_triples(spec), position_triples(talks.talks, talks.people),
                    person_concept_triples(talks.talks, vocab), statistics_triples(spec, talks.talks, vocab))
    text, stores = serialize(kinds.observe(triples), preload=preload, out_dir=out_dir,
                                 ready=talks.job.workers_done if workers else None)
    unused = (() if talks.linker.candidates else ("candidate",)) + (() if extra_columns else ("column",))
    index = LinkIndex.from_talks(talks.talks, talks.people, vocab, spec.build_iri)
    return Minted(text, kinds, data_prefixes(options.base_iri, unused=unused), stores, spec,
                  evidence_limit if skipped_evidence else None, index)


#: the media type of a table's file by its delimiter
_MEDIA_TYPES = {"\t": "text/tab-separated-values",
                WORKBOOK: "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"}

#: headers that are a sign, not a word: EasyChair's "#" is the submission's number
_SIGNS = {"#": "number", "No.": "number", "%": "percent"}


def describe(rows: Rows, talks: LinkedTalks, graph: Minted) -> dict:
    """The build's report (``report.json``): inputs, counts, rejects, keyword terms, mentions, warnings."""
    warnings = [warning for t in rows.tables for warning in t.warnings]
    warnings += talks.warnings
    if graph.evidence_limit is not None:
        warnings.append(f"the evidence of mentions was not recorded: {len(rows.records):,} talks are more than "
                        f"{graph.evidence_limit:,} (13 triples a mention); pass --evidence to keep it anyway")
    warnings += talks.linker.warnings
    warnings += [f"vocabularies: {note}" for note in talks.linker.vocab.warnings]
    warnings += [f"vocabularies: {clash}" for clash in talks.linker.clashes.values()]
    linker, spec = talks.linker, graph.spec
    candidates = talks.job.candidates if talks.job is not None else None
    declared: dict[str, int] = {}
    mentioned: dict[str, int] = {}
    occurrences = 0
    scheme_of = {}
    for talk in talks.talks:
        for link in talk.links:
            kind = "candidate" if link.candidate else "via" if link.via else link.scheme
            declared[kind] = declared.get(kind, 0) + 1
        occurrences += len(talk.mentions)
        for concept in dict.fromkeys(m.concept for m in talk.mentions):
            scheme = scheme_of.get(concept) or scheme_of.setdefault(concept, concept.rstrip("/").rsplit("/", 2)[-2])
            mentioned[scheme] = mentioned.get(scheme, 0) + 1
    mention_report = {"enabled": candidates is not None, "evidence": spec.evidence and candidates is not None}
    if candidates is not None:
        mention_report.update({
            "talks_with_mentions": sum(1 for t in talks.talks if t.mentions),
            "occurrences": occurrences,
            "candidate_terms": candidates.top(100),
        })
    return {
        "talkgraph_version": __version__,
        "build": {"iri": spec.build_iri, "started": spec.started.isoformat(), "base_iri": spec.base_iri,
                  "event": spec.event_name, "event_date": spec.event_date},
        "inputs": [{"file": t.path, "header_line": t.header_line, "rows": rows.rows_read[t.path],
                    "delimiter": "tab" if t.delimiter == "\t" else t.delimiter,
                    "extra_columns": list(t.extra_columns.values()),
                    "left_out_columns": list(t.contact_columns.values())} for t in rows.tables],
        "counts": {
            "rows_read": sum(rows.rows_read.values()),
            "talks_built": len(rows.records),
            "rows_rejected": len(rows.rejects),
            "people": len(talks.people),
            "triples": graph.triple_count,
            "declared_links": dict(sorted(declared.items())),
            "distinct_terms": len(linker.terms),
            "unmapped_terms": len(linker.candidates),
            "mentions": dict(sorted(mentioned.items())),
            "markup_removed": markup_removed(rows.records),
        },
        "mentions": mention_report,
        "vocabularies": talks.linker.vocab.sources,
        "rejects": [{"file": r.path, "line": r.line, "reason": r.reason} for r in rows.rejects],
        "unmapped_terms": [{"term": c.label, "candidate": c.iri, "columns": c.intended,
                            "rows": [f"{path}:{line}" for path, line in c.rows[:20]], "count": len(c.rows)}
                           for c in linker.candidates.values()],
        "keyword_terms": [{"term": u.text, "column": u.column, "concepts": u.concepts, "match": u.how,
                           "count": u.count} for u in sorted(linker.terms.values(),
                                                             key=lambda u: (u.column, -u.count, u.text))],
        "warnings": warnings,
        "validation": {"conforms": True, "report": "not validated"},  # until validate_result says otherwise
    }


def _valid_iri(value: str) -> bool:
    try:
        ox.NamedNode(value)
    except ValueError:
        return False
    return bool(re.match(r"^[a-zA-Z][a-zA-Z0-9+.-]*:", value))


def _unique(slug: str, used: set[str], *alternatives: str) -> str:
    for candidate in (slug, *(f"{slug}--{a}" for a in alternatives if a)):
        if candidate not in used:
            used.add(candidate)
            return candidate
    number = 2
    while f"{slug}-{number}" in used:
        number += 1
    used.add(f"{slug}-{number}")
    return f"{slug}-{number}"
