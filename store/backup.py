"""A consistent copy of a SQLite database, taken while ``actionbot serve`` keeps running.

SQLite's online backup API copies the database page by page inside one read transaction, so the copy
is the database as it was at one moment, whatever is written meanwhile (in WAL mode, writers are not
held up while it reads). The copy is written next to its destination and renamed into place when it
is complete and checked, so a backup that fails half-way never leaves a broken file under the name
asked for. The copy is a single self-contained file (rollback journal, not WAL), ready to be copied
back over the live database to restore it.

PostgreSQL is backed up with its own tools (``pg_dump``); see README, "Security and reliability".
"""

from __future__ import annotations

import os
import sqlite3
import tempfile
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import Engine

from store.db import SQLITE_BUSY_TIMEOUT_MS


class BackupError(Exception):
    """The backup could not be taken; the message says why and what to do."""


@dataclass(frozen=True)
class Backup:
    """What was written: where, how big, and the schema revision it holds."""

    path: Path
    bytes: int
    revision: str | None


def sqlite_path(engine: Engine) -> Path:
    """The file of a SQLite engine; :class:`BackupError` for any other database."""
    if engine.dialect.name != "sqlite":
        raise BackupError(
            f"`actionbot db backup` copies SQLite databases; this one is {engine.dialect.name}. "
            "Back up PostgreSQL with pg_dump: pg_dump --format=custom --file FILE DATABASE_URL (see README)."
        )
    database = engine.url.database
    if not database or database == ":memory:":
        raise BackupError("an in-memory database has nothing on disk to back up")
    return Path(database)


def backup_sqlite(engine: Engine, target: Path, *, overwrite: bool = False) -> Backup:
    """Copy the SQLite database of ``engine`` to ``target`` (refused if it exists, unless ``overwrite``)."""
    source = sqlite_path(engine)
    if not source.is_file():
        raise BackupError(f"there is no database at {source}")
    target = target.expanduser()
    if target.resolve() == source.resolve():
        raise BackupError("the backup must go to another file than the database itself")
    if target.exists() and not overwrite:
        raise BackupError(f"{target} already exists: choose another name, or pass --overwrite")
    if not target.parent.is_dir():
        raise BackupError(f"there is no directory {target.parent}")
    handle, temporary = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".partial", dir=target.parent)
    os.close(handle)
    try:
        revision = _copy(source, Path(temporary))
        os.replace(temporary, target)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
    return Backup(path=target, bytes=target.stat().st_size, revision=revision)


def _copy(source: Path, destination: Path) -> str | None:
    reading = sqlite3.connect(source, timeout=SQLITE_BUSY_TIMEOUT_MS / 1000)
    writing = sqlite3.connect(destination)
    try:
        reading.backup(writing)  # every page in one step: one consistent snapshot
        writing.execute("PRAGMA journal_mode=DELETE")
        checked = writing.execute("PRAGMA quick_check").fetchone()
        if not checked or checked[0] != "ok":
            raise BackupError(f"the copy failed SQLite's check ({checked[0] if checked else 'no answer'})")
        return _revision(writing)
    except sqlite3.Error as exc:
        raise BackupError(f"SQLite could not copy the database: {exc}") from None
    finally:
        writing.close()
        reading.close()


def _revision(connection: sqlite3.Connection) -> str | None:
    try:
        row = connection.execute("SELECT version_num FROM alembic_version").fetchone()
    except sqlite3.OperationalError:
        return None
    return str(row[0]) if row else None
