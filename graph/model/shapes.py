"""Compiling SHACL shapes into SPARQL queries, for the fast engine of :mod:`.validate`.

:func:`compile_shapes` turns each constraint of a shapes graph into one SELECT query
listing the violating focus nodes (and values); "at least one" and "at most one" value of
a shape's single predicates share one query each. It understands the SHACL Core
components talkgraph's shapes use (targets by class; cardinality, value type, string,
range, ``sh:lessThan``, ``sh:in``/``sh:hasValue``, and ``sh:node``/``sh:or``/``sh:and``/``sh:not``
over property paths) and raises :class:`UnsupportedShape` for anything else.
:class:`Violation` is what both engines report.
"""

from __future__ import annotations

from dataclasses import dataclass
from itertools import count

from .. import engine as ox
from rdflib import Graph, Literal, URIRef
from rdflib.collection import Collection

from ..namespaces import RDF, RDFS, SH

__all__ = ["compile_shapes", "sparql_path", "Check", "Violation", "UnsupportedShape"]

_SUBCLASS = f"<{RDFS.subClassOf}>"
_TYPE = f"<{RDF.type}>"


class UnsupportedShape(Exception):
    """The SPARQL engine does not understand a construct of the shapes graph."""


@dataclass(frozen=True, order=True)
class Violation:
    focus: str
    path: str  # SPARQL form of the property path, "" for the focus node itself
    component: str  # local name of the sh:...ConstraintComponent
    message: str = ""
    value: str = ""

    def line(self) -> str:
        value = f" (value: {self.value})" if self.value else ""
        return f"- <{self.focus}> {self.path} [{self.component}] {self.message}{value}".rstrip()


def _term(node) -> str:
    if isinstance(node, URIRef):
        return f"<{node}>"
    if isinstance(node, Literal):
        return node.n3()
    raise UnsupportedShape(f"blank node {node} used as a value")


def sparql_path(shapes: Graph, path) -> str:
    """The SPARQL form of a SHACL property path in ``shapes`` (an IRI, a sequence, an inverse, …)."""
    if isinstance(path, URIRef):
        return f"<{path}>"
    if (path, RDF.first, None) in shapes:
        return "(" + "/".join(sparql_path(shapes, p) for p in Collection(shapes, path)) + ")"
    for predicate, template in ((SH.inversePath, "^{}"), (SH.zeroOrMorePath, "{}*"),
                                (SH.oneOrMorePath, "{}+"), (SH.zeroOrOnePath, "{}?")):
        inner = shapes.value(path, predicate)
        if inner is not None:
            return "(" + template.format(sparql_path(shapes, inner)) + ")"
    alternatives = shapes.value(path, SH.alternativePath)
    if alternatives is not None:
        return "(" + "|".join(sparql_path(shapes, p) for p in Collection(shapes, alternatives)) + ")"
    raise UnsupportedShape(f"property path {path}")


_NODE_KINDS = {
    SH.IRI: "!isIRI({v})", SH.Literal: "!isLiteral({v})", SH.BlankNode: "!isBlank({v})",
    SH.BlankNodeOrIRI: "isLiteral({v})", SH.BlankNodeOrLiteral: "isIRI({v})", SH.IRIOrLiteral: "isBlank({v})",
}
_RANGES = {SH.minInclusive: ">=", SH.maxInclusive: "<=", SH.minExclusive: ">", SH.maxExclusive: "<"}
#: Parameters that are not constraints of their own.
_IGNORED = {RDF.type, SH.targetClass, SH.property, SH.path, SH.message, SH.name, SH.description,
            SH.severity, SH.deactivated, SH.order, SH.group, SH.flags, RDFS.label, RDFS.comment}


