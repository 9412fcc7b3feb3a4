"""Running SPARQL: named or ad-hoc queries, on the embedded store or a remote endpoint.

Parameters are bound safely, never pasted into the query text: each resolved RDF
term goes into its parameter's ``VALUES ?name { UNDEF }`` slot, serialised by
pyoxigraph (so a value holding quotes, braces or ``} UNION {`` stays one
literal), the same way on the embedded store and on a remote endpoint, so both
give the same answers. A
parameter value may be a label or an IRI; it is resolved against the graph itself.

>>> from talkgraph import build
>>> results = run_query("speakers-by-method", store=build().store, method="Bayesian deep learning")
>>> sorted({row["name"] for row in results.rows()})
['Edward Elliott', 'Mike Walmsley', 'Thomas Killestein']
"""

from __future__ import annotations

import difflib
import json
import re
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Iterable

from .. import engine as ox

from .catalogue import NamedQuery, get_query
from ..errors import EndpointError, InputError, ParameterError, QuerySyntaxError, UpdateRefused, shown
from ..vocab.keywords import match_key
from .querycheck import check_query, query_form
from ..tables.table import spreadsheet_safe as _spreadsheet_safe
from ..tables.text import fold

__all__ = ["Results", "EmbeddedStore", "Endpoint", "open_store", "run_query", "run_sparql", "STORE_DIR",
           "parse_params", "bind_values", "format_results"]

#: The folder, inside a build's output folder, that holds the persistent Oxigraph store.
STORE_DIR = "store"
_ERROR_AT = re.compile(r"error at (\d+):(\d+): (.*)", re.DOTALL)
_XSD = "http://www.w3.org/2001/XMLSchema#"
_SKOS = "http://www.w3.org/2004/02/skos/core#"
_NUMERIC = {_XSD + t for t in ("integer", "int", "long", "decimal", "double", "float", "nonNegativeInteger")}


# ------------------------------------------------------------------ results

@dataclass
class Results:
    """The answer to a query: solutions (SELECT), a boolean (ASK) or triples (CONSTRUCT/DESCRIBE)."""

    kind: str  # "select", "ask" or "graph"
    variables: list[str] = field(default_factory=list)
    solutions: list[tuple] = field(default_factory=list)  # pyoxigraph terms or None, in variable order
    boolean: bool | None = None
    triples: list[ox.Triple] = field(default_factory=list)
    truncated: bool = False

    def rows(self) -> list[dict[str, object]]:
        """Solutions as plain dicts: IRIs and strings as ``str``, numbers as ``int``/``float``."""
        return [{name: _python(term) for name, term in zip(self.variables, row) if term is not None}
                for row in self.solutions]

    def __len__(self) -> int:
        return len(self.solutions) if self.kind == "select" else len(self.triples)

    def sort_by(self, columns: tuple[str, ...]) -> "Results":
        """Sort solutions by these columns (numbers as numbers; ``-name`` for descending), then by
        every column, for a total order.

        >>> r = Results("select", ["n", "t"], [(ox.Literal(2), ox.Literal("b")),
        ...                                    (ox.Literal(10), ox.Literal("a")),
        ...                                    (ox.Literal(2), ox.Literal("a"))])
        >>> [(row["n"], row["t"]) for row in r.sort_by(("-n", "t")).rows()]
        [(10, 'a'), (2, 'a'), (2, 'b')]
        """
        # Python's sort is stable: sort by the last key first, each with its own direction.
        self.solutions.sort(key=lambda row: tuple(("" if t is None else t.value) for t in row))
        for column in reversed(columns):
            name = column.lstrip("-")
            if name in self.variables:
                i = self.variables.index(name)
                self.solutions.sort(key=lambda row: _sort_value(row[i]), reverse=column.startswith("-"))
        return self

    def comparable(self) -> list[tuple]:
        """Solutions as tuples of N-Triples strings, for comparing results from two stores."""
        return [tuple(None if term is None else str(term) for term in row) for row in self.solutions]


def _sort_value(term):
    if term is None:
        return (0, "")
    value = _python(term)
    return (1, value) if isinstance(value, (int, float)) and not isinstance(value, bool) else (2, str(value))


