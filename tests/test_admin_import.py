"""Loading a plan by sending it, in the core: only admins, a dry run with Import and Cancel, one real import.

The adapters' tests (tests/slack/test_file_import.py, tests/teams/test_file_import.py) drive the same through
the fake Slack and Teams servers; these check the rules on the real database, surface by surface alike.
"""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import pytest
from sqlalchemy import Engine, func
from sqlmodel import Session, select

import bot
from bot.admin_files.incoming import MAX_BYTES, Refused, safe_name, title_from
from bot.admin_files.service import SentFile
from bot.admin_files.summary import HOW_TO_SEND
from bot.clock import FixedClock
from bot.core import Core
from bot.domain import Role, Surface
from bot.notices.jobs import JOBS
from bot.replies import ButtonIntent, Reply, Tone
from bot.requests import Actor, Request
from bot.services.overview import SEND_A_PLAN
from store.models import Action, ActionUpdate, Person, Review
from store.pending_files import PendingFile
from tests.factories import PlanFactory

SAMPLES = Path(bot.__file__).parent / "sample_files"
CSV = SAMPLES / "peer-review-programme-2017.csv"
DOCX = SAMPLES / "corporate-peer-challenge-2017.docx"
SARAH = Actor(platform="slack", user_id="U0SARAH")
KEVIN = Actor(platform="slack", user_id="U0KEVIN")


@pytest.fixture
def admins(plan: PlanFactory) -> tuple[Person, Person]:
    sarah = plan.person("Sarah Collins", Role.ADMIN, slack="U0SARAH")
    kevin = plan.person("Kevin Dicks", Role.MANAGER, slack="U0KEVIN")
    return sarah, kevin


def count(engine: Engine, table: type[object]) -> int:
    with Session(engine) as session:
        return int(session.exec(select(func.count()).select_from(table)).one())


def send(core: Core, path: Path, *, text: str | None = None, actor: Actor = SARAH, key: str = "slack:F1:1") -> Reply:
    reply = core.imports.preview(SentFile(actor=actor, key=key, name=path.name, data=path.read_bytes(), text=text))
    assert reply is not None
    return reply


def press(core: Core, reply: Reply, intent: ButtonIntent, actor: Actor = SARAH) -> Reply:
    [button] = [b for b in reply.buttons if b.intent is intent]
    return core.handle(Request(actor=actor, text=button.command, surface=Surface.SLACK, from_button=True))


def test_an_admins_plan_gets_a_dry_run_with_import_and_cancel_and_nothing_written(
    core: Core, engine: Engine, admins: object
) -> None:
    assert core.imports.may_import(SARAH, CSV.name, CSV.stat().st_size) is None
    reply = send(core, CSV)
    lines = reply.plain_lines
    assert reply.title == f"Dry run: {CSV.name}" and reply.tone is Tone.INFO
    assert lines[0].startswith(f"Dry run of {CSV.name} into 'peer review programme 2017'")
    assert "Nothing was written: this is what the import would do." in lines
    assert any(line.strip().startswith("actions:") and "to create" in line for line in lines)
    assert any("Review title: 'peer review programme 2017', from the file" in line for line in lines)
    assert [(b.intent, b.label) for b in reply.buttons] == [
        (ButtonIntent.IMPORT_FILE, "Import"), (ButtonIntent.CANCEL_FILE, "Cancel")
    ]
    assert count(engine, Review) == 0 and count(engine, Action) == 0
    with Session(engine) as session:
        [kept] = session.exec(select(PendingFile)).all()
    assert kept.content == CSV.read_bytes() and kept.file_name == CSV.name and kept.title is None
    assert kept.expires_at - kept.created_at == timedelta(hours=24)


