"""The outbox: every message the bot sends on its own is a row here before it is sent.

``enqueue`` inserts with ``ON CONFLICT DO NOTHING`` on the unique dedupe key, so enqueuing the
same message twice (an update broadcast for a retried request; later, a job run twice) stores it once.
Today the update broadcasts (:mod:`bot.services.broadcast`) are what is queued. Every timestamp comes
from the unit of work's context (the injected clock), never the wall clock.

Delivering is the scheduler's drain's work (``scheduler/``, built with the scheduler issue; until then
queued rows wait). These are the steps it is to take: :func:`claim` a batch (the rows get a lease,
``claimed_until``, so no other claim takes them while they are in flight; PostgreSQL also skips rows
another claimer has locked), send each outside any transaction, then :func:`mark_sent`,
:func:`reschedule` (a failure worth retrying, or a platform's "slow down"), :func:`mark_dead`,
:func:`mark_skipped` (no longer true) or :func:`release` (shutting down). Rows claimed by a process that
dies stay leased until the lease runs out, and the next :func:`claim` takes them again, so a row is
never lost and at most the one in flight is sent twice.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any, Protocol

from sqlalchemy import or_, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlmodel import Session, col, select

from bot.domain import OutboxState
from store.models import OutboxNotification

ERROR_LENGTH = 1000
_MANY = 500  # rows per statement of enqueue_many
_TABLE = OutboxNotification.__table__  # type: ignore[attr-defined]


class Work(Protocol):
    """What the outbox needs of a unit of work's context: its session and its "now"."""

    @property
    def session(self) -> Session: ...

    @property
    def now(self) -> datetime: ...


def enqueue(
    work: Work,
    *,
    dedupe_key: str,
    kind: str,
    platform: str,
    target_key: str,
    payload: dict[str, Any],
    person_id: int | None = None,
    action_id: int | None = None,
    not_before: datetime | None = None,
    state: OutboxState = OutboxState.PENDING,
    last_error: str | None = None,
) -> bool:
    """Add a notification unless one with the same dedupe key exists; True if it was added.

    ``state`` is ``unreachable`` (with ``last_error`` saying why) for a message nobody can deliver.
    """
    values = {
        "dedupe_key": dedupe_key,
        "kind": kind,
        "platform": platform,
        "target_key": target_key,
        "payload": payload,
        "person_id": person_id,
        "action_id": action_id,
        "state": state.value,
        "attempts": 0,
        "last_error": last_error,
        "created_at": work.now,
        "not_before": not_before or work.now,
    }
    dialect = work.session.get_bind().dialect.name
    insert = postgresql.insert if dialect == "postgresql" else sqlite.insert
    statement = (
        insert(OutboxNotification)
        .values(**values)
        .on_conflict_do_nothing(index_elements=["dedupe_key"])
        .returning(_TABLE.c.id)
    )
    return work.session.execute(statement).first() is not None


@dataclass(frozen=True)
class Message:
    """One notification to :func:`enqueue_many` (the same fields as :func:`enqueue` takes)."""

    dedupe_key: str
    kind: str
    platform: str
    target_key: str
    payload: dict[str, Any]
    person_id: int | None = None
    action_id: int | None = None
    not_before: datetime | None = None
    state: OutboxState = OutboxState.PENDING
    last_error: str | None = None


