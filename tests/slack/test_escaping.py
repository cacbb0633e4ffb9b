"""User text can never become a broadcast, a mention or a disguised link: a note or an action text
holding ``<!channel>``, ``<@U123>`` and ``<https://x|click>`` is shown as those characters in every
message the bot sends (slash answers, updated messages, modals, broadcasts through the sender)."""

from __future__ import annotations

from typing import Any

from sqlmodel import select

from adapters.slack.app import web_client
from adapters.slack.mrkdwn import cut, escape
from adapters.slack.payloads import command_text
from adapters.slack.sender import SlackSender
from bot.domain import Role
from bot.notices.messages import from_payload
from bot.requests import ConversationRef
from bot.settings import Settings
from store.models import OutboxNotification
from store.session import transaction
from tests.factories import PlanFactory
from tests.slack.block_rules import has_live_markup, mrkdwn_texts
from tests.slack.conftest import Council, Server
from tests.slack.driver import Message
from tests.slack.helpers import shown

INJECTION = "<!channel> <@U123> <https://x|click> & <!here|here>"
HARMLESS = "&lt;!channel&gt; &lt;@U123&gt; &lt;https://x|click&gt; &amp; &lt;!here|here&gt;"
# In a note, a mention is kept as the name it stands for (here nobody: the user id), never as a mention.
NOTE_STORED = "<!channel> @U123 <https://x|click> & <!here|here>"
NOTE_HARMLESS = "&lt;!channel&gt; @U123 &lt;https://x|click&gt; &amp; &lt;!here|here&gt;"


def as_slack_sends_it(text: str) -> str:
    """Typed text as it arrives in a slash command: Slack escapes the three characters."""
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def assert_harmless(body: dict[str, Any], *, where: str, shown_as: str = HARMLESS) -> None:
    """No live markup in any mrkdwn text of ``body`` (blocks, view or fallback text), and the
    injection is there, escaped, so it was really shown."""
    texts = mrkdwn_texts(body.get("blocks") or body.get("view", {}).get("blocks", []))
    if "text" in body:
        texts.append(body["text"])  # the notification text is parsed as mrkdwn too
    live = [t for t in texts if has_live_markup(t)]
    assert live == [], f"{where}: live markup in {live}"
    assert any(shown_as in t for t in texts), f"{where}: the text is not shown at all"


def test_escape_turns_the_three_control_characters_into_entities() -> None:
    assert escape(INJECTION) == HARMLESS
    assert escape("Q&A <b>") == "Q&amp;A &lt;b&gt;"


def test_cutting_never_splits_an_entity() -> None:
    text = escape("a" * 10 + "<<<<")
    for limit in range(5, len(text)):
        cut_text = cut(text, limit)
        assert len(cut_text) <= limit
        assert not has_live_markup(cut_text), cut_text
        assert cut_text.endswith("…")


def test_slash_command_text_is_read_back_as_typed() -> None:
    assert command_text(as_slack_sends_it("note 1 a < b & c > d")) == "note 1 a < b & c > d"
    assert command_text("note 1 tell <!here> in <#C0PLAN|plan-followup> see <https://x.org/p|x.org/p>") == (
        "note 1 tell @here in #plan-followup see https://x.org/p")
    assert command_text("link <@U0NINA|nina> Nina Patel") == "link <@U0NINA|nina> Nina Patel"


async def test_a_hostile_note_is_harmless_in_the_slash_answer(
    slack: Server, council: Council, plan: PlanFactory
) -> None:
    await slack.command(f"note 1 {as_slack_sends_it(INJECTION)}", user="U0KEVIN")
    assert plan.get(1).latest_note == NOTE_STORED, "stored as typed, the mention as who it names"
    answer = await slack.command("show 1", user="U0KEVIN")
    assert_harmless(answer.json, where="show 1", shown_as=NOTE_HARMLESS)
    assert shown(answer.blocks).count(NOTE_HARMLESS) == 2, "in Latest note and in the history"


async def test_a_hostile_action_text_is_harmless_in_lists_updated_messages_and_the_form(
    slack: Server, council: Council, plan: PlanFactory
) -> None:
    hostile = plan.action(council.kevin, review=council.review, due_in=3, text=f"Tell everyone {INJECTION}")
    hostile_id = hostile.id or 0
    answer = await slack.command("mine", user="U0KEVIN")
    assert_harmless(answer.json, where="mine")
    await slack.press(Message(answer.blocks), hostile_id, "on_track", user="U0KEVIN")
    await slack.settle()
    assert_harmless(slack.fake.of("response_url")[-1].params, where="the list after a press")
    bot_message = Message(answer.blocks, channel="D0KEVIN", ts="1547460000.000555", ephemeral=False)
    await slack.press(bot_message, hostile_id, "at_risk", user="U0KEVIN")
    await slack.settle()
    assert_harmless(slack.fake.of("chat.update")[-1].params, where="chat.update after a press")
    await slack.press(Message(answer.blocks), hostile_id, "update", user="U0KEVIN")
    await slack.settle()
    assert_harmless(slack.fake.of("views.open")[-1].params, where="the Update… form")


async def test_a_hostile_note_is_harmless_in_the_update_broadcast_the_sender_posts(
    slack: Server, council: Council, plan: PlanFactory, slack_settings: Settings
) -> None:
    plan.person("Una Reed", Role.UNION_REP, slack="U0UNA")
    await slack.command("subscribe all updates", user="U0UNA", channel="C0UNION")
    await slack.command(f"update 1 at-risk {as_slack_sends_it(INJECTION)}", user="U0KEVIN")
    with transaction(plan.engine, write=False) as session:
        [queued] = list(session.exec(select(OutboxNotification)))
    sender = SlackSender(web_client(slack_settings, retry_rate_limits=False))
    await sender.send(ConversationRef("slack", queued.target_key), from_payload(queued.payload).reply)
    [posted] = slack.fake.of("chat.postMessage")
    assert posted.params["channel"] == "C0UNION"
    assert_harmless(posted.params, where="the broadcast", shown_as=NOTE_HARMLESS)