def _python(term):
    if isinstance(term, ox.Literal):
        datatype = term.datatype.value
        if datatype in _NUMERIC:
            try:
                return int(term.value) if "integer" in datatype or datatype.endswith(("int", "long")) \
                    else float(term.value)
            except ValueError:
                return term.value
        if datatype == _XSD + "boolean":
            return term.value == "true"
        return term.value
    return term.value


def _materialise(answer, *, limit: int | None = None) -> Results:
    if isinstance(answer, ox.QueryBoolean):
        return Results("ask", boolean=bool(answer))
    if isinstance(answer, ox.QueryTriples):
        triples = []
        for triple in answer:
            if limit is not None and len(triples) >= limit:
                return Results("graph", triples=triples, truncated=True)
            triples.append(triple)
        return Results("graph", triples=triples)
    variables = [v.value for v in answer.variables]
    solutions = []
    for solution in answer:
        if limit is not None and len(solutions) >= limit:
            return Results("select", variables, solutions, truncated=True)
        solutions.append(tuple(solution))  # values in variable order, None where unbound
    return Results("select", variables, solutions)


# ------------------------------------------------------------------ backends

#: The first keyword of a SPARQL 1.1 Update operation, after its PREFIX and BASE declarations.
_UPDATE = re.compile(r"\A(?:\s|#[^\n]*\n|(?:PREFIX\s*[^\s:]*:|BASE)\s*<[^>]*>)*"
                     r"(INSERT|DELETE|LOAD|CLEAR|CREATE|DROP|COPY|MOVE|ADD|WITH)\b", re.IGNORECASE)


def _syntax_check(text: str, source: str) -> str:
    """Parse (by running on an empty store) and return the query form; raise QuerySyntaxError.

    An update is named as such rather than reported as a syntax error at its first keyword.
    Run :func:`~talkgraph.store.querycheck.check_query` first: running, even on an empty store, calls
    the services the query names, and a query nested too deeply crashes the parser.
    """
    try:
        answer = ox.Store().query(text)
    except SyntaxError as error:
        raise _syntax_error(text, source, error) from None
    return "ask" if isinstance(answer, ox.QueryBoolean) else "graph" if isinstance(answer, ox.QueryTriples) \
        else "select"


def _syntax_error(text: str, source: str, error: SyntaxError) -> QuerySyntaxError:
    update = _UPDATE.match(text)
    if update:
        before = text[:update.start(1)]
        return UpdateRefused(source, update[1].upper(), line=before.count("\n") + 1,
                             column=len(before) - before.rfind("\n"))
    found = _ERROR_AT.match(str(error))
    if found:
        return QuerySyntaxError(source, found[3].strip(), line=int(found[1]), column=int(found[2]))
    return QuerySyntaxError(source, str(error), line=None, column=None)


def slot_pattern(name: str) -> re.Pattern:
    """The parameter slot ``VALUES ?name { UNDEF }`` that a named query declares in its WHERE clause."""
    return re.compile(r"VALUES\s+\?" + re.escape(name) + r"\s*\{\s*UNDEF\s*\}")


def bind_values(text: str, bindings: dict[str, ox.NamedNode | ox.Literal]) -> str:
    """The query with each parameter's slot ``VALUES ?name { UNDEF }`` holding its value.

    Unbound, the slot lets the query answer for every value (it runs unchanged in
    any SPARQL tool); bound, it holds one RDF term written by pyoxigraph in
    N-Triples syntax, escapes and all, so no value can close the block or add to
    the query. The slot sits inside the WHERE clause, so the binding restricts the
    pattern before any grouping (a trailing VALUES would be joined after it).
    """
    for name, term in bindings.items():
        text, count = slot_pattern(name).subn(lambda _: f"VALUES ?{name} {{ {term} }}", text, count=1)
        if count != 1:
            raise ParameterError(f"the query has no slot 'VALUES ?{name} {{ UNDEF }}' for its parameter {name!r}")
    return text


