"""Typed errors raised by the library; the CLI turns each into a one-line message.

Library code never exits: it raises one of these, and :mod:`talkgraph.cli` maps the
class to a documented exit code (see ``EXIT_CODES``).
"""

from __future__ import annotations

from pathlib import Path

__all__ = [
    "TalkgraphError",
    "InputError",
    "MissingColumnError",
    "ColumnError",
    "VocabularyError",
    "ValidationError",
    "OutputError",
    "Interrupted",
    "QueryRefused",
    "ServiceRefused",
    "QueryTooDeep",
    "EXIT_CODES",
    "shown",
]


def shown(value: object, *, limit: int = 80, quoted: bool = True) -> str:
    """A value the user gave, quoted for an error message, cut to ``limit`` characters.

    Every message that echoes input (a header, a cell, a parameter, a URL) goes through this,
    so a 50,000-character header costs one readable line, not a screenful.

    >>> shown("Title")
    "'Title'"
    >>> shown("x" * 50_000, limit=5)
    "'xxxxx…' (50,000 characters)"
    >>> shown("<http://x.org/sparql>", quoted=False)  # as written in a query or on a command line
    '<http://x.org/sparql>'
    """
    text = str(value)
    quote = repr if quoted else str
    if len(text) <= limit:
        return quote(text)
    return f"{quote(text[:limit] + '…')} ({len(text):,} characters)"


def _shown_list(values: list[str], *, most: int = 12) -> str:
    listed = ", ".join(shown(v) for v in values[:most])
    return listed + (f" and {len(values) - most:,} more" if len(values) > most else "")


class TalkgraphError(Exception):
    """Base class of every error talkgraph raises on purpose."""

    exit_code = 2
    hint: str | None = None

    def __str__(self) -> str:  # message plus what to do next
        text = self.args[0] if self.args else self.__class__.__name__
        return f"{text}\n  hint: {self.hint}" if self.hint else str(text)


class InputError(TalkgraphError):
    """A problem with an input file, located by file, line and column."""

    def __init__(self, path: str | Path | None, message: str, *, line: int | None = None,
                 column: int | None = None, hint: str | None = None):
        self.path = str(path) if path is not None else None
        self.line = line
        self.column = column
        self.message = message
        self.hint = hint
        where = self.path or "<input>"
        if line is not None:
            where += f":{line}"
            if column is not None:
                where += f":{column}"
        super().__init__(f"{where}: {message}")


def require_file(path: str | Path, *, hint: str) -> Path:
    """``path`` as a Path if it is a file; else raise :class:`InputError` saying what is there instead."""
    path = Path(path)
    if not path.is_file():
        raise InputError(path, "is a folder, not a file" if path.is_dir() else "no such file", hint=hint)
    return path


class MissingColumnError(InputError):
    """A required column is absent from the header row."""

    def __init__(self, path, *, missing: list[str], found: list[str], line: int | None, hint: str | None = None):
        self.missing = missing
        self.found = found
        super().__init__(
            path,
            f"missing required column{'s' if len(missing) > 1 else ''}: {' and '.join(missing)}; "
            f"the header row has: {_shown_list(found) or '(nothing)'}",
            line=line,
            hint=hint or "rename the column in the table (names are matched ignoring case and spaces; "
            "'Title', 'Speaker', 'Last Name' and similar names work), see docs/tables.md",
        )


class ColumnError(TalkgraphError):
    """A column named by hand (``--column ROLE=HEADER``, ``columns=``) cannot be used: the role is
    unknown or given twice, the table has no such header, or one header is given two roles."""

    def __init__(self, message: str, *, path: str | Path | None = None, line: int | None = None,
                 role: str | None = None, header: str | None = None, found: list[str] | None = None,
                 hint: str | None = None):
        self.path = None if path is None else str(path)
        self.line, self.role, self.header, self.found, self.hint = line, role, header, found or [], hint
        where = "" if path is None else f"{path}:{line}: " if line is not None else f"{path}: "
        super().__init__(where + message)


class VocabularyError(TalkgraphError):
    """A vocabulary file is malformed (e.g. two concepts share a matching key)."""


class ValidationError(TalkgraphError):
    """The built graph does not conform to the SHACL shapes."""

    exit_code = 1

    def __init__(self, report_text: str, *, violations: int, report: str | Path | None = None):
        self.report_text = report_text
        self.violations = violations
        self.report = None if report is None else str(report)
        where = "" if report is None else (f"; nothing was switched in (the outputs beside it are the previous "
                                           f"build's), its report is {report}")
        super().__init__(f"the graph does not conform to the shapes ({violations} violation(s)){where}\n{report_text}")


class OutputError(TalkgraphError):
    """An output file or folder cannot be written (missing or read-only folder, a file in the way, full disk)."""

    def __init__(self, path: str | Path, reason: OSError | str):
        self.path = str(path)
        reason = reason.strerror or str(reason) if isinstance(reason, OSError) else reason
        self.hint = ("choose another output path, or check that its folder can be created and written to "
                     "and that the disk has room")
        super().__init__(f"{self.path}: cannot write here: {reason}")


