"""The Update… modal: opened within the trigger's life, validated by the core on submit, errors
shown on their fields (``response_action: errors``), nothing written until it is valid."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest

from adapters.slack.blocks import render
from bot.domain import Status, Surface
from bot.requests import Actor, Request
from tests.factories import PlanFactory
from tests.slack.conftest import Council, Server
from tests.slack.driver import Message
from tests.slack.helpers import shown, update_rows


async def open_form(slack: Server, user: str = "U0DEB", action_id: int = 3) -> dict[str, Any]:
    """Press Update… on ``user``'s list and return the view Slack was asked to open."""
    answer = await slack.command("mine", user=user)
    await slack.press(Message(answer.blocks), action_id, "update", user=user)
    await slack.settle()
    return dict(slack.fake.of("views.open")[-1].params["view"])


async def test_a_valid_form_records_everything_and_refreshes_the_list(
    slack: Server, council: Council, plan: PlanFactory
) -> None:
    view = await open_form(slack)
    values = {"status": "on_track", "percent": "60", "note": "Cabinet agreed the terms of reference",
              "new_date": "2019-03-29", "reason": "Cabinet meets in March"}
    payload = slack.submission(view, values, user="U0DEB")
    answer = await slack.interaction(payload)
    assert (answer.status, answer.text) == (200, ""), "an empty ack closes the modal"
    action = plan.get(3)
    assert (action.status, action.percent_complete, action.due_date) == (Status.ON_TRACK, 60, date(2019, 3, 29))
    rows = update_rows(plan, 3)
    key = f"slack:{payload['trigger_id']}"
    assert [(r.kind, r.request_key, r.surface) for r in rows] == [
        ("status", key, "slack"), ("move", f"{key}:move", "slack")]
    assert [r.note for r in rows] == ["Cabinet agreed the terms of reference", "Cabinet meets in March"]
    await slack.settle()
    refreshed = slack.fake.of("response_url")[-1]
    assert refreshed.params["replace_original"] is True, "the list the form was opened from, shown again"
    text = shown(refreshed.params["blocks"])
    assert "Recorded: #3 is now On track · 60%, due Fri 29 Mar 2019 (in 74 days)." in text
    assert ":large_green_circle: *#3* Review the scheme of delegation" in text


FIELD_ERRORS = [
    ({"status": "dropped"}, {"status": "Choose not started, on track, at risk, off track or done."}),
    ({"percent": "140"}, {"percent": "Give a whole number from 0 to 100."}),
    ({"percent": "40.5"}, {"percent": "Give a whole number from 0 to 100."}),
    ({"note": "x" * 2001}, {"note": "2,001 characters; the limit is 2,000."}),
    ({"new_date": "2019-01-01", "reason": "too late"},
     {"new_date": "That date is in the past; a new deadline is today or later."}),
    ({"new_date": "2019-06-28"}, {"reason": "Say why the deadline is changing."}),
    ({"reason": "x" * 2001, "new_date": "2019-06-28"}, {"reason": "2,001 characters; the limit is 2,000."}),
]


@pytest.mark.parametrize(("values", "errors"), FIELD_ERRORS, ids=[next(iter(e)) + "-" + next(iter(v)) for v, e in
                                                                    FIELD_ERRORS])
async def test_each_invalid_field_is_shown_on_that_field_and_nothing_is_written(
    slack: Server, council: Council, plan: PlanFactory, values: dict[str, str], errors: dict[str, str]
) -> None:
    view = await open_form(slack)
    before = plan.get(3)
    answer = await slack.submit(view, {"status": "on_track", "percent": "50", "note": "progress"} | values,
                                user="U0DEB")
    assert answer.json == {"response_action": "errors", "errors": errors}
    after = plan.get(3)
    assert (after.status, after.percent_complete, after.latest_note, after.due_date, after.version) == (
        before.status, before.percent_complete, before.latest_note, before.due_date, before.version)
    assert update_rows(plan, 3) == []
    await slack.settle()
    assert slack.fake.of("response_url") == []


