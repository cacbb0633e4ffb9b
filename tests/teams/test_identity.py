"""Who is asking: Teams users are people by their AAD object id, else by the email Teams gives for them.

Also how mentions reach the grammar: the bot's own mention is stripped (wherever it is), other users
become ``<@AADID>`` (looked up when the mention lacks the id, and joined when Teams splits a name).
"""

from __future__ import annotations

from sqlalchemy import Engine

from bot.domain import Status
from store.models import Person
from store.session import transaction
from tests.factories import PlanFactory
from tests.teams import payloads
from tests.teams.card_reading import text_of
from tests.teams.harness import DEB, JAYNE, KEVIN, STRANGER, Plan, Teams
from tests.teams.payloads import CHANNEL, GROUP_CHAT, TeamsUser


def _teams_id_of(engine: Engine, person: Person) -> str | None:
    with transaction(engine, write=False) as session:
        stored = session.get(Person, person.id)
        assert stored is not None
        return stored.teams_user_id


async def test_an_unlinked_user_is_told_how_to_get_linked(teams: Teams, people: Plan) -> None:
    card = await teams.say(STRANGER, "mine")
    shown = text_of(card)
    assert "You are not linked to anyone in the action plan yet" in shown
    assert "Ask the admin (Kevin Dicks) to link you" in shown
    assert f"Your Teams id is {STRANGER.aad}." in shown
    assert f'`actionbot people link "Your Name" --teams {STRANGER.aad}`' in shown
    assert f"Teams gives your email as {STRANGER.email}, and nobody in the plan has that email." in shown


async def test_a_user_is_linked_by_the_email_teams_gives_on_first_sight(
    teams: Teams, people: Plan, plan: PlanFactory, engine: Engine
) -> None:
    plan.action(people.jayne, due_in=5, text="Refresh the workforce plan")
    card = await teams.say(JAYNE, "mine")
    assert "Refresh the workforce plan" in text_of(card)
    assert _teams_id_of(engine, people.jayne) == JAYNE.aad
    assert [call.conversation_id for call in teams.connector.lookups()] == [payloads.personal_chat(JAYNE).id]

    await teams.say(JAYNE, "mine")
    assert len(teams.connector.lookups()) == 1  # linked now: no more lookups


async def test_a_linked_user_costs_no_member_lookup(teams: Teams, people: Plan) -> None:
    await teams.say(DEB, "help")
    assert teams.connector.lookups() == []


async def test_an_unknown_users_lookup_is_cached_for_a_while(teams: Teams, people: Plan) -> None:
    await teams.say(STRANGER, "mine")
    await teams.say(STRANGER, "due")
    assert len(teams.connector.lookups()) == 1


async def test_the_bots_mention_is_stripped_wherever_it_is(teams: Teams, people: Plan, plan: PlanFactory) -> None:
    plan.action(people.deb, due_in=5, text="Publish the plan")
    tag, entity = payloads.bot_mention()
    activity = payloads.message(teams.service_url, DEB, f"\r\nmine {tag}\r\n", CHANNEL, mentions=[entity])
    assert await teams.post(activity) == 200
    assert "Publish the plan" in text_of(teams.connector.last_card())
    reply = teams.connector.sent()[-1]
    assert reply.kind == "reply" and reply.conversation_id == f"{CHANNEL.id};messageid=1699999999000"


async def test_a_name_teams_splits_into_two_mentions_is_one_user(
    teams: Teams, people: Plan, engine: Engine
) -> None:
    """Since late 2022 Teams may send @Jayne Pickering as <at>Jayne</at> <at>Pickering</at>, one entity each."""
    first_tag, first = JAYNE.mention("Jayne")
    second_tag, second = JAYNE.mention("Pickering")
    card = await teams.say(KEVIN, f"link {first_tag} {second_tag} Jayne Pickering", CHANNEL, mentions=[first, second])
    assert f"Linked Teams user {JAYNE.aad} to Jayne Pickering." in text_of(card)
    assert _teams_id_of(engine, people.jayne) == JAYNE.aad


async def test_a_mention_carrying_its_aad_id_needs_no_lookup(teams: Teams, people: Plan, engine: Engine) -> None:
    tag, entity = JAYNE.mention()
    entity["mentioned"]["aadObjectId"] = JAYNE.aad
    await teams.say(KEVIN, f"link {tag} Jayne Pickering", GROUP_CHAT, mentions=[entity])
    assert _teams_id_of(engine, people.jayne) == JAYNE.aad
    assert teams.connector.lookups() == []


async def test_a_mention_teams_cannot_resolve_changes_nothing(teams: Teams, people: Plan, engine: Engine) -> None:
    ghost = TeamsUser("29:1ghost", "aad-ghost", "Former Colleague")
    tag, entity = ghost.mention()
    card = await teams.say(KEVIN, f"link {tag} Jayne Pickering", GROUP_CHAT, mentions=[entity])
    assert "Teams would not tell me who Former Colleague is, so I did nothing." in text_of(card)
    assert _teams_id_of(engine, people.jayne) is None


async def test_activities_from_other_bot_framework_channels_are_ignored(
    teams: Teams, people: Plan, plan: PlanFactory
) -> None:
    """Web Chat / Direct Line let the client choose its user id: only Teams vouches for who is speaking."""
    action = plan.action(people.deb, due_in=5)
    activity = payloads.message(teams.service_url, DEB, f"done {action.id}", payloads.personal_chat(DEB))
    activity["channelId"] = "webchat"
    activity["from"] = {"id": DEB.aad, "name": "Deb Poole"}
    assert await teams.post(activity) == 200
    assert teams.connector.calls == []
    assert plan.get(action.id or 0).status is Status.NOT_STARTED


async def test_the_bot_framework_emulator_is_served_in_anonymous_local_testing(
    teams: Teams, people: Plan, plan: PlanFactory
) -> None:
    plan.action(people.deb, due_in=5, text="Publish the plan")
    activity = payloads.message(teams.service_url, DEB, "mine", payloads.personal_chat(DEB))
    activity["channelId"] = "emulator"
    activity["from"] = {"id": DEB.aad, "name": "Deb Poole"}  # the Emulator lets you choose the user id
    assert await teams.post(activity) == 200
    assert "Publish the plan" in text_of(teams.connector.last_card())
