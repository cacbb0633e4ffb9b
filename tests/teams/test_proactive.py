"""Conversation references and proactive messages (what the scheduler's outbox will send through).

Installing the app in a chat or team, or any message, stores the conversation's reference in the
database; a sender built later, by another process, posts into the conversation with it. Delivery
failures say whether to retry, and when.
"""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from pydantic import SecretStr
from sqlalchemy import Engine
from sqlmodel import select

from adapters.bootstrap import build
from adapters.teams.references import save
from adapters.teams.sender import retry_after
from bot.clock import FixedClock
from bot.replies import Reply, Section, Tone
from bot.requests import ConversationRef
from bot.sending import DeliveryError
from bot.settings import Settings
from store.db import make_engine, upgrade
from store.models import Conversation
from store.session import transaction
from tests.teams import payloads
from tests.teams.card_reading import text_of
from tests.teams.fake_connector import FakeConnector
from tests.teams.harness import DEB, KEVIN, Plan, Teams, teams_app
from tests.teams.payloads import CHANNEL, GROUP_CHAT

DIGEST = Reply(title="Weekly digest: Corporate Peer Challenge 2018", sections=[Section(lines=["3 actions overdue."])])


def _stored(engine: Engine) -> list[Conversation]:
    with transaction(engine, write=False) as session:
        return list(session.exec(select(Conversation).order_by(Conversation.key)))


@pytest.fixture
def restarted_engine(database_url: str, _template: tuple[str, dict[str, Any]]) -> Engine:
    """A new engine on the same database, as a freshly started process would open it."""
    return make_engine(database_url, **_template[1])  # type: ignore[arg-type]


async def test_installing_the_app_in_a_team_stores_the_reference_and_says_hello(
    teams: Teams, people: Plan, engine: Engine
) -> None:
    assert await teams.post(payloads.bot_added(teams.service_url, KEVIN, CHANNEL)) == 200

    [row] = _stored(engine)
    assert (row.platform, row.key, row.name) == ("teams", CHANNEL.id, "Action plan · Finance Team")
    assert row.reference is not None
    assert row.reference["serviceUrl"] == teams.service_url
    assert row.reference["conversation"]["id"] == CHANNEL.id
    assert row.reference["conversation"]["tenantID"] == payloads.TENANT
    assert row.reference["bot"]["id"] == payloads.BOT_ID
    assert "activityId" not in row.reference and "user" not in row.reference
    card = teams.connector.last_card()
    assert "Hello, I'm actionbot" in text_of(card) and "`@actionbot help`" in text_of(card)


async def test_a_message_in_a_thread_stores_the_channels_reference(teams: Teams, people: Plan, engine: Engine) -> None:
    await teams.say(DEB, "help", CHANNEL, thread="1700000000555")
    [row] = _stored(engine)
    assert row.key == CHANNEL.id
    assert row.reference is not None and row.reference["conversation"]["id"] == CHANNEL.id


async def test_a_one_to_one_reference_keeps_the_user(teams: Teams, people: Plan, engine: Engine) -> None:
    await teams.say(DEB, "help")
    [row] = _stored(engine)
    assert row.reference is not None and row.reference["user"]["aadObjectId"] == DEB.aad


async def test_a_new_service_url_replaces_the_stored_one(teams: Teams, people: Plan, engine: Engine) -> None:
    await teams.post(payloads.bot_added(teams.service_url, KEVIN, GROUP_CHAT))
    moved = teams.service_url.replace("/emea/", "/uk/")
    await teams.post(payloads.member_joined(moved, DEB, GROUP_CHAT))
    [row] = _stored(engine)
    assert row.reference is not None and row.reference["serviceUrl"] == moved


async def test_a_proactive_message_after_a_restart_uses_the_stored_reference(
    teams: Teams,
    people: Plan,
    connector: FakeConnector,
    restarted_engine: Engine,
    teams_settings: Settings,
    clock: FixedClock,
) -> None:
    await teams.post(payloads.bot_added(teams.service_url, KEVIN, GROUP_CHAT))
    connector.calls.clear()

    restarted = teams_app(restarted_engine, teams_settings, clock)
    message_id = await restarted.senders["teams"].send(ConversationRef("teams", GROUP_CHAT.id), DIGEST)

    [post] = connector.calls
    assert (post.kind, post.conversation_id, post.authorization) == ("post", GROUP_CHAT.id, None)
    assert post.body["from"]["id"] == payloads.BOT_ID
    assert post.body["summary"] == "Weekly digest: Corporate Peer Challenge 2018"
    assert text_of(post.card) == "Weekly digest: Corporate Peer Challenge 2018\n3 actions overdue."
    assert message_id == post.response_id
    restarted_engine.dispose()


