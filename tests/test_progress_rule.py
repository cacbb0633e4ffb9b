"""Done means 100% complete: in chat, on the Update… form, in an imported plan, and in rows stored before the rule."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import Engine, text
from sqlmodel import select

from bot import progress
from bot.domain import Status, Surface, UpdateKind
from bot.importing.importer import ImportOptions, ImportReport, import_file
from bot.progress import Contradiction, Progress
from bot.replies import Tone
from bot.settings import Settings
from bot.unit_of_work import UnitOfWork
from store import consistency
from store.models import Action
from store.session import transaction
from tests.factories import Chat, PlanFactory
from tests.importing.builders import write_csv


@pytest.mark.parametrize(
    ("current", "status", "percent", "settled"),
    [
        ((Status.ON_TRACK, 30), Status.DONE, None, Progress(Status.DONE, 100)),
        ((Status.ON_TRACK, 30), Status.DONE, 100, Progress(Status.DONE, 100)),
        ((Status.ON_TRACK, 30), None, 100, Progress(Status.DONE, 100, "100% complete counts as done")),
        ((Status.ON_TRACK, 30), None, 60, Progress(Status.ON_TRACK, 60)),
        ((Status.ON_TRACK, 30), Status.ON_TRACK, 100, Progress(Status.ON_TRACK, 100)),
        ((Status.ON_TRACK, 30), Status.AT_RISK, None, Progress(Status.AT_RISK, 30)),
        ((Status.DONE, 100), None, 100, Progress(Status.DONE, 100)),
        ((Status.DONE, 100), Status.ON_TRACK, 50, Progress(Status.ON_TRACK, 50)),
        ((Status.DONE, 100), Status.DROPPED, None, Progress(Status.DROPPED, 100)),
        ((Status.AT_RISK, 60), Status.DROPPED, None, Progress(Status.DROPPED, 60)),
        ((Status.DROPPED, 60), None, 70, Progress(Status.DROPPED, 70)),
        ((Status.ON_TRACK, 30), None, None, Progress(Status.ON_TRACK, 30)),
    ],
)
def test_the_rule_settles_what_was_asked(
    current: tuple[Status, int], status: Status | None, percent: int | None, settled: Progress
) -> None:
    assert progress.settle(12, current, status, percent) == settled


@pytest.mark.parametrize(
    ("current", "status", "percent", "field", "says"),
    [
        ((Status.ON_TRACK, 30), Status.DONE, 40, "percent",
         "Done means 100% complete, so #12 can't be done at 40%. `done 12` records it finished (100%); "
         "`update 12 on-track 40%` records progress."),
        ((Status.DONE, 100), None, 50, "status",
         "#12 is done, and done means 100% complete. To reopen #12: `update 12 on-track 50%`."),
        ((Status.DONE, 100), Status.AT_RISK, None, "percent",
         "#12 is done (100%). To reopen #12, give its % complete too: `update 12 at-risk 50%`."),
    ],
)
def test_a_contradiction_is_refused_saying_what_would_work(
    current: tuple[Status, int], status: Status | None, percent: int | None, field: str, says: str
) -> None:
    with pytest.raises(Contradiction) as refused:
        progress.settle(12, current, status, percent)
    assert (str(refused.value), refused.value.field) == (says, field)


def test_done_with_less_than_100_percent_changes_nothing(plan: PlanFactory, chat: Chat) -> None:
    deb = plan.person("Deb Poole")
    action = plan.action(deb, status=Status.ON_TRACK, percent=30)
    reply = chat.ask(deb, f"update {action.id} done 40% signed off")
    assert reply.tone is Tone.ERROR
    assert reply.plain_lines[0].startswith(f"Done means 100% complete, so #{action.id} can't be done at 40%.")
    stored = plan.get(action.id or 0)
    assert (stored.status, stored.percent_complete, stored.latest_note) == (Status.ON_TRACK, 30, None)
    assert [u.kind for u in plan.updates(action.id or 0)] == [UpdateKind.CREATED]


def test_a_lower_percent_on_a_done_action_says_how_to_reopen_it(plan: PlanFactory, chat: Chat) -> None:
    deb = plan.person("Deb Poole")
    action = plan.action(deb, status=Status.DONE, percent=100)
    assert chat.ask(deb, f"update {action.id} 50%").plain_lines == [
        f"#{action.id} is done, and done means 100% complete. To reopen #{action.id}: "
        f"`update {action.id} on-track 50%`."
    ]
    assert chat.ask(deb, f"{action.id} on track").plain_lines == [
        f"#{action.id} is done (100%). To reopen #{action.id}, give its % complete too: "
        f"`update {action.id} on-track 50%`."
    ]
    assert chat.ask(deb, f"update {action.id} on-track 50% the contractor pulled out").tone is Tone.SUCCESS
    stored = plan.get(action.id or 0)
    assert (stored.status, stored.percent_complete) == (Status.ON_TRACK, 50)


def test_one_hundred_percent_without_a_status_records_done_and_says_so(plan: PlanFactory, chat: Chat) -> None:
    deb = plan.person("Deb Poole")
    action = plan.action(deb, status=Status.AT_RISK, percent=80)
    reply = chat.ask(deb, f"update {action.id} 100%")
    assert reply.plain_lines == [f"Recorded: #{action.id} is now Done · 100%. (100% complete counts as done.)"]
    audit = plan.updates(action.id or 0)[-1]
    assert (audit.old_status, audit.new_status, audit.old_percent, audit.new_percent) == (
        Status.AT_RISK, Status.DONE, 80, 100)


def test_an_open_status_given_with_100_percent_is_kept(plan: PlanFactory, chat: Chat) -> None:
    deb = plan.person("Deb Poole")
    action = plan.action(deb, status=Status.ON_TRACK, percent=80)
    assert chat.ask(deb, f"update {action.id} on-track 100% waiting for Cabinet sign-off").tone is Tone.SUCCESS
    stored = plan.get(action.id or 0)
    assert (stored.status, stored.percent_complete) == (Status.ON_TRACK, 100)


def test_the_form_reads_a_status_left_as_it_was_as_not_asked(plan: PlanFactory, chat: Chat) -> None:
    deb = plan.person("Deb Poole")
    action = plan.action(deb, status=Status.ON_TRACK, percent=30)
    reply = chat.submit(deb, action.id or 0, status="done", percent="30")
    assert reply.tone is Tone.SUCCESS
    assert (plan.get(action.id or 0).status, plan.get(action.id or 0).percent_complete) == (Status.DONE, 100)


@pytest.mark.parametrize(
    ("start", "values", "field", "error"),
    [
        ((Status.ON_TRACK, 30), {"status": "done", "percent": "40"}, "percent",
         "Done means 100% complete: make this 100, or choose a status other than Done for 40%."),
        ((Status.DONE, 100), {"status": "done", "percent": "50"}, "status",
         "#{id} is done, which means 100%: to reopen it at 50%, choose its status too (On track, say)."),
        ((Status.DONE, 100), {"status": "on_track", "percent": "100"}, "percent",
         "#{id} is done (100%): to reopen it, give its % complete below 100 too."),
    ],
)
def test_the_form_marks_a_contradiction_on_its_field_and_saves_nothing(
    plan: PlanFactory, chat: Chat, start: tuple[Status, int], values: dict[str, str], field: str, error: str
) -> None:
    deb = plan.person("Deb Poole")
    action = plan.action(deb, status=start[0], percent=start[1])
    reply = chat.submit(deb, action.id or 0, **values)
    assert reply.tone is Tone.ERROR and reply.form is not None
    errors = {f.name: f.error for f in reply.form.fields if f.error}
    assert errors == {field: error.format(id=action.id)}
    assert {f.name: f.value for f in reply.form.fields}["percent"] == values["percent"], "what was typed is kept"
    stored = plan.get(action.id or 0)
    assert (stored.status, stored.percent_complete) == start
    assert len(plan.updates(action.id or 0)) == 1


def _force(engine: Engine, action_id: int, status: Status, percent: int) -> None:
    """A row as an older version stored it, before the rule."""
    with transaction(engine) as session:
        session.execute(
            text("UPDATE action SET status = :status, percent_complete = :percent WHERE id = :id"),
            {"status": status.value, "percent": percent, "id": action_id},
        )


def test_the_data_check_lists_and_repairs_done_actions_below_100_percent(plan: PlanFactory, engine: Engine) -> None:
    deb = plan.person("Deb Poole")
    broken = plan.action(deb)
    fine = plan.action(deb, status=Status.DONE, percent=100)
    open_ = plan.action(deb, status=Status.ON_TRACK, percent=100)
    _force(engine, broken.id or 0, Status.DONE, 40)
    with transaction(engine, write=False) as session:
        found = consistency.breaches(session)
    assert [str(b) for b in found] == [f"#{broken.id} is done at 40% (done means 100% complete)"]
    with transaction(engine) as session:
        repaired = consistency.repair(session, plan.clock.now())
    assert [b.action_id for b in repaired] == [broken.id]
    assert (plan.get(broken.id or 0).status, plan.get(broken.id or 0).percent_complete) == (Status.DONE, 100)
    audit = plan.updates(broken.id or 0)[-1]
    assert (audit.kind, audit.surface, audit.old_percent, audit.new_percent, audit.old_status, audit.new_status) == (
        UpdateKind.STATUS, Surface.CLI, 40, 100, Status.DONE, Status.DONE)
    assert audit.note == "Data check: done means 100% complete, so this done action was set from 40% to 100%."
    assert len(plan.updates(fine.id or 0)) == len(plan.updates(open_.id or 0)) == 1
    with transaction(engine, write=False) as session:
        assert consistency.breaches(session) == []


HEADER = ["Ref", "Recommendation", "Action", "Lead Officer", "Target date", "Status", "% complete"]


def _import(tmp_path: Path, plan: PlanFactory, settings: Settings, rows: list[list[str]]) -> ImportReport:
    work = UnitOfWork(plan.engine, plan.clock, settings)
    return import_file(work, write_csv(tmp_path / "plan.csv", [HEADER, *rows]), ImportOptions(review="Plan 2019"))


def _progress_by_text(engine: Engine) -> dict[str, tuple[Status, int]]:
    with transaction(engine, write=False) as session:
        return {a.text: (a.status, a.percent_complete) for a in session.exec(select(Action))}


def test_an_imported_row_done_at_40_percent_is_recorded_done_and_flagged(
    tmp_path: Path, plan: PlanFactory, engine: Engine, settings: Settings
) -> None:
    report = _import(tmp_path, plan, settings, [
        ["1", "Refresh the plan", "Draft the plan", "Deb Poole", "March 2019", "Done", "40%"],
        ["2", "Publish it", "Publish the plan", "Deb Poole", "April 2019", "", "100%"],
        ["3", "Consult", "Consult staff", "Deb Poole", "May 2019", "On track", "100%"],
    ])
    assert _progress_by_text(engine) == {
        "Draft the plan": (Status.DONE, 100),
        "Publish the plan": (Status.DONE, 100),
        "Consult staff": (Status.ON_TRACK, 100),
    }
    flags = [str(f) for f in report.flags if f.topic == "percent"]
    assert len(flags) == 1 and "done means 100% complete: recorded as done at 100%, not 40%" in flags[0]


def test_a_reimported_percent_below_100_leaves_a_done_action_at_100(
    tmp_path: Path, plan: PlanFactory, engine: Engine, settings: Settings
) -> None:
    row = ["1", "Refresh the plan", "Draft the plan", "Deb Poole", "March 2019"]
    _import(tmp_path, plan, settings, [[*row, "Done", ""]])
    _import(tmp_path, plan, settings, [[*row, "", "60%"]])
    assert _progress_by_text(engine) == {"Draft the plan": (Status.DONE, 100)}
