"""Engines and the schema check.

``make_engine`` turns ``DATABASE_URL`` into an engine: SQLite gets WAL, foreign keys, a busy
timeout and ``BEGIN IMMEDIATE`` for write transactions (so two writers queue instead of failing
half-way; how they take turns, and a write that must not wait: :mod:`store.writers`); PostgreSQL goes
through psycopg 3. Nothing connects at import time.

A PostgreSQL connection that died while it sat in the pool (a restart, a failover, a server or firewall
idle timeout) is noticed before use (``pool_pre_ping``) and replaced, so the database can go away and
come back without restarting actionbot. The ping costs no round trip when it need not (:func:`_ping`): a
connection whose socket has nothing to read is as the server left it (a server that ends a connection,
restarting or timing it out, says so on the socket, and the socket then reads as closed); one with anything
to read is asked ``SELECT 1``. Read-only transactions on PostgreSQL run in autocommit (:mod:`store.autocommit`):
under read committed each statement sees what was committed when it began, with or without a transaction,
so ``BEGIN`` and ``COMMIT`` were two round trips that bought nothing.

Connecting gives up after :data:`PG_CONNECT_TIMEOUT_SECONDS` (so a chat answer still fits in Slack's 3 seconds
when the server refuses or is unreachable), and TCP keepalives and a user timeout notice a peer that vanished
without closing the connection. The URL's own query parameters (``?connect_timeout=10``) win over these defaults.

The schema check every command makes at start-up (:func:`check_schema`) does not load Alembic: the newest
revision is read from the packaged migrations' ``revision``/``down_revision`` lines
(:func:`packaged_head`, tested to equal Alembic's own answer) and the database's from its
``alembic_version`` table. Alembic is loaded to upgrade, and to read migrations this reading cannot.
"""

from __future__ import annotations

import ast
import functools
import os
import re
import select
import sqlite3
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from sqlalchemy import Engine, create_engine, event, inspect, make_url, text
from sqlalchemy.exc import DBAPIError

from store.autocommit import out_of_autocommit
from store.writers import NO_WAIT, begin_at_once

if TYPE_CHECKING:
    from alembic.config import Config

MIGRATIONS_DIR = Path(__file__).parent / "migrations"
VERSION_TABLE = "alembic_version"  # Alembic's default, as store/migrations/env.py leaves it
_REVISION_LINE = re.compile(r"^(down_revision|revision)\b[^=\n]*=(.*)$", re.MULTILINE)
READ_ONLY = "actionbot_read_only"
SQLITE_BUSY_TIMEOUT_MS = 10_000
BEGIN_READ, BEGIN_WRITE = "BEGIN DEFERRED", "BEGIN IMMEDIATE"  # SQLite: a writer takes the lock as it begins
# The core runs in asyncio's default executor: min(32, cores + 4) threads, each holding a connection while it works.
# A pool that keeps fewer than that closes one whenever they all come back and opens another at the next burst (at
# 8 presses in flight on 2 cores: a new PostgreSQL backend, its caches cold, every second or so); SQLAlchemy's
# default keeps 5. Connections beyond these (max_overflow) are still opened when needed and closed when returned.
POOL_SIZE = min(32, (os.cpu_count() or 1) + 4)
PG_CONNECT_TIMEOUT_SECONDS = 2  # libpq's smallest useful value
# A server that vanished (failover, network fault) is noticed: idle connections by keepalives within about a
# minute, a connection with data unacknowledged for 10 s at once (libpq's tcp_user_timeout, Linux).
PG_KEEPALIVES = {
    "keepalives": 1,
    "keepalives_idle": 30,
    "keepalives_interval": 10,
    "keepalives_count": 3,
    "tcp_user_timeout": 10_000,
}


class SchemaError(Exception):
    """The database's schema is not the one this version of actionbot needs."""


def in_process(engine: Engine) -> bool:
    """Whether the database runs in this process (SQLite): its work is this process's CPU, with no network between."""
    return engine.dialect.name == "sqlite"


