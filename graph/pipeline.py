"""The whole job in one call: tables → records → graph → validation → outputs.

>>> result = build()                       # the bundled data/talks.tsv
>>> result.counts["talks_built"], result.conforms
(19, True)
>>> g = build_graph()                      # the same, as an rdflib.Graph
>>> len(g) == result.counts["triples"]
True
"""

from __future__ import annotations

import gc
import io
import os
import re
import shutil
import weakref
from bisect import bisect_right
from contextlib import contextmanager
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, field
from datetime import datetime, timezone
from functools import cached_property
from itertools import islice
from pathlib import Path
from typing import Callable, Iterable, Iterator, Mapping

from . import engine as ox

from . import __version__
from .errors import OutputError, TalkgraphError, ValidationError
from .store.folder import FAILED_REPORT, OUTPUT_FILES, BuildFolder
from .link.cells import KeywordLinker
from .link.mentions import CandidateTerms
from .tables.records import Record, Reject, markup_removed, to_record, talk_slug
from .resources import default_input
from .store.sparql import STORE_DIR
from .namespaces import DEFAULT_BASE_IRI, data_prefixes
from .outputs.serialize import PredicateKinds, atomic_writer, durable_writer, write_turtle_and_jsonld
from .tables.table import Table, read_table
from .tables.text import slugify
from .model.triples import GraphSpec, Source, TalkNode, make_triples
from .vocab.vocabulary import load_vocabulary

__all__ = ["build", "build_graph", "write_outputs", "check_output_folder", "BuildResult", "DEFAULT_EVENT",
           "OUTPUT_FILES", "EVIDENCE_LIMIT"]

DEFAULT_EVENT = "Talk submissions"
#: Above this many talks a build records mentions without their evidence unless asked to
#: (the evidence is 13 triples a mention: on a large table it multiplies the build's time and memory).
EVIDENCE_LIMIT = 10_000
Progress = Callable[[str, int, int], None]
_STORE_SLICE = 32 << 20
_PRELOAD_CHUNK = 100_000  # triples, about 20 MB of N-Triples


@dataclass
class BuildResult:
    """What a build produced: the graph (as N-Triples), the report and the validation outcome.

    :attr:`ntriples` are written by Oxigraph from terms it checked when they were made, so they
    are parsed back with ``lenient=True``: IRIs are not checked again, which makes parsing and
    loading a store markedly cheaper (see benchmarks/README.md).
    """

    ntriples: bytes
    report: dict
    prefixes: dict[str, str]
    kinds: PredicateKinds  # of the objects of each predicate, for the JSON-LD context
    rejects: list[Reject] = field(default_factory=list)
    conforms: bool = True
    violations: int = 0
    validation_text: str = "not validated"
    validated: bool = False
    #: (the N-Triples it holds, a store loaded while they were made): :attr:`store`, while they are still
    #: :attr:`ntriples` (the very object)
    _preloaded: tuple[bytes, ox.Store] | None = field(default=None, repr=False)
    #: (the N-Triples it holds, the build folder it is in, the loading of that store): an on-disk store
    #: loaded while the triples were made, in the build folder :func:`write_outputs` then fills and switches in
    _staged_store: tuple[bytes, BuildFolder, Future] | None = field(default=None, repr=False)
    _staged_cleanup: weakref.finalize | None = field(default=None, repr=False)  # removes it if never taken

    @property
    def counts(self) -> dict:
        return self.report["counts"]

    def triples(self) -> Iterator[ox.Triple]:
        """The triples, in the build's fixed order (parsed afresh on each call)."""
        return ox.parse(self.ntriples, format=ox.RdfFormat.N_TRIPLES, lenient=True)

    @cached_property
    def store(self) -> ox.Store:
        """An in-memory Oxigraph store holding the graph (its default graph)."""
        preloaded, self._preloaded = self._preloaded, None
        if preloaded is not None and preloaded[0] is self.ntriples:
            return preloaded[1]
        store = ox.Store()
        store.load(self.ntriples, format=ox.RdfFormat.N_TRIPLES, lenient=True)  # see _serialize
        return store

    def _take_staged_store(self, out: Path) -> tuple[BuildFolder, Future] | None:
        """The build folder staged in the output folder ``out`` and the loading of its store (a future of
        the store's folder), if this result has one for its current :attr:`ntriples`; any other staged
        build folder is removed."""
        staged, self._staged_store = self._staged_store, None
        if staged is None:
            return None
        self._staged_cleanup.detach()
        ntriples, folder, loading = staged
        if ntriples is self.ntriples and folder.out.resolve() == out.resolve():
            return folder, loading
        _discard_staged(folder, loading)
        return None

    def release_store(self) -> None:
        """Free :attr:`store` (and :attr:`graph`); they are rebuilt if asked for again."""
        self.__dict__.pop("graph", None)
        self.__dict__.pop("store", None)

    @cached_property
    def graph(self):
        """The graph as an :class:`rdflib.Graph`, backed by :attr:`store` (no copy)."""
        from .model.rdf import rdflib_graph

        return rdflib_graph(self.store, prefixes=self.prefixes)


