"""Exactly one clock: the lease (a PostgreSQL advisory lock, or a file lock beside a SQLite database) and its row."""

from __future__ import annotations

import os
import socket
from datetime import timedelta

from sqlalchemy import Engine, text

from scheduler.lease import Lease, wall_now
from tests.conftest import PG_URL


def test_one_clock_holds_the_lease_and_a_second_stands_by_saying_who_runs(engine: Engine) -> None:
    first, second = Lease(engine), Lease(engine)
    assert first.try_acquire()
    assert not second.try_acquire()
    assert second.is_held_elsewhere()
    line = second.standby_line()
    assert line.startswith(f"standby: the clock is running on {socket.gethostname()} pid {os.getpid()} since ")
    holder = second.holder()
    assert holder is not None and holder.released_at is None
    assert wall_now() - holder.heartbeat_at < timedelta(seconds=5)
    first.release()


def test_a_released_lease_says_so_and_the_standby_takes_it(engine: Engine) -> None:
    first, second = Lease(engine), Lease(engine)
    assert first.try_acquire()
    first.release()
    holder = second.holder()
    assert holder is not None and holder.released_at is not None
    assert not second.is_held_elsewhere()
    assert second.try_acquire()
    holder = first.holder()
    assert holder is not None and holder.released_at is None
    assert not first.try_acquire()
    second.release()


def test_the_heartbeat_moves_forward_while_the_lease_is_held(engine: Engine) -> None:
    lease = Lease(engine)
    assert lease.try_acquire()
    before = lease.holder()
    assert before is not None
    assert lease.heartbeat()
    after = lease.holder()
    assert after is not None and after.heartbeat_at >= before.heartbeat_at and after.since == before.since
    lease.release()
    assert not lease.heartbeat()  # a released lease does not beat


def test_a_clock_whose_lock_is_gone_notices_at_its_next_heartbeat_and_another_takes_over(engine: Engine) -> None:
    first, second = Lease(engine), Lease(engine)
    assert first.try_acquire()
    if PG_URL:  # the server ends the lock's session (a failover, an idle timeout): the lock goes with it
        assert first._connection is not None
        pid = first._connection.execute(text("SELECT pg_backend_pid()")).scalar()
        with engine.connect() as admin:
            admin.execute(text("SELECT pg_terminate_backend(:pid)"), {"pid": pid})
    else:  # another process took the row over (its holder was stalled past its lease)
        assert second.host and first._file is not None
        with engine.begin() as connection:
            connection.execute(text("UPDATE clock_lease SET pid = pid + 1"))
    assert not first.heartbeat()
    assert not first.held
    assert second.try_acquire()
    second.release()
