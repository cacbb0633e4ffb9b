"""Socket Mode: with SLACK_APP_TOKEN set, ``actionbot serve`` opens a websocket to Slack (here the
fake's) instead of serving ``/slack/events``, and what arrives on it runs the same listeners."""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator

import pytest
from aiohttp.test_utils import TestClient, TestServer
from sqlalchemy import Engine

from adapters.bootstrap import App
from adapters.slack.server import SLACK_KEY
from adapters.web import build_web_app
from bot.clock import FixedClock
from bot.core import Core
from bot.domain import Status
from bot.settings import Settings, load_settings
from tests.factories import PlanFactory
from tests.slack.conftest import Council
from tests.slack.driver import CHANNEL, Message, SlackDriver, command_form
from tests.slack.fake_slack import APP_TOKEN, BOT_TOKEN, FakeSlack
from tests.slack.helpers import shown, update_rows


@pytest.fixture
def socket_settings(database_url: str, fake: FakeSlack) -> Settings:
    return load_settings(
        database_url=database_url, slack_bot_token=BOT_TOKEN, slack_app_token=APP_TOKEN, slack_api_url=fake.api_url,
        _env_file=None,
    )


@pytest.fixture
async def socket_server(
    engine: Engine, socket_settings: Settings, clock: FixedClock, fake: FakeSlack
) -> AsyncIterator[TestClient[object, object]]:
    app = App(socket_settings, engine, Core(engine, socket_settings, clock))
    client: TestClient[object, object] = TestClient(TestServer(build_web_app(app), host="127.0.0.1"))
    await client.start_server()
    yield client
    await client.server.app[SLACK_KEY].settle()
    await client.close()


def test_socket_mode_needs_no_signing_secret(socket_settings: Settings) -> None:
    assert socket_settings.slack_signing_secret is None


async def test_socket_mode_is_chosen_when_an_app_token_is_set(
    socket_server: TestClient[object, object], fake: FakeSlack
) -> None:
    [opened] = await fake.wait_for("apps.connections.open")
    surface = socket_server.server.app[SLACK_KEY]
    assert surface.socket is not None
    assert (await socket_server.post("/slack/events", data=b"x")).status == 404, "no public endpoint needed"
    assert (await socket_server.get("/healthz")).status == 200, "the web server still serves the rest"


async def test_a_slash_command_over_socket_mode_is_answered_in_its_acknowledgement(
    socket_server: TestClient[object, object], fake: FakeSlack, council: Council
) -> None:
    form = command_form("overdue", user="U0ALEX", channel=CHANNEL, response_url=fake.response_url("cmd"),
                        trigger_id="1.2.socket")
    ack = await fake.envelope("slash_commands", form)
    payload = ack["payload"]
    assert payload["response_type"] == "ephemeral"
    assert ":red_circle: *#1* Refresh the Corporate Plan with Cabinet" in shown(payload["blocks"])


async def test_a_button_over_socket_mode_records_and_updates_the_message(
    socket_server: TestClient[object, object], fake: FakeSlack, council: Council, plan: PlanFactory
) -> None:
    form = command_form("mine", user="U0KEVIN", channel=CHANNEL, response_url=fake.response_url("cmd"),
                        trigger_id="1.3.socket")
    listing = Message((await fake.envelope("slash_commands", form))["payload"]["blocks"])
    driver = SlackDriver(socket_server, fake)
    ack = await fake.envelope("interactive", driver.press_payload(listing, listing.button(2, "done"), user="U0KEVIN"))
    assert "payload" not in ack, "acknowledged with nothing to show"
    [post] = await fake.wait_for("response_url")
    assert "Recorded: #2 is now Done · 100%." in shown(post.params["blocks"])
    assert plan.get(2).status is Status.DONE and len(update_rows(plan, 2)) == 1


@pytest.mark.parametrize(
    ("kind", "payload"),
    [
        ("interactive", {"type": "block_actions", "user": "U0KEVIN", "actions": "x"}),
        ("interactive", {"type": "view_submission", "user": {"id": "U0KEVIN"}, "view": None}),
        ("slash_commands", {"command": "/actions", "text": "mine", "user_id": 42}),
        ("events_api", {"type": "event_callback", "event": "app_uninstalled"}),
        ("events_api", {"type": "app_rate_limited", "minute_rate_limited": 1}),
        ("events_api", {"type": "event_callback", "event": {"type": "message", "channel": 5}}),
    ],
)
async def test_socket_mode_deliveries_are_checked_like_http_ones_and_always_acknowledged(
    socket_server: TestClient[object, object], fake: FakeSlack, council: Council, kind: str,
    payload: dict[str, object], caplog: pytest.LogCaptureFixture,
) -> None:
    ack = await fake.envelope(kind, payload)
    assert "payload" not in ack, "acknowledged, with nothing to show"
    assert not [r for r in caplog.records if r.exc_info or r.levelno >= logging.ERROR]