def make_engine(url: str, **kwargs: Any) -> Engine:
    """Create an engine for ``url`` (sqlite:/// or postgresql+psycopg://)."""
    if "poolclass" not in kwargs:
        kwargs.setdefault("pool_size", POOL_SIZE)
    if url.startswith("sqlite"):
        return _sqlite_engine(url, **kwargs)
    kwargs.setdefault("pool_pre_ping", True)
    given = make_url(url).query
    connect_args = {"connect_timeout": PG_CONNECT_TIMEOUT_SECONDS, **PG_KEEPALIVES}
    connect_args = {name: value for name, value in connect_args.items() if name not in given}
    kwargs["connect_args"] = connect_args | dict(kwargs.get("connect_args") or {})
    engine = create_engine(url, **kwargs)
    if engine.dialect.driver == "psycopg":
        full_ping = engine.dialect.do_ping
        engine.dialect.do_ping = lambda dbapi_connection: _ping(dbapi_connection, full_ping)  # type: ignore[method-assign]
        event.listen(engine.pool, "checkin", out_of_autocommit)
    return engine


def _ping(dbapi_connection: Any, full_ping: Callable[[Any], bool]) -> bool:
    """The pool's pre-ping of a psycopg connection: no round trip for an idle connection whose socket has nothing
    to read; ``SELECT 1`` (in autocommit, leaving no transaction open) for any other; the dialect's own ping for
    one that is not idle. A dead connection raises here, and the pool connects a new one."""
    try:
        pgconn = dbapi_connection.pgconn
        idle = pgconn.status == 0 and pgconn.transaction_status == 0  # CONNECTION_OK, PQTRANS_IDLE
        if idle and not select.select([pgconn.socket], [], [], 0)[0]:
            return True
    except Exception:  # a connection psycopg already knows is closed: let the full ping say so
        idle = False
    if not idle:
        return full_ping(dbapi_connection)
    autocommit, dbapi_connection.autocommit = dbapi_connection.autocommit, True
    try:
        dbapi_connection.execute("SELECT 1")
    finally:
        dbapi_connection.autocommit = autocommit
    return True


def upsert_insert(dialect: str) -> Any:
    """The dialect's ``insert()`` (the one with ``on_conflict_do_…``): PostgreSQL's or SQLite's. Each dialect's
    module is loaded when first used, so a process on SQLite never loads PostgreSQL's."""
    if dialect == "postgresql":
        from sqlalchemy.dialects.postgresql import insert as postgresql_insert

        return postgresql_insert
    from sqlalchemy.dialects.sqlite import insert as sqlite_insert

    return sqlite_insert


def read_only(engine: Engine) -> Engine:
    """The same engine (and pool) for transactions that only read: SQLite begins them DEFERRED; on PostgreSQL
    :func:`store.session.transaction` runs them in autocommit (:mod:`store.autocommit`)."""
    return engine.execution_options(**{READ_ONLY: True})


def _sqlite_engine(url: str, **kwargs: Any) -> Engine:
    connect_args = kwargs.pop("connect_args", {})
    connect_args.setdefault("timeout", SQLITE_BUSY_TIMEOUT_MS / 1000)
    connect_args.setdefault("check_same_thread", False)
    engine = create_engine(url, connect_args=connect_args, **kwargs)

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection: Any, _record: Any) -> None:
        # Take transaction control from pysqlite so that BEGIN below is ours (SQLAlchemy recipe).
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        if ":memory:" not in url and url not in ("sqlite://", "sqlite:///"):
            cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute(f"PRAGMA busy_timeout={SQLITE_BUSY_TIMEOUT_MS}")
        cursor.execute("PRAGMA synchronous=NORMAL")
        cursor.close()

    @event.listens_for(engine, "begin")
    def _on_begin(connection: Any) -> None:
        # Sent straight to the driver (every transaction begins here; SQLAlchemy's statement machinery around one
        # BEGIN cost ~15 µs, a tenth of a lookup of who is asking); its errors wrapped as SQLAlchemy would.
        options = connection.get_execution_options()
        statement = BEGIN_READ if options.get(READ_ONLY) else BEGIN_WRITE
        driver = connection.connection.driver_connection
        try:
            if statement == BEGIN_WRITE and options.get(NO_WAIT):
                begin_at_once(driver, BEGIN_WRITE)
            else:
                driver.execute(statement)
        except sqlite3.Error as exc:
            lost = connection.dialect.is_disconnect(exc, driver, None)
            if lost:  # a connection closed under the pool: it is dropped, and a read is tried again on a new one
                connection.invalidate(exc)
            raise DBAPIError.instance(
                statement, None, exc, sqlite3.Error, connection_invalidated=lost, dialect=connection.dialect
            ) from exc

    return engine


