"""The Teams edge under a careless or hostile client: an activity that is not well formed is a 400 with one
WARNING line (never "Teams turn failed" with a traceback), ``Action.Execute`` works like ``Action.Submit``,
invokes the bot does not offer get a proper non-5xx answer, the bot's own mention is removed whatever its
text, and anonymous local mode only ever posts to this machine."""

from __future__ import annotations

import logging
from typing import Any

import pytest
from sqlalchemy import Engine

from bot.domain import Status
from tests.factories import PlanFactory
from tests.teams import payloads
from tests.teams.card_reading import text_of
from tests.teams.harness import DEB, KEVIN, OWEN, Plan, Teams
from tests.teams.payloads import BOT_ID, CHANNEL, GROUP_CHAT, TeamsUser, personal_chat
from tests.test_bad_input import snapshot


def tracebacks(caplog: pytest.LogCaptureFixture) -> list[logging.LogRecord]:
    return [r for r in caplog.records if r.exc_info or r.levelno >= logging.ERROR]


def warnings(caplog: pytest.LogCaptureFixture) -> list[str]:
    return [r.getMessage() for r in caplog.records if r.levelno == logging.WARNING and r.name.startswith("actionbot")]


def help_message(teams: Teams) -> dict[str, Any]:
    return payloads.message(teams.service_url, KEVIN, "help", personal_chat(KEVIN))


def without(activity: dict[str, Any], *path: str) -> dict[str, Any]:
    node = activity
    for key in path[:-1]:
        node = node[key]
    del node[path[-1]]
    return activity


def setting(activity: dict[str, Any], value: Any, *path: str) -> dict[str, Any]:
    node = activity
    for key in path[:-1]:
        node = node[key]
    node[path[-1]] = value
    return activity


@pytest.mark.parametrize(
    ("break_it", "reason"),
    [
        (lambda a: without(a, "from"), "from: Field required"),
        (lambda a: without(a, "conversation"), "conversation: Field required"),
        (lambda a: setting(a, None, "conversation", "id"), "conversation.id: Input should be a valid string"),
        (lambda a: setting(a, "", "conversation", "id"), "conversation.id: String should have at least 1 character"),
        (lambda a: setting(a, {"id": 42}, "from"), "from.id: Input should be a valid string"),
        (lambda a: without(a, "recipient"), "recipient: Field required"),
        (lambda a: without(a, "serviceUrl"), "serviceUrl: Field required"),
        (lambda a: setting(a, "ftp://x", "serviceUrl"), "serviceUrl: String should match pattern"),
        (lambda a: setting(a, 5, "text"), "text: Input should be a valid string"),
        (lambda a: setting(a, [{"type": "mention", "text": "<at>x</at>", "mentioned": "29:1"}], "entities"),
         "entities.0: Value error, a mention needs its text and mentioned.id as strings"),
        (lambda a: setting(a, [{"type": "mention", "mentioned": {"id": "29:1"}}], "entities"),
         "entities.0: Value error, a mention needs"),
        (lambda a: setting(a, [{"type": "mention", "text": 5, "mentioned": {"id": None}}], "entities"),
         "entities.0: Value error, a mention needs"),
        (lambda a: setting(a, "tenant", "channelData"), "channelData: Input should be a valid dictionary"),
        (lambda a: setting(a, {"team": "Finance"}, "channelData"), "channelData.team: Input should be a valid"),
        (lambda a: setting(a, None, "type"), "type: Input should be a valid string"),
    ],
)
async def test_an_activity_that_is_not_well_formed_is_a_400_with_one_warning(
    teams: Teams, people: Plan, engine: Engine, caplog: pytest.LogCaptureFixture, break_it: Any, reason: str
) -> None:
    before = snapshot(engine)
    status = await teams.post(break_it(help_message(teams)))
    assert status == 400
    assert teams.connector.calls == [] and snapshot(engine) == before
    assert tracebacks(caplog) == []
    [line] = warnings(caplog)
    assert line.startswith(f"refused a Teams activity: {reason}"), line


@pytest.mark.parametrize("body", [b"[1, 2]", b"null", b'"text"', b"{", b"[" * 100_000 + b"]" * 100_000])
async def test_a_body_that_is_not_an_activity_object_is_a_400(
    teams: Teams, people: Plan, caplog: pytest.LogCaptureFixture, body: bytes
) -> None:
    response = await teams.client.post("/api/messages", data=body, headers={"Content-Type": "application/json"})
    assert response.status == 400
    assert tracebacks(caplog) == []


# The bot's own mention ---------------------------------------------------------------------------------


