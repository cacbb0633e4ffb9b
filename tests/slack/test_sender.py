"""The Slack sender (``send(ref, reply)``) that the scheduler's outbox uses: where it posts, and
what each kind of failure tells the outbox (wait, give up, or try again later)."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest

from adapters.bootstrap import build
from adapters.slack.app import web_client
from adapters.slack.sender import SlackSender
from bot.replies import ActionItem, Button, ButtonIntent, Fact, Reply, Section, Visibility
from bot.requests import ConversationRef
from bot.sending import DeliveryError, Sender
from bot.settings import Settings
from tests.slack.block_rules import violations
from tests.slack.fake_slack import FakeSlack
from tests.slack.helpers import shown

NUDGE = Reply(
    title="Due tomorrow",
    sections=[Section(
        lines=["This action of yours is due tomorrow."],
        items=[ActionItem(action_id=42, text="Publish the workforce strategy", rag="green", status="on_track",
                          facts=[Fact(label="Due", value="Tue 15 Jan 2019 (tomorrow)")],
                          buttons=[Button(intent=ButtonIntent.DONE, action_id=42, label="Done", style="primary")])],
    )],
    visibility=Visibility.CHANNEL,
)


@pytest.fixture
async def sender(slack_settings: Settings) -> AsyncIterator[SlackSender]:
    sender = SlackSender(web_client(slack_settings, retry_rate_limits=False))
    yield sender
    await sender.close()


def test_bootstrap_registers_the_slack_sender_when_slack_is_configured(slack_settings: Settings) -> None:
    app = build(slack_settings, check=False)
    assert isinstance(app.senders["slack"], SlackSender)
    sender: Sender = app.senders["slack"]
    assert sender.platform == "slack"
    app.engine.dispose()


async def test_a_reply_is_posted_to_a_channel_as_block_kit(sender: SlackSender, fake: FakeSlack) -> None:
    message_id = await sender.send(ConversationRef("slack", "C0PLAN"), NUDGE)
    [post] = fake.of("chat.postMessage")
    assert post.params["channel"] == "C0PLAN" and post.params["text"] == "Due tomorrow"
    assert post.params["unfurl_links"] is False and post.params["unfurl_media"] is False
    assert "*#42* Publish the workforce strategy" in shown(post.params["blocks"])
    assert violations(post.params["blocks"]) == []
    assert message_id == "C0PLAN:1547460000.000001", "channel and ts: what chat.update would need"


async def test_a_reply_to_a_user_goes_to_their_dm_with_the_bot(sender: SlackSender, fake: FakeSlack) -> None:
    assert await sender.send(ConversationRef("slack", "U0KEVIN"), NUDGE) == "D0KEVIN:1547460000.000001"
    await sender.send(ConversationRef("slack", "U0KEVIN"), NUDGE)
    assert [p.params["channel"] for p in fake.of("chat.postMessage")] == ["U0KEVIN", "U0KEVIN"], (
        "a user id as the channel: Slack posts it in the bot's DM with them"
    )
    assert fake.of("conversations.open") == [], "no Tier 3 call to open the DM first"


async def test_a_rate_limited_post_tells_the_outbox_when_to_retry(sender: SlackSender, fake: FakeSlack) -> None:
    fake.fail("chat.postMessage", status=429, error="ratelimited", retry_after=17)
    with pytest.raises(DeliveryError) as raised:
        await sender.send(ConversationRef("slack", "C0PLAN"), NUDGE)
    assert (raised.value.retry_after, raised.value.permanent) == (17.0, False)
    assert len(fake.of("chat.postMessage")) == 1, "the sender does not sleep: the outbox reschedules"


async def test_a_slack_outage_is_a_transient_failure(sender: SlackSender, fake: FakeSlack) -> None:
    fake.fail("chat.postMessage", status=500)
    with pytest.raises(DeliveryError) as raised:
        await sender.send(ConversationRef("slack", "C0PLAN"), NUDGE)
    assert (raised.value.retry_after, raised.value.permanent) == (None, False)
    assert "HTTP 500" in str(raised.value)
    assert await sender.send(ConversationRef("slack", "C0PLAN"), NUDGE), "and the next try goes"


@pytest.mark.parametrize("error", ["channel_not_found", "not_in_channel", "account_inactive", "is_archived",
                                   "token_revoked"])
async def test_a_place_the_bot_can_never_post_to_is_a_permanent_failure(
    sender: SlackSender, fake: FakeSlack, error: str
) -> None:
    fake.fail("chat.postMessage", error=error)
    with pytest.raises(DeliveryError) as raised:
        await sender.send(ConversationRef("slack", "C0GONE"), NUDGE)
    assert raised.value.permanent is True and raised.value.retry_after is None
    assert error in str(raised.value)


async def test_a_user_who_cannot_be_messaged_is_a_permanent_failure(sender: SlackSender, fake: FakeSlack) -> None:
    fake.fail("chat.postMessage", error="user_disabled")
    with pytest.raises(DeliveryError) as raised:
        await sender.send(ConversationRef("slack", "U0LEFT"), NUDGE)
    assert raised.value.permanent is True


async def test_an_unreachable_slack_is_a_transient_failure(slack_settings: Settings) -> None:
    nowhere = slack_settings.model_copy(update={"slack_api_url": "http://127.0.0.1:9/api/"})
    with pytest.raises(DeliveryError) as raised:
        await SlackSender(web_client(nowhere, retry_rate_limits=False)).send(ConversationRef("slack", "C0PLAN"), NUDGE)
    assert raised.value.permanent is False and "could not be reached" in str(raised.value)
