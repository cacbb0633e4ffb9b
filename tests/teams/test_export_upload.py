"""The admin's job typed in Teams, against the fake Bot Framework connector over HTTP: ``export`` sends the
report through the file consent flow (consent card → Allow → PUT to the upload URL → file card; Decline),
and the people commands answer as they do everywhere."""

from __future__ import annotations

import json
from importlib import resources
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import Engine
from sqlmodel import select

from adapters.bootstrap import App
from bot.clock import FixedClock
from bot.core import Core
from bot.settings import Settings
from store.models import Person, ReviewLead
from store.session import transaction
from tests.export_cli import exported_by_cli
from tests.factories import PlanFactory
from tests.teams.card_reading import text_of
from tests.teams.fake_connector import Call
from tests.teams.harness import DEB, JAYNE, KEVIN, OWEN, Plan, Teams
from tests.teams.payloads import CHANNEL, file_consent, message, personal_chat

REVIEW = "Corporate Peer Challenge 2018"
CONSENT = "application/vnd.microsoft.teams.card.file.consent"
FILE_INFO = "application/vnd.microsoft.teams.card.file.info"
CSV_NAME = "progress-report-2019-01-14.csv"


@pytest.fixture
def plan_with_actions(plan: PlanFactory, people: Plan) -> None:
    review = plan.review(REVIEW, people.deb)
    plan.action(people.deb, review=review, due_in=-3, text="Publish the communications strategy")
    plan.action(people.jayne, review=review, due_in=5, text="Refresh the workforce plan")


