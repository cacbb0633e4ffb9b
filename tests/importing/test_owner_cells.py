"""Owner cells as councils write them: names run together, line breaks from every reader, brackets, initials."""

from __future__ import annotations

import zipfile
from pathlib import Path

import docx
import pytest
from sqlalchemy import Engine

from bot.domain import Surface
from bot.importing.owners import known_names, read_owners
from bot.services import people_names
from store.session import transaction
from tests.conftest import NOW
from tests.importing.builders import WordTable, write_csv, write_docx, write_xlsx
from tests.importing.conftest import Importer, Stored

KNOWN = known_names(["Deb Poole", "Kevin Dicks", "Jayne Pickering", "Chief Executive", "Communications Team"])

RUN_TOGETHER = [
    ("CMT Deb Poole", ["CMT", "Deb Poole"]),  # a group then a person
    ("Deb Poole CMT", ["Deb Poole", "CMT"]),  # a person then a group
    ("Kevin Dicks Communications Team", ["Kevin Dicks", "Communications Team"]),
    ("CMT HoS Leaders", ["CMT", "Heads of Service", "Leaders"]),  # three groups
    ("Jayne Pickering Deb Poole Kevin Dicks", ["Jayne Pickering", "Deb Poole", "Kevin Dicks"]),
    ("Chief Executive Group Leaders", ["Chief Executive", "Group Leaders"]),
    ("Deb Poole Sam Smith", ["Deb Poole", "Sam Smith"]),  # what is left over is a name of its own
]


@pytest.mark.parametrize(("cell", "owners"), RUN_TOGETHER)
def test_known_names_run_together_are_told_apart(cell: str, owners: list[str]) -> None:
    assert [name.name for name in read_owners(cell, KNOWN).names] == owners


def test_a_typed_line_break_separates_owners_even_when_together_they_are_a_known_name() -> None:
    known = known_names(["Deb Poole Kevin Dicks", "Deb Poole", "Kevin Dicks"])  # an invented person, known already
    assert [name.name for name in read_owners("Deb Poole\nKevin Dicks", known).names] == ["Deb Poole", "Kevin Dicks"]


def test_what_is_left_over_beside_known_names_is_marked_to_be_checked() -> None:
    deb, sam = read_owners("Deb Poole Sam Smith", KNOWN).names
    assert (deb.leftover_of, sam.leftover_of) == (None, "Deb Poole Sam Smith")


@pytest.mark.parametrize(
    "cell",
    [
        "Head of Communications Team",  # a known name tied to a job title by "of" stays in it
        "Deputy Chief Executive",  # a lone word left over is no name: the title stays whole
        "Sam Smith",  # nothing known in it
        "Director (Planning & Regeneration)",  # brackets keep their separators
    ],
)
def test_job_titles_and_unknown_names_stay_whole(cell: str) -> None:
    assert [name.name for name in read_owners(cell, KNOWN).names] == [cell]


def test_bracketed_parts_of_job_titles_stay_and_a_note_after_a_name_goes() -> None:
    cell = read_owners("Director (Planning & Regeneration) / Kevin Dicks (Chief Executive)", KNOWN)
    assert [name.name for name in cell.names] == ["Director (Planning & Regeneration)", "Kevin Dicks"]
    assert [n.name for n in read_owners("Head of Service (Housing), CMT").names] == ["Head of Service (Housing)", "CMT"]


def test_short_initials_are_people_marked_to_be_linked_unless_a_group_word_says_otherwise() -> None:
    cell = read_owners("LT/BR")
    assert [(n.name, n.looks_like_group, n.initials) for n in cell.names] == [("LT", False, True), ("BR", False, True)]
    assert [(n.name, n.looks_like_group) for n in read_owners("DMT / SLT / L.T.").names] == [
        ("DMT", True), ("SLT", True), ("L.T", False)]


def _word_with_breaks(path: Path) -> Path:
    """A Word plan whose owner cells break lines both ways Word can: new paragraphs and manual line breaks."""
    document = docx.Document()
    table = document.add_table(rows=3, cols=4)
    for column, text in enumerate(["Recommendation", "Action", "Lead Officer", "Timescale"]):
        table.cell(0, column).text = text
    for row, text in ((1, "Paragraphs"), (2, "Line breaks")):
        table.cell(row, 0).text = "Review the constitution"
        table.cell(row, 1).text = text
        table.cell(row, 3).text = "Q1 2019"
    table.cell(1, 2).text = "Sam Smith"
    table.cell(1, 2).add_paragraph("Jo Bloggs")
    run = table.cell(2, 2).paragraphs[0].add_run("Ann Other")
    run.add_break()
    run.add_text("Jo Bloggs")
    document.save(str(path))
    return path


def test_line_breaks_typed_in_word_always_separate_owners(tmp_path: Path, run_import: Importer, stored: Stored) -> None:
    run_import(_word_with_breaks(tmp_path / "plan.docx"), review="Breaks")
    assert stored.owners(stored.action("Paragraphs")) == ["Sam Smith", "Jo Bloggs"]
    assert stored.owners(stored.action("Line breaks")) == ["Ann Other", "Jo Bloggs"]


def _escaped_xlsx(path: Path) -> Path:
    """An Excel file as older Excel writes a typed line break in a cell: _x000D_ before the new line; and a
    Word line break pasted into a cell, kept as a vertical tab (_x000B_)."""
    write_xlsx(path, {"Plan": [["Recommendation", "Action", "Lead Officer", "Timescale"],
                               ["Review", "Alt+Enter", "Sam SmithQQJo Bloggs", "Q1 2019"],
                               ["", "Pasted from Word", "Ann OtherVTJo Bloggs", "Q1 2019"],
                               ["", "Plain new line", "Pat Kerr\nJo Bloggs", "Q1 2019"]]})  # fmt: skip
    packed = path.read_bytes()
    path.unlink()
    source = tmp_path_zip = path.with_suffix(".orig.xlsx")
    tmp_path_zip.write_bytes(packed)
    with zipfile.ZipFile(source) as zin, zipfile.ZipFile(path, "w") as zout:
        for item in zin.infolist():
            data = zin.read(item.filename).replace(b"QQ", b"_x000D_\n").replace(b"VT", b"_x000B_")
            zout.writestr(item, data)
    return path


