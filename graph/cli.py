"""The ``talkgraph`` command: a thin layer over the library.

Each command parses its options, calls one library function and prints the
result. Library errors (:class:`~talkgraph.errors.TalkgraphError`) become a one-line
message and a documented exit code; nothing else imports this module.
"""

from __future__ import annotations

import functools
import json
import os
import sys
import time
from datetime import datetime, timezone
from pathlib import Path

import click

from . import __version__
from .errors import EXIT_CODES, Interrupted, TalkgraphError, shown

__all__ = ["main", "cli"]

#: The projections of talkgraph.outputs.network (kept here so that `--help` need not import networkx; a test
#: checks the two agree).
PROJECTION_NAMES = ("people-methods", "method-cooccurrence", "people-people", "domain-method")

EXIT_HELP = "\b\n" + "\n".join(f"  {code}  {meaning}" for code, meaning in EXIT_CODES.items())


def _handle_errors(command):
    """Turn a library error into `Error: ...` on stderr and its exit code."""

    @functools.wraps(command)
    def wrapper(*args, **kwargs):
        try:
            return command(*args, **kwargs)
        except TalkgraphError as error:
            click.echo(f"Error: {error}", err=True)
            sys.exit(error.exit_code)
        except BrokenPipeError:  # `talkgraph query ... | head`: the reader has all it wants
            # Python would complain again when it flushes stdout at exit: point stdout at nothing first.
            os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
            sys.exit(0)
        except OSError as error:  # the file system refused something the library did not name itself
            where = f"{error.filename}: " if error.filename else ""
            click.echo(f"Error: {where}{error.strerror or error}\n  hint: check that the path exists and that "
                       "talkgraph may read or write it (and that the disk has room)", err=True)
            sys.exit(2)
        except KeyboardInterrupt as stop:  # Ctrl-C, or a signal _stop_on_signals turned into Interrupted
            name = stop.args[0] if isinstance(stop, Interrupted) else "SIGINT"
            click.echo(f"Stopped by {name}; {getattr(stop, 'outcome', None) or 'files already written are complete'}"
                       ", nothing is half-written.", err=True)
            sys.exit(getattr(stop, "exit_code", 130))

    return wrapper


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


@click.group(context_settings={"help_option_names": ["-h", "--help"], "max_content_width": 100},
             epilog=f"\b\nExit codes:\n{EXIT_HELP}")
@click.version_option(__version__, prog_name="talkgraph")
def cli():
    """Turn a table of conference talks into a validated, queryable knowledge graph.

    Start with `talkgraph build` (it reads data/talks.tsv and writes out/).
    """


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
@click.option("--encoding", default="utf-8", show_default=True, help="Text encoding of the input tables.")
@click.option("--vocab", "vocabularies", multiple=True, type=click.Path(dir_okay=False, path_type=Path),
              help="Extra SKOS Turtle file of concepts or labels to match keywords against (repeatable).")
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
@_handle_errors
def build(inputs, out_dir, base_iri, event, event_date, encoding, vocabularies, columns, timestamp, no_mentions,
          evidence, strict, quiet):
    """Build the knowledge graph from one or more TSV/CSV tables (default: data/talks.tsv).

    Several tables are merged: the same person across files is one node. Every
    build is validated against the SHACL shapes; a non-conforming graph is not
    written (its report goes to OUT/failed-report.json) and the command exits with 1.
    The outputs are switched in whole, once complete: a build stopped or killed at
    any point leaves OUT as it was (docs/outputs.md).
    """
    from .namespaces import DEFAULT_BASE_IRI
    from .pipeline import DEFAULT_EVENT, build as build_result, check_output_folder, write_outputs
    from .tables.roles import parse_columns

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


def _shown(path) -> str:
    """A path as the user would type it: relative to the working directory when inside it.

    The bundled table is named as the README names it, wherever the package is installed.
    """
    from .resources import default_input

    if Path(path) == default_input():
        return "the bundled data/talks.tsv"
    relative = os.path.relpath(path)
    return path if relative.startswith("..") else relative


