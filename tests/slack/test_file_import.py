"""Loading a plan by sending it on Slack: a file dropped into the bot's DM, through the fake Slack over HTTP.

The fake serves the file at its ``url_private_download`` (only for the bot token) and records each download,
so a test can say that nothing was downloaded.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import bot
from bot.admin_files.incoming import MAX_BYTES
from store.models import Action
from store.pending_files import PendingFile
from tests.factories import PlanFactory
from tests.slack.conftest import Council, Server
from tests.slack.driver import Message
from tests.slack.fake_slack import BOT_TOKEN
from tests.slack.helpers import shown

CSV = Path(bot.__file__).parent / "sample_files" / "peer-review-programme-2017.csv"
DM = "D0SARAH"



async def share(slack: Server, user: str, name: str, data: bytes, *, text: str = "", **file: Any) -> str:
    """``user`` drops a file into their DM; the text of what the bot posted back."""
    before = len(slack.fake.of("chat.postMessage"))
    shared = slack.fake.add_file(f"F0{len(slack.fake.files) + 1:04d}", name, data) | file
    answer = await slack.share_file(user, [shared], text=text)
    assert answer.status == 200
    await slack.settle()
    posts = slack.fake.of("chat.postMessage")
    assert len(posts) == before + 1, "the bot did not answer in the DM"
    assert posts[-1].params["channel"] == "D" + user[1:]
    return shown(posts[-1].params["blocks"])


def dry_run_message(slack: Server) -> Message:
    posted = slack.fake.of("chat.postMessage")[-1].params
    return Message(posted["blocks"], channel=posted["channel"], ts="1547460000.000900", ephemeral=False,
                   text=posted["text"])


async def press(slack: Server, message: Message, label: str, user: str = "U0SARAH") -> None:
    [button] = [e for b in message.blocks if b["type"] == "actions" for e in b["elements"]
                if e["text"]["text"] == label]
    answer = await slack.interaction(slack.press_payload(message, button, user=user))
    assert answer.status == 200
    await slack.settle()


async def test_an_admins_plan_is_dry_run_then_imported_once(slack: Server, council: Council, plan: PlanFactory) -> None:
    said = await share(slack, "U0SARAH", CSV.name, CSV.read_bytes())
    assert f"Dry run of {CSV.name} into 'peer review programme 2017'" in said
    assert "Nothing was written" in said and "Review title: 'peer review programme 2017', from the file" in said
    [download] = slack.fake.of("files.download")
    assert download.params["authorization"] == f"Bearer {BOT_TOKEN}"
    message = dry_run_message(slack)
    assert [e["text"]["text"] for b in message.blocks if b["type"] == "actions" for e in b["elements"]] == [
        "Import", "Cancel"]
    assert plan.review_titles() == ["Corporate Peer Challenge 2018"]

    await press(slack, message, "Import")
    [updated] = slack.fake.of("chat.update")
    assert updated.params["channel"] == DM and updated.params["ts"] == message.ts
    result = shown(updated.params["blocks"])
    assert f"Imported {CSV.name} into 'peer review programme 2017'" in result and "Imported by Sarah Collins" in result
    assert not [b for b in updated.params["blocks"] if b["type"] == "actions"], "the buttons go once pressed"
    assert plan.review_titles() == ["Corporate Peer Challenge 2018", "peer review programme 2017"]
    actions = plan.rows(Action)

    await press(slack, message, "Import")  # pressed again (a double click, an old copy of the message)
    [again] = slack.fake.of("response_url")
    assert f"{CSV.name} was already imported: nothing more to do." in shown(again.params["blocks"])
    assert again.params["replace_original"] is False
    assert plan.rows(Action) == actions and len(slack.fake.of("chat.update")) == 1


async def test_cancel_discards_the_file(slack: Server, council: Council, plan: PlanFactory) -> None:
    await share(slack, "U0SARAH", CSV.name, CSV.read_bytes())
    await press(slack, dry_run_message(slack), "Cancel")
    [updated] = slack.fake.of("chat.update")
    assert f"Cancelled: {CSV.name} was not imported" in shown(updated.params["blocks"])
    assert plan.rows(PendingFile) == 0 and plan.review_titles() == ["Corporate Peer Challenge 2018"]


async def test_the_review_title_comes_from_the_message(slack: Server, council: Council, plan: PlanFactory) -> None:
    said = await share(slack, "U0SARAH", CSV.name, CSV.read_bytes(), text="import Peer Review Programme &amp; More")
    assert "Review title: 'Peer Review Programme &amp; More', from your message." in said  # as Slack shows &
    await press(slack, dry_run_message(slack), "Import")
    assert "Peer Review Programme & More" in plan.review_titles()


async def test_someone_not_an_admin_is_told_so_and_nothing_is_downloaded(
    slack: Server, council: Council, plan: PlanFactory
) -> None:
    said = await share(slack, "U0KEVIN", CSV.name, CSV.read_bytes())
    assert "Only admins can import a plan. Send it to Sarah Collins, who can." in said
    assert slack.fake.of("files.download") == [] and plan.rows(PendingFile) == 0


async def test_someone_nobody_in_the_plan_gets_the_welcome_and_nothing_is_downloaded(
    slack: Server, council: Council
) -> None:
    said = await share(slack, "U0STRANGER", CSV.name, CSV.read_bytes())
    assert "You are not linked to anyone in the action plan yet" in said and "Sarah Collins" in said
    assert slack.fake.of("files.download") == []


async def test_an_oversized_file_is_refused_before_downloading(slack: Server, council: Council) -> None:
    said = await share(slack, "U0SARAH", "plan.xlsx", b"PK", size=MAX_BYTES + 1)
    assert "plan.xlsx is 10.0 MB: plans over 10.0 MB are not imported from chat" in said
    assert slack.fake.of("files.download") == []


async def test_a_download_past_10_mb_stops_and_is_refused(slack: Server, council: Council, plan: PlanFactory) -> None:
    said = await share(slack, "U0SARAH", "plan.csv", b"a,b\n" * (MAX_BYTES // 4 + 1), size=1000)
    assert "plan.csv is over 10.0 MB" in said and plan.rows(PendingFile) == 0


async def test_a_file_of_another_type_is_refused_before_downloading(slack: Server, council: Council) -> None:
    said = await share(slack, "U0SARAH", "minutes.pptx", b"PK\x03\x04")
    assert "minutes.pptx: '.pptx' files cannot be imported" in said and slack.fake.of("files.download") == []


async def test_a_broken_file_gets_one_line_and_nothing_is_written(
    slack: Server, council: Council, plan: PlanFactory
) -> None:
    said = await share(slack, "U0SARAH", "plan.docx", b"PK\x03\x04 this is no Word document")
    assert said.count("\n") == 0 and "plan.docx was not imported; nothing was changed" in said
    assert plan.rows(PendingFile) == 0 and plan.review_titles() == ["Corporate Peer Challenge 2018"]


async def test_a_file_from_a_foreign_host_is_refused_and_not_fetched(slack: Server, council: Council) -> None:
    for url in ("https://files.evil.example/plan.csv", "http://files.slack.com/plan.csv",
                f"http://127.0.0.1:{slack.fake.port + 1}/files-pri/T0COUNCIL-F1/download/plan.csv"):
        said = await share(slack, "U0SARAH", "plan.csv", CSV.read_bytes(), url_private_download=url)
        assert "which is not where the platform keeps files: nothing was downloaded" in said
    assert slack.fake.of("files.download") == []


async def test_the_bots_own_files_and_files_in_channels_are_not_acted_on(slack: Server, council: Council) -> None:
    shared = slack.fake.add_file("F0BOT", "report.xlsx", b"PK")
    own = {"type": "message", "subtype": "file_share", "files": [shared], "user": "UBOT00001", "bot_id": "B0BOT",
           "ts": "1547460000.000200", "channel": "D0SARAH", "channel_type": "im", "text": ""}
    channel = own | {"user": "U0SARAH", "bot_id": None, "channel": "C0PLAN", "channel_type": "channel"}
    for event in (own, {k: v for k, v in channel.items() if v is not None}):
        assert (await slack.event(event)).status == 200
    await slack.settle()
    assert slack.fake.of("files.download") == [] and slack.fake.of("chat.postMessage") == []


async def test_a_redirect_is_followed_only_to_where_slack_keeps_files(slack: Server, council: Council) -> None:
    slack.fake.files["F0HOME"] = CSV.read_bytes()
    slack.fake.redirects["F00002"] = f"{slack.fake.url}/files-pri/T0COUNCIL-F0HOME/download/{CSV.name}"
    said = await share(slack, "U0SARAH", CSV.name, b"moved")
    assert f"Dry run of {CSV.name}" in said and len(slack.fake.of("files.download")) == 2
    slack.fake.redirects["F00003"] = "https://attacker.example/internal"
    said = await share(slack, "U0SARAH", CSV.name, b"moved")
    assert "the file is at attacker.example, which is not where the platform keeps files" in said


async def test_import_typed_as_a_slash_command_says_how_to_send_the_file(slack: Server, council: Council) -> None:
    answer = await slack.command("import Corporate Peer Challenge 2018", user="U0SARAH")
    assert "A plan is imported by sending me the file" in shown(answer.blocks)
    assert slack.fake.of("files.download") == []