def test_import_imports_the_kept_file_once_with_the_import_audit(core: Core, engine: Engine, admins: object) -> None:
    reply = send(core, CSV)
    done = press(core, reply, ButtonIntent.IMPORT_FILE)
    assert done.tone is Tone.SUCCESS and done.title == f"Imported: {CSV.name}"
    assert done.plain_lines[0].startswith(f"Imported {CSV.name} into 'peer review programme 2017'")
    assert "Imported by Sarah Collins." in done.plain_lines and not done.buttons
    actions = count(engine, Action)
    assert count(engine, Review) == 1 and actions > 0
    with Session(engine) as session:
        surfaces = set(session.exec(select(ActionUpdate.surface)).all())
        kept = session.exec(select(PendingFile)).one()
    assert surfaces == {Surface.IMPORT}  # as `actionbot import` records it
    assert kept.content is None  # the bytes go once imported

    again = press(core, reply, ButtonIntent.IMPORT_FILE)
    assert again.plain_lines == [f"{CSV.name} was already imported: nothing more to do."]
    assert count(engine, Action) == actions and count(engine, Review) == 1
    cancel = press(core, reply, ButtonIntent.CANCEL_FILE)
    assert "already imported" in cancel.plain_lines[0] and count(engine, Action) == actions


def test_cancel_discards_the_file_and_import_then_finds_nothing(core: Core, engine: Engine, admins: object) -> None:
    reply = send(core, CSV)
    cancelled = press(core, reply, ButtonIntent.CANCEL_FILE)
    assert cancelled.plain_lines == [f"Cancelled: {CSV.name} was not imported, and the file has been discarded."]
    assert count(engine, PendingFile) == 0
    late = press(core, reply, ButtonIntent.IMPORT_FILE)
    assert late.tone is Tone.ERROR and "no longer kept" in late.plain_lines[0]
    assert count(engine, Review) == 0 and count(engine, Action) == 0


def test_the_review_title_comes_from_the_message_and_the_summary_says_so(
    core: Core, engine: Engine, admins: object
) -> None:
    reply = send(core, CSV, text="/actions import Peer Review Programme")
    assert any("Review title: 'Peer Review Programme', from your message." in line for line in reply.plain_lines)
    press(core, reply, ButtonIntent.IMPORT_FILE)
    with Session(engine) as session:
        assert session.exec(select(Review.title)).all() == ["Peer Review Programme"]


def test_someone_not_an_admin_is_told_who_can_before_anything_is_downloaded(
    core: Core, engine: Engine, admins: object
) -> None:
    refused = core.imports.may_import(KEVIN, CSV.name, 1000)
    assert refused is not None and refused.tone is Tone.ERROR
    assert refused.plain_lines == ["Only admins can import a plan. Send it to Sarah Collins, who can."]
    sneaked = core.imports.preview(SentFile(actor=KEVIN, key="k", name=CSV.name, data=CSV.read_bytes()))
    assert sneaked is not None and sneaked.tone is Tone.ERROR and count(engine, PendingFile) == 0
    stranger = core.imports.may_import(Actor(platform="slack", user_id="U0NOBODY"), CSV.name, 1000)
    assert stranger is not None and stranger.not_linked  # the welcome: who the admins are
    assert any("Ask the admin (Sarah Collins)" in line for line in stranger.plain_lines)


def test_a_manager_cannot_press_import_on_an_admins_dry_run(core: Core, engine: Engine, admins: object) -> None:
    reply = send(core, CSV)
    refused = press(core, reply, ButtonIntent.IMPORT_FILE, actor=KEVIN)
    assert refused.tone is Tone.ERROR and "Only admins" in refused.plain_lines[0]
    assert count(engine, Review) == 0 and count(engine, PendingFile) == 1


@pytest.mark.parametrize(
    ("name", "size", "says"),
    [
        ("plan.docx", MAX_BYTES + 1, "plan.docx is 10.0 MB: plans over 10.0 MB are not imported from chat"),
        ("slides.pptx", 1000, "slides.pptx: '.pptx' files cannot be imported. Send the plan as .csv, .doc, .docx"),
        ("plan", 1000, "plan: Files without an extension cannot be imported"),
        ("plan.csv", 0, "plan.csv is empty"),
    ],
)
def test_oversized_empty_and_other_files_are_refused_in_one_line_before_downloading(
    core: Core, admins: object, name: str, size: int, says: str
) -> None:
    refused = core.imports.may_import(SARAH, name, size)
    assert refused is not None and refused.tone is Tone.ERROR
    [line] = refused.plain_lines
    assert line.startswith(says)


def test_a_download_over_the_limit_is_refused_and_nothing_kept(core: Core, engine: Engine, admins: object) -> None:
    big = SentFile(actor=SARAH, key="k", name="plan.csv", data=b"x" * (MAX_BYTES + 1))
    refused = core.imports.preview(big)
    assert refused is not None and "over 10.0 MB" in refused.plain_lines[0]
    assert count(engine, PendingFile) == 0


