"""Importing a plan again: nothing duplicated, changes audited, what people set in chat kept."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from zoneinfo import ZoneInfo

from sqlalchemy import Engine
from sqlmodel import select

from bot.domain import Status, Surface, TimescaleKind, UpdateKind
from bot.exporting import export_rows, write_xlsx
from store.models import Person
from store.session import transaction
from tests.factories import Chat
from tests.importing.builders import WordTable, write_docx
from tests.importing.conftest import Importer, Stored
from tests.importing.test_import_word import council_plan

HEADER = ["Recommendation", "Action", "Lead Officer", "Timescale"]


def small_plan(path: Path, *rows: list[str]) -> Path:
    return write_docx(path, WordTable([HEADER, *rows]))


def test_importing_the_same_file_again_creates_and_changes_nothing(
    tmp_path: Path, run_import: Importer, stored: Stored
) -> None:
    path = council_plan(tmp_path / "plan.docx")
    run_import(path)
    before = stored.row_counts()
    again = run_import(path)
    assert stored.row_counts() == before
    tallies = (again.review_tally, again.recommendation_tally, again.action_tally)
    assert [t.unchanged for t in tallies] == [1, 5, 8]
    assert not again.changed_anything
    assert (again.owners_matched, again.owners_new) == (9, 0)
    assert "  actions:          0 created, 0 updated, 8 unchanged" in again.lines()


def test_a_changed_text_date_or_owner_updates_the_action_in_place_with_an_audit_row(
    tmp_path: Path, run_import: Importer, stored: Stored
) -> None:
    run_import(small_plan(tmp_path / "v1.docx",
                          ["Review the constitution", "Commission the review", "Deb Poole", "September 2018"],
                          ["", "Update protocols", "Tom Hughes", "Ongoing"]), review="CPC 2018")
    commission = stored.action("Commission the review")
    assert commission.lead_owner == "Deb Poole", "lists of overdue actions are ordered by the lead owner kept here"
    report = run_import(small_plan(tmp_path / "v2.docx",
                                   ["Review the constitution", "Commission the full review", "Deb Poole / CMT",
                                    "December 2018"],
                                   ["", "Update protocols", "Tom Hughes", "Ongoing"]), review="CPC 2018")
    changed = stored.actions()[0]
    assert changed.id == commission.id
    assert (changed.text, changed.timescale, changed.due_date, changed.original_due_date) == (
        "Commission the full review", "December 2018", date(2018, 12, 31), date(2018, 9, 30))
    assert stored.owners(changed) == ["Deb Poole", "CMT"]
    assert [a.lead_owner for a in stored.actions()] == ["Deb Poole", "Tom Hughes"]
    audit = stored.updates(changed)[-1]
    assert (audit.kind, audit.surface, audit.old_due_date, audit.new_due_date) == (
        UpdateKind.IMPORT, Surface.IMPORT, date(2018, 9, 30), date(2018, 12, 31))
    assert audit.note == (
        "Changed by import: text was “Commission the review”; timescale “September 2018” → “December 2018”; "
        "owners Deb Poole → Deb Poole, CMT"
    )
    assert len(stored.updates(stored.action("Update protocols"))) == 1
    assert (report.action_tally.updated, report.action_tally.unchanged, report.action_tally.created) == (1, 1, 0)


def test_a_status_set_in_chat_is_never_overwritten_by_a_reimport(
    tmp_path: Path, run_import: Importer, stored: Stored, chat: Chat, engine: Engine
) -> None:
    run_import(small_plan(tmp_path / "v1.docx", ["Review", "Commission the review", "Deb Poole", "September 2018"]),
               review="CPC 2018")
    action = stored.action("Commission the review")
    deb = _person(engine, "Deb Poole")
    chat.ask(deb, f"update {action.id} at-risk 40% waiting for legal")
    chat.ask(deb, f"move {action.id} 2019-02-28 legal review slipped")
    report = run_import(write_docx(tmp_path / "v2.docx", WordTable([
        [*HEADER, "Status", "% complete"],
        ["Review", "Commission the review", "Deb Poole", "October 2018", "Complete", "100%"],
    ])), review="CPC 2018")
    kept = stored.action("Commission the review")
    assert (kept.status, kept.percent_complete, kept.due_date) == (Status.AT_RISK, 40, date(2019, 2, 28))
    assert kept.timescale == "October 2018"  # the plan's wording is the file's; the deadline is chat's
    assert report.kept == [
        f"#{action.id}: kept deadline Thu 28 Feb 2019 (set in chat); the file says Wed 31 Oct 2018",
        f"#{action.id}: kept At risk (set in chat); the file says Done",
    ]
    assert "Kept as set in chat (2): the file says otherwise" in report.lines()


def _person(engine: Engine, name: str) -> Person:
    with transaction(engine, write=False) as session:
        return session.exec(select(Person).where(Person.name == name)).one()


def test_a_status_from_the_file_is_applied_until_someone_sets_one_in_chat(
    tmp_path: Path, run_import: Importer, stored: Stored
) -> None:
    header = [*HEADER, "Status"]
    run_import(write_docx(tmp_path / "v1.docx", WordTable([header, ["Review", "Commission", "Deb Poole", "Q1 2019",
                                                                     "On track"]])), review="CPC")
    run_import(write_docx(tmp_path / "v2.docx", WordTable([header, ["Review", "Commission", "Deb Poole", "Q1 2019",
                                                                     "Red"]])), review="CPC")
    action = stored.action("Commission")
    assert action.status is Status.OFF_TRACK
    last = stored.updates(action)[-1]
    assert (last.kind, last.surface, last.old_status, last.new_status) == (
        UpdateKind.STATUS, Surface.IMPORT, Status.ON_TRACK, Status.OFF_TRACK)


def test_reordered_actions_are_matched_by_their_text_and_removed_ones_are_reported_not_deleted(
    tmp_path: Path, run_import: Importer, stored: Stored
) -> None:
    run_import(small_plan(tmp_path / "v1.docx", ["Review", "First", "Deb Poole", "Q1 2019"],
                          ["", "Second", "Deb Poole", "Q2 2019"], ["", "Third", "Deb Poole", "Q3 2019"]), review="CPC")
    ids = {a.text: a.id for a in stored.actions()}
    report = run_import(small_plan(tmp_path / "v2.docx", ["Review", "Third", "Deb Poole", "Q3 2019"],
                                   ["", "First", "Deb Poole", "Q1 2019"]), review="CPC")
    assert [(a.text, a.id) for a in stored.actions()] == [
        ("Third", ids["Third"]), ("First", ids["First"]), ("Second", ids["Second"])]
    assert report.missing == [f"#{ids['Second']} Second"]
    assert all(len(stored.updates(a)) == 1 for a in stored.actions())
    assert (report.action_tally.created, report.action_tally.updated, report.action_tally.unchanged) == (0, 0, 2)


def test_an_as_above_link_follows_its_target_when_the_target_changes(
    tmp_path: Path, run_import: Importer, stored: Stored
) -> None:
    run_import(small_plan(tmp_path / "v1.docx", ["Review", "Commission", "Deb Poole", "Q1 2019"],
                          ["Publish", "Publish the map", "As 1 above", "As 1 above"]), review="CPC")
    run_import(small_plan(tmp_path / "v2.docx", ["Review", "Commission", "Deb Poole", "Q2 2019"],
                          ["Publish", "Publish the map", "As 1 above", "As 1 above"]), review="CPC")
    linked = stored.action("Publish the map")
    assert (linked.timescale_kind, linked.due_date, linked.same_as_action_id) == (
        TimescaleKind.SAME_AS, date(2019, 6, 30), stored.action("Commission").id)
    assert stored.owners(linked) == ["Deb Poole"]
    assert stored.updates(linked)[-1].new_due_date == date(2019, 6, 30)


def test_an_exported_workbook_imports_back_without_changing_anything(
    tmp_path: Path, run_import: Importer, stored: Stored, engine: Engine, chat: Chat
) -> None:
    run_import(council_plan(tmp_path / "plan.docx"))
    first = stored.actions()[0]
    chat.ask(_person(engine, "Kevin Dicks"), f"update {first.id} at-risk 40% waiting for Group Leaders")
    before = stored.row_counts()
    with transaction(engine, write=False) as session:
        rows = export_rows(session, today=date(2019, 1, 14), zone=ZoneInfo("Europe/London"))
    write_xlsx(rows, str(tmp_path / "report.xlsx"), today=date(2019, 1, 14))
    report = run_import(tmp_path / "report.xlsx")
    assert not report.changed_anything, report.lines()
    assert stored.row_counts() == before
    assert "sheet 'Summary' skipped: it has no header row naming Recommendation or Action columns" in report.notices
