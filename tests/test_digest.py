"""The weekly digest, previewed with ``digest``: counts, overdue, due soon, done and changes; empty parts left out."""

from __future__ import annotations

from datetime import timedelta

from bot.clock import FixedClock
from bot.domain import Role, Status
from bot.replies import Visibility
from tests.factories import Chat, PlanFactory


def headings(reply: object) -> list[str]:
    return [s.heading for s in reply.sections if s.heading]  # type: ignore[attr-defined]


def test_digest_counts_by_rag_and_lists_overdue_due_soon_done_and_changes(
    plan: PlanFactory, chat: Chat, clock: FixedClock
) -> None:
    deb = plan.person("Deb Poole")
    rep = plan.person("Owen Price", Role.UNION_REP)
    plan.action(deb, due_in=-4, text="Late one")
    plan.action(deb, due_in=3, status=Status.AT_RISK, text="Soon and at risk")
    finishing = plan.action(deb, due_in=30, status=Status.ON_TRACK, text="Finished this week")
    plan.action(deb, due_in=60, text="Far off")
    clock.advance(timedelta(days=-2))
    chat.ask(deb, f"done {finishing.id} signed off by Cabinet")
    clock.advance(timedelta(days=2))
    reply = chat.ask(rep, "digest")
    assert reply.visibility is Visibility.PRIVATE
    assert reply.title == "Weekly digest: All reviews"
    counts = {fact.label: fact.value for fact in reply.sections[0].facts}
    assert counts == {"Red": "1", "Amber": "1", "Green": "1", "Grey": "1"}
    assert headings(reply) == ["Overdue (1)", "Due in the next 14 days (1)", "Done since Mon 7 Jan 2019 (1)",
                               "Changes since Mon 7 Jan 2019"]
    assert [i.text for i in reply.sections[1].items] == ["Late one"]
    assert [i.text for i in reply.sections[3].items] == ["Finished this week"]
    assert "signed off by Cabinet" in reply.sections[4].lines[0]
    assert all(not item.buttons for item in reply.items), "digests carry no buttons"


def test_digest_of_one_review_leaves_empty_sections_out(plan: PlanFactory, chat: Chat) -> None:
    deb = plan.person("Deb Poole")
    quiet = plan.review("Scrutiny review of waste 2019")
    busy = plan.review("Corporate Peer Challenge 2018")
    plan.action(deb, review=quiet, due_in=90)
    plan.action(deb, review=busy, due_in=-3)
    reply = chat.ask(deb, "digest scrutiny review")
    assert reply.title == "Weekly digest: Scrutiny review of waste 2019"
    assert headings(reply) == []
    assert reply.sections[0].lines == ["Scrutiny review of waste 2019: 1 action, as of Mon 14 Jan 2019."]


def test_a_long_overdue_list_in_the_digest_says_how_to_see_the_rest(plan: PlanFactory, chat: Chat) -> None:
    deb = plan.person("Deb Poole")
    for days in range(8):
        plan.action(deb, due_in=-1 - days)
    reply = chat.ask(deb, "digest")
    overdue = reply.sections[1]
    assert overdue.heading == "Overdue (8)" and len(overdue.items) == 5
    assert overdue.lines == ["…and 3 more: `overdue` lists all 8."]
