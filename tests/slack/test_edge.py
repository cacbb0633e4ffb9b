"""The Slack edge under attack and under a careless client: nothing unsigned is parsed (401), a signed body
that is not what Slack sends is a 400 with one WARNING line and a reference, a button or form that is not
ours as it is today gets a short answer, and every authentic delivery actionbot does not act on is
acknowledged with 200 (Slack switches off an app's events when too many deliveries fail)."""

from __future__ import annotations

import json
import logging
import re
import time
from typing import Any
from urllib.parse import quote, urlencode

import pytest
from sqlalchemy import Engine

from adapters.slack.models import OriginData
from bot.domain import Status
from tests.factories import PlanFactory
from tests.slack.conftest import Council, Server
from tests.slack.driver import Message, sign
from tests.slack.helpers import shown, update_rows
from tests.test_bad_input import snapshot


def tracebacks(caplog: pytest.LogCaptureFixture) -> list[logging.LogRecord]:
    return [r for r in caplog.records if r.exc_info or r.levelno >= logging.ERROR]


def warnings(caplog: pytest.LogCaptureFixture) -> list[str]:
    return [r.getMessage() for r in caplog.records if r.levelno == logging.WARNING and r.name.startswith("actionbot")]


# Before the signature: nothing is parsed --------------------------------------------------------------


@pytest.mark.parametrize(
    ("body", "headers"),
    [
        ("payload=%7B", {}),
        ("payload=null", {}),
        ("payload=%22text%22", {}),
        ("{not json", {}),
        ("payload=%7B", {"X-Slack-Request-Timestamp": "yesterday", "X-Slack-Signature": "v0=00"}),
        ("payload=%7B", {"X-Slack-Request-Timestamp": "1e9", "X-Slack-Signature": "v0=00"}),
        ("payload=%7B", {"X-Slack-Request-Timestamp": "99999999999999999999", "X-Slack-Signature": "v0=00"}),
        ("text=done+2", {"X-Slack-Request-Timestamp": "{now}", "X-Slack-Signature": "v0=ü"}),
        ("text=done+2", {"X-Slack-Request-Timestamp": "{now}", "X-Slack-Signature": ""}),
        ("\udcff", {}),
    ],
)
async def test_an_unsigned_or_badly_signed_request_is_refused_401_before_its_body_is_read(
    slack: Server, council: Council, engine: Engine, caplog: pytest.LogCaptureFixture, body: str,
    headers: dict[str, str],
) -> None:
    caplog.set_level(logging.DEBUG)
    before = snapshot(engine)
    stamp = str(int(time.time()))
    sent = {name: value.replace("{now}", stamp) for name, value in headers.items()}
    response = await slack.client.post(
        "/slack/events", data=body.encode("utf-8", "surrogateescape"),
        headers={"Content-Type": "application/x-www-form-urlencoded", **sent},
    )
    assert response.status == 401
    assert snapshot(engine) == before and slack.fake.calls == []
    assert tracebacks(caplog) == []
    [line] = warnings(caplog)
    assert line.startswith("refused a Slack request from 127.0.0.1: ") and re.search(r"\(ref [0-9a-f]{12}\)$", line)


# Signed, but not what Slack sends: 400 ----------------------------------------------------------------


MALFORMED = [
    ("payload=%7B", "payload is not JSON"),
    ("payload=null", "payload is a JSON NoneType, not an object"),
    ("payload=%22text%22", "payload is a JSON str, not an object"),
    ("payload=%5B1%2C2%5D", "payload is a JSON list, not an object"),
    ("payload=42", "payload is a JSON int, not an object"),
    ("payload=" + quote(json.dumps({"type": 7})), "the payload's type is not a string"),
    ("payload=" + quote(json.dumps({"user": {"id": "U0KEVIN"}})), "the payload has no type"),
    ("payload=" + quote(json.dumps({"type": "view_submission", "user": {"id": "U0KEVIN"}, "view": "x"})),
     "view_submission is malformed: view: Input should be a valid dictionary"),
    ("payload=" + quote(json.dumps({"type": "block_actions", "user": {"id": 42}, "actions": []})),
     "block_actions is malformed: user.id: Input should be a valid string"),
    ("payload=" + quote(json.dumps({"type": "block_actions", "user": "U0KEVIN", "actions": [{}]})),
     "block_actions is malformed: user: Input should be a valid dictionary"),
    ("payload=%7B%7D&text=x", "an interaction carries nothing but its payload"),
    ("command=%2Factions&text=mine&user_id=U0KEVIN&user_id=U0DEB", "form field 'user_id' is given twice"),
    ("command=%2Factions&text=mine&user_id=not+a+user", "slash command is malformed: user_id: String should match"),
    ("hello=world", "the payload has no type"),
]


