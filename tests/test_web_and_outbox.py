"""The web server's health check, and the outbox's promise: the same message is stored once."""

from __future__ import annotations

from aiohttp.test_utils import TestClient, TestServer
from sqlalchemy import Engine
from sqlmodel import select

from adapters.bootstrap import App
from adapters.web import build_web_app
from bot.core import Core
from bot.settings import Settings
from store import outbox
from store.db import make_engine
from store.models import OutboxNotification


async def test_healthz_answers_ok_when_the_database_answers(engine: Engine, settings: Settings, core: Core) -> None:
    async with TestClient(TestServer(build_web_app(App(settings, engine, core)))) as client:
        response = await client.get("/healthz")
        assert response.status == 200
        assert await response.json() == {"status": "ok"}


async def test_healthz_answers_503_when_the_database_does_not(settings: Settings, core: Core) -> None:
    broken = make_engine("sqlite:////nonexistent-directory/actionbot.db")
    async with TestClient(TestServer(build_web_app(App(settings, broken, core)))) as client:
        response = await client.get("/healthz")
        assert response.status == 503


def test_the_same_notification_enqueued_twice_is_stored_once(core: Core) -> None:
    def enqueue() -> bool:
        return core.uow.run(lambda work: outbox.enqueue(
            work, dedupe_key="nudge:42:2019-01-14", kind="nudge", platform="slack", target_key="U0DEB",
            payload={"title": "Due tomorrow"}))

    assert enqueue() is True
    assert enqueue() is False
    rows = core.uow.run(lambda work: list(work.session.exec(select(OutboxNotification))), writes=False)
    assert [(r.dedupe_key, r.state, r.payload) for r in rows] == [
        ("nudge:42:2019-01-14", "pending", {"title": "Due tomorrow"})
    ]
