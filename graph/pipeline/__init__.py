"""The whole job in one call: tables → records → graph → validation → outputs.

>>> result = build()                       # the bundled data/talks.tsv
>>> result.counts["talks_built"], result.conforms
(19, True)
>>> g = build_graph()                      # the same, as an rdflib.Graph
>>> len(g) == result.counts["triples"]
True

:func:`build` reads as its steps: :func:`~.steps.read` → :func:`~.steps.link` →
:func:`~.steps.mint` → :func:`~.result.validate_result`; :func:`write_outputs` is the last,
write. Each step is a plain function in :mod:`.steps`, :mod:`.result` or :mod:`.write`;
what runs on threads, and how the stores loaded meanwhile are handed on, is in one place,
:mod:`.concurrency`. The pipeline is the layer above all others: it may import every layer
below it (tables, vocab, link, model, store, outputs) and the base modules; only the CLI
imports it.
"""

from __future__ import annotations

from datetime import datetime
from pathlib import Path
from typing import Iterable, Mapping

from ..namespaces import DEFAULT_BASE_IRI
from ..errors import InputError, ValidationError
from ..store.folder import OUTPUT_FILES
from ..tables.table import read_table
from ..vocab.vocabulary import load_vocabulary
from .concurrency import discarded_on_error, gc_paused, write_store
from .result import BuildResult, validate_result
from .steps import DEFAULT_EVENT, Options, Progress, describe, link, mention_job, mint, read, silent
from .write import check_output_folder, write_outputs

__all__ = ["build", "build_graph", "write_outputs", "check_output_folder", "write_store", "BuildResult",
           "DEFAULT_EVENT", "OUTPUT_FILES", "EVIDENCE_LIMIT"]

#: Above this many talks a build records mentions without their evidence unless asked to
#: (the evidence is 13 triples a mention: on a large table it multiplies the build's time and memory).
EVIDENCE_LIMIT = 10_000


def build(inputs: Iterable[str | Path] | str | Path | None = None, *, base_iri: str = DEFAULT_BASE_IRI,
          event: str = DEFAULT_EVENT, event_date: str | None = None, timestamp: datetime | None = None,
          encoding: str | None = None, vocabularies: Iterable[str | Path] = (), validate: bool = True,
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
    options = Options.checked(inputs, base_iri=base_iri, event=event, event_date=event_date)
    tick = progress or silent
    vocabularies = tuple(vocabularies)
    tables = [read_table(path, encoding=encoding, columns=columns) for path in options.paths]
    vocab = load_vocabulary(vocabularies)
    options = options.with_settings(vocabularies=[Path(p) for p in vocabularies], mentions=mentions,
                                    evidence=evidence, columns=columns, encoding=encoding)
    with mention_job(vocab, enabled=mentions) as job, gc_paused():
        rows = read(tables, job=job, tick=tick)
        if not rows.records and not rows.rejects:  # nothing to build: the previous build's output stays
            table = tables[0]
            raise InputError(table.path, "no talks: the table has a header but no rows below it"
                             + (" (nor do the other tables)" if len(tables) > 1 else ""), line=table.header_line,
                             hint="add the talks below the header, or check that the file is the one you meant")
        talks = link(rows, vocab, options.base_iri, job=job, tick=tick)
        graph = mint(rows, talks, vocab, options, started=options.started(timestamp), evidence=evidence,
                     evidence_limit=EVIDENCE_LIMIT, preload=validate or out_dir is not None,
                     out_dir=None if out_dir is None else Path(out_dir))
        with discarded_on_error(graph.stores):
            tick("triples", graph.triple_count, graph.triple_count)
            result = BuildResult(graph.text, describe(rows, talks, graph), graph.prefixes, graph.kinds,
                                 rows.rejects, index=graph.index, _stores=graph.stores)
            del rows, talks, graph  # the text now lives in the N-Triples: let it go before validation's store
            if validate:
                validate_result(result, tick=tick)
    return result


def build_graph(inputs: Iterable[str | Path] | str | Path | None = None, **options):
    """Build and return the graph as an :class:`rdflib.Graph` (see :func:`build` for options).

    Raises :class:`~talkgraph.errors.ValidationError` if the graph does not conform.
    """
    result = build(inputs, **options)
    if not result.conforms:
        raise ValidationError(result.validation_text, violations=result.violations)
    return result.graph
