"""Checks made on a SPARQL query's text before any query engine sees it.

Two dangers come from the text of a query, not from what it asks for:

* ``SERVICE <iri> { … }`` makes Oxigraph send an HTTP request to any address and use
  what comes back: a read-only endpoint on a laptop would become a proxy into its
  user's network. pyoxigraph offers no switch to turn federation off, so the query's
  tokens are read here and every SERVICE whose endpoint is not explicitly allowed is
  refused (:class:`~talkgraph.errors.ServiceRefused`).
* Oxigraph's parser and evaluator recurse once per level of the query's tree: a few
  thousand nested ``{`` or ``(``, or a chain of a few thousand ``UNION``, ``BIND`` or
  ``+``, overflow the stack and kill the process outright (a segmentation fault, which
  no ``except`` catches). The depth is measured here and refused above
  :data:`MAX_DEPTH` (:class:`~talkgraph.errors.QueryTooDeep`).

The lexer follows the SPARQL 1.1 terminals (strings, IRIs, comments, prefixed names,
variables), so ``SERVICE`` inside a string, an IRI or a comment is not a call. Where the
engine reads a keyword more eagerly than the grammar says (it takes ``SERVICE:x`` as
``SERVICE :x`` and ``SERVICESILENT`` as ``SERVICE SILENT``) the check errs on the side of
refusing.

>>> check_query("SELECT * { ?s ?p 'SERVICE <http://example.org/>' } # SERVICE")
()
>>> check_query("select * { service <http://example.org/sparql> { ?s ?p ?o } }",
...             allowed_services=["http://example.org/sparql"])
('http://example.org/sparql',)
>>> check_query("SELECT * { SERVICE <http://10.0.0.1/> { ?s ?p ?o } }")
Traceback (most recent call last):
...
talkgraph.errors.ServiceRefused: query:1:12: the query calls a remote service (SERVICE <http://10.0.0.1/>), ...
"""

from __future__ import annotations

import re
from typing import Iterable, Iterator

from ..errors import QueryTooDeep, ServiceRefused, TalkgraphError

__all__ = ["check_query", "query_form", "update_operation", "value_slots", "page_span", "page_slot", "first_keyword",
           "variables", "allowed_endpoints", "declared_prefixes", "token_at", "line_column", "spaced", "MAX_DEPTH"]

#: The deepest query accepted. The engine's stack gives out between 2,000 and 2,600 levels
#: of nested braces or BINDs (the cheapest way down), so this keeps a wide margin, while
#: real queries stay far below it (the catalogue's deepest is under 20).
MAX_DEPTH = 500

_NAME_START = ("A-Za-z\u00C0-\u00D6\u00D8-\u00F6\u00F8-\u02FF\u0370-\u037D\u037F-\u1FFF\u200C-\u200D"
               "\u2070-\u218F\u2C00-\u2FEF\u3001-\uD7FF\uF900-\uFDCF\uFDF0-\uFFFD\U00010000-\U000EFFFF")
_NAME_CHAR = _NAME_START + r"_\-0-9\u00B7\u0300-\u036F\u203F-\u2040"
_ESCAPED_LOCAL = r"\\[_~.\-!$&'()*+,;=/?#@%]"
_LOCAL = rf"(?:[{_NAME_CHAR}:.]|%[0-9A-Fa-f]{{2}}|{_ESCAPED_LOCAL})*"

_TOKEN = re.compile(rf"""
    (?:\s+|\#[^\r\n]*)*  # spaces and comments, skipped
  (?:
      (?P<string>'''(?:[^'\\]|\\.|'(?!''))*'''|\"\"\"(?:[^"\\]|\\.|"(?!""))*\"\"\"
                |'(?:[^'\\\r\n]|\\.)*'|"(?:[^"\\\r\n]|\\.)*")
    | (?P<iri><(?:[^<>"{{}}|^`\\\x00-\x20]|\\u[0-9A-Fa-f]{{4}}|\\U[0-9A-Fa-f]{{8}})*>)
    | (?P<var>[?$][{_NAME_CHAR}]+)
    | (?P<pname>(?:[{_NAME_START}](?:[{_NAME_CHAR}.]*[{_NAME_CHAR}])?)?:{_LOCAL})
    | (?P<number>[0-9]*\.?[0-9]+(?:[eE][+-]?[0-9]+)?)
    | (?P<word>[{_NAME_START}_][{_NAME_CHAR}]*)
    | (?P<lang>@[A-Za-z]+(?:-[A-Za-z0-9]+)*)
    | (?P<punct>\|\||&&|!=|<=|>=|\^\^|.)
    | \Z
  )
""", re.VERBOSE | re.DOTALL)

