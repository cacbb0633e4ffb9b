"""``actionbot serve`` starts without loading what only other commands use: the Excel, Word and PDF libraries
(``import``/``export``), dateparser (loaded when a date is first written in words), the bank holidays (the
clock's working days), Alembic (the schema check reads the database's revision and the packaged migrations'
without it; ``db upgrade`` loads it), the Bot Framework SDK when Teams is not configured, and Socket Mode's
client when Slack comes over HTTP. A schema that is
behind still stops ``serve`` with one line saying what to run.

Nor what only the other commands run: each command's modules are imported when it runs (the console chat, the
demo, the clock's runner and dry run, the database's backup and data check, the outbox's listing; the importer
when a plan is sent or imported, the export when one is asked for), so building
the command line loads neither SQLAlchemy nor the core, and ``serve`` loads what it serves with while its
start-up has the garbage collector paused."""

from __future__ import annotations

import gc
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from sqlalchemy import text

from adapters.cli import app
from adapters.cli.serving import starting_up
from store.db import head_revision, make_engine, upgrade

NOT_FOR_SERVE = (
    "openpyxl", "docx", "pdfplumber", "pdfminer", "fpdf", "dateparser", "PIL", "lxml", "holidays", "alembic", "mako",
    "sqlalchemy.dialects.postgresql",  # on SQLite (the test's database)
)
TEAMS_SDK = ("botbuilder", "botframework")
SOCKET_MODE = ("adapters.slack.socket_mode", "slack_bolt.adapter.socket_mode", "slack_sdk.socket_mode")
OTHER_COMMANDS = (  # `actionbot chat`, `demo`, `clock`, `db check`, `db backup`, `outbox`
    "adapters.console", "adapters.console_clock", "bot.sample_plan", "scheduler.runner", "scheduler.preview",
    "store.consistency", "store.backup", "store.outbox_views",
    # the importer and the exports: loaded when a plan is sent in chat (or `actionbot import`), or an export asked for
    "bot.importing.importer", "bot.importing.upsert", "bot.importing.plan_reader", "bot.importing.letter",
    "bot.importing.timescales", "bot.exporting",
)
TYPER = ("typer", "adapters.cli.commands", "adapters.cli.serve", "adapters.cli.clock", "adapters.teams.package")
SERVING = ("sqlalchemy", "sqlmodel", "pydantic", "aiohttp", "slack_bolt", "bot.core", "store.models", "adapters.web")
ACTIONBOT = Path(sys.executable).parent / "actionbot"

# What `actionbot serve` does before it answers its first request: load the command line, build the
# application and the web app with Slack and Teams configured, and start it (bolt is built on start-up).
SERVE_STARTUP = """
import asyncio, json, sys
from aiohttp import web
import adapters.cli
from adapters.cli.startup import application
from adapters.web import build_web_app

async def start() -> None:
    runner = web.AppRunner(build_web_app(application()))
    await runner.setup()
    await runner.cleanup()

asyncio.run(start())
print(json.dumps(sorted({each for name in sys.modules for each in NAMES if (name + ".").startswith(each + ".")})))
"""


SLACK = {"SLACK_BOT_TOKEN": "xoxb-test", "SLACK_SIGNING_SECRET": "secret", "SLACK_API_URL": "http://127.0.0.1:9/api/"}
TEAMS = {"MICROSOFT_APP_ID": "00000000-0000-0000-0000-000000000000", "MICROSOFT_APP_PASSWORD": "password"}


def environment(url: str, settings: dict[str, str]) -> dict[str, str]:
    unset = ("DATABASE_URL", "SLACK_", "MICROSOFT_")
    return {k: v for k, v in os.environ.items() if not k.startswith(unset)} | {"DATABASE_URL": url} | settings


def loaded_by_serve(
    tmp_path: Path, prelude: str = "", names: tuple[str, ...] = NOT_FOR_SERVE, settings: dict[str, str] | None = None
) -> list[str]:
    url = f"sqlite:///{tmp_path / 'serve.db'}"
    engine = make_engine(url)
    upgrade(engine)
    engine.dispose()
    env = environment(url, SLACK | TEAMS if settings is None else settings)
    code = f"NAMES = {names!r}\n{prelude}\n{SERVE_STARTUP}"
    done = subprocess.run([sys.executable, "-c", code], env=env, cwd=tmp_path, capture_output=True, text=True,
                          timeout=120, check=False)
    assert done.returncode == 0, done.stderr[-2000:]
    return list(json.loads(done.stdout.strip().splitlines()[-1]))


def test_serve_starts_without_the_excel_word_pdf_or_date_parsing_libraries(tmp_path: Path) -> None:
    assert loaded_by_serve(tmp_path) == []


def test_serve_starts_without_the_modules_of_the_other_commands(tmp_path: Path) -> None:
    assert loaded_by_serve(tmp_path, names=OTHER_COMMANDS) == []


