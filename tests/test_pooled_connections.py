"""Connections kept in the pool: one the server ended while it sat there is replaced before use, for reads (which
run in autocommit on PostgreSQL) and writes alike, so the next answer comes without an error (store.db's ping
asks the server only when the connection's socket has something to say, as an ended connection's has)."""

from __future__ import annotations

import time

import pytest
from sqlalchemy import Engine, text
from sqlalchemy.pool import NullPool

from store.db import make_engine, read_only
from store.session import transaction
from tests.conftest import PG_URL


def _backend(engine: Engine) -> int:
    with engine.connect() as connection:
        return int(connection.execute(text("SELECT pg_backend_pid()")).scalar_one())


def _end(database_url: str, pid: int) -> None:
    """The server ends that session (a restart, a failover, an idle timeout), as an administrator would."""
    admin = make_engine(database_url, poolclass=NullPool)
    with admin.connect() as connection:
        connection.execute(text("SELECT pg_terminate_backend(:pid)"), {"pid": pid})
        for _ in range(100):  # until the server has let it go
            if not connection.execute(text("SELECT 1 FROM pg_stat_activity WHERE pid = :pid"), {"pid": pid}).first():
                break
            time.sleep(0.02)
    admin.dispose()


def test_a_read_after_the_server_ended_its_pooled_connection_gets_its_answer(
    engine: Engine, database_url: str
) -> None:
    reader = read_only(engine)
    if PG_URL:
        before = _backend(reader)
        _end(database_url, before)
        assert _backend(reader) != before, "a new connection answered"
    with reader.connect() as connection:
        assert connection.execute(text("SELECT 1")).scalar_one() == 1


def test_a_write_after_the_server_ended_its_pooled_connection_is_made(engine: Engine, database_url: str) -> None:
    if PG_URL:
        _end(database_url, _backend(engine))
    with engine.begin() as connection:
        connection.execute(text("CREATE TABLE pool_probe (n INTEGER)"))
        connection.execute(text("INSERT INTO pool_probe (n) VALUES (1)"))
    with engine.connect() as connection:
        assert connection.execute(text("SELECT n FROM pool_probe")).scalar_one() == 1
        connection.execute(text("DROP TABLE pool_probe"))
        connection.commit()


def test_a_write_on_a_connection_a_read_used_before_is_all_or_nothing(engine: Engine) -> None:
    """Reads run in autocommit on PostgreSQL; the connection they leave in the pool is a transaction again for the
    next write, so a write that fails half-way keeps nothing of what it did."""
    with transaction(engine) as session:
        session.connection().execute(text("CREATE TABLE pool_probe (n INTEGER)"))
    for _ in range(3):  # the pool's connections, each used by a read first
        with transaction(engine, write=False) as session:
            assert session.connection().execute(text("SELECT count(*) FROM pool_probe")).scalar_one() == 0
        with pytest.raises(RuntimeError), transaction(engine) as session:
            session.connection().execute(text("INSERT INTO pool_probe (n) VALUES (1)"))
            raise RuntimeError("the write fails after its first statement")
    with transaction(engine, write=False) as session:
        assert session.connection().execute(text("SELECT count(*) FROM pool_probe")).scalar_one() == 0
    with transaction(engine) as session:
        session.connection().execute(text("DROP TABLE pool_probe"))
