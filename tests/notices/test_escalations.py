"""Escalations: a review's leads are told once when an action passes N days overdue; no lead, the admins."""

from __future__ import annotations

from datetime import date, timedelta

from bot.clock import FixedClock
from bot.digest import build_digest
from bot.domain import Role, Status, TimescaleKind
from bot.notices import escalations
from bot.notices.messages import Ready, Skip
from bot.render_text import render
from bot.unit_of_work import UnitOfWork
from tests.factories import Chat, PlanFactory
from tests.notices.clock import Clockwork, at

MONDAY = date(2019, 1, 14)


def test_the_leads_are_told_once_when_an_action_is_fourteen_days_overdue(
    plan: PlanFactory, clockwork: Clockwork
) -> None:
    priya = plan.person("Priya Shah", Role.MANAGER, slack="U0PRI")
    tom = plan.person("Tom Hughes", Role.MANAGER, teams="aad-tom")
    deb = plan.person("Deb Poole", slack="U0DEB")
    review = plan.review("Corporate Peer Challenge 2018", priya, tom)
    crossing = plan.action(deb, review=review, due_in=-14, text="Agree the terms of reference")
    next_day = plan.action(deb, review=review, due_in=-13, text="Not yet")
    reach = frozenset({"slack", "teams"})
    assert clockwork.run(escalations.run, at(MONDAY, 9, 0), reach) == 2
    rows = clockwork.rows()
    assert [(r.dedupe_key, r.platform, r.target_key) for r in rows] == [
        (f"escalation:{priya.id}:2019-01-14", "slack", "U0PRI"),
        (f"escalation:{tom.id}:2019-01-14", "teams", "user:aad-tom"),
    ]
    message = clockwork.messages()[0]
    assert message.action_ids == (crossing.id,)
    text = render(message.reply).text
    assert text.splitlines()[0] == "== Escalation: 1 action now 14 days overdue =="
    assert "Not finished 14 days after the deadline: Deb Poole (#1, 14 days overdue)." in text
    for day in range(1, 10):
        clockwork.run(escalations.run, at(MONDAY + timedelta(days=day), 9, 0), reach)
    told = [r.action_id for r in clockwork.rows()]
    assert told == [crossing.id, crossing.id, next_day.id, next_day.id], "each told once, to each lead"


def test_a_review_can_set_its_own_escalation_point(plan: PlanFactory, clockwork: Clockwork) -> None:
    priya = plan.person("Priya Shah", Role.MANAGER, slack="U0PRI")
    review = plan.review("Scrutiny review of waste 2019", priya)
    clockwork.review_settings(review, escalation_days=21)
    plan.action(plan.person("Deb Poole"), review=review, due_in=-14)
    assert clockwork.run(escalations.run, at(MONDAY, 9, 0)) == 0
    assert clockwork.run(escalations.run, at(MONDAY + timedelta(days=7), 9, 0)) == 1
    assert clockwork.rows()[0].payload["reply"]["title"] == "Escalation: 1 action now 21 days overdue"


def test_a_crossing_at_the_weekend_is_told_on_monday(plan: PlanFactory, clockwork: Clockwork) -> None:
    priya = plan.person("Priya Shah", Role.MANAGER, slack="U0PRI")
    review = plan.review("Corporate Peer Challenge 2018", priya)
    deb = plan.person("Deb Poole")
    saturday = plan.action(deb, review=review, due_in=-16)  # 14 days overdue on Saturday 12th
    sunday = plan.action(deb, review=review, due_in=-15)
    clockwork.run(escalations.run, at(MONDAY - timedelta(days=3), 9, 0))
    assert clockwork.rows() == []
    assert clockwork.run(escalations.run, at(MONDAY, 9, 0)) == 1
    assert set(clockwork.messages()[0].action_ids) == {saturday.id, sunday.id}


