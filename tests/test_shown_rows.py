"""Lists, digests and notices read actions as plain rows (store.actions.rows_by_ids), not ORM objects: every
column a reply reads (store.shown's protocols, which mypy holds readers to) is there, with the same value and
type as the ORM object's, on every database."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from sqlalchemy import Engine
from sqlmodel import Session

from bot.domain import Role, Status
from store import action_lists, actions
from store.models import Action, Recommendation, Review
from store.session import transaction
from store.shown import ACTION_FIELDS, ActionFields, RecommendationFields, RecommendationRef, ReviewFields, ReviewRef
from tests.factories import PlanFactory


def _members(protocol: type) -> set[str]:
    return {name for name in vars(protocol) if not name.startswith("_")}


def _columns(model: Any) -> set[str]:
    return {column.name for column in model.__table__.columns}


def test_what_a_reply_reads_is_columns_of_the_tables_and_all_of_it_is_read() -> None:
    assert _members(ActionFields) == set(ACTION_FIELDS) <= _columns(Action)
    assert _members(RecommendationFields) == set(RecommendationRef._fields) <= _columns(Recommendation)
    assert _members(ReviewFields) == set(ReviewRef._fields) <= _columns(Review)


def test_an_action_read_as_a_row_shows_what_the_orm_object_holds(plan: PlanFactory, engine: Engine) -> None:
    zoe, amir = plan.person("Zoe Hart"), plan.person("Amir Khan", Role.MANAGER)
    team = plan.group("Comms Team", amir)
    review = plan.review("Housing Review 2026")
    first = plan.action(zoe, team, review=review, due_in=-4, status=Status.AT_RISK, percent=40)
    second = plan.action(team, review=review, due_in=None)
    nobodys = plan.action(review=review)
    with transaction(engine, write=False) as session:
        rows = actions.rows_by_ids(session, [second.id or 0, first.id or 0, 999_999, nobodys.id or 0])
        assert [row.action.id for row in rows] == [second.id, first.id, nobodys.id]  # as asked, missing ones left out
        for row in rows:
            orm = _orm(session, row.action.id or 0)
            for name in _members(ActionFields):
                value, expected = getattr(row.action, name), getattr(orm.action, name)
                assert (value, type(value)) == (expected, type(expected)), name
            for name in _members(RecommendationFields):
                assert getattr(row.recommendation, name) == getattr(orm.recommendation, name), name
            for name in _members(ReviewFields):
                value, expected = getattr(row.review, name), getattr(orm.review, name)
                assert (value, type(value)) == (expected, type(expected)), name
            assert row.owners == orm.owners
        assert [owner.name for owner in rows[1].owners] == ["Zoe Hart", "Comms Team"]
        assert rows[1].lead_owner == "Zoe Hart" and rows[0].lead_owner == "Comms Team"
        assert rows[2].owners == [] and rows[2].lead_owner == "No owner"


def test_rows_read_in_a_writing_transaction_see_its_changes(plan: PlanFactory, engine: Engine) -> None:
    action = plan.action(plan.person("Zoe Hart"), due_in=3)
    with transaction(engine) as session:
        changed = session.get(Action, action.id)
        assert changed is not None
        changed.status = Status.OFF_TRACK
        session.add(changed)
        [row] = actions.rows_by_ids(session, [action.id or 0])
        assert row.action.status is Status.OFF_TRACK


def _orm(session: Session, action_id: int) -> actions.ActionRow:
    action = session.get(Action, action_id)
    assert action is not None
    return actions.load_rows(session, [action])[0]


def test_the_lists_read_through_the_driver_show_what_the_orm_object_holds(plan: PlanFactory, engine: Engine) -> None:
    """``mine`` and ``overdue`` read their pages through the driver (store.driver_select), converting values
    themselves: the same values and types as the ORM's, on every database."""
    zoe, amir = plan.person("Zoe Hart"), plan.person("Amir Khan", Role.MANAGER)
    team = plan.group("Comms Team", zoe)
    review = plan.review("Housing Review 2026")
    plan.action(zoe, team, review=review, due_in=-4, status=Status.AT_RISK, percent=40)
    plan.action(team, review=review, due_in=-2)
    plan.action(zoe, review=review, due_in=None)
    plan.action(amir, review=review, due_in=-9, status=Status.OFF_TRACK)
    snoozed = plan.action(zoe, review=review, due_in=3)
    with transaction(engine) as session:
        changed = session.get(Action, snoozed.id)
        assert changed is not None
        changed.snoozed_until = plan.today + timedelta(days=2)
        session.add(changed)
    with transaction(engine, write=False) as session:
        mine = action_lists.my_open_actions(session, zoe.id or 0, 10)
        overdue = action_lists.overdue_actions(session, plan.today, 10)
        assert mine.total == 4 and len(mine.rows) == 4 and overdue.total == 3 and overdue.owners == 3
        assert [row.lead_owner for row in overdue.rows] == ["Amir Khan", "Comms Team", "Zoe Hart"]
        for row in mine.rows + overdue.rows:
            orm = _orm(session, row.action.id or 0)
            for name in _members(ActionFields):
                value, expected = getattr(row.action, name), getattr(orm.action, name)
                assert (value, type(value)) == (expected, type(expected)), name
            for name in _members(RecommendationFields) | _members(ReviewFields):
                source = row.recommendation if name in _members(RecommendationFields) else row.review
                expected_source = orm.recommendation if source is row.recommendation else orm.review
                assert getattr(source, name) == getattr(expected_source, name), name
            assert row.owners == orm.owners
        assert any(row.action.snoozed_until is not None for row in mine.rows)
        assert action_lists.my_open_actions(session, zoe.id or 0, 2, offset=2).rows == mine.rows[2:]
        assert action_lists.my_open_actions(session, zoe.id or 0, 10, offset=10).total == 4
