"""Every command of the grammar, typed in Teams (1:1 chat, group chat, channel), answered with a card.

Each test posts the activity Teams would send to ``POST /api/messages`` and reads the Adaptive Card
that reached the fake connector, and the database, as the user and the audit trail would see them.
"""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import Engine
from sqlmodel import select

from bot.domain import Status, SubscriptionKind, UpdateKind
from store.models import Action, Person, Subscription
from store.session import transaction
from tests.factories import PlanFactory
from tests.teams.card_reading import buttons, containers, inputs, text_of, texts
from tests.teams.harness import DEB, JAYNE, KEVIN, OWEN, Plan, Teams
from tests.teams.payloads import CHANNEL, GROUP_CHAT

REVIEW = "Corporate Peer Challenge 2018"


@pytest.fixture
def actions(plan: PlanFactory, people: Plan) -> dict[str, Action]:
    """Deb leads the review; she owns #1 (3 days overdue) and #3; Jayne owns #2 (due in 5 days)."""
    plan.review(REVIEW, people.deb)
    return {
        "overdue": plan.action(people.deb, due_in=-3, text="Publish the communications strategy"),
        "soon": plan.action(people.jayne, due_in=5, text="Refresh the workforce plan"),
        "later": plan.action(people.deb, due_in=20, text="Agree the member development programme"),
    }


async def test_help_lists_the_commands_the_user_may_run(teams: Teams, people: Plan) -> None:
    card = await teams.say(DEB, "help")
    shown = text_of(card)
    assert texts(card)[0] == "actionbot commands"
    assert "`mine`: your open actions, due soonest first" in shown
    assert "`overdue [review] [@owner]`" in shown
    assert "`link @user Person Name`" not in shown  # Deb is not an admin


async def test_mine_lists_my_open_actions_with_their_buttons(teams: Teams, actions: dict[str, Action]) -> None:
    card = await teams.say(DEB, "mine")
    shown = text_of(card)
    assert "2 open actions, due soonest first. 1 on this page overdue." in shown
    assert shown.index("Publish the communications strategy") < shown.index("Agree the member development")
    first = containers(card)[0]
    assert first["style"] == "attention"  # red: overdue
    assert texts(first)[0] == f"#{actions['overdue'].id} · Red · Not started"
    assert "Due: Fri 11 Jan 2019 (3 days overdue)" in texts(first)
    assert [title for title, _ in buttons(first)] == ["Done", "On track", "At risk", "Update…", "Snooze a week"]
    mine = f"c:{actions['overdue'].id},{actions['later'].id}|mine"  # the list's view: a press draws it again
    assert buttons(first)[0][1] == {"intent": "done", "action_id": actions["overdue"].id, "view": mine}


async def test_overdue_groups_late_actions_by_owner_for_smt(teams: Teams, actions: dict[str, Action]) -> None:
    card = await teams.say(KEVIN, "overdue")
    shown = text_of(card)
    assert texts(card)[0] == "Overdue actions"
    assert "1 overdue action, 1 owner, as of Mon 14 Jan 2019." in shown
    assert "Deb Poole" in texts(card)  # the owner's heading
    assert "Publish the communications strategy" in shown


async def test_overdue_for_a_mentioned_owner_in_a_channel(
    teams: Teams, actions: dict[str, Action], plan: PlanFactory, people: Plan
) -> None:
    plan.action(people.kevin, due_in=-10, text="Kevin's own late action")
    tag, entity = DEB.mention()
    card = await teams.say(KEVIN, f"overdue {tag}", CHANNEL, mentions=[entity])
    shown = text_of(card)
    assert "1 overdue action for Deb Poole" in shown
    assert "Kevin's own late action" not in shown


async def test_overdue_tells_a_union_rep_the_council_wide_list_is_for_oversight(
    teams: Teams, actions: dict[str, Action]
) -> None:
    card = await teams.say(OWEN, "overdue")
    assert "None of your actions is overdue." in text_of(card)
    assert "The council-wide overdue list is for SMT, managers and admins." in text_of(card)
    assert "Publish the communications strategy" not in text_of(card)
    assert containers(card) == []


async def test_due_lists_actions_due_in_the_window(teams: Teams, actions: dict[str, Action]) -> None:
    card = await teams.say(DEB, "due 7d")
    shown = text_of(card)
    assert "1 action due Mon 14 Jan 2019 to Mon 21 Jan 2019." in shown
    assert "Refresh the workforce plan" in shown


async def test_show_gives_the_action_its_recommendation_and_history(
    teams: Teams, actions: dict[str, Action]
) -> None:
    card = await teams.say(DEB, f"show {actions['overdue'].id}")
    shown = text_of(card)
    assert texts(card)[0] == f"Action #{actions['overdue'].id}"
    assert "Recommendation 1" in shown and "History" in shown and "created" in shown


async def test_update_records_status_percent_and_note(
    teams: Teams, actions: dict[str, Action], plan: PlanFactory
) -> None:
    action_id = actions["overdue"].id or 0
    card = await teams.say(DEB, f"update {action_id} at-risk 40% waiting for the legal review")
    assert f"Recorded: #{action_id} is now At risk · 40%." in text_of(card)
    stored = plan.get(action_id)
    assert (stored.status, stored.percent_complete, stored.latest_note) == (
        Status.AT_RISK, 40, "waiting for the legal review")
    update = plan.updates(action_id)[-1]
    assert (update.surface.value, update.kind) == ("teams", UpdateKind.STATUS)


