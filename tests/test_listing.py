"""Listing actions: ``mine``, ``overdue``, ``due`` and ``reviews``, paged, with the right buttons."""

from __future__ import annotations

from datetime import timedelta

from bot.clock import FixedClock
from bot.domain import Rag, Role, Status
from bot.replies import ButtonIntent, Tone
from store.models import Person
from tests.factories import Chat, PlanFactory


def test_mine_lists_my_open_actions_due_soonest_first_with_buttons(plan: PlanFactory, chat: Chat) -> None:
    deb = plan.person("Deb Poole")
    later = plan.action(deb, due_in=30, text="Refresh the workforce strategy")
    undated = plan.action(deb, due_in=None, text="Regular all-member briefings")
    sooner = plan.action(deb, due_in=2, text="Publish the process map")
    plan.action(deb, due_in=1, status=Status.DONE, text="Already done")
    reply = chat.ask(deb, "mine")
    assert [item.action_id for item in reply.items] == [sooner.id, later.id, undated.id]
    assert [b.intent for b in reply.items[0].buttons] == [
        ButtonIntent.DONE, ButtonIntent.ON_TRACK, ButtonIntent.AT_RISK, ButtonIntent.UPDATE, ButtonIntent.SNOOZE,
    ]
    assert "3 open actions" in reply.plain_lines[0]


def test_mine_includes_actions_owned_by_my_groups(plan: PlanFactory, chat: Chat) -> None:
    deb = plan.person("Deb Poole")
    cmt = plan.group("CMT", deb)
    action = plan.action(cmt, due_in=5, text="Each Director to confirm resources")
    reply = chat.ask(deb, "mine")
    assert [item.action_id for item in reply.items] == [action.id]
    assert reply.items[0].facts[0].value == "CMT"


def test_mine_says_so_when_there_is_nothing_to_do(plan: PlanFactory, chat: Chat) -> None:
    deb = plan.person("Deb Poole")
    assert "You have no open actions" in chat.text(deb, "mine")


def test_a_long_list_shows_a_page_and_says_how_many_more(plan: PlanFactory, chat: Chat) -> None:
    deb = plan.person("Deb Poole")
    for day in range(23):
        plan.action(deb, due_in=day + 1)
    first = chat.ask(deb, "mine")
    assert len(first.items) == 10
    assert first.more is not None and first.more.text() == "13 more: type `mine page 2`"
    third = chat.ask(deb, "mine page 3")
    assert len(third.items) == 3 and third.more is None


def test_overdue_groups_by_owner_with_days_overdue(plan: PlanFactory, chat: Chat) -> None:
    ceo = plan.person("Kevin Dicks", Role.SMT)
    deb = plan.person("Deb Poole")
    jayne = plan.person("Jayne Pickering")
    plan.action(jayne, due_in=-3, text="Refresh the medium term financial strategy")
    plan.action(deb, due_in=-20, text="Draft the accountability process map")
    plan.action(deb, due_in=-1, text="Publish the measures of success")
    plan.action(deb, due_in=5, text="Not yet due")
    plan.action(deb, due_in=-9, status=Status.DONE, text="Done late is not overdue")
    reply = chat.ask(ceo, "overdue")
    owners = [section.heading for section in reply.sections if section.heading]
    assert owners == ["Deb Poole", "Jayne Pickering"]
    deb_items = reply.sections[1].items
    assert [item.text for item in deb_items] == ["Draft the accountability process map",
                                                 "Publish the measures of success"]
    assert "(20 days overdue)" in deb_items[0].facts[1].value
    assert "(1 day overdue)" in deb_items[1].facts[1].value
    assert all(item.rag is Rag.RED for item in reply.items)
    assert "3 overdue actions, 2 owners" in reply.sections[0].lines[0]


