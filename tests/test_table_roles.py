"""Column roles (#17, part 6, the table side): roles as data, ``--column ROLE=HEADER``, a mixed keywords column.

The roles and their header names come from graph/tables/roles.json; these tests read that
file, so a role or an alias added there is tested without touching this file.
"""

from __future__ import annotations

import json
import shlex
from pathlib import Path

import pytest
from rdflib import URIRef

from talkgraph import build
from talkgraph.errors import ColumnError, MissingColumnError
from talkgraph.tables.records import Record, to_record
from talkgraph.tables.roles import (ROLES, assign_columns, canonical_field, header_key, parse_columns, role_field,
                                    roles_listed, suggest_columns)
from talkgraph.tables.table import read_table

from conftest import HEADER, ROOT
from test_cli import talkgraph

ROLES_FILE = ROOT / "graph" / "tables" / "roles.json"
DATA = json.loads(ROLES_FILE.read_text(encoding="utf-8"))["roles"]

#: The header names recognised before the roles became data (#17): every one must still work.
ALIASES_BEFORE = {
    "first_name": ["first name", "firstname", "first", "given name", "given names", "forename", "forenames",
                   "speaker first name", "first names"],
    "surname": ["surname", "last name", "lastname", "family name", "last", "speaker surname",
                "speaker last name", "second name"],
    "speaker": ["speaker", "speaker name", "name", "full name", "presenter", "author", "speaker full name"],
    "title": ["proposed talk title", "talk title", "title", "proposed title", "presentation title", "talk"],
    "domains": ["area of astronomy research", "areas of astronomy research", "astronomy area", "astronomy areas",
                "astronomy research area", "astronomy domain", "astronomy domains", "area of astronomy",
                "areas of astronomy", "astronomy", "research area", "research areas"],
    "methods": ["areas of machine learning ai", "area of machine learning ai", "areas of machine learning",
                "area of machine learning", "machine learning ai", "machine learning", "ml methods", "ml method",
                "methods", "ml ai", "areas of ml", "ml areas", "ai methods"],
    "abstract": ["abstract", "summary", "description", "talk abstract"],
}
#: The mixed keyword headers the issue names.
MIXED = ["Keywords", "Subjects", "Tags", "Key words", "Index Terms", "Topics", "Subject classes",
         "arXiv categories", "UAT keywords", "Author keywords"]

PAS = [["Paper", "Submitter", "Summary", "Subjects"],
       ["Galaxy morphology with CNNs", "Ada Lovelace", "We classify galaxies.",
        "Galaxy evolution (594); Convolutional neural networks (1938); Machine Learning (cs.LG)"],
       ["Stellar spectra", "Alan Turing", "Random forests on spectra.", "Stars, random forests, Python"]]


def csv_table(write_table, rows, name="talks.csv"):
    return write_table([[f'"{cell}"' for cell in row] for row in rows], name, delimiter=",")


# ------------------------------------------------------------------ roles as data

@pytest.mark.parametrize("field, alias", [(f, a) for f, entry in DATA.items() for a in entry["aliases"]])
def test_every_alias_of_the_data_file_names_its_role(field, alias):
    assert canonical_field(alias) == field
    assert canonical_field(f"  {alias.upper().replace(' ', '_')} ") == field  # case and punctuation aside
    assert role_field(alias) == field  # and it names the role with --column too


@pytest.mark.parametrize("field, alias", [(f, a) for f, aliases in ALIASES_BEFORE.items() for a in aliases])
def test_every_header_recognised_before_still_is(field, alias):
    assert canonical_field(alias) == field


@pytest.mark.parametrize("header", MIXED)
def test_a_mixed_keywords_column_is_one_role(header):
    assert canonical_field(header) == "keywords"


def test_the_roles_are_those_the_issue_names_each_described():
    assert [role.field for role in ROLES] == list(DATA)
    assert {"speaker", "first_name", "surname", "title", "abstract", "domains", "methods", "keywords",
            "affiliation"} <= {role.field for role in ROLES}
    for role in ROLES:
        assert role.label and role.holds and role.aliases
        assert role_field(role.role) == role_field(role.field) == role.field
    assert roles_listed().split(", ") == [role.role for role in ROLES]
    # no header name may name two roles (the module refuses to load such a file)
    named: dict[str, set[str]] = {}
    for field, entry in DATA.items():
        for alias in entry["aliases"]:
            named.setdefault(header_key(alias), set()).add(field)
    assert {key: fields for key, fields in named.items() if len(fields) > 1} == {}


def test_affiliation_and_the_mixed_cell_reach_the_record_and_affiliation_stays_an_extra_column(write_table):
    path = write_table([["Title", "Speaker", "Keywords", "Affiliation", "Room"],
                        ["A talk", "Ada Lovelace", "Galaxies;  CNNs", "Oxford", "B12"]])
    table = read_table(path)
    assert table.columns == {"title": 0, "speaker": 1, "keywords": 2, "affiliation": 3}
    record = to_record(next(table.rows()))
    assert isinstance(record, Record)
    assert (record.keywords_text, record.affiliation) == ("Galaxies; CNNs", "Oxford")
    # The mixed cell is linked and kept as tg:declaredKeywordText (tests/test_cells.py); until the graph has
    # a property of its own for the affiliation, its cell stays a plain-text extra column (not lost).
    assert record.extras == {"Affiliation": "Oxford", "Room": "B12"}


def test_a_table_with_several_keyword_columns_reads_each_as_a_cell_of_its_own(write_table):
    # an ADS or arXiv export: the paper's keywords and its arXiv categories, two mixed keyword columns
    path = write_table([["Title", "First Author", "Keywords", "arXiv Categories", "Subjects", "Year"],
                        ["A talk", "Lovelace, Ada", "galaxies: evolution – methods: statistical",
                         "astro-ph.GA; cs.LG", "", "2024"]])
    table = read_table(path)
    assert table.columns["keywords"] == 2 and table.further_columns == {"keywords": (3, 4)}
    record = to_record(next(table.rows()))
    assert record.keywords_text == "galaxies: evolution – methods: statistical\nastro-ph.GA; cs.LG"  # empty cells left out
    assert record.extras == {"Year": "2024"}  # the further columns are read, not kept as extra columns
    result = build(path, mentions=False)
    terms = {t["term"]: t["match"] for t in result.report["keyword_terms"]}
    assert terms["astro-ph.GA"] == terms["cs.LG"] == "arxiv class"
    assert result.counts["declared_links"]["arxiv"] == 2
    # each cell is split by its own separators: no term runs across the two cells
    assert not any("\n" in term or "statistical" in term and "astro" in term for term in terms)