@pytest.mark.parametrize(("body", "reason"), MALFORMED)
async def test_a_signed_body_that_is_not_what_slack_sends_is_a_400_with_one_warning(
    slack: Server, council: Council, engine: Engine, caplog: pytest.LogCaptureFixture, body: str, reason: str
) -> None:
    before = snapshot(engine)
    answer = await slack.deliver(body)
    assert answer.status == 400
    assert answer.json["error"].startswith(reason)
    assert snapshot(engine) == before
    assert tracebacks(caplog) == []
    [line] = warnings(caplog)
    assert line.startswith(f"refused a signed Slack request: {reason}")
    assert f"(ref {answer.json['ref']})" in line


async def test_a_signed_body_in_another_content_type_is_a_415(slack: Server, council: Council) -> None:
    answer = await slack.deliver("<xml/>", content_type="text/xml")
    assert answer.status == 415


async def test_a_command_whose_text_says_payload_is_read_as_a_command(slack: Server, council: Council) -> None:
    answer = await slack.command("note 2 the payload arrived on Tuesday", user="U0KEVIN")
    assert answer.status == 200
    assert "Note added to #2." in shown(answer.blocks), "bolt would have guessed this body was an empty interaction"


# Authentic deliveries actionbot does not act on: 200 -------------------------------------------------


@pytest.mark.parametrize(
    ("body", "content_type"),
    [
        (json.dumps({"token": "x", "team_id": "T0COUNCIL", "minute_rate_limited": 1518467820,
                     "api_app_id": "A0ACTIONS", "type": "app_rate_limited"}), "application/json"),
        (json.dumps({"token": "x", "team_id": "T0COUNCIL", "type": "event_callback", "event_id": "Ev1",
                     "event": {"type": "message", "channel": "C0PLAN", "user": "U0KEVIN", "text": "hi"}}),
         "application/json"),
        (json.dumps({"type": "event_callback", "event": {"type": "reaction_added", "item": {"channel": 5}}}),
         "application/json"),
        ("payload=" + quote(json.dumps({"type": "view_closed", "user": {"id": "U0KEVIN"}, "view": {}})),
         "application/x-www-form-urlencoded"),
        ("payload=" + quote(json.dumps({"type": "shortcut", "callback_id": "x", "user": {"id": "U0KEVIN"}})),
         "application/x-www-form-urlencoded"),
        ("payload=" + quote(json.dumps({"type": "block_suggestion", "value": "x"})),
         "application/x-www-form-urlencoded"),
        ("ssl_check=1&token=legacy-verification-token", "application/x-www-form-urlencoded"),
    ],
)
async def test_an_authentic_delivery_not_acted_on_is_acknowledged_200_and_logged_at_debug(
    slack: Server, council: Council, engine: Engine, caplog: pytest.LogCaptureFixture, body: str, content_type: str
) -> None:
    caplog.set_level(logging.DEBUG, logger="actionbot")
    before = snapshot(engine)
    answer = await slack.deliver(body, content_type=content_type)
    assert (answer.status, answer.text) == (200, "")
    assert snapshot(engine) == before
    assert tracebacks(caplog) == [] and warnings(caplog) == []
    assert [r for r in caplog.records if r.levelno == logging.DEBUG and "not acted on" in r.getMessage()]


# Buttons and forms that are not ours as they are today -----------------------------------------------


def press_with(slack: Server, message: Message, *, action_id: str | None = None, value: Any = ...) -> dict[str, Any]:
    payload = slack.press_payload(message, message.button(2, "done"), user="U0KEVIN")
    element = payload["actions"][0]
    if action_id is not None:
        element["action_id"] = action_id
    if value is not ...:
        element["value"] = value
    return payload


@pytest.mark.parametrize(
    ("action_id", "value", "hint"),
    [
        ("actionbot_finish", None, "show 2"),
        ("ACTIONBOT_done", None, "show 2"),
        ("actionbot_Done", None, "show 2"),
        ("someone_elses_button", None, "show 2"),
        (None, "not json", "show 2"),
        (None, json.dumps({"id": True}), "show 2"),
        (None, json.dumps({"id": "2"}), "show 2"),
        (None, json.dumps({"id": 2.0}), "show 2"),
        (None, json.dumps({"id": 2**64}), "show 2"),
        (None, json.dumps([2]), "show 2"),
        (None, "", "show 2"),
    ],
)
async def test_a_button_that_is_not_ours_as_it_is_today_gets_a_short_answer(
    slack: Server, council: Council, plan: PlanFactory, caplog: pytest.LogCaptureFixture,
    action_id: str | None, value: str | None, hint: str,
) -> None:
    listing = Message((await slack.command("mine", user="U0KEVIN")).blocks)
    payload = press_with(slack, listing, action_id=action_id, value=value if value is not None else ...)
    answer = await slack.interaction(payload)
    await slack.settle()
    assert answer.status == 200
    assert plan.get(2).status is Status.ON_TRACK or plan.get(2).status is Status.NOT_STARTED
    assert update_rows(plan, 2) == []
    [said] = slack.fake.of("response_url")
    assert said.params["replace_original"] is False
    text = shown(said.params["blocks"])
    assert re.fullmatch(rf":warning: That button is out of date: type `{hint}` to see the action as it is now\. "
                        r"\(ref [0-9a-f]{12}\)", text), text
    assert tracebacks(caplog) == []
    [line] = warnings(caplog)
    assert line.startswith("refused a Slack button press: ")