@pytest.mark.parametrize("written", ["<at>Action Bot</at>", "<at>actionbot (Bromsgrove)</at>", "<at>ACTIONBOT</at>"])
async def test_the_bots_mention_is_removed_by_its_id_whatever_its_text(
    teams: Teams, people: Plan, written: str
) -> None:
    entity = {"type": "mention", "text": "<at>actionbot</at>", "mentioned": {"id": BOT_ID, "name": "actionbot"}}
    activity = payloads.message(teams.service_url, DEB, f"{written} help", GROUP_CHAT, mentions=[entity])
    assert await teams.post(activity) == 200
    assert teams.connector.last_card()["body"][0]["text"] == "actionbot commands"


async def test_a_renamed_bot_mention_before_a_user_mention_leaves_the_user_mention(
    teams: Teams, people: Plan, plan: PlanFactory
) -> None:
    plan.action(people.kevin, due_in=-3, text="Refresh the Corporate Plan")
    bot = {"type": "mention", "text": "<at>actionbot</at>", "mentioned": {"id": BOT_ID, "name": "actionbot"}}
    tag, kevin = KEVIN.mention()
    activity = payloads.message(teams.service_url, DEB, f"<at>Plans Bot</at> overdue {tag}", CHANNEL,
                                mentions=[bot, kevin])
    assert await teams.post(activity) == 200
    text = text_of(teams.connector.last_card())
    assert "Refresh the Corporate Plan" in text and "I don't know the command" not in text


# Invokes --------------------------------------------------------------------------------------------------


def execute(teams: Teams, data: Any, *, card_id: str | None = "1:0001", action_type: str = "Action.Execute",
            name: str = "adaptiveCard/action", user: TeamsUser = KEVIN) -> dict[str, Any]:
    activity = payloads.card_submit(teams.service_url, user, personal_chat(user), {}, card_id=card_id)
    activity.update(type="invoke", name=name, value={"action": {"type": action_type, "verb": "press", "data": data},
                                                     "trigger": "manual"})
    return activity


async def invoke(teams: Teams, activity: dict[str, Any]) -> tuple[int, Any]:
    response = await teams.client.post("/api/messages", json=activity)
    body = await response.json() if response.content_type == "application/json" else await response.text()
    return response.status, body


async def test_action_execute_is_handled_like_action_submit_and_answers_with_the_new_card(
    teams: Teams, people: Plan, plan: PlanFactory
) -> None:
    action = plan.action(people.kevin, due_in=5)
    status, body = await invoke(teams, execute(teams, {"intent": "done", "action_id": action.id}))
    assert status == 200
    assert body["statusCode"] == 200 and body["type"] == "application/vnd.microsoft.card.adaptive"
    assert f"#{action.id} · Green · Done" in text_of(body["value"])
    assert plan.get(action.id or 0).status is Status.DONE
    assert teams.connector.sent() == [], "the card is replaced by the invoke response itself"


async def test_action_execute_of_the_update_form_saves_it(teams: Teams, people: Plan, plan: PlanFactory) -> None:
    action = plan.action(people.kevin, due_in=5)
    data = {"intent": "form", "action_id": action.id, "status": "at_risk", "percent": "40", "note": "legal review"}
    status, body = await invoke(teams, execute(teams, data))
    assert status == 200 and body["type"] == "application/vnd.microsoft.card.adaptive"
    saved = plan.get(action.id or 0)
    assert (saved.status, saved.percent_complete, saved.latest_note) == (Status.AT_RISK, 40, "legal review")


async def test_action_execute_of_a_form_opened_from_a_list_draws_the_list_again_in_its_card(
    teams: Teams, people: Plan, plan: PlanFactory
) -> None:
    action = plan.action(people.kevin, due_in=5, text="Refresh the Corporate Plan")
    data = {"intent": "form", "action_id": action.id, "view": f"c:{action.id}|mine", "card": "1:0042",
            "status": "on_track", "percent": "30"}
    status, body = await invoke(teams, execute(teams, data, card_id="1:0043"))
    assert status == 200 and body["type"] == "application/vnd.microsoft.card.adaptive"
    assert f"Recorded: #{action.id} is now On track · 30%," in text_of(body["value"]), "the form's card: what it did"
    [listed] = teams.connector.updates()
    assert listed.activity_id == "1:0042" and "Your actions" in text_of(listed.card)
    assert f"Recorded: #{action.id} is now On track · 30%," in text_of(listed.card)


async def test_action_execute_that_is_refused_answers_with_a_message(
    teams: Teams, people: Plan, plan: PlanFactory
) -> None:
    action = plan.action(people.deb, due_in=5)  # Owen (a union rep) may read it, not change it
    status, body = await invoke(teams, execute(teams, {"intent": "done", "action_id": action.id}, user=OWEN))
    assert status == 200 and body["type"] == "application/vnd.microsoft.activity.message"
    [sent] = teams.connector.sent()
    assert f"You can't update #{action.id}" in text_of(sent.card)
    assert plan.get(action.id or 0).status is Status.NOT_STARTED


