"""The database schema: migrations match the models, and a database behind says how to fix it."""

from __future__ import annotations

from pathlib import Path

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import Engine, inspect, text
from sqlmodel import SQLModel

import store.models  # noqa: F401
from store.db import (
    SchemaError,
    check_schema,
    current_revision,
    head_revision,
    make_engine,
    packaged_head,
    read_head,
    upgrade,
)


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


def test_the_newest_revision_read_from_the_migration_files_is_alembics() -> None:
    assert packaged_head() == head_revision("sqlite://")
    assert packaged_head() is not None


def test_a_database_at_the_newest_revision_reads_as_at_it_and_an_empty_one_as_at_nothing(
    engine: Engine, tmp_path: Path
) -> None:
    assert current_revision(engine) == packaged_head()
    assert current_revision(make_engine(f"sqlite:///{tmp_path / 'empty.db'}")) is None


def migration(versions: Path, name: str, revision: str, down: str) -> None:
    (versions / f"{name}.py").write_text(
        f'"""{name}\n\nRevision ID: {revision}\n"""\n\nrevision: str = {revision!r}\n'
        f"down_revision: str | tuple[str, ...] | None = {down}\nbranch_labels = None\n"
    )


def test_two_branches_merged_read_as_the_merge(tmp_path: Path) -> None:
    migration(tmp_path, "0001_first", "0001", "None")
    migration(tmp_path, "0002_left", "0002a", "'0001'")
    migration(tmp_path, "0002_right", "0002b", "'0001'")
    migration(tmp_path, "0003_merge", "0003", "('0002a', '0002b')")
    assert read_head(tmp_path) == "0003"


def test_migration_files_that_do_not_read_plainly_are_left_to_alembic(tmp_path: Path) -> None:
    migration(tmp_path, "0001_first", "0001", "None")
    migration(tmp_path, "0002_computed", "0002", "PREVIOUS")
    assert read_head(tmp_path) is None
    migration(tmp_path, "0002_computed", "0002", "'0001'")
    migration(tmp_path, "0002_branch", "0002b", "'0001'")
    assert read_head(tmp_path) is None, "two heads: Alembic says which"


def test_sqlite_runs_with_wal_foreign_keys_and_a_busy_timeout(tmp_path: Path) -> None:
    engine = make_engine(f"sqlite:///{tmp_path / 'pragmas.db'}")
    with engine.connect() as connection:
        assert connection.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
        assert connection.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
        assert connection.exec_driver_sql("PRAGMA busy_timeout").scalar() >= 5000