async def test_a_stale_button_without_a_hint_points_to_mine(slack: Server, council: Council) -> None:
    listing = Message((await slack.command("mine", user="U0KEVIN")).blocks)
    payload = press_with(slack, listing, value="{}")
    payload["actions"][0]["block_id"] = "something-else"
    await slack.interaction(payload)
    await slack.settle()
    [said] = slack.fake.of("response_url")
    assert "That button is out of date: type `mine` to see your actions as they are now." in shown(
        said.params["blocks"]
    )


async def test_a_stale_button_whose_response_url_fails_is_answered_in_the_channel(
    slack: Server, council: Council
) -> None:
    listing = Message((await slack.command("mine", user="U0KEVIN")).blocks)
    slack.fake.fail("response_url", status=404, error="expired_url")
    await slack.interaction(press_with(slack, listing, action_id="actionbot_gone"))
    await slack.settle()
    [said] = slack.fake.of("chat.postEphemeral")
    assert said.params["user"] == "U0KEVIN" and "That button is out of date" in said.params["text"]


def update_view(slack: Server, council: Council) -> dict[str, Any]:
    origin = OriginData(a=council.soon.id or 0, c="C0PLAN").model_dump_json(exclude_none=True)
    return {"type": "modal", "callback_id": "actionbot_update", "private_metadata": origin, "blocks": [
        {"type": "input", "block_id": "status", "element": {"type": "static_select", "action_id": "status",
                                                             "options": [{"value": "done"}]}}]}


@pytest.mark.parametrize(
    ("metadata", "callback_id"),
    [
        (json.dumps({"a": True}), "actionbot_update"),
        (json.dumps({"a": "2"}), "actionbot_update"),
        (json.dumps({"a": 2**64}), "actionbot_update"),
        (json.dumps({"a": 2, "r": "yes"}), "actionbot_update"),
        ("{", "actionbot_update"),
        ("", "actionbot_update"),
        (json.dumps({"a": 2}), "someone_elses_modal"),
    ],
)
async def test_a_form_that_is_not_ours_as_it_is_today_says_so_and_changes_nothing(
    slack: Server, council: Council, plan: PlanFactory, engine: Engine, caplog: pytest.LogCaptureFixture,
    metadata: str, callback_id: str,
) -> None:
    before = snapshot(engine)
    view = update_view(slack, council) | {"private_metadata": metadata, "callback_id": callback_id}
    answer = await slack.submit(view, {"status": "done"}, user="U0KEVIN")
    assert answer.status == 200
    assert answer.json["response_action"] == "update"
    assert re.search(r"This form is out of date\. Close it and press Update… again\. \(ref [0-9a-f]{12}\)",
                     shown(answer.json["view"]["blocks"]))
    assert snapshot(engine) == before
    assert tracebacks(caplog) == []
    assert [line for line in warnings(caplog) if line.startswith("refused a Slack form: ")]


async def test_a_signed_slash_command_with_a_nul_in_its_note_is_recorded_without_it(
    slack: Server, council: Council, plan: PlanFactory
) -> None:
    answer = await slack.command("note 2 agreed\x00 with legal", user="U0KEVIN")
    assert "Note added to #2." in shown(answer.blocks)
    assert plan.get(2).latest_note == "agreed with legal"


async def test_a_huge_page_number_over_slack_gets_a_one_line_answer(slack: Server, council: Council) -> None:
    answer = await slack.command("mine page 99999999999999999999", user="U0KEVIN")
    assert answer.status == 200
    assert shown(answer.blocks) == ":warning: There is only 1 page of `mine`."


async def test_a_signed_request_body_is_never_logged(
    slack: Server, council: Council, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    body = urlencode({"payload": json.dumps({"type": "block_actions", "user": {"id": 5}, "secret": "hunter2"})})
    stamp = int(time.time())
    await slack.deliver(body, timestamp=stamp, signature=sign(body, stamp))
    await slack.command("note 2 the confidential restructure plan", user="U0KEVIN")
    assert "hunter2" not in caplog.text and "confidential restructure" not in caplog.text
