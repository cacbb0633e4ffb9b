"""``actionbot serve --workers N`` (or ``WEB_CONCURRENCY``): N processes answer on one port, each saying
which it is (``X-Actionbot-Worker``); SIGTERM stops them all and the command exits 0. Slack's Socket Mode
is one connection per app: ``--workers 2`` with it is refused, and a ``WEB_CONCURRENCY`` set by the platform
is ignored with a warning."""

from __future__ import annotations

import asyncio
import os
import signal
import subprocess
import sys
import time
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

import aiohttp

from tests.slack.conftest import Council, council, fake  # noqa: F401
from tests.slack.driver import SIGNING_SECRET, command_form, sign
from tests.slack.fake_slack import APP_TOKEN, BOT_TOKEN, FakeSlack
from tests.test_serve_process import free_port, process_url, wait_until_serving

SERVE = [sys.executable, "-c", "from adapters.cli import main; main()", "serve"]  # as the console script runs it


def environment(
    fake: FakeSlack, database_url: str, template: tuple[str, dict[str, Any]], port: int  # noqa: F811
) -> dict[str, str]:
    return {
        **{name: value for name, value in os.environ.items()
           if not name.startswith(("SLACK_", "MICROSOFT_")) and name != "WEB_CONCURRENCY"},
        "DATABASE_URL": process_url(database_url, template),
        "SLACK_BOT_TOKEN": BOT_TOKEN,
        "SLACK_SIGNING_SECRET": SIGNING_SECRET,
        "SLACK_API_URL": fake.api_url,
        "PORT": str(port),
    }


async def mine(http: aiohttp.ClientSession, port: int, fake: FakeSlack) -> tuple[str, str]:  # noqa: F811
    """``/actions mine`` from Kevin on a new connection: which process answered, and the answer."""
    body = urlencode(command_form("mine", user="U0KEVIN", channel="C0PLAN", response_url=fake.response_url("cmd"),
                                  trigger_id=f"1.{time.time_ns()}.workers"))
    stamp = int(time.time())
    headers = {"Content-Type": "application/x-www-form-urlencoded", "X-Slack-Request-Timestamp": str(stamp),
               "X-Slack-Signature": sign(body, stamp), "Connection": "close"}
    async with http.post(f"http://127.0.0.1:{port}/slack/events", data=body, headers=headers) as response:
        assert response.status == 200
        return response.headers["X-Actionbot-Worker"], await response.text()


def parent_of(pid: int) -> int:
    return int(Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[1])


async def test_two_workers_share_the_port_and_both_answer_slack(
    fake: FakeSlack, council: Council, database_url: str, _template: tuple[str, dict[str, Any]],  # noqa: F811
    tmp_path: Path,
) -> None:
    port = free_port()
    process = subprocess.Popen([*SERVE, "--workers", "2"], env=environment(fake, database_url, _template, port),
                               cwd=tmp_path, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    try:
        await wait_until_serving(port, process)
        answered: dict[str, str] = {}
        async with aiohttp.ClientSession() as http:
            for _ in range(30):  # eight at a time, until both processes have answered
                for worker, answer in await asyncio.gather(*(mine(http, port, fake) for _ in range(8))):
                    answered[worker] = answer
                if len(answered) == 2:
                    break
        assert len(answered) == 2, answered.keys()
        for worker, answer in answered.items():
            assert parent_of(int(worker)) == process.pid  # the workers are serve's own children
            assert "Your actions" in answer
        process.send_signal(signal.SIGTERM)
        assert await asyncio.to_thread(process.wait, 30) == 0
    finally:
        if process.poll() is None:
            process.kill()
            process.wait()
    log = process.stderr.read().decode() if process.stderr else ""
    assert "serving on port" in log and "with 2 worker processes" in log
    assert "Traceback" not in log


def test_socket_mode_with_several_workers_is_refused_saying_why(
    fake: FakeSlack, database_url: str, _template: tuple[str, dict[str, Any]], tmp_path: Path,  # noqa: F811
) -> None:
    env = environment(fake, database_url, _template, free_port()) | {"SLACK_APP_TOKEN": APP_TOKEN}
    done = subprocess.run([*SERVE, "--workers", "2"], env=env, cwd=tmp_path, capture_output=True, text=True,
                          timeout=60, check=False)
    assert done.returncode == 2
    assert "Socket Mode" in done.stderr and "--workers 1" in done.stderr
    assert "Traceback" not in done.stderr


async def test_web_concurrency_set_by_the_platform_is_ignored_for_socket_mode_with_a_warning(
    fake: FakeSlack, database_url: str, _template: tuple[str, dict[str, Any]], tmp_path: Path,  # noqa: F811
) -> None:
    port = free_port()
    env = environment(fake, database_url, _template, port) | {"SLACK_APP_TOKEN": APP_TOKEN, "WEB_CONCURRENCY": "3"}
    process = subprocess.Popen(SERVE, env=env, cwd=tmp_path, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    try:
        await wait_until_serving(port, process)
        async with aiohttp.ClientSession() as http, http.get(f"http://127.0.0.1:{port}/healthz") as response:
            assert response.status == 200
            assert int(response.headers["X-Actionbot-Worker"]) == process.pid  # this process itself answers
        process.send_signal(signal.SIGTERM)
        assert await asyncio.to_thread(process.wait, 30) == 0
    finally:
        if process.poll() is None:
            process.kill()
            process.wait()
    log = process.stderr.read().decode() if process.stderr else ""
    assert "WEB_CONCURRENCY=3 ignored: Slack's Socket Mode runs in one process" in log
