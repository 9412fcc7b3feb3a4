"""Making and checking a graph: ``talkgraph build``, ``validate`` and ``check-alignments``."""

from __future__ import annotations

import os
import sys
import time
from datetime import datetime, timezone
from pathlib import Path

import click

from .. import __version__
from ..errors import Interrupted, TalkgraphError, shown
from .app import cli, handle_errors, shown_path


def _stop_on_signals() -> None:
    """Let SIGTERM stop the command as Ctrl-C does: an exception, so every clean-up on the way out
    runs (worker processes stopped, an unfinished build folder removed), then a one-line message
    and exit 128 + the signal's number."""
    import signal

    def stop(number, frame):
        raise Interrupted(number)

    for number in (signal.SIGINT, signal.SIGTERM):
        signal.signal(number, stop)


class _Progress:
    """A one-line progress display on stderr, only when stderr is a terminal."""

    STAGES = {"read": "reading rows", "link": "linking keywords", "triples": "making triples",
              "validate": "validating", "write": "validating and writing"}

    def __init__(self, enabled: bool):
        self.enabled = enabled and sys.stderr.isatty()

    def __call__(self, stage: str, done: int, total: int) -> None:
        if self.enabled:
            click.echo(f"\r  {self.STAGES.get(stage, stage)}: {done:,}/{total:,}\033[K", err=True, nl=False)

    def close(self) -> None:
        if self.enabled:
            click.echo("\r\033[K", err=True, nl=False)


def _timestamp(value: str | None) -> datetime | None:
    if value is None:
        return None
    if value == "now":
        return datetime.now(timezone.utc)
    try:
        return datetime.fromisoformat(value)
    except ValueError:
        raise TalkgraphError(f"--timestamp {shown(value)} is neither 'now' nor an ISO date-time like "
                             "2021-06-28T09:00:00+00:00") from None


@cli.command()
@click.argument("inputs", nargs=-1, type=click.Path(dir_okay=False, path_type=Path))
@click.option("--out", "out_dir", default="out", show_default=True, type=click.Path(file_okay=False, path_type=Path),
              help="Folder for graph.ttl, graph.nt, graph.jsonld, report.json and rejects.tsv.")
@click.option("--base-iri", default=None, help="Namespace for minted IRIs of talks, people, ... "
              "[default: https://w3id.org/talkgraph/id/]")
@click.option("--event", default=None, help="Name of the meeting the talks belong to. [default: Talk submissions]")
@click.option("--event-date", default=None, metavar="YYYY-MM-DD", help="Start date of the meeting.")
@click.option("--encoding", default=None, help="Text encoding of the input tables. [default: UTF-8, or Windows-1252 "
              "(cp1252) for a table that is not UTF-8 but reads as text in it, with a warning]")
@click.option("--vocab", "vocabularies", multiple=True, type=click.Path(dir_okay=False, path_type=Path),
              help="A SKOS vocabulary (Turtle or RDF/XML) whose concepts, or labels for known concepts, are "
              "matched too; a release of the Unified Astronomy Thesaurus (UAT.rdf) replaces the shipped one "
              "(repeatable; docs/vocabularies.md).")
@click.option("--column", "columns", multiple=True, metavar="ROLE=HEADER",
              help="Give a column its role by hand, over the recognised header names (repeatable), e.g. "
              "--column title=\"Paper\" --column speaker=\"Authors\". Roles: speaker, first-name, surname, title, "
              "abstract, astronomy-keywords, ml-keywords, keywords, affiliation (docs/tables.md).")
@click.option("--timestamp", default=None, metavar="ISO|now", help="Build time recorded in the provenance. "
              "Default: $SOURCE_DATE_EPOCH, else the newest input's modification time (reproducible).")
@click.option("--no-mentions", is_flag=True, help="Skip finding the concepts that titles and abstracts mention.")
@click.option("--evidence/--no-evidence", default=None,
              help="Record where each mention was found (a W3C Web Annotation, 13 triples a mention), or keep "
              "the tg:mentions links only. [default: evidence for tables of up to 10,000 talks]")
@click.option("--strict", is_flag=True, help="Exit with code 3 if any row was rejected.")
@click.option("-q", "--quiet", is_flag=True, help="Print nothing but errors.")
@handle_errors
def build(inputs, out_dir, base_iri, event, event_date, encoding, vocabularies, columns, timestamp, no_mentions,
          evidence, strict, quiet):
    """Build the knowledge graph from one or more TSV/CSV tables (default: data/talks.tsv).

    Several tables are merged: the same person across files is one node. Every
    build is validated against the SHACL shapes; a non-conforming graph is not
    written (its report goes to OUT/failed-report.json) and the command exits with 1.
    The outputs are switched in whole, once complete: a build stopped or killed at
    any point leaves OUT as it was (docs/outputs.md).
    """
    from ..namespaces import DEFAULT_BASE_IRI
    from ..pipeline import DEFAULT_EVENT, build as build_result, check_output_folder, write_outputs
    from ..tables.roles import parse_columns

    columns = parse_columns(columns)
    check_output_folder(out_dir)  # before a build that may take minutes
    _stop_on_signals()
    started = time.perf_counter()
    progress = _Progress(not quiet)
    try:
        result = build_result(list(inputs) or None, base_iri=base_iri or DEFAULT_BASE_IRI,
                              event=event or DEFAULT_EVENT, event_date=event_date, encoding=encoding,
                              vocabularies=vocabularies, timestamp=_timestamp(timestamp),
                              mentions=not no_mentions, evidence=evidence, validate=False, out_dir=out_dir,
                              progress=progress, columns=columns)
        # validated while the files are written; they are switched in only if the graph conforms
        written = write_outputs(result, out_dir, progress=progress)
    except KeyboardInterrupt as stop:
        stop.outcome = f"{out_dir}{os.sep} holds the last complete build"
        raise
    finally:
        progress.close()
    if not quiet:
        _summary(result, written, time.perf_counter() - started)
    if strict and result.rejects:
        click.echo(f"Error: {len(result.rejects)} row(s) rejected and --strict was given", err=True)
        sys.exit(3)


