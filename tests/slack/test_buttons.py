"""Buttons: a press is acknowledged at once, recorded through the core once, and the message it
was on shows the new state: an ephemeral answer is replaced through its ``response_url``, a bot
message is ``chat.update``-d."""

from __future__ import annotations

from datetime import timedelta

from adapters.slack.blocks import render
from bot.domain import Status, Surface
from bot.replies import Reply
from bot.requests import Actor, Request
from tests.factories import PlanFactory
from tests.slack.block_rules import violations
from tests.slack.conftest import Council, Server
from tests.slack.driver import Message
from tests.slack.helpers import buttons_in, shown, update_rows


async def my_list(slack: Server, user: str = "U0KEVIN") -> Message:
    answer = await slack.command("mine", user=user)
    return Message(answer.blocks, ephemeral=True)


async def test_owner_marks_action_done_from_button_on_their_list(
    slack: Server, council: Council, plan: PlanFactory
) -> None:
    message = await my_list(slack)
    answer, payload = await slack.press(message, 2, "done", user="U0KEVIN")
    assert (answer.status, answer.text) == (200, ""), "acknowledged at once, with nothing to show yet"
    await slack.settle()
    assert plan.get(2).status is Status.DONE and plan.get(2).percent_complete == 100
    [row] = update_rows(plan, 2)
    key = f"slack:{payload['trigger_id']}"
    assert (row.surface, row.person_id, row.request_key) == ("slack", council.kevin.id, key)
    [post] = slack.fake.of("response_url")
    assert post.path.endswith("action"), "the pressed message's own response_url"
    assert post.params["replace_original"] is True and post.params["response_type"] == "ephemeral"
    text = shown(post.params["blocks"])
    assert text.splitlines()[1] == ":white_check_mark: Recorded: #2 is now Done · 100%."
    assert "*#1* Refresh the Corporate Plan" in text, "the list again"
    assert "*#2* Publish the workforce strategy" in text and "*Status:* Done · 100%" in text, "#2 kept, now done"
    assert slack.fake.of("chat.update") == [], "ephemeral messages cannot be chat.update-d"
    assert violations(post.params["blocks"]) == []


async def test_on_track_and_at_risk_buttons_record_that_status(
    slack: Server, council: Council, plan: PlanFactory
) -> None:
    await slack.press(await my_list(slack), 2, "on_track", user="U0KEVIN")
    await slack.settle()
    assert plan.get(2).status is Status.ON_TRACK
    refreshed = Message(slack.fake.of("response_url")[-1].params["blocks"])
    assert not refreshed.has_button(2, "on_track") and refreshed.has_button(2, "at_risk")
    await slack.press(refreshed, 2, "at_risk", user="U0KEVIN")
    await slack.settle()
    assert plan.get(2).status is Status.AT_RISK
    assert "Recorded: #2 is now At risk · 0%." in shown(slack.fake.of("response_url")[-1].params["blocks"])
    assert len(update_rows(plan, 2)) == 2


async def test_snooze_button_silences_reminders_for_a_week(slack: Server, council: Council, plan: PlanFactory) -> None:
    await slack.press(await my_list(slack), 1, "snooze", user="U0KEVIN")
    await slack.settle()
    assert plan.get(1).snoozed_until == plan.today + timedelta(days=7)
    assert "No reminders for #1 until Mon 21 Jan 2019." in shown(slack.fake.of("response_url")[-1].params["blocks"])
    assert "snoozed until Mon 21 Jan 2019" in shown(slack.fake.of("response_url")[-1].params["blocks"])


async def test_pressing_the_same_button_twice_records_one_update(
    slack: Server, council: Council, plan: PlanFactory
) -> None:
    message = await my_list(slack)
    await slack.press(message, 2, "done", user="U0KEVIN")
    await slack.press(message, 2, "done", user="U0KEVIN")  # a double click: a second, separate delivery
    await slack.settle()
    assert len(update_rows(plan, 2)) == 1
    # The two deliveries run side by side, so either may answer first: one records, the other says so.
    answers = [shown(post.params["blocks"]) for post in slack.fake.of("response_url")[-2:]]
    assert sum("Recorded: #2 is now Done" in text for text in answers) == 1, answers
    assert sum("#2 is already Done · 100%: nothing to record." in text for text in answers) == 1, answers


async def test_a_retried_press_is_applied_once(slack: Server, council: Council, plan: PlanFactory) -> None:
    message = await my_list(slack)
    payload = slack.press_payload(message, message.button(2, "at_risk"), user="U0KEVIN")
    await slack.interaction(payload)
    await slack.settle()
    await slack.interaction(payload, retry=1)  # Slack delivering the same payload again
    await slack.settle()
    assert len(update_rows(plan, 2)) == 1 and plan.get(2).status is Status.AT_RISK
    assert "Already recorded; nothing more to do." in shown(slack.fake.of("response_url")[-1].params["blocks"])


async def test_a_press_on_a_bot_message_updates_it_in_place_with_chat_update(
    slack: Server, council: Council, plan: PlanFactory
) -> None:
    # A bot message in Kevin's DM (as the scheduler's sender posts them) listing both his actions.
    reply = slack_reply(slack, "mine")
    posted = render(reply)
    message = Message(posted.blocks, channel="D0KEVIN", ts="1547460000.000777", ephemeral=False, text=posted.text)
    await slack.press(message, 1, "done", user="U0KEVIN")
    await slack.settle()
    [update] = slack.fake.of("chat.update")
    assert (update.params["channel"], update.params["ts"]) == ("D0KEVIN", "1547460000.000777")
    blocks = update.params["blocks"]
    text = shown(blocks)
    assert ":large_green_circle: *#1* Refresh the Corporate Plan with Cabinet" in text
    assert ":white_check_mark: Recorded: #1 is now Done · 100%." in text
    assert [(n, intent) for n, intent, _ in buttons_in(blocks)] == [
        (2, "done"), (2, "on_track"), (2, "at_risk"), (2, "update"), (2, "snooze")
    ], "#1 is done: no buttons left on it; #2 untouched"
    assert blocks[0] == posted.blocks[0] and violations(blocks) == []
    assert all(value["src"].endswith("|mine") for _, _, value in buttons_in(blocks)), "pressed on, drawn again"
    assert slack.fake.of("response_url") == []
    assert plan.get(1).status is Status.DONE


