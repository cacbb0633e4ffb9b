"""Exactly one clock: the lease a clock process holds while it runs jobs and drains the outbox.

- **PostgreSQL**: a session advisory lock, taken with ``pg_try_advisory_lock`` on a connection of its own
  that the lease keeps open. The server drops the lock the moment that connection ends: a clock that
  exits, crashes or is killed lets go at once, and one whose host vanishes lets go once the server's
  ``idle_session_timeout`` (set on that connection; the heartbeat keeps it busy) and TCP keepalives notice.
  The key is made from the schema and the lease's name, so databases and schemas never share a lock.
- **SQLite**: an exclusive ``flock`` on a file beside the database (``actionbot.db.clock-lock``), which the
  operating system releases when the process dies. (SQLite is one host's database, so one host's lock.)

Either way the holder records itself in the ``clock_lease`` row (:mod:`store.clock_lease`) and beats
every :data:`HEARTBEAT_SECONDS`; ``actionbot clock status`` and ``/readyz`` read that row. A standby clock
tries again every :data:`RETRY_SECONDS`, so it takes over within seconds of the first one dying. Times here
are the wall clock's: the lease is about processes being alive, not the council's (possibly injected) time.
"""

from __future__ import annotations

import hashlib
import logging
import os
import socket
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import IO

from sqlalchemy import Connection, Engine, text

from store import clock_lease
from store.clock_lease import Holder

log = logging.getLogger("actionbot.clock")

NAME = "clock"
HEARTBEAT_SECONDS = 5.0
RETRY_SECONDS = 5.0
# PostgreSQL ends a lock-holding session silent this long (its holder is gone: it beats every 5 s).
IDLE_SESSION_TIMEOUT = "25s"


def wall_now() -> datetime:
    return datetime.now(UTC)