#: How the summary names the kinds of declared links that are not a scheme's (report.json keeps the keys).
_LINK_WORDS = {"arxiv": "arXiv class", "via": "through an arXiv class", "candidate": "candidate"}


def _summary(result, written, seconds):
    report, counts = result.report, result.counts
    sources = ", ".join(shown_path(i["file"]) for i in report["inputs"])
    click.echo(f"talkgraph {__version__}: built the graph of {sources} in {seconds:.1f} s")
    click.echo(f"  rows read {counts['rows_read']:,} · built {counts['talks_built']:,} · "
               f"rejected {counts['rows_rejected']:,}")
    links = ", ".join(f"{n:,} {_LINK_WORDS.get(scheme, scheme)}" for scheme, n in counts["declared_links"].items()) \
        or "none"
    click.echo(f"  {counts['talks_built']:,} talks, {counts['people']:,} people, {counts['triples']:,} triples; "
               f"declared links: {links}")
    click.echo(f"  keyword terms: {counts['distinct_terms']:,} distinct, {counts['unmapped_terms']:,} unmapped")
    if report["mentions"]["enabled"]:
        mentioned = ", ".join(f"{n:,} {scheme}" for scheme, n in counts["mentions"].items()) or "none"
        terms = report["mentions"]["candidate_terms"]
        click.echo(f"  mentions in titles and abstracts: {mentioned}; {len(terms)} unmatched capitalised "
                   "terms and acronyms listed for review in report.json")
    else:
        click.echo("  mentions: skipped (--no-mentions)")
    click.echo("  the graph conforms to the SHACL shapes")
    for reject in report["rejects"][:10]:
        click.echo(f"  rejected {reject['file']}:{reject['line']}: {reject['reason']}", err=True)
    if len(report["rejects"]) > 10:
        click.echo(f"  ... and {len(report['rejects']) - 10} more rejected rows (see rejects.tsv)", err=True)
    for term in report["unmapped_terms"][:10]:
        click.echo(f"  unmapped {', '.join(term['columns'])} term {shown(term['term'])} "
                   f"({term['count']} row(s)); kept as a candidate for review", err=True)
    if len(report["unmapped_terms"]) > 10:
        click.echo(f"  ... and {len(report['unmapped_terms']) - 10} more unmapped terms (see report.json)",
                   err=True)
    for warning in report["warnings"][:10]:
        click.echo(f"  warning: {warning}", err=True)
    click.echo(f"  wrote {', '.join(str(p) for p in written)}")
@cli.command()
@click.argument("file", type=click.Path(path_type=Path))
@click.option("--engine", type=click.Choice(["sparql", "pyshacl"]), default="sparql", show_default=True,
              help="sparql: shapes compiled to SPARQL on Oxigraph (fast); pyshacl: the reference engine.")
@click.option("-q", "--quiet", is_flag=True, help="Print nothing; use the exit code.")
@handle_errors
def validate(file, engine, quiet):
    """Check a Turtle (or .nt) FILE against talkgraph's SHACL shapes.

    Exit code 0 if it conforms, 1 if it does not, 2 if it cannot be read.
    """
    from ..model.validate import validate_file

    conforms, _, text = validate_file(file, engine=engine)
    if not quiet:
        click.echo(f"{file}: {'conforms' if conforms else 'does not conform'}")
        if not conforms:
            click.echo(text)
    sys.exit(0 if conforms else 1)


@cli.command("check-alignments")
@click.option("--uat", type=click.Path(path_type=Path), help="A copy of the Unified Astronomy Thesaurus (UAT.rdf).")
@click.option("--aio", type=click.Path(path_type=Path), help="A copy of the AI Ontology (aio.owl).")
@handle_errors
def check_alignments_command(uat, aio):
    """Check that every UAT/AIO IRI the vocabularies cite exists, is current and has the stated label."""
    from ..vocab.alignments import check_alignments, cited_iris

    if uat is None and aio is None:
        error = TalkgraphError("give --uat FILE and/or --aio FILE")
        error.hint = ("talkgraph check-alignments --uat UAT.rdf --aio aio.owl (docs/vocabularies.md, 'Alignments', "
                      "says where to get them)")
        raise error
    problems = check_alignments(uat=uat, aio=aio)
    checked = (len(cited_iris("uat")) if uat else 0) + (len(cited_iris("aio")) if aio else 0)
    for problem in problems:
        click.echo(problem)
    click.echo(f"{checked} cited IRIs checked, {len(problems)} problem(s)")
    sys.exit(1 if problems else 0)
