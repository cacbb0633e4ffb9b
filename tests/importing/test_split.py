"""One cell, several owners and several dates, line by line: one action per line pair, found again on re-import."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from bot.domain import Status
from bot.importing.split import owner_entries, timescale_entries
from tests.importing.builders import WordTable, write_csv, write_docx, write_xlsx
from tests.importing.conftest import Importer, Stored

HEADER = ["Recommendation", "Action", "Lead Officer", "Timescale"]
ROWS = [
    ["Review the constitution", "Update member and officer protocols",
     "Deb Poole\nCMT\nKevin Dicks", "September 2018\nDecember 2018\nMarch 2019"],
    ["", "Brief all members", "Jayne Pickering\nKevin Dicks", "Ongoing\nQ1 2019"],
    ["", "Publish the protocols", "Deb Poole /\nCommunications Team", "September 2018\nand ongoing"],
    ["", "Train scrutiny members", "Deb Poole\nKevin Dicks\nCMT", "Q1 2019\nQ2 2019"],
]  # fmt: skip


def _word(path: Path, rows: list[list[str]] = ROWS) -> Path:
    return write_docx(path, WordTable([HEADER, *rows]))


def test_owner_and_timescale_lines_in_pairs_make_one_action_each(
    tmp_path: Path, run_import: Importer, stored: Stored
) -> None:
    report = run_import(_word(tmp_path / "plan.docx"), review="CPC")
    protocols = [a for a in stored.actions() if a.text == "Update member and officer protocols"]
    assert [(stored.owners(a), a.timescale, a.due_date) for a in protocols] == [
        (["Deb Poole"], "September 2018", date(2018, 9, 30)),
        (["CMT"], "December 2018", date(2018, 12, 31)),
        (["Kevin Dicks"], "March 2019", date(2019, 3, 31)),
    ]
    assert {stored.recommendation_of(a).ref for a in protocols} == {"1"}
    briefs = [a for a in stored.actions() if a.text == "Brief all members"]
    assert [(stored.owners(a), a.timescale) for a in briefs] == [(["Jayne Pickering"], "Ongoing"),
                                                                  (["Kevin Dicks"], "Q1 2019")]
    assert report.action_tally.created == 2 + 3 + 1 + 1
    lines = report.lines()
    split_at = lines.index("Split (2): one action per line of the owner and timescale cells (import with --no-split "
                           "to keep each whole)")
    assert lines[split_at + 1] == (
        '  table 1, row 2, column 2 (Action): "Update member and officer protocols" into 3 actions: '
        "Deb Poole (September 2018); CMT (December 2018); Kevin Dicks (March 2019)"
    )


def test_a_line_that_carries_on_the_one_before_is_not_an_entry_of_its_own(
    tmp_path: Path, run_import: Importer, stored: Stored
) -> None:
    run_import(_word(tmp_path / "plan.docx"), review="CPC")
    publish = stored.action("Publish the protocols")
    assert stored.owners(publish) == ["Deb Poole", "Communications Team"]
    assert publish.timescale == "September 2018 and ongoing"
    assert owner_entries("Deb Poole /\nCMT\nKevin Dicks &\nJayne Pickering") == [
        "Deb Poole / CMT", "Kevin Dicks & Jayne Pickering"]
    assert timescale_entries("September 2018\nand ongoing\nMarch 2019\n(then annually)") == [
        "September 2018 and ongoing", "March 2019 (then annually)"]


def test_when_the_line_counts_differ_the_action_stays_whole_and_is_flagged(
    tmp_path: Path, run_import: Importer, stored: Stored
) -> None:
    report = run_import(_word(tmp_path / "plan.docx"), review="CPC")
    train = stored.action("Train scrutiny members")
    assert stored.owners(train) == ["Deb Poole", "Kevin Dicks", "CMT"]
    assert train.due_date == date(2019, 3, 31)
    (flag,) = [f for f in report.flags if f.topic == "plan"]
    assert str(flag) == (
        'table 1, row 5, column 3 (Lead Officer): "Deb Poole Kevin Dicks CMT" 3 owners on separate lines but 2 '
        "timescales: not split into one action per owner; write one owner and one timescale per line, or split "
        "the action by hand"
    )


def test_a_split_plan_imported_again_changes_nothing(tmp_path: Path, run_import: Importer, stored: Stored) -> None:
    path = _word(tmp_path / "plan.docx")
    run_import(path, review="CPC")
    before = stored.row_counts()
    again = run_import(path, review="CPC")
    assert stored.row_counts() == before
    assert (again.action_tally.created, again.action_tally.updated, again.action_tally.unchanged) == (0, 0, 7)
    assert again.missing == []


def test_no_split_keeps_today_behaviour(tmp_path: Path, run_import: Importer, stored: Stored) -> None:
    report = run_import(_word(tmp_path / "plan.docx"), review="CPC", split=False)
    protocols = stored.action("Update member and officer protocols")
    assert stored.owners(protocols) == ["Deb Poole", "CMT", "Kevin Dicks"]
    assert protocols.due_date == date(2018, 9, 30)
    assert protocols.timescale_flag is not None and protocols.timescale_flag.endswith("split the action")
    assert report.split == [] and report.action_tally.created == 4


@pytest.mark.parametrize("kind", ["xlsx", "csv"])
def test_spreadsheets_split_the_same_way(tmp_path: Path, run_import: Importer, stored: Stored, kind: str) -> None:
    rows = [HEADER, ROWS[0]]
    path = write_xlsx(tmp_path / "plan.xlsx", {"Plan": rows}) if kind == "xlsx" else write_csv(tmp_path / "p.csv", rows)
    run_import(path, review="CPC")
    assert [stored.owners(a) for a in stored.actions()] == [["Deb Poole"], ["CMT"], ["Kevin Dicks"]]


def test_done_in_a_status_or_timescale_cell_means_100_percent(
    tmp_path: Path, run_import: Importer, stored: Stored
) -> None:
    rows = [
        [*HEADER, "Status", "% complete"],
        ["Review", "Complete in status", "Deb Poole", "March 2019", "Complete", "80%"],
        ["", "Achieved in status", "Deb Poole", "March 2019", "Achieved", ""],
        ["", "Completed in timescale", "Deb Poole", "Completed", "", "50%"],
        ["", "Achieved in timescale", "Deb Poole", "Achieved", "", ""],
    ]
    report = run_import(write_csv(tmp_path / "plan.csv", rows), review="CPC")
    assert [(a.text, a.status, a.percent_complete) for a in stored.actions()] == [
        ("Complete in status", Status.DONE, 100),
        ("Achieved in status", Status.DONE, 100),
        ("Completed in timescale", Status.DONE, 100),
        ("Achieved in timescale", Status.DONE, 100),
    ]
    assert [f.message for f in report.flags if f.topic == "percent"] == [
        "done means 100% complete: recorded as done at 100%, not 80%",
        "done means 100% complete: recorded as done at 100%, not 50%",
    ]