def test_a_review_with_no_lead_escalates_to_the_admins_and_its_digest_says_so(
    plan: PlanFactory, clockwork: Clockwork
) -> None:
    sarah = plan.person("Sarah Collins", Role.ADMIN, slack="U0SAR")
    review = plan.review("Corporate Peer Challenge 2018")
    plan.action(plan.person("Deb Poole", slack="U0DEB"), review=review, due_in=-14)
    assert clockwork.run(escalations.run, at(MONDAY, 9, 0)) == 1
    [row] = clockwork.rows()
    assert row.target_key == "U0SAR" and row.person_id == sarah.id
    assert "This review has no lead, so this comes to the admins" in render(clockwork.messages()[0].reply).text
    uow = UnitOfWork(clockwork.engine, FixedClock(at(MONDAY, 9)), clockwork.settings)
    digest = uow.run(
        lambda work: build_digest(
            work.session, today=MONDAY, since=at(MONDAY - timedelta(days=7)), zone=work.zone,
            review_ids=[review.id or 0], scope_label=review.title, scope_command="",
        ),
        writes=False,
    )  # fmt: skip
    assert "This review has no lead: its escalations go to the admins (Sarah Collins)." in digest.plain_lines


def test_with_no_lead_and_no_admin_the_escalation_is_recorded_unreachable(
    plan: PlanFactory, clockwork: Clockwork
) -> None:
    review = plan.review("Corporate Peer Challenge 2018")
    plan.action(plan.person("Deb Poole"), review=review, due_in=-14)
    assert clockwork.run(escalations.run, at(MONDAY, 9, 0)) == 1
    [row] = clockwork.rows()
    assert (row.state, row.target_key) == ("unreachable", f"review:{review.id}")
    assert row.last_error is not None and "no lead and nobody is an admin" in row.last_error


def test_a_new_deadline_missed_again_is_escalated_again(plan: PlanFactory, clockwork: Clockwork, chat: Chat) -> None:
    priya = plan.person("Priya Shah", Role.MANAGER, slack="U0PRI")
    review = plan.review("Corporate Peer Challenge 2018", priya)
    action = plan.action(plan.person("Deb Poole"), review=review, due_in=-14)
    clockwork.run(escalations.run, at(MONDAY, 9, 0))
    plan.clock.set(at(MONDAY, 10))
    chat.ask(priya, f"move {action.id} 2019-01-18 agreed a new date with Cabinet")
    assert clockwork.run(escalations.run, at(date(2019, 2, 1), 9, 0)) == 1
    assert [r.dedupe_key[-10:] for r in clockwork.rows()] == ["2019-01-14", "2019-02-01"]


def test_recurring_and_finished_actions_are_not_escalated(plan: PlanFactory, clockwork: Clockwork) -> None:
    priya = plan.person("Priya Shah", Role.MANAGER, slack="U0PRI")
    review = plan.review("Corporate Peer Challenge 2018", priya)
    deb = plan.person("Deb Poole")
    plan.action(deb, review=review, due_in=-14, kind=TimescaleKind.RECURRING)
    plan.action(deb, review=review, due_in=-14, status=Status.DONE)
    assert clockwork.run(escalations.run, at(MONDAY, 9, 0)) == 0


def test_an_escalation_no_longer_true_when_its_turn_comes_is_skipped(
    plan: PlanFactory, clockwork: Clockwork, chat: Chat
) -> None:
    priya = plan.person("Priya Shah", Role.MANAGER, slack="U0PRI")
    review = plan.review("Corporate Peer Challenge 2018", priya)
    deb = plan.person("Deb Poole")
    first = plan.action(deb, review=review, due_in=-14)
    second = plan.action(deb, review=review, due_in=-14)
    clockwork.run(escalations.run, at(MONDAY, 9, 0))
    [row] = clockwork.rows()
    plan.clock.set(at(MONDAY, 9, 1))
    chat.ask(priya, f"drop {first.id} no longer needed after the restructure")
    prepared = clockwork.prepare(row, at(MONDAY, 9, 1))
    assert isinstance(prepared, Ready) and [i.action_id for i in prepared.reply.items] == [second.id]
    chat.ask(priya, f"done {second.id}")
    assert clockwork.prepare(row, at(MONDAY, 9, 2)) == Skip("no longer true: 1 done, 1 dropped")
