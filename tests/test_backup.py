"""``actionbot db backup FILE``: a consistent copy of the SQLite database, taken while it is being written,
that opens on its own and restores by copying it back; PostgreSQL is sent to pg_dump."""

from __future__ import annotations

import sqlite3
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import Engine, text
from typer.testing import CliRunner

from adapters.cli import app as cli
from bot.clock import FixedClock
from bot.core import Core
from bot.replies import Tone
from bot.settings import Settings
from store.backup import BackupError, backup_sqlite
from store.db import head_revision, make_engine, upgrade
from tests.conftest import NOW
from tests.factories import Chat, PlanFactory


@pytest.fixture
def sqlite_url(tmp_path: Path) -> str:
    """A SQLite database of its own, whichever database the rest of the suite runs on: backups copy SQLite."""
    url = f"sqlite:///{tmp_path / 'live' / 'actionbot.db'}"
    (tmp_path / "live").mkdir()
    engine = make_engine(url)
    upgrade(engine)
    engine.dispose()
    return url


@pytest.fixture
def live(sqlite_url: str) -> Iterator[Engine]:
    engine = make_engine(sqlite_url)
    yield engine
    engine.dispose()


@pytest.fixture
def live_plan(live: Engine) -> PlanFactory:
    return PlanFactory(live, FixedClock(NOW))


@pytest.fixture
def live_chat(live: Engine, sqlite_url: str) -> Chat:
    return Chat(Core(live, Settings(database_url=sqlite_url, _env_file=None), FixedClock(NOW)))  # type: ignore[call-arg]


def test_a_backup_taken_while_updates_are_written_is_consistent(
    live: Engine, live_plan: PlanFactory, live_chat: Chat, tmp_path: Path
) -> None:
    engine, plan, chat = live, live_plan, live_chat
    kevin = plan.person("Kevin Dicks")
    action = plan.action(kevin, due_in=5)
    chat.ask(kevin, f"note {action.id} before the backup")
    stop = threading.Event()
    written: list[int] = []

    def keep_writing() -> None:
        while not stop.is_set():
            reply = chat.ask(kevin, f"note {action.id} during the backup {len(written)}")
            assert reply.tone is Tone.SUCCESS
            written.append(1)

    writer = threading.Thread(target=keep_writing)
    writer.start()
    try:
        while len(written) < 3:
            stop.wait(0.01)
        copies = [backup_sqlite(engine, tmp_path / f"copy-{n}.db") for n in range(3)]
    finally:
        stop.set()
        writer.join()
    assert len(written) >= 3
    for copy in copies:
        with sqlite3.connect(copy.path) as opened:
            assert opened.execute("PRAGMA integrity_check").fetchone() == ("ok",)
            assert opened.execute("PRAGMA journal_mode").fetchone() == ("delete",), "one self-contained file"
            notes = opened.execute("SELECT latest_note FROM action").fetchone()[0]
            updates = opened.execute("SELECT count(*) FROM action_update WHERE kind = 'note'").fetchone()[0]
        assert notes.startswith(("before the backup", "during the backup"))
        assert updates >= 1
        if notes.startswith("during"):  # the action and its audit trail agree: one moment, not a mix
            assert updates == 1 + int(notes.rsplit(" ", 1)[1]) + 1
        assert copy.revision == head_revision(str(engine.url))


def test_a_backup_restores_by_copying_it_back(
    live: Engine, sqlite_url: str, live_plan: PlanFactory, live_chat: Chat, tmp_path: Path
) -> None:
    engine, plan, chat = live, live_plan, live_chat
    settings, clock = Settings(database_url=sqlite_url, _env_file=None), FixedClock(NOW)  # type: ignore[call-arg]
    kevin = plan.person("Kevin Dicks")
    action = plan.action(kevin, due_in=5)
    chat.ask(kevin, f"note {action.id} kept in the backup")
    backup_sqlite(engine, tmp_path / "backup.db")
    chat.ask(kevin, f"note {action.id} written after the backup")
    restored = make_engine(f"sqlite:///{tmp_path / 'backup.db'}")
    reply = Chat(Core(restored, settings, clock)).ask(kevin, f"show {action.id}")
    assert "kept in the backup" in " ".join(reply.plain_lines + [f.value for i in reply.items for f in i.facts])
    with restored.connect() as connection:
        assert connection.execute(text("SELECT latest_note FROM action")).scalar() == "kept in the backup"
    restored.dispose()


def test_the_command_writes_the_copy_and_refuses_to_overwrite(
    sqlite_url: str, live_plan: PlanFactory, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    live_plan.person("Kevin Dicks")
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("DATABASE_URL", sqlite_url)
    target = tmp_path / "nightly.db"
    done = CliRunner().invoke(cli, ["db", "backup", str(target)])
    assert done.exit_code == 0, done.output
    assert done.output.startswith(f"Backed up to {target} (") and "schema 0" in done.output
    again = CliRunner().invoke(cli, ["db", "backup", str(target)])
    assert again.exit_code == 2
    assert again.output == f"actionbot: {target} already exists: choose another name, or pass --overwrite\n"
    assert CliRunner().invoke(cli, ["db", "backup", str(target), "--overwrite"]).exit_code == 0
    missing = CliRunner().invoke(cli, ["db", "backup", str(tmp_path / "no-such-dir" / "x.db")])
    assert missing.exit_code == 2 and "there is no directory" in missing.output
    assert sorted(p.name for p in tmp_path.iterdir() if p.name.startswith(".nightly")) == [], "no partial file left"


def test_postgresql_is_sent_to_pg_dump(tmp_path: Path) -> None:
    engine = make_engine("postgresql+psycopg://actionbot@db.council.internal/actionbot")
    with pytest.raises(BackupError, match=r"this one is postgresql\. Back up PostgreSQL with pg_dump: "):
        backup_sqlite(engine, tmp_path / "x.db")
    assert not (tmp_path / "x.db").exists()
