"""The ``talkgraph`` command group and what every command shares: error messages and exit codes.

A library error (:class:`~talkgraph.errors.TalkgraphError`) becomes a one-line message and a
documented exit code; a closed pipe ends the command quietly; Ctrl-C and SIGTERM say what was
left as it was.
"""

from __future__ import annotations

import functools
import os
import sys
from pathlib import Path

import click

from .. import __version__
from ..errors import EXIT_CODES, Interrupted, TalkgraphError

__all__ = ["cli", "handle_errors", "shown_path", "PROJECTION_NAMES"]

#: The projections of talkgraph.outputs.network (kept here so that `--help` need not import networkx; a test
#: checks the two agree).
PROJECTION_NAMES = ("people-methods", "method-cooccurrence", "people-people", "domain-method")

EXIT_HELP = "\b\n" + "\n".join(f"  {code}  {meaning}" for code, meaning in EXIT_CODES.items())


def handle_errors(command):
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


@click.group(context_settings={"help_option_names": ["-h", "--help"], "max_content_width": 100},
             epilog=f"\b\nExit codes:\n{EXIT_HELP}")


@click.version_option(__version__, prog_name="talkgraph")
def cli():
    """Turn a table of conference talks into a validated, queryable knowledge graph.

    Start with `talkgraph build` (it reads data/talks.tsv and writes out/).
    """


def shown_path(path) -> str:
    """A path as the user would type it: relative to the working directory when inside it.

    The bundled table is named as the README names it, wherever the package is installed.
    """
    from ..resources import default_input

    if Path(path) == default_input():
        return "the bundled data/talks.tsv"
    relative = os.path.relpath(path)
    return path if relative.startswith("..") else relative
