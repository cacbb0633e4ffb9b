"""Who runs the clock: one row per lease (``clock``) saying which process holds it, since when, and its last heartbeat.

The row is what ``actionbot clock status`` and the web process's ``/readyz`` read. It records the lease; it
does not enforce it: exclusivity comes from a PostgreSQL session advisory lock or, on SQLite, a file lock
beside the database (see :mod:`scheduler.lease`), both released by the operating system or the server the
moment the holding process dies. Every function takes a plain connection, so the PostgreSQL holder can
write through the very connection that holds the lock (a heartbeat that fails there means the lock is gone).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import Column, Connection, Integer, String, select, update
from sqlmodel import Field, SQLModel

from store.columns import UTCDateTime
from store.db import upsert_insert


class ClockLease(SQLModel, table=True):
    """The holder of one lease (``name``): host, process id, since when, last heartbeat, and when it let go."""

    __tablename__ = "clock_lease"

    name: str = Field(sa_column=Column(String(50), primary_key=True))
    host: str = Field(sa_column=Column(String(255), nullable=False))
    pid: int = Field(sa_column=Column(Integer, nullable=False))
    since: datetime = Field(sa_column=Column(UTCDateTime(), nullable=False))
    heartbeat_at: datetime = Field(sa_column=Column(UTCDateTime(), nullable=False))
    released_at: datetime | None = Field(default=None, sa_column=Column(UTCDateTime(), nullable=True))


_TABLE = ClockLease.__table__  # type: ignore[attr-defined]


@dataclass(frozen=True)
class Holder:
    """What the lease row says: who holds (or last held) the lease, and their last heartbeat."""

    host: str
    pid: int
    since: datetime
    heartbeat_at: datetime
    released_at: datetime | None


def take(connection: Connection, name: str, *, host: str, pid: int, now: datetime) -> None:
    """Record this process as the holder of ``name`` from ``now``."""
    values = {"name": name, "host": host, "pid": pid, "since": now, "heartbeat_at": now, "released_at": None}
    insert = upsert_insert(connection.dialect.name)
    statement = insert(_TABLE).values(**values)
    statement = statement.on_conflict_do_update(
        index_elements=["name"], set_={key: value for key, value in values.items() if key != "name"}
    )
    connection.execute(statement)


def beat(connection: Connection, name: str, *, host: str, pid: int, now: datetime) -> bool:
    """A heartbeat of the holder; False when the row names another process (this one lost the lease)."""
    statement = (
        update(_TABLE)
        .where(_TABLE.c.name == name, _TABLE.c.host == host, _TABLE.c.pid == pid)
        .values(heartbeat_at=now)
    )
    return connection.execute(statement).rowcount == 1


def let_go(connection: Connection, name: str, *, host: str, pid: int, now: datetime) -> None:
    """The holder let the lease go (a clean stop)."""
    statement = (
        update(_TABLE)
        .where(_TABLE.c.name == name, _TABLE.c.host == host, _TABLE.c.pid == pid)
        .values(heartbeat_at=now, released_at=now)
    )
    connection.execute(statement)


def holder(connection: Connection, name: str) -> Holder | None:
    """Who holds or last held ``name``; None when no process ever took it."""
    row = connection.execute(select(_TABLE).where(_TABLE.c.name == name)).first()
    if row is None:
        return None
    return Holder(row.host, row.pid, row.since, row.heartbeat_at, row.released_at)