async def test_a_conversation_the_app_was_never_added_to_cannot_be_sent_to(
    teams: Teams, people: Plan, connector: FakeConnector, engine: Engine, teams_settings: Settings, clock: FixedClock
) -> None:
    sender = teams_app(engine, teams_settings, clock).senders["teams"]
    with pytest.raises(DeliveryError) as raised:
        await sender.send(ConversationRef("teams", "19:never-installed@thread.v2"), DIGEST)
    assert raised.value.permanent
    assert "add the app to that chat first" in str(raised.value)
    assert connector.calls == []


async def test_removing_the_app_forgets_the_reference(
    teams: Teams, people: Plan, engine: Engine, teams_settings: Settings, clock: FixedClock
) -> None:
    await teams.post(payloads.installation(teams.service_url, KEVIN, GROUP_CHAT, "add"))
    assert _stored(engine)[0].reference is not None
    await teams.post(payloads.installation(teams.service_url, KEVIN, GROUP_CHAT, "remove"))
    assert _stored(engine)[0].reference is None

    sender = teams_app(engine, teams_settings, clock).senders["teams"]
    with pytest.raises(DeliveryError, match="add the app to that chat first"):
        await sender.send(ConversationRef("teams", GROUP_CHAT.id), DIGEST)


@pytest.mark.parametrize(
    ("status", "code", "headers", "permanent", "wait", "says"),
    [
        (429, "TooManyRequests", {"Retry-After": "7"}, False, 7.0, "too many messages"),
        (429, "TooManyRequests", {}, False, 30.0, "too many messages"),
        (403, "BotNotInConversationRoster", {}, True, None, "removed from that chat"),
        (404, "ConversationNotFound", {}, True, None, "no longer exists"),
        (502, "ServiceError", {}, False, None, "Teams answered 502"),
    ],
)
async def test_delivery_failures_say_whether_and_when_to_retry(
    teams: Teams,
    people: Plan,
    connector: FakeConnector,
    engine: Engine,
    teams_settings: Settings,
    clock: FixedClock,
    status: int,
    code: str,
    headers: dict[str, str],
    permanent: bool,
    wait: float | None,
    says: str,
) -> None:
    await teams.post(payloads.bot_added(teams.service_url, KEVIN, GROUP_CHAT))
    connector.fail_next(status, code=code, headers=headers)
    sender = teams_app(engine, teams_settings, clock).senders["teams"]
    with pytest.raises(DeliveryError) as raised:
        await sender.send(ConversationRef("teams", GROUP_CHAT.id), Reply.text("Due tomorrow", tone=Tone.INFO))
    assert (raised.value.permanent, raised.value.retry_after) == (permanent, wait)
    assert says in str(raised.value) and code in str(raised.value)


@pytest.mark.parametrize(
    ("header", "seconds"),
    [("12", 12.0), ("0", 0.0), ("2.5", 2.5), ("Mon, 14 Jan 2019 10:31:00 GMT", 60.0), ("soon", 30.0), (None, 30.0)],
)
def test_retry_after_reads_seconds_or_a_date(header: str | None, seconds: float) -> None:
    assert retry_after(header, now=datetime(2019, 1, 14, 10, 30, tzinfo=UTC)) == seconds


def test_the_application_registers_the_teams_sender_when_teams_is_configured(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'wired.db'}"
    engine = make_engine(url)
    upgrade(engine)
    engine.dispose()
    configured = Settings(  # type: ignore[call-arg]
        database_url=url, microsoft_app_id="0b7e5f3a-1111-4222-8333-944455556666",
        microsoft_app_password=SecretStr("not-used-here"), _env_file=None,
    )
    assert build(configured).senders["teams"].platform == "teams"
    assert "teams" not in build(Settings(database_url=url, _env_file=None)).senders  # type: ignore[call-arg]


async def test_an_incomplete_stored_reference_is_a_permanent_failure(
    people: Plan, engine: Engine, teams_settings: Settings, clock: FixedClock
) -> None:
    app = teams_app(engine, teams_settings, clock)
    save(app.core.uow, GROUP_CHAT.id, None, {"channelId": "msteams"})
    sender = app.senders["teams"]
    with pytest.raises(DeliveryError, match="incomplete: add the app to that chat again") as raised:
        await sender.send(ConversationRef("teams", GROUP_CHAT.id), DIGEST)
    assert raised.value.permanent
