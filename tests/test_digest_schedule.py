"""``subscribe <review> digest friday 16:00``: the digest's day and hour, Mondays 09:00 unless said."""

from __future__ import annotations

from sqlalchemy import Engine
from sqlmodel import select

from bot.domain import Role
from bot.replies import Tone
from store.models import Subscription
from store.session import transaction
from tests.factories import Chat, PlanFactory


def schedules(engine: Engine) -> list[tuple[str, str, int, int]]:
    with transaction(engine, write=False) as session:
        rows = session.exec(select(Subscription).order_by(Subscription.id))
        return [(s.scope, s.kind.value, s.weekday, s.hour) for s in rows]


def test_a_channel_chooses_the_day_and_hour_of_its_digest(plan: PlanFactory, chat: Chat, engine: Engine) -> None:
    rep = plan.person("Owen Price", Role.UNION_REP)
    review = plan.review("Corporate Peer Challenge 2018")
    reply = chat.ask(rep, "subscribe Corporate Peer Challenge 2018 digest friday 16:00", channel="C-UNISON")
    assert reply.plain_lines == [
        "This channel will now receive the weekly digest (Fridays 16:00) for 'Corporate Peer Challenge 2018'. "
        "(Set up by Owen Price; `unsubscribe` stops it.)"
    ]
    assert schedules(engine) == [(f"review:{review.id}", "digest", 4, 16)]


def test_the_digest_is_mondays_at_nine_unless_said(plan: PlanFactory, chat: Chat, engine: Engine) -> None:
    rep = plan.person("Owen Price", Role.UNION_REP)
    chat.ask(rep, "subscribe all", channel="C-UNISON")
    chat.ask(rep, "subscribe all updates", channel="C-UNISON")
    assert schedules(engine) == [("all", "digest", 0, 9), ("all", "updates", 0, 9)]


def test_saying_a_new_day_and_hour_moves_the_digest(plan: PlanFactory, chat: Chat, engine: Engine) -> None:
    rep = plan.person("Owen Price", Role.UNION_REP)
    chat.ask(rep, "subscribe all digest friday 4pm", channel="C-UNISON")
    moved = chat.ask(rep, "subscribe all digest on tuesdays at 08:00", channel="C-UNISON")
    assert moved.plain_lines == [
        "This channel's weekly digest for all reviews now comes on Tuesdays 08:00 (was Fridays 16:00). (By Owen Price.)"
    ]
    same = chat.ask(rep, "subscribe all tuesday 08:00", channel="C-UNISON")
    assert same.tone is Tone.INFO
    assert same.plain_lines == ["This channel already receives the weekly digest (Tuesdays 08:00) for all reviews."]
    assert schedules(engine) == [("all", "digest", 1, 8)]
    gone = chat.ask(rep, "unsubscribe all", channel="C-UNISON")
    assert gone.plain_lines[0].startswith("This channel will no longer receive the weekly digest (Tuesdays 08:00)")


def test_a_time_that_is_not_on_the_hour_or_reads_two_ways_is_refused(
    plan: PlanFactory, chat: Chat, engine: Engine
) -> None:
    rep = plan.person("Owen Price", Role.UNION_REP)
    assert chat.ask(rep, "subscribe all digest friday 16:30", channel="C-UNISON").plain_lines == [
        "Digests go out on the hour: say 16:00 or 17:00, not 16:30. Try: subscribe <review|all> digest friday 16:00"
    ]
    assert chat.ask(rep, "subscribe all digest friday 4", channel="C-UNISON").plain_lines == [
        "'4' could be 04:00 or 16:00: which? Write 4am or 4pm. Try: subscribe <review|all> digest friday 16:00"
    ]
    assert chat.ask(rep, "subscribe all digest friday 25:00", channel="C-UNISON").tone is Tone.ERROR
    assert schedules(engine) == []