class Interrupted(KeyboardInterrupt):
    """The process was asked to stop by a signal (SIGINT: Ctrl-C, or SIGTERM).

    A :class:`KeyboardInterrupt`, so that every ``except Exception`` lets it through and every
    clean-up on the way out runs, as for Ctrl-C. The exit code is the shell's, 128 + the signal.
    """

    def __init__(self, signal_number: int):
        import signal

        self.signal_number = signal_number
        self.exit_code = 128 + signal_number
        super().__init__(signal.Signals(signal_number).name)


#: Exit codes of the command line, documented in the README.
EXIT_CODES = {
    0: "success (the graph conforms; rows may have been rejected, see the report)",
    1: "the graph does not conform to the SHACL shapes",
    2: "usage or input error (bad option, unreadable file, missing column, unwritable output, ...): "
       "nothing written",
    3: "--strict was given and some rows were rejected (outputs are written)",
    130: "stopped by Ctrl-C (SIGINT): the outputs are those of the last complete build, nothing half-written",
    143: "stopped by SIGTERM: the outputs are those of the last complete build, nothing half-written",
}


class UnknownQuery(TalkgraphError):
    """No named query has this name; ``suggestions`` are the nearest names."""

    def __init__(self, name: str, known: list[str]):
        import difflib

        self.name, self.known = name, known
        self.suggestions = difflib.get_close_matches(name[:200], known, n=3, cutoff=0.4)
        self.hint = (f"did you mean {' or '.join(self.suggestions)}?" if self.suggestions else
                     "`talkgraph queries` lists them")
        super().__init__(f"no query named {shown(name)}")  # a URL path can be 50,000 characters


class ParameterError(TalkgraphError):
    """A query parameter is missing, unknown, or names nothing in the graph."""

    def __init__(self, message: str, *, hint: str | None = None):
        self.hint = hint
        super().__init__(message)


class QuerySyntaxError(TalkgraphError):
    """A SPARQL query does not parse; ``line`` and ``column`` locate the problem."""

    def __init__(self, source: str, message: str, *, line: int | None, column: int | None):
        self.line, self.column = line, column
        where = f"{source}:{line}:{column}" if line else source
        self.hint = "check the query against the SPARQL 1.1 grammar at that position"
        super().__init__(f"{where}: SPARQL syntax error: {message}")


class UpdateRefused(QuerySyntaxError):
    """A SPARQL update was given where talkgraph expects a query; ``line`` and ``column`` locate its keyword."""

    def __init__(self, source: str, operation: str, *, line: int, column: int):
        self.line, self.column, self.operation = line, column, operation
        self.hint = ("talkgraph only reads the graph: ask with SELECT, ASK, CONSTRUCT or DESCRIBE "
                     "(to change the graph, change the table and build again)")
        TalkgraphError.__init__(self, f"{source}:{line}:{column}: this is a SPARQL update ({operation}), "
                                "not a query")


class EndpointError(TalkgraphError):
    """A remote SPARQL endpoint or graph store could not be used."""

    def __init__(self, url: str, message: str, *, hint: str | None = None):
        self.url = url
        self.hint = hint or "check that the server is running and the URL is its SPARQL endpoint"
        super().__init__(f"{url if len(url) <= 200 else shown(url, limit=200)}: {message}")


class QueryRefused(TalkgraphError):
    """A query that talkgraph will not give to the engine, for what its text would make the engine do."""

    def __init__(self, source: str, message: str, *, line: int, column: int, hint: str):
        self.line, self.column, self.hint = line, column, hint
        super().__init__(f"{source}:{line}:{column}: {message}")


class ServiceRefused(QueryRefused):
    """The query calls a remote service (``SERVICE``) whose endpoint is not allowed."""

    def __init__(self, source: str, written: str, endpoint: str | None, *, line: int, column: int):
        self.endpoint = endpoint
        if endpoint is None:
            hint = ("only SERVICE <IRI> with the endpoint's full IRI can be allowed, and only with "
                    "--allow-service IRI")
        else:
            hint = f"if you trust that endpoint, allow it with --allow-service {shown(endpoint, limit=200, quoted=False)}"
        super().__init__(source, f"the query calls a remote service (SERVICE {shown(written, limit=200, quoted=False)}), and talkgraph "
                         "sends no request from a query to an endpoint that is not allowed",
                         line=line, column=column, hint=hint)


class QueryTooDeep(QueryRefused):
    """The query's tree is deeper than the engine can evaluate without overflowing its stack."""

    def __init__(self, source: str, depth: int, limit: int, *, line: int, column: int):
        self.depth, self.limit = depth, limit
        super().__init__(source, f"query nested too deeply: {depth:,} levels (the limit is {limit:,}); levels are "
                         "brackets { ( [ and repeated UNION, OPTIONAL, BIND, FILTER and operators",
                         line=line, column=column,
                         hint="split the query, or write a long list of alternatives as VALUES or IN (...)")