async def test_update_typed_alone_opens_the_form_and_confirms_on_the_commands_response_url(
    slack: Server, council: Council, plan: PlanFactory
) -> None:
    body = slack.command_body("update 2", user="U0KEVIN", trigger_id="13345224609.738474920.8088930838d88f008e0")
    answer = await slack.deliver(body)
    assert (answer.status, answer.text) == (200, "")
    [opened] = await slack.fake.wait_for("views.open")
    assert opened.params["trigger_id"] == "13345224609.738474920.8088930838d88f008e0"
    submitted = await slack.submit(opened.params["view"], {"status": "at_risk", "note": "short of staff"},
                                   user="U0KEVIN")
    assert (submitted.status, submitted.text) == (200, "")
    await slack.settle()
    [confirmation] = slack.fake.of("response_url")
    assert confirmation.path.endswith("cmd") and confirmation.params["replace_original"] is False
    assert "Recorded: #2 is now At risk · 0%" in shown(confirmation.params["blocks"])
    assert plan.get(2).status is Status.AT_RISK


async def test_a_form_that_cannot_open_in_time_says_so(slack: Server, council: Council) -> None:
    slack.fake.fail("views.open", error="expired_trigger_id")
    await slack.command("update 2", user="U0KEVIN")
    await slack.settle()
    [sorry] = slack.fake.of("response_url")
    assert "The form could not open (expired_trigger_id). Try `update 2` again." in shown(sorry.params["blocks"])


async def test_a_form_submitted_by_someone_not_allowed_changes_nothing(
    slack: Server, council: Council, plan: PlanFactory
) -> None:
    view = await open_form(slack)
    answer = await slack.submit(view, {"status": "done"}, user="U0OWEN")
    assert answer.json["response_action"] == "update"
    assert "You can't update #3" in shown(answer.json["view"]["blocks"])
    assert "submit" not in answer.json["view"]
    assert plan.get(3).status is Status.AT_RISK and update_rows(plan, 3) == []
    await slack.settle()
    assert slack.fake.of("response_url") == [] and slack.fake.of("chat.update") == [], "the list is left as it was"


def _bot_message(slack: Server, text: str, *, with_view: bool = True) -> Message:
    """What the bot posted as a message of its own in Kevin's DM (as the clock does): ``text``'s answer."""
    core = slack.surface.interactions.core
    reply = core.handle(Request(actor=Actor("slack", "U0KEVIN"), text=text, surface=Surface.SLACK))
    posted = render(reply if with_view else reply.model_copy(update={"view": None}))
    return Message(posted.blocks, channel="D0KEVIN", ts="1547460000.000321", ephemeral=False, text=posted.text)


async def test_a_form_opened_from_a_list_the_bot_posted_keeps_that_list(
    slack: Server, council: Council, plan: PlanFactory
) -> None:
    await slack.press(_bot_message(slack, "mine"), 2, "update", user="U0KEVIN")
    [opened] = await slack.fake.wait_for("views.open")
    await slack.submit(opened.params["view"], {"status": "on_track", "percent": "25"}, user="U0KEVIN")
    await slack.settle()
    [update] = slack.fake.of("chat.update")
    assert (update.params["channel"], update.params["ts"]) == ("D0KEVIN", "1547460000.000321")
    text = shown(update.params["blocks"])
    assert text.index("Recorded: #2 is now On track · 25%") < text.index("*#2*"), "a line on top, then the list"
    assert slack.fake.of("chat.postEphemeral") == []


async def test_a_form_opened_from_an_older_message_confirms_privately_in_that_conversation(
    slack: Server, council: Council, plan: PlanFactory
) -> None:
    """A message from a version whose buttons carried no list cannot be drawn again: the change is said privately."""
    await slack.press(_bot_message(slack, "mine", with_view=False), 2, "update", user="U0KEVIN")
    [opened] = await slack.fake.wait_for("views.open")
    await slack.submit(opened.params["view"], {"status": "on_track", "percent": "25"}, user="U0KEVIN")
    await slack.settle()
    [ephemeral] = slack.fake.of("chat.postEphemeral")
    assert (ephemeral.params["channel"], ephemeral.params["user"]) == ("D0KEVIN", "U0KEVIN")
    assert "Recorded: #2 is now On track · 25%" in shown(ephemeral.params["blocks"])
    assert slack.fake.of("chat.update") == []


async def test_a_retried_submission_is_recorded_once(slack: Server, council: Council, plan: PlanFactory) -> None:
    view = await open_form(slack)
    payload = slack.submission(view, {"status": "off_track", "percent": "45", "note": "contract fell through"},
                               user="U0DEB")
    first = await slack.interaction(payload)
    second = await slack.interaction(payload, retry=1)
    assert first.text == "" and second.text == ""
    assert [r.new_status for r in update_rows(plan, 3)] == [Status.OFF_TRACK]
