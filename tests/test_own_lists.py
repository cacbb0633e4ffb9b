"""``overdue`` for someone without oversight is their own list, with a line saying why; ``my overdue
actions`` and ``my actions due this week`` are the asker's own, whoever asks."""

from __future__ import annotations

from bot.domain import Role
from bot.replies import Tone
from tests.factories import Chat, PlanFactory

COUNCIL_WIDE = "The council-wide overdue list is for SMT, managers and admins."


def test_an_officer_with_nothing_overdue_is_told_so_and_why_the_list_is_theirs(
    plan: PlanFactory, chat: Chat
) -> None:
    kevin = plan.person("Kevin Dicks")
    deb = plan.person("Deb Poole")
    plan.action(kevin, due_in=4)
    plan.action(deb, due_in=-4, text="Deb's late action")
    reply = chat.ask(kevin, "what's overdue?")
    assert reply.tone is not Tone.ERROR
    assert reply.title == "Your overdue actions"
    assert reply.plain_lines == ["None of your actions is overdue. 🎉", COUNCIL_WIDE]


def test_an_officer_asking_overdue_in_a_review_sees_their_own_in_it(plan: PlanFactory, chat: Chat) -> None:
    kevin = plan.person("Kevin Dicks")
    first, second = plan.review("Corporate Peer Challenge 2018"), plan.review("Scrutiny Review 2019")
    mine_here = plan.action(kevin, review=first, due_in=-2, text="Late here")
    mine_there = plan.action(kevin, review=second, due_in=-2, text="Late there")
    text = chat.text(kevin, "overdue in Scrutiny Review 2019")
    assert "1 of your actions in 'Scrutiny Review 2019' is overdue, as of Mon 14 Jan 2019." in text
    assert f"#{mine_there.id}" in text and f"#{mine_here.id}" not in text
    assert COUNCIL_WIDE in text


def test_smt_asking_for_their_own_overdue_actions_gets_only_theirs(plan: PlanFactory, chat: Chat) -> None:
    alex = plan.person("Alex Morgan", Role.SMT)
    deb = plan.person("Deb Poole")
    own = plan.action(alex, due_in=-5, text="Alex's late action")
    other = plan.action(deb, due_in=-5, text="Deb's late action")
    text = chat.text(alex, "my overdue actions")
    assert "1 of your actions is overdue" in text and COUNCIL_WIDE not in text
    assert f"#{own.id}" in text and f"#{other.id}" not in text
    everyone = chat.text(alex, "overdue")
    assert "2 overdue actions, 2 owners" in everyone


def test_my_actions_due_this_week_are_only_mine(plan: PlanFactory, chat: Chat) -> None:
    alex = plan.person("Alex Morgan", Role.SMT)
    deb = plan.person("Deb Poole")
    own = plan.action(alex, due_in=3)
    other = plan.action(deb, due_in=3)
    text = chat.text(alex, "my actions due this week")
    assert "== Your actions due this week ==" in text
    assert "1 action of yours due Mon 14 Jan 2019 to Sun 20 Jan 2019." in text
    assert f"#{own.id}" in text and f"#{other.id}" not in text
    assert f"#{other.id}" in chat.text(alex, "due this week")
