"""Fuzzing Slack through the real aiohttp app: slash commands of any text, interaction payloads of any
shape, and unsigned requests of any body. The properties: never a 5xx, never a traceback in the log,
nothing written for a refused input, and the server still healthy afterwards."""

from __future__ import annotations

import json
import logging
import time
from typing import Any
from urllib.parse import urlencode

import pytest
from hypothesis import event, given
from hypothesis import strategies as st
from sqlalchemy import Engine, func
from sqlmodel import select

from adapters.slack.blocks import render
from adapters.slack.modal import Origin, form_view
from bot.domain import Rag, Status
from bot.replies import ActionItem, Button, ButtonIntent, Choice, Form, FormField, Reply, Section, View
from store.models import Action, ActionUpdate, Conversation, OutboxNotification, Person, Subscription
from store.session import transaction
from tests.fuzz.conftest import FUZZ
from tests.fuzz.strategies import COMMAND_TEXT, JSON, mutated
from tests.slack.conftest import Council, Server
from tests.slack.driver import Message, sign
from tests.slack.helpers import shown

# What an HTTP client can put in a header: printable Latin-1 (aiohttp refuses control characters).
HEADER = st.characters(min_codepoint=32, max_codepoint=255, exclude_characters="\x7f")
USERS = st.sampled_from(["U0KEVIN", "U0DEB", "U0SARAH", "U0ALEX", "U0OWEN", "U0NOBODY"])


def state(engine: Engine) -> tuple[object, ...]:
    """Everything a request could write."""
    with transaction(engine, write=False) as session:
        actions = tuple(tuple(a.model_dump().items()) for a in session.exec(select(Action).order_by(Action.id)))
        people = tuple((p.id, p.slack_user_id, p.teams_user_id) for p in session.exec(select(Person)))
        counts = tuple(
            session.exec(select(func.count()).select_from(model)).one()
            for model in (ActionUpdate, OutboxNotification, Subscription, Conversation)
        )
    return actions, people, counts


class LogWatch:
    """New log records since the last look: none may carry a traceback or be an ERROR."""

    def __init__(self, caplog: pytest.LogCaptureFixture) -> None:
        self.caplog = caplog
        self.seen = 0

    def bugs(self) -> list[str]:
        new = self.caplog.records[self.seen :]
        self.seen = len(self.caplog.records)
        return [f"{r.name}: {r.getMessage()}" for r in new if r.exc_info or r.levelno >= logging.ERROR]


async def still_healthy(slack: Server) -> None:
    assert (await slack.client.get("/healthz")).status == 200
    assert (await slack.client.get("/readyz")).status == 200
    answer = await slack.command("help", user="U0KEVIN")
    assert answer.status == 200 and "actionbot commands" in shown(answer.blocks)


@FUZZ
@given(text=COMMAND_TEXT, user=USERS)
async def test_fuzzed_slash_commands(
    slack: Server, council: Council, engine: Engine, caplog: pytest.LogCaptureFixture, text: str, user: str
) -> None:
    watch = LogWatch(caplog)
    watch.seen = len(caplog.records)
    before = state(engine)
    answer = await slack.command(text, user=user)
    await slack.settle()
    assert answer.status == 200, (text, answer.status, answer.text[:300])
    assert watch.bugs() == [], text
    body = answer.json
    refused = body.get("text", "").startswith("Sorry: ") or shown(body.get("blocks", [])).startswith(":warning:")
    event("refused" if refused else "answered")
    if refused:
        assert state(engine) == before, f"a refused command wrote something: {text!r}"


def base_press() -> dict[str, Any]:
    item = ActionItem(action_id=2, text="Publish the workforce strategy", rag=Rag.GREEN, status=Status.ON_TRACK,
                      buttons=[Button(intent=ButtonIntent.DONE, action_id=2, label="Done"),
                               Button(intent=ButtonIntent.UPDATE, action_id=2, label="Update…")])
    message = Message(render(Reply(sections=[Section(items=[item])], view=View(command="mine", ids=(2,)))).blocks,
                      ephemeral=False,
                      ts="1547459999.000100")
    return {"message": message}