def _summary(result, written, seconds):
    report, counts = result.report, result.counts
    sources = ", ".join(_shown(i["file"]) for i in report["inputs"])
    click.echo(f"talkgraph {__version__}: built the graph of {sources} in {seconds:.1f} s")
    click.echo(f"  rows read {counts['rows_read']:,} · built {counts['talks_built']:,} · "
               f"rejected {counts['rows_rejected']:,}")
    links = ", ".join(f"{n:,} {scheme}" for scheme, n in counts["declared_links"].items()) or "none"
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
@_handle_errors
def validate(file, engine, quiet):
    """Check a Turtle (or .nt) FILE against talkgraph's SHACL shapes.

    Exit code 0 if it conforms, 1 if it does not, 2 if it cannot be read.
    """
    from .model.validate import validate_file

    conforms, _, text = validate_file(file, engine=engine)
    if not quiet:
        click.echo(f"{file}: {'conforms' if conforms else 'does not conform'}")
        if not conforms:
            click.echo(text)
    sys.exit(0 if conforms else 1)


@cli.command()
@click.argument("directory", default="out", type=click.Path(path_type=Path))
@click.option("--top", default=10, show_default=True, help="How many top concepts (or nodes) to list.")
@click.option("--json", "as_json", is_flag=True, help="Print the figures as JSON.")
@click.option("--analytics", is_flag=True, help="Also compute degree and betweenness centrality and Louvain "
              "communities of the NetworkX graph (or of --projection).")
@click.option("--projection", type=click.Choice(PROJECTION_NAMES), help="Analyse this projection.")
@_handle_errors
def stats(directory, top, as_json, analytics, projection):
    """Counts of talks, people and concepts per scheme, and the top concepts, of a build (default: out/)."""
    from .store.stats import graph_stats, load_store

    store = load_store(directory)
    figures = graph_stats(store, top=top)
    if analytics or projection:
        figures["analytics"] = _analytics(store, projection, top)
    if as_json:
        click.echo(json.dumps(figures, indent=2, ensure_ascii=False))
        return
    click.echo(f"talks    {figures['talks']:,}\npeople   {figures['people']:,}\ntriples  {figures['triples']:,}")
    for scheme, count in figures["concepts_used"].items():
        click.echo(f"\n{scheme}: {count:,} concept{'' if count == 1 else 's'} declared")
        for label, talks in figures["top_concepts"].get(scheme, []):
            click.echo(f"  {talks:>5,}  {label}")
    if "analytics" in figures:
        a = figures["analytics"]
        click.echo(f"\n{a['graph']}: {a['nodes']:,} nodes, {a['edges']:,} edges, {a['communities']:,} communities")
        for measure in ("degree", "betweenness"):
            click.echo(f"  highest {measure}:")
            for row in a[f"top_{measure}"]:
                click.echo(f"    {row['value']:>10}  {row['label']} ({row['kind']})")


def _analytics(store, projection, top):
    from .outputs.network import analyse, project, to_networkx

    g = to_networkx(store)
    if projection:
        g = project(g, projection)
    analyse(g)
    out = {"graph": projection or "full graph", "nodes": g.number_of_nodes(), "edges": g.number_of_edges(),
           "communities": len({d["community"] for _, d in g.nodes(data=True)})}
    for measure in ("degree", "betweenness"):
        ranked = sorted(g.nodes(data=True), key=lambda item: (-item[1][measure], item[1]["label"]))[:top]
        out[f"top_{measure}"] = [{"label": d["label"], "kind": d["kind"], "iri": n, "value": d[measure]}
                                 for n, d in ranked]
    return out


@cli.command("export")
@click.option("--to", "fmt", required=True, type=click.Choice(["graphml", "gexf", "json", "edgelist"]),
              help="graphml and gexf open in Gephi, Cytoscape and yEd; json is NetworkX node-link JSON.")
@click.argument("file", type=click.Path(dir_okay=False, path_type=Path))
@click.option("--projection", type=click.Choice(PROJECTION_NAMES), help="Export this projection instead.")
@click.option("--store", "store_dir", default="out", show_default=True, type=click.Path(path_type=Path),
              help="Build folder to read.")