def test_an_easychair_export_reads_its_authors_and_its_keywords_one_a_line(tmp_path):
    # EasyChair: every author in one cell, "A, B and C", the first presenting; the keywords one a line
    # inside a quoted cell, some lines with several of them
    path = tmp_path / "submissions.csv"
    path.write_text('#,Authors,Title,Keywords,Decision,Abstract\n'
                    '12,"Ada Lovelace, Alan Turing and Grace Hopper",Craters on the Moon,'
                    '"impact craters\nMoon\ndeep learning, object detection",accept,"We count craters.\n\nWith a CNN."\n',
                    encoding="utf-8")
    table = read_table(path)
    assert table.columns["speaker"] == 1 and table.columns["keywords"] == 3
    record = to_record(next(table.rows()))
    assert (record.given_name, record.family_name) == ("Ada", "Lovelace")
    assert record.keywords_text == "impact craters\nMoon\ndeep learning, object detection"
    result = build(path, mentions=False)
    terms = {t["term"] for t in result.report["keyword_terms"]}
    assert {"impact craters", "deep learning", "object detection"} <= terms  # each line split on its own
    assert not any("\n" in term or "Moon deep" in term for term in terms)
    assert b"/id/column/number> \"12\"" in result.ntriples  # the '#' column, named by what the sign stands for


def test_a_table_made_with_pandas_from_the_arxiv_api_reads_its_printed_lists(tmp_path):
    # the arxiv package's results in a DataFrame, saved with to_csv: authors and categories are Python's
    # printed lists, the summary is hard-wrapped, the primary category is a column of its own
    path = tmp_path / "papers.csv"
    path.write_text("""entry_id,title,authors,summary,primary_category,categories,published
http://arxiv.org/abs/2501.00001v1,"Galaxy mergers with
  deep learning","[""Seán O'Neill"", 'Ada Lovelace']","We classify galaxy
mergers with a CNN.",astro-ph.GA,"['astro-ph.GA', 'cs.LG']",2025-01-02 00:00:00+00:00
""", encoding="utf-8")
    table = read_table(path)
    assert table.columns["speaker"] == 2 and table.headers[table.columns["keywords"]] == "primary_category"
    record = to_record(next(table.rows()))
    assert (record.title, record.given_name, record.family_name) == ("Galaxy mergers with deep learning", "Seán", "O'Neill")
    assert record.keywords_text == "astro-ph.GA\nastro-ph.GA\ncs.LG"
    result = build(path, mentions=False)
    assert {t["term"]: t["match"] for t in result.report["keyword_terms"]} == {"astro-ph.GA": "arxiv class", "cs.LG": "arxiv class"}
    assert "galaxy mergers" in record.abstract.lower() and "\n" not in record.abstract


def test_a_cell_is_a_printed_list_only_when_it_is_a_flat_list_of_quoted_strings():
    from talkgraph.tables.records import first_person, list_items

    assert list_items('["a", "b, c"]') == ["a", "b, c"] and list_items(" ['x'] ") == ["x"]
    for cell in ("[a, b]", "['a'] and more", "[['a']]", "['a' 'b']", "[1, 2]", "['a', 2]", "[f'{x}']",
                 "['__import__(\"os\")']x", "(1, 2)", "", None):
        assert list_items(cell) is None, cell
    assert list_items("['__import__(\"os\").system(\"x\")']") == ['__import__("os").system("x")']  # a string, not run
    assert first_person("[]") == "" and first_person('["Lovelace, Ada", "Turing, Alan"]') == "Lovelace, Ada"


def test_a_printed_list_of_records_is_read_as_their_names(tmp_path):
    # a Semantic Scholar search saved by pandas (data/dev-set-42): the speaker was read as "[{'authorId':"
    from talkgraph.tables.records import list_items

    path = tmp_path / "papers.csv"
    path.write_text('paperId,title,abstract,authors\nd40c,Filaments with u-nets,We segment filaments.,'
                    '"[{\'authorId\': \'1151867414\', \'name\': \'Andrea Diercke\'}, {\'authorId\': None, '
                    '\'name\': \'Robert Jarolim\'}]"\n', encoding="utf-8")
    record = to_record(next(read_table(path).rows()))
    assert (record.given_name, record.family_name) == ("Andrea", "Diercke")
    # JSON's records too; a record with no name, or a value that is no literal, is an ordinary cell
    assert list_items('[{"name": "Li Wei", "orcid": null, "corresponding": true}]') == ["Li Wei"]
    for cell in ('[{"id": 3}]', "[{'name': print('x')}]", "[{'name': ['a']}]", "[{'name': 'a'} {'name': 'b'}]"):
        assert list_items(cell) is None, cell


@pytest.mark.parametrize("cell, name, affiliation",
                         json.loads(ROLES_FILE.read_text(encoding="utf-8"))["affiliation_in_name"]["examples"])
def test_an_affiliation_printed_with_a_name_is_told_from_a_name_written_family_first(cell, name, affiliation):
    from talkgraph.tables.records import split_affiliation

    assert split_affiliation(cell) == (name, affiliation)


def test_a_cmt_export_reads_its_contact_author_and_its_subject_areas_as_paths(tmp_path):
    # Microsoft CMT: the contact author's own column is the speaker, before the list of 'Authors' (each with
    # their affiliation in brackets, the contact marked '*'); subject areas are paths 'Parent -> Child'
    path = tmp_path / "Submissions.csv"
    path.write_bytes("\ufeffPaper ID,Paper Title,Abstract,Primary Contact Author Name,Primary Contact Author Email,"
                     "Authors,Author Names,Primary Subject Area,Secondary Subject Areas\r\n"
                     "7,Flares,We forecast flares.,Alan Turing,,\"Ada Lovelace (Univ. of London, UK); Alan Turing "
                     "(NPL)*\",Ada Lovelace; Alan Turing,Astrophysics -> Solar and Heliospheric Physics,"
                     "Machine Learning -> Deep Learning; Applications -> Time Series\r\n".encode("utf-8"))
    table = read_table(path)
    assert table.headers[table.columns["speaker"]] == "Primary Contact Author Name"
    assert table.headers[table.columns["keywords"]] == "Primary Subject Area"
    record = to_record(next(table.rows()))
    assert (record.given_name, record.family_name) == ("Alan", "Turing") and record.extras["Authors"].startswith("Ada")
    result = build(path, mentions=False)
    terms = [t["term"] for t in result.report["keyword_terms"]]
    assert {"Solar Physics", "Heliospheric Physics", "Deep Learning", "Time Series"} <= set(terms)
    assert not any("->" in term or term in ("Astrophysics", "Machine Learning", "Applications") for term in terms)
    # given by hand, the list of authors is still read as a list, its first author with their affiliation apart
    by_hand = to_record(next(read_table(path, columns={"speaker": "Authors"}).rows()))
    assert (by_hand.given_name, by_hand.family_name, by_hand.affiliation) == ("Ada", "Lovelace", "Univ. of London, UK")