def alembic_config(url: str) -> Config:
    """An Alembic configuration for the packaged migrations; no alembic.ini needed."""
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS_DIR))
    config.set_main_option("sqlalchemy.url", url.replace("%", "%%"))
    return config


def head_revision(url: str) -> str | None:
    """The newest revision of the packaged migrations, as Alembic reads them."""
    from alembic.script import ScriptDirectory

    return ScriptDirectory.from_config(alembic_config(url)).get_current_head()


@functools.cache
def packaged_head() -> str | None:
    """The newest revision of the packaged migrations, read without loading Alembic (:func:`read_head`); Alembic's
    answer whenever a file says it in a way that reading does not follow."""
    return read_head(MIGRATIONS_DIR / "versions") or head_revision("sqlite://")


def read_head(versions: Path) -> str | None:
    """The one revision in ``versions`` that no other revises, from each file's ``revision`` and ``down_revision``
    lines; ``None`` when a file writes them otherwise (a merge's tuple over several lines, a computed value) or
    there is not exactly one such revision."""
    revisions: set[str] = set()
    revised: set[str] = set()
    for path in sorted(versions.glob("*.py")):
        found = dict(_REVISION_LINE.findall(path.read_text(encoding="utf-8")))
        if not found:
            continue
        try:
            revision = ast.literal_eval(found["revision"].strip())
            down = ast.literal_eval(found["down_revision"].strip())
        except (KeyError, ValueError, SyntaxError):
            return None
        if not isinstance(revision, str) or not (down is None or isinstance(down, str | tuple)):
            return None
        revisions.add(revision)
        revised.update([down] if isinstance(down, str) else down or ())
    heads = revisions - revised
    return heads.pop() if len(heads) == 1 else None


def ping(engine: Engine) -> None:
    """Ask the database for ``SELECT 1``; whatever the driver raises when it cannot answer passes through."""
    with engine.connect() as connection:
        connection.execute(text("SELECT 1"))


def current_revision(engine: Engine) -> str | None:
    """The revision the database's schema is at (its ``alembic_version`` row); ``None`` for an empty database."""
    with engine.connect() as connection:
        if not inspect(connection).has_table(VERSION_TABLE):
            return None
        rows = connection.execute(text(f"SELECT version_num FROM {VERSION_TABLE}")).scalars().all()
        if len(rows) <= 1:
            return rows[0] if rows else None
        from alembic.runtime.migration import MigrationContext  # several heads: Alembic says what is wrong

        return MigrationContext.configure(connection).get_current_revision()


def upgrade(engine: Engine) -> None:
    """Bring the schema to the newest revision (``actionbot db upgrade``)."""
    from alembic import command

    config = alembic_config(engine.url.render_as_string(hide_password=False))
    with engine.connect() as connection:
        sqlite = connection.dialect.name == "sqlite"
        if sqlite:
            _sqlite_foreign_keys(connection, on=False)
        try:
            with connection.begin():
                config.attributes["connection"] = connection
                command.upgrade(config, "head")
                if sqlite and connection.exec_driver_sql("PRAGMA foreign_key_check").first() is not None:
                    raise SchemaError("the upgrade would leave rows pointing at rows that do not exist: not applied")
        finally:
            if sqlite:
                _sqlite_foreign_keys(connection, on=True)


def _sqlite_foreign_keys(connection: Any, *, on: bool) -> None:
    """Switch SQLite's foreign keys on or off, outside any transaction (SQLite ignores it inside one).

    A migration that changes a column makes SQLite rebuild the table (Alembic's batch mode): with foreign
    keys enforced, dropping the old table would delete, by cascade, every row that refers to it. So they
    are off while migrating (SQLite's own advice), and checked before the upgrade commits.
    """
    connection.connection.driver_connection.execute(f"PRAGMA foreign_keys={'ON' if on else 'OFF'}")


def check_schema(engine: Engine) -> None:
    """Raise :class:`SchemaError` with one line saying what to run when the schema is behind."""
    head = packaged_head()
    current = current_revision(engine)
    if current == head:
        return
    where = engine.url.render_as_string(hide_password=True)
    if current is None:
        raise SchemaError(f"the database {where} has no actionbot tables yet: run `actionbot db upgrade`")
    raise SchemaError(
        f"the database {where} is at schema revision {current} but this version needs {head}: "
        "run `actionbot db upgrade`"
    )