def _check_base_iri(base_iri: str) -> str:
    if not re.match(r"^[a-zA-Z][a-zA-Z0-9+.-]*://[^\s<>\"{}|\\^`]+[/#]$", base_iri):
        raise TalkgraphError(f"--base-iri {base_iri!r} is not an absolute IRI ending in '/' or '#'")
    return base_iri


def _check_date(date: str | None) -> str | None:
    if date is None:
        return None
    try:
        return datetime.strptime(date, "%Y-%m-%d").date().isoformat()
    except ValueError:
        raise TalkgraphError(f"--event-date {date!r} is not a date like 2021-06-28") from None


def _build_time(paths: list[Path], timestamp: datetime | None) -> datetime:
    """Reproducible build time: explicit, else SOURCE_DATE_EPOCH, else the newest input's mtime."""
    if timestamp is None:
        epoch = os.environ.get("SOURCE_DATE_EPOCH")
        if epoch and epoch.strip().isdigit():
            timestamp = datetime.fromtimestamp(int(epoch), timezone.utc)
        else:
            timestamp = datetime.fromtimestamp(max(int(p.stat().st_mtime) for p in paths), timezone.utc)
    if timestamp.tzinfo is None:
        timestamp = timestamp.replace(tzinfo=timezone.utc)
    return timestamp.astimezone(timezone.utc).replace(microsecond=0)


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


