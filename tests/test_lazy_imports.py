"""``actionbot serve`` starts without loading what only other commands use: the Excel, Word and PDF libraries
(``import``/``export``), and dateparser (loaded when a date is first written in words)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from store.db import make_engine, upgrade

NOT_FOR_SERVE = ("openpyxl", "docx", "pdfplumber", "pdfminer", "fpdf", "dateparser", "PIL", "lxml")

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
print(json.dumps(sorted(name for name in sys.modules if name.split(".")[0] in NAMES)))
"""


def loaded_by_serve(tmp_path: Path, prelude: str = "") -> list[str]:
    url = f"sqlite:///{tmp_path / 'serve.db'}"
    engine = make_engine(url)
    upgrade(engine)
    engine.dispose()
    env = os.environ | {
        "DATABASE_URL": url,
        "SLACK_BOT_TOKEN": "xoxb-test",
        "SLACK_SIGNING_SECRET": "secret",
        "SLACK_API_URL": "http://127.0.0.1:9/api/",
        "MICROSOFT_APP_ID": "00000000-0000-0000-0000-000000000000",
        "MICROSOFT_APP_PASSWORD": "password",
    }
    code = f"NAMES = {NOT_FOR_SERVE!r}\n{prelude}\n{SERVE_STARTUP}"
    done = subprocess.run([sys.executable, "-c", code], env=env, cwd=tmp_path, capture_output=True, text=True,
                          timeout=120, check=False)
    assert done.returncode == 0, done.stderr[-2000:]
    return list(json.loads(done.stdout.strip().splitlines()[-1]))


def test_serve_starts_without_the_excel_word_pdf_or_date_parsing_libraries(tmp_path: Path) -> None:
    assert loaded_by_serve(tmp_path) == []


def test_the_check_sees_a_library_that_serve_would_load(tmp_path: Path) -> None:
    """The same check, with the Excel export imported the way a careless top-level import would."""
    assert "openpyxl" in loaded_by_serve(tmp_path, prelude="import bot.exporting.xlsx")