def slack_reply(slack: Server, text: str) -> Reply:
    """What the core answers Kevin for ``text`` (to build a bot message as the sender would post it)."""
    core = slack.surface.interactions.core
    return core.handle(Request(actor=Actor("slack", "U0KEVIN"), text=text, surface=Surface.SLACK))


async def test_a_press_by_someone_who_may_not_change_it_is_refused_privately(
    slack: Server, council: Council, plan: PlanFactory
) -> None:
    posted = render(slack_reply(slack, "mine"))
    channel_message = Message(posted.blocks, channel="C0PLAN", ts="1547460000.000888", ephemeral=False)
    await slack.press(channel_message, 2, "done", user="U0OWEN")
    await slack.settle()
    [post] = slack.fake.of("response_url")
    assert post.params["replace_original"] is False and post.params["response_type"] == "ephemeral"
    assert "You can't update #2" in shown(post.params["blocks"])
    assert slack.fake.of("chat.update") == [] and update_rows(plan, 2) == []


async def test_update_button_opens_the_form_prefilled_at_once(slack: Server, council: Council) -> None:
    _, payload = await slack.press(await my_list(slack, "U0DEB"), 3, "update", user="U0DEB")
    [opened] = await slack.fake.wait_for("views.open")
    assert opened.params["trigger_id"] == payload["trigger_id"]
    view = opened.params["view"]
    assert view["title"]["text"] == "Update #3" and view["submit"]["text"] == "Save"
    assert "Review the scheme of delegation" in shown(view["blocks"])
    inputs = {b["block_id"]: b["element"] for b in view["blocks"] if b["type"] == "input"}
    assert list(inputs) == ["status", "percent", "note", "new_date", "reason"]
    assert inputs["status"]["type"] == "static_select" and inputs["status"]["initial_option"]["value"] == "at_risk"
    assert (inputs["percent"]["type"], inputs["percent"]["initial_value"]) == ("number_input", "40")
    assert inputs["note"]["type"] == "plain_text_input" and inputs["note"]["multiline"] is True
    assert inputs["new_date"]["type"] == "datepicker"
    assert violations(view["blocks"], max_blocks=100) == []
    assert slack.fake.of("views.update") == []


async def test_update_button_opens_a_loading_form_first_when_the_core_is_slow(slack: Server, council: Council) -> None:
    slack.surface.interactions.form_wait = 0  # as if the database took longer than the trigger allows
    await slack.press(await my_list(slack, "U0DEB"), 3, "update", user="U0DEB")
    await slack.settle()
    [opened] = slack.fake.of("views.open")
    assert shown(opened.params["view"]["blocks"]) == "Loading…"
    [filled] = slack.fake.of("views.update")
    assert filled.params["view_id"].startswith("V") and filled.params["hash"]
    assert [b["block_id"] for b in filled.params["view"]["blocks"] if b["type"] == "input"][0] == "status"


async def test_an_unlinked_users_press_tells_them_how_to_get_linked(
    slack: Server, council: Council, plan: PlanFactory
) -> None:
    slack.fake.add_user("U0STRANGER", "stranger@elsewhere.org", "Stranger")
    posted = render(slack_reply(slack, "mine"))
    await slack.press(Message(posted.blocks, ts="1547460000.000999", ephemeral=False), 2, "done", user="U0STRANGER")
    await slack.settle()
    answer = slack.fake.of("response_url")[-1].params
    assert "Ask the admin (Sarah Collins) to link you" in shown(answer["blocks"])
    assert answer["replace_original"] is False, "the list stays as it was"
    assert update_rows(plan, 2) == []


async def test_a_rate_limited_update_is_retried_after_slacks_retry_after(
    slack: Server, council: Council, plan: PlanFactory
) -> None:
    slack.fake.fail("chat.update", status=429, error="ratelimited", retry_after=0)
    posted = render(slack_reply(slack, "mine"))
    await slack.press(Message(posted.blocks, ts="1547460000.000444", ephemeral=False), 2, "at_risk", user="U0KEVIN")
    await slack.settle()
    first, second = slack.fake.of("chat.update")
    assert first.params == second.params, "the same update, sent again once Slack allowed it"
    assert slack.fake.of("response_url") == [], "so nothing had to be said instead"


async def test_a_press_on_a_list_whose_response_url_has_expired_is_answered_privately_in_the_channel(
    slack: Server, council: Council, plan: PlanFactory
) -> None:
    message = await my_list(slack)
    slack.fake.fail("response_url", status=404, error="expired_url")  # pressed more than 30 minutes later
    await slack.press(message, 2, "done", user="U0KEVIN")
    await slack.settle()
    assert plan.get(2).status is Status.DONE
    [ephemeral] = slack.fake.of("chat.postEphemeral")
    assert (ephemeral.params["channel"], ephemeral.params["user"]) == ("C0PLAN", "U0KEVIN")
    assert "Recorded: #2 is now Done · 100%." in shown(ephemeral.params["blocks"])