@contextmanager
def _gc_paused():
    """Pause Python's cyclic garbage collector.

    A build allocates millions of small objects that all live until it ends; the
    collector would walk them again and again for nothing (a large share of a big
    build's time). They hold no reference cycles, so nothing is leaked.
    """
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def build(inputs: Iterable[str | Path] | str | Path | None = None, *, base_iri: str = DEFAULT_BASE_IRI,
          event: str = DEFAULT_EVENT, event_date: str | None = None, timestamp: datetime | None = None,
          encoding: str = "utf-8", vocabularies: Iterable[str | Path] = (), validate: bool = True,
          mentions: bool = True, evidence: bool | None = None, out_dir: str | Path | None = None,
          progress: Progress | None = None, columns: Mapping[str, str] | None = None) -> BuildResult:
    """Build the knowledge graph of one or more talk tables.

    Raises :class:`~talkgraph.errors.InputError` for a table that cannot be used at
    all (missing file, undecodable bytes, missing required column). Rows that
    lack a title or speaker are not errors: they are returned in ``rejects`` and
    listed in the report. Validation problems do not raise either: check
    :attr:`BuildResult.conforms` (or call :func:`write_outputs`, which refuses).
    With ``mentions`` (the default) the concepts that titles and abstracts name are
    linked with ``tg:mentions`` and, with ``evidence``, a W3C Web Annotation of
    where each was found (see :mod:`talkgraph.link.mentions`). Evidence costs 13 triples a
    mention, so by default (``None``) it is kept for up to :data:`EVIDENCE_LIMIT`
    talks and skipped, with a warning in the report, above.

    ``columns`` gives headers their roles by hand, over the aliases (``{"title": "Paper"}``; the
    roles are in :mod:`talkgraph.tables.roles`); a role, or a header, that cannot be used raises
    :class:`~talkgraph.errors.ColumnError`.

    ``out_dir`` is the folder the result will be written to with :func:`write_outputs`. Given
    it, the build loads the on-disk store there while it makes the triples, on the core that
    this process leaves free (at once without mention worker processes, else once they are
    done), in a new build folder (``out_dir/.builds/…``, see :mod:`talkgraph.store.folder`) that
    :func:`write_outputs` fills and switches in; it is removed if the result is written
    elsewhere or not at all. The store that validation uses is loaded
    meanwhile too, whenever the result will be validated (``validate``, or ``out_dir`` given).
    """
    if inputs is None:
        paths = [default_input()]
    elif isinstance(inputs, (str, Path)):
        paths = [Path(inputs)]
    else:
        paths = [Path(p) for p in inputs] or [default_input()]
    base_iri = _check_base_iri(base_iri)
    event = " ".join(event.split()) or DEFAULT_EVENT
    event_date = _check_date(event_date)
    tick = progress or (lambda stage, done, total: None)

    tables: list[Table] = [read_table(path, encoding=encoding, columns=columns) for path in paths]
    vocab = load_vocabulary(tuple(vocabularies))
    linker = KeywordLinker(vocab, base_iri)
    candidates = CandidateTerms()
    if mentions:
        from .link.mentions import MentionExtractor, MentionJob

        extractor = MentionExtractor(vocab)
        # Talks go to the extractor as they are read; on a large table worker processes
        # extract while this process reads and links.
        job = MentionJob(extractor, candidates=candidates)
    started = _build_time(paths, timestamp)

    try:
        with _gc_paused():
            return _build(paths, tables, vocab, linker, candidates, job if mentions else None, base_iri=base_iri,
                          event=event, event_date=event_date, started=started, validate=validate, evidence=evidence,
                          out_dir=None if out_dir is None else Path(out_dir), tick=tick)
    finally:
        if mentions:
            job.close()  # after an error mid-table, the worker processes must not linger


