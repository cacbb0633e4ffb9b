"""Slack fixtures: a fake Slack on 127.0.0.1, the real aiohttp server pointed at it, a small council.

The server is ``adapters.web.build_web_app`` as ``actionbot serve`` runs it, on a real port; the
driver posts to it what Slack posts; the fake records what the bot sends back to Slack.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from dataclasses import dataclass

import pytest
from aiohttp.test_utils import TestClient, TestServer
from sqlalchemy import Engine

from adapters.bootstrap import App
from adapters.slack.server import SLACK_KEY, SlackSurface
from adapters.web import build_web_app
from bot.clock import FixedClock
from bot.core import Core
from bot.domain import Role, Status
from bot.settings import Settings
from store.models import Action, Person, Review
from tests.factories import PlanFactory
from tests.slack.driver import SIGNING_SECRET, SlackDriver
from tests.slack.fake_slack import BOT_TOKEN, FakeSlack


@pytest.fixture
async def fake() -> AsyncIterator[FakeSlack]:
    slack = await FakeSlack().start()
    yield slack
    await slack.stop()


@pytest.fixture
def slack_settings(database_url: str, fake: FakeSlack) -> Settings:
    return Settings(
        database_url=database_url,
        slack_bot_token=BOT_TOKEN,
        slack_signing_secret=SIGNING_SECRET,
        slack_api_url=fake.api_url,
        _env_file=None,  # type: ignore[call-arg]
    )


@pytest.fixture
def slack_app(engine: Engine, slack_settings: Settings, clock: FixedClock) -> App:
    return App(settings=slack_settings, engine=engine, core=Core(engine, slack_settings, clock))


class Server(SlackDriver):
    """The driver, plus the running Slack surface so a test can wait for work after the ack."""

    @property
    def surface(self) -> SlackSurface:
        return self.client.server.app[SLACK_KEY]

    async def settle(self) -> None:
        await self.surface.settle()


@pytest.fixture
async def slack(slack_app: App, fake: FakeSlack) -> AsyncIterator[Server]:
    client: TestClient[object, object] = TestClient(TestServer(build_web_app(slack_app), host="127.0.0.1"))
    await client.start_server()
    server = Server(client, fake)
    # The answer is awaited in the acknowledgement, and the Update… form opened filled, however loaded the test
    # machine is (the 2-second and 1-second budgets are for Slack's network, not for a CI runner); the
    # "Working on it…" and "Loading…" paths are tested by setting each to 0.
    server.surface.interactions.ack_budget = 60.0
    server.surface.interactions.form_wait = 60.0
    yield server
    await server.settle()
    await client.close()


@dataclass
class Council:
    """A review led by Deb, actions owned by Kevin (one overdue), and people in every role."""

    deb: Person
    kevin: Person
    alex: Person
    sarah: Person
    owen: Person
    review: Review
    overdue: Action
    soon: Action
    debs: Action


@pytest.fixture
def council(plan: PlanFactory) -> Council:
    deb = plan.person("Deb Poole", Role.MANAGER, slack="U0DEB", email="deb.poole@council.gov.uk")
    kevin = plan.person("Kevin Dicks", slack="U0KEVIN", email="kevin.dicks@council.gov.uk")
    alex = plan.person("Alex Morgan", Role.SMT, slack="U0ALEX")
    sarah = plan.person("Sarah Collins", Role.ADMIN, slack="U0SARAH")
    owen = plan.person("Owen Price", Role.UNION_REP, slack="U0OWEN")
    review = plan.review("Corporate Peer Challenge 2018", deb)
    overdue = plan.action(kevin, review=review, due_in=-12, status=Status.ON_TRACK, percent=30,
                          text="Refresh the Corporate Plan with Cabinet")
    soon = plan.action(kevin, review=review, due_in=5, text="Publish the workforce strategy")
    debs = plan.action(deb, review=review, due_in=20, status=Status.AT_RISK, percent=40,
                       text="Review the scheme of delegation")
    return Council(deb, kevin, alex, sarah, owen, review, overdue, soon, debs)
