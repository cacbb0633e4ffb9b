"""Fuzzing Teams through the real aiohttp app (anonymous local mode, replies reaching the fake connector):
activities of every kind the bot sees, with fields dropped, nulled or retyped, mentions malformed, card
data and invoke values of any shape, and message text of any content. The properties: never a 5xx, never
a traceback in the log, nothing written for a refused activity, the server still healthy."""

from __future__ import annotations

import json
from typing import Any

import pytest
from hypothesis import event, given
from hypothesis import strategies as st
from sqlalchemy import Engine

from tests.fuzz.conftest import FUZZ
from tests.fuzz.strategies import COMMAND_TEXT, JSON, mutated
from tests.fuzz.test_slack_fuzz import LogWatch, state
from tests.teams import payloads
from tests.teams.harness import DEB, KEVIN, Plan, Teams
from tests.teams.payloads import CHANNEL, GROUP_CHAT, personal_chat


def bases(teams: Teams, text: str) -> list[dict[str, Any]]:
    """One of each activity the bot handles, as Teams sends them."""
    url = teams.service_url
    tag, deb = DEB.mention()
    bot_tag, bot = payloads.bot_mention()
    execute = payloads.card_submit(url, KEVIN, personal_chat(KEVIN), {}, card_id="1:0001")
    execute.update(type="invoke", name="adaptiveCard/action",
                   value={"action": {"type": "Action.Execute", "data": {"intent": "done", "action_id": 1}}})
    return [
        payloads.message(url, KEVIN, text, personal_chat(KEVIN)),
        payloads.message(url, DEB, f"{bot_tag} overdue {tag} {text}", CHANNEL, mentions=[bot, deb]),
        payloads.card_submit(url, KEVIN, personal_chat(KEVIN), {"intent": "done", "action_id": 1}, card_id="1:0001"),
        payloads.card_submit(url, KEVIN, personal_chat(KEVIN),
                             {"intent": "form", "action_id": 1, "status": "at_risk", "percent": "40"},
                             card_id="1:0002"),
        execute,
        payloads.bot_added(url, DEB, GROUP_CHAT),
        payloads.installation(url, DEB, GROUP_CHAT, "add"),
    ]


def tame(activity: Any, teams: Teams) -> Any:
    """Keep the bot's replies on the fake connector: a ``serviceUrl`` elsewhere on this machine is made
    remote (refused 403 in anonymous mode), so the test never posts anywhere but the fake."""
    if isinstance(activity, dict) and isinstance(activity.get("serviceUrl"), str):
        url = activity["serviceUrl"]
        if url != teams.service_url and any(host in url for host in ("127.", "localhost", "[::1]", "0.0.0.0")):
            activity["serviceUrl"] = "https://smba.trafficmanager.net/emea/"
    return activity


@FUZZ
@given(data=st.data(), text=COMMAND_TEXT)
async def test_fuzzed_teams_activities(
    teams: Teams, people: Plan, engine: Engine, caplog: pytest.LogCaptureFixture, data: st.DataObject, text: str
) -> None:
    watch = LogWatch(caplog)
    watch.seen = len(caplog.records)
    base = data.draw(st.sampled_from(bases(teams, text)))
    activity: Any = data.draw(st.one_of(mutated(base), st.just(base), JSON))
    activity = tame(activity, teams)
    before = state(engine)
    response = await teams.client.post("/api/messages", data=json.dumps(activity),
                                       headers={"Content-Type": "application/json"})
    await response.read()
    event(f"HTTP {response.status}")
    assert response.status < 500, (response.status, json.dumps(activity)[:500])
    assert watch.bugs() == [], json.dumps(activity)[:500]
    if 400 <= response.status < 500:
        assert state(engine) == before, "a refused activity wrote something"
    assert (await teams.client.get("/healthz")).status == 200


async def test_after_bad_activities_the_teams_endpoint_still_answers(teams: Teams, people: Plan) -> None:
    for body in (b"{", b"null", b"[]", json.dumps({"type": "message"}).encode()):
        response = await teams.client.post("/api/messages", data=body, headers={"Content-Type": "application/json"})
        assert response.status == 400
    assert (await teams.client.get("/readyz")).status == 200
    card = await teams.say(KEVIN, "help")
    assert card["body"][0]["text"] == "actionbot commands"
