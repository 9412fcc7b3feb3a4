"""The embedded store: opening the graph of a build (:func:`open_store`) and running queries on it.

Every reader of a build's graph opens it here: ``talkgraph query``, ``serve`` (and each of
its workers), ``stats``, ``export`` and ``view``. A query's syntax errors, and an update
given as a query, are located in the query's text as written.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Iterable

from .. import engine as ox
from ..errors import InputError, QuerySyntaxError, UpdateRefused, shown
from ..model.linkindex import INDEX_DIR, LinkIndex
from .folder import STORE_DIR, resolve
from .parameters import bind_values
from .querycheck import check_query, first_keyword, line_column, query_form, token_at, update_operation
from .results import Results, from_answer

__all__ = ["EmbeddedStore", "open_store", "syntax_check"]

_ERROR_AT = re.compile(r"error at (\d+):(\d+): (.*)", re.DOTALL)
#: What the parser says could come at an error: quoted symbols and keywords (then its character
#: classes, ``['A' ..= 'Z' | …]``, which mean nothing to a user and are left out).
_EXPECTED = re.compile(r'"((?:[^"\\]|\\.)*)"|([A-Za-z][A-Za-z0-9_]*)')
#: The most alternatives named in a syntax error; more say only where it is.
_MOST_EXPECTED = 6
_NO_GRAPH_HINT = "give a build folder such as out/ (`talkgraph build` writes one)"


class EmbeddedStore:
    """A pyoxigraph store: a build's persistent store (``path`` is its folder) or one in memory (``path`` is None).

    A query may call (SERVICE) only the endpoints in ``allowed_services``.
    """

    def __init__(self, store: ox.Store, *, path: Path | None = None, allowed_services: Iterable[str] = ()):
        self.store, self.path, self.allowed_services = store, path, tuple(allowed_services)
        self._index: LinkIndex | None | bool = False  # not read yet

    @property
    def index(self) -> LinkIndex | None:
        """The links index of the build whose store this is (read on first use), or None: a store in
        memory, or a build without one (the queries then find their rows alone, :mod:`talkgraph.store.pruning`)."""
        if self._index is False:
            folder = self.path.parent / INDEX_DIR if self.path is not None and self.path.name == STORE_DIR else None
            try:
                self._index = LinkIndex.read(folder) if folder is not None and folder.is_dir() else None
            except (OSError, ValueError):
                self._index = None  # a damaged index costs speed, never answers
            if self._index is not None and not (self._index.build.startswith(("http://", "https://")) and self.store.query(
                    f"ASK {{ <{self._index.build}> a <https://w3id.org/talkgraph/ns#Build> }}")):
                self._index = None  # another build's index (copied in by hand): not this store's
        return self._index

    def execute(self, text: str, bindings: dict[str, ox.NamedNode | ox.Literal], *, source: str = "query",
                limit: int | None = None, prefixes: dict[str, str] | None = None) -> Results:
        """Run ``text`` with ``bindings`` in its parameter slots; ``prefixes`` (name → namespace) are
        declared for it unless it declares them itself."""
        check_query(text, source=source, allowed_services=self.allowed_services)
        bound = bind_values(text, bindings)
        try:  # parsed once, here: a syntax check on an empty store would call an allowed service twice
            answer = self.store.query(bound, prefixes=prefixes or None)
        except SyntaxError as error:
            if bound != text:
                syntax_check(text, source, prefixes=prefixes)  # locate the error in the text as written
            raise _syntax_error(text, source, error) from None
        return from_answer(answer, limit=limit)


def open_store(location: str | Path | ox.Store | None = None, *, allowed_services: Iterable[str] = ()) \
        -> EmbeddedStore:
    """The graph at ``location``, ready to query.

    ``location`` is a build folder (default ``out/``: its ``store``, opened read-only; a folder
    with no store gives its ``graph.nt`` or ``graph.ttl``), a store's own folder, an RDF file
    (N-Triples if it ends in ``.nt``, else Turtle) parsed into memory, or a pyoxigraph Store.
    The output folder's current build is looked up once, here (:func:`talkgraph.store.folder.resolve`):
    the store stays that build's, even if a new build is switched in while it is open.

    >>> open_store("nowhere")
    Traceback (most recent call last):
    ...
    talkgraph.errors.InputError: nowhere: no such file or folder, so no talkgraph store here
      hint: give a build folder such as out/ (`talkgraph build` writes one)
    """
    if isinstance(location, ox.Store):
        return EmbeddedStore(location, allowed_services=allowed_services)
    given = Path(location or "out")
    real = resolve(given)
    if real.is_dir():
        for path in (real / STORE_DIR, real):
            if (path / "CURRENT").exists():
                try:
                    return EmbeddedStore(ox.Store.read_only(str(path)), path=path, allowed_services=allowed_services)
                except OSError as error:
                    raise InputError(path, f"cannot open the store: {error}") from None
        files = [real / name for name in ("graph.nt", "graph.ttl") if (real / name).is_file()]
        if not files:
            raise InputError(given, "no talkgraph store, graph.nt or graph.ttl here", hint=_NO_GRAPH_HINT)
        real = files[0]
    elif not real.is_file():
        raise InputError(given, "no such file or folder, so no talkgraph store here", hint=_NO_GRAPH_HINT)
    store = ox.Store()
    try:
        store.bulk_load(path=str(real), format=ox.RdfFormat.N_TRIPLES if real.suffix == ".nt" else ox.RdfFormat.TURTLE)
    except SyntaxError as error:
        raise InputError(real, f"not valid RDF: {error}") from None
    return EmbeddedStore(store, allowed_services=allowed_services)


def syntax_check(text: str, source: str, *, prefixes: dict[str, str] | None = None) -> str:
    """Parse (by running on an empty store) and return the query form; raise QuerySyntaxError.

    An update is named as such rather than reported as a syntax error at its first keyword.
    Run :func:`~talkgraph.store.querycheck.check_query` first: running, even on an empty store, calls
    the services the query names, and a query nested too deeply crashes the parser.
    """
    try:
        answer = ox.Store().query(text, prefixes=prefixes or None)
    except SyntaxError as error:
        raise _syntax_error(text, source, error) from None
    return "ask" if isinstance(answer, ox.QueryBoolean) else "graph" if isinstance(answer, ox.QueryTriples) \
        else "select"


def _syntax_error(text: str, source: str, error: SyntaxError) -> QuerySyntaxError:
    update = update_operation(text)
    if update:
        operation, line, column = update
        return UpdateRefused(source, operation, line=line, column=column)
    first = first_keyword(text)
    if first is not None and query_form(text) is None:  # "SELEC ?s WHERE …": the parser would blame WHERE
        line, column = line_column(text, first[1])
        word = text[first[1]:first[1] + len(first[0])]
        return QuerySyntaxError(source, f"a query starts with SELECT, CONSTRUCT, ASK or DESCRIBE (after its PREFIX "
                                        f"and BASE lines), not {shown(word, limit=40)}", line=line, column=column)
    found = _ERROR_AT.match(str(error))
    if found:
        line, column = int(found[1]), int(found[2])
        return QuerySyntaxError(source, _what_went_wrong(text, line, column, found[3]), line=line, column=column)
    return QuerySyntaxError(source, shown(str(error).splitlines()[0] if str(error) else "", limit=200, quoted=False),
                            line=None, column=None)


def _what_went_wrong(text: str, line: int, column: int, parser_message: str) -> str:
    """One line for the user: the token at the error, and what could come there when the parser
    says so briefly (never its grammar of character ranges)."""
    token, _ = token_at(text, line, column)
    at = f"at {shown(token, limit=40)}" if token else "at the end of the query"
    if "Prefix not found" in parser_message and ":" in token:
        name = token.split(":", 1)[0]
        return (f"the prefix {name}: of {shown(token, limit=40)} is not declared (add PREFIX {name}: <…>; "
                "`talkgraph prefixes` lists the project's, which `talkgraph query --sparql` declares for you)")
    listed = parser_message.partition("expected")[2].removeprefix(" one of").split("[", 1)[0]
    expected = [quoted or word for quoted, word in _EXPECTED.findall(listed)]
    if '\\"' in expected:  # what may come inside a string: the string is not closed
        return "a string is not closed before the end of the query"
    if expected and len(expected) <= _MOST_EXPECTED:
        return f"{at}; expected {' or '.join(shown(item, limit=20) for item in expected)}"
    return at

