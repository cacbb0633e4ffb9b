"""The database schema: migrations match the models, and a database behind says how to fix it."""

from __future__ import annotations

from pathlib import Path

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import Engine, inspect, text
from sqlmodel import SQLModel

import store.models  # noqa: F401
from store.db import SchemaError, check_schema, make_engine, upgrade


def test_migrations_create_exactly_the_tables_the_models_describe(engine: Engine) -> None:
    with engine.connect() as connection:
        differences = compare_metadata(MigrationContext.configure(connection), SQLModel.metadata)
    assert differences == []


def test_a_current_database_passes_the_schema_check(engine: Engine) -> None:
    check_schema(engine)


def test_an_empty_database_is_refused_with_one_line_saying_how_to_fix_it(tmp_path: Path) -> None:
    engine = make_engine(f"sqlite:///{tmp_path / 'empty.db'}")
    with pytest.raises(SchemaError) as raised:
        check_schema(engine)
    message = str(raised.value)
    assert "actionbot db upgrade" in message and "\n" not in message
    assert inspect(engine).get_table_names() == [], "the check must never create tables"


def test_a_database_behind_the_newest_revision_is_refused(tmp_path: Path) -> None:
    engine = make_engine(f"sqlite:///{tmp_path / 'old.db'}")
    upgrade(engine)
    with engine.begin() as connection:
        connection.execute(text("UPDATE alembic_version SET version_num = 'an-older-revision'"))
    with pytest.raises(SchemaError, match="actionbot db upgrade"):
        check_schema(engine)


def test_sqlite_runs_with_wal_foreign_keys_and_a_busy_timeout(tmp_path: Path) -> None:
    engine = make_engine(f"sqlite:///{tmp_path / 'pragmas.db'}")
    with engine.connect() as connection:
        assert connection.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
        assert connection.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
        assert connection.exec_driver_sql("PRAGMA busy_timeout").scalar() >= 5000
