"""What a change reads of the action it changes, in one statement (store.change_reads): the action as the ORM would
have loaded it (every column, in the session, nothing to write), and the facts beside it, on every database."""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy import Engine, inspect

from bot.domain import Role, Status, SubscriptionKind
from store.change_reads import read_to_change
from store.models import Action, ActionUpdate, Subscription
from store.session import transaction
from tests.factories import PlanFactory


def test_the_action_read_to_change_is_what_the_orm_loads_and_the_session_holds_it(
    plan: PlanFactory, engine: Engine
) -> None:
    zoe = plan.person("Zoe Hart")
    action = plan.action(zoe, due_in=-4, status=Status.AT_RISK, percent=40, text="Rewrite the lettings policy")
    with transaction(engine, write=False) as session:
        orm = session.get(Action, action.id)
        assert orm is not None
        expected = {column.key: getattr(orm, column.key) for column in Action.__table__.columns}  # type: ignore[attr-defined]
    for for_update in (False, True):
        with transaction(engine) as session:
            read = read_to_change(session, action.id or 0, zoe.id, None, for_update=for_update)
            assert read is not None
            got = {name: getattr(read.action, name) for name in expected}
            assert {name: (value, type(value)) for name, value in got.items()} == {
                name: (value, type(value)) for name, value in expected.items()
            }
            state = inspect(read.action)
            assert state.persistent and state.session is session, "held by the session, as a query's result is"
            assert read.row.action is read.action and read.row.owners[0].name == "Zoe Hart"
            assert not session.dirty and not session.new, "nothing to write at commit"
            assert session.get(Action, action.id) is read.action, "the session's one instance of it"


def test_an_action_the_session_holds_already_is_the_one_given(plan: PlanFactory, engine: Engine) -> None:
    zoe = plan.person("Zoe Hart")
    action = plan.action(zoe)
    with transaction(engine) as session:
        held = session.get(Action, action.id)
        held_note = "not yet written"
        assert held is not None
        held.latest_note = held_note  # a change the session holds, not yet flushed
        read = read_to_change(session, action.id or 0, zoe.id, None, for_update=True)
        assert read is not None and read.action is held and read.action.latest_note == held_note
        session.rollback()


def test_a_number_no_action_has_reads_nothing(plan: PlanFactory, engine: Engine) -> None:
    zoe = plan.person("Zoe Hart")
    with transaction(engine) as session:
        assert read_to_change(session, 999_999, zoe.id, None, for_update=True) is None
        assert read_to_change(session, 2**40, zoe.id, None, for_update=False) is None


def test_the_facts_beside_the_action_are_the_askers_and_the_requests(plan: PlanFactory, engine: Engine) -> None:
    zoe, amir, lead = plan.person("Zoe Hart"), plan.person("Amir Khan"), plan.person("Lee Ward", Role.MANAGER)
    team = plan.group("Comms Team", amir)
    review = plan.review("Housing Review 2026", lead)
    other_review = plan.review("Waste Review 2026")
    zoes, teams = plan.action(zoe, review=review), plan.action(team, review=other_review)
    with transaction(engine) as session:
        session.add(Subscription(platform="slack", channel_key="C0HOUSING", scope=f"review:{review.id}",
                                 review_id=review.id, kind=SubscriptionKind.UPDATES))
        session.add(ActionUpdate(action_id=zoes.id or 0, at=datetime.now(UTC), request_key="slack:earlier-press"))

    def facts(action: Action, person_id: int | None, key: str | None) -> tuple[bool, bool, bool, bool]:
        with transaction(engine) as session:
            read = read_to_change(session, action.id or 0, person_id, key, for_update=True)
            assert read is not None
            return read.leads_review, read.owns, read.recorded, read.notifies

    assert facts(zoes, zoe.id, None) == (False, True, False, True)
    assert facts(zoes, lead.id, "slack:earlier-press") == (True, False, True, True)
    assert facts(zoes, amir.id, "slack:another-press") == (False, False, False, True)
    assert facts(teams, amir.id, None) == (False, True, False, False), "owned through a group; no channel hears"
    assert facts(teams, None, None) == (False, False, False, False)
