"""Every command of the grammar through ``/actions``, as Slack delivers it, answered in the ack."""

from __future__ import annotations

import json
from datetime import timedelta

import pytest

from bot.domain import Status, SubscriptionKind
from store.models import Person
from store.session import transaction
from tests.factories import PlanFactory
from tests.slack.block_rules import violations
from tests.slack.conftest import Council, Server
from tests.slack.helpers import buttons_in, shown, subscriptions, update_rows


async def test_help_lists_the_commands_and_tells_an_unlinked_user_how_to_get_linked(
    slack: Server, council: Council
) -> None:
    slack.fake.add_user("U0NOBODY", "visitor@elsewhere.org", "Visiting Officer")
    answer = await slack.command("help", user="U0NOBODY")
    assert answer.status == 200 and answer.json["response_type"] == "ephemeral"
    text = shown(answer.blocks)
    assert "actionbot commands" in text
    assert "You are not linked to anyone in the action plan yet" in text
    assert "Ask the admin (Sarah Collins) to link you to your name in the plan: they type `link @you Your Name`." in (
        text
    )
    assert violations(answer.blocks) == []


async def test_mine_lists_my_open_actions_soonest_first_each_with_its_buttons(slack: Server, council: Council) -> None:
    answer = await slack.command("mine", user="U0KEVIN")
    assert answer.status == 200 and answer.json["response_type"] == "ephemeral"
    text = shown(answer.blocks)
    assert answer.blocks[0] == {"type": "header", "text": {"type": "plain_text", "text": "Your actions", "emoji": True}}
    assert text.index("#1") < text.index("#2"), "the overdue one first"
    assert "*Owner:* Kevin Dicks" in text and "12 days overdue" in text and "(in 5 days)" in text
    buttons = buttons_in(answer.blocks)
    assert [(n, intent) for n, intent, _ in buttons] == [
        (1, "done"), (1, "at_risk"), (1, "update"), (1, "snooze"),  # already on track: no On track button
        (2, "done"), (2, "on_track"), (2, "at_risk"), (2, "update"), (2, "snooze"),
    ]
    assert all(value["src"] == "c:1,2|mine" for _, _, value in buttons), "a press can show the list again"
    assert violations(answer.blocks) == []
    assert slack.fake.of("chat.postMessage") == [] and slack.fake.of("response_url") == []


async def test_overdue_groups_by_owner_with_days_overdue_for_smt(slack: Server, council: Council) -> None:
    answer = await slack.command("overdue", user="U0ALEX")
    text = shown(answer.blocks)
    assert "1 overdue action, 1 owner, as of Mon 14 Jan 2019." in text
    assert "*Kevin Dicks*" in text
    assert ":red_circle: *#1* Refresh the Corporate Plan with Cabinet" in text
    assert "Wed 2 Jan 2019 (12 days overdue)" in text
    assert buttons_in(answer.blocks) == [], "Alex may not edit Kevin's action, so no buttons"


async def test_overdue_shows_an_action_owner_their_own_overdue_actions_privately(
    slack: Server, council: Council
) -> None:
    answer = await slack.command("overdue", user="U0KEVIN")
    assert answer.json["response_type"] == "ephemeral"
    text = shown(answer.blocks)
    assert "1 of your actions is overdue, as of Mon 14 Jan 2019." in text
    assert "The council-wide overdue list is for SMT, managers and admins." in text
    assert "Refresh the Corporate Plan with Cabinet" in text and "12 days overdue" in text
    assert [intent for _, intent, _ in buttons_in(answer.blocks)] == ["done", "at_risk", "update", "snooze"]


async def test_due_lists_what_falls_due_in_the_window(slack: Server, council: Council) -> None:
    text = shown((await slack.command("due 7d", user="U0KEVIN")).blocks)
    assert "#2" in text and "Publish the workforce strategy" in text
    assert "#1" not in text and "#3" not in text