def _build(paths, tables, vocab, linker, candidates, job, *, base_iri, event, event_date, started, validate, evidence,
           out_dir, tick) -> BuildResult:
    mentions = job is not None
    records: list[Record] = []
    rejects: list[Reject] = []
    first_seen: dict[tuple[str, str], Record] = {}
    rows_read: dict[str, int] = {}
    for table in tables:
        rows_read[table.path] = 0
        for row in table.rows():
            rows_read[table.path] += 1
            result = to_record(row)
            if isinstance(result, Record):
                original = first_seen.setdefault(result.identity, result)
                if original is not result:
                    result = Reject(row.path, row.line, f"duplicate of the talk on {original.path}:{original.line} "
                                    "(same speaker and title)", tuple(row.values))
            if isinstance(result, Record):
                records.append(result)
                if mentions:
                    job.add(result.title, result.abstract)
            else:
                rejects.append(result)
            if len(records) + len(rejects) & 4095 == 0:
                tick("read", len(records) + len(rejects), 0)

    warnings: list[str] = [f"{t.path}: no {', '.join(repr(c) for c in t.missing_optional)} column; "
                           "those fields are left empty" for t in tables if t.missing_optional]
    extra_columns: dict[str, str] = {}
    used_columns: set[str] = set()
    for table in tables:
        for header in table.extra_columns.values():
            if header not in extra_columns:
                extra_columns[header] = f"{base_iri}column/{_unique(slugify(header) or 'column', used_columns)}"

    used_slugs: set[str] = set()
    people: dict[str, list[tuple[str, str, str]]] = {}
    talks: list[TalkNode] = []
    found = job.results() if mentions else None

    def talk_nodes() -> Iterator[TalkNode]:
        """Link each record as make_triples asks for it, so the triples of the first talks are
        serialised while the worker processes still extract the mentions of the last."""
        for index, record in enumerate(records, 1):
            bad = [url for url in record.links if not _valid_iri(url)]
            if bad:
                warnings.extend(f"{record.path}:{record.line}: link {url!r} is not a valid IRI; kept in the "
                                "abstract text only" for url in bad)
                record.links = [url for url in record.links if url not in bad]
            person_iri = f"{base_iri}person/{record.person_slug}"
            names = people.setdefault(person_iri, [])
            spelling = (record.name, record.given_name, record.family_name)
            if spelling not in names:
                names.append(spelling)
            slug = _unique(talk_slug(record.title), used_slugs, record.person_slug)
            talk = TalkNode(record, f"{base_iri}talk/{slug}", person_iri, linker.link(record))
            if mentions:
                talk.mentions = job.extractor.mentions(record.title, record.abstract, next(found))
            talks.append(talk)
            if index & 4095 == 0:
                tick("link", index, len(records))
            yield talk

    sources = []
    for table in tables:
        source = Source(table.path, table.sha256,
                        "text/tab-separated-values" if table.delimiter == "\t" else "text/csv")
        if source not in sources:
            sources.append(source)
    skipped_evidence = evidence is None and mentions and len(records) > EVIDENCE_LIMIT
    if evidence is None:
        evidence = len(records) <= EVIDENCE_LIMIT
    # make_triples reads the people and the candidate concepts after the last talk, so both may
    # still grow while the talks are linked.
    spec = GraphSpec(base_iri=base_iri, event_name=event, event_date=event_date, started=started,
                     version=__version__, sources=sources, talks=talk_nodes(), people=people,
                     candidates=linker.candidates.values(), extra_columns=extra_columns,
                     vocabulary=vocab.triples, evidence=evidence)
    kinds = PredicateKinds()
    # Mention workers, if any, keep both cores busy until they are done; then, or at once without
    # them, the second core is free to load the on-disk store while the triples are made.
    folder = _build_folder(out_dir) if out_dir is not None else None
    workers = job is not None and job.pool is not None
    try:
        ntriples, preloaded, staged = _serialize(kinds.observe(make_triples(spec)),
                                                 preload=validate or out_dir is not None,
                                                 stage=None if folder is None else folder.path / STORE_DIR,
                                                 ready=job.workers_done if workers else None)
    except BaseException:
        if folder is not None:
            folder.discard()
        raise
    try:
        if skipped_evidence:
            warnings.append(f"the evidence of mentions was not recorded: {len(records):,} talks are more than "
                            f"{EVIDENCE_LIMIT:,} (13 triples a mention); pass --evidence to keep it anyway")
        triple_count = ntriples.count(b"\n")  # N-Triples escapes newlines inside literals
        tick("triples", triple_count, triple_count)

        report = _report(tables, rows_read, records, rejects, talks, people, linker, triple_count, warnings, started,
                         spec, candidates if mentions else None)
        # The text now lives in the N-Triples; let the records go before the store doubles it.
        del records, talks, spec, people
        unused = (() if linker.candidates else ("candidate",)) + (() if extra_columns else ("column",))
        result = BuildResult(ntriples=ntriples, report=report, prefixes=data_prefixes(base_iri, unused=unused),
                             kinds=kinds, rejects=rejects,
                             _preloaded=None if preloaded is None else (ntriples, preloaded),
                             _staged_store=None if staged is None else (ntriples, folder, staged))
        if staged is not None:  # a result that is never written leaves no folder behind
            result._staged_cleanup = weakref.finalize(result, _discard_staged, folder, staged)
    except BaseException:
        if staged is not None:  # nor does a build stopped here (Ctrl-C)
            _discard_staged(folder, staged)
        raise
    report["validation"] = {"conforms": True, "report": result.validation_text}
    if validate:
        tick("validate", 0, 1)
        _validate(result)
        tick("validate", 1, 1)
    return result