class EmbeddedStore:
    """A pyoxigraph store: the build's persistent ``out/store`` or any in-memory one.

    A query may call (SERVICE) only the endpoints in ``allowed_services``.
    """

    def __init__(self, store: ox.Store, *, name: str = "the embedded store", allowed_services: Iterable[str] = ()):
        self.store, self.name, self.allowed_services = store, name, tuple(allowed_services)

    def execute(self, text: str, bindings: dict[str, ox.NamedNode | ox.Literal], *, source: str = "query",
                limit: int | None = None) -> Results:
        check_query(text, source=source, allowed_services=self.allowed_services)
        bound = bind_values(text, bindings)
        try:  # parsed once, here: a syntax check on an empty store would call an allowed service twice
            answer = self.store.query(bound)
        except SyntaxError as error:
            if bound != text:
                _syntax_check(text, source)  # locate the error in the text as written
            raise _syntax_error(text, source, error) from None
        return _materialise(answer, limit=limit)


class Endpoint:
    """A SPARQL 1.1 Protocol endpoint, over HTTP (``--endpoint URL``)."""

    def __init__(self, url: str, *, timeout: float = 60.0, allowed_services: Iterable[str] = ()):
        if not re.match(r"^https?://", url):
            raise EndpointError(url, "is not an http(s) URL", hint="give the endpoint's full URL, e.g. "
                                "http://127.0.0.1:7878/query")
        self.url, self.timeout, self.name = url, timeout, url
        self.allowed_services = tuple(allowed_services)

    def execute(self, text: str, bindings: dict[str, ox.NamedNode | ox.Literal], *, source: str = "query",
                limit: int | None = None) -> Results:
        # Checked here too: a query sent on may be refused there, but the syntax check below runs it here.
        if check_query(text, source=source, allowed_services=self.allowed_services):
            form = query_form(text) or "select"  # not run here: that would call the service from here too
        else:
            form = _syntax_check(text, source)
        text = bind_values(text, bindings)
        accept = "application/n-triples" if form == "graph" else "application/sparql-results+json"
        body = self._post(text, accept)
        try:
            if form == "graph":
                triples = list(ox.parse(body, format=ox.RdfFormat.N_TRIPLES))
                return Results("graph", triples=triples[:limit] if limit else triples,
                               truncated=bool(limit and len(triples) > limit))
            return _materialise(ox.parse_query_results(body, format=ox.QueryResultsFormat.JSON), limit=limit)
        except (SyntaxError, ValueError) as error:
            raise EndpointError(self.url, f"answered with something that is not SPARQL results: {error}") from None

    def _post(self, text: str, accept: str) -> bytes:
        request = urllib.request.Request(self.url, data=urllib.parse.urlencode({"query": text}).encode(),
                                         headers={"Accept": accept,
                                                  "Content-Type": "application/x-www-form-urlencoded"})
        try:
            with urllib.request.urlopen(request, timeout=self.timeout) as response:
                return response.read()
        except urllib.error.HTTPError as error:
            detail = error.read().decode("utf-8", "replace").strip().splitlines()[:3]
            raise EndpointError(self.url, f"HTTP {error.code} {error.reason}: {' '.join(detail)}") from None
        except (urllib.error.URLError, OSError) as error:
            raise EndpointError(self.url, f"cannot connect: {getattr(error, 'reason', error)}") from None


def open_store(location: str | Path | ox.Store | None = None, *, allowed_services: Iterable[str] = ()) \
        -> EmbeddedStore:
    """The store of a build folder (``out/`` → ``out/store``), read-only, or a given pyoxigraph Store.

    The output folder's current build is looked up once, here (:func:`talkgraph.store.folder.resolve`): the
    store stays that build's, even if a new build is switched in while it is open.
    """
    from .folder import resolve

    if isinstance(location, ox.Store):
        return EmbeddedStore(location, allowed_services=allowed_services)
    folder = Path(location or "out")
    real = resolve(folder)
    path = real / STORE_DIR if (real / STORE_DIR).is_dir() else real
    if not (path / "CURRENT").exists():
        raise InputError(folder, "no talkgraph store here", hint="run `talkgraph build` first; it writes "
                         f"{Path(folder) / STORE_DIR}/ beside graph.ttl (or use --endpoint URL)")
    try:
        return EmbeddedStore(ox.Store.read_only(str(path)), name=str(path), allowed_services=allowed_services)
    except OSError as error:
        raise InputError(path, f"cannot open the store: {error}") from None


# ------------------------------------------------------------------ parameters

