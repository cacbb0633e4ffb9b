"""Who is asking: a linked Slack user is known at once; anyone else is looked up with
``users.info`` (remembered for a while) and linked by email when it matches a person."""

from __future__ import annotations

import time

from sqlalchemy import Engine, text

from adapters.slack.identity import SlackIdentity
from bot.domain import Status, Surface
from bot.replies import Reply
from bot.requests import Actor, Request
from store.db import SQLITE_BUSY_TIMEOUT_MS
from store.models import Person
from store.session import transaction
from tests.factories import PlanFactory
from tests.slack.conftest import Council, Server
from tests.slack.driver import Message
from tests.slack.helpers import shown


def slack_id_of(plan: PlanFactory, person: Person) -> str | None:
    with transaction(plan.engine, write=False) as session:
        found = session.get(Person, person.id)
        assert found is not None
        return found.slack_user_id


async def test_a_user_whose_slack_email_matches_a_person_is_linked_on_first_use(
    slack: Server, council: Council, plan: PlanFactory
) -> None:
    priya = plan.person("Priya Shah", email="Priya.Shah@council.gov.uk")
    plan.action(priya, review=council.review, due_in=3, text="Agree the member development plan")
    slack.fake.add_user("U0PRIYA", "priya.shah@council.gov.uk", "Priya Shah")
    answer = await slack.command("mine", user="U0PRIYA")
    assert "Agree the member development plan" in shown(answer.blocks)
    assert slack_id_of(plan, priya) == "U0PRIYA"
    [lookup] = slack.fake.of("users.info")
    assert lookup.params["user"] == "U0PRIYA"
    await slack.command("mine", user="U0PRIYA")
    assert len(slack.fake.of("users.info")) == 1, "linked now: known by id, no more lookups"


async def test_an_unlinked_user_is_told_how_to_get_linked_and_looked_up_once(
    slack: Server, council: Council
) -> None:
    slack.fake.add_user("U0VISITOR", "visitor@another-council.gov.uk", "Visiting Officer")
    for _ in range(3):
        answer = await slack.command("mine", user="U0VISITOR")
        assert answer.json["response_type"] == "ephemeral"
        assert "You are not linked to anyone in the action plan yet" in shown(answer.blocks)
        assert "Ask the admin (Sarah Collins) to link you" in shown(answer.blocks)
    assert len(slack.fake.of("users.info")) == 1, "the profile is remembered"


async def test_a_user_slack_cannot_describe_is_told_how_to_get_linked(slack: Server, council: Council) -> None:
    answer = await slack.command("mine", user="U0GHOST")  # users.info: user_not_found
    assert "You are not linked to anyone in the action plan yet" in shown(answer.blocks)
    slack.fake.fail("users.info", status=500)
    answer = await slack.command("mine", user="U0GHOST2")
    assert "You are not linked to anyone in the action plan yet" in shown(answer.blocks)


async def test_a_deactivated_slack_account_is_not_linked_by_its_email(
    slack: Server, council: Council, plan: PlanFactory
) -> None:
    priya = plan.person("Priya Shah", email="priya.shah@council.gov.uk")
    slack.fake.add_user("U0OLD", "priya.shah@council.gov.uk", "Priya Shah", deleted=True)
    await slack.command("mine", user="U0OLD")
    assert slack_id_of(plan, priya) is None


async def test_remembered_profiles_expire(slack: Server, council: Council) -> None:
    now = [1000.0]
    identity = SlackIdentity(slack.surface.bolt.client, ttl=60, clock=lambda: now[0])
    core = slack.surface.interactions.core
    slack.fake.add_user("U0VISITOR", "visitor@another-council.gov.uk", "Visiting Officer")

    def mine(actor: Actor) -> Reply:
        return core.handle(Request(actor=actor, text="mine", surface=Surface.SLACK))

    first, reply = await identity.serve("U0VISITOR", mine)
    assert first.email == "visitor@another-council.gov.uk" and reply.not_linked
    now[0] += 59
    await identity.serve("U0VISITOR", mine)
    assert len(slack.fake.of("users.info")) == 1
    now[0] += 2
    await identity.serve("U0VISITOR", mine)
    assert len(slack.fake.of("users.info")) == 2


async def test_a_press_waiting_for_the_database_keeps_the_server_answering_others(
    slack: Server, council: Council, plan: PlanFactory, engine: Engine
) -> None:
    # The core is asked on the event loop first (adapters.identity); a press that would wait for a lock another
    # connection holds (SQLite's write lock; PostgreSQL's lock on the action's row) waits in a worker thread.
    listed = Message((await slack.command("mine", user="U0KEVIN")).blocks, ephemeral=True)
    with engine.connect() as other, other.begin():  # SQLite: BEGIN IMMEDIATE takes the write lock
        if other.dialect.name == "postgresql":
            other.execute(text("SELECT id FROM action WHERE id = 2 FOR UPDATE"))
        started = time.monotonic()
        await slack.press(listed, 2, "done", user="U0KEVIN")
        answer = await slack.command("mine", user="U0DEB")
        assert "Review the scheme of delegation" in shown(answer.blocks)
        assert time.monotonic() - started < SQLITE_BUSY_TIMEOUT_MS / 1000 / 2, "answered while the press waits"
        assert plan.get(2).status is not Status.DONE
    await slack.settle()
    assert plan.get(2).status is Status.DONE
    assert "Recorded: #2 is now Done" in shown(slack.fake.of("response_url")[-1].params["blocks"])