async def test_show_gives_the_action_its_recommendation_and_history(slack: Server, council: Council) -> None:
    answer = await slack.command("#1", user="U0KEVIN")
    text = shown(answer.blocks)
    assert "Action #1" in text and "Recommendation 1" in text and "*History*" in text
    assert [intent for _, intent, value in buttons_in(answer.blocks)] == ["done", "at_risk", "update", "snooze"]
    assert buttons_in(answer.blocks)[0][2] == {"id": 1, "src": "c:1|#1"}


async def test_update_records_status_percent_and_note(slack: Server, council: Council, plan: PlanFactory) -> None:
    answer = await slack.command("update 1 at-risk 40% waiting for Cabinet in March", user="U0KEVIN")
    assert ":white_check_mark: Recorded: #1 is now At risk · 40%." in shown(answer.blocks)
    action = plan.get(council.overdue.id or 0)
    assert (action.status, action.percent_complete, action.latest_note) == (
        Status.AT_RISK, 40, "waiting for Cabinet in March")
    [row] = update_rows(plan, 1)
    assert (row.surface, row.person_id, row.request_key.startswith("slack:")) == ("slack", council.kevin.id, True)


async def test_the_one_word_forms_done_on_track_at_risk_off_track(
    slack: Server, council: Council, plan: PlanFactory
) -> None:
    for text, status in (("on-track 2", Status.ON_TRACK), ("at-risk 2", Status.AT_RISK),
                         ("off-track 2", Status.OFF_TRACK), ("done 2 published on the intranet", Status.DONE)):
        answer = await slack.command(text, user="U0KEVIN")
        assert f"Recorded: #2 is now {status.label}" in shown(answer.blocks), text
        assert plan.get(2).status is status
    assert plan.get(2).percent_complete == 100


async def test_note_adds_commentary(slack: Server, council: Council, plan: PlanFactory) -> None:
    answer = await slack.command("note 1 met the contractor on Tuesday", user="U0KEVIN")
    assert "Note added to #1." in shown(answer.blocks)
    assert plan.get(1).latest_note == "met the contractor on Tuesday"


async def test_snooze_stops_reminders_for_a_week(slack: Server, council: Council, plan: PlanFactory) -> None:
    answer = await slack.command("snooze 2", user="U0KEVIN")
    assert "No reminders for #2 until Mon 21 Jan 2019." in shown(answer.blocks)
    assert plan.get(2).snoozed_until == plan.today + timedelta(days=7)


async def test_move_changes_the_deadline_with_a_reason(slack: Server, council: Council, plan: PlanFactory) -> None:
    answer = await slack.command("move 1 2019-03-31 waiting for Cabinet in March", user="U0KEVIN")
    assert "#1 moved to Sun 31 Mar 2019 (was Wed 2 Jan 2019)." in shown(answer.blocks)
    assert plan.get(1).due_date.isoformat() == "2019-03-31"  # type: ignore[union-attr]


async def test_drop_is_for_the_review_lead_and_keeps_the_reason(
    slack: Server, council: Council, plan: PlanFactory
) -> None:
    refused = await slack.command("drop 2 superseded", user="U0KEVIN")
    assert "You can't drop #2" in shown(refused.blocks) and plan.get(2).status is Status.NOT_STARTED
    answer = await slack.command("drop 2 superseded by the new operating model", user="U0DEB")
    assert "#2 is dropped. The reason is kept in its history." in shown(answer.blocks)
    assert plan.get(2).dropped_reason == "superseded by the new operating model"


async def test_reviews_shows_progress(slack: Server, council: Council) -> None:
    text = shown((await slack.command("reviews", user="U0OWEN")).blocks)
    assert "*Corporate Peer Challenge 2018*" in text
    assert "*Progress*\n0 of 3 done (0%)" in text and "*Overdue*\n1" in text


async def test_digest_is_shown_to_me_only(slack: Server, council: Council) -> None:
    answer = await slack.command("digest", user="U0OWEN")
    assert answer.json["response_type"] == "ephemeral"
    assert "Overdue" in shown(answer.blocks) and violations(answer.blocks) == []