class _Resolver:
    """Turns parameter values (labels, names, titles or IRIs) into RDF terms, by asking the graph."""

    _EXACT = {"person": "SELECT DISTINCT ?x WHERE { VALUES ?label { UNDEF } ?x a <http://schema.org/Person> ; "
                        "<http://schema.org/name>|<http://schema.org/alternateName> ?label }",
              "talk": "SELECT DISTINCT ?x WHERE { VALUES ?label { UNDEF } ?x a <https://w3id.org/talkgraph/ns#Talk> ; "
                      "<http://purl.org/dc/terms/title> ?label }"}

    _SCAN = {
        "concept": "SELECT ?x ?label WHERE { ?x <http://www.w3.org/2004/02/skos/core#prefLabel>|"
                   "<http://www.w3.org/2004/02/skos/core#altLabel>|<http://www.w3.org/2004/02/skos/core#hiddenLabel> "
                   "?label }",
        "person": "SELECT ?x ?label WHERE { ?x a <http://schema.org/Person> ; "
                  "<http://schema.org/name>|<http://schema.org/alternateName> ?label }",
        "talk": "SELECT ?x ?label WHERE { ?x a <https://w3id.org/talkgraph/ns#Talk> ; "
                "<http://purl.org/dc/terms/title> ?label }",
    }
    NORMALISE = {"concept": match_key, "person": lambda s: " ".join(fold(s).split()),
                 "talk": lambda s: " ".join(s.casefold().split())}

    def __init__(self, backend):
        self.backend = backend

    #: The class an IRI given for a parameter of each kind must have, and words for the classes it may have.
    _CLASSES = {"concept": _SKOS + "Concept", "person": "http://schema.org/Person",
                "talk": "https://w3id.org/talkgraph/ns#Talk"}
    _CLASS_WORDS = {**{iri: kind for kind, iri in _CLASSES.items()}, _SKOS + "ConceptScheme": "concept scheme",
                    "https://w3id.org/talkgraph/ns#Meeting": "meeting",
                    "https://w3id.org/talkgraph/ns#SourceTable": "source table",
                    "https://w3id.org/talkgraph/ns#Build": "build", "http://www.w3.org/ns/oa#Annotation":
                    "annotation (the evidence of a mention)"}
    _TYPES = "SELECT DISTINCT ?type WHERE { VALUES ?x { UNDEF } ?x a ?type }"
    _USED = "ASK { VALUES ?x { UNDEF } { ?x ?p ?o } UNION { ?s ?p ?x } }"
    _MAPPED = ("SELECT DISTINCT ?c WHERE { VALUES ?x { UNDEF } ?c <" + _SKOS + "exactMatch>|<" + _SKOS +
               "closeMatch>|<" + _SKOS + "broadMatch>|<" + _SKOS + "narrowMatch>|<" + _SKOS + "relatedMatch> ?x }")

    def _index(self, kind: str) -> tuple[dict[str, set[str]], list[str]]:
        """Normalised label → IRIs, and the labels as written (for suggestions).

        Concept labels are few and kept with the backend; people and talks can be
        100,000s, so they are only scanned when an exact lookup found nothing.
        """
        cached = self.backend.__dict__.setdefault("_label_indexes", {})
        if kind in cached:
            return cached[kind]
        index: dict[str, set[str]] = {}
        labels: list[str] = []
        for row in self.backend.execute(self._SCAN[kind], {}).solutions:
            index.setdefault(self.NORMALISE[kind](row[1].value), set()).add(row[0].value)
            labels.append(row[1].value)
        if kind == "concept":
            cached[kind] = (index, labels)
        return index, labels

    def _check_kind(self, query: NamedQuery, name: str, kind: str, node: ox.NamedNode) -> None:
        """Raise :class:`ParameterError` unless ``node`` is a ``kind`` of the graph: a person's IRI
        given for a concept would otherwise match nothing, silently."""
        types = {row[0].value for row in self.backend.execute(self._TYPES, {"x": node}).solutions
                 if isinstance(row[0], ox.NamedNode)}
        if self._CLASSES[kind] in types:
            return
        wants = f"parameter {name!r} of {query.name} wants a {kind}"
        iri = f"<{node.value}>" if len(node.value) <= 200 else shown(node.value, limit=200)
        hint = f"give {PARAM_HELP[kind]}"
        if types:
            words = sorted(self._CLASS_WORDS.get(t) or t.rstrip("/#").rsplit("/", 1)[-1].rsplit("#", 1)[-1]
                           for t in types)
            article = "an" if words[0][:1] in "aeiou" else "a"
            raise ParameterError(f"{iri} is {article} {' and '.join(words)}, not a {kind}; {wants}", hint=hint)
        if kind == "concept":
            mapped = sorted(row[0].value for row in self.backend.execute(self._MAPPED, {"x": node}).solutions)
            if mapped:
                hint = f"the graph's concept <{mapped[0]}> maps to it: give that IRI (or one of its labels)"
        if self.backend.execute(self._USED, {"x": node}).boolean:
            raise ParameterError(f"{iri} is not a {kind} of the graph (it appears there only as a value); {wants}",
                                 hint=hint)
        raise ParameterError(f"{iri} is not in the graph; {wants}", hint=hint)

    def resolve(self, query: NamedQuery, name: str, value: str) -> ox.NamedNode | ox.Literal:
        param = query.param(name)
        kind = param.kind
        if kind == "string":
            return ox.Literal(value)
        if kind == "integer":
            if not re.fullmatch(r"[+-]?\d+", value.strip()):
                raise ParameterError(f"parameter {name!r} of {query.name} must be a whole number, not {shown(value)}")
            return ox.Literal(value.strip(), datatype=ox.NamedNode(_XSD + "integer"))
        iri = value.strip()
        if iri.startswith("<") and iri.endswith(">"):
            iri = iri[1:-1]
        if kind == "iri" or re.match(r"^[a-zA-Z][a-zA-Z0-9+.-]*://\S+$", iri):
            try:
                node = ox.NamedNode(iri)
            except ValueError:
                raise ParameterError(f"parameter {name!r}: {shown(value)} is not a valid IRI") from None
            if kind in self._CLASSES:
                self._check_kind(query, name, kind, node)
            return node
        found, labels = [], []
        if kind in self._EXACT:  # the exact name or title is an index lookup, even among 100,000 talks
            exact = self.backend.execute(self._EXACT[kind], {"label": ox.Literal(value.strip())})
            found = sorted({row[0].value for row in exact.solutions})
        if not found:
            index, labels = self._index(kind)
            found = sorted(index.get(self.NORMALISE[kind](value), ()))
        if not found:
            close = difflib.get_close_matches(value[:200], sorted(set(labels)), n=4, cutoff=0.6)
            raise ParameterError(f"no {kind} in the graph is called {shown(value)} (parameter {name!r} of {query.name})",
                                 hint=f"did you mean {', '.join(repr(c) for c in close)}?" if close else
                                 f"give {PARAM_HELP[kind]}")
        if len(found) > 1:
            raise ParameterError(f"{shown(value)} names {len(found)} {kind}s: {', '.join(found)}",
                                 hint="give the IRI of the one you mean")
        return ox.NamedNode(found[0])


