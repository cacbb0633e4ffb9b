"""The admin's job from chat: `people` and its changes, `lead`, and `export` (the console and the core).

The same commands through the real Slack and Teams adapters are in tests/slack and tests/teams.
"""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

import pytest
from sqlalchemy import Engine
from sqlmodel import select

from adapters.bootstrap import App
from adapters.console import ConsoleChat
from bot.clock import FixedClock
from bot.core import Core
from bot.domain import Role, Status, Surface, UpdateKind
from bot.replies import Tone
from bot.requests import Actor
from bot.settings import Settings
from store.models import ActionUpdate, OwnerAlias, Person, ReviewLead
from store.session import transaction
from tests.export_cli import exported_by_cli
from tests.factories import Chat, PlanFactory

NOT_ADMIN = "Only admins can `people`. Ask Sarah Collins."


def person_named(engine: Engine, name: str) -> Person | None:
    with transaction(engine, write=False) as session:
        return session.exec(select(Person).where(Person.name == name)).first()


def everyone(engine: Engine) -> list[tuple[str, str | None, list[str]]]:
    with transaction(engine, write=False) as session:
        return [(p.name, p.email, p.roles) for p in session.exec(select(Person).order_by(Person.name))]


@pytest.fixture
def admin(plan: PlanFactory) -> Person:
    return plan.person("Sarah Collins", Role.ADMIN, slack="U0SARAH", email="sarah.collins@council.gov.uk")


# people ---------------------------------------------------------------------------------------


def test_admin_lists_people_with_roles_links_and_open_actions(plan: PlanFactory, chat: Chat, admin: Person) -> None:
    deb = plan.person("Deb Poole", Role.MANAGER, teams="aad-deb", email="deb.poole@council.gov.uk")
    kevin = plan.person("Kevin Dicks")
    team = plan.group("Housing Team", kevin, deb)
    plan.action(deb)
    plan.action(deb, kevin)
    plan.action(team)
    plan.action(deb, status=Status.DONE)
    reply = chat.ask(admin, "people")
    assert reply.title == "People"
    assert reply.plain_lines == [
        "3 people in the plan, by name.",
        "Deb Poole · manager · Teams aad-deb · deb.poole@council.gov.uk · 3 open actions",
        "Kevin Dicks · no role · not linked · 2 open actions",
        "Sarah Collins · admin · Slack U0SARAH · sarah.collins@council.gov.uk · 0 open actions",
    ]
    assert reply.more is None
    assert chat.ask(admin, "show people").plain_lines == reply.plain_lines


def test_the_people_list_is_paged_like_other_lists(
    plan: PlanFactory, chat: Chat, admin: Person, engine: Engine
) -> None:
    for number in range(12):
        plan.person(f"Officer {number:02d}")
    first = chat.ask(admin, "people")
    assert len(first.plain_lines) == 11 and first.plain_lines[0] == "13 people in the plan, by name."
    assert first.more is not None and (first.more.remaining, first.more.command) == (3, "people page 2")
    second = chat.ask(admin, "people page 2")
    assert [line.split(" · ")[0] for line in second.plain_lines[1:]] == ["Officer 10", "Officer 11", "Sarah Collins"]
    assert second.more is None
    past = chat.ask(admin, "people page 3")
    assert (past.tone, past.plain_lines) == (Tone.ERROR, ["There are only 2 pages of `people`."])


def test_admin_adds_a_person_who_is_then_linked_by_email(
    plan: PlanFactory, chat: Chat, admin: Person, engine: Engine
) -> None:
    reply = chat.ask(admin, 'people add "Ann Lee" Ann.Lee@council.gov.uk manager')
    assert (reply.tone, reply.plain_lines) == (Tone.SUCCESS, [
        "Added Ann Lee (manager).",
        "They are linked when they first write to me with ann.lee@council.gov.uk, or `link @them Ann Lee`.",
    ])  # fmt: skip
    assert ("Ann Lee", "ann.lee@council.gov.uk", ["manager"]) in everyone(engine)
    ann_on_slack = Actor(platform="slack", user_id="U0ANN", email="ann.lee@council.gov.uk")
    assert chat.ask(ann_on_slack, "mine").tone is not Tone.ERROR
    assert person_named(engine, "Ann Lee").slack_user_id == "U0ANN"  # type: ignore[union-attr]
    chat.ask(admin, "people add Bob Hart smt, admin")
    assert ("Bob Hart", None, ["admin", "smt"]) in everyone(engine)


