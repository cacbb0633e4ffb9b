"""The progress report: the stable columns in CSV and JSON, and the committee workbook, read back."""

from __future__ import annotations

import csv
import io
import json
from datetime import UTC, date, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from openpyxl import load_workbook
from sqlalchemy import Engine

from bot.clock import FixedClock, today
from bot.domain import Rag, Role
from bot.exporting import COLUMNS, ExportRow, export_rows, write_csv, write_json, write_xlsx
from bot.exporting.xlsx import RAG_FILLS
from store.models import Review
from store.session import transaction
from tests.factories import Chat, PlanFactory

LONDON = ZoneInfo("Europe/London")
TODAY = date(2019, 1, 14)


@pytest.fixture
def report_plan(plan: PlanFactory, chat: Chat) -> dict[str, int]:
    """Two reviews: an overdue action, one at risk with a note, one done, one moved, one ongoing, one dropped."""
    deb = plan.person("Deb Poole")
    admin = plan.person("Sarah Collins", Role.ADMIN)
    cmt = plan.group("CMT", deb)
    cpc = plan.review("Corporate Peer Challenge 2018")
    scrutiny = plan.review("Scrutiny review: [waste] / recycling 2019")
    late = plan.action(deb, cmt, review=cpc, due_in=-10, text="Commission the constitutional review", rec_ref="1")
    risky = plan.action(deb, review=cpc, due_in=20, text="Draft the process map", rec_ref="2")
    chat.ask(deb, f"update {risky.id} at-risk 40% =HYPERLINK(\"http://evil.example\",\"click\")")
    done = plan.action(deb, review=cpc, due_in=-3, text="Publish the measures", rec_ref="3")
    chat.ask(deb, f"done {done.id} published on the intranet")
    moved = plan.action(deb, review=scrutiny, due_in=2, text="Survey residents", rec_ref="S1")
    chat.ask(deb, f"move {moved.id} 2019-03-29 survey company delayed")
    ongoing = plan.action(cmt, review=scrutiny, due_in=None, text="Monthly briefings", rec_ref="S2")
    dropped = plan.action(deb, review=scrutiny, due_in=-30, text="Old idea", rec_ref="S3")
    chat.ask(admin, f"drop {dropped.id} superseded by the new waste strategy")
    return {"late": late.id or 0, "risky": risky.id or 0, "done": done.id or 0, "moved": moved.id or 0,
            "ongoing": ongoing.id or 0, "dropped": dropped.id or 0}


def rows_of(engine: Engine, day: date = TODAY, review: str | None = None) -> list[ExportRow]:
    with transaction(engine, write=False) as session:
        ids = None
        if review:
            ids = [r.id or 0 for r in session.query(Review).filter(Review.title == review)]
        return export_rows(session, today=day, zone=LONDON, review_ids=ids)


def test_the_csv_has_the_stable_columns_and_one_row_per_action(engine: Engine, report_plan: dict[str, int]) -> None:
    out = io.StringIO()
    write_csv(rows_of(engine), out)
    records = list(csv.DictReader(io.StringIO(out.getvalue())))
    assert tuple(records[0].keys()) == COLUMNS == (
        "review", "section", "recommendation_ref", "recommendation", "action_id", "action", "owners", "member",
        "timescale", "due_date", "original_due_date", "status", "rag", "percent_complete", "latest_note", "updated_at",
        "days_overdue",
    )
    by_id = {int(r["action_id"]): r for r in records}
    assert [int(r["action_id"]) for r in records] == [
        report_plan[k] for k in ("late", "risky", "done", "moved", "ongoing", "dropped")]
    late = by_id[report_plan["late"]]
    assert (late["review"], late["recommendation_ref"], late["owners"], late["due_date"], late["status"],
            late["rag"], late["days_overdue"]) == (
        "Corporate Peer Challenge 2018", "1", "Deb Poole; CMT", "2019-01-04", "not_started", "red", "10")
    moved = by_id[report_plan["moved"]]
    assert (moved["due_date"], moved["original_due_date"], moved["latest_note"]) == (
        "2019-03-29", "2019-01-16", "survey company delayed")
    assert (by_id[report_plan["done"]]["rag"], by_id[report_plan["done"]]["percent_complete"]) == ("green", "100")
    assert (by_id[report_plan["ongoing"]]["due_date"], by_id[report_plan["ongoing"]]["rag"]) == ("", "grey")
    assert by_id[report_plan["dropped"]]["status"] == "dropped"
    assert by_id[report_plan["risky"]]["updated_at"] == "2019-01-14T10:30:00+00:00"


def test_a_note_that_looks_like_a_formula_is_defused_in_csv_and_kept_exact_in_json(
    engine: Engine, report_plan: dict[str, int]
) -> None:
    out = io.StringIO()
    write_csv(rows_of(engine), out)
    risky = [r for r in csv.DictReader(io.StringIO(out.getvalue())) if int(r["action_id"]) == report_plan["risky"]]
    assert risky[0]["latest_note"] == "'=HYPERLINK(\"http://evil.example\",\"click\")"
    out = io.StringIO()
    write_json(rows_of(engine), out)
    note = [r for r in json.loads(out.getvalue()) if r["action_id"] == report_plan["risky"]][0]["latest_note"]
    assert note == "=HYPERLINK(\"http://evil.example\",\"click\")"


