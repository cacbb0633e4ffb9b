"""``actionbot serve`` as a real process: SIGTERM lets the requests in flight finish, then it exits 0; with
``ACTIONBOT_LOG_FORMAT=json`` every line on standard error is one JSON object, with the request's id, the
surface, the platform user id, the command, its outcome and duration, and no secret or note text."""

from __future__ import annotations

import asyncio
import json
import os
import signal
import socket
import sqlite3
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

import aiohttp
import pytest
from sqlalchemy import Engine, text

from tests.conftest import PG_URL
from tests.slack.conftest import Council, council, fake  # noqa: F401
from tests.slack.driver import SIGNING_SECRET, command_form, sign
from tests.slack.fake_slack import BOT_TOKEN, FakeSlack

NOTE = "confidential-restructure-of-legal"


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def process_url(database_url: str, template: tuple[str, dict[str, Any]]) -> str:
    """The test's database as a URL another process can use (PostgreSQL: the session's schema in the URL)."""
    options = template[1].get("connect_args", {}).get("options")
    if PG_URL and options:
        return f"{database_url}?{urlencode({'options': options})}"
    return database_url


@contextmanager
def write_lock(engine: Engine, database_url: str) -> Iterator[None]:
    """Hold what an update of action #2 needs: SQLite's write lock, or #2's row lock on PostgreSQL."""
    if PG_URL:
        with engine.connect() as connection, connection.begin():
            connection.execute(text("SELECT id FROM action WHERE id = 2 FOR UPDATE"))
            yield
    else:
        holder = sqlite3.connect(database_url.removeprefix("sqlite:///"), isolation_level=None)
        holder.execute("BEGIN IMMEDIATE")
        try:
            yield
        finally:
            holder.execute("ROLLBACK")
            holder.close()


async def wait_until_serving(port: int, process: subprocess.Popen[bytes]) -> None:
    deadline = time.monotonic() + 30
    async with aiohttp.ClientSession() as http:
        while time.monotonic() < deadline:
            assert process.poll() is None, process.stderr.read().decode() if process.stderr else "exited"
            try:
                async with http.get(f"http://127.0.0.1:{port}/healthz") as response:
                    if response.status == 200:
                        return
            except aiohttp.ClientError:
                pass
            await asyncio.sleep(0.1)
    raise AssertionError("actionbot serve did not start")


async def slash(port: int, text_: str, fake: FakeSlack) -> tuple[int, dict[str, Any]]:  # noqa: F811
    body = urlencode(command_form(text_, user="U0KEVIN", channel="C0PLAN", response_url=fake.response_url("cmd"),
                                  trigger_id=f"1.{time.time_ns()}.serve"))
    stamp = int(time.time())
    headers = {"Content-Type": "application/x-www-form-urlencoded", "X-Slack-Request-Timestamp": str(stamp),
               "X-Slack-Signature": sign(body, stamp)}
    async with aiohttp.ClientSession() as http, http.post(
        f"http://127.0.0.1:{port}/slack/events", data=body, headers=headers
    ) as response:
        return response.status, await response.json()


async def test_sigterm_finishes_the_request_in_flight_then_exits_0_with_json_logs(
    fake: FakeSlack, council: Council, engine: Engine, database_url: str,  # noqa: F811
    _template: tuple[str, dict[str, Any]], tmp_path: Path,
) -> None:
    port = free_port()
    env = {
        **{name: value for name, value in os.environ.items() if not name.startswith(("SLACK_", "MICROSOFT_"))},
        "DATABASE_URL": process_url(database_url, _template),
        "SLACK_BOT_TOKEN": BOT_TOKEN,
        "SLACK_SIGNING_SECRET": SIGNING_SECRET,
        "SLACK_API_URL": fake.api_url,
        "PORT": str(port),
        "ACTIONBOT_LOG_FORMAT": "json",
    }
    process = subprocess.Popen(
        [sys.executable, "-c", "from adapters.cli import main; main()", "serve"],  # as the console script
        env=env, cwd=tmp_path, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
    )
    try:
        await wait_until_serving(port, process)
        status, answer = await slash(port, "mine", fake)
        assert status == 200 and "Your actions" in json.dumps(answer)

        with write_lock(engine, database_url):
            in_flight = asyncio.create_task(slash(port, f"done 2 {NOTE}", fake))
            await asyncio.sleep(0.6)  # the update is waiting for the lock
            assert not in_flight.done()
            process.send_signal(signal.SIGTERM)
            await asyncio.sleep(0.4)
            with pytest.raises(aiohttp.ClientError):  # no new requests once stopping
                await slash(port, "help", fake)
        status, answer = await asyncio.wait_for(in_flight, 10)
        assert status == 200
        assert "Recorded: #2 is now Done · 100%." in json.dumps(answer, ensure_ascii=False)
        assert await asyncio.to_thread(process.wait, 15) == 0
    finally:
        if process.poll() is None:
            process.kill()
            process.wait()
    errors = process.stderr.read().decode() if process.stderr else ""

    lines = [json.loads(line) for line in errors.splitlines() if line.strip()]
    assert lines, "serve logged nothing"
    for line in lines:
        assert {"time", "level", "logger", "message"} <= line.keys()
    [update] = [line for line in lines if line.get("command") == "update"]
    assert update["level"] == "INFO" and update["surface"] == "slack" and update["platform"] == "slack"
    assert update["user"] == "U0KEVIN" and update["outcome"] == "success" and update["duration_ms"] > 0
    assert len(update["request_id"]) == 12
    [access] = [line for line in lines if line.get("path") == "/slack/events" and line.get("request_id")
                == update["request_id"]]
    assert access["status"] == 200 and access["method"] == "POST"
    messages = [line["message"] for line in lines]
    assert any(m.startswith("stopping: no new requests") for m in messages) and messages[-1] == "stopped"
    for secret in (BOT_TOKEN, SIGNING_SECRET, NOTE):
        assert secret not in errors
    assert not [line for line in lines if "traceback" in line]
