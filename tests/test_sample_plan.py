"""The demo's sample plan: imported from the files in bot/sample_files, with something to see whatever the day."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import Engine
from sqlmodel import col, select

from bot import sample_plan
from bot.clock import FixedClock, today
from bot.domain import Status, Surface, TimescaleKind, UpdateKind
from bot.importing.importer import read
from bot.importing.model import PlannedReview
from bot.settings import Settings
from bot.unit_of_work import UnitOfWork
from store.models import Action, ActionUpdate, Group, Person, Review
from store.session import transaction


@pytest.mark.parametrize("now", [datetime(2026, 11, 24, 15, 0, tzinfo=UTC), datetime(2031, 2, 28, 23, 59, tzinfo=UTC)])
def test_the_demo_always_has_overdue_due_this_week_done_ongoing_and_tbc_actions(
    engine: Engine, settings: Settings, now: datetime
) -> None:
    clock = FixedClock(now)
    sample_plan.load(UnitOfWork(engine, clock, settings))
    day = today(clock, settings.zone)
    with transaction(engine, write=False) as session:
        actions = list(session.exec(select(Action).order_by(col(Action.id))))
        updates = list(session.exec(select(ActionUpdate)))
        people = sorted(session.exec(select(Person.name)))
        groups = sorted(session.exec(select(Group.name)))
        reviews = [r.title for r in session.exec(select(Review).order_by(col(Review.id)))]
    assert reviews == [spec.title for spec in sample_plan.REVIEWS]
    assert len(actions) == 27
    open_ = [a for a in actions if not a.status.is_closed]
    assert any(a.due_date and a.due_date < day for a in open_), "something overdue"
    assert any(a.due_date and day <= a.due_date <= day + timedelta(days=6) for a in open_), "something due this week"
    assert any(a.status is Status.DONE for a in actions)
    assert any(a.timescale_kind is TimescaleKind.ONGOING for a in actions)
    assert any(a.timescale == "TBC" and a.timescale_kind is TimescaleKind.UNKNOWN for a in actions)
    # the importer matched every owner to the sample's people and groups: nobody new, nothing unread
    assert people == sorted(name for name, *_ in sample_plan.PEOPLE)
    assert groups == ["CMT", "Communications Team", "Group Leaders"]
    assert [a.timescale_flag for a in actions if a.timescale_flag] == ["no date given yet (to be confirmed)"]
    # each action was created by the import; the progress came through the chat commands, with audit rows
    created = [u for u in updates if u.kind is UpdateKind.CREATED]
    assert len(created) == 27 and {u.surface for u in created} == {Surface.IMPORT}
    chat = [u for u in updates if u.kind is not UpdateKind.CREATED]
    assert len(chat) == len(sample_plan.PROGRESS) and {u.surface for u in chat} == {Surface.SLACK}
    assert all(u.person_id is not None and u.at < now for u in chat)
    first = actions[0]
    assert (first.status, first.percent_complete, first.latest_note) == (
        Status.OFF_TRACK, 30, "Terms of reference went back to Group Leaders for a second round.")


def test_the_committed_example_files_are_what_make_examples_writes_and_read_cleanly(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from examples import make_examples  # type: ignore[import-not-found]

    monkeypatch.setattr(make_examples, "HERE", tmp_path)
    make_examples.main()
    assert make_examples.ANCHOR == sample_plan.ANCHOR
    for spec in sample_plan.REVIEWS:
        committed = read(Path(str(sample_plan.SAMPLE_FILES / spec.file)), spec.title)
        fresh = read(tmp_path / spec.file, spec.title)
        assert _content(committed.reviews[0]) == _content(fresh.reviews[0]), spec.file
        assert [f.message for f in committed.flags if f.message != "no date given yet (to be confirmed)"] == []


def _content(review: PlannedReview) -> list[tuple[str, str, str, str, tuple[str, ...], str]]:
    return [
        (rec.ref or "", rec.section, rec.text, action.text, tuple(n.name for n in action.owners.names),
         action.timescale.text)
        for rec in review.recommendations
        for action in rec.actions
    ]