def test_people_add_refuses_a_bad_email_a_bad_role_and_someone_already_there(
    plan: PlanFactory, chat: Chat, admin: Person, engine: Engine
) -> None:
    before = everyone(engine)
    bad_email = chat.ask(admin, 'people add "Ann Lee" ann.lee@council manager')
    assert (bad_email.tone, bad_email.plain_lines[0]) == (
        Tone.ERROR,
        "'ann.lee@council' is not an email address. Try: people add \"Ann Lee\" ann.lee@council.gov.uk manager",
    )
    bad_role = chat.ask(admin, 'people add "Ann Lee" ann.lee@council.gov.uk boss')
    assert bad_role.plain_lines[0].startswith("'boss' is not a role: use admin, smt, manager, union_rep, member.")
    again = chat.ask(admin, "people add Sarah Collins")
    assert (again.tone, again.plain_lines) == (Tone.ERROR, ["'Sarah Collins' is already in the plan."])
    taken = chat.ask(admin, "people add Ann Lee sarah.collins@council.gov.uk")
    assert taken.plain_lines == ["sarah.collins@council.gov.uk already belongs to Sarah Collins."]
    too_long = chat.ask(admin, f'people add "{"A" * 201}" ann.lee@council.gov.uk')
    assert too_long.plain_lines == ["A name is at most 200 characters."]
    long_email = chat.ask(admin, f"people add Ann Lee {'a' * 320}@council.gov.uk")
    assert long_email.plain_lines == ["An email address is at most 320 characters."]
    assert everyone(engine) == before


def test_admin_gives_and_takes_away_roles(plan: PlanFactory, chat: Chat, admin: Person, engine: Engine) -> None:
    plan.person("Deb Poole", Role.MEMBER)
    reply = chat.ask(admin, 'people role "Deb Poole" +manager -member')
    assert (reply.tone, reply.plain_lines) == (Tone.SUCCESS, ["Deb Poole: manager."])
    assert chat.ask(admin, "people role deb poole +SMT +admin").plain_lines == ["Deb Poole: admin, manager, smt."]
    unknown = chat.ask(admin, "people role Deb Pole +admin")
    assert (unknown.tone, unknown.plain_lines) == (Tone.ERROR, ["Nobody in the plan is called 'Deb Pole'. "
                                                                 "Did you mean 'Deb Poole'?"])  # fmt: skip
    bad = chat.ask(admin, "people role Deb Poole +boss")
    assert bad.tone is Tone.ERROR and bad.plain_lines[0].startswith("'boss' is not a role")
    assert person_named(engine, "Deb Poole").roles == ["admin", "manager", "smt"]  # type: ignore[union-attr]


def test_admin_merges_two_names_with_the_clis_audit_rows(
    plan: PlanFactory, chat: Chat, admin: Person, engine: Engine
) -> None:
    jayne = plan.person("Jayne Pickering", email="jayne.pickering@council.gov.uk")
    typo = plan.person("ayne Pickering")
    action = plan.action(typo)
    plan.action(jayne)
    reply = chat.ask(admin, 'people merge "ayne Pickering" into "Jayne Pickering"', surface=Surface.TEAMS)
    assert (reply.tone, reply.plain_lines) == (Tone.SUCCESS, [
        "Merged 'ayne Pickering' into 'Jayne Pickering': 1 action moved.",
        "'ayne Pickering' is remembered as another name for Jayne Pickering: imports that write it find them.",
    ])  # fmt: skip
    assert person_named(engine, "ayne Pickering") is None
    row = [u for u in plan.updates(action.id or 0) if u.kind is UpdateKind.OWNERS][-1]
    assert (row.note, row.person_id, row.surface) == ("ayne Pickering merged into Jayne Pickering", admin.id,
                                                      Surface.TEAMS)  # fmt: skip
    unknown = chat.ask(admin, 'people merge "Nobody Here" into "Jayne Pickering"')
    assert (unknown.tone, unknown.plain_lines) == (Tone.ERROR, ["Nobody in the plan is called 'Nobody Here'."])