class _Compiler:
    def __init__(self, shapes: Graph):
        self.shapes = shapes
        self.fresh = count()

    def var(self) -> str:
        return f"?v{next(self.fresh)}"

    def value_violation(self, parameter, value, shape, v: str) -> str | None:
        """Boolean SPARQL expression: value node ``v`` violates this one constraint (None if not value-level)."""
        s = self.shapes
        if parameter == SH.datatype:
            return f"(!isLiteral({v}) || datatype({v}) != {_term(value)})"
        if parameter == SH["class"]:
            return f"NOT EXISTS {{ {v} {_TYPE}/{_SUBCLASS}* {_term(value)} }}"
        if parameter == SH.nodeKind:
            return _NODE_KINDS[value].format(v=v)
        if parameter in (SH.minLength, SH.maxLength):
            op = "<" if parameter == SH.minLength else ">"
            return f"(isBlank({v}) || STRLEN(STR({v})) {op} {int(value)})"
        if parameter == SH.pattern:
            flags = s.value(shape, SH.flags)
            return f"(isBlank({v}) || !REGEX(STR({v}), {Literal(str(value)).n3()}, {Literal(str(flags or '')).n3()}))"
        if parameter in _RANGES:
            return f"COALESCE(!({v} {_RANGES[parameter]} {_term(value)}), true)"
        if parameter == SH["in"]:
            return "!(" + " || ".join(f"sameTerm({v}, {_term(m)})" for m in Collection(s, value)) + ")" \
                if list(Collection(s, value)) else "true"
        if parameter == SH.node:
            return self.node_violation(value, v)
        if parameter in (SH["or"], SH["and"]):
            members = [self.node_violation(m, v) for m in Collection(s, value)]
            return "(" + (" && " if parameter == SH["or"] else " || ").join(members or ["false"]) + ")"
        if parameter == SH["not"]:
            return f"!({self.node_violation(value, v)})"
        return None

    def node_violation(self, shape, x: str) -> str:
        """Boolean SPARQL expression: node ``x`` does not conform to ``shape``."""
        parts = []
        path = self.shapes.value(shape, SH.path)
        for parameter, value in sorted(self.shapes.predicate_objects(shape)):
            if parameter in _IGNORED:
                continue
            if parameter == SH.property:
                continue
            if path is None:
                expression = self.value_violation(parameter, value, shape, x)
                if expression is None and parameter == SH.hasValue:
                    expression = f"!sameTerm({x}, {_term(value)})"
            else:
                expression = self.nested_property(parameter, value, shape, x, sparql_path(self.shapes, path))
            if expression is None:
                raise UnsupportedShape(f"constraint {parameter} in a nested shape")
            parts.append(expression)
        for property_shape in self.shapes.objects(shape, SH.property):
            parts.append(self.node_violation(property_shape, x))
        return "(" + " || ".join(parts or ["false"]) + ")"

    def nested_property(self, parameter, value, shape, x: str, path: str) -> str | None:
        if parameter == SH.minCount and int(value) <= 1:
            return "false" if int(value) == 0 else f"NOT EXISTS {{ {x} {path} {self.var()} }}"
        if parameter == SH.maxCount and int(value) <= 1:
            a, b = self.var(), self.var()
            return (f"EXISTS {{ {x} {path} {a} }}" if int(value) == 0
                    else f"EXISTS {{ {x} {path} {a}, {b} . FILTER(!sameTerm({a}, {b})) }}")
        if parameter == SH.hasValue:
            return f"NOT EXISTS {{ {x} {path} {_term(value)} }}"
        v = self.var()
        expression = self.value_violation(parameter, value, shape, v)
        return None if expression is None else f"EXISTS {{ {x} {path} {v} . FILTER({expression}) }}"


@dataclass(frozen=True)
class Check:
    """One compiled constraint of a shape: its query, and how the query's rows become violations."""

    shape: str
    path: str
    component: str
    message: str
    query: str  # SELECT ?focus ?value; ?focus ?n for a count; ?focus ?p for several predicates at once
    #: a count's bounds: (sh:minCount, sh:maxCount, the message of each)
    bounds: tuple[int | None, int | None, str, str] | None = None
    #: a check of several single predicates at once: predicate → its message
    messages: dict[str, str] | None = None

    def violations(self, store: ox.Store) -> list[Violation]:
        results = store.query(self.query)
        names = [v.value for v in results.variables]
        out = []
        for solution in results:
            focus = solution["focus"].value
            if self.messages is not None:
                path = f"<{solution['p'].value}>"
                out.append(Violation(focus, path, self.component, self.messages[path]))
            elif self.bounds is not None:
                low, high, min_message, max_message = self.bounds
                n = int(solution["n"].value)
                if low is not None and n < low:
                    out.append(Violation(focus, self.path, "MinCountConstraintComponent", min_message))
                if high is not None and n > high:
                    out.append(Violation(focus, self.path, "MaxCountConstraintComponent", max_message))
            else:
                out.append(Violation(focus, self.path, self.component, self.message,
                                     _show(solution["value"] if "value" in names else None)))
        return out