class Lease:
    """The clock's lease on one database; see the module's docstring."""

    def __init__(self, engine: Engine, *, name: str = NAME) -> None:
        self.engine = engine
        self.name = name
        self.host = socket.gethostname()
        self.pid = os.getpid()
        self._connection: Connection | None = None  # PostgreSQL: the connection holding the lock
        self._file: IO[bytes] | None = None  # SQLite: the locked file
        self.held = False

    @property
    def _postgres(self) -> bool:
        return self.engine.dialect.name == "postgresql"

    def try_acquire(self) -> bool:
        """Take the lease if nobody holds it; True when this process now holds it."""
        if self.held:
            return True
        if self._postgres:
            self.held = self._lock_postgres()
        else:
            self.held = self._lock_file()
        if self.held:
            self._write(clock_lease.take)
            log.info("clock lease taken: this clock runs (%s pid %d)", self.host, self.pid)
        return self.held

    def heartbeat(self) -> bool:
        """Record that the holder is alive; False when the lease was lost (then it no longer holds it)."""
        if not self.held:
            return False
        try:
            # PostgreSQL: written through the lock's own connection, so a beat that goes through proves the lock.
            still = self._write(clock_lease.beat)
        except Exception as exc:  # the lock's connection died: so did the lock
            log.warning("clock lease lost: %s", type(exc).__name__)
            still = False
        if not still:
            self._drop()
        return still

    def release(self) -> None:
        """Let the lease go (a clean stop), saying so in the row."""
        if not self.held:
            return
        try:
            self._write(clock_lease.let_go)
            if self._postgres and self._connection is not None:
                self._connection.execute(text("SELECT pg_advisory_unlock(:key)"), {"key": self._key()})
        except Exception as exc:
            log.warning("could not record the clock's stop: %s", type(exc).__name__)
        self._drop()
        log.info("clock lease released")

    def holder(self) -> Holder | None:
        """Who holds (or last held) the lease, as its row says."""
        with self.engine.connect() as connection:
            return clock_lease.holder(connection, self.name)

    def is_held_elsewhere(self) -> bool:
        """Whether another process holds the lease now (asked of the lock itself, not the row)."""
        if self.held:
            return False
        if self._postgres:
            with self.engine.connect() as connection:
                key = self._key(connection) & 0xFFFFFFFFFFFFFFFF
                query = text(
                    "SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' AND granted AND objsubid = 1"
                    " AND database = (SELECT oid FROM pg_database WHERE datname = current_database())"
                    " AND classid::bigint = :high AND objid::bigint = :low"
                )
                return bool(connection.execute(query, {"high": key >> 32, "low": key & 0xFFFFFFFF}).scalar())
        path = self._lock_path()
        if path is None:
            return False
        with path.open("a+b") as probe:
            try:
                _flock(probe, blocking=False)
            except BlockingIOError:
                return True
            _unlock(probe)
            return False

    def standby_line(self) -> str:
        """What a clock that cannot take the lease says about who has it."""
        found = self.holder()
        if found is None or found.released_at is not None:
            return "standby: another clock holds the lease"
        since = found.since.astimezone().strftime("%Y-%m-%d %H:%M:%S %Z")
        return f"standby: the clock is running on {found.host} pid {found.pid} since {since}"

    # PostgreSQL -------------------------------------------------------------------------------------------

    def _lock_postgres(self) -> bool:
        connection = self.engine.connect().execution_options(isolation_level="AUTOCOMMIT")
        try:
            key = self._key(connection)
            if not connection.execute(text("SELECT pg_try_advisory_lock(:key)"), {"key": key}).scalar():
                connection.close()
                return False
            connection.execute(text(f"SET idle_session_timeout = '{IDLE_SESSION_TIMEOUT}'"))
        except Exception:
            connection.close()
            raise
        self._connection = connection
        return True

    _schema_key: int | None = None

    def _key(self, connection: Connection | None = None) -> int:
        """A signed 64-bit key from the schema and the lease's name."""
        if self._schema_key is None:
            on = connection or self._connection
            assert on is not None
            schema = on.execute(text("SELECT current_schema()")).scalar()
            digest = hashlib.blake2b(f"actionbot:{schema}:{self.name}".encode(), digest_size=8).digest()
            self._schema_key = int.from_bytes(digest, "big", signed=True)
        return self._schema_key

    # SQLite -----------------------------------------------------------------------------------------------

    def _lock_path(self) -> Path | None:
        database = self.engine.url.database
        if not database or database == ":memory:":
            return None  # an in-memory database is one process's: nobody else can run a clock on it
        return Path(f"{database}.{self.name}-lock")

    def _lock_file(self) -> bool:
        path = self._lock_path()
        if path is None:
            return True
        handle = path.open("a+b")
        try:
            _flock(handle, blocking=False)
        except BlockingIOError:
            handle.close()
            return False
        self._file = handle
        return True

    # Both -------------------------------------------------------------------------------------------------

    def _write(self, step: Callable[..., object]) -> bool:
        """Run a row step (take, beat, let go): on the lock's connection (PostgreSQL), else in a transaction."""
        arguments = {"host": self.host, "pid": self.pid, "now": wall_now()}
        if self._postgres and self._connection is not None:
            return step(self._connection, self.name, **arguments) is not False
        with self.engine.begin() as connection:
            return step(connection, self.name, **arguments) is not False

    def _drop(self) -> None:
        self.held = False
        if self._connection is not None:
            try:
                self._connection.close()
            except Exception:
                log.debug("the lease's connection was already gone")
            self._connection = None
        if self._file is not None:
            _unlock(self._file)
            self._file.close()
            self._file = None


def _flock(handle: IO[bytes], *, blocking: bool) -> None:
    import fcntl

    fcntl.flock(handle.fileno(), fcntl.LOCK_EX | (0 if blocking else fcntl.LOCK_NB))


def _unlock(handle: IO[bytes]) -> None:
    import fcntl

    fcntl.flock(handle.fileno(), fcntl.LOCK_UN)
