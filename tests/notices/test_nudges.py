"""Nudges: each owner's one message of the day, at the morning hour, on working days, caught up once."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

from bot.domain import Nation, Role, Status, TimescaleKind
from bot.notices import nudges
from bot.notices.messages import Ready, Skip
from bot.render_text import render
from bot.replies import ButtonIntent
from tests.factories import Chat, PlanFactory
from tests.notices.clock import Clockwork, at

MONDAY = date(2019, 1, 14)  # the plan factory's today
TUESDAY, WEDNESDAY, THURSDAY, FRIDAY = (MONDAY + timedelta(days=n) for n in range(1, 5))


def due_on(plan: PlanFactory, day: date) -> int:
    return (day - plan.today).days


def test_an_owner_gets_one_message_listing_every_action_that_needs_them_today(
    plan: PlanFactory, clockwork: Clockwork
) -> None:
    deb = plan.person("Deb Poole", slack="U0DEB")
    week = plan.action(deb, due_in=7, text="Publish the member development programme")
    late = plan.action(deb, due_in=-7, text="Agree the terms of reference")
    today = plan.action(deb, due_in=0, text="Report to Cabinet")
    plan.action(deb, due_in=5, text="Not today: due in five days")
    assert clockwork.run(nudges.run, at(MONDAY, 9, 0)) == 1
    [row] = clockwork.rows()
    assert (row.dedupe_key, row.kind, row.platform, row.target_key) == (f"nudge:{deb.id}:2019-01-14", "nudge",
                                                                         "slack", "U0DEB")
    [queued] = clockwork.messages()
    assert sorted(queued.action_ids) == sorted([late.id, today.id, week.id])
    assert queued.reply.title == "3 of your actions need you today"
    assert queued.reply.plain_lines[1:] == [
        f"#{late.id} Agree the terms of reference",
        f"#{today.id} Report to Cabinet",
        f"#{week.id} Publish the member development programme",
    ]
    [sent] = clockwork.sent(at(MONDAY, 9, 1))
    assert sent.title == "3 of your actions need you today"
    assert [s.heading for s in sent.sections[1:]] == ["7 days overdue", "Due today", "Due in 7 days"]
    assert [item.action_id for item in sent.items] == [late.id, today.id, week.id]


def test_the_message_reads_well_in_the_console_with_the_buttons_of_mine(
    plan: PlanFactory, clockwork: Clockwork, chat: Chat
) -> None:
    deb = plan.person("Deb Poole", slack="U0DEB")
    plan.action(deb, due_in=1, text="Agree the terms of reference")
    plan.action(deb, due_in=-14, text="Publish the <!channel> plan", status=Status.AT_RISK)
    clockwork.run(nudges.run, at(MONDAY, 9, 0))
    [message] = clockwork.sent(at(MONDAY, 9, 0))
    text = render(message).text
    assert text.splitlines()[0] == "== 2 of your actions need you today =="
    assert "14 days overdue\n  #2 [RED] Publish the <!channel> plan" in text
    assert "Due tomorrow\n  #1 [GREY] Agree the terms of reference" in text
    assert "[1] Done  [2] On track  [3] Update…  [4] Snooze a week" in text  # at risk already: no At risk button
    mine = chat.ask(deb, "mine")
    by_id = {item.action_id: item.buttons for item in mine.items}
    assert all(item.buttons == by_id[item.action_id] for item in message.items)


def test_a_button_pressed_in_the_nudge_records_the_update_as_from_mine(
    plan: PlanFactory, clockwork: Clockwork, chat: Chat
) -> None:
    deb = plan.person("Deb Poole", slack="U0DEB")
    action = plan.action(deb, due_in=7)
    clockwork.run(nudges.run, at(MONDAY, 9, 0))
    [message] = clockwork.sent(at(MONDAY, 9, 0))
    done = next(b for b in message.items[0].buttons if b.intent is ButtonIntent.DONE)
    reply = chat.ask(deb, done.command, channel=None)
    assert plan.get(action.id or 0).status is Status.DONE, reply.plain_lines


def test_no_nudge_for_done_dropped_ongoing_or_snoozed_actions(plan: PlanFactory, clockwork: Clockwork) -> None:
    deb = plan.person("Deb Poole", slack="U0DEB")
    plan.action(deb, due_in=7, status=Status.DONE)
    plan.action(deb, due_in=0, status=Status.DROPPED)
    ongoing = plan.action(deb, due_in=None)
    snoozed = plan.action(deb, due_in=-7)
    clockwork.action_settings(ongoing, updated_at=datetime(2019, 1, 7, tzinfo=UTC))  # updated last week
    clockwork.action_settings(snoozed, snoozed_until=MONDAY + timedelta(days=3))
    assert clockwork.run(nudges.run, at(MONDAY, 9, 0)) == 0
    assert clockwork.rows() == []


def test_a_snoozed_action_is_passed_over_and_nudged_at_its_next_point(plan: PlanFactory, clockwork: Clockwork) -> None:
    deb = plan.person("Deb Poole", slack="U0DEB")
    action = plan.action(deb, due_in=-7)
    clockwork.action_settings(action, snoozed_until=MONDAY + timedelta(days=3))
    for day in (MONDAY, TUESDAY, WEDNESDAY, THURSDAY, FRIDAY):
        clockwork.run(nudges.run, at(day, 9, 0))
    assert clockwork.rows() == [], "no catch-up nudge when the snooze ends"
    clockwork.run(nudges.run, at(MONDAY + timedelta(days=7), 9, 0))
    assert [m.reply.sections[1].heading for m in clockwork.messages()] == ["14 days overdue"]


def test_nudges_wait_for_the_morning_hour_the_review_sets_else_the_setting(
    plan: PlanFactory, clockwork: Clockwork
) -> None:
    deb = plan.person("Deb Poole", slack="U0DEB")
    gareth = plan.person("Gareth Evans", slack="U0GAR")
    early = plan.review("Scrutiny review of waste 2019")
    plan.action(deb, due_in=7, review=early)
    plan.action(gareth, due_in=7, review=plan.review("Corporate Peer Challenge 2018"))
    clockwork.review_settings(early, morning_hour=7)
    assert clockwork.run(nudges.run, at(MONDAY, 6, 59)) == 0
    assert clockwork.run(nudges.run, at(MONDAY, 7, 0)) == 1
    assert clockwork.run(nudges.run, at(MONDAY, 8, 59)) == 0, "ACTIONBOT_NUDGE_HOUR: 9 by default"
    assert clockwork.run(nudges.run, at(MONDAY, 9, 0)) == 1
    assert [row.target_key for row in clockwork.rows()] == ["U0DEB", "U0GAR"]


def test_the_nine_oclock_nudge_is_nine_local_after_both_clock_changes(plan: PlanFactory, clockwork: Clockwork) -> None:
    deb = plan.person("Deb Poole", slack="U0DEB")
    plan.action(deb, due_in=due_on(plan, date(2019, 4, 8)))  # nudged Monday 1 April, in British Summer Time
    plan.action(deb, due_in=due_on(plan, date(2019, 11, 4)))  # nudged Monday 28 October, back on GMT
    assert clockwork.run(nudges.run, datetime(2019, 4, 1, 7, 59, tzinfo=UTC)) == 0  # 08:59 BST
    assert clockwork.run(nudges.run, datetime(2019, 4, 1, 8, 0, tzinfo=UTC)) == 1  # 09:00 BST
    assert clockwork.run(nudges.run, datetime(2019, 10, 28, 8, 59, tzinfo=UTC)) == 0  # 08:59 GMT
    assert clockwork.run(nudges.run, datetime(2019, 10, 28, 9, 0, tzinfo=UTC)) == 1
    assert [row.dedupe_key[-10:] for row in clockwork.rows()] == ["2019-04-01", "2019-10-28"]


def test_nothing_is_sent_on_a_bank_holiday_of_the_reviews_nation(plan: PlanFactory, clockwork: Clockwork) -> None:
    deb = plan.person("Deb Poole", slack="U0DEB")
    owen = plan.person("Owen Price", slack="U0OWE")
    scottish = plan.review("Glasgow scrutiny review")
    clockwork.nation(scottish, Nation.SCOTLAND)
    plan.action(deb, due_in=due_on(plan, date(2019, 1, 9)), review=scottish)
    plan.action(owen, due_in=due_on(plan, date(2019, 1, 9)), review=plan.review("Corporate Peer Challenge 2018"))
    for day in (date(2018, 12, 31), date(2019, 1, 2)):
        clockwork.run(nudges.run, at(day, 9, 30))
    assert [(row.target_key, row.dedupe_key[-10:]) for row in clockwork.rows()] == [
        ("U0DEB", "2018-12-31"),  # a week before 9 January is 2 January: a holiday in Scotland, so Monday
        ("U0OWE", "2019-01-02"),  # and a working day in England
    ]


def test_a_group_owner_is_reached_through_each_of_its_members(plan: PlanFactory, clockwork: Clockwork) -> None:
    alex = plan.person("Alex Morgan", slack="U0ALE")
    priya = plan.person("Priya Shah", teams="aad-priya")
    cmt = plan.group("CMT", alex, priya)
    action = plan.action(cmt, due_in=1)
    plan.action(alex, due_in=7)
    clockwork.run(nudges.run, at(MONDAY, 9, 0), reach=frozenset({"slack", "teams"}))
    by_target = {(row.platform, row.target_key): row for row in clockwork.rows()}
    assert set(by_target) == {("slack", "U0ALE"), ("teams", "user:aad-priya")}
    assert action.id in by_target[("teams", "user:aad-priya")].payload["action_ids"]
    assert len(by_target[("slack", "U0ALE")].payload["action_ids"]) == 2, "one message with both"


def test_slack_is_preferred_and_teams_used_when_the_bot_sends_only_there(
    plan: PlanFactory, clockwork: Clockwork
) -> None:
    deb = plan.person("Deb Poole", slack="U0DEB", teams="aad-deb")
    plan.action(deb, due_in=7)
    clockwork.run(nudges.run, at(MONDAY, 9, 0), reach=frozenset({"slack", "teams"}))
    clockwork.run(nudges.run, at(FRIDAY, 9, 0), reach=frozenset({"teams"}))  # the day before (a Sunday)
    assert [(row.platform, row.target_key) for row in clockwork.rows()] == [("slack", "U0DEB"),
                                                                            ("teams", "user:aad-deb")]


def test_an_owner_the_bot_cannot_reach_is_recorded_unreachable_with_the_reason(
    plan: PlanFactory, clockwork: Clockwork
) -> None:
    deb = plan.person("Deb Poole")
    gareth = plan.person("Gareth Evans", teams="aad-gareth")
    empty = plan.group("Group Leaders")
    plan.action(deb, due_in=7)
    plan.action(gareth, due_in=7)
    plan.action(empty, due_in=7)
    assert clockwork.run(nudges.run, at(MONDAY, 9, 0), reach=frozenset({"slack"})) == 3
    reasons = {row.target_key: (row.state, row.platform, row.last_error) for row in clockwork.rows()}
    assert reasons == {
        str(deb.id): ("unreachable", "none",
                      "Deb Poole is not linked to a chat account: an admin can `link @user Deb Poole`"),
        str(gareth.id): ("unreachable", "none",
                         "Gareth Evans is linked on Teams only, and the bot sends to Slack"),
        f"group:{empty.id}": ("unreachable", "none", "Group Leaders owns #3 but has no members"),
    }  # fmt: skip
    assert clockwork.run(nudges.run, at(MONDAY, 11, 0)) == 0, "recorded once, not every run"


def test_a_second_run_or_a_second_clock_writes_nothing_new(plan: PlanFactory, clockwork: Clockwork) -> None:
    deb = plan.person("Deb Poole", slack="U0DEB")
    cmt = plan.group("CMT", deb, plan.person("Alex Morgan"))
    plan.action(deb, due_in=7)
    plan.action(cmt, due_in=-21)
    plan.action(deb, due_in=None)
    assert clockwork.run(nudges.run, at(MONDAY, 9, 0)) == 2
    before = clockwork.state()
    assert clockwork.run(nudges.run, at(MONDAY, 9, 0)) == 0
    assert clockwork.run(nudges.run, at(MONDAY, 16, 0)) == 0
    assert clockwork.state() == before


def test_a_clock_that_was_down_sends_the_missed_nudges_once_on_the_next_working_morning(
    plan: PlanFactory, clockwork: Clockwork
) -> None:
    deb = plan.person("Deb Poole", slack="U0DEB")
    gareth = plan.person("Gareth Evans", slack="U0GAR")
    friday_point = plan.action(deb, due_in=due_on(plan, date(2019, 1, 25)))  # a week before: Friday 18th
    plan.action(gareth, due_in=due_on(plan, date(2019, 1, 22)))  # the day before: Monday 21st
    clockwork.run(nudges.run, at(THURSDAY, 9, 0))
    # Down from Thursday evening to Monday 11:00.
    assert clockwork.run(nudges.run, at(date(2019, 1, 21), 11, 0)) == 2
    deb_message = clockwork.messages()[0]
    assert deb_message.action_ids == (friday_point.id,)
    assert deb_message.reply.sections[1].heading == "Due in 4 days", "as of the day it is sent"
    assert clockwork.run(nudges.run, at(date(2019, 1, 21), 11, 5)) == 0


def test_an_action_added_after_the_days_message_goes_in_the_next_one(plan: PlanFactory, clockwork: Clockwork) -> None:
    deb = plan.person("Deb Poole", slack="U0DEB")
    plan.action(deb, due_in=7)
    clockwork.run(nudges.run, at(MONDAY, 9, 0))
    late_comer = plan.action(deb, due_in=1, text="Imported at noon")
    assert clockwork.run(nudges.run, at(MONDAY, 12, 0)) == 0, "at most one message a day"
    assert clockwork.run(nudges.run, at(TUESDAY, 9, 0)) == 1
    tuesday = clockwork.messages()[1]
    assert tuesday.action_ids == (late_comer.id,)
    assert tuesday.reply.sections[1].heading == "Due today"


def test_a_recurring_timescale_is_nudged_for_its_milestone_then_gets_check_ins(
    plan: PlanFactory, clockwork: Clockwork
) -> None:
    deb = plan.person("Deb Poole", slack="U0DEB")
    recurring = plan.action(deb, due_in=0, kind=TimescaleKind.RECURRING, text="Review the website, and ongoing")
    clockwork.run(nudges.run, at(MONDAY, 9, 0))
    for week in (1, 2, 3):
        clockwork.run(nudges.run, at(MONDAY + timedelta(weeks=week), 9, 0))
    assert [m.reply.sections[1].heading for m in clockwork.messages()] == ["Due today"], "no weekly overdue nudges"
    clockwork.run(nudges.run, at(MONDAY + timedelta(weeks=4), 9, 0))
    [_, check_in] = clockwork.rows()
    assert check_in.kind == "checkin" and check_in.payload["action_ids"] == [recurring.id]
    assert check_in.payload["reply"]["title"] == "Still on track? 1 ongoing action of yours"


def test_an_ongoing_action_gets_a_check_in_every_four_weeks_counted_from_its_last_update(
    plan: PlanFactory, clockwork: Clockwork, chat: Chat
) -> None:
    deb = plan.person("Deb Poole", slack="U0DEB")
    action = plan.action(deb, due_in=None, text="Keep the risk register current")
    clockwork.action_settings(action, updated_at=datetime(2018, 12, 24, 12, tzinfo=UTC))
    assert clockwork.run(nudges.run, at(MONDAY, 9, 0)) == 0, "three weeks since its last update"
    clockwork.run(nudges.run, at(date(2019, 1, 21), 9, 0))
    [row] = clockwork.rows()
    assert row.kind == "checkin"
    assert [s.heading for s in clockwork.messages()[0].reply.sections[1:]] == ["Still on track?"]
    for day in (date(2019, 1, 22), date(2019, 2, 15)):
        clockwork.run(nudges.run, at(day, 9, 0))
    assert len(clockwork.rows()) == 1
    clockwork.run(nudges.run, at(date(2019, 2, 18), 9, 0))
    assert len(clockwork.rows()) == 2, "four weeks after the check-in"


def test_before_sending_actions_no_longer_true_drop_out_and_an_empty_message_is_skipped(
    plan: PlanFactory, clockwork: Clockwork, chat: Chat
) -> None:
    deb = plan.person("Deb Poole", slack="U0DEB")
    first = plan.action(deb, due_in=7, text="First")
    second = plan.action(deb, due_in=-7, text="Second")
    clockwork.run(nudges.run, at(MONDAY, 9, 0))
    [row] = clockwork.rows()
    chat.ask(deb, f"done {second.id}")
    prepared = clockwork.prepare(row, at(MONDAY, 9, 1))
    assert isinstance(prepared, Ready)
    assert prepared.reply.title == "1 of your actions needs you today"
    assert [item.action_id for item in prepared.reply.items] == [first.id]
    chat.ask(deb, f"move {first.id} 2019-03-31 Cabinet moved")
    assert clockwork.prepare(row, at(MONDAY, 9, 2)) == Skip("no longer true: 1 done, 1 moved")


def test_a_person_with_many_actions_gets_a_page_and_how_many_more(plan: PlanFactory, clockwork: Clockwork) -> None:
    deb = plan.person("Deb Poole", Role.MANAGER, slack="U0DEB")
    for _ in range(13):
        plan.action(deb, due_in=-7)
    clockwork.run(nudges.run, at(MONDAY, 9, 0))
    [queued] = clockwork.messages()
    assert len(queued.action_ids) == 13 and len(queued.reply.plain_lines) == 11
    [message] = clockwork.sent(at(MONDAY, 9, 0))
    assert message.title == "13 of your actions need you today"
    assert len(message.items) == 10
    assert message.more is not None and message.more.text() == "3 more: type `mine`"