def test_a_programme_sheet_keeps_the_affiliation_printed_with_the_speaker_and_rejects_its_breaks(tmp_path):
    path = tmp_path / "programme.csv"
    path.write_text("Day,Time,Session,Speaker,Title,Abstract\n"
                    "Mon,09:00,Galaxies,Ana Gómez (Univ. of Chile),Bars in galaxies,We find bars.\n"
                    "Mon,10:30,,,Coffee break,\n"
                    "Mon,11:00,Galaxies,\"Michele Delli Veneri, INFN Napoli\",Lenses,We find lenses.\n"
                    "Mon,11:30,Galaxies,\"Lovelace, Ada\",Engines,We compute.\n", encoding="utf-8")
    result = build(path, mentions=False)
    assert [(r.line, r.reason) for r in result.rejects] == [(3, "no speaker name (the 'Speaker' cell is empty)")]
    graph = result.graph
    names = sorted(str(o) for o in graph.objects(None, URIRef("http://schema.org/name")) if "talks" not in str(o)
                   and "programme" not in str(o))
    assert {"Ana Gómez", "Michele Delli Veneri", "Ada Lovelace"} <= set(names)
    affiliations = {str(o) for p, o in graph.predicate_objects() if str(p).endswith("/column/affiliation")}
    assert affiliations == {"Univ. of Chile", "INFN Napoli"}


def test_an_indico_abstracts_export_reads_its_content_and_its_primary_authors(tmp_path):
    # Indico's abstract list: 'Content' is the abstract; 'Primary authors' lists the presenting author first,
    # each with an affiliation that may hold commas; 'Co-authors' names no role; with no keyword column, the
    # 'Track' is what the meeting declares (data/dev-set-24's readers labelled it so)
    path = tmp_path / "abstracts.csv"
    path.write_text('"ID","Title","Content","Track","Submitter","Primary authors","Co-authors"\r\n'
                    '"3","Flares","We **forecast** flares.","Sun","Alan Turing",'
                    '"Ada Lovelace (University of London, UK), Alan Turing (NPL)","Grace Hopper (Yale)"\r\n',
                    encoding="utf-8")
    table = read_table(path)
    assert {field: table.headers[i] for field, i in table.columns.items()} == {
        "title": "Title", "abstract": "Content", "speaker": "Primary authors", "keywords": "Track"}
    record = to_record(next(table.rows()))
    assert (record.given_name, record.family_name, record.affiliation) == ("Ada", "Lovelace", "University of London, UK")
    assert record.keywords_text == "Sun"


def test_a_programme_pasted_from_word_reads_the_name_on_the_first_line_of_its_cell(tmp_path):
    path = tmp_path / "programme.tsv"
    path.write_text('No.\tPresenter\tTalk\tAbstract\n1.\t"Ada Lovelace\nUniversity of London\n(remote)"\tEngines\t'
                    '"One.\nTwo."\n2.\tAlan Turing\tMachines\tThree.\n', encoding="utf-8")
    records = [to_record(row) for row in read_table(path).rows()]
    assert [(r.given_name, r.family_name, r.affiliation) for r in records] == [
        ("Ada", "Lovelace", "University of London"), ("Alan", "Turing", "")]


def test_a_form_with_one_box_per_keyword_reads_every_box(tmp_path):
    # Microsoft Forms: "Keyword 1" … "Keyword 5", filled from the first on
    path = tmp_path / "form.csv"
    path.write_text("ID,Name,Title of your talk,Keyword 1,Keyword 2,Keyword 3\n"
                    "1,Ada Lovelace,Engines,solar flares,\"CNN, LSTM\",\n", encoding="utf-8")
    table = read_table(path)
    assert table.headers[table.columns["keywords"]] == "Keyword 1" and table.further_columns == {"keywords": (4, 5)}
    result = build(path, mentions=False)
    assert {t["term"] for t in result.report["keyword_terms"]} == {"solar flares", "CNN", "LSTM"}


def test_a_hotcrp_topic_written_area_colon_subarea_is_its_subarea(tmp_path):
    path = tmp_path / "hotcrp.csv"
    path.write_text("ID,Title,Authors,Topics\n3,Engines,Ada Lovelace (London); Alan Turing (NPL),"
                    "Astrophysics: galaxies; ML: generative models\n", encoding="utf-8")
    result = build(path, mentions=False)
    linked = {t["term"]: t["concepts"] for t in result.report["keyword_terms"]}
    assert set(linked) == {"Astrophysics: galaxies", "ML: generative models"} and all(linked.values())
    assert linked["Astrophysics: galaxies"] == ["Galaxies"]
    assert to_record(next(read_table(path).rows())).affiliation == "London"


@pytest.mark.parametrize("cell, given, family", json.loads(ROLES_FILE.read_text(encoding="utf-8"))["names"]["examples"])
def test_a_name_is_read_apart_from_its_honorifics_degrees_suffixes_and_with_its_particles(cell, given, family):
    from talkgraph.tables.records import split_full_name

    assert split_full_name(cell) == (given, family)


def test_one_person_with_and_without_an_honorific_is_one_person(tmp_path):
    path = tmp_path / "talks.csv"
    path.write_text("Speaker,Title\nDr. Maria Fernández (IAC),Lenses\nMaria Fernández,Flares\n"
                    "Prof. Dr. Hans-Peter Müller,Engines\n", encoding="utf-8")
    result = build(path, mentions=False)
    assert result.counts["talks_built"] == 3 and result.counts["people"] == 2


def test_keyword_cells_typed_as_numbered_lists_hashtags_or_bullets_are_split_into_their_items(tmp_path):
    path = tmp_path / "talks.tsv"
    path.write_text("Speaker\tTitle\tArea of Astronomy Research\tAreas of Machine Learning / AI\tKeywords\n"
                    "Ada Lovelace\tEngines\t1) galaxy morphology 2) weak lensing\t1. transformers 2. normalizing flows"
                    "\t#pulsars #CNN\n"
                    'Alan Turing\tFlares\t"- stars: flare\n- stars: activity"\t\t\n', encoding="utf-8")
    result = build(path, mentions=False)
    linked = {t["term"]: t["concepts"] for t in result.report["keyword_terms"]}
    assert {"galaxy morphology", "weak lensing", "transformers", "normalizing flows", "pulsars", "CNN"} <= set(linked)
    assert all(linked[t] for t in ("galaxy morphology", "weak lensing", "transformers", "pulsars", "CNN"))
    assert linked["stellar flare"] == ["Stellar flares"] and linked["stellar activity"] == ["Stellar activity"]  # not Solar flares


