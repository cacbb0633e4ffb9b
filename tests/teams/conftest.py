"""Fixtures for the Teams adapter: the real aiohttp app with ``POST /api/messages``, a fake Bot Framework
connector on 127.0.0.1 that the bot's replies reach through real HTTP, and people in a test tenant.

By default Teams runs anonymously (``ACTIONBOT_TEAMS_ALLOW_ANONYMOUS=true``, no app id), as a developer
would run it locally; ``test_security.py`` configures an app id and real signed tokens.
"""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest
from aiohttp.test_utils import TestClient, TestServer
from sqlalchemy import Engine

from adapters.web import build_web_app
from bot.clock import FixedClock
from bot.domain import Role
from bot.settings import Settings
from tests.factories import PlanFactory
from tests.teams.fake_connector import REGION, FakeConnector
from tests.teams.harness import DEB, EVERYONE, JAYNE, KEVIN, OWEN, Plan, Teams, teams_app


@pytest.fixture
def people(plan: PlanFactory) -> Plan:
    return Plan(
        deb=plan.person("Deb Poole", Role.MANAGER, teams=DEB.aad, email=DEB.email),
        kevin=plan.person("Kevin Dicks", Role.SMT, Role.ADMIN, teams=KEVIN.aad, email=KEVIN.email),
        jayne=plan.person("Jayne Pickering", email=JAYNE.email),
        owen=plan.person("Owen Price", Role.UNION_REP, teams=OWEN.aad, email=OWEN.email),
    )


@pytest.fixture
async def connector() -> AsyncIterator[FakeConnector]:
    fake = FakeConnector()
    server = TestServer(fake.app(), host="127.0.0.1")
    await server.start_server()
    fake.service_url = str(server.make_url(f"/{REGION}/"))
    for user in EVERYONE:
        fake.add_member(user.teams_id, user.name, aad=user.aad, email=user.email)
    yield fake
    await server.close()


@pytest.fixture
def teams_settings(settings: Settings) -> Settings:
    return settings.model_copy(update={"teams_allow_anonymous": True})


@pytest.fixture
async def teams(
    engine: Engine, teams_settings: Settings, clock: FixedClock, connector: FakeConnector
) -> AsyncIterator[Teams]:
    async with TestClient(TestServer(build_web_app(teams_app(engine, teams_settings, clock)))) as client:
        yield Teams(client, connector)
