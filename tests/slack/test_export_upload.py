"""The admin's job through ``/actions`` on the real Slack surface, against the fake Slack over HTTP:
``export`` uploads the report (files.getUploadURLExternal, the bytes, files.completeUploadExternal), and
the people commands answer as they do everywhere."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from sqlalchemy import Engine
from sqlmodel import select

from adapters.bootstrap import App
from store.models import Person, ReviewLead
from store.session import transaction
from tests.export_cli import exported_by_cli
from tests.slack.conftest import Council, Server
from tests.slack.driver import CHANNEL
from tests.slack.helpers import shown

UPLOAD_CALLS = ("files.getUploadURLExternal", "upload", "files.completeUploadExternal")


def completed_files(slack: Server) -> list[tuple[str, str, str]]:
    """(channel, file id, title) of each file shared."""
    shared = []
    for call in slack.fake.of("files.completeUploadExternal"):
        for entry in json.loads(call.params["files"]):
            shared.append((call.params["channel_id"], entry["id"], entry["title"]))
    return shared


@pytest.mark.parametrize("file_format", ["xlsx", "csv"])
async def test_a_manager_exports_and_the_file_is_uploaded_into_the_channel_as_the_cli_writes_it(
    slack: Server, council: Council, slack_app: App, monkeypatch: pytest.MonkeyPatch, tmp_path: Path, file_format: str
) -> None:
    answer = await slack.command(f"export Corporate Peer {file_format}", user="U0DEB")
    assert answer.status == 200 and answer.json["response_type"] == "ephemeral"
    name = f"progress-report-2019-01-14.{file_format}"
    assert f"The progress report of 'Corporate Peer Challenge 2018': 3 actions, as {name}." in shown(answer.blocks)
    await slack.fake.wait_for("files.completeUploadExternal")
    ((channel, file_id, title),) = completed_files(slack)
    assert (channel, title) == (CHANNEL, name)
    asked = slack.fake.of("files.getUploadURLExternal")
    assert [(call.params["filename"], call.params["length"]) for call in asked] == [
        (name, str(len(slack.fake.uploaded()[file_id])))
    ]
    expected = exported_by_cli(monkeypatch, slack_app, tmp_path, "--format", file_format, "--review", "Corporate Peer")
    assert slack.fake.uploaded()[file_id] == expected


async def test_where_the_bot_cannot_share_the_file_goes_to_the_askers_dm_and_they_are_told(
    slack: Server, council: Council
) -> None:
    slack.fake.fail("files.completeUploadExternal", error="not_in_channel")
    await slack.command("export csv", user="U0ALEX", channel="C0ELSEWHERE")
    await slack.fake.wait_for("files.completeUploadExternal", count=2)
    await slack.settle()
    assert [call.params["channel_id"] for call in slack.fake.of("files.completeUploadExternal")] == [
        "C0ELSEWHERE", "D0ALEX"
    ]  # fmt: skip
    (notice,) = slack.fake.of("response_url")
    assert notice.params["text"] == (
        "I can't share files here, so I sent progress-report-2019-01-14.csv to you in our direct messages."
    )


async def test_an_upload_slack_refuses_is_one_line_to_the_asker(slack: Server, council: Council) -> None:
    slack.fake.fail("files.getUploadURLExternal", error="ratelimited", status=200)
    await slack.command("export json", user="U0SARAH")
    await slack.fake.wait_for("response_url")
    await slack.settle()
    (notice,) = slack.fake.of("response_url")
    assert notice.params["text"] == (
        "I could not upload progress-report-2019-01-14.json (ratelimited). Try again in a moment."
    )
    assert slack.fake.of("files.completeUploadExternal") == []


async def test_an_officers_export_is_refused_and_nothing_is_uploaded(slack: Server, council: Council) -> None:
    answer = await slack.command("export csv", user="U0KEVIN")
    assert "`export` is for SMT, managers and admins. `mine` shows your own actions." in shown(answer.blocks)
    await slack.settle()
    assert [call for call in slack.fake.calls if call.method in UPLOAD_CALLS] == []


# people --------------------------------------------------------------------------------------------------------


async def test_an_admin_lists_and_changes_people_from_slack(
    slack: Server, council: Council, engine: Engine
) -> None:
    listed = shown((await slack.command("people", user="U0SARAH")).blocks)
    assert "5 people in the plan, by name." in listed
    assert "Kevin Dicks · no role · Slack U0KEVIN · kevin.dicks@council.gov.uk · 2 open actions" in listed
    added = shown((await slack.command('people add "Ann Lee" ann.lee@council.gov.uk manager', user="U0SARAH")).blocks)
    assert "Added Ann Lee (manager)." in added
    roles = shown((await slack.command("people role Ann Lee +admin -manager", user="U0SARAH")).blocks)
    assert "Ann Lee: admin." in roles
    alias = shown((await slack.command('people alias "Ann Lee" "A. Lee"', user="U0SARAH")).blocks)
    assert "'A. Lee' is now another name for Ann Lee" in alias
    merged = shown((await slack.command('people merge "A. Lee" into "Owen Price"', user="U0SARAH")).blocks)
    assert "Merged 'Ann Lee' into 'Owen Price': 0 actions moved." in merged
    renamed = shown((await slack.command('people rename "Owen Price" to "Owen Pryce"', user="U0SARAH")).blocks)
    assert "Renamed 'Owen Price' to 'Owen Pryce' (0 actions)." in renamed
    lead = shown((await slack.command("lead Corporate Peer <@U0KEVIN|kevin>", user="U0SARAH")).blocks)
    assert "Kevin Dicks now leads 'Corporate Peer Challenge 2018'" in lead
    with transaction(engine, write=False) as session:
        assert session.exec(select(Person).where(Person.name == "Ann Lee")).first() is None
        assert session.exec(select(Person).where(Person.name == "Owen Pryce")).one().roles == ["admin", "union_rep"]
        assert sorted(row.person_id for row in session.exec(select(ReviewLead))) == sorted(
            [council.deb.id, council.kevin.id]
        )


@pytest.mark.parametrize(
    ("text", "answer"),
    [
        ("people", "Only admins can `people`. Ask Sarah Collins."),
        ("lead Corporate Peer <@U0OWEN|owen>", "Only admins can `lead`. Ask Sarah Collins."),
    ],
)
async def test_people_commands_are_refused_to_anyone_but_an_admin_on_slack(
    slack: Server, council: Council, text: str, answer: str
) -> None:
    reply = await slack.command(text, user="U0DEB")
    assert answer in shown(reply.blocks)


@pytest.mark.parametrize(
    ("text", "answer"),
    [
        ("people role Nobody Here +admin", "Nobody in the plan is called 'Nobody Here'."),
        ("people role Deb Poole +boss", "'boss' is not a role: use admin, smt, manager, union_rep, member."),
        ('people add "Ann Lee" ann.lee@council', "'ann.lee@council' is not an email address."),
        ("lead Corporate Peer <@U0NOBODY|sam>", "That Slack user is not linked to anyone in the plan"),
    ],
)
async def test_people_mistakes_get_one_clear_line_on_slack(
    slack: Server, council: Council, text: str, answer: str
) -> None:
    reply = await slack.command(text, user="U0SARAH")
    assert answer in shown(reply.blocks)


async def test_a_slow_export_answers_through_the_response_url_then_uploads(slack: Server, council: Council) -> None:
    slack.surface.interactions.ack_budget = 0.0
    answer = await slack.command("export json", user="U0DEB")
    assert answer.json["text"] == "Working on it…"
    await slack.fake.wait_for("files.completeUploadExternal")
    (late,) = slack.fake.of("response_url")
    assert "as progress-report-2019-01-14.json." in shown(late.params["blocks"])
    ((channel, file_id, _),) = completed_files(slack)
    assert channel == CHANNEL and slack.fake.uploaded()[file_id].startswith(b"[\n  {")