def test_the_json_is_a_list_of_objects_with_the_same_keys_in_order(
    engine: Engine, report_plan: dict[str, int]
) -> None:
    out = io.StringIO()
    write_json(rows_of(engine), out)
    records = json.loads(out.getvalue())
    assert [tuple(record) for record in records] == [COLUMNS] * 6
    ongoing = [r for r in records if r["action_id"] == report_plan["ongoing"]][0]
    assert (ongoing["due_date"], ongoing["original_due_date"], ongoing["days_overdue"], ongoing["owners"]) == (
        None, None, 0, "CMT")


def test_overdue_and_rag_are_worked_out_against_the_councils_today(
    engine: Engine, report_plan: dict[str, int]
) -> None:
    late_evening = FixedClock(datetime(2019, 1, 24, 23, 30, tzinfo=UTC))
    auckland = today(late_evening, ZoneInfo("Pacific/Auckland"))
    london = today(late_evening, LONDON)
    assert (london, auckland) == (date(2019, 1, 24), date(2019, 1, 25))
    by_zone = {day: {r.action_id: r for r in rows_of(engine, day)} for day in (london, auckland)}
    assert by_zone[london][report_plan["late"]].days_overdue == 20
    assert by_zone[auckland][report_plan["late"]].days_overdue == 21
    assert by_zone[london][report_plan["risky"]].rag is Rag.AMBER


def test_the_workbook_has_a_summary_then_a_sheet_per_review_made_for_a_committee_paper(
    engine: Engine, report_plan: dict[str, int], tmp_path: Path
) -> None:
    path = tmp_path / "report.xlsx"
    write_xlsx(rows_of(engine), str(path), today=TODAY)
    book = load_workbook(path)
    assert book.sheetnames == ["Summary", "Corporate Peer Challenge 2018", "Scrutiny review waste recycling"]
    sheet = book["Corporate Peer Challenge 2018"]
    assert [c.value for c in sheet[1]] == list(COLUMNS)
    assert sheet.freeze_panes == "A2"
    assert sheet.auto_filter.ref == "A1:Q4"
    assert sheet.column_dimensions["F"].width == 60 and sheet.column_dimensions["D"].width == 48
    assert sheet.print_title_rows == "$1:$1" and sheet.page_setup.orientation == "landscape"
    late, risky, done = (sheet[row] for row in (2, 3, 4))
    column = {name: index for index, name in enumerate(COLUMNS)}
    assert late[column["due_date"]].value == datetime(2019, 1, 4)
    assert late[column["due_date"]].number_format == "dd/mm/yyyy"
    assert (late[column["status"]].value, late[column["rag"]].value, late[column["days_overdue"]].value) == (
        "Not started", "Red", 10)
    assert late[column["rag"]].fill.fgColor.rgb == RAG_FILLS[Rag.RED]
    assert risky[column["rag"]].fill.fgColor.rgb == RAG_FILLS[Rag.AMBER]
    assert done[column["rag"]].fill.fgColor.rgb == RAG_FILLS[Rag.GREEN]
    note = risky[column["latest_note"]]
    assert (note.value, note.data_type) == ("=HYPERLINK(\"http://evil.example\",\"click\")", "s")


def test_the_summary_sheet_counts_actions_by_rag_per_review(
    engine: Engine, report_plan: dict[str, int], tmp_path: Path
) -> None:
    path = tmp_path / "report.xlsx"
    write_xlsx(rows_of(engine), str(path), today=TODAY)
    summary = load_workbook(path)["Summary"]
    assert summary["A1"].value == "Progress report as of Mon 14 Jan 2019"
    table = [[cell.value for cell in row] for row in summary.iter_rows(min_row=3, max_row=6)]
    assert table == [
        ["Review", "Actions", "Red", "Amber", "Green", "Grey", "Overdue", "Done"],
        ["Corporate Peer Challenge 2018", 3, 1, 1, 1, 0, 1, 1],
        ["Scrutiny review: [waste] / recycling 2019", 3, 0, 0, 0, 3, 0, 0],
        ["All reviews", 6, 1, 1, 1, 3, 1, 1],
    ]
    assert summary["C3"].fill.fgColor.rgb == RAG_FILLS[Rag.RED]
    assert summary.freeze_panes == "A4"


def test_an_empty_plan_exports_just_the_headers(engine: Engine, tmp_path: Path) -> None:
    out = io.StringIO()
    write_csv(rows_of(engine), out)
    assert out.getvalue() == ",".join(COLUMNS) + "\r\n"
    write_xlsx([], str(tmp_path / "empty.xlsx"), today=TODAY)
    assert load_workbook(tmp_path / "empty.xlsx").sheetnames == ["Summary"]
