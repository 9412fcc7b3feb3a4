"""The command line: exit codes, messages without tracebacks, nothing written on errors."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from talkgraph.cli import cli

from conftest import HEADER, ROOT, needs_shared

COMMANDS = sorted(cli.commands)


def talkgraph(*args, cwd=None):
    """Run the real command in a subprocess, as a user would."""
    exe = shutil.which("talkgraph")
    command = [exe] if exe else [sys.executable, "-m", "talkgraph.cli"]
    return subprocess.run(command + [str(a) for a in args], capture_output=True, text=True, cwd=cwd, timeout=120)


def test_build_on_the_bundled_table_writes_every_output(tmp_path):
    run = talkgraph("build", "--out", tmp_path / "out", "--event", "ML in astronomy", "--event-date", "2021-06-28")
    assert run.returncode == 0, run.stderr
    assert "rows read 19 · built 19 · rejected 0" in run.stdout and "conforms" in run.stdout
    # every output under its name; the builds themselves and the pointer to the live one (#21) beside them
    names = sorted(p.name for p in (tmp_path / "out").iterdir() if p.name not in (".builds", "current"))
    assert names == ["graph.jsonld", "graph.nt", "graph.ttl", "rejects.tsv", "report.json", "store"]
    report = json.loads((tmp_path / "out" / "report.json").read_text(encoding="utf-8"))
    assert report["build"]["event"] == "ML in astronomy" and report["counts"]["talks_built"] == 19


@pytest.mark.parametrize("rows, message", [
    ([["First Name", "Surname", "Abstract"], ["Ada", "Lovelace", "x"]], "missing required column: the title;"),
    ([["Who", "Notes"], ["x", "y"]], "missing required columns: the title and the speaker (a full name, or a first name and a surname)"),
])
def test_missing_column_exits_2_and_writes_nothing(write_table, tmp_path, rows, message):
    run = talkgraph("build", write_table(rows), "--out", tmp_path / "out")
    assert run.returncode == 2 and message in run.stderr and "Traceback" not in run.stderr
    assert "the header row has" in run.stderr
    assert not (tmp_path / "out").exists()


@pytest.mark.parametrize("args, message", [
    (["build", "missing.tsv"], "missing.tsv: no such file"),
    (["build", "--event-date", "28/06/2021"], "is not a date like 2021-06-28"),
    (["build", "--base-iri", "example"], "not an absolute IRI"),
    (["build", "--timestamp", "yesterday"], "neither 'now' nor an ISO date-time"),
    (["build", "--encoding", "klingon"], "unknown encoding"),
    (["build", "--vocab", "nope.ttl"], "nope.ttl"),
    (["validate", "nope.ttl"], "no such file"),
    (["validate", "."], ".: is a folder, not a file"),
    (["push", "--endpoint", "http://127.0.0.1:9/store", "--out", "."], "graph.nt: no such file"),
    (["stats", "nowhere"], "nowhere: no such file or folder"),
])
def test_user_mistakes_get_a_message_and_exit_2_never_a_traceback(tmp_path, args, message):
    run = talkgraph(*args, "--out", tmp_path / "out") if args[0] == "build" else talkgraph(*args, cwd=tmp_path)
    assert run.returncode == 2, run.stdout + run.stderr
    assert message in run.stderr and "Traceback" not in run.stderr
    assert not (tmp_path / "out").exists()


def test_undecodable_table_names_line_and_column_and_suggests_encoding(tmp_path):
    # Polish names saved in Latin-2: neither UTF-8 nor text in Windows-1252 ("ł" would read as "³")
    table = tmp_path / "t.tsv"
    table.write_bytes("\t".join(HEADER).encode() + "\nAda\tMichałowska-Łącka\tT\t\t\t\n".encode("iso-8859-2"))
    run = talkgraph("build", table, "--out", tmp_path / "out")
    assert run.returncode == 2 and f"{table}:2:10: cannot decode byte 0xb3" in run.stderr
    assert "--encoding cp1252 for Excel on Windows" in run.stderr and "iso-8859-2" in run.stderr
    assert talkgraph("build", table, "--encoding", "iso-8859-2", "--no-mentions", "--out", tmp_path / "out").returncode == 0
    assert "Michałowska-Łącka" in (tmp_path / "out" / "graph.ttl").read_text(encoding="utf-8")


def test_a_table_saved_by_excel_on_windows_is_read_as_windows_1252_and_said_so(tmp_path):
    # a French Excel's "CSV (séparateur: point-virgule)": Windows-1252, semicolons, French headers
    table = tmp_path / "t.csv"
    table.write_bytes("Nom;Prénom;Titre de la présentation;Résumé;Mots-clés\r\n"
                      "REMY;François;Galaxies d’abord;We classify galaxies – with CNNs.;galaxies, CNN\r\n".encode("cp1252"))
    run = talkgraph("build", table, "--no-mentions", "--out", tmp_path / "out")
    assert run.returncode == 0, run.stderr
    assert "not UTF-8, so read as Windows-1252 (cp1252)" in run.stderr
    graph = (tmp_path / "out" / "graph.ttl").read_text(encoding="utf-8")
    assert '"François REMY"' in graph and "Galaxies d’abord" in graph and "with CNNs" in graph
    # said explicitly, the encoding is used as given, with no warning
    run = talkgraph("build", table, "--encoding", "cp1252", "--no-mentions", "--out", tmp_path / "out2")
    assert run.returncode == 0 and "not UTF-8" not in run.stderr


def test_an_unclosed_quote_in_a_csv_stops_the_build_at_the_quote(tmp_path):
    table = tmp_path / "t.csv"
    table.write_text('First Name,Surname,Proposed Talk Title,Abstract\nA,"B,Title one,abs\n'
                     'C,D,Title two,abs two\n', encoding="utf-8")
    run = talkgraph("build", table, "--no-mentions", "--out", tmp_path / "out")
    assert run.returncode == 2 and f"{table}:2:3: a quote opened here is never closed" in run.stderr
    assert "Traceback" not in run.stderr and not (tmp_path / "out").exists()


def test_rejected_rows_are_reported_and_strict_exits_3(write_table, tmp_path):
    table = write_table([HEADER, ["Ada", "Lovelace", "", "", "", ""], ["Alan", "Turing", "Machines", "", "", ""]])
    run = talkgraph("build", table, "--no-mentions", "--out", tmp_path / "out")
    assert run.returncode == 0 and "rejected 1" in run.stdout and f"rejected {table}:2: no title" in run.stderr
    strict = talkgraph("build", table, "--no-mentions", "--out", tmp_path / "strict", "--strict")
    assert strict.returncode == 3 and (tmp_path / "strict" / "rejects.tsv").exists()


def test_a_non_conforming_graph_exits_1_and_writes_only_the_report(write_table, tmp_path):
    # A user vocabulary whose concept's scheme is not declared as a skos:ConceptScheme.
    vocab = tmp_path / "mine.ttl"
    vocab.write_text('@prefix skos: <http://www.w3.org/2004/02/skos/core#> .\n'
                     '<https://example.org/m/qa> a skos:Concept ; skos:prefLabel "quantum annealing"@en ;\n'
                     '  skos:inScheme <https://example.org/m> .\n', encoding="utf-8")
    table = write_table([HEADER, ["Ada", "Lovelace", "Engines", "", "quantum annealing", ""]])
    run = talkgraph("build", table, "--vocab", vocab, "--no-mentions", "--out", tmp_path / "out")
    assert run.returncode == 1, run.stdout + run.stderr
    assert "does not conform" in run.stderr and "A concept belongs to a concept scheme." in run.stderr
    # its report, named in the message, is all it writes (#21: apart from the outputs, as they stay)
    assert sorted(p.name for p in (tmp_path / "out").iterdir()) == ["failed-report.json"]
    assert f"{tmp_path / 'out' / 'failed-report.json'}" in run.stderr


def test_validate_exit_codes(tmp_path):
    CliRunner().invoke(cli, ["build", "--out", str(tmp_path / "out"), "-q"])
    good = tmp_path / "out" / "graph.ttl"
    assert talkgraph("validate", good).returncode == 0
    assert talkgraph("validate", "--engine", "pyshacl", good).returncode == 0
    bad = tmp_path / "bad.ttl"
    bad.write_text(good.read_text(encoding="utf-8").replace("tg:sourceLine 4 ;", ""), encoding="utf-8")
    run = talkgraph("validate", bad)
    assert run.returncode == 1 and "sourceLine" in run.stdout
    broken = tmp_path / "broken.ttl"
    broken.write_text("@prefix x: <http://x/> .\nx:a x:b", encoding="utf-8")
    run = talkgraph("validate", broken)
    assert run.returncode == 2 and "not valid Turtle" in run.stderr and "Traceback" not in run.stderr


def test_stats_counts_and_top_concepts(tmp_path):
    CliRunner().invoke(cli, ["build", "--out", str(tmp_path / "out"), "-q"])
    run = talkgraph("stats", tmp_path / "out", "--json")
    figures = json.loads(run.stdout)
    assert (figures["talks"], figures["people"]) == (19, 19)
    assert figures["top_concepts"]["method"][0] == ["deep learning", 6]
    assert "convolutional neural network" in talkgraph("stats", tmp_path / "out").stdout
    assert json.loads(talkgraph("stats", "--store", tmp_path / "out", "--json").stdout) == figures  # as query takes it
    both = talkgraph("stats", tmp_path / "out", "--store", tmp_path / "other")
    assert both.returncode == 2 and "two build folders given" in both.stderr


def test_check_alignments_against_the_shared_vocabularies():
    run = talkgraph("check-alignments", "--uat", needs_shared("vocab", "UAT.rdf"),
                    "--aio", needs_shared("vocab", "aio.owl"))
    assert run.returncode == 0 and re.search(r"\d+ cited IRIs checked, 0 problem", run.stdout)


def test_check_alignments_without_files_says_what_to_give_and_where_to_get_them():
    run = talkgraph("check-alignments")
    assert run.returncode == 2 and "Traceback" not in run.stderr
    assert "give --uat FILE and/or --aio FILE" in run.stderr
    assert "hint: talkgraph check-alignments --uat UAT.rdf --aio aio.owl (docs/vocabularies.md" in run.stderr


def test_an_unwritable_output_is_named_before_the_build_and_exits_2(tmp_path):
    blocker = tmp_path / "a-file"
    blocker.write_text("not a folder", encoding="utf-8")
    run = talkgraph("build", "--out", blocker / "out")
    assert run.returncode == 2 and "Traceback" not in run.stderr, run.stderr
    assert f"{blocker / 'out'}: cannot write here: {blocker} is a file, not a folder" in run.stderr
    assert "built the graph" not in run.stdout  # refused before building, not after
    assert blocker.read_text(encoding="utf-8") == "not a folder"


def test_view_and_export_to_an_unwritable_path_exit_2_without_a_traceback(tmp_path):
    assert CliRunner().invoke(cli, ["build", "--out", str(tmp_path / "out"), "-q"]).exit_code == 0
    blocker = tmp_path / "a-file"
    blocker.write_text("", encoding="utf-8")
    for args in (["view", "--store", tmp_path / "out", "--out", blocker / "view.html"],
                 ["export", "--store", tmp_path / "out", "--to", "gexf", blocker / "graph.gexf"]):
        run = talkgraph(*args)
        assert run.returncode == 2 and "Traceback" not in run.stderr, run.stderr
        assert f"{blocker / args[-1].name}: cannot write here" in run.stderr and "hint:" in run.stderr
    assert sorted(p.name for p in tmp_path.iterdir()) == ["a-file", "out"]


def test_the_view_is_written_beside_the_graph_it_draws(tmp_path, monkeypatch):
    """`talkgraph view --store OTHER` writes OTHER/view.html, never over ./out/view.html of another build."""
    assert CliRunner().invoke(cli, ["build", "--out", str(tmp_path / "other"), "-q", "--no-mentions"]).exit_code == 0
    monkeypatch.chdir(tmp_path)
    run = CliRunner().invoke(cli, ["view", "--store", "other"])
    assert run.exit_code == 0, run.output
    assert (tmp_path / "other" / "view.html").is_file() and not (tmp_path / "out").exists()
    assert "wrote other/view.html" in run.output


def test_the_summary_names_links_through_an_arxiv_class_in_words(tmp_path):
    table = tmp_path / "talks.csv"
    table.write_text('"Title","Speaker","Keywords"\n"Instruments","Ada Lovelace","astro-ph.IM; cs.LG"\n',
                     encoding="utf-8")
    run = CliRunner().invoke(cli, ["build", str(table), "--out", str(tmp_path / "out"), "--no-mentions"])
    assert run.exit_code == 0, run.output
    assert "declared links: 2 arXiv class, " in run.output and " through an arXiv class" in run.output
    assert " via" not in run.output


def test_quiet_prints_nothing(tmp_path):
    run = talkgraph("build", "-q", "--out", tmp_path / "out")
    assert (run.returncode, run.stdout, run.stderr) == (0, "", "")


@pytest.mark.parametrize("command", COMMANDS)
def test_every_command_has_help(command):
    result = CliRunner().invoke(cli, [command, "--help"])
    assert result.exit_code == 0 and "Usage:" in result.output
    description = result.output.split("\n\n")[1].strip()
    assert len(description) > 30, f"`talkgraph {command} --help` says too little: {description!r}"


@pytest.mark.parametrize("command", COMMANDS)
def test_every_command_is_documented_in_the_readme(command):
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert f"talkgraph {command}" in readme, f"README does not document `talkgraph {command}`"


def test_readme_documents_every_exit_code():
    from talkgraph.errors import EXIT_CODES

    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    for code in EXIT_CODES:
        assert re.search(rf"^\|\s*{code}\s*\|", readme, re.MULTILINE), f"exit code {code} missing from README"


def test_the_bundled_table_is_the_real_one():
    assert (ROOT / "data" / "talks.tsv").read_bytes() == needs_shared("data", "ml-astro-talks.tsv").read_bytes()


def test_a_reader_that_stops_early_gets_no_error(real_out):
    """`talkgraph stats | head -1`: the closed pipe is the reader's choice, not an error."""
    import subprocess

    exe = shutil.which("talkgraph")
    command = [exe] if exe else [sys.executable, "-m", "talkgraph.cli"]
    query = subprocess.Popen(command + ["stats", str(real_out)], stdout=subprocess.PIPE,
                             stderr=subprocess.PIPE)
    query.stdout.close()  # as `head` does once it has read enough (here: before the first line is written)
    stderr = query.stderr.read().decode()
    assert query.wait(60) == 0, stderr
    assert "Error" not in stderr and "Traceback" not in stderr