def _serialize(triples: Iterator[ox.Triple], *, preload: bool, stage: Path | None,
               ready: Callable[[], bool] | None = None) -> tuple[bytes, ox.Store | None, Future | None]:
    """The N-Triples of ``triples`` and, while they are made, the stores that will hold them.

    With ``preload``, an in-memory store for validation, loaded chunk by chunk on a thread of its
    own while later triples are still being made (Oxigraph loads without holding the GIL). Into an
    in-memory store ``Store.load`` costs less than ``bulk_load`` for the same memory; on disk
    ``bulk_load`` is the fast one (see benchmarks/README.md).

    With ``stage``, a new on-disk store in that (new) folder (returned as a future of the folder:
    see :func:`write_store`), loaded on another thread from slices of the
    N-Triples made so far (copied out of the buffer, two at most in hand), once ``ready()`` (the
    mention workers are done: until then both cores are busy), or at once without ``ready``.
    What is left when the last triple is made is loaded from the finished N-Triples, and the
    store compacted, after this returns.
    """
    if not preload and stage is None:
        return ox.serialize(triples, format=ox.RdfFormat.N_TRIPLES), None, None
    out, store = io.BytesIO(), ox.Store() if preload else None
    disk = _DiskStore(stage) if stage is not None else None
    memory, on_disk = ThreadPoolExecutor(max_workers=1), ThreadPoolExecutor(max_workers=1)
    loads: list[Future] = []  # into the in-memory store
    slices: list[Future] = []  # into the on-disk store, one after the other, then closing it
    loaded, ends = 0, []  # bytes of the N-Triples sent to the on-disk store; where each chunk ends
    try:
        while chunk := ox.serialize(islice(triples, _PRELOAD_CHUNK), format=ox.RdfFormat.N_TRIPLES):
            out.write(chunk)
            ends.append(out.tell())
            if store is not None:
                loads.append(memory.submit(store.load, chunk, format=ox.RdfFormat.N_TRIPLES, lenient=True))
            if disk is not None and ends[-1] - loaded >= _STORE_SLICE and sum(not s.done() for s in slices) < 2 \
                    and (ready is None or ready()):
                end = ends[max(bisect_right(ends, loaded + _STORE_SLICE) - 1, bisect_right(ends, loaded))]
                with out.getbuffer() as view:
                    piece = bytes(view[loaded:end])
                slices.append(on_disk.submit(disk.load, piece))
                loaded = end
        for load in loads:
            load.result()
        ntriples = out.getvalue()  # BytesIO hands its buffer over without a copy
        if disk is not None:
            slices.append(on_disk.submit(disk.close, slices[:], ntriples, loaded))  # goes on after this returns
    except BaseException:
        for future in loads + slices:
            future.cancel()
        memory.shutdown(wait=True)
        on_disk.shutdown(wait=True)
        if disk is not None:
            disk.discard()
        raise
    memory.shutdown()
    on_disk.shutdown(wait=False)
    return ntriples, store, slices[-1] if disk is not None else None


def _validate(result: BuildResult, *, keep_store: bool = True) -> None:
    from .model.validate import validate as validate_graph

    had_store = "store" in result.__dict__
    result.conforms, violations, result.validation_text = validate_graph(result.store)
    result.violations, result.validated = len(violations), True
    result.report["validation"] = {"conforms": result.conforms, "report": result.validation_text}
    if not (keep_store or had_store):
        result.release_store()  # loaded for validation only: free it while the writers go on


def _report(tables, rows_read, records, rejects, talks, people, linker, triple_count, warnings, started,
            spec, candidates) -> dict:
    declared: dict[str, int] = {}
    mentioned: dict[str, int] = {}
    occurrences = 0
    scheme_of = {}
    for talk in talks:
        for link in talk.links:
            kind = "candidate" if link.candidate else link.scheme
            declared[kind] = declared.get(kind, 0) + 1
        occurrences += len(talk.mentions)
        for concept in dict.fromkeys(m.concept for m in talk.mentions):
            scheme = scheme_of.get(concept) or scheme_of.setdefault(concept, concept.rstrip("/").rsplit("/", 2)[-2])
            mentioned[scheme] = mentioned.get(scheme, 0) + 1
    mention_report = {"enabled": candidates is not None, "evidence": spec.evidence and candidates is not None}
    if candidates is not None:
        mention_report.update({
            "talks_with_mentions": sum(1 for t in talks if t.mentions),
            "occurrences": occurrences,
            "candidate_terms": candidates.top(100),
        })
    return {
        "talkgraph_version": __version__,
        "build": {"iri": spec.build_iri, "started": started.isoformat(), "base_iri": spec.base_iri,
                  "event": spec.event_name, "event_date": spec.event_date},
        "inputs": [{"file": t.path, "header_line": t.header_line, "rows": rows_read[t.path],
                    "delimiter": "tab" if t.delimiter == "\t" else t.delimiter,
                    "extra_columns": list(t.extra_columns.values())} for t in tables],
        "counts": {
            "rows_read": sum(rows_read.values()),
            "talks_built": len(records),
            "rows_rejected": len(rejects),
            "people": len(people),
            "triples": triple_count,
            "declared_links": dict(sorted(declared.items())),
            "distinct_terms": len(linker.terms),
            "unmapped_terms": len(linker.candidates),
            "mentions": dict(sorted(mentioned.items())),
            "markup_removed": markup_removed(records),
        },
        "mentions": mention_report,
        "rejects": [{"file": r.path, "line": r.line, "reason": r.reason} for r in rejects],
        "unmapped_terms": [{"term": c.label, "candidate": c.iri, "columns": c.intended,
                            "rows": [f"{path}:{line}" for path, line in c.rows[:20]], "count": len(c.rows)}
                           for c in linker.candidates.values()],
        "keyword_terms": [{"term": u.text, "column": u.column, "concepts": u.concepts, "match": u.how,
                           "count": u.count} for u in sorted(linker.terms.values(),
                                                             key=lambda u: (u.column, -u.count, u.text))],
        "warnings": warnings,
    }


