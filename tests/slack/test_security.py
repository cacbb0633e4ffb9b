"""Security at the Slack edge: every HTTP delivery's signature is checked (forged, unsigned or stale
→ 401 and nothing changed), start-up refuses HTTP without a signing secret, a retried delivery is
applied once, and no token or secret ever reaches the logs."""

from __future__ import annotations

import logging
import time
from pathlib import Path

import pytest
from aiohttp import web
from typer.testing import CliRunner

from adapters.bootstrap import App
from adapters.cli import app as cli
from adapters.slack.app import SlackConfigurationError, build_bolt_app, web_client
from adapters.slack.blocks import render
from adapters.slack.sender import SlackSender
from adapters.slack.server import mount
from bot.domain import Status
from bot.replies import Reply
from bot.requests import ConversationRef
from bot.settings import Settings
from tests.factories import PlanFactory
from tests.slack.conftest import Council, Server
from tests.slack.driver import SIGNING_SECRET, Message, sign
from tests.slack.fake_slack import BOT_TOKEN
from tests.slack.helpers import shown, update_rows


async def refused(slack: Server, plan: PlanFactory, **delivery: object) -> None:
    body = slack.command_body("done 2 finished", user="U0KEVIN")
    answer = await slack.deliver(body, **delivery)  # type: ignore[arg-type]
    assert answer.status == 401
    assert plan.get(2).status is Status.NOT_STARTED and update_rows(plan, 2) == []
    assert slack.fake.calls == [], "nothing was even looked up"


async def test_a_forged_signature_is_refused_and_changes_nothing(
    slack: Server, council: Council, plan: PlanFactory
) -> None:
    await refused(slack, plan, signature="v0=" + "0" * 64)
    stamp = int(time.time())
    await refused(slack, plan, timestamp=stamp, signature=sign("text=done+2", stamp))  # signed another body
    await refused(slack, plan, timestamp=stamp, signature=sign("x", stamp, secret="not-the-secret"))


async def test_a_request_without_slacks_headers_is_refused(slack: Server, council: Council, plan: PlanFactory) -> None:
    await refused(slack, plan, signed=False)


async def test_a_request_signed_six_minutes_ago_is_refused(slack: Server, council: Council, plan: PlanFactory) -> None:
    body = slack.command_body("done 2 finished", user="U0KEVIN")
    stale = int(time.time()) - 6 * 60
    answer = await slack.deliver(body, timestamp=stale, signature=sign(body, stale))
    assert answer.status == 401
    assert plan.get(2).status is Status.NOT_STARTED and update_rows(plan, 2) == []


async def test_a_retried_command_records_one_update(slack: Server, council: Council, plan: PlanFactory) -> None:
    body = slack.command_body("update 2 at-risk 20% waiting for the restructure", user="U0KEVIN")
    first = await slack.deliver(body)
    again = await slack.deliver(body, retry=1)  # X-Slack-Retry-Num: the same delivery, same trigger id
    assert "Recorded: #2 is now At risk · 20%." in shown(first.blocks)
    assert "Already recorded; nothing more to do." in shown(again.blocks)
    assert [r.new_status for r in update_rows(plan, 2)] == [Status.AT_RISK]


async def test_tokens_and_the_signing_secret_never_reach_the_logs(
    slack: Server, council: Council, caplog: pytest.LogCaptureFixture, slack_settings: Settings
) -> None:
    caplog.set_level(logging.DEBUG)
    slack.fake.add_user("U0NEW", "new.starter@council.gov.uk", "New Starter")
    await slack.command("mine", user="U0NEW")  # auth.test, users.info (not linked yet)
    answer = await slack.command("mine", user="U0KEVIN")
    await slack.press(Message(answer.blocks), 2, "done", user="U0KEVIN")  # response_url
    await slack.settle()
    sender = SlackSender(web_client(slack_settings, retry_rate_limits=False))
    await sender.send(ConversationRef("slack", "U0DEB"), Reply.text("Digest"))  # chat.postMessage to the user
    slack.fake.fail("chat.postMessage", error="invalid_auth")
    with pytest.raises(Exception, match="invalid_auth"):
        await sender.send(ConversationRef("slack", "C0PLAN"), Reply.text("Digest"))
    logged = caplog.text + "".join(repr(r.args) for r in caplog.records)
    assert "auth.test" in logged and "users.info" in logged, "the Web API calls were logged at DEBUG"
    for secret in (BOT_TOKEN, SIGNING_SECRET, BOT_TOKEN.split("-")[-1]):
        assert secret not in logged
    assert BOT_TOKEN not in repr(slack_settings) and SIGNING_SECRET not in str(slack_settings)


def test_serve_refuses_to_start_slack_over_http_without_a_signing_secret(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("SLACK_SIGNING_SECRET", raising=False)
    monkeypatch.delenv("SLACK_APP_TOKEN", raising=False)
    monkeypatch.setenv("DATABASE_URL", f"sqlite:///{tmp_path / 'serve.db'}")
    monkeypatch.setenv("SLACK_BOT_TOKEN", BOT_TOKEN)
    result = CliRunner().invoke(cli, ["serve"])
    assert result.exit_code == 2
    assert result.output == (
        "actionbot: configuration error: SLACK_SIGNING_SECRET: required for Slack over HTTP "
        "(or set SLACK_APP_TOKEN for Socket Mode)\n"
    )
    assert BOT_TOKEN not in result.output


def test_the_slack_builders_refuse_http_without_a_signing_secret(slack_app: App) -> None:
    unsigned = slack_app.settings.model_copy(update={"slack_signing_secret": None})  # as if validation were skipped
    with pytest.raises(SlackConfigurationError, match="SLACK_SIGNING_SECRET"):
        build_bolt_app(unsigned, web_client(unsigned))
    with pytest.raises(SlackConfigurationError, match="SLACK_SIGNING_SECRET"):
        mount(web.Application(), App(unsigned, slack_app.engine, slack_app.core))


def test_every_message_is_rendered_without_link_unfurling_or_name_parsing() -> None:
    message = render(Reply.text("see https://example.org and #general and @here"))
    [section] = [b for b in message.blocks if b["type"] == "section"]
    assert section["text"]["verbatim"] is True, "Slack must not turn names and URLs into links or mentions"