def test_admin_aliases_and_renames(plan: PlanFactory, chat: Chat, admin: Person, engine: Engine) -> None:
    deb = plan.person("Deb Poole")
    plan.action(deb)
    alias = chat.ask(admin, 'people alias "Deb Poole" "D. Poole"')
    assert alias.plain_lines == ["'D. Poole' is now another name for Deb Poole: imports that write it find them."]
    again = chat.ask(admin, 'people alias "Deb Poole" "D. Poole"')
    assert again.plain_lines == ["'D. Poole' was already another name for Deb Poole: imports that write it find them."]
    renamed = chat.ask(admin, 'people rename "Deb Poole" to "Debra Poole"')
    assert renamed.plain_lines == [
        "Renamed 'Deb Poole' to 'Debra Poole' (1 action).",
        "'Deb Poole' is remembered as another name for Debra Poole: imports that write it find them.",
    ]
    with transaction(engine, write=False) as session:
        assert sorted(a.alias for a in session.exec(select(OwnerAlias))) == ["D. Poole", "Deb Poole"]
    clash = chat.ask(admin, 'people alias "Debra Poole" "Sarah Collins"')
    assert clash.tone is Tone.ERROR and clash.plain_lines[0].startswith("'Sarah Collins' is someone else in the plan.")


@pytest.mark.parametrize(
    "command",
    ["people", 'people add "Ann Lee" ann.lee@council.gov.uk manager', "people role Deb Poole +admin",
     'people merge "Deb Poole" into "Sarah Collins"', 'people alias "Deb Poole" "D. Poole"',
     "lead Corporate Peer Challenge 2018 @Deb Poole"],
)  # fmt: skip
def test_only_admins_manage_people_and_nothing_changes_for_anyone_else(
    plan: PlanFactory, chat: Chat, admin: Person, engine: Engine, command: str
) -> None:
    deb = plan.person("Deb Poole", Role.MANAGER, Role.SMT)
    plan.review("Corporate Peer Challenge 2018")
    before = everyone(engine)
    reply = chat.ask(deb, command)
    word = command.split()[0]
    assert (reply.tone, reply.plain_lines) == (Tone.ERROR, [f"Only admins can `{word}`. Ask Sarah Collins."])
    assert everyone(engine) == before
    with transaction(engine, write=False) as session:
        assert list(session.exec(select(ReviewLead))) == []
        assert list(session.exec(select(OwnerAlias))) == []


def test_people_commands_are_in_an_admins_help_only(plan: PlanFactory, chat: Chat, admin: Person) -> None:
    officer = plan.person("Kevin Dicks")
    help_lines = chat.ask(admin, "help").plain_lines
    assert any(line.startswith("`people [add|role|merge|alias|rename …] [page 2]`: everyone in the plan")
               for line in help_lines)  # fmt: skip
    assert "`lead <review> @person`: make someone a lead of a review (told of escalations; may update its actions)" \
        in help_lines  # fmt: skip
    assert any(line.startswith("`export [review] [xlsx|csv|json]`") for line in help_lines)
    officers = chat.ask(officer, "help").plain_lines
    assert not any(line.startswith(("`people", "`lead", "`export")) for line in officers)
    assert chat.ask(admin, "help people").plain_lines[0].startswith("`people [add|role|merge|alias|rename …] [page 2]`")


