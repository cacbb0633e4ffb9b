"""Merging, renaming and aliasing people: fixed once by an admin, remembered by the next import."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import Engine
from sqlmodel import select
from typer.testing import CliRunner

from adapters.cli import app
from bot.domain import Role, Surface, UpdateKind
from bot.errors import NotAllowed, UserError
from bot.services import people_names
from store import aliases
from store.db import make_engine
from store.models import Action, ActionUpdate, GroupMember, OwnerAlias, Person, ReviewLead
from store.session import transaction
from tests.conftest import NOW
from tests.factories import Chat, PlanFactory
from tests.importing.builders import WordTable, write_docx
from tests.importing.conftest import Stored


def _merge(engine: Engine, source: str, target: str, by: Person | None = None) -> people_names.Merged:
    with transaction(engine) as session:
        return people_names.merge(session, source, target, by=by, now=NOW, surface=Surface.CLI)


def test_a_merge_moves_ownership_links_leads_groups_and_history_then_remembers_the_name(
    engine: Engine, plan: PlanFactory, chat: Chat
) -> None:
    jane = plan.person("Jane Pickering", Role.MANAGER, slack="U0JANE", email="jane@bromsgrove.example")
    jayne = plan.person("Jayne Pickering", teams="aad-jayne")
    deb = plan.person("Deb Poole")
    review = plan.review("Corporate Peer Challenge 2018", jane)
    plan.group("Heads of Service", jane)
    shared = plan.action(jane, deb, review=review, text="Draft the process map")
    both = plan.action(jayne, jane, review=review, text="Publish the map")
    chat.ask(jane, f"update {shared.id} at-risk 40% waiting for legal")

    merged = _merge(engine, "jane pickering", "Jayne Pickering")

    assert (merged.source, merged.target, merged.actions, merged.leads, merged.groups) == (
        "Jane Pickering", "Jayne Pickering", 2, 1, 1)
    with transaction(engine, write=False) as session:
        names = [p.name for p in session.exec(select(Person).order_by(Person.name))]
        kept = session.exec(select(Person).where(Person.name == "Jayne Pickering")).one()
        leads = list(session.exec(select(ReviewLead)))
        members = list(session.exec(select(GroupMember)))
        history = list(session.exec(select(ActionUpdate).where(ActionUpdate.action_id == shared.id)))
        leads_of = {a.text: a.lead_owner for a in session.exec(select(Action))}
        remembered = [(a.alias, a.person_id) for a in session.exec(select(OwnerAlias))]
    assert names == ["Deb Poole", "Jayne Pickering"]
    assert (kept.slack_user_id, kept.teams_user_id, kept.email, kept.roles) == (
        "U0JANE", "aad-jayne", "jane@bromsgrove.example", ["manager"])
    assert [(lead.review_id, lead.person_id) for lead in leads] == [(review.id, kept.id)]
    assert [member.person_id for member in members] == [kept.id]
    status = next(u for u in history if u.kind is UpdateKind.STATUS)
    assert status.person_id == kept.id, "who did what stays, attributed to INTO"
    owners_row = next(u for u in history if u.kind is UpdateKind.OWNERS)
    assert (owners_row.note, owners_row.surface) == ("Jane Pickering merged into Jayne Pickering", Surface.CLI)
    assert leads_of == {"Draft the process map": "Jayne Pickering", "Publish the map": "Jayne Pickering"}
    assert plan_owners(engine, both.id or 0) == ["Jayne Pickering"], "owning twice is owning once"
    assert plan_owners(engine, shared.id or 0) == ["Jayne Pickering", "Deb Poole"], "INTO takes FROM's place"
    assert remembered == [("Jane Pickering", kept.id)]


def plan_owners(engine: Engine, action_id: int) -> list[str]:
    from store import actions

    with transaction(engine, write=False) as session:
        return [o.name for o in actions.owners_of(session, [action_id])[action_id]]


def test_a_merge_of_people_linked_to_different_chat_users_is_refused_and_changes_nothing(
    engine: Engine, plan: PlanFactory
) -> None:
    plan.person("Jane Pickering", slack="U0JANE")
    plan.person("Jayne Pickering", slack="U0JAYNE")
    with pytest.raises(UserError, match="linked to Slack user U0JANE and Jayne Pickering to Slack user U0JAYNE"):
        _merge(engine, "Jane Pickering", "Jayne Pickering")
    with transaction(engine, write=False) as session:
        assert len(list(session.exec(select(Person)))) == 2
        assert aliases.all_aliases(session) == []


def test_only_an_admin_may_merge_rename_or_alias(engine: Engine, plan: PlanFactory) -> None:
    manager = plan.person("Tom Hughes", Role.MANAGER)
    plan.person("Jane Pickering")
    plan.person("Jayne Pickering")
    with pytest.raises(NotAllowed):
        _merge(engine, "Jane Pickering", "Jayne Pickering", by=manager)
    with pytest.raises(NotAllowed), transaction(engine) as session:
        people_names.add_alias(session, "Jayne Pickering", "JP", by=manager)
    admin = plan.person("Sarah Collins", Role.ADMIN)
    assert _merge(engine, "Jane Pickering", "Jayne Pickering", by=admin).target == "Jayne Pickering"


def test_rename_keeps_the_old_name_and_alias_refuses_a_name_someone_else_has(engine: Engine, plan: PlanFactory) -> None:
    chief = plan.person("Chief Executive")
    plan.person("Kevin Dicks")
    action = plan.action(chief, text="Lead the review")
    with transaction(engine) as session:
        renamed = people_names.rename(session, "Chief Executive", "Alex Morgan", by=None, now=NOW, surface=Surface.CLI)
    assert (renamed.old, renamed.new, renamed.actions) == ("Chief Executive", "Alex Morgan", 1)
    assert plan.get(action.id or 0).lead_owner == "Alex Morgan"
    with transaction(engine) as session:
        assert people_names.find_owner(session, "chief executive").name == "Alex Morgan"
        with pytest.raises(UserError, match="someone else in the plan"):
            people_names.add_alias(session, "Alex Morgan", "Kevin Dicks", by=None)
        with pytest.raises(UserError, match="already another name for Alex Morgan"):
            people_names.add_alias(session, "Kevin Dicks", "Chief Executive", by=None)
        with pytest.raises(UserError, match="Nobody in the plan is called 'Kevn Dick'. Did you mean 'Kevin Dicks'"):
            people_names.rename(session, "Kevn Dick", "K", by=None, now=NOW, surface=Surface.CLI)
        with pytest.raises(UserError, match='already in the plan. If they are one and the same, merge them'):
            people_names.rename(session, "Alex Morgan", "kevin dicks", by=None, now=NOW, surface=Surface.CLI)


# The command line, and the import that remembers ------------------------------------------------------------


@pytest.fixture
def runner(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> CliRunner:
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("DATABASE_URL", f"sqlite:///{tmp_path / 'cli.db'}")
    runner = CliRunner()
    assert runner.invoke(app, ["db", "upgrade"]).exit_code == 0
    return runner


def _plan(path: Path, owner: str) -> Path:
    return write_docx(path, WordTable([
        ["Recommendation", "Action", "Lead Officer", "Timescale"],
        ["Review the constitution", "Draft terms of reference", "Jayne Pickering", "Q1 2019"],
        ["", "Consult members", owner, "Q2 2019"],
    ]))  # fmt: skip


def test_the_near_miss_suggestion_is_the_command_that_makes_the_next_import_resolve_it(
    runner: CliRunner, tmp_path: Path
) -> None:
    plan_file = _plan(tmp_path / "plan.docx", "ayne Pickering")
    first = runner.invoke(app, ["import", str(plan_file)])
    command = 'actionbot people alias "Jayne Pickering" "ayne Pickering"'
    assert f"If it is them, run `{command}`" in first.stdout
    aliased = runner.invoke(app, ["people", "alias", "Jayne Pickering", "ayne Pickering"])
    said = "'ayne Pickering' is now another name for Jayne Pickering: imports that write it find them.\n"
    assert aliased.stdout == said
    again = runner.invoke(app, ["import", str(plan_file)])
    assert "Flagged" not in again.stdout
    assert "  actions:          0 created, 1 updated, 1 unchanged" in again.stdout.splitlines()
    stored = Stored(make_engine(f"sqlite:///{tmp_path / 'cli.db'}"))
    assert stored.owners(stored.action("Consult members")) == ["Jayne Pickering"]
    assert stored.people() == ["Jayne Pickering"]


def test_people_merge_and_rename_on_the_command_line(runner: CliRunner, tmp_path: Path) -> None:
    runner.invoke(app, ["people", "add", "Jayne Pickering"])
    plan_file = _plan(tmp_path / "plan.docx", "Chief Executive")
    runner.invoke(app, ["import", str(plan_file)])
    merged = runner.invoke(app, ["people", "merge", "Chief Executive", "Jayne Pickering"])
    assert merged.exit_code == 0, merged.output
    assert merged.stdout.splitlines() == [
        "Merged 'Chief Executive' into 'Jayne Pickering': 1 action moved.",
        "'Chief Executive' is remembered as another name for Jayne Pickering: imports that write it find them.",
    ]
    again = runner.invoke(app, ["import", str(plan_file)])
    assert "  actions:          0 created, 0 updated, 2 unchanged" in again.stdout.splitlines()
    assert runner.invoke(app, ["people", "rename", "Jayne Pickering", "Jayne Pickering-Smith"]).stdout.splitlines() == [
        "Renamed 'Jayne Pickering' to 'Jayne Pickering-Smith' (2 actions).",
        "'Jayne Pickering' is remembered as another name for Jayne Pickering-Smith: imports that write it find them.",
    ]
    unknown = runner.invoke(app, ["people", "merge", "Nobody", "Jayne Pickering-Smith"])
    assert (unknown.exit_code, unknown.stderr) == (1, "actionbot: Nobody in the plan is called 'Nobody'.\n")
    stored = Stored(make_engine(f"sqlite:///{tmp_path / 'cli.db'}"))
    assert stored.people() == ["Jayne Pickering-Smith"]