def test_overdue_for_one_review_and_one_owner(plan: PlanFactory, chat: Chat) -> None:
    ceo = plan.person("Kevin Dicks", Role.SMT)
    deb = plan.person("Deb Poole", slack="U0DEB")
    jayne = plan.person("Jayne Pickering")
    peer = plan.review("Corporate Peer Challenge 2018")
    scrutiny = plan.review("Scrutiny review of waste 2019")
    in_peer = plan.action(deb, review=peer, due_in=-3)
    plan.action(deb, review=scrutiny, due_in=-3)
    plan.action(jayne, review=peer, due_in=-3)
    by_review_and_owner = chat.ask(ceo, "overdue peer challenge @Deb Poole")
    assert [item.action_id for item in by_review_and_owner.items] == [in_peer.id]
    assert "in 'Corporate Peer Challenge 2018' for Deb Poole" in by_review_and_owner.sections[0].lines[0]
    slack_ceo = plan.person("Slack CEO", Role.SMT, slack="U0CEO")
    from bot.requests import Actor

    by_mention = chat.ask(Actor(platform="slack", user_id=slack_ceo.slack_user_id or ""), "overdue <@U0DEB|deb>")
    assert len(by_mention.items) == 2


def test_overdue_for_an_unknown_owner_suggests_the_closest_name(plan: PlanFactory, chat: Chat) -> None:
    ceo = plan.person("Kevin Dicks", Role.SMT)
    plan.person("Jayne Pickering")
    reply = chat.ask(ceo, "overdue @Jayne Pickring")
    assert reply.tone is Tone.ERROR
    assert reply.plain_lines == ["Nobody in the plan is called 'Jayne Pickring'. Did you mean Jayne Pickering?"]


def test_overdue_when_nothing_is(plan: PlanFactory, chat: Chat) -> None:
    ceo = plan.person("Kevin Dicks", Role.SMT)
    assert "Nothing is overdue" in chat.text(ceo, "overdue")


def test_due_lists_actions_in_the_window_soonest_first(plan: PlanFactory, chat: Chat) -> None:
    deb = plan.person("Deb Poole")
    today = plan.action(deb, due_in=0)
    in_six = plan.action(deb, due_in=6)
    plan.action(deb, due_in=8)
    plan.action(deb, due_in=-1)
    plan.action(deb, due_in=3, status=Status.DONE)
    assert [item.action_id for item in chat.ask(deb, "due").items] == [today.id, in_six.id]
    assert len(chat.ask(deb, "due 30d").items) == 3


def test_due_this_week_runs_to_sunday(plan: PlanFactory, chat: Chat) -> None:
    deb = plan.person("Deb Poole")  # the tests' today is Monday 14 January 2019
    sunday = plan.action(deb, due_in=6)
    plan.action(deb, due_in=7)
    reply = chat.ask(deb, "due this week")
    assert [item.action_id for item in reply.items] == [sunday.id]
    assert "Mon 14 Jan 2019 to Sun 20 Jan 2019" in reply.sections[0].lines[0]


def test_reviews_show_progress_and_overdue_counts(plan: PlanFactory, chat: Chat) -> None:
    deb = plan.person("Deb Poole")
    peer = plan.review("Corporate Peer Challenge 2018")
    plan.action(deb, review=peer, status=Status.DONE, percent=100)
    plan.action(deb, review=peer, due_in=-4)
    plan.action(deb, review=peer, due_in=4, status=Status.AT_RISK)
    plan.action(deb, review=peer, status=Status.DROPPED)
    reply = chat.ask(deb, "reviews")
    section = reply.sections[0]
    assert section.heading == "Corporate Peer Challenge 2018"
    facts = {fact.label: fact.value for fact in section.facts}
    assert facts["Progress"] == "1 of 3 done (33%)"
    assert facts["Overdue"] == "1"
    assert facts["At risk / off track"] == "1 / 0"
    assert facts["Dropped"] == "1"


def test_buttons_only_for_people_who_may_change_the_action(plan: PlanFactory, chat: Chat) -> None:
    ceo = plan.person("Kevin Dicks", Role.SMT)
    deb = plan.person("Deb Poole")
    plan.action(deb, due_in=-2)
    assert chat.ask(ceo, "overdue").items[0].buttons == []
    assert chat.ask(deb, "due 30d").items == []  # overdue actions are not "due"
    assert chat.ask(deb, "mine").items[0].buttons != []


