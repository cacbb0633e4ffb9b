"""Weekly digests to subscribed channels at their weekday and hour, each covering the time since the last."""

from __future__ import annotations

import warnings
from datetime import UTC, date, datetime, timedelta

from bot.domain import Status, SubscriptionKind
from bot.notices import digests
from bot.render_text import render
from store.subscriptions import message_key
from tests.factories import Chat, PlanFactory
from tests.notices.clock import Clockwork, at

MONDAY = date(2019, 1, 14)
DIGEST = SubscriptionKind.DIGEST


def headings(clockwork: Clockwork, index: int) -> list[str]:
    return [s.heading or "" for s in clockwork.messages()[index].reply.sections if s.heading]


def test_a_channel_gets_its_digest_at_its_weekday_and_hour_once(plan: PlanFactory, clockwork: Clockwork) -> None:
    review = plan.review("Corporate Peer Challenge 2018")
    plan.action(plan.person("Deb Poole", slack="U0DEB"), review=review, due_in=-3)
    friday = clockwork.subscribe("C0PEER", review, DIGEST, made=at(MONDAY), weekday=4, hour=16)
    assert clockwork.run(digests.run, at(date(2019, 1, 18), 15, 59)) == 0
    assert clockwork.run(digests.run, at(date(2019, 1, 18), 16, 0)) == 1
    assert clockwork.run(digests.run, at(date(2019, 1, 18), 16, 5)) == 0
    [row] = clockwork.rows()
    assert (row.dedupe_key, row.kind, row.platform, row.target_key) == (
        f"digest:{message_key(friday)}:2019-01-18", "digest", "slack", "C0PEER"
    )
    assert row.payload["reply"]["title"] == "Weekly digest: Corporate Peer Challenge 2018"
    assert row.payload["reply"]["visibility"] == "channel"


def test_a_channel_subscribing_after_another_unsubscribed_gets_its_own_digest_that_day(
    plan: PlanFactory, clockwork: Clockwork
) -> None:
    plan.action(plan.person("Deb Poole"), due_in=-3)
    first = clockwork.subscribe("C0FIRST", None, DIGEST, made=at(MONDAY - timedelta(days=30)), hour=9)
    assert clockwork.run(digests.run, at(MONDAY, 9, 0)) == 1
    clockwork.unsubscribe(first)  # on SQLite the next subscription is given the same id
    clockwork.subscribe("C0SECOND", None, DIGEST, made=at(MONDAY, 10), hour=11)
    assert clockwork.run(digests.run, at(MONDAY, 11, 0)) == 1
    assert [row.target_key for row in clockwork.rows()] == ["C0FIRST", "C0SECOND"]


def test_each_digest_covers_the_time_since_the_last_one(
    plan: PlanFactory, clockwork: Clockwork, chat: Chat
) -> None:
    deb = plan.person("Deb Poole", slack="U0DEB")
    early = plan.action(deb, due_in=30, text="Done before the first digest")
    later = plan.action(deb, due_in=30, text="Done between the digests")
    clockwork.subscribe("C0PEER", None, DIGEST, made=at(MONDAY - timedelta(days=30)))
    plan.clock.set(at(MONDAY - timedelta(days=2)))
    chat.ask(deb, f"done {early.id}")
    clockwork.run(digests.run, at(MONDAY, 9, 0))
    plan.clock.set(at(MONDAY + timedelta(days=3)))
    chat.ask(deb, f"done {later.id}")
    clockwork.run(digests.run, at(MONDAY + timedelta(days=7), 9, 0))
    assert "Done since Mon 7 Jan 2019 (1)" in headings(clockwork, 0), "the first: the last 7 days"
    assert "Done since Mon 14 Jan 2019 (2)" not in headings(clockwork, 1)
    assert "Done since Mon 14 Jan 2019 (1)" in headings(clockwork, 1), "the second: since the first"
    done = next(s for s in clockwork.messages()[1].reply.sections if (s.heading or "").startswith("Done"))
    assert [i.text for i in done.items] == ["Done between the digests"]


