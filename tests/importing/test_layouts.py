"""Headings and layouts as other councils write them: scrutiny action plans, peer challenge responses, reviews."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from sqlalchemy import Engine

from bot.core import Core
from bot.domain import Role
from bot.importing.headers import Column, column_of
from bot.importing.values import reads_as_heading
from tests.factories import Chat, PlanFactory
from tests.importing.builders import WordTable, write_csv, write_docx, write_xlsx
from tests.importing.conftest import Importer, Stored


@pytest.mark.parametrize("header", ["Timetable", "Timeframe", "Target", "When", "Date for completion", "Time frame"])
def test_time_columns_headed_as_councils_head_them_are_timescales(header: str) -> None:
    assert column_of(header) is Column.TIMESCALE


@pytest.mark.parametrize(
    ("header", "column"),
    [("Recommendation[i]", Column.RECOMMENDATION), ("Lead Officer²", Column.OWNER), ("Timescale*", Column.TIMESCALE),
     ("No.¹", Column.REF), ("Action [2]", Column.ACTION), ("Status†", Column.STATUS),
     ("By when? (1)", Column.TIMESCALE)],
)  # fmt: skip
def test_endnote_and_footnote_markers_are_read_as_if_absent(header: str, column: Column) -> None:
    assert column_of(header) is column


def test_headers_with_markers_import_a_plan(tmp_path: Path, run_import: Importer, stored: Stored) -> None:
    rows = [["Recommendation[i]", "Action[ii]", "Lead Officer²", "Timetable*"],
            ["Review the constitution", "Commission the review", "Deb Poole", "March 2019"]]  # fmt: skip
    run_import(write_csv(tmp_path / "plan.csv", rows), review="Scrutiny")
    action = stored.action("Commission the review")
    assert (stored.owners(action), action.due_date) == (["Deb Poole"], date(2019, 3, 31))


@pytest.mark.parametrize(
    ("officer", "member"),
    [("Lead Officer", "Chief Officer / Cabinet Member"), ("Responsible Officer", "Portfolio Holder"),
     ("Lead Officer", "Lead Member")],
)  # fmt: skip
def test_the_officer_column_owns_and_the_member_is_kept_on_the_action(
    tmp_path: Path, run_import: Importer, stored: Stored, officer: str, member: str
) -> None:
    rows = [["Recommendation", "Action", officer, member, "Timescale"],
            ["Review waste collection", "Consult residents", "Deb Poole", "Cllr Helen Ward", "June 2019"]]  # fmt: skip
    report = run_import(write_csv(tmp_path / "plan.csv", rows), review="Waste scrutiny")
    action = stored.action("Consult residents")
    assert (stored.owners(action), action.member) == (["Deb Poole"], "Cllr Helen Ward")
    assert stored.people() == ["Deb Poole"], "the member is never made an owner"
    assert not any("not used" in notice for notice in report.notices)


def test_a_member_column_alone_is_the_owner_column(tmp_path: Path, run_import: Importer, stored: Stored) -> None:
    rows = [["Recommendation", "Action", "Portfolio Holder", "Timescale"],
            ["Review waste collection", "Consult residents", "Cllr Helen Ward", "June 2019"]]  # fmt: skip
    run_import(write_csv(tmp_path / "plan.csv", rows), review="Waste scrutiny")
    assert stored.owners(stored.action("Consult residents")) == ["Cllr Helen Ward"]


def test_the_member_is_shown_and_exported_and_a_change_is_audited(
    tmp_path: Path, run_import: Importer, stored: Stored, engine: Engine, core: Core, plan: PlanFactory, chat: Chat
) -> None:
    header = ["Recommendation", "Action", "Lead Officer", "Portfolio Holder", "Timescale"]
    run_import(write_csv(tmp_path / "v1.csv", [header, ["Review", "Consult residents", "Deb Poole", "Cllr Ward",
                                                         "June 2019"]]), review="Waste")  # fmt: skip
    action = stored.action("Consult residents")
    admin = plan.person("Sarah Collins", Role.ADMIN)
    assert "Member: Cllr Ward" in chat.text(admin, f"show {action.id}")
    from bot.exporting import export_rows
    from store.session import transaction

    with transaction(engine, write=False) as session:
        (row,) = export_rows(session, today=date(2019, 1, 14), zone=core.settings.zone)
    assert row.record()["member"] == "Cllr Ward"
    run_import(write_csv(tmp_path / "v2.csv", [header, ["Review", "Consult residents", "Deb Poole", "Cllr Patel",
                                                         "June 2019"]]), review="Waste")  # fmt: skip
    assert stored.action("Consult residents").member == "Cllr Patel"
    assert stored.updates(action)[-1].note == "Changed by import: member “Cllr Ward” → “Cllr Patel”"


@pytest.mark.parametrize("response", ["Proposal", "Response", "Proposed action"])
def test_an_action_column_beside_a_response_is_the_recommendation(
    tmp_path: Path, run_import: Importer, stored: Stored, response: str
) -> None:
    rows = [["Action", response, "Lead Officer", "Timescale", "Budget"],
            ["Strengthen scrutiny of the budget", "Hold a budget scrutiny panel each January", "Deb Poole",
             "January 2019", "£5,000"]]  # fmt: skip
    report = run_import(write_csv(tmp_path / "plan.csv", rows), review="Scrutiny")
    (action,) = stored.actions()
    assert action.text == "Hold a budget scrutiny panel each January"
    assert stored.recommendation_of(action).text == "Strengthen scrutiny of the budget"
    assert report.notices[0] == (
        "the file: column 'Budget' not used: its contents are not imported (if they matter, head it Progress to keep "
        "them as the action's note, or move them into the action text)"
    )


def test_a_second_owner_column_is_named_with_what_to_do(tmp_path: Path, run_import: Importer) -> None:
    rows = [["Recommendation", "Action", "Lead Officer", "Responsible Officer", "Timescale"],
            ["Review", "Consult", "Deb Poole", "Kevin Dicks", "June 2019"]]  # fmt: skip
    report = run_import(write_csv(tmp_path / "plan.csv", rows), review="Scrutiny")
    assert "the file: column 'Responsible Officer' not used: 'Lead Officer' is read as the owner column (put both " \
           "in one column to import both)" in report.notices


@pytest.mark.parametrize(
    ("text", "heading"),
    [("Recommendations for Scrutiny", True), ("Theme 2: Leadership of Place", True), ("Scrutiny Review", True),
     ("1: Recommendations structural and constitutional governance", True),
     ("Review the constitution", False), ("Ensure interaction with safeguarding boards is regular.", False),
     ("The council should publish its forward plan", False), ("Invest more time in understanding residents", False)],
)  # fmt: skip
def test_a_heading_is_a_theme_title_and_a_recommendation_has_a_verb(text: str, heading: bool) -> None:
    assert reads_as_heading(text) is heading


def _rows_with_recommendation_rows() -> list[list[str]]:
    return [
        ["Action", "Lead Officer", "Timescale"],
        ["Leadership of Place", "", ""],
        ["Enhance relationships with businesses and partners", "", ""],
        ["Hold a business breakfast each quarter", "Mike Taylor", "Q1 2019"],
        ["Agree an inward investment policy", "Mike Taylor", "Q2 2019"],
        ["Review the safeguarding boards' reporting", "", ""],
        ["Report to the boards each quarter", "Priya Shah", "Ongoing"],
    ]


@pytest.mark.parametrize("kind", ["csv", "xlsx", "docx", "docx-merged"])
def test_a_row_across_a_plan_without_a_recommendation_column_is_the_recommendation_of_the_rows_after(
    tmp_path: Path, run_import: Importer, stored: Stored, kind: str
) -> None:
    rows = _rows_with_recommendation_rows()
    if kind == "csv":
        path = write_csv(tmp_path / "plan.csv", rows)
    elif kind == "xlsx":
        path = write_xlsx(tmp_path / "plan.xlsx", {"Plan": rows}, merges={"Plan": ["A2:C2", "A3:C3", "A6:C6"]})
    elif kind == "docx":
        path = write_docx(tmp_path / "plan.docx", WordTable(rows))
    else:
        merged = [[row[0], "", ""] if not row[1] else row for row in rows]
        path = write_docx(tmp_path / "plan.docx", WordTable(merged, merges=[(1, 0, 1, 2), (2, 0, 2, 2), (5, 0, 5, 2)]))
    run_import(path, review="Place")
    recs = stored.recommendations()
    assert [(r.section, r.text) for r in recs] == [
        ("Leadership of Place", "Enhance relationships with businesses and partners"),
        ("Leadership of Place", "Review the safeguarding boards' reporting"),
    ]
    assert [(stored.recommendation_of(a).ref, a.text) for a in stored.actions()] == [
        ("1", "Hold a business breakfast each quarter"),
        ("1", "Agree an inward investment policy"),
        ("2", "Report to the boards each quarter"),
    ]