def test_the_same_list_asked_on_later_days_says_each_day_how_soon_or_late(
    plan: PlanFactory, chat: Chat, clock: FixedClock
) -> None:
    """Due dates and statuses are worked out once per day and value (bot.views), never carried to another day."""
    deb = plan.person("Deb Poole")
    action = plan.action(deb, due_in=1, status=Status.AT_RISK, percent=40)
    said = []
    for _ in range(3):
        [item] = chat.ask(deb, "mine").items
        said.append((item.facts[1].value.split(" (")[1], item.facts[2].value, item.rag))
        clock.advance(timedelta(days=1))
    assert said == [("tomorrow)", "At risk · 40%", Rag.AMBER), ("today)", "At risk · 40%", Rag.AMBER),
                    ("1 day overdue)", "At risk · 40%", Rag.RED)]
    chat.ask(deb, f"snooze {action.id} 7d")
    [item] = chat.ask(deb, "mine").items
    assert item.facts[2].value.startswith("At risk · 40% · snoozed until ") and item.snoozed
    clock.advance(timedelta(days=30))
    [item] = chat.ask(deb, "mine").items
    assert item.facts[2].value == "At risk · 40%" and not item.snoozed
    assert item.facts[1].value.endswith("(32 days overdue)")


def test_the_council_wide_overdue_list_has_buttons_on_what_the_asker_owns_or_leads_the_review_of(
    plan: PlanFactory, chat: Chat
) -> None:
    """Read with the page (store.action_lists), whom each action's buttons are for is still decided as for any
    list: its owners (directly or through a group), its review's leads, and admins."""
    zoe = plan.person("Zoe Hart", Role.MANAGER)
    lead = plan.person("Lena Lead", Role.MANAGER)
    admin = plan.person("Ada Admin", Role.ADMIN)
    other = plan.person("Olly Other", Role.SMT)
    team = plan.group("Comms Team", zoe)
    led = plan.review("Housing Review 2026", lead)
    plain = plan.review("Finance Review 2026")
    mine = plan.action(zoe, review=plain, due_in=-5)
    ours = plan.action(team, review=plain, due_in=-4)
    theirs = plan.action(other, review=plain, due_in=-3)
    reviewed = plan.action(other, review=led, due_in=-2)

    def with_buttons(person: Person) -> set[int | None]:
        return {item.action_id for item in chat.ask(person, "overdue").items if item.buttons}

    assert with_buttons(zoe) == {mine.id, ours.id}
    assert with_buttons(lead) == {reviewed.id}
    assert with_buttons(admin) == {mine.id, ours.id, theirs.id, reviewed.id}
    assert with_buttons(other) == {theirs.id, reviewed.id}


def test_due_lists_count_page_and_put_buttons_on_what_the_asker_may_change(plan: PlanFactory, chat: Chat) -> None:
    """The whole council's ``due`` list and the asker's own are one statement each (store.action_lists): the
    list's count with the page, and whom each action's buttons are for as on any list."""
    zoe = plan.person("Zoe Hart")
    lead = plan.person("Lena Lead")
    other = plan.person("Olly Other")
    team = plan.group("Comms Team", zoe)
    led = plan.review("Housing Review 2026", lead)
    plain = plan.review("Finance Review 2026")
    mine = plan.action(zoe, review=plain, due_in=1)
    ours = plan.action(team, review=plain, due_in=2)
    theirs = plan.action(other, review=plain, due_in=3)
    reviewed = plan.action(other, review=led, due_in=4)
    plan.action(zoe, review=plain, due_in=9)  # after the window
    plan.action(zoe, review=plain, due_in=2, status=Status.DONE)  # done: not due

    def buttons(person: Person, text: str) -> list[tuple[int, bool]]:
        return [(item.action_id, bool(item.buttons)) for item in chat.ask(person, text).items]

    everyone = [(mine.id, False), (ours.id, False), (theirs.id, False), (reviewed.id, False)]
    assert buttons(other, "due 7d") == [(n, n in (theirs.id, reviewed.id)) for n, _ in everyone]
    assert buttons(zoe, "due 7d") == [(n, n in (mine.id, ours.id)) for n, _ in everyone]
    assert buttons(lead, "due 7d") == [(n, n == reviewed.id) for n, _ in everyone]
    assert buttons(zoe, "due mine 7d") == [(mine.id, True), (ours.id, True)]
    assert "4 actions due" in chat.ask(other, "due 7d").plain_lines[0]
    assert "2 actions of yours due" in chat.ask(zoe, "due mine 7d").plain_lines[0]
    plan.action(other, review=plain, due_in=5)
    for _ in range(10):
        plan.action(other, review=plain, due_in=6)
    second = chat.ask(other, "due 7d page 2")
    assert len(second.items) == 5 and "15 actions due" in second.plain_lines[0]
    assert "There are only 2 pages" in chat.text(other, "due 7d page 3")