def test_a_table_with_a_header_and_no_rows_stops_and_leaves_the_previous_output(tmp_path):
    from talkgraph.errors import InputError

    path = tmp_path / "talks.csv"
    path.write_text("Speaker,Title,Abstract\n", encoding="utf-8")
    with pytest.raises(InputError, match="no talks: the table has a header but no rows") as raised:
        build(path, mentions=False, out_dir=tmp_path / "out")
    assert raised.value.line == 1 and not (tmp_path / "out").exists()


def test_a_google_forms_export_reads_its_questions_as_roles(tmp_path):
    # Google Forms: the form's questions are the headers; checkbox answers are joined with ", "
    path = tmp_path / "responses.csv"
    path.write_text('Timestamp,Email Address,Full name,Title of your contribution,"Abstract (max. 300 words)",'
                    'Which area(s) of astronomy does your work address?,Which machine learning / AI methods do you use?,'
                    'Preferred format\n'
                    '2025/03/14 10:22:31 AM GMT+1,,Ada Lovelace,Flares,"A talk.\n\nTwo paragraphs.",'
                    '"The Sun / heliophysics, High-energy & time-domain (transients, GRBs, compact objects)",'
                    '"Generative models (GANs, VAEs, diffusion, flows)",Talk\n', encoding="utf-8")
    table = read_table(path)
    assert {field: table.headers[i] for field, i in table.columns.items()}["domains"].startswith("Which area(s)")
    assert table.headers[table.columns["methods"]].startswith("Which machine learning")
    result = build(path, mentions=False)
    linked = {t["term"]: t["concepts"] for t in result.report["keyword_terms"]}
    assert linked["High-energy"] == ["High energy astrophysics"]  # the field, in a keyword cell
    assert linked["GANs"] == ["generative adversarial network"]


def test_a_conftool_export_saved_by_a_european_excel_builds(tmp_path):
    # a .csv separated by semicolons, with a byte-order mark; every author in 'Authors' with the number of
    # their organisation, and the presenter in a column of their own, which is the speaker
    path = tmp_path / "export.csv"
    path.write_bytes("\ufeffPaper ID;Title;Authors;Presenting Author;Topics;Keywords;Abstract\r\n"
                     "17;Flares, forecast;\"Lovelace, Ada (1); Turing, Alan (2)\";Alan Turing;Deep learning;"
                     "\"solar flares; CNN\";\"We forecast flares.\nWith a CNN.\"\r\n".encode("utf-8"))
    table = read_table(path)
    assert table.delimiter == ";" and table.headers[0] == "Paper ID"
    assert table.columns["speaker"] == 3 and table.further_columns == {"keywords": (5,)}
    record = to_record(next(table.rows()))
    assert (record.title, record.given_name, record.family_name) == ("Flares, forecast", "Alan", "Turing")


def test_a_quoted_line_above_a_csv_header_does_not_choose_its_separator(tmp_path):
    # Dimensions: one quoted cell about the export, holding semicolons, above a comma-separated header whose
    # cells hold semicolons too ("Family, Given; Family, Given"); separators are counted outside quotes
    path = tmp_path / "dimensions.csv"
    path.write_text('"About the data: Exported on Dec 07, 2026. Criteria: x; y; z."\n'
                    '"Rank","Title","Abstract","Authors","Fields of Research (ANZSRC 2020)"\n'
                    '"1","Flares","A talk.","Lovelace, Ada; Turing, Alan","5101 Astronomical Sciences; 4611 Machine Learning"\n',
                    encoding="utf-8")
    table = read_table(path)
    assert table.delimiter == "," and table.header_line == 2
    assert table.columns["keywords"] == 4  # the whole header names the role, its note in brackets dropped
    record = to_record(next(table.rows()))
    assert (record.title, record.given_name, record.family_name) == ("Flares", "Ada", "Lovelace")
    assert record.keywords_text == "5101 Astronomical Sciences; 4611 Machine Learning"


def test_the_lines_an_export_writes_above_the_header_are_reported_not_read_as_talks(tmp_path):
    # Oxford Abstracts: two lines of its own, then the header; "Theme" is a keyword column too
    path = tmp_path / "export.tsv"
    path.write_text("Oxford Abstracts export\nEvent: A meeting\n"
                    "Submission ID\tTitle\tPresenter First Name\tPresenter Last Name\tAbstract\tTheme\tKeywords\n"
                    "3\tFlares\tAda\tLovelace\t<p>A talk.</p>\tSolar Physics\tsolar flares; CNN\n", encoding="utf-8")
    table = read_table(path)
    assert table.header_line == 3 and table.preamble == [(1, "Oxford Abstracts export"), (2, "Event: A meeting")]
    assert table.columns["keywords"] == 5 and table.further_columns == {"keywords": (6,)}
    result = build(path, mentions=False)
    assert result.counts["talks_built"] == 1 and not result.rejects
    assert any("the header is line 3; the lines above it are the export's own, not talks: line 1: "
               "'Oxford Abstracts export'; line 2: 'Event: A meeting'" in w for w in result.report["warnings"])
    # a header given by hand is looked for below the export's lines as well
    assert read_table(path, columns={"title": "Title"}).header_line == 3
    # a table whose header lacks a title still fails at its first line, with the same message as before
    bad = tmp_path / "bad.tsv"
    bad.write_text("Speaker\tSummary\nAda Lovelace\tA talk.\n", encoding="utf-8")
    with pytest.raises(MissingColumnError) as raised:
        read_table(bad)
    assert raised.value.line == 1


@pytest.mark.parametrize("header, contact", json.loads(ROLES_FILE.read_text(encoding="utf-8"))["contact"]["examples"])
def test_a_column_of_contact_data_is_known_by_its_header(header, contact):
    from talkgraph.tables.roles import holds_contact_data

    assert holds_contact_data(header) is contact


def test_contact_data_is_left_out_of_the_graph_and_said_so(tmp_path):
    # a Google Form's 'Email Address': the graph may be published (serve, push), so it is not carried into it
    path = tmp_path / "responses.csv"
    path.write_text("Timestamp,Email Address,Full name,Title of your contribution,Phone\n"
                    "2025/03/14 10:22:31 AM GMT+1,ada@example.org,Ada Lovelace,Engines,+44 20 7946 0000\n",
                    encoding="utf-8")
    result = build(path, mentions=False)
    text = result.ntriples.decode("utf-8")
    assert "example.org" not in text and "7946" not in text
    assert "2025/03/14" in text  # the other extra columns are kept
    assert result.report["inputs"][0]["left_out_columns"] == ["Email Address", "Phone"]
    assert any("'Email Address', 'Phone' hold people's contact data: left out of the graph" in w
               for w in result.report["warnings"])