@pytest.mark.parametrize(
    "value",
    [None, "press", [1], {"action": "x"}, {"action": {"type": "Action.Submit", "data": {}}},
     {"action": {"type": "Action.Execute", "data": "x"}}, {"trigger": "manual"}],
)
async def test_action_execute_with_a_bad_value_is_a_400_invoke_response(
    teams: Teams, people: Plan, engine: Engine, caplog: pytest.LogCaptureFixture, value: Any
) -> None:
    before = snapshot(engine)
    activity = execute(teams, {})
    activity["value"] = value
    status, body = await invoke(teams, activity)
    assert status == 400
    assert body["statusCode"] == 400 and body["type"] == "application/vnd.microsoft.error"
    assert "I can't read that card" in body["value"]["message"]
    assert snapshot(engine) == before and tracebacks(caplog) == []
    [line] = warnings(caplog)
    assert line.startswith("refused a Teams Action.Execute: ")


@pytest.mark.parametrize("data", [{}, {"intent": "finish", "action_id": 1}, {"intent": "done", "action_id": True},
                                  {"intent": "done", "action_id": "99999999999"},
                                  {"intent": "form", "action_id": 1, "view": "c:1|mine", "card": "../1:0001"},
                                  {"intent": "form", "action_id": 1, "view": "c:1|mine", "card": 42}])
async def test_action_execute_of_a_card_we_cannot_read_says_so(
    teams: Teams, people: Plan, engine: Engine, caplog: pytest.LogCaptureFixture, data: dict[str, Any]
) -> None:
    before = snapshot(engine)
    status, body = await invoke(teams, execute(teams, data))
    assert status == 200
    assert body["type"] == "application/vnd.microsoft.activity.message"
    assert body["value"].startswith("I can't read that card")
    assert snapshot(engine) == before and tracebacks(caplog) == []


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("task/fetch", {"task": {"type": "message", "value": "actionbot has no dialogs or message extensions: "
                                                             "mention it and type `help`."}}),
        ("task/submit", {"task": {"type": "message", "value": "actionbot has no dialogs or message extensions: "
                                                              "mention it and type `help`."}}),
        ("composeExtension/query", {"composeExtension": {"type": "message", "text": "actionbot has no dialogs or "
                                                         "message extensions: mention it and type `help`."}}),
        ("config/fetch", ""),
        ("signin/verifyState", ""),
        ("something/new", ""),
    ],
)
async def test_an_invoke_the_bot_does_not_offer_gets_a_200_never_a_501(
    teams: Teams, people: Plan, caplog: pytest.LogCaptureFixture, name: str, expected: Any
) -> None:
    activity = execute(teams, {}, name=name)
    status, body = await invoke(teams, activity)
    assert status == 200
    assert body == expected
    assert tracebacks(caplog) == [] and warnings(caplog) == []


# Anonymous local mode --------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "service_url",
    ["https://smba.trafficmanager.net/emea/", "http://attacker.example:3978/", "http://10.0.0.5/",
     "http://127.0.0.1.attacker.example/", "http://[2001:db8::1]/"],
)
async def test_anonymous_mode_only_posts_to_this_machine(
    teams: Teams, people: Plan, engine: Engine, caplog: pytest.LogCaptureFixture, service_url: str
) -> None:
    before = snapshot(engine)
    activity = payloads.message(service_url, KEVIN, "help", personal_chat(KEVIN))
    assert await teams.post(activity) == 403
    assert teams.connector.calls == [] and snapshot(engine) == before
    [line] = warnings(caplog)
    assert line.startswith("refused a Teams activity: anonymous mode only answers a serviceUrl on this machine")


async def test_anonymous_mode_answers_localhost_and_loopback_addresses(teams: Teams, people: Plan) -> None:
    assert teams.service_url.startswith("http://127.0.0.1:")
    localhost = teams.service_url.replace("127.0.0.1", "localhost")
    assert await teams.post(payloads.message(localhost, KEVIN, "help", personal_chat(KEVIN))) == 200
    assert teams.connector.last_card()["body"][0]["text"] == "actionbot commands"


async def test_an_invoke_from_another_bot_framework_channel_is_acknowledged_and_ignored(
    teams: Teams, people: Plan, engine: Engine, caplog: pytest.LogCaptureFixture
) -> None:
    before = snapshot(engine)
    activity = execute(teams, {"intent": "done", "action_id": 1})
    activity["channelId"] = "webchat"
    status, body = await invoke(teams, activity)
    assert (status, body) == (200, "")
    assert snapshot(engine) == before and teams.connector.calls == []
    [line] = warnings(caplog)
    assert line.startswith("refused an activity (invoke): channel 'webchat' is not Teams")
