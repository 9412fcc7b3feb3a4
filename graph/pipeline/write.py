"""The last step: a build's outputs written into a new build folder and switched in whole."""

from __future__ import annotations

import json
import os
from pathlib import Path

from ..errors import OutputError, ValidationError
from ..model.linkindex import INDEX_DIR
from ..outputs.serialize import atomic_writer, durable_writer, write_turtle_and_jsonld
from ..store.folder import FAILED_REPORT, OUTPUT_FILES
from ..store.sparql import STORE_DIR
from .concurrency import GRAPH_FILE, new_build_folder, run_beside, write_store
from .result import BuildResult, validate_result
from .steps import Progress, silent

__all__ = ["write_outputs", "check_output_folder"]


def write_outputs(result: BuildResult, out_dir: str | Path, *, validate: bool = True,
                  progress: Progress | None = None) -> list[Path]:
    """Write graph.ttl, graph.nt, graph.jsonld, report.json, rejects.tsv and the store into ``out_dir``.

    Everything is written into a new build folder and switched in whole, by one rename, once it
    is complete (see :mod:`talkgraph.store.folder`): until then ``out_dir`` holds the previous build, and
    a build killed at any point leaves it so. A graph that does not conform is not switched in:
    its report is written to ``out_dir/failed-report.json`` and
    :class:`~talkgraph.errors.ValidationError` is raised. A result built with ``validate=False`` is
    validated here, while the files are being written, unless ``validate=False`` again. The
    store is the one the build loaded for this folder (``build(out_dir=...)``), if it did.
    """
    out = Path(out_dir)
    try:
        out.mkdir(parents=True, exist_ok=True)
    except OSError as error:
        raise OutputError(out, error) from None
    if result.validated and not result.conforms:
        raise _refused(result, out)
    # a staged store not taken here is removed with the result
    staged = result._stores.disk_store(result.text, out) if result._stores is not None else None
    folder, loading = staged if staged is not None else (new_build_folder(out), None)
    tick = progress or silent
    tick("write", 0, 1)
    try:
        check = (lambda: validate_result(result, keep_store=False)) if validate and not result.validated else None
        # The store (loaded or still loading) and validation run beside the Python-bound writers.
        run_beside(lambda: _write_files(result, folder.path),
                   loading or (lambda: write_store(result.text, folder.path / STORE_DIR)), check)
        tick("write", 1, 1)
        if not result.conforms:
            raise _refused(result, out)
        with durable_writer(folder.path / "report.json", "w") as stream:
            _dump_report(result, stream)
        folder.publish()
    finally:
        folder.discard()  # unless it was switched in
    return [out / name for name in OUTPUT_FILES]


def check_output_folder(out_dir: str | Path) -> None:
    """Raise :class:`~talkgraph.errors.OutputError` now if ``out_dir`` surely cannot be written,
    rather than after a long build: a file stands in its place or on its path, or its nearest
    existing folder is read-only. Nothing is created."""
    path = Path(out_dir).absolute()
    existing = path
    while not existing.exists() and existing.parent != existing:
        existing = existing.parent
    if not existing.is_dir():
        raise OutputError(path, f"{existing} is a file, not a folder")
    if not os.access(existing, os.W_OK | os.X_OK):
        raise OutputError(path, f"{existing} is not writable")


def _refused(result: BuildResult, out: Path) -> ValidationError:
    """The error for a graph that does not conform, once its report is written beside the outputs
    (which are left as they are)."""
    report = out / FAILED_REPORT
    with atomic_writer(report, "w") as stream:
        _dump_report(result, stream)
    return ValidationError(result.validation_text, violations=result.violations, report=report)


def _write_files(result: BuildResult, folder: Path) -> None:
    """graph.ttl, graph.jsonld, graph.nt and rejects.tsv, in the new build's folder."""
    text = result.text
    with durable_writer(folder / "graph.ttl") as turtle, durable_writer(folder / "graph.jsonld", "w") as jsonld:
        write_turtle_and_jsonld(text.stream, turtle, jsonld, prefixes=result.prefixes, kinds=result.kinds)
    if text.path == folder / GRAPH_FILE:
        text.sync()  # written there as the triples were made
    else:
        with durable_writer(folder / GRAPH_FILE) as stream:
            for piece in text.pieces():
                stream.write(piece)
    with durable_writer(folder / "rejects.tsv", "w") as stream:
        stream.write("file\tline\treason\tvalues\n")
        for reject in result.rejects:
            stream.write(reject.tsv_line())  # spreadsheet-safe cells (docs/input.md)
    if result.index is not None:
        (folder / INDEX_DIR).mkdir()
        for name, data in result.index.files().items():
            with durable_writer(folder / INDEX_DIR / name) as stream:
                stream.write(data)


def _dump_report(result: BuildResult, stream) -> None:
    json.dump(result.report, stream, ensure_ascii=False, indent=2)
    stream.write("\n")