def test_a_pretalx_export_reads_its_list_of_speakers_and_both_texts(write_table):
    # pretalx: "Speaker names" lists the people of a talk, the presenter first; "Abstract" is short and
    # "Description" the full text: both are the talk's abstract, each a paragraph
    path = write_table([["ID", "Proposal title", "Speaker names", "Abstract", "Description", "Tags"],
                        ["7XQKPA", "Flares with transformers", "Keahi Pelkum Donahue, Fadil Inceoglu",
                         "A short summary.", "The <i>full</i> text of the talk.", "solar flares, transformers"],
                        ["8YRLQB", "A second talk", "Mozún Mateo, Iván", "Only the summary.", "", ""]])
    table = read_table(path)
    assert table.columns["speaker"] == 2 and table.further_columns == {"abstract": (4,)}
    first, second = (to_record(row) for row in table.rows())
    assert (first.given_name, first.family_name) == ("Keahi Pelkum", "Donahue")  # the first of the list
    assert (second.given_name, second.family_name) == ("Iván", "Mozún Mateo")  # one name, family first
    assert first.abstract == "A short summary.\n\nThe full text of the talk." and first.markup.tags == 2
    assert second.abstract == "Only the summary."
    # the list stays whole as an extra column: the co-speakers are not lost
    assert first.extras == {"ID": "7XQKPA", "Speaker names": "Keahi Pelkum Donahue, Fadil Inceoglu"}
    assert {role.field for role in ROLES if role.several} == {"abstract", "domains", "methods", "keywords"}


@pytest.mark.parametrize("speaker, given, family", [
    ("Ada Lovelace", "Ada", "Lovelace"),
    ("Mozún Mateo, Iván", "Iván", "Mozún Mateo"),  # family name first, as programme exports write it
    ("Júnior, Ailton J. B.", "Ailton J. B.", "Júnior"),
    ("Martin Luther King, Jr.", "Martin Luther", "King, Jr."),  # a suffix is no given name
])
def test_a_full_name_cell_is_read_either_way_round(write_table, speaker, given, family):
    path = write_table([["Title", "Speaker"], ["A talk", speaker]])
    record = to_record(next(read_table(path).rows()))
    assert (record.given_name, record.family_name) == (given, family)


def test_one_person_whichever_way_round_the_table_writes_the_name(write_table, tmp_path):
    first = write_table([["Title", "Speaker"], ["A talk", "Iván Mozún Mateo"]], name="one.tsv")
    second = write_table([["Title", "Speaker"], ["Another talk", "Mozún Mateo, Iván"]], name="two.tsv")
    result = build([first, second], mentions=False)
    people = {str(o) for s, o in result.graph.subject_objects(URIRef("http://schema.org/name"))
              if "/person/" in str(s)}
    assert people == {"Iván Mozún Mateo"}


def test_the_mixed_cell_reaches_the_linker_unchanged(write_table, monkeypatch):
    from talkgraph import build
    from talkgraph.link.cells import KeywordLinker

    seen = []
    link = KeywordLinker.link
    monkeypatch.setattr(KeywordLinker, "link", lambda self, record: seen.append(record) or link(self, record))
    result = build(csv_table(write_table, PAS), columns={"title": "Paper", "speaker": "Submitter"}, mentions=False)
    assert result.counts["talks_built"] == 2
    assert [r.keywords_text for r in seen] == [PAS[1][3], PAS[2][3]]
    assert all(r.domains_text == r.methods_text == "" for r in seen)


# ------------------------------------------------------------------ columns given by hand

def test_columns_by_hand_win_over_the_aliases(write_table):
    path = write_table([["Title", "Paper", "Speaker", "Area"], ["T", "P", "Ada Lovelace", "Stars"]])
    table = read_table(path, columns={"title": "Paper", "astronomy keywords": "area"})
    assert table.columns == {"title": 1, "domains": 3, "speaker": 2}
    assert table.extra_columns == {0: "Title"}  # the header the alias would have taken is kept as an extra column
    assert next(table.rows()).cells["title"] == "P"


@pytest.mark.parametrize("name", ["ml-keywords", "ML keywords", "methods", "ml_keywords", "Machine Learning"])
def test_a_role_is_named_by_its_role_name_its_field_or_an_alias(name):
    assert parse_columns([f"{name}=Techniques"]) == {name: "Techniques"}
    assert assign_columns(["Title", "Techniques", "Name"], {name: "Techniques"}) == \
        {"methods": 1, "title": 0, "speaker": 2}


def test_library_build_with_columns(write_table):
    from talkgraph import build

    result = build(csv_table(write_table, PAS), columns={"title": "Paper", "speaker": "Submitter"}, mentions=False)
    titles = {str(t.object.value) for t in result.triples() if t.predicate.value.endswith("/title")}
    assert {"Galaxy morphology with CNNs", "Stellar spectra"} <= titles
    assert result.counts["rows_rejected"] == 0


def test_cli_build_with_column_lines(write_table, tmp_path):
    table = csv_table(write_table, PAS)
    run = talkgraph("build", table, "--column", 'title=Paper', "--column", "speaker=Submitter", "--no-mentions",
                    "--out", tmp_path / "out")
    assert run.returncode == 0, run.stderr
    assert "rows read 2 · built 2 · rejected 0" in run.stdout
    turtle = (tmp_path / "out" / "graph.ttl").read_text(encoding="utf-8")
    assert '"Galaxy morphology with CNNs"' in turtle and '"Ada Lovelace"' in turtle
    assert '"We classify galaxies."' in turtle  # Summary: abstract, by its alias
    assert 'tg:declaredKeywordText "Stars, random forests, Python"' in turtle  # the mixed cell, kept as written


# ------------------------------------------------------------------ errors

@pytest.mark.parametrize("columns, kind, words", [
    ({"titl": "Paper"}, "unknown role", ["unknown column role 'titl'", "did you mean title?", roles_listed()]),
    ({"title": "Papers", "speaker": "Submitter"}, "header", ["no column 'Papers'", "did you mean 'Paper'?",
                                                         "'Paper', 'Submitter', 'Summary', 'Subjects'"]),
    ({"title": "Paper", "speaker": "paper"}, "one header", ["'Paper' is given two roles, title and speaker"]),
])
def test_column_errors_say_what_exists(write_table, columns, kind, words):
    with pytest.raises(ColumnError) as caught:
        read_table(csv_table(write_table, PAS), columns=columns)
    message = str(caught.value)
    assert all(w in message for w in words), message