# lead -----------------------------------------------------------------------------------------


def test_admin_makes_someone_a_review_lead_by_name_or_by_mention(
    plan: PlanFactory, chat: Chat, admin: Person, engine: Engine
) -> None:
    deb = plan.person("Deb Poole", slack="U0DEB")
    kevin = plan.person("Kevin Dicks")
    review = plan.review("Corporate Peer Challenge 2018", kevin)
    action = plan.action(plan.person("Owen Price"), review=review)
    reply = chat.ask(Actor(platform="slack", user_id="U0SARAH"), "lead Peer Challenge <@U0DEB|deb>")
    assert (reply.tone, reply.plain_lines) == (Tone.SUCCESS, [
        "Deb Poole now leads 'Corporate Peer Challenge 2018': they are told of its escalations and may update its "
        "actions.",
        "Its leads: Deb Poole, Kevin Dicks.",
    ])  # fmt: skip
    assert chat.ask(deb, f"on-track {action.id}").tone is Tone.SUCCESS  # a lead may update the review's actions
    assert chat.ask(admin, "lead corporate peer @Deb Poole").plain_lines == [
        "Deb Poole already leads 'Corporate Peer Challenge 2018'."
    ]
    with transaction(engine, write=False) as session:
        assert sorted(row.person_id for row in session.exec(select(ReviewLead))) == sorted([deb.id, kevin.id])


def test_lead_refuses_an_unknown_review_person_or_chat_user(plan: PlanFactory, chat: Chat, admin: Person) -> None:
    plan.review("Corporate Peer Challenge 2018")
    plan.person("Deb Poole")
    assert chat.ask(admin, "lead Housing Review @Deb Poole").plain_lines == [
        "No review matches 'Housing Review'. Reviews: 'Corporate Peer Challenge 2018'."
    ]
    assert chat.ask(admin, "lead Peer Challenge @Deb Pole").plain_lines == [
        "Nobody in the plan is called 'Deb Pole'. Did you mean 'Deb Poole'?"
    ]
    stranger = chat.ask(Actor(platform="slack", user_id="U0SARAH"), "lead Peer Challenge <@U0NEW|sam>")
    assert stranger.plain_lines == [
        "That Slack user is not linked to anyone in the plan: `link @them Their Name` first."
    ]
    assert chat.ask(admin, "lead Peer Challenge").plain_lines == [
        "Who? Mention them with @ after the review. Try: lead <review> @person"
    ]


# export ---------------------------------------------------------------------------------------


@pytest.fixture
def running(engine: Engine, settings: Settings, clock: FixedClock) -> App:
    return App(settings, engine, Core(engine, settings, clock))


@pytest.mark.parametrize("file_format", ["xlsx", "csv", "json"])
def test_a_manager_exports_the_same_bytes_as_the_command_line(
    plan: PlanFactory, chat: Chat, running: App, monkeypatch: pytest.MonkeyPatch, tmp_path: Path, file_format: str
) -> None:
    deb = plan.person("Deb Poole", Role.MANAGER)
    review = plan.review("Corporate Peer Challenge 2018", deb)
    plan.action(deb, review=review, due_in=-3, status=Status.AT_RISK, percent=40, text="=SUM(A1) café")
    plan.action(deb, review=plan.review("Housing Review 2019"), text="Another review's action")
    reply = chat.ask(deb, f"export Peer Challenge {file_format}")
    assert reply.attachment is not None
    assert reply.attachment.name == f"progress-report-{plan.today.isoformat()}.{file_format}"
    assert reply.plain_lines == [
        f"The progress report of 'Corporate Peer Challenge 2018': 1 action, as {reply.attachment.name}."
    ]
    assert reply.attachment.data == exported_by_cli(
        monkeypatch, running, tmp_path, "--format", file_format, "--review", "Peer Challenge"
    )
    everything = chat.ask(deb, f"export {file_format}")
    assert everything.attachment is not None
    assert everything.attachment.data == exported_by_cli(monkeypatch, running, tmp_path, "--format", file_format)