@click.option("--no-analytics", is_flag=True, help="Leave out degree, betweenness and community attributes.")
@_handle_errors
def export_command(fmt, file, projection, store_dir, no_analytics):
    """Export the graph (or a projection) for NetworkX, Gephi and friends, with analytics as node attributes.

    \b
    talkgraph export --to gexf talks.gexf
    talkgraph export --to graphml people.graphml --projection people-methods
    """
    from .outputs.network import analyse, export, project, to_networkx
    from .store.stats import load_store

    g = to_networkx(load_store(store_dir))
    if projection:
        g = project(g, projection)
    if not no_analytics:
        analyse(g)
    export(g, file, fmt)
    click.echo(f"wrote {file}: {g.number_of_nodes():,} nodes, {g.number_of_edges():,} edges")


@cli.command("view")
@click.option("--out", "out_file", default="out/view.html", show_default=True,
              type=click.Path(dir_okay=False, path_type=Path), help="The HTML file to write.")
@click.option("--projection", type=click.Choice(("full", *PROJECTION_NAMES)),
              help="What to draw. Default: the full graph (above 3,000 nodes the page opens on the "
                   "overview of domains and methods, to expand on demand; above 25,000 only the "
                   "domain-method projection). 'full' draws the full graph at any size.")
@click.option("--store", "store_dir", default="out", show_default=True, type=click.Path(path_type=Path),
              help="Build folder to read.")
@_handle_errors
def view_command(out_file, projection, store_dir):
    """Write an interactive HTML view of the graph that works offline (one self-contained file).

    Open it in any browser, even with no network: a first screen that fits the window
    with labels that never overlap, search (accents and case ignored, all labels of a
    concept), focus on a node and its neighbours, filters, a domain × method matrix and
    a side panel in plain words. Keys: / to search, arrows through results, Esc back to
    the overview. See docs/view.md.
    """
    from .outputs.network import analyse, to_networkx
    from .store.stats import load_store
    from .outputs.view import choose_graph, write_view

    started = time.perf_counter()
    full = to_networkx(load_store(store_dir), details=True)
    g, note, start = choose_graph(full, projection)
    analyse(g, betweenness_sample=500 if g.number_of_nodes() <= 2000 else 32)
    write_view(g, out_file, title=f"talkgraph · {projection or 'graph'}", note=note, start=start)
    click.echo(f"wrote {out_file}: {g.number_of_nodes():,} nodes, {g.number_of_edges():,} edges "
               f"in {time.perf_counter() - started:.1f} s" + (f"\n  {note}" if note else ""))


@cli.command("check-alignments")
@click.option("--uat", type=click.Path(path_type=Path), help="A copy of the Unified Astronomy Thesaurus (UAT.rdf).")
@click.option("--aio", type=click.Path(path_type=Path), help="A copy of the AI Ontology (aio.owl).")
@_handle_errors
def check_alignments_command(uat, aio):
    """Check that every UAT/AIO IRI the vocabularies cite exists, is current and has the stated label."""
    from .vocab.alignments import check_alignments, cited_iris

    if uat is None and aio is None:
        raise TalkgraphError("give --uat FILE and/or --aio FILE (see README 'Alignments' for where to get them)")
    problems = check_alignments(uat=uat, aio=aio)
    checked = (len(cited_iris("uat")) if uat else 0) + (len(cited_iris("aio")) if aio else 0)
    for problem in problems:
        click.echo(problem)
    click.echo(f"{checked} cited IRIs checked, {len(problems)} problem(s)")
    sys.exit(1 if problems else 0)


@cli.command("queries")
@click.option("--json", "as_json", is_flag=True, help="Print the catalogue as JSON (name, title, description, "
              "params).")
@_handle_errors
def queries_command(as_json):
    """List the named queries of the catalogue, with their parameters.

    Run one with `talkgraph query NAME --param NAME=VALUE`.
    """
    from .store.catalogue import load_catalogue

    if as_json:
        click.echo(json.dumps([q.describe() for q in load_catalogue().values()], indent=2, ensure_ascii=False))
        return
    for query in load_catalogue().values():
        click.echo(f"{query.name}\n  {query.title}: {query.description}")
        for param in query.params:
            default = f' (default "{param.default}")' if param.default is not None else ""
            click.echo(f"  --param {param.name}=…  {param.kind}{default}: {param.doc}")
        click.echo()


FORMATS = ["table", "csv", "tsv", "json", "md"]


@cli.command("query")
@click.argument("name", required=False)
@click.option("-p", "--param", "params", multiple=True, metavar="NAME=VALUE",
              help="A parameter of the named query: a label, name, title or IRI (repeatable).")
