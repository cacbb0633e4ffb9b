"""Posting to a ``response_url`` (the list drawn again after a press, a late answer): the body as Slack
takes it, a connection dropped under the post tried once more, an outbound proxy as slack_sdk honours it."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest

from bot.domain import Status
from tests.factories import PlanFactory
from tests.slack.conftest import Council, Server
from tests.slack.driver import Message
from tests.slack.fake_slack import DROP, FakeSlack
from tests.slack.helpers import shown


async def my_list(slack: Server) -> Message:
    return Message((await slack.command("mine", user="U0KEVIN")).blocks, ephemeral=True)


async def test_a_press_posts_the_list_again_as_json_to_its_response_url(
    slack: Server, council: Council, plan: PlanFactory
) -> None:
    await slack.press(await my_list(slack), 2, "at_risk", user="U0KEVIN")
    await slack.settle()
    [post] = slack.fake.of("response_url")
    assert (post.params["response_type"], post.params["replace_original"]) == ("ephemeral", True)
    assert "Recorded: #2 is now At risk · 0%." in post.params["text"] + shown(post.params["blocks"])
    assert plan.get(2).status is Status.AT_RISK


async def test_a_post_whose_connection_is_dropped_is_sent_once_more(
    slack: Server, council: Council, plan: PlanFactory
) -> None:
    message = await my_list(slack)
    slack.fake.fail("response_url", status=DROP)  # a kept-alive connection Slack had closed
    await slack.press(message, 2, "at_risk", user="U0KEVIN")
    await slack.settle()
    first, second = slack.fake.of("response_url")
    assert first.params == second.params
    assert slack.fake.of("chat.postEphemeral") == [], "the second try arrived: nothing said instead"


async def test_a_post_dropped_twice_is_said_privately_in_the_channel_instead(
    slack: Server, council: Council, plan: PlanFactory
) -> None:
    message = await my_list(slack)
    slack.fake.fail("response_url", status=DROP)
    slack.fake.fail("response_url", status=DROP)
    await slack.press(message, 2, "at_risk", user="U0KEVIN")
    await slack.settle()
    assert len(slack.fake.of("response_url")) == 2
    [ephemeral] = slack.fake.of("chat.postEphemeral")
    assert "Recorded: #2 is now At risk · 0%." in shown(ephemeral.params["blocks"])


@pytest.fixture
async def proxied(monkeypatch: pytest.MonkeyPatch, fake: FakeSlack) -> AsyncIterator[None]:
    """HTTPS_PROXY (the fake, which answers a proxied request as its own) set before the server starts."""
    monkeypatch.setenv("HTTPS_PROXY", fake.url)
    yield


async def test_a_post_goes_through_the_proxy_https_proxy_names(
    proxied: None, slack: Server, council: Council, plan: PlanFactory
) -> None:
    message = await my_list(slack)
    payload = slack.press_payload(message, message.button(2, "at_risk"), user="U0KEVIN")
    payload["response_url"] = "http://hooks.slack.invalid/hooks/T0COUNCIL/action"  # reached only through the proxy
    await slack.interaction(payload)
    await slack.settle()
    [post] = slack.fake.of("response_url")
    assert post.path == "T0COUNCIL/action" and post.params["replace_original"] is True
