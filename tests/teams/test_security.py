"""With ``MICROSOFT_APP_ID`` set, every activity's token is checked; without it Teams only runs when anonymous
testing is allowed, and says so loudly. Secrets never reach the logs.

Tokens here are real RS256 JWTs checked by botframework-connector against keys it fetches from a fake
OpenID endpoint on 127.0.0.1 (``ChannelValidation.open_id_metadata_endpoint``, the library's own
setting). What is not tested: outbound calls with an app id, which need a token from
login.microsoftonline.com (unreachable here); the proactive path is tested anonymously instead.
"""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator, Iterator

import pytest
from aiohttp.test_utils import TestClient, TestServer
from botframework.connector.auth import ChannelValidation
from pydantic import SecretStr
from sqlalchemy import Engine
from sqlmodel import select

from adapters.bootstrap import App
from adapters.web import build_web_app
from bot.clock import FixedClock
from bot.core import Core
from bot.domain import Status
from bot.settings import Settings
from store.models import Action, Conversation
from store.session import transaction
from tests.factories import PlanFactory
from tests.teams import payloads
from tests.teams.fake_connector import FakeConnector
from tests.teams.harness import DEB, KEVIN, Plan, Teams, teams_app
from tests.teams.payloads import GROUP_CHAT, personal_chat
from tests.teams.tokens import OpenIdEndpoint, SigningKey

APP_ID = "0b7e5f3a-1111-4222-8333-944455556666"
PASSWORD = "Zq8~c0nf1dential.client-secret_42"


@pytest.fixture(scope="module")
def key() -> SigningKey:
    return SigningKey()


@pytest.fixture
def openid(key: SigningKey, monkeypatch: pytest.MonkeyPatch) -> Iterator[OpenIdEndpoint]:
    with OpenIdEndpoint(key) as endpoint:
        monkeypatch.setattr(ChannelValidation, "open_id_metadata_endpoint", endpoint.metadata_url)
        yield endpoint


@pytest.fixture
def secured_settings(settings: Settings) -> Settings:
    secrets = {"microsoft_app_id": APP_ID, "microsoft_app_password": SecretStr(PASSWORD)}
    return settings.model_copy(update={**secrets, "teams_allow_anonymous": False})


@pytest.fixture
async def secured(
    engine: Engine, secured_settings: Settings, clock: FixedClock, connector: FakeConnector, openid: OpenIdEndpoint
) -> AsyncIterator[Teams]:
    async with TestClient(TestServer(build_web_app(teams_app(engine, secured_settings, clock)))) as client:
        yield Teams(client, connector)


@pytest.fixture
def action(plan: PlanFactory, people: Plan) -> Action:
    return plan.action(people.deb, due_in=-3, text="Publish the communications strategy")


def _nothing_changed(engine: Engine, plan: PlanFactory, action: Action, connector: FakeConnector) -> None:
    stored = plan.get(action.id or 0)
    assert (stored.status, stored.version) == (Status.NOT_STARTED, 1)
    assert len(plan.updates(action.id or 0)) == 1
    with transaction(engine, write=False) as session:
        assert list(session.exec(select(Conversation))) == []
    assert connector.calls == []


def _bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


async def test_an_activity_without_a_token_is_refused_and_changes_nothing(
    secured: Teams, action: Action, plan: PlanFactory, engine: Engine
) -> None:
    done = payloads.message(secured.service_url, DEB, f"done {action.id}", personal_chat(DEB))
    assert await secured.post(done) == 401
    _nothing_changed(engine, plan, action, secured.connector)


@pytest.mark.parametrize(
    "authorization",
    ["Bearer not-a-jwt", "Bearer ", "Basic ZGViOnBvb2xl", "Bearer a.b.c", "bearer"],
)
async def test_a_malformed_authorization_header_is_refused(
    secured: Teams, action: Action, plan: PlanFactory, engine: Engine, authorization: str
) -> None:
    done = payloads.message(secured.service_url, DEB, f"done {action.id}", personal_chat(DEB))
    assert await secured.post(done, headers={"Authorization": authorization}) == 401
    _nothing_changed(engine, plan, action, secured.connector)


@pytest.mark.parametrize(
    "forgery",
    ["signed by another key", "for another app", "for another service URL", "expired", "from another issuer"],
)
async def test_a_forged_or_misdirected_token_is_refused(
    secured: Teams, key: SigningKey, action: Action, plan: PlanFactory, engine: Engine, forgery: str
) -> None:
    url = secured.service_url
    tokens = {
        "signed by another key": lambda: SigningKey(kid=key.kid).token(app_id=APP_ID, service_url=url),
        "for another app": lambda: key.token(app_id="11111111-2222-4333-8444-555555555555", service_url=url),
        "for another service URL": lambda: key.token(app_id=APP_ID, service_url="https://attacker.example/"),
        "expired": lambda: key.token(app_id=APP_ID, service_url=url, lifetime=-600),
        "from another issuer": lambda: key.token(app_id=APP_ID, service_url=url, issuer="https://sts.example/"),
    }
    done = payloads.message(url, DEB, f"done {action.id}", personal_chat(DEB))
    assert await secured.post(done, headers=_bearer(tokens[forgery]())) == 401
    _nothing_changed(engine, plan, action, secured.connector)


