"""Work asked not to wait (run on the event loop's thread): done at once where nothing makes it wait, refused before
anything is kept where something would, and never refused once it has written (it would be done twice)."""

from __future__ import annotations

import logging
import sqlite3
import threading
import time
from datetime import UTC, datetime
from pathlib import Path

import pytest
from sqlalchemy import Engine, func, text
from sqlmodel import select

import store.db
from bot.clock import FixedClock
from bot.core import Core
from bot.domain import Surface
from bot.requests import Actor, Request
from bot.settings import Settings
from bot.unit_of_work import UnitOfWork, WouldWait, without_waiting
from store.db import make_engine
from store.models import Person
from store.writers import writers_turn
from tests.factories import PlanFactory

CLOCK = FixedClock(datetime(2019, 1, 14, 9, tzinfo=UTC))


def _people(uow: UnitOfWork) -> list[str]:
    return list(uow.run(lambda work: work.session.exec(select(Person.name).order_by(Person.name)).all(),
                        writes=False))


def _sqlite_plan(tmp_path: Path, settings: Settings) -> tuple[Engine, UnitOfWork]:
    """A SQLite database of its own (whatever database the suite runs on): the waits here are SQLite's."""
    engine = make_engine(f"sqlite:///{tmp_path / 'plan.db'}")
    Person.metadata.create_all(engine, tables=[Person.__table__])  # type: ignore[attr-defined]
    return engine, UnitOfWork(engine, CLOCK, settings)


def test_work_not_to_wait_is_done_at_once_in_process_and_refused_before_anything_over_the_network(
    engine: Engine, settings: Settings
) -> None:
    uow = UnitOfWork(engine, CLOCK, settings)
    with without_waiting():
        if engine.dialect.name == "sqlite":
            uow.run(lambda work: work.session.add(Person(name="Deb Poole")))
            assert uow.run(lambda work: work.session.exec(select(func.count()).select_from(Person)).one(),
                           writes=False) == 1
        else:
            with pytest.raises(WouldWait):
                uow.run(lambda work: work.session.add(Person(name="Deb Poole")))
    assert _people(uow) == (["Deb Poole"] if engine.dialect.name == "sqlite" else [])


def test_a_write_not_to_wait_is_refused_while_another_thread_writes_and_nothing_of_it_is_kept(
    tmp_path: Path, settings: Settings, caplog: pytest.LogCaptureFixture
) -> None:
    engine, uow = _sqlite_plan(tmp_path, settings)
    writing, done = threading.Event(), threading.Event()

    def other_writer() -> None:
        with writers_turn(engine):
            writing.set()
            done.wait(10)

    holder = threading.Thread(target=other_writer)
    holder.start()
    writing.wait(10)
    try:
        with caplog.at_level(logging.INFO), without_waiting(), pytest.raises(WouldWait):
            uow.run(lambda work: work.session.add(Person(name="Deb Poole")))
    finally:
        done.set()
        holder.join(10)
    assert caplog.records == [], "not an outage, not a conflict: nothing to log"
    uow.run(lambda work: work.session.add(Person(name="Sam Okafor")))  # where it may wait, it is done
    assert _people(uow) == ["Sam Okafor"]
    engine.dispose()


def test_a_write_not_to_wait_is_refused_at_once_while_another_process_writes_and_waits_where_it_may(
    tmp_path: Path, settings: Settings
) -> None:
    engine, uow = _sqlite_plan(tmp_path, settings)
    other = sqlite3.connect(tmp_path / "plan.db", isolation_level=None, check_same_thread=False)
    other.execute("BEGIN IMMEDIATE")
    other.execute("INSERT INTO person (name, roles, created_at) VALUES ('Kevin Dicks', '[]', '2019-01-14')")
    started = time.monotonic()
    try:
        with without_waiting(), pytest.raises(WouldWait):
            uow.run(lambda work: work.session.add(Person(name="Deb Poole")))
        assert time.monotonic() - started < store.db.SQLITE_BUSY_TIMEOUT_MS / 1000 / 2, "not after the busy timeout"
        threading.Timer(0.3, other.commit).start()  # the other process commits while the next write waits for it
        uow.run(lambda work: work.session.add(Person(name="Sam Okafor")))
    finally:
        other.close()
    assert _people(uow) == ["Kevin Dicks", "Sam Okafor"]
    busy = uow.run(lambda work: work.session.execute(text("PRAGMA busy_timeout")).scalar(), writes=False)
    assert busy == store.db.SQLITE_BUSY_TIMEOUT_MS, "the connection's busy timeout is put back"
    engine.dispose()


def test_once_work_not_to_wait_has_written_it_waits_rather_than_be_refused(tmp_path: Path, settings: Settings) -> None:
    engine, uow = _sqlite_plan(tmp_path, settings)
    writing, done = threading.Event(), threading.Event()

    def other_writer() -> None:
        with writers_turn(engine):
            writing.set()
            done.wait(0.3)

    with without_waiting():
        uow.run(lambda work: work.session.add(Person(name="Deb Poole")))
        holder = threading.Thread(target=other_writer)
        holder.start()
        writing.wait(10)
        uow.run(lambda work: work.session.add(Person(name="Sam Okafor")))  # refusing it now would redo the first
    holder.join(10)
    assert _people(uow) == ["Deb Poole", "Sam Okafor"]
    engine.dispose()


def test_an_export_is_never_made_on_a_thread_that_must_not_wait(plan: PlanFactory, engine: Engine,
                                                                  settings: Settings) -> None:
    plan.person("Deb Poole", slack="U0DEB")
    core = Core(engine, settings, CLOCK)

    def asking(text: str) -> Request:
        return Request(actor=Actor(platform="slack", user_id="U0DEB"), text=text, surface=Surface.SLACK)

    with without_waiting(), pytest.raises(WouldWait):
        core.handle(asking("export json"))
    with without_waiting():
        if engine.dialect.name == "sqlite":
            assert "no open actions" in " ".join(core.handle(asking("mine")).plain_lines)
        else:
            with pytest.raises(WouldWait):
                core.handle(asking("mine"))