def test_line_breaks_typed_in_excel_always_separate_owners(
    tmp_path: Path, run_import: Importer, stored: Stored
) -> None:
    run_import(_escaped_xlsx(tmp_path / "plan.xlsx"), review="Breaks")
    assert stored.owners(stored.action("Alt+Enter")) == ["Sam Smith", "Jo Bloggs"]
    assert stored.owners(stored.action("Pasted from Word")) == ["Ann Other", "Jo Bloggs"]
    assert stored.owners(stored.action("Plain new line")) == ["Pat Kerr", "Jo Bloggs"]


def test_line_breaks_in_a_csv_cell_always_separate_owners(tmp_path: Path, run_import: Importer, stored: Stored) -> None:
    rows = [["Recommendation", "Action", "Lead Officer", "Timescale"],
            ["Review", "Windows line ends", "Sam Smith\r\nJo Bloggs", "Q1 2019"],
            ["", "Pasted from Word", "Ann Other\x0bJo Bloggs", "Q1 2019"]]  # fmt: skip
    run_import(write_csv(tmp_path / "plan.csv", rows), review="Breaks")
    assert stored.owners(stored.action("Windows line ends")) == ["Sam Smith", "Jo Bloggs"]
    assert stored.owners(stored.action("Pasted from Word")) == ["Ann Other", "Jo Bloggs"]


RUN_TOGETHER_PLAN = [
    ["Recommendation", "Action", "Lead Officer", "Timescale"],
    ["Governance", "Review the constitution", "CMT Deb Poole", "Q1 2019"],  # before Deb Poole is seen alone
    ["", "Update protocols", "Deb Poole", "Q1 2019"],
    ["", "Brief members", "Kevin Dicks Communications Team", "Q2 2019"],
    ["", "Publish the map", "Communications Team Kevin Dicks", "Q2 2019"],
    ["", "Train scrutiny members", "Jayne Pickering Deb Poole Kevin Dicks", "Q3 2019"],
    ["", "Three groups", "CMT\nHoS\nLeaders", "Q3 2019"],
    ["", "Group then person", "Leaders Jayne Pickering", "Q4 2019"],
    ["Finance", "Refresh the strategy", "Director (Finance & Resources) Deb Poole", "Q4 2019"],
    ["", "Agree savings", "Director (Finance & Resources)", "Q4 2019"],
    ["", "Report savings", "Deb Poole Sam Smith", "Q4 2019"],
    ["", "Engage staff", "LT/BR", "Q4 2019"],
    ["Scrutiny", "Evaluate capacity", "Kevin Dicks", "Q1 2020"],
    ["", "Run a survey", "Jayne Pickering", "Q1 2020"],
]


def test_a_plan_of_run_together_owner_cells_creates_only_real_people(
    tmp_path: Path, run_import: Importer, stored: Stored
) -> None:
    report = run_import(write_docx(tmp_path / "plan.docx", WordTable(RUN_TOGETHER_PLAN)), review="Run together")
    people = stored.people()
    owners = people + stored.groups()
    assert people == ["BR", "Deb Poole", "Director (Finance & Resources)", "Jayne Pickering", "Kevin Dicks", "LT",
                      "Sam Smith"]  # fmt: skip
    for person in people:
        others = [o for o in owners if o != person and f" {o.lower()} " in f" {person.lower()} "]
        assert others == [], f"{person!r} holds {others}"
    assert stored.owners(stored.action("Review the constitution")) == ["CMT", "Deb Poole"]
    assert stored.owners(stored.action("Three groups")) == ["CMT", "Heads of Service", "Leaders"]
    assert stored.owners(stored.action("Refresh the strategy")) == ["Director (Finance & Resources)", "Deb Poole"]
    flags = {flag.message.split(":")[0] for flag in report.flags if flag.topic == "owner"}
    assert flags == {
        "'Sam Smith' was left over beside names already known",
        "'LT' reads as initials",
        "'BR' reads as initials",
    }
    sam = next(f for f in report.flags if "Sam Smith" in f.message)
    assert (sam.written, sam.where.row) == ("Deb Poole Sam Smith", 11)


def test_merging_an_import_typo_does_not_need_the_file_to_change(
    engine: Engine, run_import: Importer, stored: Stored, tmp_path: Path
) -> None:
    plan_file = write_docx(tmp_path / "plan.docx", WordTable([
        ["Recommendation", "Action", "Lead Officer", "Timescale"],
        ["Review", "Draft terms of reference", "Deb Poole Kevin Dicks", "Q1 2019"],
        ["", "Consult members", "Kevin Dicks", "Q2 2019"],
    ]))  # fmt: skip
    run_import(plan_file, review="CPC")
    assert stored.owners(stored.action("Draft terms of reference")) == ["Deb Poole", "Kevin Dicks"]
    with transaction(engine) as session:
        people_names.merge(session, "Deb Poole", "Kevin Dicks", by=None, now=NOW, surface=Surface.CLI)
    report = run_import(plan_file, review="CPC")
    assert stored.people() == ["Kevin Dicks"]
    assert stored.owners(stored.action("Draft terms of reference")) == ["Kevin Dicks"]
    assert report.owners_new == 0