PARAM_HELP = {"concept": "one of its labels or its IRI (see `talkgraph query --sparql` to list them)",
              "person": "the speaker's full name or IRI", "talk": "the talk's exact title or its IRI"}


def parse_params(pairs: Iterable[str]) -> dict[str, str]:
    """``["method=CNN", "speaker=Mike Walmsley"]`` → a dict; raise ParameterError on a malformed pair."""
    params = {}
    for pair in pairs:
        name, equals, value = pair.partition("=")
        if not equals or not name.strip():
            raise ParameterError(f"--param {shown(pair)} is not NAME=VALUE", hint="e.g. --param method=CNN")
        params[name.strip()] = value
    return params


# ------------------------------------------------------------------ entry points

def _backend(store, endpoint, allowed_services: Iterable[str] = ()):
    if endpoint:
        return Endpoint(endpoint, allowed_services=allowed_services) if isinstance(endpoint, str) else endpoint
    if isinstance(store, (EmbeddedStore, Endpoint)):
        return store
    return open_store(store, allowed_services=allowed_services)


def run_query(name: str | NamedQuery, *, store=None, endpoint: str | Endpoint | None = None,
              params: dict[str, str] | None = None, limit: int | None = None, use_defaults: bool = True,
              **keyword_params) -> Results:
    """Run a named query with its parameters; labels are resolved to IRIs against the graph.

    ``store`` is a build folder (default ``out/``), a pyoxigraph Store or an
    :class:`EmbeddedStore`; ``endpoint`` a SPARQL endpoint URL instead. A parameter
    that is not given takes its default from the query header.
    """
    query = name if isinstance(name, NamedQuery) else get_query(name)
    given = {**(params or {}), **keyword_params}
    unknown = sorted(set(given) - {p.name for p in query.params})
    if unknown:
        known = ", ".join(p.name for p in query.params) or "none"
        raise ParameterError(f"{query.name} has no parameter {', '.join(map(shown, unknown))}",
                             hint=f"its parameters are: {known}")
    backend = _backend(store, endpoint)
    resolver = _Resolver(backend)
    bindings = {}
    for param in query.params:
        value = given.get(param.name, param.default if use_defaults else None)
        if value is None:
            raise ParameterError(f"{query.name} needs the parameter {param.name!r} ({param.doc or param.kind})",
                                 hint=f"add --param {param.name}=VALUE")
        bindings[param.name] = resolver.resolve(query, param.name, str(value))
    if not query.order:
        return backend.execute(query.text, bindings, source=query.path or query.name, limit=limit)
    # Ordered by talkgraph: a capped answer is the first rows of the whole answer, so fetch it all.
    results = backend.execute(query.text, bindings, source=query.path or query.name).sort_by(query.order)
    if limit is not None and len(results.solutions) > limit:
        del results.solutions[limit:]
        results.truncated = True
    return results