_OPEN, _CLOSE = "{([", "})]"
#: Tokens that make the query's tree one level deeper each time they are repeated in a group:
#: the engine builds chains of them (a UNION of a UNION of …, a + of a + of …).
_CHAINS = {"||", "&&", "=", "!=", "<", ">", "<=", ">=", "+", "-", "*", "/", "!", "|", "^"}
_CHAIN_WORDS = {"UNION", "OPTIONAL", "MINUS", "BIND", "FILTER", "GRAPH", "SERVICE", "VALUES", "IN", "NOT",
                "EXISTS"}
_FORMS = {"SELECT": "select", "ASK": "ask", "CONSTRUCT": "graph", "DESCRIBE": "graph"}
#: The keywords a SPARQL 1.1 Update operation starts with.
_UPDATES = {"INSERT", "DELETE", "LOAD", "CLEAR", "CREATE", "DROP", "COPY", "MOVE", "ADD", "WITH"}
_ABSOLUTE = re.compile(r"^[A-Za-z][A-Za-z0-9+.\-]*:")
_UCHAR = re.compile(r"\\u([0-9A-Fa-f]{4})|\\U([0-9A-Fa-f]{8})")


def _scan(text: str) -> Iterator[tuple[str, str, int]]:
    """The query's tokens as (kind, text, offset), without spaces and comments. They stop at an
    unterminated string: the engine cannot parse past it either, so nothing after it is ever run.
    (Plain tuples: a query can have a million tokens.)"""
    for found in _TOKEN.finditer(text):  # every character starts a match (punct takes any)
        kind = found.lastgroup
        if kind is None:  # the end
            return
        token = found[kind]
        if kind == "punct" and (token == "'" or token == '"'):
            return
        yield kind, token, found.start(kind)


def _tokens(text: str) -> list[tuple[str, str, int]]:
    return list(_scan(text))


def spaced(text: str) -> str:
    """``text`` without its comments, each run of spaces and comments between two tokens one space;
    the tokens, strings and IRIs included, as written.

    >>> spaced("SELECT ?x  # a comment\\n WHERE { ?x ?p 'a  #b' }")
    "SELECT ?x WHERE { ?x ?p 'a  #b' }"
    """
    out, end = [], None
    for _, token, start in _scan(text):
        if end is not None and start > end:
            out.append(" ")
        out.append(token)
        end = start + len(token)
    return "".join(out)


def line_column(text: str, offset: int) -> tuple[int, int]:
    """1-based line and column of ``offset`` in ``text``."""
    before = text[:offset]
    return before.count("\n") + 1, offset - (before.rfind("\n") + 1) + 1


def _unescape_iri(iri: str) -> str:
    return _UCHAR.sub(lambda m: chr(int(m[1] or m[2], 16)), iri)


def allowed_endpoints(urls: Iterable[str]) -> tuple[str, ...]:
    """The endpoints given to ``--allow-service``, checked to be http(s) IRIs."""
    for url in urls:
        if not re.match(r"^https?://[^\s<>\"{}|\\^`]+$", url):
            raise TalkgraphError(f"--allow-service {url!r} is not an http(s) URL; give the endpoint's full IRI, "
                                 "as the query writes it in SERVICE <...>")
    return tuple(urls)


def first_keyword(text: str) -> tuple[str, int] | None:
    """The first keyword after the prologue (PREFIX and BASE declarations), in upper case, and its offset."""
    for kind, token, start in _scan(text):
        if kind == "word" and token.upper() not in ("PREFIX", "BASE"):
            return token.upper(), start
    return None


def query_form(text: str) -> str | None:
    """``select``, ``ask`` or ``graph`` (CONSTRUCT, DESCRIBE), from the query's first keyword.

    >>> query_form("PREFIX ex: <http://example.org/> # a comment\\nCONSTRUCT WHERE { ?s ?p ?o }")
    'graph'
    """
    first = first_keyword(text)
    return _FORMS.get(first[0]) if first else None


def update_operation(text: str) -> tuple[str, int, int] | None:
    """The SPARQL Update operation the text starts with (``INSERT``, ``DELETE``, …), with its line and
    column; None for anything else.

    >>> update_operation("PREFIX s: <http://schema.org/>\\n# 'SELECT'\\n  delete where { ?s s:name ?o }")
    ('DELETE', 3, 3)
    """
    first = first_keyword(text)
    if first is None or first[0] not in _UPDATES:
        return None
    return (first[0], *line_column(text, first[1]))


