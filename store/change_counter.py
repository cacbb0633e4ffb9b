"""A counter the database moves on every change to an action, and the overdue totals remembered against it.

``action_changes`` holds one row whose ``n`` a trigger on ``action`` (migration ``0006_action_changes``)
increases for every row inserted, updated or deleted, whoever writes it: this process, another web worker,
the clock, ``actionbot import``, a cascade from a deleted review. SQLite's trigger runs in the writing
statement; PostgreSQL's is a deferred constraint trigger, run at commit, so the counter's row is locked only
while the writer commits (no deadlock with the rows it updates).

:func:`remembered_totals` keeps the council-wide overdue totals (how many actions, how many lead owners),
per day and review filter, against the counter's value: an answer is reused only while the counter still
shows the value it was computed at. It is used only in read-only transactions (a transaction that wrote
would see its own changes before they are committed or rolled back), and the counter is read before the
totals, so that under PostgreSQL's read committed a change committed in between makes the entry newer than
its key, never older. The council-wide list reads the counter in the same statement as its page
(:data:`CHANGES`, a column of that statement) and hands it to :func:`totals_at`: one statement fewer per answer.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Sequence
from datetime import date
from weakref import WeakKeyDictionary

from sqlalchemy import BigInteger, Column
from sqlalchemy import select as core_select
from sqlalchemy.pool import Pool
from sqlmodel import Field, Session, SQLModel

from store.db import READ_ONLY

MAX_REMEMBERED = 256  # per database: days × review filters asked about


class ActionChanges(SQLModel, table=True):
    """One row: how many times an action row has been inserted, updated or deleted (kept by a trigger)."""

    __tablename__ = "action_changes"

    id: int = Field(default=1, primary_key=True)
    n: int = Field(default=0, sa_column=Column(BigInteger, nullable=False))


_COUNTER = core_select(ActionChanges.__table__.c.n).where(ActionChanges.__table__.c.id == 1)  # type: ignore[attr-defined]
CHANGES = _COUNTER.scalar_subquery().label("changes")  # the counter as a column of another statement
Totals = tuple[int, int]
_Key = tuple[date, tuple[int, ...] | None]
_remembered: WeakKeyDictionary[Pool, dict[_Key, tuple[int, Totals]]] = WeakKeyDictionary()
_computing: WeakKeyDictionary[Pool, dict[_Key, tuple[int, threading.Event]]] = WeakKeyDictionary()  # by whom now
_lock = threading.Lock()
WAIT_SECONDS = 5.0  # for another request's totals, at most: then computed here


def changes(session: Session) -> int | None:
    """The counter's value (``None`` before any action was ever written, or after the table was emptied)."""
    return session.connection().execute(_COUNTER).scalar()


def remembered_totals(
    session: Session, today: date, review_ids: Sequence[int] | None, compute: Callable[[], Totals]
) -> Totals:
    """``compute()``, or the answer it gave for the same day and reviews if no action has changed since."""
    if not _read_only(session):
        return compute()
    return totals_at(session, changes(session), today, review_ids, compute)


def _read_only(session: Session) -> bool:
    return bool(session.get_bind().get_execution_options().get(READ_ONLY))


def totals_at(
    session: Session, version: int | None, today: date, review_ids: Sequence[int] | None, compute: Callable[[], Totals]
) -> Totals:
    """:func:`remembered_totals`, the counter's value ``version`` read already, in this transaction and before any
    of the totals (:data:`CHANGES`). Requests that find no answer for the same key and counter value while one of
    them is computing it wait for that one's answer (:data:`WAIT_SECONDS` at most), rather than each computing it
    too: the first lists after a change, eight at once on PostgreSQL's worker threads, each cost ~6 ms of the
    server's CPU and ~1 ms of this process's (bench/serve_load.py). That answer was computed after the counter
    showed ``version``, as a remembered one was; if it fails, or is not there in time, each computes its own."""
    bind = session.get_bind()
    if version is None or not _read_only(session):
        return compute()
    key: _Key = (today, None if review_ids is None else tuple(sorted(review_ids)))
    pool = bind.pool  # type: ignore[union-attr]
    with _lock:
        entries = _remembered.setdefault(pool, {})
        found = entries.get(key)
        if found is not None and found[0] == version:
            return found[1]
        computing = _computing.setdefault(pool, {})
        other = computing.get(key)
        ours = other is None
        if ours:
            done = threading.Event()
            computing[key] = (version, done)
    if other is not None and other[0] == version:
        other[1].wait(WAIT_SECONDS)
        with _lock:
            found = entries.get(key)
        if found is not None and found[0] == version:
            return found[1]
    try:
        totals = compute()
        with _lock:
            if len(entries) >= MAX_REMEMBERED:
                entries.clear()
            entries[key] = (version, totals)
    finally:
        if ours:
            with _lock:
                computing.pop(key, None)
            done.set()
    return totals