def build_graph(inputs: Iterable[str | Path] | str | Path | None = None, **options):
    """Build and return the graph as an :class:`rdflib.Graph` (see :func:`build` for options).

    Raises :class:`~talkgraph.errors.ValidationError` if the graph does not conform.
    """
    result = build(inputs, **options)
    if not result.conforms:
        raise ValidationError(result.validation_text, violations=result.violations)
    return result.graph


def write_outputs(result: BuildResult, out_dir: str | Path, *, validate: bool = True,
                  progress: Progress | None = None) -> list[Path]:
    """Write graph.ttl, graph.nt, graph.jsonld, report.json, rejects.tsv and the store into ``out_dir``.

    Everything is written into a new build folder and switched in whole, by one rename, once it
    is complete (see :mod:`talkgraph.store.folder`): until then ``out_dir`` holds the previous build, and
    a build killed at any point leaves it so. A graph that does not conform is not switched in:
    its report is written to ``out_dir/failed-report.json`` and
    :class:`~talkgraph.errors.ValidationError` is raised. A result built with ``validate=False`` is
    validated here, while the files are being written, unless ``validate=False`` again. The
    store is the one the build loaded for this folder (``build(out_dir=...)``), if it did.
    """
    out = Path(out_dir)
    try:
        out.mkdir(parents=True, exist_ok=True)
    except OSError as error:
        raise OutputError(out, error) from None
    if result.validated and not result.conforms:
        raise _refused(result, out)
    staged = result._take_staged_store(out)  # (one not taken is removed with the result)
    folder, loading = staged if staged is not None else (_build_folder(out), None)
    tick = progress or (lambda stage, done, total: None)
    tick("write", 0, 1)
    try:
        # Oxigraph validates and loads stores without holding the GIL, so both run beside the
        # Python-bound writers.
        with _gc_paused(), ThreadPoolExecutor(max_workers=2) as pool:
            checked = pool.submit(_validate, result, keep_store=False) if validate and not result.validated \
                else None
            store_loaded = loading if loading is not None else \
                pool.submit(write_store, result.ntriples, folder.path / STORE_DIR)
            try:
                _write_files(result, folder.path)
            finally:
                store_loaded.result()
                if checked is not None:
                    checked.result()
        tick("write", 1, 1)
        if not result.conforms:
            raise _refused(result, out)
        _write_report(result, folder.path)
        folder.publish()
    finally:
        folder.discard()  # unless it was switched in
    return [out / name for name in OUTPUT_FILES]


def _build_folder(out: Path) -> BuildFolder:
    try:
        return BuildFolder(out)
    except OSError as error:
        raise OutputError(out, error) from None


def _refused(result: BuildResult, out: Path) -> ValidationError:
    """The error for a graph that does not conform, once its report is written beside the outputs
    (which are left as they are)."""
    report = out / FAILED_REPORT
    with atomic_writer(report, "w") as stream:
        _dump_report(result, stream)
    return ValidationError(result.validation_text, violations=result.violations, report=report)


