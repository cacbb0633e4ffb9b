"""One unit of work for every caller: the injected clock's time, all or nothing, and errors mapped once."""

from __future__ import annotations

import logging
import sqlite3
from datetime import UTC, datetime
from pathlib import Path

import pytest
from sqlalchemy import Engine, func, text
from sqlalchemy.orm.exc import StaleDataError
from sqlmodel import select

import store.db
from bot.clock import FixedClock
from bot.errors import Conflict, DatabaseUnavailable, Unexpected, UserError
from bot.settings import Settings
from bot.unit_of_work import Context, UnitOfWork
from store.db import make_engine
from store.models import Person


def _count_people(uow: UnitOfWork) -> int:
    return uow.run(lambda work: work.session.exec(select(func.count()).select_from(Person)).one(), writes=False)


def test_work_is_given_the_injected_clocks_now_and_the_councils_today(engine: Engine, settings: Settings) -> None:
    late_on_a_summer_evening = datetime(2019, 6, 30, 23, 30, tzinfo=UTC)  # already 1 July in London (BST)
    uow = UnitOfWork(engine, FixedClock(late_on_a_summer_evening), settings)
    seen = uow.run(lambda work: (work.now, work.today, work.zone.key, work.writes), writes=False)
    assert seen == (late_on_a_summer_evening, datetime(2019, 7, 1).date(), "Europe/London", False)


def test_what_the_work_writes_is_committed_when_it_returns(engine: Engine, settings: Settings) -> None:
    uow = UnitOfWork(engine, FixedClock(datetime(2019, 1, 14, 9, tzinfo=UTC)), settings)
    uow.run(lambda work: work.session.add(Person(name="Deb Poole")))
    assert _count_people(uow) == 1


def test_a_dry_run_returns_the_works_result_and_writes_nothing(engine: Engine, settings: Settings) -> None:
    uow = UnitOfWork(engine, FixedClock(datetime(2019, 1, 14, 9, tzinfo=UTC)), settings)

    def add(work: Context) -> str:
        work.session.add(Person(name="Deb Poole"))
        work.session.flush()
        return "would add Deb Poole"

    assert uow.run(add, dry_run=True) == "would add Deb Poole"
    assert _count_people(uow) == 0


def test_a_refusal_half_way_leaves_nothing_written_and_reaches_the_caller_as_it_was(
    engine: Engine, settings: Settings
) -> None:
    uow = UnitOfWork(engine, FixedClock(datetime(2019, 1, 14, 9, tzinfo=UTC)), settings)

    def add_then_refuse(work: Context) -> None:
        work.session.add(Person(name="Deb Poole"))
        work.session.flush()
        raise UserError("Nobody in the plan is called 'Kevin'.")

    with pytest.raises(UserError, match="called 'Kevin'"):
        uow.run(add_then_refuse)
    assert _count_people(uow) == 0


def test_a_race_lost_every_time_ends_as_a_conflict_to_try_again(engine: Engine, settings: Settings) -> None:
    uow = UnitOfWork(engine, FixedClock(datetime(2019, 1, 14, 9, tzinfo=UTC)), settings)
    attempts = []

    def always_stale(work: Context) -> None:
        attempts.append(work.now)
        raise StaleDataError("the action's version moved on")

    with pytest.raises(Conflict, match="at the same moment. Try again"):
        uow.run(always_stale)
    assert len(attempts) == 5


def test_a_bug_is_logged_once_with_its_traceback_and_reaches_the_caller_as_a_reference(
    engine: Engine, settings: Settings, caplog: pytest.LogCaptureFixture
) -> None:
    uow = UnitOfWork(engine, FixedClock(datetime(2019, 1, 14, 9, tzinfo=UTC)), settings)

    def buggy(work: Context) -> None:
        work.session.add(Person(name="Deb Poole"))
        work.session.flush()
        raise KeyError("no such thing")

    with caplog.at_level(logging.ERROR, logger="actionbot.work"), pytest.raises(Unexpected) as raised:
        uow.run(buggy)
    assert str(raised.value) == f"Something went wrong on our side; nothing was changed. (ref {raised.value.reference})"
    [record] = caplog.records
    assert raised.value.reference in record.getMessage() and record.exc_info is not None
    assert _count_people(uow) == 0


def test_a_database_that_does_not_answer_is_reported_as_such(settings: Settings) -> None:
    broken = make_engine("sqlite:////nonexistent-directory/actionbot.db")
    uow = UnitOfWork(broken, FixedClock(datetime(2019, 1, 14, 9, tzinfo=UTC)), settings)
    with pytest.raises(DatabaseUnavailable, match=r"can't reach its database just now; try again in a minute\. "
                       r"Nothing was changed\. \(ref \w+\)"):
        uow.run(lambda work: work.session.execute(text("SELECT 1")).scalar(), writes=False)


def test_a_sqlite_database_another_process_is_writing_to_is_unavailable_for_a_write_and_still_read(
    tmp_path: Path, settings: Settings, caplog: pytest.LogCaptureFixture, monkeypatch: pytest.MonkeyPatch
) -> None:
    # SQLite's BEGIN goes straight to the driver (store.db): a lock it cannot get within the busy timeout is still
    # the one WARNING line of an outage, not a bug's traceback. Readers are not kept waiting by a writer (WAL).
    monkeypatch.setattr(store.db, "SQLITE_BUSY_TIMEOUT_MS", 0)
    path = tmp_path / "plan.db"
    engine = make_engine(f"sqlite:///{path}", connect_args={"timeout": 0})
    with engine.begin() as connection:
        connection.execute(text("CREATE TABLE note (body TEXT)"))
        connection.execute(text("INSERT INTO note VALUES ('kept')"))
    other = sqlite3.connect(path, isolation_level=None)
    other.execute("PRAGMA busy_timeout=0")
    other.execute("BEGIN IMMEDIATE")
    other.execute("INSERT INTO note VALUES ('not yet committed')")
    uow = UnitOfWork(engine, FixedClock(datetime(2019, 1, 14, 9, tzinfo=UTC)), settings)
    try:
        with caplog.at_level(logging.WARNING, logger="actionbot.work"):
            with pytest.raises(DatabaseUnavailable):
                uow.run(lambda work: work.session.execute(text("INSERT INTO note VALUES ('lost')")))
            read = uow.run(
                lambda work: work.session.execute(text("SELECT body FROM note")).scalars().all(), writes=False
            )
    finally:
        other.execute("ROLLBACK")
        other.close()
        engine.dispose()
    [record] = caplog.records
    assert record.levelno == logging.WARNING and record.exc_info is None
    assert "database is locked" in record.getMessage()
    assert read == ["kept"]
