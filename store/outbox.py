"""The outbox: every message the bot sends on its own is a row here before it is sent.

``enqueue`` inserts with ``ON CONFLICT DO NOTHING`` on the unique dedupe key, so enqueuing the
same message twice (an update broadcast for a retried request; later, a job run twice) stores it once.
Today the update broadcasts (:mod:`bot.services.broadcast`) are what is queued. Every timestamp comes
from the unit of work's context (the injected clock), never the wall clock.

Delivering is the scheduler's drain's work (:mod:`scheduler.drain`). These are the steps it takes:
:func:`claim` a batch (the rows get a lease, ``claimed_until``, so no other claim takes them while they are
in flight; PostgreSQL also skips rows another claimer has locked; :func:`extend` renews the lease of rows
still waiting their turn), send each outside any transaction, then :func:`mark_sent`, :func:`reschedule`
(a failure worth retrying, or a platform's "slow down"), :func:`mark_dead`, :func:`mark_skipped` (no longer
true) or :func:`release` (shutting down). Rows claimed by a process that dies stay leased until the lease
runs out, and the next :func:`claim` takes them again, so a row is never lost and at most the one in flight
is sent twice.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any, Protocol

from sqlalchemy import func, or_, update
from sqlalchemy import select as sa_select
from sqlmodel import Session

from bot.domain import OutboxState
from store.db import upsert_insert
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
    insert = upsert_insert(dialect)
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
    insert = upsert_insert(dialect)
    statement = insert(_TABLE).on_conflict_do_nothing(index_elements=["dedupe_key"]).returning(_TABLE.c.dedupe_key)
    added: set[str] = set()
    for start in range(0, len(rows), _MANY):
        result = work.session.connection().execute(statement, rows[start : start + _MANY])
        added.update(result.scalars().all())
    return added


@dataclass(frozen=True, slots=True)
class Claimed:
    """A leased row as a drain holds it while it waits its turn: what it takes to send and settle it, without
    its payload (read again, with the row's state, just before it is sent: a morning's thousand held rows
    would otherwise each keep their message in memory until their turn)."""

    id: int
    dedupe_key: str
    kind: str
    platform: str
    target_key: str
    attempts: int
    created_at: datetime
    last_error: str | None


_CLAIMED = (
    _TABLE.c.id,
    _TABLE.c.dedupe_key,
    _TABLE.c.kind,
    _TABLE.c.platform,
    _TABLE.c.target_key,
    _TABLE.c.attempts,
    _TABLE.c.created_at,
    _TABLE.c.last_error,
)


def claim(
    work: Work,
    *,
    limit: int,
    lease: timedelta,
    kinds: Iterable[str] | None = None,
    platforms: Iterable[str] | None = None,
    per_target: int | None = None,
    busy: Collection[str] = (),
) -> list[Claimed]:
    """Lease up to ``limit`` pending rows that are due for ``lease``; return them.

    Call it in a write transaction of its own and send after it commits. A row is due when its
    ``not_before`` has passed and it is not leased to another drain (or that lease has run out).
    Oldest first; with ``per_target``, at most that many rows of one target (platform and key), taken
    round-robin (every target's oldest row before any target's second), so that one busy channel does not
    fill the batch. ``busy`` target keys are left out (the caller still holds enough of theirs).
    """
    due = [
        _TABLE.c.state == OutboxState.PENDING.value,
        _TABLE.c.not_before <= work.now,
        or_(_TABLE.c.claimed_until.is_(None), _TABLE.c.claimed_until < work.now),
    ]
    if kinds is not None:
        due.append(_TABLE.c.kind.in_(list(kinds)))
    if platforms is not None:
        due.append(_TABLE.c.platform.in_(list(platforms)))
    if busy:
        due.append(_TABLE.c.target_key.not_in(list(busy)))
    query = sa_select(*_CLAIMED).where(*due)
    if per_target is None:
        query = query.order_by(_TABLE.c.not_before, _TABLE.c.id)
    else:
        turn = func.row_number().over(
            partition_by=(_TABLE.c.platform, _TABLE.c.target_key), order_by=(_TABLE.c.not_before, _TABLE.c.id)
        )
        ranked = sa_select(_TABLE.c.id, turn.label("turn")).where(*due).subquery()
        query = (
            query.join(ranked, ranked.c.id == _TABLE.c.id)
            .where(ranked.c.turn <= per_target)
            .order_by(ranked.c.turn, _TABLE.c.not_before, _TABLE.c.id)
        )
    query = query.limit(limit)
    if work.session.get_bind().dialect.name == "postgresql":
        # The outer query repeats the conditions, so a row another drain claimed since this statement's
        # snapshot is re-checked once locked (and left out), rather than claimed twice.
        query = query.with_for_update(skip_locked=True, of=_TABLE)
    rows = [Claimed(*row) for row in work.session.execute(query)]
    ids = [row.id for row in rows]
    for start in range(0, len(ids), _MANY):
        work.session.execute(
            update(_TABLE).where(_TABLE.c.id.in_(ids[start : start + _MANY])).values(claimed_until=work.now + lease)
        )
    return rows


def extend(work: Work, row_ids: Sequence[int], lease: timedelta) -> None:
    """Keep leased rows leased for ``lease`` from now (a drain still holding them, waiting its turn to send)."""
    if row_ids:
        ids = list(row_ids)
        work.session.execute(
            update(_TABLE)
            .where(_TABLE.c.id.in_(ids), _TABLE.c.state == OutboxState.PENDING.value)
            .values(claimed_until=work.now + lease)
        )


def counts(work: Work) -> dict[str, int]:
    """How many rows are in each state."""
    query = sa_select(_TABLE.c.state, func.count()).group_by(_TABLE.c.state)
    return {str(state): int(count) for state, count in work.session.execute(query)}


def mark_sent(work: Work, row_ids: int | Sequence[int]) -> None:
    """The message (or each of the messages) went."""
    ids = [row_ids] if isinstance(row_ids, int) else list(row_ids)
    _set(work, ids, state=OutboxState.SENT.value, sent_at=work.now, claimed_until=None)


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