async def test_subscribe_and_unsubscribe_are_answered_in_the_channel(
    slack: Server, council: Council, plan: PlanFactory
) -> None:
    answer = await slack.command("subscribe all updates", user="U0OWEN", channel="C0UNION")
    assert answer.json["response_type"] == "in_channel", "SPEC: the channel sees who set it up"
    assert "This channel will now receive every update for all reviews. (Set up by Owen Price" in shown(answer.blocks)
    assert [(s.platform, s.channel_key, s.scope, s.kind) for s in subscriptions(plan)] == [
        ("slack", "C0UNION", "all", SubscriptionKind.UPDATES)]
    again = await slack.command("subscribe all updates", user="U0OWEN", channel="C0UNION")
    assert again.json["response_type"] == "ephemeral" and "already receives" in shown(again.blocks)
    gone = await slack.command("unsubscribe all", user="U0OWEN", channel="C0UNION")
    assert gone.json["response_type"] == "in_channel" and subscriptions(plan) == []


async def test_link_lets_an_admin_link_a_mentioned_slack_user(
    slack: Server, council: Council, plan: PlanFactory
) -> None:
    nina = plan.person("Nina Patel")
    slack.fake.add_user("U0NINA", None, "Nina")
    assert "You are not linked" in shown((await slack.command("mine", user="U0NINA")).blocks)
    # With "Escape channels, users, and links" on (see manifest.yml), Slack sends mentions as <@U…|name>.
    refused = await slack.command("link <@U0NINA|nina> Nina Patel", user="U0KEVIN")
    assert "Only admins can `link`. Ask Sarah Collins." in shown(refused.blocks)
    answer = await slack.command("link <@U0NINA|nina> Nina Patel", user="U0SARAH")
    assert "Linked Slack user U0NINA to Nina Patel." in shown(answer.blocks)
    with transaction(plan.engine, write=False) as session:
        assert session.get(Person, nina.id).slack_user_id == "U0NINA"  # type: ignore[union-attr]
    assert "You have no open actions" in shown((await slack.command("mine", user="U0NINA")).blocks)


async def test_unknown_commands_get_a_short_private_answer(slack: Server, council: Council) -> None:
    answer = await slack.command("frobnicate 42", user="U0KEVIN")
    assert answer.json["response_type"] == "ephemeral"
    assert shown(answer.blocks).startswith(":warning: ")
    assert "Traceback" not in answer.text


async def test_a_slow_answer_is_acknowledged_at_once_and_delivered_through_the_response_url(
    slack: Server, council: Council
) -> None:
    slack.surface.interactions.ack_budget = 0  # as if the database took longer than Slack's 3 seconds
    answer = await slack.command("overdue", user="U0ALEX")
    assert answer.json == {"response_type": "ephemeral", "text": "Working on it…"}
    await slack.settle()
    [late] = slack.fake.of("response_url")
    assert late.path.endswith("cmd") and late.params["replace_original"] is True
    assert ":red_circle: *#1* Refresh the Corporate Plan with Cabinet" in shown(late.params["blocks"])


async def test_slacks_url_check_and_lifecycle_events_are_acknowledged(
    slack: Server, caplog: pytest.LogCaptureFixture
) -> None:
    challenge = await slack.deliver(
        json.dumps({"token": "x", "challenge": "3eZbrw1aBm2rZgRNFdxV2595E9CY3gmdALWMmHkvFXO7tYXAYM8P",
                    "type": "url_verification"}), content_type="application/json")
    assert challenge.status == 200 and "3eZbrw1aBm2rZgRNFdxV2595E9CY3gmdALWMmHkvFXO7tYXAYM8P" in challenge.text
    event = {"token": "x", "team_id": "T0COUNCIL", "api_app_id": "A0ACTIONS", "type": "event_callback",
             "event": {"type": "app_uninstalled"}, "event_id": "Ev0001", "event_time": 1547460000}
    answer = await slack.deliver(json.dumps(event), content_type="application/json")
    assert answer.status == 200
    assert "the app was removed or its tokens revoked (app_uninstalled)" in caplog.text
