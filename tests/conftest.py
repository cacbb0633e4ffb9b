"""Shared fixtures: a real database per test (SQLite in a temp dir, or PostgreSQL when
``ACTIONBOT_TEST_DATABASE_URL`` is set), a fixed clock, settings, the core and a plan factory.

PostgreSQL runs get their own schema per test session, migrated once and emptied before each
test, so parallel runs on one server never see each other's rows. If the variable is set and
the server cannot be reached, the tests fail: they are never skipped.
"""

from __future__ import annotations

import os
import shutil
import uuid
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest
from sqlalchemy import Engine, text
from sqlmodel import SQLModel

from bot.clock import FixedClock
from bot.core import Core
from bot.settings import Settings
from store.db import make_engine, upgrade
from tests.factories import Chat, PlanFactory

PG_URL = os.environ.get("ACTIONBOT_TEST_DATABASE_URL")
# A Monday in the era of the real plans in shared/seeds: tests never depend on today's date.
NOW = datetime(2019, 1, 14, 10, 30, tzinfo=UTC)


@pytest.fixture(scope="session")
def _template(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, dict[str, object]]]:
    """A migrated database for the session: a SQLite file to copy, or a PostgreSQL schema."""
    if PG_URL:
        schema = f"t_{uuid.uuid4().hex[:12]}"
        admin = make_engine(PG_URL)
        with admin.begin() as connection:
            connection.execute(text(f'CREATE SCHEMA "{schema}"'))
        connect_args = {"options": f"-csearch_path={schema}"}
        engine = make_engine(PG_URL, connect_args=connect_args)
        upgrade(engine)
        engine.dispose()
        yield PG_URL, {"connect_args": connect_args}
        with admin.begin() as connection:
            connection.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
        admin.dispose()
    else:
        path = tmp_path_factory.mktemp("template") / "template.db"
        engine = make_engine(f"sqlite:///{path}")
        upgrade(engine)
        engine.dispose()
        yield str(path), {}


@pytest.fixture
def database_url(_template: tuple[str, dict[str, object]], tmp_path: Path) -> str:
    """The URL of this test's database (a fresh SQLite copy; for PostgreSQL, the session's schema)."""
    source, _ = _template
    if PG_URL:
        return PG_URL
    target = tmp_path / "actionbot.db"
    shutil.copyfile(source, target)
    return f"sqlite:///{target}"


@pytest.fixture
def engine(database_url: str, _template: tuple[str, dict[str, object]]) -> Iterator[Engine]:
    _, kwargs = _template
    engine = make_engine(database_url, **kwargs)  # type: ignore[arg-type]
    if PG_URL:
        tables = ", ".join(f'"{t.name}"' for t in SQLModel.metadata.sorted_tables)
        with engine.begin() as connection:
            connection.execute(text(f"TRUNCATE {tables} RESTART IDENTITY CASCADE"))
    yield engine
    engine.dispose()


@pytest.fixture
def clock() -> FixedClock:
    return FixedClock(NOW)


@pytest.fixture
def settings(database_url: str) -> Settings:
    return Settings(database_url=database_url, _env_file=None)  # type: ignore[call-arg]


@pytest.fixture
def core(engine: Engine, settings: Settings, clock: FixedClock) -> Core:
    return Core(engine, settings, clock)


@pytest.fixture
def plan(engine: Engine, clock: FixedClock) -> PlanFactory:
    return PlanFactory(engine, clock)


@pytest.fixture
def chat(core: Core) -> Chat:
    return Chat(core)