def value_slots(text: str) -> dict[str, list[tuple[int, int]]]:
    """Each parameter slot ``VALUES ?name { UNDEF }`` of a query, by name: its (start, end) offsets.

    Read from the tokens, so a slot written in a comment or a string is not one.

    >>> value_slots("# VALUES ?a { UNDEF }\\nSELECT * { VALUES ?a {UNDEF} ?a ?p 'VALUES ?b { UNDEF }' }")
    {'a': [(33, 50)]}
    """
    tokens = _tokens(text)
    slots: dict[str, list[tuple[int, int]]] = {}
    for i in range(len(tokens) - 4):
        values, var, open_, undef, close = tokens[i:i + 5]
        if (values[0] == "word" and values[1].upper() == "VALUES" and var[0] == "var" and var[1][0] == "?"
                and open_[1] == "{" and undef[0] == "word" and undef[1].upper() == "UNDEF" and close[1] == "}"):
            slots.setdefault(var[1][1:], []).append((values[2], close[2] + 1))
    return slots


def page_span(text: str) -> tuple[int, int] | None:
    """The first sub-select with an ``ORDER BY``: the offsets of its opening brace and of its closing one.

    >>> text = "SELECT * { { SELECT ?t { ?t ?p ?o } ORDER BY DESC(?o) } } ORDER BY ?t"
    >>> start, end = page_span(text)
    >>> text[start:end + 1]
    '{ SELECT ?t { ?t ?p ?o } ORDER BY DESC(?o) }'
    """
    page = _page(text)
    return page and (page[0], page[2])


def page_slot(text: str) -> int | None:
    """Where the first sub-select with an ``ORDER BY`` ends (the offset of its closing brace), or None."""
    span = page_span(text)
    return span and span[1]


def page_order(text: str) -> int | None:
    """The offset of the ``ORDER`` of the first sub-select with an ``ORDER BY``, or None.

    >>> text = "SELECT * { { SELECT ?t { ?t ?p ?o } ORDER BY DESC(?o) } } ORDER BY ?t"
    >>> text[page_order(text):]
    'ORDER BY DESC(?o) } } ORDER BY ?t'
    """
    page = _page(text)
    return page and page[1]


def _page(text: str) -> tuple[int, int, int] | None:
    """The opening brace, the ``ORDER`` and the closing brace of the first sub-select with an ``ORDER BY``."""
    opened: list[int] = []
    ordered = order_at = None
    for kind, token, offset in _scan(text):
        if token == "{":
            opened.append(offset)
        elif token == "}":
            if ordered is not None and len(opened) == ordered:
                return opened[-1], order_at, offset
            opened.pop()
        elif kind == "word" and token.upper() == "ORDER" and opened and ordered is None:
            ordered, order_at = len(opened), offset
    return None


def top_level_words(text: str) -> list[tuple[str, int]]:
    """The keywords outside every brace (the query's own clauses, not its sub-selects'), in upper case,
    with their offsets.

    >>> top_level_words("SELECT ?t WHERE { { SELECT ?t { ?t ?p ?o } GROUP BY ?t } } ORDER BY ?t")
    [('SELECT', 0), ('WHERE', 10), ('ORDER', 59), ('BY', 65)]
    """
    depth, found = 0, []
    for kind, token, offset in _scan(text):
        if token == "{":
            depth += 1
        elif token == "}":
            depth -= 1
        elif kind == "word" and not depth:
            found.append((token.upper(), offset))
    return found


def variables(text: str) -> set[str]:
    """The names of the query's variables (``?x`` and ``$x`` are both ``x``).

    >>> sorted(variables("SELECT ?talk (COUNT(?p) AS $n) { ?talk ?p '?not' }"))
    ['n', 'p', 'talk']
    """
    return {token[1:] for kind, token, _ in _scan(text) if kind == "var"}


def check_query(text: str, *, source: str = "query", allowed_services: Iterable[str] = ()) -> tuple[str, ...]:
    """Raise if the query is nested too deeply or calls a service that is not allowed.

    Returns the endpoints of the SERVICE calls it makes (each one in ``allowed_services``,
    compared as exact strings).
    """
    allowed = set(allowed_services)
    tokens = _tokens(text)
    _check_depth(text, tokens, source)
    calls = _check_services(text, tokens, source, allowed)
    if "\\u" in text or "\\U" in text:
        # SPARQL 1.1 says that \u escapes are undone before parsing. The engine we use does
        # not, but the check must not depend on that.
        unescaped = _unescape_iri(text)
        _check_services(unescaped, _tokens(unescaped), source, allowed)
    return calls


