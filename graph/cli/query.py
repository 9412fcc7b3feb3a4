"""Asking a built graph: ``talkgraph queries``, ``query``, ``push`` and ``serve``."""

from __future__ import annotations

import json
import shutil
import sys
from pathlib import Path

import click

from ..errors import ParameterError, TalkgraphError
from .app import cli, handle_errors


@cli.command("queries")
@click.option("--json", "as_json", is_flag=True, help="Print the catalogue as JSON (name, title, description, "
              "params).")


@handle_errors
def queries_command(as_json):
    """List the named queries of the catalogue, with their parameters.

    Run one with `talkgraph query NAME --param NAME=VALUE`.
    """
    from ..store.catalogue import load_catalogue

    if as_json:
        click.echo(json.dumps([q.describe() for q in load_catalogue().values()], indent=2, ensure_ascii=False))
        return
    for query in load_catalogue().values():
        click.echo(f"{query.name}\n  {query.title}: {query.description}")
        for param in query.params:
            default = f' (default "{param.default}")' if param.default is not None else ""
            click.echo(f"  --param {param.name}=…  {param.kind}{default}: {param.doc}")
        click.echo()


@cli.command("prefixes")
@handle_errors
def prefixes_command():
    """List the prefixes that `talkgraph query --sparql` and `--file` declare for you.

    A query that declares one of these names itself keeps its own.
    """
    from ..store.prefixes import query_prefixes

    for name, namespace in query_prefixes().items():
        click.echo(f"PREFIX {name}: <{namespace}>")


FORMATS = ["table", "csv", "tsv", "json", "jsonl", "md"]
#: Rows of a named query's answer shown on a terminal (table and md) unless --limit says otherwise.
PAGE = 25


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
@click.option("--limit", metavar="N", help=f"Print at most N rows (of a named query: a page of N, in its order; "
              f"by default {PAGE} in a table, every row otherwise, a ranking's top N).")
@click.option("--offset", metavar="M", help="Of a named query, skip its first M rows (the next page: --offset N).")
@click.option("--all", "every_row", is_flag=True, help="Stream every row of a named query as it comes, as CSV "
              "(or --format tsv; jsonl, which --format json gives too): each row is written as it is made, "
              "none gathered into a table first.")


@click.option("--raw", is_flag=True, help="CSV/TSV exactly as SPARQL 1.1 defines them. By default a cell that a "
              "spreadsheet would run as a formula (starting with = + - @, not a number) gets a leading ' "
              "(see docs/input.md).")


@click.option("--allow-service", "allowed_services", multiple=True, metavar="URL",
              help="Let --sparql/--file queries call this endpoint with SERVICE (repeatable); any other "
                   "SERVICE is refused.")


@handle_errors
def query_command(name, params, sparql_text, sparql_file, fmt, store_dir, endpoint, no_defaults, limit, offset,
                  every_row, raw, allowed_services):
    """Run the named query NAME, or any SPARQL with --sparql / --file.

    \b
    talkgraph query talks-by-method --param method=CNN
    talkgraph query speaker-profile -p "speaker=Clár-Bríd Tohill" --format md
    talkgraph query --sparql 'SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }'
    talkgraph query talks-by-method -p method=U-Net --endpoint http://127.0.0.1:7878/query
    talkgraph query similar-talks -p "talk=Early classification of supernovae light curves" --limit 5
    talkgraph query talks-by-method -p method=CNN --limit 5 --offset 5
    talkgraph query talks-by-method -p method=CNN --all > talks.csv
    """
    from ..store.catalogue import get_query
    from ..store.querycheck import allowed_endpoints
    from ..store.sparql import format_results, page_bounds, parse_params, run_query, run_sparql, write_rows

    chosen = [x for x in (name, sparql_text, sparql_file) if x]
    if len(chosen) != 1:
        raise TalkgraphError("give exactly one of: a query NAME, --sparql QUERY, --file FILE",
                             ) if chosen else TalkgraphError("which query? give a NAME (see `talkgraph queries`), "
                                                             "--sparql QUERY or --file FILE")
    target = {"endpoint": endpoint} if endpoint else {"store": store_dir}
    ranking = False
    if name:
        if allowed_services:
            raise TalkgraphError("--allow-service only applies to --sparql and --file (named queries call no service)")
        if every_row:
            return _stream_all(name, parse_params(params), fmt, not no_defaults, raw, limit, offset, target)
        limit, offset = page_bounds(limit, offset)
        ranking = bool(get_query(name).top)
        if limit is None and fmt in ("table", "md") and not ranking:  # a ranking shows its top N
            limit = PAGE
        # a ranking answers its top N: counting all its rows would score every one of them again
        results = run_query(name, params=parse_params(params), use_defaults=not no_defaults, limit=limit,
                            offset=offset, count=not ranking, **target)
    else:
        if params:
            raise TalkgraphError("--param only applies to named queries")
        if offset is not None or every_row:
            raise TalkgraphError("--offset and --all apply to named queries; in SPARQL, write OFFSET in the query")
        limit, _ = page_bounds(limit, None)
        if sparql_file:
            try:
                text = Path(sparql_file).read_text(encoding="utf-8")
            except OSError as error:
                raise TalkgraphError(f"{sparql_file}: cannot read: {error.strerror}") from None
        else:
            text = sparql_text
        results = run_sparql(text, source=str(sparql_file or "--sparql"), limit=limit, prefixes=True,
                             allowed_services=allowed_endpoints(allowed_services), **target)
    if fmt == "jsonl" and results.kind == "select":
        write_rows(results.variables, results.solutions, fmt, sys.stdout,
                   spreadsheet_safe=not raw, lists=results.lists)
    else:
        # a table fits a terminal; written to a file or a pipe it is whole
        width = shutil.get_terminal_size().columns if sys.stdout.isatty() else None
        click.echo(format_results(results, "json" if fmt == "jsonl" else fmt, spreadsheet_safe=not raw, width=width),
                   nl=False)
    if results.truncated or results.offset:
        click.echo(_page_line(results, named=bool(name), ranking=ranking), err=True)