@pytest.mark.parametrize("options, words", [
    (["title=Paper", "title=Submitter"], ["the role title is given two columns, 'Paper' and 'Submitter'"]),
    (["title=Paper", "Paper Title=Submitter"], ["the role title is given two columns"]),
    (["title"], ["--column title: expected ROLE=HEADER", 'title="Paper"']),
    (["=Paper"], ["expected ROLE=HEADER"]),
])
def test_malformed_column_options(options, words):
    with pytest.raises(ColumnError) as caught:
        parse_columns(options)
    assert all(w in str(caught.value) for w in words), str(caught.value)


@pytest.mark.parametrize("args, words", [
    (["--column", "titl=Paper"], ["unknown column role 'titl'", "did you mean title?", roles_listed()]),
    (["--column", "title=Papers", "--column", "speaker=Submitter"], ["no column 'Papers'", "did you mean 'Paper'?"]),
    (["--column", "title=Paper", "--column", "speaker=Paper"], ["given two roles, title and speaker"]),
    (["--column", "title=Paper", "--column", "title=Submitter"], ["the role title is given two columns"]),
    (["--column", "title"], ["expected ROLE=HEADER"]),
    ([], ["missing required columns", '--column title="Paper" --column speaker="Submitter"', roles_listed()]),
])
def test_cli_column_mistakes_exit_2_with_one_message_and_write_nothing(write_table, tmp_path, args, words):
    run = talkgraph("build", csv_table(write_table, PAS), *args, "--out", tmp_path / "out")
    assert run.returncode == 2 and "Traceback" not in run.stderr, run.stderr
    assert all(w in run.stderr for w in words), run.stderr
    assert not (tmp_path / "out").exists()


# ------------------------------------------------------------------ no header recognised: the line to try

def test_the_hint_gives_the_build_line_to_try_and_it_builds(write_table, tmp_path):
    table = csv_table(write_table, PAS)
    with pytest.raises(MissingColumnError) as caught:
        read_table(table)
    hint = caught.value.hint
    assert f'talkgraph build {table} --column title="Paper" --column speaker="Submitter"' in hint
    assert roles_listed() in hint and caught.value.found == PAS[0]
    line = hint.split("say which column holds what: ", 1)[1].split(" (roles:")[0]
    run = talkgraph(*shlex.split(line)[1:], "--no-mentions", "--out", tmp_path / "out")
    assert run.returncode == 0, run.stderr


def test_a_table_with_no_free_header_is_told_to_add_one(write_table):
    with pytest.raises(MissingColumnError) as caught:
        read_table(write_table([["First Name", "Surname", "Abstract"], ["Ada", "Lovelace", "x"]]))
    assert "add a 'Title' column" in caught.value.hint
    assert '--column title="HEADER"' in caught.value.hint


@pytest.mark.parametrize("headers, assigned, needed, expected", [
    (["Paper", "Submitter", "Summary", "Subjects"], {"abstract": 2, "keywords": 3}, ["title", "speaker"],
     {"title": "Paper", "speaker": "Submitter"}),
    (["Who", "Notes"], {}, ["title", "speaker"], {"title": "Notes", "speaker": "Who"}),
    (["Presenter(s)", "Contribution"], {}, ["title", "speaker"], {"title": "Contribution", "speaker": "Presenter(s)"}),
    (["Speakers", "H" * 200], {}, ["title", "speaker"], {"title": None, "speaker": "Speakers"}),
])
def test_the_likeliest_headers_are_proposed_each_once(headers, assigned, needed, expected):
    assert suggest_columns(headers, assigned, needed) == expected


def test_cli_help_names_every_role():
    run = talkgraph("build", "--help")
    assert "--column ROLE=HEADER" in run.stdout
    assert all(role.role in " ".join(run.stdout.split()) for role in ROLES)


# ------------------------------------------------------------------ rejects name the table's own headers

@pytest.mark.parametrize("header, columns, row, reason", [
    (["Paper", "Submitter"], {"title": "Paper", "speaker": "Submitter"}, ["", "Ada Lovelace"],
     "no title (the 'Paper' cell is empty)"),
    (["Paper", "Submitter"], {"title": "Paper", "speaker": "Submitter"}, ["A talk", ""],
     "no speaker name (the 'Submitter' cell is empty)"),
    (HEADER, None, ["", "", "A talk", "", "", ""], "no speaker name (the 'First Name' and 'Surname' cells are empty)"),
    (["Title", "Last Name", "First Name", "Speaker"], None, ["A talk", "", "", ""],
     "no speaker name (the 'First Name', 'Last Name' and 'Speaker' cells are empty)"),
])
def test_reject_reasons_name_the_tables_own_headers(write_table, header, columns, row, reason):
    record = to_record(next(read_table(write_table([header, row]), columns=columns).rows()))
    assert record.reason == reason


def test_the_docs_list_every_role_and_header_name():
    page = (ROOT / "docs" / "tables.md").read_text(encoding="utf-8")
    rows = {line.split("|")[1].strip(" `"): line for line in page.splitlines() if line.startswith("| `")}
    for role in ROLES:
        assert role.role in rows, f"docs/tables.md has no row for the role {role.role}"
        missing = [alias for alias in role.aliases if f"`{alias}`" not in rows[role.role]]
        assert not missing, f"docs/tables.md: the row of {role.role} lacks {missing}"


HEADS = json.loads((ROOT / "graph" / "tables" / "roles.json").read_text(encoding="utf-8"))["heads"]


@pytest.mark.parametrize("header, field", HEADS["examples"], ids=[e[0] for e in HEADS["examples"]])
def test_each_example_of_the_head_rule(header, field):
    from talkgraph.tables.roles import head_field

    assert head_field(header) == field


def test_a_table_in_a_registration_systems_layout_is_read_by_the_heads_of_its_headers(write_table):
    # data/dev-set-8's layout: no header is a name the roles list, every text column names its role by its head
    headers = ["Contribution ID", "Given name", "Family name", "Title of contribution", "Abstract",
               "Scientific topics", "Techniques"]
    table = read_table(write_table([headers, ["801", "Ada", "Lovelace", "A talk", "Text.", "Galaxies", "CNN"]]))
    assert {field: table.headers[i] for field, i in table.columns.items()} == {
        "first_name": "Given name", "surname": "Family name", "title": "Title of contribution",
        "abstract": "Abstract", "keywords": "Scientific topics", "methods": "Techniques"}
    assert table.extra_columns == {0: "Contribution ID"}


def test_two_headers_that_claim_a_role_by_their_heads_give_it_to_neither(write_table):
    headers = ["Speaker", "Title of contribution", "Title of the poster", "Abstract"]
    with pytest.raises(MissingColumnError) as caught:
        read_table(write_table([headers, ["Ada Lovelace", "A talk", "A poster", "Text."]]))
    assert '--column title="Title of ' in caught.value.hint  # either: the user decides