def _check_depth(text: str, tokens: list, source: str) -> None:
    """Refuse a query whose tree would be deeper than MAX_DEPTH.

    Each open bracket is a level; inside it, each chain token and each bracket after its
    first child adds one more. Rows of a VALUES block are flat (the engine keeps them in
    a list), so they add nothing; nor does the top level (the prologue and the SELECT
    clause, whose expressions are in brackets).
    """
    frames = [[0, 0, True]]  # per open bracket: extra levels, children, nothing counts inside (VALUES data)
    depth = deepest = 0
    first_over = None
    values_next = False
    for kind, token, start in tokens:
        top = frames[-1]
        word = token.upper() if kind == "word" else ""
        if word == "VALUES":
            values_next = True
        if kind == "punct" and token in _OPEN:
            in_values = (top[2] and len(frames) > 1) or (values_next and token == "{")
            if token == "{":
                values_next = False
            if not top[2]:
                if top[1]:
                    top[0] += 1
                    depth += 1
                top[1] += 1
            frames.append([0, 0, in_values])
            depth += 1
        elif kind == "punct" and token in _CLOSE:
            if len(frames) > 1:
                depth -= 1 + frames.pop()[0]
            continue
        elif not top[2] and ((kind == "punct" and token in _CHAINS) or word in _CHAIN_WORDS):
            top[0] += 1
            depth += 1
        else:
            continue
        if depth > deepest:
            deepest = depth
            if depth > MAX_DEPTH and first_over is None:
                first_over = start
    if first_over is not None:
        line, column = line_column(text, first_over)
        raise QueryTooDeep(source, deepest, MAX_DEPTH, line=line, column=column)


def declared_prefixes(text: str) -> dict[str, str]:
    """The prefixes the query declares itself (``PREFIX name: <iri>``), name → namespace.

    >>> declared_prefixes("PREFIX tg: <https://w3id.org/talkgraph/ns#> SELECT * { ?s tg:x 'PREFIX a: <b>' }")
    {'tg': 'https://w3id.org/talkgraph/ns#'}
    """
    tokens = _tokens(text)
    return {token[:-1]: _unescape_iri(tokens[i + 1][1][1:-1]) for i, (kind, token, _) in enumerate(tokens)
            if kind == "pname" and i and _is_declaration(tokens, i)}


def _is_declaration(tokens: list, i: int) -> bool:
    """Whether the pname at ``i`` is the name a ``PREFIX name: <iri>`` declares."""
    before = tokens[i - 1]
    return (before[0] == "word" and before[1].upper() == "PREFIX" and tokens[i][1].endswith(":")
            and i + 1 < len(tokens) and tokens[i + 1][0] == "iri")


def token_at(text: str, line: int, column: int) -> tuple[str, str]:
    """The token at (or, past the end of a token, just before) 1-based ``line``:``column``, and its line.

    >>> token_at("SELECT * {\\n  ?s ?p }", 2, 7)
    ('?p', '  ?s ?p }')
    """
    lines = text.split("\n")
    if not 1 <= line <= len(lines):
        return "", ""
    offset = sum(len(x) + 1 for x in lines[:line - 1]) + column - 1
    found = ""
    for _, token, start in _scan(text):
        if start > offset:
            break
        found = token
        if start + len(token) > offset:
            break
    return found, lines[line - 1]


def _check_services(text: str, tokens: list, source: str, allowed: set[str]) -> tuple[str, ...]:
    prefixes: dict[str, str] = {}
    calls: list[str] = []
    after_prefix = False
    for i, (kind, token, start) in enumerate(tokens):
        declared, after_prefix = after_prefix, kind == "word" and token.upper() == "PREFIX"
        if declared and kind == "pname" and _is_declaration(tokens, i):
            prefixes[token[:-1]] = _unescape_iri(tokens[i + 1][1][1:-1])
        if kind == "word":
            eager = "SERVICE" in token.upper()  # the engine finds the keyword inside longer words too
        elif kind == "pname" and not declared:
            eager = "SERVICE" in token.split(":", 1)[0].upper()  # `SERVICE:x` is `SERVICE :x` to it
        else:
            eager = False
        if eager:
            endpoint, shown = _service_target(tokens, i, prefixes)
            if endpoint is None or endpoint not in allowed:
                line, column = line_column(text, start)
                raise ServiceRefused(source, shown, endpoint, line=line, column=column)
            calls.append(endpoint)
    return tuple(calls)


def _service_target(tokens: list, i: int, prefixes: dict[str, str]) -> tuple[str | None, str]:
    """The absolute IRI a ``SERVICE`` at ``tokens[i]`` calls, or None when it cannot be known here;
    and the text to show for it."""
    kind, token, _ = tokens[i]
    if kind != "word" or token.upper() != "SERVICE":
        return None, token
    j = i + 1
    if j < len(tokens) and tokens[j][0] == "word" and tokens[j][1].upper() == "SILENT":
        j += 1
    if j >= len(tokens):
        return None, "SERVICE"
    kind, target, _ = tokens[j]
    if kind == "iri":
        iri = _unescape_iri(target[1:-1])
    elif kind == "pname":
        prefix, _, local = target.partition(":")
        if prefix not in prefixes:
            return None, target
        iri = prefixes[prefix] + re.sub(r"\\(.)", r"\1", local)
    else:
        return None, target  # a variable: the endpoint is only known while the query runs
    return (iri if _ABSOLUTE.match(iri) else None), f"<{iri}>"