@click.option("--sparql", "sparql_text", metavar="QUERY", help="Run this SPARQL query instead of a named one.")
@click.option("--file", "sparql_file", type=click.Path(path_type=Path), help="Run the SPARQL query in this file.")
@click.option("-f", "--format", "fmt", type=click.Choice(FORMATS), default="table", show_default=True,
              help="Output format; json is SPARQL 1.1 Query Results JSON. CONSTRUCT/DESCRIBE print Turtle.")
@click.option("--store", "store_dir", default="out", show_default=True, type=click.Path(path_type=Path),
              help="Build folder whose store to query (written by `talkgraph build`).")
@click.option("--endpoint", metavar="URL", help="Query this SPARQL 1.1 endpoint instead of the embedded store.")
@click.option("--no-defaults", is_flag=True, help="Do not fill missing parameters with their defaults.")
@click.option("--limit", type=click.IntRange(min=1), metavar="N",
              help="Print at most N rows (of a named query: its first N, in its order).")
@click.option("--raw", is_flag=True, help="CSV/TSV exactly as SPARQL 1.1 defines them. By default a cell that a "
              "spreadsheet would run as a formula (starting with = + - @, not a number) gets a leading ' "
              "(see docs/input.md).")
@click.option("--allow-service", "allowed_services", multiple=True, metavar="URL",
              help="Let --sparql/--file queries call this endpoint with SERVICE (repeatable); any other "
                   "SERVICE is refused.")
@_handle_errors
def query_command(name, params, sparql_text, sparql_file, fmt, store_dir, endpoint, no_defaults, limit, raw,
                  allowed_services):
    """Run the named query NAME, or any SPARQL with --sparql / --file.

    \b
    talkgraph query talks-by-method --param method=CNN
    talkgraph query speaker-profile -p "speaker=Clár-Bríd Tohill" --format md
    talkgraph query --sparql 'SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }'
    talkgraph query talks-by-method -p method=U-Net --endpoint http://127.0.0.1:7878/query
    talkgraph query similar-talks -p "talk=Early classification of supernovae light curves" --limit 5
    """
    from .store.querycheck import allowed_endpoints
    from .store.sparql import format_results, parse_params, run_query, run_sparql

    chosen = [x for x in (name, sparql_text, sparql_file) if x]
    if len(chosen) != 1:
        raise TalkgraphError("give exactly one of: a query NAME, --sparql QUERY, --file FILE",
                             ) if chosen else TalkgraphError("which query? give a NAME (see `talkgraph queries`), "
                                                             "--sparql QUERY or --file FILE")
    target = {"endpoint": endpoint} if endpoint else {"store": store_dir}
    if name:
        if allowed_services:
            raise TalkgraphError("--allow-service only applies to --sparql and --file (named queries call no service)")
        results = run_query(name, params=parse_params(params), use_defaults=not no_defaults, limit=limit, **target)
    else:
        if params:
            raise TalkgraphError("--param only applies to named queries")
        if sparql_file:
            try:
                text = Path(sparql_file).read_text(encoding="utf-8")
            except OSError as error:
                raise TalkgraphError(f"{sparql_file}: cannot read: {error.strerror}") from None
        else:
            text = sparql_text
        results = run_sparql(text, source=str(sparql_file or "--sparql"), limit=limit,
                             allowed_services=allowed_endpoints(allowed_services), **target)
    click.echo(format_results(results, fmt, spreadsheet_safe=not raw), nl=False)
    if results.truncated:
        click.echo(f"talkgraph: showing the first {limit} rows; the answer has more (--limit)", err=True)


@cli.command("push")
@click.option("--endpoint", required=True, metavar="URL",
              help="The server's SPARQL 1.1 Graph Store Protocol endpoint, e.g. http://127.0.0.1:7878/store")
@click.option("--graph", "graph_iri", metavar="IRI", help="Named graph to replace; default: the default graph.")
@click.option("--out", "out_dir", default="out", show_default=True, type=click.Path(path_type=Path),
              help="Build folder whose graph.nt to push.")
@click.option("--timeout", default=60.0, show_default=True, metavar="SECONDS",
              type=click.FloatRange(min=0, min_open=True),
              help="Seconds the whole push may take, retries included; then it stops with exit code 2.")
