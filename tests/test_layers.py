"""The package's layers: imports point one way, down the data's path.

tables → vocab → link → model → store → outputs → pipeline → cli, with the base
modules (errors, namespaces, resources, processes) below them all. A module may import
its own layer, the layers below it and the base; never a layer above. Read from the
source (AST), so an import inside a function counts as much as one at the top.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parent.parent / "graph"
BASE = ("errors", "namespaces", "resources", "processes", "engine", "__init__")
LAYERS = ("tables", "vocab", "link", "model", "store", "outputs", "pipeline", "cli")


def layer(module: str) -> int:
    """-1 for the base modules, else the position of the module's layer in LAYERS."""
    top = module.split(".")[0]
    return -1 if top in BASE else LAYERS.index(top)


def modules() -> list[tuple[str, Path]]:
    found = []
    for path in sorted(PACKAGE.rglob("*.py")):
        parts = path.relative_to(PACKAGE).with_suffix("").parts
        found.append((".".join(p for p in parts if p != "__init__") or "__init__", path))
    return found


def imported(module: str, path: Path) -> list[tuple[int, str]]:
    """(line, module under graph) for every import of the package's own modules."""
    package = module.split(".")[:-1] if path.name != "__init__.py" else module.split(".")
    if module == "__init__":
        package = []
    found = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom):
            if node.level:
                base = package[:len(package) - node.level + 1] if node.level > 1 else package
                target = ".".join([*base, *(node.module.split(".") if node.module else [])])
                names = [target] if node.module else [".".join([*base, a.name]) for a in node.names]
            elif node.module and (node.module == "talkgraph" or node.module.startswith("talkgraph.")):
                names = [node.module[len("talkgraph."):] if node.module != "talkgraph" else "__init__"]
            else:
                continue
            found += [(node.lineno, _module_of(name)) for name in names]
        elif isinstance(node, ast.Import):
            found += [(node.lineno, a.name[len("talkgraph."):]) for a in node.names if a.name.startswith("talkgraph.")]
    return found


def _module_of(name: str) -> str:
    """The module a dotted name lives in: ``"__version__"`` (a name in the package) → ``"__init__"``."""
    parts = name.split(".") if name else []
    while parts and not (PACKAGE.joinpath(*parts).with_suffix(".py").exists() or PACKAGE.joinpath(*parts).is_dir()):
        parts.pop()
    return ".".join(parts) or "__init__"


def test_every_module_is_in_a_layer():
    for module, _ in modules():
        layer(module)  # raises ValueError for a module outside every layer


@pytest.mark.parametrize("module, path", modules(), ids=[m for m, _ in modules()])
def test_imports_point_down_the_layers(module, path):
    if module == "__init__":
        return  # the package's front door re-exports the library's entry points, lazily
    mine = layer(module)
    upward = [f"{path.relative_to(PACKAGE.parent)}:{line} imports graph.{target}"
              for line, target in imported(module, path)
              if target.split(".")[0] not in BASE and layer(target) > mine]
    assert not upward, "an import points up the layers:\n" + "\n".join(upward)


def test_the_check_sees_an_upward_import(tmp_path):
    """The test above can fail: a store module importing the pipeline is caught."""
    probe = tmp_path / "probe.py"
    probe.write_text("from ..pipeline import build\n")
    assert [target for _, target in imported("store.probe", probe)] == ["pipeline"]
    assert layer("pipeline") > layer("store.probe")


def test_the_command_starts_without_the_heavy_libraries():
    """`talkgraph --help` answers at once: importing the CLI loads none of the heavy dependencies
    (each command imports what it needs when it runs)."""
    import subprocess
    import sys

    heavy = ("rdflib", "pyoxigraph", "spacy", "networkx", "pyvis", "pyshacl", "numpy")
    script = ("import sys, talkgraph.cli; print(' '.join(m for m in " + repr(heavy) +
              " if m in sys.modules))")
    loaded = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, check=True,
                            cwd=PACKAGE.parent).stdout.split()
    assert loaded == [], f"importing talkgraph.cli loads {', '.join(loaded)}"


#: Each heavy dependency has one home: the module that imports it (issue #20).
HOMES = {"pyoxigraph": {"engine"}, "spacy": {"link.nlp"}, "pyvis": {"outputs.view"},
         "pyshacl": {"model.validate"}, "networkx": {"outputs.network"}}


def test_each_heavy_dependency_is_imported_by_one_module():
    found: dict[str, set[str]] = {name: set() for name in HOMES}
    for module, path in modules():
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            names = ([a.name for a in node.names] if isinstance(node, ast.Import) else
                     [node.module or ""] if isinstance(node, ast.ImportFrom) and not node.level else [])
            for name in names:
                if name.split(".")[0] in found:
                    found[name.split(".")[0]].add(module)
    assert found == HOMES