def test_a_clock_that_was_down_sends_mondays_digest_on_tuesday_and_only_the_latest_of_missed_weeks(
    plan: PlanFactory, clockwork: Clockwork
) -> None:
    plan.action(plan.person("Deb Poole"), due_in=-3)
    subscription = clockwork.subscribe("C0PEER", None, DIGEST, made=at(MONDAY - timedelta(days=60)))
    assert clockwork.run(digests.run, at(MONDAY + timedelta(days=1), 14, 0)) == 1
    assert clockwork.rows()[0].dedupe_key == f"digest:{message_key(subscription)}:2019-01-14"
    assert clockwork.run(digests.run, at(MONDAY + timedelta(days=23), 10, 0)) == 1, "three weeks down: one digest"
    assert clockwork.rows()[1].dedupe_key == f"digest:{message_key(subscription)}:2019-02-04"


def test_a_subscription_made_after_this_weeks_slot_waits_for_the_next(
    plan: PlanFactory, clockwork: Clockwork
) -> None:
    plan.action(plan.person("Deb Poole"), due_in=-3)
    clockwork.subscribe("C0PEER", None, DIGEST, made=at(MONDAY, 11, 0))
    assert clockwork.run(digests.run, at(MONDAY, 12, 0)) == 0
    assert clockwork.run(digests.run, at(MONDAY + timedelta(days=7), 9, 0)) == 1


def test_the_digest_names_owners_the_bot_cannot_reach_and_flags_quiet_ongoing_actions(
    plan: PlanFactory, clockwork: Clockwork
) -> None:
    deb = plan.person("Deb Poole")  # not linked
    gareth = plan.person("Gareth Evans", teams="aad-gareth")  # on Teams, but the bot sends to Slack only
    linked = plan.person("Priya Shah", slack="U0PRI")
    plan.group("Group Leaders")
    review = plan.review("Corporate Peer Challenge 2018", linked)
    plan.action(deb, review=review, due_in=5)
    plan.action(deb, review=review, due_in=-5)
    plan.action(gareth, review=review, due_in=5)
    plan.action(linked, review=review, due_in=5)
    plan.action(deb, review=review, due_in=5, status=Status.DONE)  # finished: no longer chased
    quiet = plan.action(linked, review=review, due_in=None, text="Keep the risk register current")
    clockwork.action_settings(quiet, updated_at=datetime(2018, 11, 1, tzinfo=UTC))
    clockwork.subscribe("C0PEER", review, DIGEST, made=at(MONDAY - timedelta(days=30)))
    clockwork.run(digests.run, at(MONDAY, 9, 0), reach=frozenset({"slack"}))
    [message] = clockwork.messages()
    assert message.reply.plain_lines[-1] == (
        "3 actions have owners the bot cannot reach: Deb Poole (2), Gareth Evans (1). An admin can `link` them."
    )
    quiet_section = next(s for s in message.reply.sections if s.heading == "Ongoing, no update for 8 weeks (1)")
    assert [item.action_id for item in quiet_section.items] == [quiet.id]
    text = render(message.reply).text
    assert text.endswith("An admin can `link` them.")


def test_with_nowhere_to_send_the_digest_names_every_owner_and_group_as_unreachable(
    plan: PlanFactory, clockwork: Clockwork
) -> None:
    deb = plan.person("Deb Poole", slack="U0DEB")  # linked on Slack, but no platform is configured to send to
    leaders = plan.group("Group Leaders", plan.person("Priya Shah", teams="aad-priya"))
    review = plan.review("Corporate Peer Challenge 2018")
    plan.action(deb, review=review, due_in=5)
    plan.action(leaders, review=review, due_in=-5)
    clockwork.subscribe("C0PEER", review, DIGEST, made=at(MONDAY - timedelta(days=30)))
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # the query once warned of a cartesian product here
        clockwork.run(digests.run, at(MONDAY, 9, 0), reach=frozenset())
    [message] = clockwork.messages()
    assert message.reply.plain_lines[-1] == (
        "2 actions have owners the bot cannot reach: Deb Poole (1), Group Leaders (1, a group: no member to reach)."
        " An admin can `link` them."
    )


