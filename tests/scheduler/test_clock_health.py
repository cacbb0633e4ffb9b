"""The web process's ``/readyz`` reports the clock's last heartbeat and its age, without ever failing for it."""

from __future__ import annotations

import os
import socket
from typing import Any

from aiohttp.test_utils import TestClient, TestServer
from sqlalchemy import Engine

from adapters.bootstrap import App
from adapters.web import build_web_app
from bot.core import Core
from bot.settings import Settings
from scheduler.lease import Lease


async def clock_check(engine: Engine, settings: Settings, core: Core) -> tuple[int, dict[str, Any]]:
    async with TestClient(TestServer(build_web_app(App(settings, engine, core)))) as client:
        response = await client.get("/readyz")
        return response.status, (await response.json())["checks"]["clock"]


async def test_readyz_reports_the_clocks_heartbeat_age_and_who_runs_it(
    engine: Engine, settings: Settings, core: Core
) -> None:
    assert await clock_check(engine, settings, core) == (
        200, {"ok": True, "detail": "no clock has run on this database"})  # fmt: skip
    lease = Lease(engine)
    assert lease.try_acquire()
    status, check = await clock_check(engine, settings, core)
    assert status == 200 and check["ok"] is True and 0 <= check["age_seconds"] < 10
    assert check["detail"].startswith("last heartbeat ")
    assert check["detail"].endswith(f"s ago from {socket.gethostname()} pid {os.getpid()}")
    lease.release()
    status, check = await clock_check(engine, settings, core)
    assert status == 200 and check["detail"].endswith("(stopped)")
