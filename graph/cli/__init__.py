"""The ``talkgraph`` command: a thin layer over the library.

Each command parses its options, calls one library function and prints the result;
it imports the heavy modules it needs only when it runs, so ``talkgraph --help`` answers
at once. Library errors (:class:`~talkgraph.errors.TalkgraphError`) become a one-line
message and a documented exit code (:mod:`.app`). One module per group of commands:
:mod:`.build` (build, validate, check-alignments), :mod:`.analyse` (stats, export, view),
:mod:`.query` (queries, query, push, serve). The CLI is the top layer: it may import
every other; nothing imports it.
"""

from __future__ import annotations

from . import analyse, build, query  # noqa: F401  (each registers its commands on `cli`)
from .analyse import export_command, stats, view_command
from .app import PROJECTION_NAMES, cli
from .build import build as build_command, check_alignments_command, validate
from .query import push_command, queries_command, query_command, serve_command

__all__ = ["main", "cli", "PROJECTION_NAMES", "build_command", "validate", "check_alignments_command", "stats",
           "export_command", "view_command", "queries_command", "query_command", "push_command", "serve_command"]


def main() -> None:
    cli(prog_name="talkgraph")