def enqueue_many(work: Work, messages: Sequence[Message]) -> set[str]:
    """Add each message unless one with its dedupe key exists; return the dedupe keys added.

    One ``INSERT … ON CONFLICT DO NOTHING RETURNING`` sent as a few multi-row statements: a job queuing a
    thousand morning messages pays for a handful of round trips, not a thousand.
    """
    if not messages:
        return set()
    rows = [
        {
            "dedupe_key": message.dedupe_key,
            "kind": message.kind,
            "platform": message.platform,
            "target_key": message.target_key,
            "payload": message.payload,
            "person_id": message.person_id,
            "action_id": message.action_id,
            "state": message.state.value,
            "attempts": 0,
            "last_error": message.last_error,
            "created_at": work.now,
            "not_before": message.not_before or work.now,
        }
        for message in messages
    ]
    dialect = work.session.get_bind().dialect.name
    insert = postgresql.insert if dialect == "postgresql" else sqlite.insert
    statement = insert(_TABLE).on_conflict_do_nothing(index_elements=["dedupe_key"]).returning(_TABLE.c.dedupe_key)
    added: set[str] = set()
    for start in range(0, len(rows), _MANY):
        result = work.session.connection().execute(statement, rows[start : start + _MANY])
        added.update(result.scalars().all())
    return added


def claim(work: Work, *, limit: int, lease: timedelta, kinds: Iterable[str] | None = None) -> list[OutboxNotification]:
    """Lease up to ``limit`` pending rows that are due (oldest first) for ``lease``; return them.

    Call it in a write transaction of its own and send after it commits. A row is due when its
    ``not_before`` has passed and it is not leased to another drain (or that lease has run out).
    """
    query = (
        select(OutboxNotification)
        .where(
            OutboxNotification.state == OutboxState.PENDING.value,
            col(OutboxNotification.not_before) <= work.now,
            or_(col(OutboxNotification.claimed_until).is_(None), col(OutboxNotification.claimed_until) < work.now),
        )
        .order_by(col(OutboxNotification.not_before), col(OutboxNotification.id))
        .limit(limit)
    )
    if kinds is not None:
        query = query.where(col(OutboxNotification.kind).in_(list(kinds)))
    if work.session.get_bind().dialect.name == "postgresql":
        query = query.with_for_update(skip_locked=True)
    rows = list(work.session.exec(query))
    for row in rows:
        row.claimed_until = work.now + lease
        work.session.add(row)
    work.session.flush()
    return rows


def mark_sent(work: Work, row_id: int) -> None:
    """The message went."""
    _set(work, [row_id], state=OutboxState.SENT.value, sent_at=work.now, claimed_until=None)


def reschedule(work: Work, row_id: int, *, at: datetime, error: str, count_attempt: bool = True) -> None:
    """Try again from ``at``: after a failure worth retrying (an attempt), or when asked to slow down (not one)."""
    attempts = _TABLE.c.attempts + 1 if count_attempt else _TABLE.c.attempts
    _set(
        work,
        [row_id],
        state=OutboxState.PENDING.value,
        not_before=at,
        claimed_until=None,
        last_error=error[:ERROR_LENGTH],
        attempts=attempts,
    )


def mark_dead(work: Work, row_id: int, error: str) -> None:
    """The message will never go: a permanent refusal, or too many failed attempts."""
    _set(
        work,
        [row_id],
        state=OutboxState.DEAD.value,
        claimed_until=None,
        last_error=error[:ERROR_LENGTH],
        attempts=_TABLE.c.attempts + 1,
    )


def mark_skipped(work: Work, row_id: int, reason: str) -> None:
    """The message is no longer true (the action was done or moved since it was queued): not sent."""
    _set(work, [row_id], state=OutboxState.SKIPPED.value, claimed_until=None, last_error=reason[:ERROR_LENGTH])


def release(work: Work, row_ids: Sequence[int]) -> None:
    """Give leased rows back unsent (a drain shutting down), for the next drain to claim at once."""
    if row_ids:
        _set(work, row_ids, claimed_until=None)


def requeue(work: Work, row_ids: Sequence[int]) -> None:
    """Send dead (or skipped, or unreachable) rows again from now, with their attempts counted afresh."""
    if row_ids:
        _set(work, row_ids, state=OutboxState.PENDING.value, not_before=work.now, claimed_until=None, attempts=0)


def _set(work: Work, row_ids: Sequence[int], **values: Any) -> None:
    work.session.execute(update(_TABLE).where(_TABLE.c.id.in_(list(row_ids))).values(**values))