def check_output_folder(out_dir: str | Path) -> None:
    """Raise :class:`~talkgraph.errors.OutputError` now if ``out_dir`` surely cannot be written,
    rather than after a long build: a file stands in its place or on its path, or its nearest
    existing folder is read-only. Nothing is created."""
    path = Path(out_dir).absolute()
    existing = path
    while not existing.exists() and existing.parent != existing:
        existing = existing.parent
    if not existing.is_dir():
        raise OutputError(path, f"{existing} is a file, not a folder")
    if not os.access(existing, os.W_OK | os.X_OK):
        raise OutputError(path, f"{existing} is not writable")


def _write_files(result: BuildResult, folder: Path) -> None:
    """graph.ttl, graph.jsonld, graph.nt and rejects.tsv, in the new build's folder."""
    with durable_writer(folder / "graph.ttl") as turtle, durable_writer(folder / "graph.jsonld", "w") as jsonld:
        write_turtle_and_jsonld(result.ntriples, turtle, jsonld, prefixes=result.prefixes, kinds=result.kinds)
    with durable_writer(folder / "graph.nt") as stream:
        stream.write(result.ntriples)
    with durable_writer(folder / "rejects.tsv", "w") as stream:
        stream.write("file\tline\treason\tvalues\n")
        for reject in result.rejects:
            stream.write(reject.tsv_line())  # spreadsheet-safe cells (docs/input.md)


def _write_report(result: BuildResult, folder: Path) -> None:
    with durable_writer(folder / "report.json", "w") as stream:
        _dump_report(result, stream)


def _dump_report(result: BuildResult, stream) -> None:
    import json

    json.dump(result.report, stream, ensure_ascii=False, indent=2)
    stream.write("\n")


def write_store(ntriples: bytes, path: str | Path) -> Path:
    """Load the graph into a new persistent store in the folder ``path`` (which must not exist yet);
    return it. ``ntriples`` are a build's own (:attr:`BuildResult.ntriples`), parsed without
    checking their IRIs again.

    Queries then open it read-only in milliseconds instead of re-parsing Turtle.
    """
    return _DiskStore(Path(path)).close((), ntriples)


class _DiskStore:
    """A new Oxigraph store in the folder ``path``, loaded slice by slice.

    One bulk load of a large graph holds all of it in memory at once; slices of :data:`_STORE_SLICE`
    keep the peak small (see benchmarks/README.md).
    """

    def __init__(self, path: Path):
        self.folder = path
        try:
            path.mkdir(parents=True)
        except OSError as error:
            raise OutputError(path, error) from None
        try:
            self.store: ox.Store | None = ox.Store(str(self.folder))
        except BaseException:
            shutil.rmtree(self.folder, ignore_errors=True)
            raise

    def load(self, ntriples: bytes) -> None:
        self.store.bulk_load(ntriples, format=ox.RdfFormat.N_TRIPLES, lenient=True)

    def close(self, loads: Iterable[Future], ntriples: bytes, start: int = 0) -> Path:
        """Once ``loads`` (into the store) are done, load ``ntriples[start:]`` in slices, compact and
        close the store; return its folder. The store is removed if anything fails.

        Bulk loading leaves dozens of overlapping files; compacting them costs a few seconds on a large
        graph and makes the joins of the query catalogue faster on the read-only store.
        """
        try:
            for load in loads:
                load.result()
            while start < len(ntriples):
                end = ntriples.find(b"\n", min(len(ntriples) - 1, start + _STORE_SLICE)) + 1 or len(ntriples)
                self.load(ntriples[start:end])
                start = end
            self.store.flush()
            self.store.optimize()
            self.store = None  # closes the database
        except BaseException:
            self.discard()
            raise
        return self.folder

    def discard(self) -> None:
        self.store = None
        shutil.rmtree(self.folder, ignore_errors=True)


def _discard_staged(folder: BuildFolder, loading: Future) -> None:
    """Remove a staged build folder once the loading of its store is over."""
    try:
        loading.result()
    except BaseException:
        pass
    folder.discard()
