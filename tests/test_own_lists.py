"""``overdue`` for someone without oversight is their own list, with a line saying why; ``my overdue
actions`` and ``my actions due this week`` are the asker's own, whoever asks."""

from __future__ import annotations

from bot.domain import Role, Status
from bot.replies import Tone
from store import action_lists
from store.session import transaction
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


def test_one_persons_overdue_list_pages_and_counts_like_the_council_wide_one(plan: PlanFactory, chat: Chat) -> None:
    """One person's overdue actions are one statement (store.action_lists): owned directly or through a group,
    the whole list's count and lead owners with the page, and a page past the end still says how long it is."""
    kevin = plan.person("Kevin Dicks")
    alex = plan.person("Alex Morgan", Role.SMT)
    team = plan.group("Comms Team", kevin)
    own = [plan.action(kevin, due_in=-day) for day in (3, 9, 6)]
    teams = plan.action(team, due_in=-4)
    plan.action(kevin, due_in=2)  # not yet due
    plan.action(kevin, due_in=-5, status=Status.DONE)  # done late is not overdue
    plan.action(alex, due_in=-7)  # someone else's
    kevin_id = kevin.id or 0
    with transaction(plan.engine, write=False) as session:
        first = action_lists.overdue_actions(session, plan.today, 2, owner_person_id=kevin_id, asker_id=kevin_id)
        second = action_lists.overdue_actions(session, plan.today, 2, 2, owner_person_id=kevin_id)
        past = action_lists.overdue_actions(session, plan.today, 2, 6, owner_person_id=kevin_id)
        nobody = action_lists.overdue_actions(session, plan.today, 2, owner_person_id=alex.id or 0)
    order = [teams.id, own[1].id, own[2].id, own[0].id]  # by lead owner, then most overdue first
    assert [row.action.id for row in first.rows + second.rows] == order
    assert (first.total, first.owners, second.total, second.owners) == (4, 2, 4, 2)
    assert first.owned_or_led == {teams.id, own[1].id} and second.owned_or_led is None
    assert (past.rows, past.total, past.owners) == ([], 4, 2)
    assert (nobody.total, nobody.owners) == (1, 1)
    reply = chat.ask(kevin, "overdue")
    assert [item.action_id for item in reply.items] == order and all(item.buttons for item in reply.items)
    assert "4 of your actions are overdue" in reply.plain_lines[0]
    assert [item.buttons for item in chat.ask(alex, "overdue @Kevin Dicks").items] == [[]] * 4