def test_digests_of_many_subscriptions_to_one_review_read_it_once(plan: PlanFactory, clockwork: Clockwork) -> None:
    review = plan.review("Corporate Peer Challenge 2018")
    plan.action(plan.person("Deb Poole"), review=review, due_in=-3)
    for channel in range(5):
        clockwork.subscribe(f"C{channel}", review, DIGEST, made=at(MONDAY - timedelta(days=30)))
    statements: list[str] = []
    from sqlalchemy import event

    def count(*args: object) -> None:
        statements.append(str(args[2]))

    event.listen(clockwork.engine, "before_cursor_execute", count)
    try:
        assert clockwork.run(digests.run, at(MONDAY, 9, 0)) == 5
    finally:
        event.remove(clockwork.engine, "before_cursor_execute", count)
    reads = [s for s in statements if s.lstrip().upper().startswith("SELECT")]
    assert len(reads) < 40, f"{len(reads)} reads for five digests of one review"
    assert len({m.reply.model_dump_json() for m in clockwork.messages()}) == 1


def test_digests_read_for_many_reviews_at_once_are_the_digests_read_one_by_one(
    plan: PlanFactory, clockwork: Clockwork, chat: Chat
) -> None:
    from bot.clock import FixedClock
    from bot.digest import build_digest, prefetch
    from bot.domain import Role
    from bot.unit_of_work import UnitOfWork

    lead = plan.person("Priya Shah", Role.MANAGER, slack="U0PRI")
    deb, cmt = plan.person("Deb Poole"), plan.group("CMT")
    plan.person("Sarah Collins", Role.ADMIN)
    reviews = [plan.review("Corporate Peer Challenge 2018", lead), plan.review("Scrutiny review of waste 2019"),
               plan.review("Empty review")]  # fmt: skip
    for n, due_in in enumerate([-40, -20, -3, 0, 2, 9, 13, 20, None, None, -1, 5]):
        owner = [deb, cmt, lead][n % 3]
        action = plan.action(owner, review=reviews[n % 2], due_in=due_in, status=[Status.ON_TRACK, Status.AT_RISK,
                             Status.NOT_STARTED, Status.OFF_TRACK][n % 4])  # fmt: skip
        if n % 5 == 0:
            plan.clock.set(at(MONDAY - timedelta(days=n % 7)))
            chat.ask(lead, f"done {action.id} finished")
        if due_in is None:
            clockwork.action_settings(action, updated_at=datetime(2018, 10, 1, tzinfo=UTC))
    since = at(MONDAY - timedelta(days=7))
    reach = frozenset({"slack"})
    uow = UnitOfWork(clockwork.engine, FixedClock(at(MONDAY, 9)), clockwork.settings)

    def both(work: object) -> list[tuple[object, object]]:
        session, today, zone = work.session, work.today, work.zone  # type: ignore[attr-defined]
        memo: dict[tuple[object, ...], object] = {}
        ids = [review.id or 0 for review in reviews]
        prefetch(session, today=today, zone=zone, review_ids=ids, sinces={since}, reach=reach, memo=memo)
        pairs = []
        for review in reviews:
            kwargs = dict(today=today, since=since, zone=zone, review_ids=[review.id or 0], scope_label=review.title,
                          scope_command=f" {review.title}", reach=reach)  # fmt: skip
            pairs.append((build_digest(session, **kwargs, memo=memo), build_digest(session, **kwargs)))  # type: ignore[arg-type]
        return pairs

    pairs = uow.run(both, writes=False)
    for batched, alone in pairs:
        assert batched == alone
    assert any(s.heading and s.heading.startswith("Done since") for s in pairs[0][1].sections)  # type: ignore[attr-defined]
    first = [s.heading for s in pairs[0][1].sections if s.heading]  # type: ignore[attr-defined]
    assert first == ["Overdue (1)", "Due in the next 14 days (2)", "Done since Mon 7 Jan 2019 (2)",
                     "Changes since Mon 7 Jan 2019", "Ongoing, no update for 8 weeks (1)"]  # fmt: skip
    assert pairs[1][1].plain_lines[-2].startswith("This review has no lead")  # type: ignore[attr-defined]
    assert pairs[1][1].plain_lines[-1].startswith("4 actions have owners the bot cannot reach")  # type: ignore[attr-defined]
