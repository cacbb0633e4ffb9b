"""What the clock's jobs read and remember (bot.notices): candidates found through indexes, and state.

Every candidate query is bounded by a due-date range or list (the ``(status, due_date)`` index), an
"owed" flag (its own index) or, for check-ins, ongoing actions not updated for four weeks
(``(timescale_kind, updated_at)``); none reads every action. State is upserted, so deciding the same
thing twice stores it once.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from sqlalchemy import ColumnElement, Select, func, union_all
from sqlalchemy import select as sa_select
from sqlmodel import Session, col, select

from bot.domain import Status, TimescaleKind
from store.actions import OPEN_STATUSES
from store.db import upsert_insert
from store.models import (
    Action,
    Subscription,
)
from store.notice_tables import ActionNotice, NoticeMark, SubscriptionNotice
from store.outbox import Work

CHUNK = 500
_ACTION = Action.__table__.c  # type: ignore[attr-defined]
_NOTICE = ActionNotice.__table__.c  # type: ignore[attr-defined]


@dataclass(frozen=True, slots=True)  # a morning reads thousands: no __dict__ each
class Candidate:
    """An action a job may have to tell someone about, with what was decided about it before."""

    id: int
    review_id: int
    due: date | None
    status: Status
    kind: TimescaleKind
    snoozed_until: date | None
    updated_at: datetime
    created_at: datetime
    nudged_on: date | None
    nudge_owed_on: date | None
    checked_in_on: date | None
    escalated_due: date | None
    escalation_owed_on: date | None
    text: str


def _candidates() -> Select[Any]:
    return sa_select(
        _ACTION.id,
        _ACTION.review_id,
        _ACTION.due_date,
        _ACTION.status,
        _ACTION.timescale_kind,
        _ACTION.snoozed_until,
        _ACTION.updated_at,
        _ACTION.created_at,
        _NOTICE.nudged_on,
        _NOTICE.nudge_owed_on,
        _NOTICE.checked_in_on,
        _NOTICE.escalated_due,
        _NOTICE.escalation_owed_on,
        _ACTION.text,
    ).select_from(Action.__table__.outerjoin(ActionNotice.__table__))  # type: ignore[attr-defined]


def _read(session: Session, query: Select[Any], review_ids: Sequence[int] | None) -> list[Candidate]:
    if review_ids is not None:
        query = query.where(_ACTION.review_id.in_(list(review_ids)))
    return [Candidate(*row) for row in session.execute(query)]


def _open() -> ColumnElement[bool]:
    return _ACTION.status.in_(OPEN_STATUSES)  # type: ignore[no-any-return]


def due_in_ranges(
    session: Session, ranges: Iterable[tuple[date, date]], review_ids: Sequence[int] | None
) -> list[Candidate]:
    """Open actions due in any of ``ranges`` (inclusive)."""
    found: list[Candidate] = []
    for first, last in ranges:
        query = _candidates().where(_open(), _ACTION.due_date >= first, _ACTION.due_date <= last)
        found += _read(session, query, review_ids)
    return found


def due_on(session: Session, days: Sequence[date], review_ids: Sequence[int] | None) -> list[Candidate]:
    """Open actions due on any of ``days``."""
    found: list[Candidate] = []
    for start in range(0, len(days), CHUNK):
        query = _candidates().where(_open(), _ACTION.due_date.in_(list(days[start : start + CHUNK])))
        found += _read(session, query, review_ids)
    return found


def due_by(session: Session, last: date, review_ids: Sequence[int] | None) -> list[Candidate]:
    """Open actions due on or before ``last``: every overdue one (a clock that was down a week or more)."""
    return _read(session, _candidates().where(_open(), _ACTION.due_date <= last), review_ids)


def oldest_open_due(session: Session) -> date | None:
    """The earliest deadline of an open action: the smallest of each open status's first deadline, each one
    seek on ``(status, due_date)`` (a single ``min`` over ``status IN (…)`` makes PostgreSQL scan them all)."""
    firsts = union_all(
        *(
            sa_select(func.min(_ACTION.due_date).label("due")).where(_ACTION.status == status.value)
            for status in OPEN_STATUSES
        )
    ).subquery()
    oldest = session.execute(sa_select(func.min(firsts.c.due))).scalar()
    return oldest if isinstance(oldest, date) else None


def nudges_owed(session: Session, review_ids: Sequence[int] | None) -> list[Candidate]:
    """Actions that needed a nudge on a day their owner had already had one: they go in the next."""
    return _read(session, _candidates().where(_NOTICE.nudge_owed_on.is_not(None)), review_ids)


def escalations_owed(session: Session, review_ids: Sequence[int] | None) -> list[Candidate]:
    return _read(session, _candidates().where(_NOTICE.escalation_owed_on.is_not(None)), review_ids)


def stale_ongoing(session: Session, before: datetime, review_ids: Sequence[int] | None) -> list[Candidate]:
    """Open ongoing (and recurring) actions not updated since ``before``: those that may be due a check-in."""
    kinds = [TimescaleKind.ONGOING.value, TimescaleKind.RECURRING.value]
    query = _candidates().where(_ACTION.timescale_kind.in_(kinds), _ACTION.updated_at < before, _open())
    return _read(session, query, review_ids)


def crossing(session: Session, first: date, last: date, review_ids: Sequence[int] | None) -> list[Candidate]:
    """Open actions due from ``first`` to ``last``, for escalation (recurring timescales are left out)."""
    query = _candidates().where(
        _open(),
        _ACTION.due_date >= first,
        _ACTION.due_date <= last,
        _ACTION.timescale_kind != TimescaleKind.RECURRING.value,
    )
    return _read(session, query, review_ids)


def became_overdue(session: Session, first: date, last: date, review_ids: Sequence[int] | None) -> list[int]:
    """Open actions due from ``first`` to ``last`` (so overdue since the day after), soonest first."""
    query = sa_select(_ACTION.id).where(_open(), _ACTION.due_date >= first, _ACTION.due_date <= last)
    if review_ids is not None:
        query = query.where(_ACTION.review_id.in_(list(review_ids)))
    return [row[0] for row in session.execute(query.order_by(_ACTION.due_date, _ACTION.id))]


# State -------------------------------------------------------------------------------------


def _insert(work: Work) -> Any:
    return upsert_insert(work.session.get_bind().dialect.name)


def save_action_notices(work: Work, rows: Sequence[dict[str, Any]]) -> None:
    """Upsert per-action state; each row is ``action_id`` plus the columns it sets (rows may differ)."""
    by_columns: dict[tuple[str, ...], list[dict[str, Any]]] = defaultdict(list)
    for row in rows:
        by_columns[tuple(sorted(row))].append(row)
    table = ActionNotice.__table__  # type: ignore[attr-defined]
    for columns, batch in by_columns.items():
        statement = _insert(work)(table)
        changes = {name: statement.excluded[name] for name in columns if name != "action_id"}
        # One statement, executed for many rows (the driver's executemany): compiled once.
        work.session.connection().execute(
            statement.on_conflict_do_update(index_elements=["action_id"], set_=changes), batch
        )


def marks(session: Session, keys: Iterable[str]) -> dict[str, date]:
    """The last day each job group decided (absent: never)."""
    query = select(NoticeMark).where(col(NoticeMark.key).in_(sorted(set(keys))))
    return {mark.key: mark.day for mark in session.exec(query)}


def set_marks(work: Work, keys: Iterable[str], day: date) -> None:
    rows = [{"key": key, "day": day, "at": work.now} for key in sorted(set(keys))]
    if rows:
        statement = _insert(work)(NoticeMark).values(rows)
        changes = {"day": statement.excluded.day, "at": statement.excluded.at}
        work.session.execute(statement.on_conflict_do_update(index_elements=["key"], set_=changes))


def subscriptions(session: Session, kind: str) -> list[Subscription]:
    query = select(Subscription).where(Subscription.kind == kind).order_by(col(Subscription.id))
    return list(session.exec(query))


def subscription_states(session: Session, ids: Iterable[int]) -> dict[int, SubscriptionNotice]:
    wanted = sorted(set(ids))
    found: dict[int, SubscriptionNotice] = {}
    for start in range(0, len(wanted), CHUNK):
        query = select(SubscriptionNotice).where(
            col(SubscriptionNotice.subscription_id).in_(wanted[start : start + CHUNK])
        )
        found.update({state.subscription_id: state for state in session.exec(query)})
    return found


def save_subscription_states(work: Work, rows: Sequence[dict[str, Any]]) -> None:
    """Upsert the state of many subscriptions; each row is ``subscription_id`` and the same columns."""
    if not rows:
        return
    table = SubscriptionNotice.__table__  # type: ignore[attr-defined]
    statement = _insert(work)(table)
    changes = {name: statement.excluded[name] for name in rows[0] if name != "subscription_id"}
    work.session.connection().execute(
        statement.on_conflict_do_update(index_elements=["subscription_id"], set_=changes), list(rows)
    )


def save_subscription_state(work: Work, subscription_id: int, **values: Any) -> None:
    statement = _insert(work)(SubscriptionNotice).values(subscription_id=subscription_id, **values)
    changes = {name: statement.excluded[name] for name in values}
    work.session.execute(statement.on_conflict_do_update(index_elements=["subscription_id"], set_=changes))
