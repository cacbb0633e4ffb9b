"""SQLite's writers: taking turns within the process, and work that must not wait for the database's lock.

SQLite takes one writer at a time. The writers of one process take turns on a lock of their own
(:func:`writers_turn`) before their ``BEGIN IMMEDIATE``; a write that must not wait (run on the event loop's
thread, :func:`bot.unit_of_work.without_waiting`) goes through an engine made not to (:func:`without_waiting`):
its turn and its ``BEGIN`` raise :class:`WouldWait` at once when another writer, of this process or another,
has the lock, before anything is done.
"""

from __future__ import annotations

import sqlite3
import threading
from collections.abc import Iterator
from contextlib import AbstractContextManager, contextmanager, nullcontext
from weakref import WeakKeyDictionary

from sqlalchemy import Engine
from sqlalchemy.pool import Pool

NO_WAIT = "actionbot_no_wait"


class WouldWait(Exception):
    """Work asked not to wait (:func:`without_waiting`) that would have to: for SQLite's lock, which another writer
    holds, or for a database in another process. Nothing of it was done; run it where waiting is fine."""


def without_waiting(engine: Engine) -> Engine:
    """The same engine (and pool) for a SQLite write that must not wait for the database's lock: its writers' turn
    (:func:`writers_turn`) and its ``BEGIN IMMEDIATE`` raise :class:`WouldWait` at once when another writer has it."""
    return engine.execution_options(**{NO_WAIT: True})


_writers: WeakKeyDictionary[Pool, threading.RLock] = WeakKeyDictionary()
_writers_guard = threading.Lock()


def writers_turn(engine: Engine, *, wait: bool = True) -> AbstractContextManager[object]:
    """What a write transaction holds from before its ``BEGIN`` to after its commit or rollback.

    SQLite takes one writer at a time, and one that finds the database locked polls for it, sleeping longer
    and longer between tries (up to 100 ms at a time, until the busy timeout): under a burst of presses most
    of a write's time went in those sleeps. So the writers of one process take turns on a lock of their own
    and the next one starts the moment the last commits; SQLite's busy timeout is left for other processes.
    PostgreSQL locks rows, not the database: nothing to hold there. ``wait=False``: :class:`WouldWait` when
    another thread has the turn."""
    if engine.dialect.name != "sqlite":
        return nullcontext()
    with _writers_guard:
        turn = _writers.setdefault(engine.pool, threading.RLock())
    return turn if wait else _now_or_never(turn)


@contextmanager
def _now_or_never(turn: threading.RLock) -> Iterator[None]:
    if not turn.acquire(blocking=False):
        raise WouldWait("another writer of this process has the turn")
    try:
        yield
    finally:
        turn.release()


def begin_at_once(driver: sqlite3.Connection, begin: str) -> None:
    """``begin`` (SQLite's ``BEGIN IMMEDIATE``) with no busy timeout, put back after: :class:`WouldWait` when another
    process is writing."""
    (timeout,) = driver.execute("PRAGMA busy_timeout").fetchone()
    driver.execute("PRAGMA busy_timeout=0")
    try:
        driver.execute(begin)
    except sqlite3.OperationalError as exc:
        if exc.sqlite_errorcode in (sqlite3.SQLITE_BUSY, sqlite3.SQLITE_LOCKED):
            raise WouldWait("another process is writing to the database") from None
        raise
    finally:
        driver.execute(f"PRAGMA busy_timeout={int(timeout)}")