def test_the_command_line_answers_help_without_loading_the_database_the_core_or_slack(tmp_path: Path) -> None:
    code = (f"import sys\nsys.argv = ['actionbot', '--help']\nfrom adapters.cli import app\ntry:\n    app()\n"
            f"finally:\n    print(sorted({{each for name in sys.modules for each in {SERVING!r} "
            f"if (name + '.').startswith(each + '.')}}))")
    done = subprocess.run([sys.executable, "-c", code], cwd=tmp_path, capture_output=True, text=True, timeout=60,
                          check=False)
    assert done.returncode == 0, done.stderr[-2000:]
    assert "serve" in done.stdout and "import" in done.stdout  # the commands are all listed
    assert done.stdout.strip().splitlines()[-1] == "[]"


def test_serve_start_up_pauses_the_garbage_collector_and_leaves_it_running_however_it_ends() -> None:
    try:
        with starting_up():
            assert not gc.isenabled()
        assert gc.isenabled()
        with pytest.raises(SystemExit), starting_up():
            raise SystemExit(2)  # a setting missing, a schema behind: `serve` exits from inside its start-up
        assert gc.isenabled()
    finally:
        gc.unfreeze()


def test_serve_refusing_its_options_leaves_the_garbage_collector_running(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(sys, "argv", ["actionbot", "serve", "--workers", "0"])
    with pytest.raises(SystemExit) as exited:
        app()
    assert exited.value.code == 2
    assert gc.isenabled()


def test_the_check_sees_a_library_that_serve_would_load(tmp_path: Path) -> None:
    """The same check, with the Excel export imported the way a careless top-level import would."""
    assert "openpyxl" in loaded_by_serve(tmp_path, prelude="import bot.exporting.xlsx")


def test_serve_without_teams_configured_does_not_load_the_bot_framework_sdk(tmp_path: Path) -> None:
    assert loaded_by_serve(tmp_path, names=TEAMS_SDK, settings=SLACK) == []
    assert "botbuilder" in loaded_by_serve(tmp_path, names=TEAMS_SDK, settings=SLACK | TEAMS)


def test_slack_over_http_does_not_load_socket_mode(tmp_path: Path) -> None:
    assert loaded_by_serve(tmp_path, names=SOCKET_MODE, settings=SLACK) == []
    socket_mode = {"SLACK_BOT_TOKEN": "xoxb-test", "SLACK_APP_TOKEN": "xapp-test", "SLACK_API_URL": "http://127.0.0.1:9/api/"}
    assert loaded_by_serve(tmp_path, names=SOCKET_MODE, settings=socket_mode) == list(SOCKET_MODE)


# `actionbot serve` from its console script up to the moment it would serve: the web app built and started.
CONSOLE_SERVE = """
import asyncio, json, sys
from aiohttp import web

def serving(web_app, **_options):
    async def start():
        runner = web.AppRunner(web_app)
        await runner.setup()
        await runner.cleanup()
    asyncio.run(start())
    print(json.dumps(sorted({each for name in sys.modules for each in NAMES if (name + ".").startswith(each + ".")})))

web.run_app = serving
sys.argv = ["actionbot", "serve"]
from adapters.cli import main, app
ENTRY()
"""


@pytest.mark.parametrize(("entry", "loaded"), [("main", []), ("app", sorted(TYPER))], ids=["console script", "typer"])
def test_a_plain_serve_starts_without_typer_or_the_other_commands(
    tmp_path: Path, entry: str, loaded: list[str]
) -> None:
    url = f"sqlite:///{tmp_path / 'serve.db'}"
    engine = make_engine(url)
    upgrade(engine)
    engine.dispose()
    code = f"NAMES = {TYPER!r}\n{CONSOLE_SERVE.replace('ENTRY', entry).replace('main, app', entry)}"
    done = subprocess.run([sys.executable, "-c", code], env=environment(url, SLACK | {"PORT": "9"}), cwd=tmp_path,
                          capture_output=True, text=True, timeout=120, check=False)
    assert done.returncode == 0, done.stderr[-2000:]
    assert json.loads(done.stdout.strip().splitlines()[-1]) == loaded


def test_serve_refuses_to_start_on_a_schema_that_is_behind_saying_what_to_run(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'old.db'}"
    engine = make_engine(url)
    upgrade(engine)
    with engine.begin() as connection:
        connection.execute(text("UPDATE alembic_version SET version_num = '0007_pending_file'"))
    engine.dispose()
    done = subprocess.run([str(ACTIONBOT), "serve"], env=environment(url, SLACK | {"PORT": "9"}), cwd=tmp_path,
                          capture_output=True, text=True, timeout=60, check=False)
    assert done.returncode == 2
    assert done.stderr.strip().splitlines() == [
        f"actionbot: the database {url} is at schema revision 0007_pending_file but this version needs "
        f"{head_revision(url)}: run `actionbot db upgrade`"
    ]