def test_export_is_a_workbook_unless_asked_and_smt_and_admins_may_export(
    plan: PlanFactory, chat: Chat, admin: Person
) -> None:
    plan.action(plan.person("Deb Poole"))
    ceo = plan.person("Kevin Dicks", Role.SMT)
    for who in (ceo, admin):
        reply = chat.ask(who, "export the progress report")
        assert reply.attachment is not None
        assert reply.attachment.media_type == "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
        assert reply.attachment.data[:2] == b"PK"


def test_export_is_refused_to_an_officer_and_says_why_for_bad_asks(plan: PlanFactory, chat: Chat) -> None:
    officer = plan.person("Owen Price")
    manager = plan.person("Deb Poole", Role.MANAGER)
    empty = chat.ask(manager, "export")
    assert (empty.tone, empty.attachment) == (Tone.ERROR, None)
    assert empty.plain_lines == ["There are no actions to report on yet: an admin imports a plan first."]
    plan.action(officer)
    refused = chat.ask(officer, "export csv")
    assert (refused.tone, refused.attachment) == (Tone.ERROR, None)
    assert refused.plain_lines == ["`export` is for SMT, managers and admins. `mine` shows your own actions."]
    unknown = chat.ask(manager, "export Housing csv")
    assert unknown.plain_lines == ["No review matches 'Housing'. Reviews: 'Corporate Peer Challenge 2018'."]
    assert chat.ask(manager, "export as pdf").plain_lines == [
        "'pdf' is not a format: use xlsx, csv or json. Try: export [review] [xlsx|csv|json]"
    ]


def test_the_console_saves_the_exported_file_and_says_where(
    plan: PlanFactory, core: Core, tmp_path: Path
) -> None:
    deb = plan.person("Deb Poole", Role.MANAGER)
    plan.action(deb)
    out = io.StringIO()
    ConsoleChat(core, deb.id or 0, deb.name, out=out, files=tmp_path).run(["export csv"])
    saved = tmp_path / f"progress-report-{plan.today.isoformat()}.csv"
    assert f"Saved {saved}" in out.getvalue().splitlines()
    assert saved.read_bytes().startswith("\ufeffreview,".encode())


def test_a_people_change_through_the_console_is_audited_as_the_console(
    plan: PlanFactory, core: Core, admin: Person, engine: Engine
) -> None:
    typo = plan.person("Jane Pickering")
    plan.person("Jayne Pickering")
    action = plan.action(typo)
    out = io.StringIO()
    ConsoleChat(core, admin.id or 0, admin.name, out=out).run(['people merge "Jane Pickering" into "Jayne Pickering"'])
    assert "Merged 'Jane Pickering' into 'Jayne Pickering': 1 action moved." in out.getvalue()
    with transaction(engine, write=False) as session:
        rows = session.exec(select(ActionUpdate).where(ActionUpdate.action_id == action.id)).all()
        assert [(r.surface, r.person_id) for r in rows if r.kind is UpdateKind.OWNERS] == [(Surface.CONSOLE, admin.id)]


def test_the_workbook_is_stamped_with_the_reports_day_so_the_same_plan_gives_the_same_file(
    plan: PlanFactory, chat: Chat
) -> None:
    deb = plan.person("Deb Poole", Role.MANAGER)
    plan.action(deb)
    reply = chat.ask(deb, "export xlsx")
    assert reply.attachment is not None
    day = plan.today
    with zipfile.ZipFile(io.BytesIO(reply.attachment.data)) as workbook:
        assert {entry.date_time for entry in workbook.infolist()} == {(day.year, day.month, day.day, 0, 0, 0)}
        core_properties = workbook.read("docProps/core.xml").decode()
    assert core_properties.count(f"{day.isoformat()}T00:00:00Z") == 2  # created and modified