def base_submission(slack: Server) -> dict[str, Any]:
    form = Form(action_id=2, title="Update #2", fields=[
        FormField(name="status", label="Status", kind="choice", value="on_track", required=True,
                  choices=[Choice(value="on_track", label="On track"), Choice(value="done", label="Done")]),
        FormField(name="percent", label="% complete", kind="number", value="40"),
        FormField(name="note", label="Note", kind="text", multiline=True, max_length=2000),
        FormField(name="new_date", label="New due date", kind="date"),
    ])
    view = form_view(form, Origin(2, "C0PLAN", "1547459999.000100"))
    return slack.submission(view, {"status": "done", "percent": "100", "note": "finished"}, user="U0KEVIN")


def tame(payload: Any, slack: Server) -> Any:
    """Keep every URL the bot might call on the fake Slack: the test must never reach the network."""
    if isinstance(payload, dict):
        for key, value in list(payload.items()):
            if isinstance(value, str) and value.startswith(("http:", "https:")) and not value.startswith(
                slack.fake.url
            ):
                payload[key] = "not-a-url"
            else:
                tame(value, slack)
    elif isinstance(payload, list):
        for value in payload:
            tame(value, slack)
    return payload


@FUZZ
@given(data=st.data())
async def test_fuzzed_interaction_payloads(
    slack: Server, council: Council, engine: Engine, caplog: pytest.LogCaptureFixture, data: st.DataObject
) -> None:
    watch = LogWatch(caplog)
    watch.seen = len(caplog.records)
    message = base_press()["message"]
    kind = data.draw(st.sampled_from(["press", "press", "submit", "submit", "anything"]))
    if kind == "press":
        base = slack.press_payload(message, message.button(2, "done"), user="U0KEVIN")
        payload: Any = data.draw(mutated(base, keep=("blocks",)))
    elif kind == "submit":
        payload = data.draw(mutated(base_submission(slack), keep=("blocks",)))
    else:
        payload = data.draw(JSON)
    payload = tame(payload, slack)
    before = state(engine)
    answer = await slack.interaction(payload)
    await slack.settle()
    event(f"{kind}: HTTP {answer.status}")
    assert answer.status in (200, 400), (answer.status, answer.text[:300])
    assert watch.bugs() == [], json.dumps(payload)[:500]
    if answer.status == 400:
        assert state(engine) == before
    assert (await slack.client.get("/healthz")).status == 200


@FUZZ
@given(
    body=st.one_of(st.binary(max_size=300), st.text(max_size=300).map(lambda t: t.encode("utf-8", "surrogatepass"))),
    timestamp=st.one_of(st.none(), st.text(HEADER, max_size=20), st.integers().map(str)),
    signature=st.one_of(st.none(), st.text(HEADER, max_size=80), st.just("v0=" + "0" * 64)),
    content_type=st.sampled_from(["application/x-www-form-urlencoded", "application/json", "text/plain", ""]),
)
async def test_fuzzed_unsigned_requests_are_all_refused_401(
    slack: Server, council: Council, engine: Engine, caplog: pytest.LogCaptureFixture, body: bytes,
    timestamp: str | None, signature: str | None, content_type: str,
) -> None:
    watch = LogWatch(caplog)
    watch.seen = len(caplog.records)
    headers = {"Content-Type": content_type} if content_type else {}
    for name, value in (("X-Slack-Request-Timestamp", timestamp), ("X-Slack-Signature", signature)):
        if value is not None:
            headers[name] = value
    before = state(engine)
    response = await slack.client.post("/slack/events", data=body, headers=headers)
    assert response.status == 401
    assert watch.bugs() == []
    assert state(engine) == before and slack.fake.calls == []


@FUZZ
@given(payload=JSON)
async def test_fuzzed_signed_json_bodies(
    slack: Server, council: Council, engine: Engine, caplog: pytest.LogCaptureFixture, payload: Any
) -> None:
    watch = LogWatch(caplog)
    watch.seen = len(caplog.records)
    body = json.dumps(tame(payload, slack))
    stamp = int(time.time())
    before = state(engine)
    answer = await slack.deliver(body, content_type="application/json", timestamp=stamp, signature=sign(body, stamp))
    assert answer.status in (200, 400)
    assert watch.bugs() == []
    assert state(engine) == before


async def test_after_fuzzing_the_server_is_still_healthy(
    slack: Server, council: Council, caplog: pytest.LogCaptureFixture
) -> None:
    for body in ("payload=%7B", "payload=null", urlencode({"payload": json.dumps({"type": "block_actions"})})):
        await slack.deliver(body)
    await still_healthy(slack)