@_handle_errors
def push_command(endpoint, graph_iri, out_dir, timeout):
    """Load the built graph into a triple store through the SPARQL 1.1 Graph Store Protocol (HTTP PUT).

    A failed connection or a 502/503/504 answer is retried (4 tries in all); every failure
    exits with 2 and a message saying what went wrong (see docs/push.md).
    """
    from .store.remote import push_graph

    count = push_graph(Path(out_dir) / "graph.nt", endpoint, graph=graph_iri, timeout=timeout)
    click.echo(f"pushed {count:,} triples to {endpoint} ({'graph <' + graph_iri + '>' if graph_iri else 'default graph'})")


@cli.command("serve")
@click.option("--host", default="127.0.0.1", show_default=True,
              help="Address to listen on; the default serves this machine only.")
@click.option("--port", default=7878, show_default=True, help="Port to listen on (0 picks a free one).")
@click.option("--store", "store_dir", default="out", show_default=True, type=click.Path(path_type=Path),
              help="Build folder whose store to serve.")
@click.option("--timeout", default=30.0, show_default=True, type=click.FloatRange(min=0.1),
              help="Seconds a query request may take in all, waiting for a worker and running; then 503.")
@click.option("--max-rows", default=10_000, show_default=True, help="Most result rows (or triples) returned.")
@click.option("--workers", default=2, show_default=True, type=click.IntRange(min=1),
              help="Queries evaluated at once (one process each); SPARQL queries get at most all but one, "
                   "the rest is kept for the named queries.")
@click.option("--max-memory", default=1024, show_default=True, type=click.IntRange(min=128), metavar="MB",
              help="Memory cap of each worker process; a query that needs more is stopped (503).")
@click.option("--queue", "queue_size", default=64, show_default=True, type=click.IntRange(min=0), metavar="N",
              help="Requests of each kind (named, SPARQL) that may wait for a worker; more get 503 at once.")
@click.option("--max-connections", default=128, show_default=True, type=click.IntRange(min=1), metavar="N",
              help="Connections served at once; more are answered 503 and closed.")
@click.option("--idle-timeout", default=10.0, show_default=True, type=click.FloatRange(min=0.1), metavar="S",
              help="Seconds a connection has to send its whole request.")
@click.option("--allow-service", "allowed_services", multiple=True, metavar="URL",
              help="Let queries call this endpoint with SERVICE (repeatable); any other SERVICE is refused (400).")
@click.option("--allow-host", "allowed_hosts", multiple=True, metavar="NAME",
              help="Also answer requests whose Host header names NAME (repeatable; '*' for any). By default only "
                   "localhost, 127.0.0.1, [::1] and --host are answered (403 otherwise).")
@click.option("--cors", "cors", multiple=True, metavar="ORIGIN",
              help="Let web pages from ORIGIN (e.g. https://example.org) read the answers (repeatable; '*' for "
                   "any). Off by default.")
@_handle_errors
def serve_command(host, port, store_dir, timeout, max_rows, workers, max_memory, queue_size, max_connections,
                  idle_timeout, allowed_services, allowed_hosts, cors):
    """Serve the built graph read-only over the SPARQL 1.1 Protocol, with a query page at /.

    \b
    GET|POST /query          SPARQL 1.1 Protocol (results: JSON, XML, CSV, TSV; graphs: Turtle, N-Triples, JSON-LD)
    GET /queries             the catalogue of named queries (JSON)
    GET /queries/NAME?k=v    a named query's results (JSON, or CSV/TSV/XML by Accept or ?format=)

    Its limits and what it refuses are described in docs/server.md.
    """
    from .store.server import make_server

    server = make_server(store_dir, host=host, port=port, timeout=timeout, max_rows=max_rows, workers=workers,
                         queue=queue_size, max_memory=max_memory, max_connections=max_connections,
                         idle_timeout=idle_timeout, allowed_services=allowed_services, allowed_hosts=allowed_hosts,
                         cors=cors)
    bound_host, bound_port = server.server_address[:2]
    click.echo(f"talkgraph serving {store_dir} read-only at http://{bound_host}:{bound_port}/ "
               f"(SPARQL endpoint /query); Ctrl-C stops", err=True)
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass
    finally:
        server.server_close()
        server.pool.close()


def main() -> None:
    cli(prog_name="talkgraph")


if __name__ == "__main__":  # pragma: no cover
    main()