def test_a_role_named_by_a_header_is_not_taken_by_another_headers_head(write_table):
    table = read_table(write_table([["Speaker", "Title", "Title of the session", "Abstract"],
                                    ["Ada Lovelace", "A talk", "Morning", "Text."]]))
    assert table.headers[table.columns["title"]] == "Title"


def test_the_hint_never_proposes_an_identifier_column(write_table):
    with pytest.raises(MissingColumnError) as caught:
        read_table(write_table([["Contribution ID", "Given name", "Family name", "Paper name", "Abstract"],
                                ["1", "Ada", "Lovelace", "A talk", "Text."]]))
    assert '--column title="Paper name"' in caught.value.hint


def test_the_warning_of_a_missing_optional_column_proposes_a_column_that_shares_a_word(write_table):
    table = read_table(write_table([["First Name", "Surname", "Title", "Summary text", "Astro fields", "Notes"],
                                    ["Ada", "Lovelace", "A talk", "Text.", "Galaxies", "x"]]))
    assert table.optional_hint == ('--column astronomy-keywords="Astro fields" --column abstract="Summary text"')
    bare = read_table(write_table([["First Name", "Surname", "Title", "Notes"], ["Ada", "Lovelace", "A talk", "x"]]))
    assert bare.optional_hint == ""
    typo = read_table(write_table([["First Name", "Surname", "Title", "Abstarct"], ["Ada", "Lovelace", "A talk", "x"]]))
    assert typo.optional_hint == '--column abstract="Abstarct"'  # a word spelt nearly as a name of the role


@pytest.mark.parametrize("headers, expected", [
    # Airtable's grid view: its first column, "Name", is the record's name; the speaker has a column of their own
    (["Name", "Speaker name", "Institution", "Science area", "ML methods", "Abstract"],
     {"title": "Name", "speaker": "Speaker name", "affiliation": "Institution", "domains": "Science area",
      "methods": "ML methods", "abstract": "Abstract"}),
    # Notion's export: "Name" first, the speaker's column named by its role
    (["Name", "Speaker", "Abstract"], {"title": "Name", "speaker": "Speaker", "abstract": "Abstract"}),
    # a title column of its own: "Name" is the speaker's, as before
    (["Name", "Title", "Abstract"], {"title": "Title", "speaker": "Name", "abstract": "Abstract"}),
    (["Name", "Email", "Talk", "Abstract"], {"title": "Talk", "speaker": "Name", "abstract": "Abstract"}),
])
def test_a_bare_name_column_gives_way_and_left_over_is_the_title(write_table, headers, expected):
    table = read_table(write_table([headers, [f"cell {i}" for i in range(len(headers))]]))
    assert {field: table.headers[i] for field, i in table.columns.items()} == expected


def test_a_bare_name_given_a_role_by_hand_keeps_it(write_table):
    table = read_table(write_table([["Name", "Speaker name", "Talk title", "Abstract"], ["a", "b", "c", "d"]]),
                       columns={"speaker": "Name"})
    assert table.headers[table.columns["speaker"]] == "Name"
    assert table.headers[table.columns["title"]] == "Talk title"


def test_a_path_of_json_field_names_is_read_as_its_names(write_table):
    # an ML workshop's OpenReview notes, flattened by pandas' json_normalize (data/dev-set-33's layout)
    headers = ["id", "number", "content.title.value", "content.authors.value", "content.keywords.value",
               "content.abstract.value", "content.TLDR.value", "content.primary_area.value"]
    table = read_table(write_table([headers, ["aB3", "1", "Flows", "['Ana Gómez', 'Li Wei']", "['SBI']", "Text.",
                                              "", "physical sciences"]]))
    assert {field: table.headers[i] for field, i in table.columns.items()} == {
        "title": "content.title.value", "speaker": "content.authors.value", "keywords": "content.keywords.value",
        "abstract": "content.abstract.value"}
    assert table.further_columns["keywords"] == (headers.index("content.primary_area.value"),)
    # a header that is not a path keeps its dots as punctuation
    from talkgraph.tables.roles import header_key
    assert header_key("Abstract (max. 300 words)") == "abstract max 300 words"
    assert header_key("content.value") == "content value"  # nothing left but wrappers: the names as they are


@pytest.mark.parametrize("headers, expected, further", [
    # Zotero's CSV export of a reading list (data/dev-set-34's layout)
    (["Key", "Item Type", "Publication Year", "Author", "Title", "Publication Title", "Abstract Note",
      "Manual Tags", "Automatic Tags"],
     {"speaker": "Author", "title": "Title", "abstract": "Abstract Note", "keywords": "Manual Tags"},
     {"keywords": ["Automatic Tags"]}),
    # an event app's agenda (data/dev-set-35's layout): each agenda item is a "session"; with no keyword column,
    # the track (the committee's topic area) is the talk's declaration
    (["Date", "Start Time", "Session Title", "Speakers", "Description", "Tracks", "Session Type"],
     {"title": "Session Title", "speaker": "Speakers", "abstract": "Description", "keywords": "Tracks"}, {}),
    # beside a keyword column a track is a session's name (data/dev-set-7's, -10's and -12's readers), no role
    (["Id", "Title", "Speaker", "Description", "Track", "Keywords"],
     {"title": "Title", "speaker": "Speaker", "abstract": "Description", "keywords": "Keywords"}, {}),
    (["Title", "Speaker", "Abstract", "Track", "Astronomy field"],
     {"title": "Title", "speaker": "Speaker", "abstract": "Abstract", "domains": "Astronomy field"}, {}),
    # a programme with a title of its own: "Session title" is the session's
    (["Day", "Session title", "Speaker", "Title", "Abstract"],
     {"speaker": "Speaker", "title": "Title", "abstract": "Abstract"}, {}),
    # two headers that claim a keyword role by their heads both have it
    (["Title", "Speaker", "Scientific topics", "Technical topics"],
     {"title": "Title", "speaker": "Speaker", "keywords": "Scientific topics"}, {"keywords": ["Technical topics"]}),
    # a Web of Science tab-delimited export (data/dev-set-36's layout): its two-letter field tags
    ("PT AU AF TI SO LA DT DE ID AB C1 PY VL DI UT WC".split(),
     {"title": "TI", "speaker": "AF", "abstract": "AB", "keywords": "DE"}, {"keywords": ["ID"]}),
    ("PT AU TI SO AB".split(), {"title": "TI", "speaker": "AU", "abstract": "AB"}, {}),  # no AF: AU
    (["ID", "TI", "AB", "Speaker"], {"speaker": "Speaker"}, {}),  # two letters alone are no field tags
    # a review sheet (data/dev-set-38's layout): a participle after its noun is no head
    (["Sub. #", "Presenter (Last, First)", "Title of contribution", "Abstract (max 250 words)", "Science category",
      "ML methods used"],
     {"speaker": "Presenter (Last, First)", "title": "Title of contribution", "abstract": "Abstract (max 250 words)",
      "domains": "Science category", "methods": "ML methods used"}, {}),
])
def test_the_columns_of_reference_managers_event_apps_and_field_tags(headers, expected, further):
    from talkgraph.tables.roles import assign_columns, further_columns

    assigned = assign_columns(headers)
    assert {field: headers[i] for field, i in assigned.items()} == expected
    assert {field: [headers[i] for i in indexes] for field, indexes in further_columns(headers, assigned).items()} \
        == further