async def test_update_alone_opens_the_form(teams: Teams, actions: dict[str, Action]) -> None:
    card = await teams.say(DEB, f"update {actions['overdue'].id}")
    assert set(inputs(card)) == {"status", "percent", "note", "new_date", "reason"}


async def test_one_word_status_commands(teams: Teams, actions: dict[str, Action], plan: PlanFactory) -> None:
    later = actions["later"].id or 0
    await teams.say(DEB, f"on-track {later}")
    assert plan.get(later).status is Status.ON_TRACK
    card = await teams.say(DEB, f"done {later} signed off by Cabinet")
    assert f"Recorded: #{later} is now Done · 100%." in text_of(card)
    assert plan.get(later).latest_note == "signed off by Cabinet"


async def test_note_adds_commentary(teams: Teams, actions: dict[str, Action], plan: PlanFactory) -> None:
    action_id = actions["overdue"].id or 0
    card = await teams.say(DEB, f"note {action_id} met the contractor on Tuesday")
    assert f"Note added to #{action_id}." in text_of(card)
    assert plan.get(action_id).latest_note == "met the contractor on Tuesday"


async def test_snooze_stops_reminders_until_then(teams: Teams, actions: dict[str, Action], plan: PlanFactory) -> None:
    action_id = actions["overdue"].id or 0
    card = await teams.say(DEB, f"snooze {action_id} 2w")
    assert f"No reminders for #{action_id} until Mon 28 Jan 2019." in text_of(card)
    assert plan.get(action_id).snoozed_until == date(2019, 1, 28)


async def test_drop_needs_the_review_lead_and_keeps_the_reason(
    teams: Teams, actions: dict[str, Action], plan: PlanFactory
) -> None:
    action_id = actions["soon"].id or 0
    card = await teams.say(DEB, f"drop {action_id} superseded by the new operating model")
    assert f"#{action_id} is dropped." in text_of(card)
    stored = plan.get(action_id)
    assert (stored.status, stored.dropped_reason) == (Status.DROPPED, "superseded by the new operating model")


async def test_move_changes_the_deadline_with_a_reason(
    teams: Teams, actions: dict[str, Action], plan: PlanFactory
) -> None:
    action_id = actions["overdue"].id or 0
    card = await teams.say(DEB, f"move {action_id} 2019-03-31 waiting for Cabinet in March")
    assert f"#{action_id} moved to Sun 31 Mar 2019 (was Fri 11 Jan 2019)." in text_of(card)
    assert plan.get(action_id).due_date == date(2019, 3, 31)


async def test_reviews_show_progress(teams: Teams, actions: dict[str, Action]) -> None:
    card = await teams.say(DEB, "reviews")
    shown = text_of(card)
    assert REVIEW in texts(card)
    assert "Progress: 0 of 3 done (0%)" in shown and "Overdue: 1" in shown


async def test_digest_previews_the_weekly_digest(teams: Teams, actions: dict[str, Action]) -> None:
    card = await teams.say(DEB, "digest")
    shown = text_of(card)
    assert "All reviews: 3 actions, as of Mon 14 Jan 2019." in shown
    assert "Overdue (1)" in texts(card)
    assert texts(card)[0] == "Weekly digest: All reviews"


async def test_subscribe_and_unsubscribe_a_channel(teams: Teams, actions: dict[str, Action], engine: Engine) -> None:
    card = await teams.say(DEB, f"subscribe '{REVIEW}' updates", CHANNEL, thread="1700000000999")
    assert f"This channel will now receive every update for '{REVIEW}'." in text_of(card)
    with transaction(engine, write=False) as session:
        rows = list(session.exec(select(Subscription)))
    assert [(r.platform, r.channel_key, r.kind) for r in rows] == [("teams", CHANNEL.id, SubscriptionKind.UPDATES)]

    card = await teams.say(DEB, f"unsubscribe '{REVIEW}'", CHANNEL)
    assert f"This channel will no longer receive every update for '{REVIEW}'." in text_of(card)
    with transaction(engine, write=False) as session:
        assert list(session.exec(select(Subscription))) == []


async def test_an_admin_links_a_mentioned_user_in_a_group_chat(teams: Teams, people: Plan, engine: Engine) -> None:
    tag, entity = JAYNE.mention()
    card = await teams.say(KEVIN, f"link {tag} Jayne Pickering", GROUP_CHAT, mentions=[entity])
    assert f"Linked Teams user {JAYNE.aad} to Jayne Pickering." in text_of(card)
    with transaction(engine, write=False) as session:
        jayne = session.get(Person, people.jayne.id)
        assert jayne is not None and jayne.teams_user_id == JAYNE.aad
    assert [call.kind for call in teams.connector.lookups()] == ["member"]  # the mention had no AAD id


async def test_an_unknown_command_gets_a_short_answer_saying_what_works(teams: Teams, people: Plan) -> None:
    card = await teams.say(DEB, "mien")
    assert text_of(card) == "I don't know the command 'mien'. Did you mean `mine`? Try: help"
    assert texts(card) and card["body"][0]["color"] == "Attention"