async def test_a_token_signed_by_the_bot_framework_is_accepted(
    secured: Teams, key: SigningKey, people: Plan, engine: Engine
) -> None:
    """A member joining needs no outbound call (which would need a token from Microsoft): the reference is kept."""
    joined = payloads.member_joined(secured.service_url, DEB, GROUP_CHAT)
    assert await secured.post(joined, headers=_bearer(key.token(app_id=APP_ID, service_url=secured.service_url))) == 200
    with transaction(engine, write=False) as session:
        assert [row.key for row in session.exec(select(Conversation))] == [GROUP_CHAT.id]


async def test_when_the_signing_keys_cannot_be_fetched_the_answer_is_503(
    secured: Teams, key: SigningKey, action: Action, plan: PlanFactory, engine: Engine,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """The Bot Framework retries on a 5xx: an outage of the key endpoint must not look like a forgery."""
    monkeypatch.setattr(ChannelValidation, "open_id_metadata_endpoint", "http://127.0.0.1:9/.well-known/openid")
    done = payloads.message(secured.service_url, DEB, f"done {action.id}", personal_chat(DEB))
    token = key.token(app_id=APP_ID, service_url=secured.service_url)
    assert await secured.post(done, headers=_bearer(token)) == 503
    _nothing_changed(engine, plan, action, secured.connector)


async def test_the_app_password_and_tokens_never_reach_the_logs(
    engine: Engine, secured_settings: Settings, clock: FixedClock, connector: FakeConnector, openid: OpenIdEndpoint,
    key: SigningKey, people: Plan, caplog: pytest.LogCaptureFixture,
) -> None:
    caplog.set_level(logging.DEBUG)
    token = key.token(app_id=APP_ID, service_url=connector.service_url)
    forged = SigningKey(kid=key.kid).token(app_id=APP_ID, service_url=connector.service_url)
    async with TestClient(TestServer(build_web_app(teams_app(engine, secured_settings, clock)))) as client:
        teams = Teams(client, connector)
        await teams.post(payloads.member_joined(connector.service_url, DEB, GROUP_CHAT), headers=_bearer(token))
        await teams.post(payloads.message(connector.service_url, KEVIN, "help", GROUP_CHAT), headers=_bearer(forged))
        await teams.post(payloads.message(connector.service_url, KEVIN, "help", GROUP_CHAT))
    logged = caplog.text + "".join(repr(record.args) for record in caplog.records)
    assert "refused a Teams activity" in logged and APP_ID in logged  # the log did speak, and the app id is no secret
    for secret in (PASSWORD, token, forged, token.split(".")[2]):
        assert secret not in logged


async def test_anonymous_mode_is_announced_loudly_at_start_up(
    engine: Engine, teams_settings: Settings, clock: FixedClock, caplog: pytest.LogCaptureFixture
) -> None:
    build_web_app(teams_app(engine, teams_settings, clock))
    [warning] = [r for r in caplog.records if r.levelno == logging.WARNING and r.name == "actionbot.teams"]
    assert "ANONYMOUS MODE" in warning.getMessage() and "For local testing only" in warning.getMessage()


async def test_without_an_app_id_or_anonymous_permission_there_is_no_teams_endpoint(
    engine: Engine, settings: Settings, clock: FixedClock
) -> None:
    assert not settings.teams_enabled
    without_teams = App(settings, engine, Core(engine, settings, clock))
    async with TestClient(TestServer(build_web_app(without_teams))) as client:
        response = await client.post("/api/messages", json={"type": "message"})
        assert response.status == 404


@pytest.mark.parametrize(
    ("body", "content_type", "status"),
    [
        (b"type=message", "application/x-www-form-urlencoded", 415),
        (b"{not json", "application/json", 400),
        (b"[1, 2]", "application/json", 400),
        (b'{"text": "no type"}', "application/json", 400),
    ],
)
async def test_what_is_not_an_activity_is_refused(
    teams: Teams, people: Plan, body: bytes, content_type: str, status: int
) -> None:
    response = await teams.client.post("/api/messages", data=body, headers={"Content-Type": content_type})
    assert response.status == status
    assert teams.connector.calls == []


@pytest.mark.parametrize("body", [b"{", b"null", b'{"type": "message", "from": 5}'])
async def test_without_a_bearer_token_nothing_of_the_body_is_read(
    secured: Teams, people: Plan, action: Action, engine: Engine, plan: PlanFactory, body: bytes,
    caplog: pytest.LogCaptureFixture,
) -> None:
    response = await secured.client.post("/api/messages", data=body, headers={"Content-Type": "application/json"})
    assert response.status == 401, "refused for its missing token, not for its body"
    _nothing_changed(engine, plan, action, secured.connector)
    assert not [r for r in caplog.records if r.exc_info or r.levelno >= logging.ERROR]


async def test_with_authentication_on_a_remote_service_url_is_the_tokens_business(
    secured: Teams, people: Plan, key: SigningKey, connector: FakeConnector
) -> None:
    token = key.token(app_id=APP_ID, service_url=connector.service_url)
    activity = payloads.message(connector.service_url, KEVIN, "help", personal_chat(KEVIN))
    assert await secured.post(activity, headers={"Authorization": f"Bearer {token}"}) == 200
    other = payloads.message("https://smba.trafficmanager.net/emea/", KEVIN, "help", personal_chat(KEVIN))
    assert await secured.post(other, headers={"Authorization": f"Bearer {token}"}) == 401, "the token names its URL"
