"""The person behind a chat user is read without the ORM's query machinery (store.people): what comes back is the
session's own object, as a query would have given, so changes to it are written and seen as before."""

from __future__ import annotations

from sqlalchemy import Engine
from sqlmodel import select

from bot.domain import Role
from store import people
from store.models import Person
from store.session import transaction
from tests.factories import PlanFactory


def test_the_person_found_is_the_one_the_session_holds(plan: PlanFactory, engine: Engine) -> None:
    zoe = plan.person("Zoe Hart", Role.MANAGER, slack="U0ZOE", email="zoe@council.gov.uk")
    with transaction(engine, write=False) as session:
        found = people.person_by_platform_id(session, "slack", "U0ZOE")
        assert found is not None
        assert (found.id, found.name, found.roles, found.email) == (zoe.id, "Zoe Hart", ["manager"], zoe.email)
        assert found is session.get(Person, zoe.id)  # no second copy of her in the session
        assert not session.dirty and not session.new
        assert people.person_by_platform_id(session, "slack", "U0NOBODY") is None
        assert people.person_by_platform_id(session, "console", "U0ZOE") is None
        read = found.model_dump()
    with transaction(engine, write=False) as session:  # the ORM's own query, in a session of its own
        loaded = session.exec(select(Person).where(Person.id == zoe.id)).one()
        assert read == loaded.model_dump(), "every column as the ORM reads it"
        assert {name: type(value) for name, value in read.items()} == {
            name: type(value) for name, value in loaded.model_dump().items()
        }


def test_a_change_not_yet_written_is_kept_and_a_change_to_the_person_found_is_written(
    plan: PlanFactory, engine: Engine
) -> None:
    zoe = plan.person("Zoe Hart", slack="U0ZOE")
    with transaction(engine) as session:
        held = session.get(Person, zoe.id)
        assert held is not None
        held.job_title = "Head of Housing"  # not flushed yet
        found = people.person_by_platform_id(session, "slack", "U0ZOE")
        assert found is held and found.job_title == "Head of Housing"
        found.teams_user_id = "29:zoe"
    with transaction(engine) as session:
        again = people.person_by_platform_id(session, "teams", "29:zoe")
        assert again is not None and again.job_title == "Head of Housing"
        again.job_title = "Director"
    with transaction(engine, write=False) as session:
        assert session.get(Person, zoe.id).job_title == "Director"  # type: ignore[union-attr]