def _component(parameter) -> str:
    name = str(parameter).rsplit("#", 1)[-1]
    special = {"class": "Class", "in": "In", "or": "Or", "and": "And", "not": "Not", "node": "Node"}
    return (special.get(name) or name[0].upper() + name[1:]) + "ConstraintComponent"


def _default_message(parameter, value) -> str:
    shown = value.n3() if isinstance(value, URIRef) else str(value)
    templates = {SH.minCount: "needs at least {} value(s)", SH.maxCount: "allows at most {} value(s)",
                 SH.datatype: "values must be literals of type {}", SH["class"]: "values must be instances of {}",
                 SH.nodeKind: "values must be of kind {}", SH.hasValue: "must have the value {}",
                 SH.pattern: "values must match {}", SH.minLength: "values need at least {} characters"}
    return templates.get(parameter, str(parameter).rsplit("#", 1)[-1] + " {}").format(shown)


def compile_shapes(shapes: Graph) -> list[Check]:
    """One SELECT query per (shape, constraint) listing the violating focus nodes and values; a
    shape's single predicates share one query for "at least one" value and one for "at most one"."""
    compiler = _Compiler(shapes)
    checks = []
    for shape in sorted(set(shapes.subjects(SH.targetClass, None)), key=str):
        if shapes.value(shape, SH.deactivated) == Literal(True):
            continue
        for target_type in (SH.targetNode, SH.targetSubjectsOf, SH.targetObjectsOf):
            if (shape, target_type, None) in shapes:
                raise UnsupportedShape(f"{target_type} on {shape}")
        classes = " ".join(_term(c) for c in sorted(shapes.objects(shape, SH.targetClass)))
        focus = (f"VALUES ?target {{ {classes} }} ?class {_SUBCLASS}* ?target . ?focus {_TYPE} ?class .")
        members = [(shape, None)] + [(p, shapes.value(p, SH.path)) for p in shapes.objects(shape, SH.property)]
        # "at least one" and "at most one" value of single predicates, checked for all of them at once
        at_least_one: dict[str, str] = {}
        at_most_one: dict[str, str] = {}
        for member, raw_path in members:
            if raw_path is None and member is not shape:
                raise UnsupportedShape(f"property shape {member} without sh:path")
            if shapes.value(member, SH.severity) not in (None, SH.Violation):
                continue  # warnings and infos never break conformance (as pySHACL allow_warnings)
            path = sparql_path(shapes, raw_path) if raw_path is not None else ""
            single = isinstance(raw_path, URIRef)  # a single predicate, not a longer path
            message = str(shapes.value(member, SH.message) or "")
            low, high = shapes.value(member, SH.minCount), shapes.value(member, SH.maxCount)
            if path and (low is not None or high is not None):
                low, high = (None if low is None else int(low)), (None if high is None else int(high))
                min_message = message or (_default_message(SH.minCount, low) if low is not None else "")
                max_message = message or (_default_message(SH.maxCount, high) if high is not None else "")
                if single and low in (None, 0, 1) and high in (None, 1) and \
                        path not in at_least_one and path not in at_most_one:
                    if low == 1:
                        at_least_one[path] = min_message
                    if high == 1:
                        at_most_one[path] = max_message
                else:
                    checks.append(_cardinality_check(str(shape), focus, path, (low, high, min_message, max_message)))
            for parameter, value in sorted(shapes.predicate_objects(member)):
                if parameter in _IGNORED or (path and parameter in (SH.minCount, SH.maxCount)):
                    continue
                query = _top_query(compiler, focus, member, parameter, value, path, single)
                checks.append(Check(str(shape), path, _component(parameter),
                                     message or _default_message(parameter, value), query))
        if at_least_one:
            checks.append(_at_least_one(str(shape), focus, at_least_one))
        if at_most_one:
            checks.append(_at_most_one(str(shape), focus, at_most_one))
    return checks


def _cardinality_check(shape: str, focus: str, path: str, bounds: tuple[int | None, int | None, str, str]
                       ) -> Check:
    """One GROUP BY query for both sh:minCount and sh:maxCount of a property."""
    low, high = bounds[0], bounds[1]
    broken = " || ".join([f"?n < {low}"] * (low is not None) + [f"?n > {high}"] * (high is not None))
    query = (f"SELECT ?focus ?n WHERE {{ {{ SELECT ?focus (COUNT(DISTINCT ?value) AS ?n) WHERE {{ {focus} "
             f"OPTIONAL {{ ?focus {path} ?value }} }} GROUP BY ?focus }} FILTER({broken}) }}")
    return Check(shape, path, "CardinalityConstraintComponents", "", query, bounds=bounds)


