"""The drain delivers to Teams through the real Teams sender and the fake Bot Framework connector over HTTP:
into a channel the app was added to, and to a person's 1:1 chat (the stored one, or one created through the
Bot Framework); with an app id and password, the app's token comes from the (fake) login endpoint and reaches
the connector as a bearer token."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import Engine

from adapters.teams.references import load, save
from adapters.teams.sender import TeamsSender
from bot.clock import FixedClock
from bot.core import Core
from bot.settings import Settings
from bot.unit_of_work import UnitOfWork
from scheduler.drain import DrainReport
from tests.scheduler.drain_support import drain, queue, rows
from tests.teams import payloads
from tests.teams.card_reading import text_of
from tests.teams.fake_connector import FakeConnector
from tests.teams.harness import DEB, KEVIN, Plan, Teams
from tests.teams.payloads import BOT_ID, CHANNEL, TENANT, personal_chat
from tests.teams.tokens import TokenEndpoint

APP_ID = "5e1f0c1d-0000-4000-8000-00000000b07a"
PASSWORD = "app-5ecret-for-the-fake-login"


def sender(engine: Engine, settings: Settings, clock: FixedClock) -> TeamsSender:
    return TeamsSender.from_settings(settings, Core(engine, settings, clock).uow)


async def test_a_digest_goes_into_the_channel_the_app_was_added_to(
    teams: Teams, people: Plan, engine: Engine, teams_settings: Settings, clock: FixedClock, connector: FakeConnector
) -> None:
    await teams.post(payloads.bot_added(teams.service_url, KEVIN, CHANNEL))
    queue(engine, teams_settings, clock, ("digest:1:2019-01-14", "teams", CHANNEL.id), kind="digest")
    before = len(connector.sent())
    report = await drain(engine, clock, teams_settings, {"teams": sender(engine, teams_settings, clock)}).run_once()
    assert report == DrainReport(sent=1)
    [post] = connector.sent()[before:]
    assert post.conversation_id == CHANNEL.id and "digest:1:2019-01-14" in text_of(post.card)
    assert rows(engine, teams_settings, clock)["digest:1:2019-01-14"].state == "sent"


async def test_a_nudge_to_a_person_goes_into_their_stored_one_to_one_chat(
    teams: Teams, people: Plan, engine: Engine, teams_settings: Settings, clock: FixedClock, connector: FakeConnector
) -> None:
    await teams.say(DEB, "help")  # Deb has talked to the bot: her 1:1 chat's reference is stored
    queue(engine, teams_settings, clock, ("nudge:deb", "teams", f"user:{DEB.aad}"))
    before = len(connector.sent())
    report = await drain(engine, clock, teams_settings, {"teams": sender(engine, teams_settings, clock)}).run_once()
    assert report == DrainReport(sent=1)
    [post] = connector.sent()[before:]
    assert post.conversation_id == personal_chat(DEB).id and "nudge:deb" in text_of(post.card)
    assert connector.created() == [], "no new chat when one is stored"


async def test_a_person_who_never_talked_to_the_bot_gets_a_new_one_to_one_chat_created_once(
    teams: Teams, people: Plan, engine: Engine, teams_settings: Settings, clock: FixedClock, connector: FakeConnector
) -> None:
    await teams.post(payloads.bot_added(teams.service_url, DEB, CHANNEL))  # the tenant's one stored reference
    queue(engine, teams_settings, clock, ("nudge:kevin:1", "teams", f"user:{KEVIN.aad}"))
    the_drain = drain(engine, clock, teams_settings, {"teams": sender(engine, teams_settings, clock)})
    before = len(connector.sent())

    assert await the_drain.run_once() == DrainReport(sent=1)
    [created] = connector.created()
    assert created.body["members"] == [{"id": KEVIN.aad, "aadObjectId": KEVIN.aad}]
    assert created.body["channelData"] == {"tenant": {"id": TENANT}}, "Teams needs the tenant to create a chat"
    assert created.body["bot"]["id"] == BOT_ID
    assert created.body["isGroup"] is False
    [post] = connector.sent()[before:]
    assert post.conversation_id.startswith("a:1created-") and "nudge:kevin:1" in text_of(post.card)
    stored = load(UnitOfWork(engine, clock, teams_settings), f"user:{KEVIN.aad}")
    assert stored is not None and stored["conversation"]["id"] == post.conversation_id

    queue(engine, teams_settings, clock, ("nudge:kevin:2", "teams", f"user:{KEVIN.aad}"))
    assert await the_drain.run_once() == DrainReport(sent=1)
    assert len(connector.created()) == 1, "the created chat is kept and used again"
    assert connector.sent()[-1].conversation_id == post.conversation_id


async def test_a_person_on_a_tenant_the_bot_was_never_installed_in_is_dead_saying_why(
    people: Plan, engine: Engine, teams_settings: Settings, clock: FixedClock, connector: FakeConnector
) -> None:
    queue(engine, teams_settings, clock, ("nudge:kevin", "teams", f"user:{KEVIN.aad}"))
    report = await drain(engine, clock, teams_settings, {"teams": sender(engine, teams_settings, clock)}).run_once()
    assert report == DrainReport(dead=1)
    row = rows(engine, teams_settings, clock)["nudge:kevin"]
    assert row.state == "dead" and f"no conversation reference for user:{KEVIN.aad}" in (row.last_error or "")
    assert connector.calls == []


def _channel_reference(connector: FakeConnector) -> dict[str, object]:
    return {
        "bot": {"id": BOT_ID, "name": "actionbot"},
        "conversation": {"id": CHANNEL.id, "conversationType": "channel", "tenantID": TENANT, "isGroup": True},
        "channelId": "msteams",
        "serviceUrl": connector.service_url,
    }


@pytest.fixture
def login(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> TokenEndpoint:
    with TokenEndpoint(tmp_path, app_id=APP_ID, password=PASSWORD) as endpoint:
        monkeypatch.setenv("REQUESTS_CA_BUNDLE", str(endpoint.ca_file))  # trust its self-signed certificate
        yield endpoint  # type: ignore[misc]


def _app_settings(settings: Settings, login: TokenEndpoint, password: str = PASSWORD) -> Settings:
    return Settings(
        database_url=settings.database_url,
        microsoft_app_id=APP_ID,
        microsoft_app_password=password,
        teams_token_authority=login.authority,
        _env_file=None,  # type: ignore[call-arg]
    )


async def test_with_an_app_id_and_password_the_token_from_the_login_endpoint_reaches_the_connector(
    engine: Engine, settings: Settings, clock: FixedClock, connector: FakeConnector, login: TokenEndpoint
) -> None:
    app_settings = _app_settings(settings, login)
    save(UnitOfWork(engine, clock, app_settings), CHANNEL.id, "Finance Team", _channel_reference(connector))
    queue(engine, app_settings, clock, ("digest:1", "teams", CHANNEL.id), kind="digest")

    report = await drain(engine, clock, app_settings, {"teams": sender(engine, app_settings, clock)}).run_once()

    assert report == DrainReport(sent=1)
    [grant] = login.requests
    assert grant["grant_type"] == "client_credentials" and grant["client_id"] == APP_ID
    assert grant["scope"] == "https://api.botframework.com/.default"
    [post] = connector.sent()
    assert post.authorization == f"Bearer {login.token}"


async def test_a_wrong_app_password_is_retried_later_not_dropped(
    engine: Engine, settings: Settings, clock: FixedClock, connector: FakeConnector, login: TokenEndpoint
) -> None:
    app_settings = _app_settings(settings, login, password="not-the-5ecret")
    save(UnitOfWork(engine, clock, app_settings), CHANNEL.id, None, _channel_reference(connector))
    queue(engine, app_settings, clock, ("digest:1", "teams", CHANNEL.id), kind="digest")

    report = await drain(engine, clock, app_settings, {"teams": sender(engine, app_settings, clock)}).run_once()

    assert report == DrainReport(retried=1), "an operator can fix the secret: the message waits for it"
    row = rows(engine, app_settings, clock)["digest:1"]
    assert "invalid_client" in (row.last_error or "") and "not-the-5ecret" not in (row.last_error or "")
    assert connector.calls == []
