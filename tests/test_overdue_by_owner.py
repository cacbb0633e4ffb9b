"""Overdue lists are read in lead-owner order from an index (``action.lead_owner``): the name is
kept when owners change, filled in for plans that existed before the column, and counted the
same way however the list is narrowed."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

from alembic import command
from sqlalchemy import Engine, text

from bot import plan as plan_module
from bot.domain import Role, Status
from store import action_lists
from store.db import alembic_config, make_engine, upgrade
from store.models import Action, Person
from store.session import transaction
from tests.factories import Chat, PlanFactory


def test_overdue_is_ordered_by_lead_owner_person_or_group_then_most_overdue(plan: PlanFactory, chat: Chat) -> None:
    ceo = plan.person("Alex Morgan", Role.SMT)
    zoe, amir = plan.person("Zoe Hart"), plan.person("Amir Khan")
    leaders = plan.group("Group Leaders", zoe)
    nobody = plan.action(due_in=-1)  # no owner at all
    late_zoe = plan.action(zoe, amir, due_in=-30)
    later_zoe = plan.action(zoe, due_in=-3)
    group_led = plan.action(leaders, zoe, due_in=-50)
    amirs = plan.action(amir, due_in=-2)
    plan.action(amir, due_in=-5, status=Status.DONE)
    reply = chat.ask(ceo, "overdue")
    assert [item.action_id for item in reply.items] == [nobody.id, amirs.id, group_led.id, late_zoe.id, later_zoe.id]
    assert [s.heading for s in reply.sections if s.heading] == ["No owner", "Amir Khan", "Group Leaders", "Zoe Hart"]
    assert "5 overdue actions, 4 owners" in reply.sections[0].lines[0]


def test_the_owner_count_is_the_same_whole_plan_or_narrowed(plan: PlanFactory) -> None:
    owners = [plan.person(f"Officer {n}") for n in range(6)]
    review = plan.review("Scrutiny Review 2019")
    for n, owner in enumerate(owners):
        plan.action(owner, review=review, due_in=-n - 1, status=Status.DONE if n % 3 == 0 else Status.ON_TRACK)
        plan.action(owner, review=review, due_in=n + 1)
    with transaction(plan.engine, write=False) as session:
        everywhere = action_lists.overdue_actions(session, plan.today, limit=2)
        narrowed = action_lists.overdue_actions(session, plan.today, limit=2, review_ids=[review.id or 0])
        none_yet = action_lists.overdue_actions(session, plan.today - timedelta(days=60), limit=2)
    assert (everywhere.owners, everywhere.total) == (narrowed.owners, narrowed.total) == (4, 4)
    assert (none_yet.owners, none_yet.total) == (0, 0)


def test_changing_owners_keeps_the_lead_owners_name_on_the_action(plan: PlanFactory) -> None:
    deb, kevin = plan.person("Deb Poole"), plan.person("Kevin Dicks")
    action = plan.action(deb, due_in=-3)
    assert plan.get(action.id or 0).lead_owner == "Deb Poole"
    with transaction(plan.engine) as session:
        row, new_lead = session.get(Action, action.id), session.get(Person, kevin.id)
        assert row is not None and new_lead is not None
        plan_module.set_owners(session, row, [new_lead])
    assert plan.get(action.id or 0).lead_owner == "Kevin Dicks"


def test_upgrading_an_existing_plan_fills_in_each_actions_lead_owner(tmp_path: Path) -> None:
    engine: Engine = make_engine(f"sqlite:///{tmp_path / 'before.db'}")
    config = alembic_config(str(engine.url))
    with engine.begin() as connection:
        config.attributes["connection"] = connection
        command.upgrade(config, "0001")
        connection.execute(text(
            "INSERT INTO person (id, name, roles, created_at) VALUES (1, 'Deb Poole', '[]', '2019-01-01');"))
        connection.execute(text("INSERT INTO person_group (id, name) VALUES (1, 'CMT')"))
        connection.execute(text(
            "INSERT INTO review (id, title, organisation, kind, state, nation, morning_hour, created_at) "
            "VALUES (1, 'Peer Challenge', 'Council', 'peer', 'active', 'england', 9, '2019-01-01')"))
        connection.execute(text(
            "INSERT INTO recommendation (id, review_id, ref, section, text, position) VALUES (1, 1, '1', '', 'r', 0)"))
        for action_id in (1, 2, 3):
            connection.execute(text(
                "INSERT INTO action (id, review_id, recommendation_id, position, text, timescale, timescale_kind, "
                "status, percent_complete, version, created_at, updated_at) VALUES "
                f"({action_id}, 1, 1, 0, 'a', '', 'unknown', 'not_started', 0, 1, '2019-01-01', '2019-01-01')"))
        connection.execute(text("INSERT INTO action_owner (action_id, position, person_id) VALUES (1, 0, 1)"))
        connection.execute(text("INSERT INTO action_owner (action_id, position, group_id) VALUES (2, 0, 1)"))
        connection.execute(text("INSERT INTO action_owner (action_id, position, person_id) VALUES (2, 1, 1)"))
    upgrade(engine)
    with engine.connect() as connection:
        rows = connection.execute(text("SELECT id, lead_owner FROM action ORDER BY id")).all()
    assert [tuple(row) for row in rows] == [(1, "Deb Poole"), (2, "CMT"), (3, "")]
    engine.dispose()


def test_buttons_show_on_exactly_the_actions_the_asker_may_change(plan: PlanFactory, chat: Chat) -> None:
    deb = plan.person("Deb Poole", Role.MANAGER)
    kevin, owen = plan.person("Kevin Dicks"), plan.person("Owen Price")
    cmt = plan.group("CMT", deb)
    debs_review, other = plan.review("Peer Challenge", deb), plan.review("Scrutiny Review")
    led = plan.action(kevin, review=debs_review, due_in=-4)  # Deb leads its review
    via_group = plan.action(cmt, review=other, due_in=-3)  # Deb is in the owning group
    own = plan.action(owen, deb, review=other, due_in=-2)  # Deb is a second owner
    neither = plan.action(owen, review=other, due_in=-1)
    reply = chat.ask(deb, "overdue")
    editable = {item.action_id: bool(item.buttons) for item in reply.items}
    assert editable == {led.id: True, via_group.id: True, own.id: True, neither.id: False}