def test_the_hint_never_proposes_a_column_that_names_another_role(write_table):
    # data/dev-set-33 unseen: 'content.abstract.value' was proposed as the title
    with pytest.raises(MissingColumnError) as caught:
        read_table(write_table([["ident", "Abstract body", "Submission", "Presenter info"],
                                ["1", "A long text.", "A talk", "Ada Lovelace"]]))
    assert '--column title="Submission"' in caught.value.hint
    assert '--column speaker="Presenter info"' in caught.value.hint


def test_a_table_whose_header_is_not_read_is_told_of_its_widest_line_not_its_title_line(tmp_path):
    # an agenda's export (data/dev-set-35 unseen): a title line, then a header no role was read from; the hint
    # used to propose the title line as the speaker's column
    path = tmp_path / "agenda.csv"
    path.write_text("ML for the Cosmos - Agenda\n\nSlot,Heading,Person,Body\n09:30,Flares,Ada Lovelace,A talk.\n",
                    encoding="utf-8")
    with pytest.raises(MissingColumnError) as caught:
        read_table(path)
    assert caught.value.line == 3
    assert "'Slot', 'Heading', 'Person', 'Body'" in str(caught.value)
    assert "Agenda" not in caught.value.hint


@pytest.mark.parametrize("headers, rows, expected", [
    # headers that say nothing: the columns are proposed for what they hold
    (["Slot", "Heading", "Person", "Body"],
     [["09:30", "Deep flows for weak lensing", "Ada Lovelace", "A long abstract about lensing " * 4],
      ["10:00", "Finding exoplanets with CNNs", "Alan Turing", "Another long abstract " * 5]],
     ('--column title="Heading"', '--column speaker="Person"')),
    # a venue that repeats is no title, a summary that ends in a full stop less likely than the title, and
    # epoch milliseconds no person; a printed list of people is
    (["cdate", "venue", "tldr", "t1", "a1"],
     [["1700000000000", "ML4PS 2024 Poster", "We use normalizing flows to map dark matter.",
       "Normalizing flows for weak-lensing mass maps", "['Ana Gómez', 'Li Wei']"],
      ["1700000000001", "ML4PS 2024 Poster", "Transformers classify light curves of transients.",
       "Transformers for light curves of the Rubin era", "['Seán Ó Briain']"]],
     ('--column title="t1"', '--column speaker="a1"')),
])
def test_the_hint_proposes_columns_by_what_they_hold(write_table, headers, rows, expected):
    with pytest.raises(MissingColumnError) as caught:
        read_table(write_table([headers, *rows]))
    for option in expected:
        assert option in caught.value.hint


def test_a_bilingual_header_is_read_by_its_english_words_singular_or_plural(write_table):
    # data/dev-set-41's layout: Chinese then English in each header; "Astronomy field" as "astronomy fields"
    headers = ["序号 No.", "报告人 Speaker", "单位 Affiliation", "报告题目 Title", "摘要 Abstract",
               "天文领域 Astronomy field", "机器学习方法 ML methods", "时间 Time"]
    table = read_table(write_table([headers, ["1", "Li Wei", "NAOC", "A talk", "Text.", "Galaxies、Cosmology",
                                              "CNN、Transformers", "10:30-10:50"]]))
    assert {field: table.headers[i] for field, i in table.columns.items()} == {
        "speaker": "报告人 Speaker", "affiliation": "单位 Affiliation", "title": "报告题目 Title",
        "abstract": "摘要 Abstract", "domains": "天文领域 Astronomy field", "methods": "机器学习方法 ML methods"}


def test_a_hack_weeks_project_sheet_is_read(write_table):
    # data/dev-set-44's layout: projects by name, their lead, a pitch
    headers = ["Project name", "Project lead", "Team members", "Pitch", "What you'll use", "Science area", "Status"]
    table = read_table(write_table([headers, ["Flows for the Galaxy", "Ada Lovelace", "", "A pitch.", "PyTorch",
                                              "Galaxies", "idea"]]))
    assert {field: table.headers[i] for field, i in table.columns.items()} == {
        "title": "Project name", "speaker": "Project lead", "abstract": "Pitch", "domains": "Science area"}
    # beside a title of its own, "Project name" is the project's
    table = read_table(write_table([["Title", "Speaker", "Project name"], ["A talk", "Ada Lovelace", "Flows"]]))
    assert table.headers[table.columns["title"]] == "Title"


def test_a_bibtex_export_reads_its_people_and_titles(tmp_path):
    # JabRef's CSV of an ADS BibTeX library (data/dev-set-43): the speaker was read as given name
    # "{Bai}, Yu and {Liu}, JiFeng and {Wang}, YiLun and", family name "others"
    path = tmp_path / "library.csv"
    path.write_text('"Identifier","Author","Title","Abstract"\n'
                    '"2020AJ....159...84B","{Bai}, Yu and {Liu}, JiFeng and others","{Extinction of $Gaia$ stars}","Text."\n'
                    '"2023A&A...669A..12D","{Dom{\\\'\\i}nguez S{\\\'a}nchez}, H. and {Coelho}, P.","{J-PAS: stellar populations}","Text."\n',
                    encoding="utf-8")
    first, second = (to_record(row) for row in read_table(path).rows())
    assert (first.given_name, first.family_name, first.title) == ("Yu", "Bai", "Extinction of $Gaia$ stars")
    assert (second.given_name, second.family_name) == ("H.", "Domínguez Sánchez")


@pytest.mark.parametrize("cell, given, family", [
    ("Ada Lovelace and Alan Turing", "Ada", "Lovelace"),  # a one-person column listing two all the same
    ("Lovelace, Ada; Turing, Alan", "Ada", "Lovelace"),
    ("Ada Lovelace", "Ada", "Lovelace"),
])
def test_a_one_person_column_that_lists_people_gives_the_first(write_table, cell, given, family):
    record = to_record(next(read_table(write_table([["Title", "Speaker"], ["A talk", cell]])).rows()))
    assert (record.given_name, record.family_name) == (given, family)
