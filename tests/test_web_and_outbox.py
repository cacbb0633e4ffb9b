"""The web server's health check, and the outbox's promise: the same message is stored once."""

from __future__ import annotations

from aiohttp.test_utils import TestClient, TestServer
from sqlalchemy import Engine
from sqlmodel import select

from adapters.bootstrap import App
from adapters.web import READINESS_CHECKS, Check, build_web_app
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


async def test_readyz_says_ready_when_the_database_answers_at_the_current_schema(
    engine: Engine, settings: Settings, core: Core
) -> None:
    async with TestClient(TestServer(build_web_app(App(settings, engine, core)))) as client:
        response = await client.get("/readyz")
        body = await response.json()
    assert response.status == 200 and body["status"] == "ready"
    assert body["checks"]["database"] == {"ok": True, "detail": "reachable"}
    assert body["checks"]["schema"]["ok"] is True


async def test_readyz_is_503_when_the_database_does_not_answer_but_the_process_stays_healthy(
    settings: Settings, core: Core
) -> None:
    broken = make_engine("sqlite:////nonexistent-directory/actionbot.db")
    async with TestClient(TestServer(build_web_app(App(settings, broken, core)))) as client:
        ready = await client.get("/readyz")
        body = await ready.json()
        alive = await client.get("/healthz")
    assert ready.status == 503 and body["status"] == "not ready"
    assert body["checks"]["database"] == {"ok": False, "detail": "unreachable (OperationalError)"}
    assert alive.status == 200, "a database outage must not get a live process restarted"


async def test_readyz_takes_more_checks_such_as_the_clocks_heartbeat(
    engine: Engine, settings: Settings, core: Core
) -> None:
    async def heartbeat(app: App) -> Check:
        return Check("clock", False, "last heartbeat 95s ago")

    web_app = build_web_app(App(settings, engine, core), readiness=[*READINESS_CHECKS, heartbeat])
    async with TestClient(TestServer(web_app)) as client:
        response = await client.get("/readyz")
        body = await response.json()
    assert response.status == 503
    assert body["checks"]["clock"] == {"ok": False, "detail": "last heartbeat 95s ago"}
    assert body["checks"]["database"]["ok"] is True


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