# "At least one" and "at most one" value, the bounds of most properties, need no counting: a focus node
# without a value of the predicate, or a subject with two different values of it. Checking all of a
# shape's single predicates in one query finds the focus nodes once, not once per predicate, and
# costs less time and memory than counting them in one GROUP BY (figures in benchmarks/README.md).

def _at_least_one(shape: str, focus: str, messages: dict[str, str]) -> Check:
    query = (f"SELECT ?focus ?p WHERE {{ {{ SELECT DISTINCT ?focus WHERE {{ {focus} }} }} "
             f"VALUES ?p {{ {' '.join(messages)} }} FILTER NOT EXISTS {{ ?focus ?p ?value }} }}")
    return Check(shape, " ".join(messages), "MinCountConstraintComponent", "", query, messages=messages)


def _at_most_one(shape: str, focus: str, messages: dict[str, str]) -> Check:
    query = (f"SELECT ?focus ?p WHERE {{ {{ SELECT DISTINCT ?focus ?p WHERE {{ VALUES ?p {{ {' '.join(messages)} }} "
             f"?focus ?p ?value . ?focus ?p ?other . FILTER(!sameTerm(?value, ?other)) }} }} "
             f"{{ SELECT DISTINCT ?focus WHERE {{ {focus} }} }} }}")
    return Check(shape, " ".join(messages), "MaxCountConstraintComponent", "", query, messages=messages)


#: Constraints that look a value up in the graph (rather than test its form).
_LOOKUPS = {SH["class"], SH.node, SH["or"], SH["and"], SH["not"]}


def _top_query(compiler: _Compiler, focus: str, member, parameter, value, path: str, single: bool) -> str:
    if parameter == SH.hasValue:
        if path:  # MINUS is a hash anti-join; a correlated NOT EXISTS re-scans per focus node
            return f"SELECT DISTINCT ?focus WHERE {{ {focus} MINUS {{ ?focus {path} {_term(value)} }} }}"
        return f"SELECT DISTINCT ?focus WHERE {{ {focus} FILTER(!sameTerm(?focus, {_term(value)})) }}"
    if parameter in (SH.lessThan, SH.lessThanOrEquals) and path:
        op = "<" if parameter == SH.lessThan else "<="
        return (f"SELECT DISTINCT ?focus ?value WHERE {{ {focus} ?focus {path} ?value . ?focus {_term(value)} ?other . "
                f"FILTER(COALESCE(!(?value {op} ?other), true)) }}")
    expression = compiler.value_violation(parameter, value, member, "?value")
    if expression is None:
        raise UnsupportedShape(f"constraint {parameter}")
    if path and parameter in _LOOKUPS:
        # These look the value up in the graph, and values repeat (many mentions of few
        # concepts): test each distinct value once, then find the focus nodes of the bad ones. The
        # SAMPLE keeps the optimiser from pushing the test back below the grouping. Over a single
        # predicate the values of every subject are gathered, not only the focus nodes': a superset
        # that costs a scan of that predicate instead of a join with the targets (the faster of the two
        # on large graphs); the final join keeps only the focus nodes. A longer path could start anywhere, so it
        # stays tied to the targets.
        subjects = "" if single else focus
        distinct = f"SELECT (SAMPLE(?value) AS ?v) WHERE {{ {subjects} ?focus {path} ?value }} GROUP BY ?value"
        bad = compiler.value_violation(parameter, value, member, "?v")
        return (f"SELECT DISTINCT ?focus ?value WHERE {{ {{ SELECT (?v AS ?value) WHERE {{ {{ {distinct} }} "
                f"FILTER({bad}) }} }} {focus} ?focus {path} ?value . }}")
    if not path:
        return f"SELECT DISTINCT ?focus ?value WHERE {{ {focus} BIND(?focus AS ?value) FILTER({expression}) }}"
    return f"SELECT DISTINCT ?focus ?value WHERE {{ {focus} ?focus {path} ?value . FILTER({expression}) }}"


def _show(term) -> str:
    if term is None:
        return ""
    return term.value if isinstance(term, ox.NamedNode) else str(term)