def test_a_broken_file_gets_one_clear_line_and_changes_nothing(core: Core, engine: Engine, admins: object) -> None:
    broken = core.imports.preview(SentFile(actor=SARAH, key="k", name="plan.docx", data=b"PK\x03\x04 not a docx"))
    assert broken is not None and broken.tone is Tone.ERROR
    [line] = broken.plain_lines
    assert line.startswith("plan.docx was not imported; nothing was changed: ")
    assert count(engine, PendingFile) == 0 and count(engine, Review) == 0


def test_the_same_delivery_twice_is_answered_once(core: Core, engine: Engine, admins: object) -> None:
    send(core, CSV, key="slack:F9:1")
    again = core.imports.preview(SentFile(actor=SARAH, key="slack:F9:1", name=CSV.name, data=CSV.read_bytes()))
    assert again is None and count(engine, PendingFile) == 1


def test_a_file_kept_more_than_24_hours_is_refused_and_purged(
    core: Core, engine: Engine, clock: FixedClock, admins: object
) -> None:
    reply = send(core, CSV)
    clock.advance(timedelta(hours=24, minutes=1))
    late = press(core, reply, ButtonIntent.IMPORT_FILE)
    assert late.tone is Tone.ERROR and "more than 24 hours ago" in late.plain_lines[0]
    assert count(engine, PendingFile) == 0 and count(engine, Review) == 0


def test_sending_another_file_purges_those_past_24_hours(
    core: Core, engine: Engine, clock: FixedClock, admins: object
) -> None:
    send(core, CSV, key="first")
    clock.advance(timedelta(hours=25))
    send(core, DOCX, key="second")
    with Session(engine) as session:
        assert session.exec(select(PendingFile.key)).all() == ["second"]


def test_the_title_is_read_from_the_message_and_the_name_made_safe() -> None:
    assert title_from("/actions import Corporate Peer Challenge 2018").text == "Corporate Peer Challenge 2018"
    assert title_from("import: “LGA Peer Review”").text == "LGA Peer Review"
    assert title_from("Important plan").text == "Important plan"
    assert title_from("/actions import").text is None and title_from(None).text is None
    with pytest.raises(Refused):
        title_from("x" * 201)
    assert safe_name("../../etc/passwd.csv") == "passwd.csv"
    assert safe_name("C:\\Users\\me\\plan<1>.docx") == "plan_1_.docx"
    assert safe_name("a" * 300 + ".xlsx").endswith(".xlsx") and len(safe_name("a" * 300 + ".xlsx")) == 200


def test_help_tells_admins_they_can_send_a_plan_and_no_one_else(core: Core, admins: object) -> None:
    def helped(who: Actor) -> list[str]:
        return core.handle(Request(actor=who, text="help", surface=Surface.SLACK)).plain_lines

    assert SEND_A_PLAN in helped(SARAH) and SEND_A_PLAN not in helped(KEVIN)


def test_the_clock_deletes_files_left_more_than_24_hours_with_nobody_pressing(
    core: Core, engine: Engine, clock: FixedClock, admins: object
) -> None:
    [job] = [job for job in JOBS if job.id == "pending-files"]
    send(core, CSV, key="early")
    clock.advance(timedelta(hours=12))
    send(core, DOCX, key="later")
    assert core.uow.run(lambda context: job.run(context, frozenset())) == 0
    clock.advance(timedelta(hours=12, minutes=1))
    assert core.uow.run(lambda context: job.run(context, frozenset())) == 1
    with Session(engine) as session:
        assert session.exec(select(PendingFile.key)).all() == ["later"]


def test_import_typed_as_a_command_says_how_to_send_the_file(core: Core, admins: object) -> None:
    for text in ("import Corporate Peer Challenge 2018", "/actions import", "IMPORT"):
        reply = core.handle(Request(actor=SARAH, text=text, surface=Surface.SLACK))
        assert reply.plain_lines == [HOW_TO_SEND] and reply.tone is Tone.INFO
    assert "I don't know the command" in core.handle(Request(actor=SARAH, text="importer", surface=Surface.SLACK)
                                                     ).plain_lines[0]
