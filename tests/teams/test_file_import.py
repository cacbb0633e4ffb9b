"""Loading a plan by sending it on Teams: a file sent in the 1:1 chat, through the fake connector over HTTP.

The fake connector also serves the file at its download URL (as OneDrive would) and records each download,
so a test can say that nothing was downloaded.
"""

from __future__ import annotations

import json
from pathlib import Path

import adapters.teams.manifest
import bot
from bot.admin_files.incoming import MAX_BYTES
from store.models import Action
from store.pending_files import PendingFile
from tests.factories import PlanFactory
from tests.teams import payloads
from tests.teams.card_reading import buttons, text_of
from tests.teams.harness import DEB, KEVIN, Plan, Teams
from tests.teams.payloads import TeamsUser, personal_chat

CSV = Path(bot.__file__).parent / "sample_files" / "peer-review-programme-2017.csv"



async def send(teams: Teams, user: TeamsUser, name: str, data: bytes, *, text: str = "", url: str | None = None
               ) -> dict[str, object]:  # fmt: skip
    """``user`` sends a file in their 1:1 chat with the bot; the card the bot answered with."""
    before = len(teams.connector.sent())
    download_url = url or teams.connector.add_file(name, data)
    activity = payloads.file_message(teams.service_url, user, personal_chat(user), name, download_url, text=text)
    assert await teams.post(activity) == 200
    assert len(teams.connector.sent()) == before + 1, "the bot did not answer"
    return teams.connector.last_card()


async def press(teams: Teams, user: TeamsUser, card: dict[str, object], card_id: str, title: str) -> None:
    [data] = [data for found, data in buttons(card) if found == title]
    assert await teams.press(user, card_id, data) == 200


async def test_an_admins_plan_is_dry_run_then_imported_once(teams: Teams, people: Plan, plan: PlanFactory) -> None:
    card = await send(teams, KEVIN, CSV.name, CSV.read_bytes())
    said = text_of(card)
    assert f"Dry run of {CSV.name} into 'peer review programme 2017'" in said and "Nothing was written" in said
    assert [title for title, _ in buttons(card)] == ["Import", "Cancel"]
    assert len(teams.connector.downloads()) == 1 and plan.review_titles() == []
    card_id = teams.last_message_id()

    await press(teams, KEVIN, card, card_id, "Import")
    [update] = teams.connector.updates()
    assert update.activity_id == card_id
    assert f"Imported {CSV.name} into 'peer review programme 2017'" in text_of(update.card)
    assert buttons(update.card) == [] and plan.review_titles() == ["peer review programme 2017"]
    actions = plan.rows(Action)

    await press(teams, KEVIN, card, card_id, "Import")
    assert f"{CSV.name} was already imported: nothing more to do." in text_of(teams.connector.last_card())
    assert len(teams.connector.updates()) == 1 and plan.rows(Action) == actions


async def test_cancel_discards_the_file(teams: Teams, people: Plan, plan: PlanFactory) -> None:
    card = await send(teams, KEVIN, CSV.name, CSV.read_bytes(), text="Peer Review Programme")
    assert "Review title: 'Peer Review Programme', from your message." in text_of(card)
    await press(teams, KEVIN, card, teams.last_message_id(), "Cancel")
    [update] = teams.connector.updates()
    assert f"Cancelled: {CSV.name} was not imported" in text_of(update.card)
    assert plan.rows(PendingFile) == 0 and plan.review_titles() == []


async def test_someone_not_an_admin_is_told_so_and_nothing_is_downloaded(
    teams: Teams, people: Plan, plan: PlanFactory
) -> None:
    card = await send(teams, DEB, CSV.name, CSV.read_bytes())
    assert "Only admins can import a plan. Send it to Kevin Dicks, who can." in text_of(card)
    assert teams.connector.downloads() == [] and plan.rows(PendingFile) == 0


async def test_an_oversized_download_stops_and_is_refused(teams: Teams, people: Plan, plan: PlanFactory) -> None:
    card = await send(teams, KEVIN, "plan.csv", b"a,b\n" * (MAX_BYTES // 4 + 1))
    assert "plan.csv is over 10.0 MB" in text_of(card) and plan.rows(PendingFile) == 0


async def test_a_broken_file_gets_one_line_and_nothing_is_written(
    teams: Teams, people: Plan, plan: PlanFactory
) -> None:
    card = await send(teams, KEVIN, "plan.xlsx", b"PK\x03\x04 not a workbook")
    said = text_of(card)
    assert said.startswith("plan.xlsx was not imported; nothing was changed") and "\n" not in said
    assert plan.rows(PendingFile) == 0 and plan.review_titles() == []


async def test_a_file_of_another_type_is_refused_before_downloading(teams: Teams, people: Plan) -> None:
    card = await send(teams, KEVIN, "notes.txt", b"hello")
    assert "notes.txt: '.txt' files cannot be imported" in text_of(card) and teams.connector.downloads() == []


async def test_a_file_from_a_host_microsoft_does_not_name_is_refused_and_not_fetched(
    teams: Teams, people: Plan
) -> None:
    for url in ("https://evil.example/plan.csv", "http://bromsgrove-my.sharepoint.com/plan.csv",
                "https://sharepoint.com.evil.example/plan.csv", "file:///etc/passwd"):
        card = await send(teams, KEVIN, "plan.csv", b"", url=url)
        assert "which is not where the platform keeps files: nothing was downloaded" in text_of(card), url
    assert teams.connector.downloads() == []


def test_the_teams_app_says_it_takes_files() -> None:
    manifest = json.loads((Path(adapters.teams.manifest.__file__).parent / "manifest.json").read_text())
    assert manifest["bots"][0]["supportsFiles"] is True