def run_sparql(text: str, *, store=None, endpoint: str | Endpoint | None = None, source: str = "query",
               limit: int | None = None, allowed_services: Iterable[str] = ()) -> Results:
    """Run the SPARQL query ``text`` as it is.

    It may call (SERVICE) only the endpoints in ``allowed_services``; a query nested too
    deeply for the engine is refused (see :mod:`talkgraph.store.querycheck`).
    """
    return _backend(store, endpoint, allowed_services).execute(text, {}, source=source, limit=limit)


# ------------------------------------------------------------------ serialising results

@cache
def _display_prefixes() -> list[tuple[str, str]]:
    from ..namespaces import DEFAULT_BASE_IRI
    from ..namespaces import data_prefixes

    return sorted(data_prefixes(DEFAULT_BASE_IRI).items(), key=lambda item: -len(item[1]))


def _short(term) -> str:
    if term is None:
        return ""
    if isinstance(term, ox.NamedNode):
        for name, namespace in _display_prefixes():
            if term.value.startswith(namespace) and len(term.value) > len(namespace):
                return f"{name}:{term.value[len(namespace):]}"
        return term.value
    return term.value


def _json_term(term) -> dict:
    if isinstance(term, ox.NamedNode):
        return {"type": "uri", "value": term.value}
    if isinstance(term, ox.BlankNode):
        return {"type": "bnode", "value": term.value}
    out = {"type": "literal", "value": term.value}
    if term.language:
        out["xml:lang"] = term.language
    elif term.datatype.value != _XSD + "string":
        out["datatype"] = term.datatype.value
    return out


def _xml(results: Results) -> str:
    """SPARQL Query Results XML Format."""
    from xml.sax.saxutils import escape, quoteattr

    out = ['<?xml version="1.0"?>', '<sparql xmlns="http://www.w3.org/2005/sparql-results#">', "<head>"]
    out += [f"<variable name={quoteattr(v)}/>" for v in results.variables]
    out.append("</head>")
    if results.kind == "ask":
        out.append(f"<boolean>{'true' if results.boolean else 'false'}</boolean>")
    else:
        out.append("<results>")
        for row in results.solutions:
            out.append("<result>")
            for name, term in zip(results.variables, row):
                if term is None:
                    continue
                if isinstance(term, ox.NamedNode):
                    value = f"<uri>{escape(term.value)}</uri>"
                elif isinstance(term, ox.BlankNode):
                    value = f"<bnode>{escape(term.value)}</bnode>"
                elif term.language:
                    value = f"<literal xml:lang={quoteattr(term.language)}>{escape(term.value)}</literal>"
                elif term.datatype.value != _XSD + "string":
                    value = f"<literal datatype={quoteattr(term.datatype.value)}>{escape(term.value)}</literal>"
                else:
                    value = f"<literal>{escape(term.value)}</literal>"
                out.append(f"<binding name={quoteattr(name)}>{value}</binding>")
            out.append("</result>")
        out.append("</results>")
    out.append("</sparql>")
    return "\n".join(out) + "\n"


