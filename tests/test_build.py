"""Building the graph: people, talks, keywords, provenance, rejects, options, determinism."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from rdflib import Literal, URIRef
from rdflib.namespace import DCTERMS, PROV, RDF, RDFS, SKOS
import rdflib.namespace as rdfns  # not XSD by name: pytest probes every module-level name and XSD warns

from talkgraph import build, write_outputs
from talkgraph.errors import MissingColumnError, TalkgraphError, ValidationError
from talkgraph.namespaces import SCHEMA, TG

from conftest import HEADER

ID = "https://w3id.org/talkgraph/id/"


def person(slug):
    return URIRef(f"{ID}person/{slug}")


def talks_of(graph, who):
    return set(graph.subjects(TG.speaker, who))


def test_real_table_builds_and_conforms(real_build):
    counts = real_build.counts
    assert (counts["rows_read"], counts["talks_built"], counts["rows_rejected"], counts["people"]) == (19, 19, 0, 19)
    assert counts["unmapped_terms"] == 0 and real_build.conforms


def test_accented_name_gives_a_readable_iri_and_keeps_its_spelling(real_build):
    g = real_build.graph
    tohill = person("clar-brid-tohill")
    assert g.value(tohill, SCHEMA.name) == Literal("Clár-Bríd Tohill")
    assert g.value(tohill, SCHEMA.givenName) == Literal("Clár-Bríd")
    assert g.value(tohill, SCHEMA.familyName) == Literal("Tohill")


def test_two_people_sharing_a_first_name_stay_two(real_build):
    g = real_build.graph
    chen, killestein = person("thomas-chen"), person("thomas-killestein")
    assert (chen, RDF.type, SCHEMA.Person) in g and (killestein, RDF.type, SCHEMA.Person) in g
    assert len(talks_of(g, chen)) == 1 and len(talks_of(g, killestein)) == 1


def test_keywords_link_to_concepts_and_raw_cells_are_kept(real_build):
    g = real_build.graph
    [talk] = talks_of(g, person("michele-bianco"))
    methods = {str(m).rsplit("/", 1)[1] for m in g.objects(talk, TG.declaresMethod)}
    assert methods == {"u-net", "convolutional-neural-network", "deep-learning", "image-processing"}
    assert g.value(talk, TG.declaredMethodText) == Literal("U-Net, Convolutional Neural Network, Deep learning, "
                                                          "Image processing")
    [walmsley] = talks_of(g, person("mike-walmsley"))
    domains = {str(d).rsplit("/", 1)[1] for d in g.objects(walmsley, TG.declaresDomain)}
    # UAT: Extragalactic astronomy, Optical astronomy, Radio astronomy, Radio transient sources (fast radio bursts)
    assert domains == {"506", "1776", "1338", "2008"}
    [gerosa] = talks_of(g, person("davide-gerosa"))
    assert URIRef("https://w3id.org/talkgraph/vocab/software/tensorflow") in set(g.objects(gerosa, TG.declaresSoftware))


def test_abstract_is_plain_text_with_links_and_latex_kept(real_build):
    g = real_build.graph
    [walmsley] = talks_of(g, person("mike-walmsley"))
    abstract = str(g.value(walmsley, DCTERMS.abstract))
    assert "<p>" not in abstract and "<a " not in abstract and "\n\n" in abstract
    assert set(g.objects(walmsley, TG.link)) == {URIRef("https://zenodo.org/record/4196267"),
                                                 URIRef("http://bit.ly/decals_viz")}
    [wilde] = talks_of(g, person("joshua-wilde"))
    assert "$10^5$" in str(g.value(wilde, DCTERMS.abstract))
    [armstrong] = talks_of(g, person("john-armstrong"))
    assert "H $\\alpha$" in str(g.value(armstrong, DCTERMS.abstract))


def test_provenance_of_talks_and_of_the_build(real_build):
    g = real_build.graph
    [talk] = talks_of(g, person("ashley-spindler"))
    source = g.value(talk, PROV.wasDerivedFrom)
    assert g.value(talk, TG.sourceLine) == Literal(4, datatype=rdfns.XSD.integer)
    assert g.value(source, SCHEMA.name) == Literal("talks.tsv") and len(str(g.value(source, TG.sha256))) == 64
    activity = g.value(talk, PROV.wasGeneratedBy)
    assert (activity, RDF.type, PROV.Activity) in g and (activity, PROV.used, source) in g
    agent = g.value(activity, PROV.wasAssociatedWith)
    assert g.value(agent, SCHEMA.softwareVersion) == Literal(__import__("talkgraph").__version__)
    assert g.value(activity, PROV.startedAtTime).datatype == rdfns.XSD.dateTime


def test_every_talk_is_part_of_the_meeting_named_on_the_command_line(write_table):
    path = write_table([HEADER, ["Ada", "Lovelace", "Engines", "", "", ""]])
    g = build(path, event="ML in Astronomy 2021", event_date="2021-06-28").graph
    meeting = URIRef(f"{ID}event/ml-in-astronomy-2021")
    assert g.value(meeting, SCHEMA.name) == Literal("ML in Astronomy 2021")
    assert g.value(meeting, SCHEMA.startDate) == Literal("2021-06-28", datatype=rdfns.XSD.date)
    assert set(g.objects(None, SCHEMA.superEvent)) == {meeting}


def test_base_iri_option(write_table):
    path = write_table([HEADER, ["Ada", "Lovelace", "Engines", "", "", ""]])
    g = build(path, base_iri="https://example.org/kg/").graph
    assert (URIRef("https://example.org/kg/person/ada-lovelace"), RDF.type, SCHEMA.Person) in g
    with pytest.raises(TalkgraphError, match="not an absolute IRI"):
        build(path, base_iri="not an iri")


def test_same_person_in_two_rows_and_two_files_is_one_node(write_table, tmp_path):
    first = write_table([HEADER, ["Ada", "Lovelace", "Engines", "", "CNN", ""],
                         ["Ada", "Lovelace", "Looms", "", "", ""]], name="a.tsv")
    second = write_table([["Title", "Last Name", "First Name"], ["Notes", "Lovelace", "Ada"],
                          ["Machines", "Turing", "Alan"]], name="b.csv", delimiter=",")
    result = build([first, second])
    g = result.graph
    assert len(talks_of(g, person("ada-lovelace"))) == 3
    assert len(set(g.subjects(RDF.type, SCHEMA.Person))) == 2 and result.conforms
    assert len(set(g.subjects(RDF.type, TG.SourceTable))) == 2


def test_rows_without_title_or_speaker_go_to_the_rejects_with_line_and_reason(write_table, tmp_path):
    path = write_table([HEADER, ["Ada", "Lovelace", "", "", "", "abstract"], ["", "", "No speaker", "", "", ""],
                        ["Alan", "Turing", "Machines", "", "", ""], ["Alan", "Turing", "machines ", "", "", ""]],
                       prefix="\n")
    result = build(path)
    assert result.counts["rows_read"] == 4 and result.counts["talks_built"] == 1
    reasons = {(r["line"], r["reason"].split(" (")[0]) for r in result.report["rejects"]}
    assert reasons == {(3, "no title"), (4, "no speaker name"), (6, "duplicate of the talk on " + str(path) + ":5")}
    written = write_outputs(result, tmp_path / "out")
    rejects = (tmp_path / "out" / "rejects.tsv").read_text(encoding="utf-8").splitlines()
    assert len(rejects) == 4 and rejects[1].split("\t")[:2] == [str(path), "3"]
    assert all(p.exists() for p in written)


def test_extra_columns_are_kept_as_plain_properties(write_table):
    path = write_table([HEADER + ["Session", "Room"], ["Ada", "Lovelace", "Engines", "", "", "", "Morning", "B12"]])
    g = build(path).graph
    [talk] = g.subjects(RDF.type, TG.Talk)
    session = URIRef(f"{ID}column/session")
    assert g.value(talk, session) == Literal("Morning")
    assert g.value(session, RDFS.label) == Literal("Session")
    assert (session, RDFS.subPropertyOf, TG.extraField) in g


def test_unmapped_term_becomes_a_candidate_for_review_and_is_reported(write_table):
    path = write_table([HEADER, ["Ada", "Lovelace", "Engines", "Astro-weather", "Quantum annealing, CNN", ""]])
    result = build(path)
    g = result.graph
    candidate = URIRef(f"{ID}candidate/quantum-annealing")
    assert (candidate, RDF.type, TG.CandidateConcept) in g
    assert g.value(candidate, SKOS.inScheme) == URIRef("https://w3id.org/talkgraph/vocab/candidate")
    assert g.value(candidate, TG.candidateFor) == URIRef("https://w3id.org/talkgraph/vocab/method")
    [talk] = g.subjects(RDF.type, TG.Talk)
    assert candidate in set(g.objects(talk, TG.declaresMethod))
    assert {t["term"] for t in result.report["unmapped_terms"]} == {"Astro-weather", "Quantum annealing"}
    assert result.conforms


def test_a_missing_required_column_stops_before_anything_is_written(write_table, tmp_path):
    path = write_table([["First Name", "Surname", "Abstract"], ["Ada", "Lovelace", "x"]])
    with pytest.raises(MissingColumnError):
        build(path)


def test_same_input_gives_byte_identical_files(tmp_path):
    for run in ("a", "b"):
        write_outputs(build(), tmp_path / run)
    for name in ("graph.ttl", "graph.nt", "graph.jsonld", "report.json", "rejects.tsv"):
        assert (tmp_path / "a" / name).read_bytes() == (tmp_path / "b" / name).read_bytes(), name


def test_write_outputs_validates_while_writing_and_writes_nothing_but_the_report_if_it_fails(tmp_path):
    good = build(validate=False)
    assert not good.validated
    out = tmp_path / "out"
    write_outputs(good, out)
    assert good.validated and good.conforms and good.report["validation"]["conforms"]
    before = {p.name: p.read_bytes() for p in out.iterdir() if p.is_file()}
    store = (out / "store").stat().st_ino

    broken = build(validate=False)
    [talk] = [line.split(b" ")[0] for line in broken.ntriples.splitlines() if b"/ns#sourceLine>" in line][:1]
    broken.ntriples += talk + b' <http://purl.org/dc/terms/title> "A second title" .\n'
    with pytest.raises(ValidationError, match="failed-report.json"):
        write_outputs(broken, out)
    # its report goes beside the outputs (#21: report.json, the last good build's, is left alone)
    report = json.loads((out / "failed-report.json").read_text(encoding="utf-8"))
    assert report["validation"]["conforms"] is False and "MaxCount" in report["validation"]["report"]
    # the earlier outputs are untouched and no temporary file or store is left behind
    assert {p.name: p.read_bytes() for p in out.iterdir() if p.is_file() and p.name != "failed-report.json"} \
        == before
    assert json.loads((out / "report.json").read_text(encoding="utf-8"))["validation"]["conforms"] is True
    assert (out / "store").stat().st_ino == store
    assert _temporary_folders(out) == []
    with pytest.raises(ValidationError):  # a result already known not to conform writes its report only
        write_outputs(broken, tmp_path / "again")
    assert [p.name for p in (tmp_path / "again").iterdir()] == ["failed-report.json"]
    write_outputs(good, out)  # the next good build removes the report of the failed one
    assert not (out / "failed-report.json").exists()


def _store_triples(store) -> set:
    return {(q.subject, q.predicate, q.object) for q in store}


def test_the_store_loaded_while_the_triples_are_made_holds_the_graph(monkeypatch, tmp_path):
    import pyoxigraph as ox
    from talkgraph.pipeline import concurrency

    monkeypatch.setattr(concurrency, "PRELOAD_CHUNK", 500)  # 16 chunks of the real table
    result = build()
    assert result.validated and result.conforms
    result = build(validate=False, out_dir=tmp_path)  # will be validated by write_outputs
    reference = ox.Store()
    reference.bulk_load(result.ntriples, format=ox.RdfFormat.N_TRIPLES)
    store = result.store
    assert len(store) == len(reference) == result.counts["triples"]
    assert _store_triples(store) == _store_triples(reference)
    assert result.store is store  # made once
    # the same bytes as in one piece
    monkeypatch.setattr(concurrency, "PRELOAD_CHUNK", 10**9)
    assert build(validate=False).ntriples == result.ntriples


def test_serialize_loads_only_the_stores_asked_for_and_hands_each_out_once(monkeypatch, tmp_path):
    import pyoxigraph as ox
    from talkgraph.outputs.ntriples import NTriples
    from talkgraph.pipeline import concurrency

    monkeypatch.setattr(concurrency, "PRELOAD_CHUNK", 500)
    graph = build(validate=False)
    triples = [quad.triple for quad in ox.parse(graph.ntriples, format=ox.RdfFormat.N_TRIPLES)]
    reference = ox.Store()
    reference.bulk_load(graph.ntriples, format=ox.RdfFormat.N_TRIPLES)
    # a build that will not be validated nor written loads nothing ahead
    text, stores = concurrency.serialize(iter(triples), preload=False)
    assert (text.read(), stores, text.path) == (graph.ntriples, None, None)  # in memory: no output folder
    ntriples, stores = concurrency.serialize(iter(triples), preload=True)
    assert ntriples.read() == graph.ntriples and stores.disk_store(ntriples, tmp_path) is None
    assert stores.memory_store(NTriples(ntriples.read())) is None  # other N-Triples than those it holds
    ntriples, stores = concurrency.serialize(iter(triples), preload=True)
    store = stores.memory_store(ntriples)
    assert _store_triples(store) == _store_triples(reference)
    assert stores.memory_store(ntriples) is None  # handed out once


def _temporary_folders(folder: Path) -> list[str]:
    """Hidden entries of an output folder but its build folders, and the build folders that are not current."""
    if not folder.is_dir():
        return []
    current = (folder / "current").resolve()
    hidden = [p.name for p in folder.iterdir() if p.name.startswith(".") and p.name != ".builds"]
    builds = folder / ".builds"
    unfinished = [f".builds/{p.name}" for p in builds.iterdir() if p != current] if builds.is_dir() else []
    return sorted(hidden + unfinished)


@pytest.mark.parametrize("mentions", [False, True])
def test_the_on_disk_store_is_loaded_during_the_build_when_a_core_is_free(tmp_path, monkeypatch, mentions):
    import pyoxigraph as ox
    from talkgraph.pipeline import concurrency

    monkeypatch.setattr(concurrency, "PRELOAD_CHUNK", 500)
    monkeypatch.setattr(concurrency, "STORE_SLICE", 100_000)  # several slices of the real table
    out = tmp_path / "out"
    result = build(validate=False, mentions=mentions, out_dir=out)  # 19 talks: no mention workers
    [staged] = _temporary_folders(out)  # the new build's folder, where the store is loaded
    assert (out / staged / "store").is_dir()
    loaded = (out / staged / "store").stat().st_ino
    write_outputs(result, out)
    assert _temporary_folders(out) == []
    # the staged folder is the one switched in, with the store the build loaded (not loaded again)
    assert (out / "current").resolve() == (out / staged).resolve() and (out / "store").stat().st_ino == loaded
    reference = ox.Store()
    reference.bulk_load(result.ntriples, format=ox.RdfFormat.N_TRIPLES)
    written = ox.Store.read_only(str(out / "store"))
    assert _store_triples(written) == _store_triples(reference) and len(written) == result.counts["triples"]


def test_with_mention_workers_the_store_is_staged_and_waits_for_them(tmp_path, monkeypatch):
    from talkgraph.link.mentions import MentionJob
    from talkgraph.pipeline import concurrency

    asked = []
    workers_done = MentionJob.workers_done
    monkeypatch.setattr(MentionJob, "workers_done", lambda job: asked.append(workers_done(job)) or asked[-1])
    monkeypatch.setitem(MentionJob.__init__.__kwdefaults__, "chunk", 5)  # workers start after 10 talks
    monkeypatch.setattr(concurrency, "PRELOAD_CHUNK", 500)
    monkeypatch.setattr(concurrency, "STORE_SLICE", 50_000)
    result = build(validate=False, out_dir=tmp_path)
    [staged] = _temporary_folders(tmp_path)
    assert (tmp_path / staged / "store").is_dir() and asked  # the build asked whether the workers were done
    write_outputs(result, tmp_path)
    assert (tmp_path / "store" / "CURRENT").exists() and _temporary_folders(tmp_path) == []
    assert (tmp_path / "current").resolve() == (tmp_path / staged).resolve()


@pytest.mark.parametrize("ready", [True, False])
def test_the_on_disk_store_loads_while_the_triples_are_made_only_once_ready(tmp_path, monkeypatch, ready):
    import pyoxigraph as ox
    from talkgraph.pipeline import concurrency

    monkeypatch.setattr(concurrency, "PRELOAD_CHUNK", 500)
    monkeypatch.setattr(concurrency, "STORE_SLICE", 50_000)
    loads, closing = [], []  # for each slice loaded: was the store already closing (the triples all made)?
    load, close = concurrency.DiskStore.load, concurrency.DiskStore.close
    monkeypatch.setattr(concurrency.DiskStore, "load", lambda store, data: loads.append(bool(closing)) or load(store, data))
    monkeypatch.setattr(concurrency.DiskStore, "close", lambda store, *a: closing.append(1) or close(store, *a))
    graph = build()
    triples = [quad.triple for quad in ox.parse(graph.ntriples, format=ox.RdfFormat.N_TRIPLES)]
    ntriples, stores = concurrency.serialize(iter(triples), preload=False, out_dir=tmp_path, ready=lambda: ready)
    assert stores.memory_store(ntriples) is None  # not asked for
    staged, loading = stores.disk_store(ntriples, tmp_path)
    folder = loading.result()
    assert ntriples.read() == graph.ntriples and len(loads) > 3
    # written into the build folder as they were made, not held in memory
    assert ntriples.path == staged.path / "graph.nt" and ntriples.path.read_bytes() == graph.ntriples
    assert (False in loads) is ready  # slices loaded during the build only once ready
    reference = ox.Store()
    reference.bulk_load(graph.ntriples, format=ox.RdfFormat.N_TRIPLES)
    store = ox.Store.read_only(str(folder))
    assert len(store) == len(triples) and _store_triples(store) == _store_triples(reference)


def test_a_build_with_an_output_folder_writes_its_n_triples_there_not_into_memory(tmp_path):
    reference = build(validate=False).ntriples  # no output folder: held in memory
    out = tmp_path / "out"
    result = build(validate=False, out_dir=out)
    [staged] = _temporary_folders(out)
    assert result.text.path == out / staged / "graph.nt" and result.text.path.read_bytes() == reference
    assert result.text.lines == result.counts["triples"] == reference.count(b"\n")
    written = result.text.path.stat().st_ino
    write_outputs(result, out)
    # switched in as it was written, not written again; the other formats were read from it
    assert (out / "graph.nt").stat().st_ino == written and (out / "graph.nt").read_bytes() == reference
    assert _graph(out / "graph.ttl", "turtle") == _graph(out / "graph.nt", "nt") == _graph(out / "graph.jsonld", "json-ld")
    # written to another folder, the text is copied there; the staged folder (its file with it) is removed,
    # and the result still reads its N-Triples from the file it keeps open
    again = build(validate=False, out_dir=tmp_path / "staged")
    write_outputs(again, tmp_path / "elsewhere")
    assert not (tmp_path / "staged" / ".builds").exists() and not again.text.path.exists()
    assert (tmp_path / "elsewhere" / "graph.nt").read_bytes() == again.ntriples == reference
    assert len(again.store) == len(result.store) == result.counts["triples"]


def test_a_full_disk_while_the_n_triples_are_written_is_a_clean_error_and_leaves_no_folder(tmp_path, monkeypatch):
    import errno

    from talkgraph.errors import OutputError
    from talkgraph.outputs import ntriples

    class Full:
        def __init__(self, real):
            self.real = real

        def write(self, data):
            raise OSError(errno.ENOSPC, "No space left on device")

        def __getattr__(self, name):
            return getattr(self.real, name)

    opened = ntriples.NTriples.in_file
    monkeypatch.setattr(ntriples.NTriples, "in_file", classmethod(
        lambda cls, path: setattr(text := opened(path), "_file", Full(text._file)) or text))
    with pytest.raises(OutputError, match=r"graph\.nt: cannot write here: No space left on device"):
        build(validate=False, out_dir=tmp_path / "out")
    assert _temporary_folders(tmp_path / "out") == []  # the build folder went with the error


def _graph(path: Path, fmt: str):
    from rdflib import Graph
    from rdflib.compare import to_isomorphic

    return to_isomorphic(Graph().parse(path, format=fmt))


@pytest.mark.parametrize("stage", ["triples", "validate"])
def test_a_build_stopped_after_staging_its_store_leaves_no_folder(tmp_path, stage):
    def progress(at, done, total):
        if at == stage:
            raise KeyboardInterrupt  # Ctrl-C

    with pytest.raises(KeyboardInterrupt) as stopped:
        build(out_dir=tmp_path, progress=progress)
    assert stopped.traceback  # the build's frames are still held: the folder went with the interrupt itself
    assert _temporary_folders(tmp_path) == []


def test_a_staged_store_is_not_used_for_another_folder_or_changed_triples_and_never_left_behind(tmp_path):
    import gc
    import pyoxigraph as ox

    def triples_in(folder):
        return len(ox.Store.read_only(str(folder / "store")))

    staged_in = tmp_path / "staged"
    result = build(validate=False, mentions=False, out_dir=staged_in)
    write_outputs(result, tmp_path / "elsewhere")  # loads its own store; the staged one is removed
    assert _temporary_folders(staged_in) == [] and triples_in(tmp_path / "elsewhere") == result.counts["triples"]

    result = build(validate=False, mentions=False, out_dir=staged_in)
    result.ntriples += b"<https://example.org/x> <https://example.org/p> <https://example.org/y> .\n"
    write_outputs(result, staged_in)  # the staged store lacks the new triple: loaded afresh
    assert triples_in(staged_in) == result.counts["triples"] + 1 and _temporary_folders(staged_in) == []

    build(validate=False, mentions=False, out_dir=tmp_path / "dropped")  # never written
    gc.collect()
    assert _temporary_folders(tmp_path / "dropped") == []


def test_build_time_is_reproducible_and_can_be_set(monkeypatch, write_table):
    path = write_table([HEADER, ["Ada", "Lovelace", "Engines", "", "", ""]])
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1624867200")
    assert build(path).report["build"]["started"] == "2021-06-28T08:00:00+00:00"


def test_writes_are_atomic(tmp_path, monkeypatch):
    import talkgraph.model.jsonld as jsonld

    result = build()
    write_outputs(result, tmp_path)
    before = (tmp_path / "graph.jsonld").read_bytes()

    def crash(*args, **kwargs):
        raise RuntimeError("disk on fire")

    monkeypatch.setattr(jsonld.json, "dumps", crash)  # the JSON-LD writer fails mid-way
    with pytest.raises(RuntimeError):
        write_outputs(result, tmp_path)
    assert (tmp_path / "graph.jsonld").read_bytes() == before
    assert _temporary_folders(tmp_path) == []


def test_report_counts_rows_and_lists_terms(real_build):
    report = json.loads(json.dumps(real_build.report))
    assert report["counts"]["declared_links"] == {"domain": 4, "method": 41, "software": 1, "uat": 25}
    assert {"term": "Timeseries classification", "column": "method", "concepts": ["time series classification"],
            "match": "squashed", "count": 1} in report["keyword_terms"]


def test_an_abstract_over_a_million_characters_is_read_in_pieces_with_right_offsets(write_table):
    """spaCy takes at most a million characters at once; a longer abstract crashed the build (#21)."""
    from talkgraph.link.mentions import MentionExtractor

    filler = "We describe the survey pipeline and its calibration in detail. " * 17_000
    abstract = "We train convolutional neural networks (CNNs). " + filler + "Then the CNNs run in PyTorch."
    assert len(abstract) > 1_050_000
    path = write_table([HEADER, ["Ada", "Lovelace", "Engines", "", "", abstract]])
    result = build(path)
    assert result.conforms and result.counts["talks_built"] == 1 and not result.rejects
    mentions = MentionExtractor.default().extract("Engines", abstract)
    assert all(abstract[m.start:m.end] == m.text for m in mentions)
    late = {(m.text, m.how) for m in mentions if m.start > 1_000_000}
    assert late == {("CNNs", "abbreviation"), ("PyTorch", "label")}  # the abbreviation learnt in the first piece
    [talk] = result.graph.subjects(RDF.type, TG.Talk)
    assert URIRef("https://w3id.org/talkgraph/vocab/software/pytorch") in set(result.graph.objects(talk, TG.mentions))
    starts = {int(o) for o in result.graph.objects(None, URIRef("http://www.w3.org/ns/oa#start"))}
    assert abstract.index("PyTorch") in starts  # the evidence's offsets are into the whole abstract


def test_a_reader_keeps_the_build_it_opened_while_a_new_one_is_switched_in(tmp_path, write_table):
    from talkgraph.store.sparql import open_store

    out = tmp_path / "out"
    write_outputs(build(), out)
    first = open_store(out)
    count = len(first.store)
    write_outputs(build(write_table([HEADER, ["Ada", "Lovelace", "Engines", "", "CNN", ""]])), out)
    assert len(open_store(out).store) != count  # a reader opening now sees the new build
    assert len(first.store) == count  # the first reader still sees the whole first build ...
    assert len(list((out / ".builds").iterdir())) == 2  # ... which is kept while it is open


def test_an_old_layout_folder_is_migrated_and_its_temporaries_removed(tmp_path):
    import shutil

    from talkgraph.pipeline import OUTPUT_FILES

    result = build()
    write_outputs(result, tmp_path / "new")
    legacy = tmp_path / "legacy"
    shutil.copytree(tmp_path / "new" / "current", legacy)  # the old layout: real files and a store folder
    (legacy / ".graph.nt.abc123.tmp").write_bytes(b"half a file")  # what killed builds left
    (legacy / ".store.def456.tmp").mkdir()
    (legacy / ".store.old").mkdir()
    write_outputs(build(), legacy)
    assert all((legacy / name).is_symlink() for name in OUTPUT_FILES)
    assert _temporary_folders(legacy) == []
    for name in ("graph.ttl", "graph.nt", "graph.jsonld", "report.json", "rejects.tsv"):
        assert (legacy / name).read_bytes() == (tmp_path / "new" / name).read_bytes(), name


def test_the_phases_benchmark_times_each_step_of_a_real_build(tmp_path):
    import re
    import subprocess
    import sys

    root = Path(__file__).resolve().parents[1]
    done = subprocess.run([sys.executable, str(root / "benchmarks" / "build_phases.py"), str(root / "data" / "talks.tsv"),
                           "--out", str(tmp_path / "out")], capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr
    steps = re.findall(r"^ *[\d.]+ s  (\w+)", done.stdout, re.M)
    # read and link report every 4,096 rows: not at all on 19 talks
    assert steps == ["triples", "write", "written"], done.stdout
    triples = int(re.search(r"written \(([\d,]+) triples\)", done.stdout).group(1).replace(",", ""))
    assert triples == len((tmp_path / "out" / "graph.nt").read_bytes().splitlines())
    assert re.search(r"CPU: build process [\d.]+ s .*; mention workers [\d.]+ s", done.stdout)
