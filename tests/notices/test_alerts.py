"""Overdue alerts: on working mornings, a subscribed channel hears what became overdue since the last alert."""

from __future__ import annotations

from datetime import date, timedelta

from bot.domain import SubscriptionKind
from bot.notices import alerts
from bot.notices.messages import Skip
from bot.render_text import render
from store.subscriptions import message_key
from tests.factories import Chat, PlanFactory
from tests.notices.clock import Clockwork, at

MONDAY = date(2019, 1, 14)
OVERDUE = SubscriptionKind.OVERDUE


def test_a_channel_hears_each_morning_what_became_overdue_and_nothing_when_nothing_did(
    plan: PlanFactory, clockwork: Clockwork
) -> None:
    review = plan.review("Corporate Peer Challenge 2018")
    deb = plan.person("Deb Poole")
    plan.action(deb, review=review, due_in=-30, text="Long overdue: not news")
    friday = plan.action(deb, review=review, due_in=-3, text="Due last Friday")
    sunday = plan.action(deb, review=review, due_in=-1, text="Due on Sunday")
    tuesday = plan.action(deb, review=review, due_in=1, text="Due on Tuesday")
    subscription = clockwork.subscribe("C0PEER", review, OVERDUE, made=at(MONDAY - timedelta(days=3), 12))
    assert clockwork.run(alerts.run, at(MONDAY, 8, 59)) == 0
    assert clockwork.run(alerts.run, at(MONDAY, 9, 0)) == 1
    [row] = clockwork.rows()
    key = f"overdue:{message_key(subscription)}:2019-01-14"
    assert (row.dedupe_key, row.kind, row.target_key) == (key, "overdue", "C0PEER")
    text = render(clockwork.messages()[0].reply).text
    assert text.splitlines()[0] == "== 2 actions became overdue: Corporate Peer Challenge 2018 =="
    assert [i.action_id for i in clockwork.messages()[0].reply.items] == [friday.id, sunday.id]
    assert clockwork.run(alerts.run, at(MONDAY, 15, 0)) == 0, "one a morning"
    assert clockwork.run(alerts.run, at(MONDAY + timedelta(days=1), 9, 0)) == 0, "nothing became overdue on Monday"
    assert clockwork.run(alerts.run, at(MONDAY + timedelta(days=2), 9, 0)) == 1
    assert clockwork.messages()[1].action_ids == (tuesday.id,)


def test_no_alert_at_the_weekend_and_monday_covers_it(plan: PlanFactory, clockwork: Clockwork) -> None:
    deb = plan.person("Deb Poole")
    friday = plan.action(deb, due_in=-3)
    saturday = plan.action(deb, due_in=-2)
    clockwork.subscribe("C0PEER", None, OVERDUE, made=at(MONDAY - timedelta(days=10)))
    clockwork.run(alerts.run, at(MONDAY - timedelta(days=3), 9, 0))  # Friday
    for day in (2, 1):
        assert clockwork.run(alerts.run, at(MONDAY - timedelta(days=day), 10, 0)) == 0
    clockwork.run(alerts.run, at(MONDAY, 9, 30))
    assert clockwork.messages()[-1].action_ids == (friday.id, saturday.id)


def test_a_channel_subscribed_to_all_reviews_is_not_alerted_twice(plan: PlanFactory, clockwork: Clockwork) -> None:
    review = plan.review("Corporate Peer Challenge 2018")
    plan.action(plan.person("Deb Poole"), review=review, due_in=-1)
    clockwork.subscribe("C0PEER", None, OVERDUE, made=at(MONDAY - timedelta(days=3)))
    clockwork.subscribe("C0PEER", review, OVERDUE, made=at(MONDAY - timedelta(days=3)))
    assert clockwork.run(alerts.run, at(MONDAY, 9, 0)) == 1


def test_an_alert_whose_actions_were_done_before_it_went_is_skipped(
    plan: PlanFactory, clockwork: Clockwork, chat: Chat
) -> None:
    deb = plan.person("Deb Poole")
    action = plan.action(deb, due_in=-1)
    clockwork.subscribe("C0PEER", None, OVERDUE, made=at(MONDAY - timedelta(days=3)))
    clockwork.run(alerts.run, at(MONDAY, 9, 0))
    chat.ask(deb, f"done {action.id}")
    assert clockwork.prepare(clockwork.rows()[0], at(MONDAY, 9, 1)) == Skip("no longer true: 1 done")


def test_a_channel_subscribing_after_another_unsubscribed_hears_of_todays_overdue_actions(
    plan: PlanFactory, clockwork: Clockwork
) -> None:
    review = plan.review("Corporate Peer Challenge 2018")
    plan.action(plan.person("Deb Poole"), review=review, due_in=-1, text="Due on Sunday")
    first = clockwork.subscribe("C0FIRST", review, OVERDUE, made=at(MONDAY - timedelta(days=3), 12))
    assert clockwork.run(alerts.run, at(MONDAY, 9, 0)) == 1
    clockwork.unsubscribe(first)  # on SQLite the next subscription is given the same id
    clockwork.subscribe("C0SECOND", review, OVERDUE, made=at(MONDAY - timedelta(days=3), 13))
    assert clockwork.run(alerts.run, at(MONDAY, 10, 0)) == 1
    assert [row.target_key for row in clockwork.rows()] == ["C0FIRST", "C0SECOND"]