def _csv_cell(value: str) -> str:
    return f'"{value.replace(chr(34), chr(34) * 2)}"' if any(c in value for c in ',"\r\n') else value


def _tsv_term(term, safe: bool) -> str:
    if term is None:
        return ""
    if safe and isinstance(term, ox.Literal):
        value = _spreadsheet_safe(term.value)
        if value != term.value:
            term = ox.Literal(value, language=term.language) if term.language else \
                ox.Literal(value, datatype=term.datatype)
    return str(term)


def format_results(results: Results, fmt: str, *, spreadsheet_safe: bool = False) -> str:
    """Render as ``table``, ``csv`` or ``tsv`` (SPARQL 1.1 CSV/TSV), ``json`` (SPARQL 1.1 JSON), ``xml`` or ``md``.

    CONSTRUCT and DESCRIBE results are JSON-LD for ``json`` and Turtle for every other format.
    With ``spreadsheet_safe``, CSV and TSV cells (the text of literals) that a spreadsheet would
    run as a formula get a leading ``'`` (see :func:`talkgraph.tables.table.spreadsheet_safe`; numbers are
    left alone); without it they are exactly as SPARQL 1.1 defines them.

    >>> r = Results("select", ["x", "n"], [(ox.Literal("=1+1"), ox.Literal(-3))])
    >>> format_results(r, "csv", spreadsheet_safe=True)
    "x,n\\r\\n'=1+1,-3\\r\\n"
    >>> format_results(r, "csv")
    'x,n\\r\\n=1+1,-3\\r\\n'
    """
    if results.kind == "graph" and fmt == "json":
        return ox.serialize(results.triples, format=ox.RdfFormat.JSON_LD).decode("utf-8") + "\n"
    if results.kind == "graph":
        from ..namespaces import data_prefixes
        from ..namespaces import DEFAULT_BASE_IRI
        return ox.serialize(results.triples, format=ox.RdfFormat.TURTLE,
                            prefixes=data_prefixes(DEFAULT_BASE_IRI)).decode("utf-8")
    if fmt == "json":
        if results.kind == "ask":
            return json.dumps({"head": {}, "boolean": results.boolean}) + "\n"
        bindings = [{name: _json_term(term) for name, term in zip(results.variables, row) if term is not None}
                    for row in results.solutions]
        return json.dumps({"head": {"vars": results.variables}, "results": {"bindings": bindings}},
                          ensure_ascii=False, indent=1) + "\n"
    if fmt == "xml":
        return _xml(results)
    if results.kind == "ask":
        return ("true" if results.boolean else "false") + "\n"
    if fmt == "csv":
        lines = [",".join(results.variables)]
        cell = _spreadsheet_safe if spreadsheet_safe else str
        lines += [",".join(_csv_cell("" if t is None else cell(t.value)) for t in row) for row in results.solutions]
        return "\r\n".join(lines) + "\r\n"
    if fmt == "tsv":
        lines = ["\t".join(f"?{v}" for v in results.variables)]
        lines += ["\t".join(_tsv_term(t, spreadsheet_safe) for t in row) for row in results.solutions]
        return "\n".join(lines) + "\n"
    cells = [[_short(t).replace("\n", " ") for t in row] for row in results.solutions]
    if fmt == "md":
        escape = lambda s: s.replace("|", "\\|")  # noqa: E731
        lines = ["| " + " | ".join(results.variables) + " |", "|" + "---|" * len(results.variables)]
        lines += ["| " + " | ".join(escape(c) for c in row) + " |" for row in cells]
        return "\n".join(lines) + "\n"
    widths = [min(60, max([len(v)] + [len(row[i]) for row in cells])) for i, v in enumerate(results.variables)]
    clip = lambda s, w: s if len(s) <= w else s[:w - 1] + "…"  # noqa: E731
    lines = ["  ".join(v.ljust(w) for v, w in zip(results.variables, widths)).rstrip(),
             "  ".join("-" * w for w in widths)]
    lines += ["  ".join(clip(c, w).ljust(w) for c, w in zip(row, widths)).rstrip() for row in cells]
    lines.append(f"({len(cells)} row{'s' if len(cells) != 1 else ''})")
    return "\n".join(lines) + "\n"