@pytest.fixture
def cli_bytes(
    engine: Engine, teams_settings: Settings, clock: FixedClock, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> bytes:
    running = App(teams_settings, engine, Core(engine, teams_settings, clock))
    return exported_by_cli(monkeypatch, running, tmp_path, "--format", "csv")


def attachments(call: Call) -> list[dict[str, Any]]:
    return list(call.body.get("attachments") or [])


async def ask(teams: Teams, text: str, user: Any = KEVIN, chat: Any = None) -> list[Call]:
    """Send ``text``; the messages the bot sent in answer."""
    before = len(teams.connector.sent())
    status = await teams.post(message(teams.service_url, user, text, chat or personal_chat(user)))
    assert status == 200
    return teams.connector.sent()[before:]


async def answer_consent(
    teams: Teams, action: str, context: Any, upload: dict[str, Any] | None = None, user: Any = KEVIN
) -> int:
    return await teams.post(file_consent(teams.service_url, user, personal_chat(user), action, context, upload))


def every_review(file_format: str) -> dict[str, Any]:
    """The consent card's context for ``export <file_format>``: what the core makes again on Allow."""
    return {"file": {"kind": "export", "review_id": None, "review": None, "file_format": file_format}}


async def test_export_offers_the_file_then_allow_puts_the_clis_bytes_in_onedrive_and_shows_it(
    teams: Teams, people: Plan, plan_with_actions: None, cli_bytes: bytes
) -> None:
    card, offer = await ask(teams, "export csv")
    assert f"The progress report of every review: 2 actions, as {CSV_NAME}." in text_of(card.card)
    (consent,) = attachments(offer)
    assert (consent["contentType"], consent["name"]) == (CONSENT, CSV_NAME)
    assert consent["content"]["sizeInBytes"] == len(cli_bytes)
    assert consent["content"]["acceptContext"] == every_review("csv")  # what makes the file again, not the bytes

    before = len(teams.connector.sent())
    upload = teams.connector.upload_info(CSV_NAME)
    assert await answer_consent(teams, "accept", consent["content"]["acceptContext"], upload) == 200
    assert teams.connector.uploads == {CSV_NAME: cli_bytes}
    assert teams.connector.upload_headers[CSV_NAME]["Content-Range"] == f"bytes 0-{len(cli_bytes) - 1}/{len(cli_bytes)}"
    (shown,) = teams.connector.sent()[before:]
    (info,) = attachments(shown)
    assert info == {"contentType": FILE_INFO, "contentUrl": upload["contentUrl"], "name": CSV_NAME,
                    "content": {"uniqueId": upload["uniqueId"], "fileType": "csv"}}  # fmt: skip


def test_the_teams_app_says_the_bot_takes_files_as_the_consent_card_needs() -> None:
    manifest = json.loads(resources.files("adapters.teams.manifest").joinpath("manifest.json").read_text())
    assert manifest["bots"][0]["supportsFiles"] is True


async def test_decline_sends_no_file_and_says_so(teams: Teams, people: Plan, plan_with_actions: None) -> None:
    _, offer = await ask(teams, "export csv")
    context = attachments(offer)[0]["content"]["declineContext"]
    before = len(teams.connector.sent())
    assert await answer_consent(teams, "decline", context) == 200
    (said,) = teams.connector.sent()[before:]
    assert "Declined: I sent no file." in text_of(said.card)
    assert teams.connector.uploads == {}


async def test_a_refused_upload_url_is_one_clear_line(teams: Teams, people: Plan, plan_with_actions: None) -> None:
    await ask(teams, "export csv")
    teams.connector.fail_next(403, code="accessDenied", kinds=("upload",))
    before = len(teams.connector.sent())
    assert await answer_consent(teams, "accept", every_review("csv"), teams.connector.upload_info(CSV_NAME)) == 200
    (said,) = teams.connector.sent()[before:]
    assert f"I could not put {CSV_NAME} in your OneDrive (HTTP 403). Ask again: `export csv`." in text_of(said.card)


@pytest.mark.parametrize(
    "context",
    [
        {"command": "people add Mallory"},  # what an older version carried: a command, which is never read
        {"file": {"kind": "people", "file_format": "csv"}},
        {"file": {"kind": "export", "file_format": "exe"}},
        {"file": {"kind": "export", "file_format": "csv", "review_id": True}},
        {"file": {"kind": "export", "file_format": "csv", "review_id": "1"}},
        {"file": {"kind": "export", "file_format": "csv", "command": "people add Mallory"}},
        {"file": every_review("csv")["file"], "command": "people add Mallory"},
        "export csv",
    ],
)
async def test_a_consent_answer_whose_context_is_not_ours_is_refused(
    teams: Teams, people: Plan, plan_with_actions: None, context: Any
) -> None:
    before = len(teams.connector.calls)
    assert await answer_consent(teams, "accept", context, teams.connector.upload_info(CSV_NAME)) == 400
    assert teams.connector.calls[before:] == [] and teams.connector.uploads == {}


async def test_a_consent_answer_not_in_teams_shape_is_refused(
    teams: Teams, people: Plan, plan_with_actions: None
) -> None:
    before = len(teams.connector.calls)
    assert await answer_consent(teams, "accept", every_review("csv")) == 400  # no uploadInfo
    assert await answer_consent(teams, "maybe", every_review("csv"), teams.connector.upload_info(CSV_NAME)) == 400
    assert teams.connector.calls[before:] == [] and teams.connector.uploads == {}


async def test_allow_makes_the_file_again_for_whoever_answers_and_refuses_someone_without_rights(
    teams: Teams, people: Plan, plan_with_actions: None
) -> None:
    """The core checks again, as the person answering: Owen (a union rep) answering Kevin's card gets nothing."""
    _, offer = await ask(teams, "export csv")
    context = attachments(offer)[0]["content"]["acceptContext"]
    before = len(teams.connector.sent())
    assert await answer_consent(teams, "accept", context, teams.connector.upload_info(CSV_NAME), user=OWEN) == 200
    (refused,) = teams.connector.sent()[before:]
    assert "`export` is for SMT, managers and admins." in text_of(refused.card)
    assert teams.connector.uploads == {}


async def test_a_reviews_report_is_made_again_for_that_review_with_the_clis_bytes(
    teams: Teams, people: Plan, plan_with_actions: None, engine: Engine, teams_settings: Settings,
    clock: FixedClock, monkeypatch: pytest.MonkeyPatch, tmp_path: Path, plan: PlanFactory
) -> None:
    other = plan.review("Housing Review 2019", people.deb)
    plan.action(people.deb, review=other, due_in=9, text="Survey the housing stock")
    _, offer = await ask(teams, "export Corporate Peer json")
    (consent,) = attachments(offer)
    wanted = consent["content"]["acceptContext"]["file"]
    assert (wanted["review"], wanted["file_format"]) == (REVIEW, "json") and isinstance(wanted["review_id"], int)
    name = "progress-report-2019-01-14.json"
    assert await answer_consent(teams, "accept", {"file": wanted}, teams.connector.upload_info(name)) == 200
    running = App(teams_settings, engine, Core(engine, teams_settings, clock))
    cli = exported_by_cli(monkeypatch, running, tmp_path, "--format", "json", "--review", "Corporate Peer")
    assert teams.connector.uploads == {name: cli}


async def test_allow_after_the_review_was_removed_says_so_and_sends_nothing(
    teams: Teams, people: Plan, plan_with_actions: None
) -> None:
    context = {"file": {"kind": "export", "review_id": 9999, "review": "Gone Review", "file_format": "csv"}}
    before = len(teams.connector.sent())
    assert await answer_consent(teams, "accept", context, teams.connector.upload_info(CSV_NAME)) == 200
    (said,) = teams.connector.sent()[before:]
    assert "That review is no longer in the plan" in text_of(said.card)
    assert teams.connector.uploads == {}


async def test_an_officers_export_is_refused_and_offers_no_file(
    teams: Teams, people: Plan, plan_with_actions: None
) -> None:
    (refused,) = await ask(teams, "export csv", user=OWEN)
    assert "`export` is for SMT, managers and admins. `mine` shows your own actions." in text_of(refused.card)


async def test_export_in_a_channel_says_to_ask_in_the_one_to_one_chat(
    teams: Teams, people: Plan, plan_with_actions: None
) -> None:
    card = await teams.say(DEB, "export csv", CHANNEL)
    assert "I can send you files only in our 1:1 chat: message me `export csv` there." in text_of(card)
    assert not any(a["contentType"] == CONSENT for call in teams.connector.sent() for a in attachments(call))


# people --------------------------------------------------------------------------------------------------------


async def test_an_admin_lists_and_changes_people_from_teams(
    teams: Teams, people: Plan, plan_with_actions: None, engine: Engine
) -> None:
    listed = text_of(await teams.say(KEVIN, "people"))
    assert "4 people in the plan, by name." in listed
    assert f"Deb Poole · manager · Teams {DEB.aad} · {DEB.email} · 1 open action" in listed
    added = text_of(await teams.say(KEVIN, 'people add "Ann Lee" ann.lee@bromsgrove.gov.uk member'))
    assert "Added Ann Lee (member)." in added
    assert "Ann Lee: manager." in text_of(await teams.say(KEVIN, "people role Ann Lee +manager -member"))
    renamed = text_of(await teams.say(KEVIN, 'people rename "Ann Lee" "Anne Lee"'))
    assert "Renamed 'Ann Lee' to 'Anne Lee' (0 actions)." in renamed
    alias = text_of(await teams.say(KEVIN, 'people alias "Anne Lee" "A. Lee"'))
    assert "'A. Lee' is now another name for Anne Lee: imports that write it find them." in alias
    merged = text_of(await teams.say(KEVIN, 'people merge "A. Lee" into "Jayne Pickering"'))
    assert "Merged 'Anne Lee' into 'Jayne Pickering': 0 actions moved." in merged
    tag, entity = OWEN.mention()
    led = text_of(await teams.say(KEVIN, f"lead Corporate Peer {tag}", mentions=[entity]))
    assert f"Owen Price now leads '{REVIEW}'" in led
    with transaction(engine, write=False) as session:
        assert session.exec(select(Person).where(Person.name == "Anne Lee")).first() is None
        jayne = session.exec(select(Person).where(Person.name == "Jayne Pickering")).one()
        assert (jayne.roles, jayne.email) == (["manager"], JAYNE.email)
        assert sorted(row.person_id for row in session.exec(select(ReviewLead))) == sorted(
            [people.deb.id, people.owen.id]
        )


@pytest.mark.parametrize(
    ("who", "text", "answer"),
    [
        (DEB, "people", "Only admins can `people`. Ask Kevin Dicks."),
        (DEB, 'people merge "Deb Poole" into "Owen Price"', "Only admins can `people`. Ask Kevin Dicks."),
        (KEVIN, "people role Nobody Here +admin", "Nobody in the plan is called 'Nobody Here'."),
        (KEVIN, "people role Deb Poole +boss", "'boss' is not a role: use admin, smt, manager, union_rep, member."),
        (KEVIN, "people add Ann Lee ann.lee@", "'ann.lee@' is not an email address."),
        (KEVIN, "lead Corporate Peer @Nobody Here", "Nobody in the plan is called 'Nobody Here'."),
    ],
)
async def test_people_refusals_on_teams(
    teams: Teams, people: Plan, plan_with_actions: None, who: Any, text: str, answer: str
) -> None:
    assert answer in text_of(await teams.say(who, text))


async def test_a_non_admin_cannot_make_a_lead_from_teams(
    teams: Teams, people: Plan, plan_with_actions: None, engine: Engine
) -> None:
    tag, entity = OWEN.mention()
    refused = text_of(await teams.say(DEB, f"lead Corporate Peer {tag}", mentions=[entity]))
    assert "Only admins can `lead`. Ask Kevin Dicks." in refused
    with transaction(engine, write=False) as session:
        assert [row.person_id for row in session.exec(select(ReviewLead))] == [people.deb.id]