def _page_line(results, *, named: bool, ranking: bool = False) -> str:
    """One line: which rows these are, and how to see the others (of a ranking, without its number of rows)."""
    first, shown_rows = results.offset + 1, len(results.solutions)
    of = f" of {results.total:,}" if results.total is not None and not (ranking and results.truncated) else ""
    where = f"rows {first:,}–{results.offset + shown_rows:,}{of}" if shown_rows != 1 else f"row {first:,}{of}"
    if not results.truncated:
        return f"talkgraph: {where} (the last page)"
    if not named:
        return f"talkgraph: {where}; the answer has more (raise --limit)"
    return (f"talkgraph: {where}; next page: --offset {results.offset + shown_rows}; "
            f"more per page: --limit N; every row: --all")


def _stream_all(name, params, fmt, use_defaults, raw, limit, offset, target) -> None:
    from ..store.catalogue import get_query
    from ..store.sparql import stream_query, write_rows

    if limit is not None or offset is not None:
        raise TalkgraphError("--all gives every row: leave out --limit and --offset, or leave out --all")
    if fmt == "md":
        raise ParameterError("--all streams CSV, TSV or JSON lines as the rows come; a Markdown table needs every "
                             "row first", hint="use --format csv (or tsv, jsonl) with --all, or leave out --all "
                             "for a page in Markdown")
    fmt = {"table": "csv", "json": "jsonl"}.get(fmt, fmt)  # the default table, and JSON, stream as CSV, JSON lines
    variables, rows = stream_query(name, params=params, use_defaults=use_defaults, **target)
    write_rows(variables, rows, fmt, sys.stdout, spreadsheet_safe=not raw,
               lists=get_query(name).lists)


@cli.command("push")
@click.option("--endpoint", required=True, metavar="URL",
              help="The server's SPARQL 1.1 Graph Store Protocol endpoint, e.g. http://127.0.0.1:7878/store")


@click.option("--graph", "graph_iri", metavar="IRI", help="Named graph to replace; default: the default graph.")
@click.option("--out", "out_dir", default="out", show_default=True, type=click.Path(path_type=Path),
              help="Build folder whose graph.nt to push.")


@click.option("--timeout", default=60.0, show_default=True, metavar="SECONDS",
              type=click.FloatRange(min=0, min_open=True),
              help="Seconds the whole push may take, retries included; then it stops with exit code 2.")


@handle_errors
def push_command(endpoint, graph_iri, out_dir, timeout):
    """Load the built graph into a triple store through the SPARQL 1.1 Graph Store Protocol (HTTP PUT).

    A failed connection or a 502/503/504 answer is retried (4 tries in all); every failure
    exits with 2 and a message saying what went wrong (see docs/push.md).
    """
    from ..store.remote import push_graph

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
@click.option("--stop-grace", default=10.0, show_default=True, type=click.FloatRange(min=0), metavar="S",
              help="When stopped (Ctrl-C, SIGTERM): seconds the requests still open may take to be answered "
                   "(no more than --timeout); then what still runs is answered 503.")


@click.option("--allow-service", "allowed_services", multiple=True, metavar="URL",
              help="Let queries call this endpoint with SERVICE (repeatable); any other SERVICE is refused (400).")


@click.option("--allow-host", "allowed_hosts", multiple=True, metavar="NAME",
              help="Also answer requests whose Host header names NAME (repeatable; '*' for any). By default only "
                   "localhost, 127.0.0.1, [::1] and --host are answered (403 otherwise).")


@click.option("--cors", "cors", multiple=True, metavar="ORIGIN",
              help="Let web pages from ORIGIN (e.g. https://example.org) read the answers (repeatable; '*' for "
                   "any). Off by default.")


@handle_errors
def serve_command(host, port, store_dir, timeout, max_rows, workers, max_memory, queue_size, max_connections,
                  idle_timeout, stop_grace, allowed_services, allowed_hosts, cors):
    """Serve the built graph read-only over the SPARQL 1.1 Protocol, with a query page at /.

    \b
    GET|POST /query          SPARQL 1.1 Protocol (results: JSON, XML, CSV, TSV; graphs: Turtle, N-Triples, JSON-LD)
    GET /queries             the catalogue of named queries (JSON)
    GET /queries/NAME?k=v    a named query's results (JSON, or CSV/TSV/XML by Accept or ?format=)

    Its limits and what it refuses are described in docs/server.md.
    """
    from ..store.server import make_server, serve_until_stopped

    server = make_server(store_dir, host=host, port=port, timeout=timeout, max_rows=max_rows, workers=workers,
                         queue=queue_size, max_memory=max_memory, max_connections=max_connections,
                         idle_timeout=idle_timeout, allowed_services=allowed_services, allowed_hosts=allowed_hosts,
                         cors=cors)
    bound_host, bound_port = server.server_address[:2]
    click.echo(f"talkgraph serving {store_dir} read-only at http://{bound_host}:{bound_port}/ "
               f"(SPARQL endpoint /query); Ctrl-C stops", err=True)
    name = serve_until_stopped(server, grace=stop_grace)
    click.echo(f"talkgraph serve: stopped by {name}; open requests were answered", err=True)
