"""Writers of one process take turns before they begin, so a burst of presses never polls for SQLite's lock."""

from __future__ import annotations

import threading
import time
from datetime import UTC, datetime

import pytest
from sqlalchemy import Engine, func
from sqlmodel import select

import store.db
from bot.clock import FixedClock
from bot.settings import Settings
from bot.unit_of_work import Context, UnitOfWork
from store.db import make_engine
from store.models import Person
from tests.conftest import PG_URL


def test_a_second_writer_waits_for_the_first_to_commit_instead_of_finding_the_database_locked(
    database_url: str, engine: Engine, settings: Settings, monkeypatch: pytest.MonkeyPatch
) -> None:
    # With no busy timeout at all, a second SQLite writer that began while the first was writing would fail at
    # once ("database is locked"): it succeeds only because it waited its turn in the process.
    # (PostgreSQL locks rows: two writers adding people never wait for each other there.)
    monkeypatch.setattr(store.db, "SQLITE_BUSY_TIMEOUT_MS", 0)
    writers = engine if PG_URL else make_engine(database_url, connect_args={"timeout": 0})
    uow = UnitOfWork(writers, FixedClock(datetime(2019, 1, 14, 9, tzinfo=UTC)), settings)
    first_writing, second_starting = threading.Event(), threading.Event()
    failures: list[BaseException] = []

    def first(work: Context) -> None:
        work.session.add(Person(name="Deb Poole"))
        work.session.flush()
        first_writing.set()
        second_starting.wait(10)
        time.sleep(0.1)  # the second writer is at its BEGIN by now

    def second() -> None:
        first_writing.wait(10)
        second_starting.set()
        try:
            uow.run(lambda work: work.session.add(Person(name="Sam Okafor")))
        except BaseException as exc:  # noqa: BLE001 - reported below
            failures.append(exc)

    waiting = threading.Thread(target=second)
    waiting.start()
    uow.run(first)
    waiting.join(30)
    count = uow.run(lambda work: work.session.exec(select(func.count()).select_from(Person)).one(), writes=False)
    if writers is not engine:
        writers.dispose()
    assert failures == []
    assert count == 2
