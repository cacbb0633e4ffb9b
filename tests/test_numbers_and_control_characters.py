"""Huge numbers and control characters are bad input like any other: a clear one-line answer, the same on
SQLite and PostgreSQL, never "Something went wrong" (an OverflowError on SQLite, ``bigint out of range`` or
"cannot contain NUL" on PostgreSQL)."""

from __future__ import annotations

import logging

import pytest
from sqlalchemy import Engine

from bot.domain import Status
from bot.replies import Tone
from bot.requests import Actor, FormSubmission
from store.models import Person
from tests.factories import Chat, PlanFactory
from tests.test_bad_input import snapshot


@pytest.fixture
def kevin(plan: PlanFactory) -> Person:
    kevin = plan.person("Kevin Dicks")
    for due_in in (5, 10, 15):
        plan.action(kevin, due_in=due_in)
    return kevin


@pytest.mark.parametrize(
    ("command", "expected"),
    [
        ("mine page 99999999999999999999", "There is only 1 page of `mine`."),
        ("mine page 2", "There is only 1 page of `mine`."),
        ("due 30d page 18446744073709551617", "There is only 1 page of `due 30d`."),
        ("reviews page 99999999999999999999", "There is only 1 page of `reviews`."),
        ("mine page " + "9" * 5000, "'" + "9" * 5000 + "' is not a page number."),
        ("mine page ²", "'²' is not a page number."),
        ("show 99999999999999999999", "'99999999999999999999' is not an action number (like 42 or #42)."),
        ("done 18446744073709551616 finished", "'18446744073709551616' is not an action number"),
        ("show 2147483648", "'2147483648' is not an action number"),
    ],
)
def test_a_huge_number_gets_a_one_line_answer_and_changes_nothing(
    kevin: Person, chat: Chat, engine: Engine, caplog: pytest.LogCaptureFixture, command: str, expected: str
) -> None:
    before = snapshot(engine)
    reply = chat.ask(kevin, command)
    assert reply.tone is Tone.ERROR and len(reply.plain_lines) == 1
    assert reply.plain_lines[0].startswith(expected)
    assert snapshot(engine) == before
    assert not [r for r in caplog.records if r.levelno >= logging.ERROR or r.exc_info], "no traceback for bad input"


def test_a_page_past_the_end_names_the_last_page(plan: PlanFactory, chat: Chat, engine: Engine) -> None:
    kevin = plan.person("Kevin Dicks")
    for due_in in range(1, 24):
        plan.action(kevin, due_in=due_in)
    reply = chat.ask(kevin, "mine page 4")
    assert reply.plain_lines == ["There are only 3 pages of `mine`: the last is `mine page 3`."]
    assert [item.action_id for item in chat.ask(kevin, "mine page 3").items] == [21, 22, 23]


def test_a_form_naming_an_action_beyond_any_id_is_told_there_is_no_such_action(
    kevin: Person, chat: Chat, engine: Engine
) -> None:
    before = snapshot(engine)
    for action_id in (2**31, 2**63, 2**64 + 1, 0, -1):
        reply = chat.submit(kevin, action_id, status="done")
        assert reply.tone is Tone.ERROR
        assert reply.plain_lines == [
            f"There is no action #{action_id}. `mine` lists yours; `reviews` lists the plans."
        ]
    assert snapshot(engine) == before


@pytest.mark.parametrize(
    "command",
    [
        "note 1 met the contractor\x00 on Tuesday",
        "update 1 at-risk 40% waiting\x00 for legal\x07",
        "move 1 2019-03-31 Cabinet\x00 moved \x1b[31mthe meeting",
        "done 1 finished\x00",
    ],
)
def test_nul_and_other_control_characters_are_dropped_the_same_on_every_database(
    kevin: Person, chat: Chat, plan: PlanFactory, command: str
) -> None:
    reply = chat.ask(kevin, command)
    assert reply.tone is Tone.SUCCESS, reply.plain_lines
    [update] = [u for u in plan.updates(1) if u.kind != "created"]
    assert update.note is not None
    assert not any(ord(c) < 32 and c not in "\t\n\r" for c in update.note)
    assert "\x00" not in (plan.get(1).latest_note or "")
    expected = {"n": "met the contractor on Tuesday", "u": "waiting for legal", "m": "Cabinet moved [31mthe meeting",
                "d": "finished"}[command[0]]
    assert update.note == expected


def test_line_breaks_and_tabs_in_a_note_are_kept(kevin: Person, chat: Chat, plan: PlanFactory) -> None:
    assert chat.ask(kevin, "note 1 first line\n\tsecond line").tone is Tone.SUCCESS
    assert plan.get(1).latest_note == "first line\n\tsecond line"


def test_a_lone_surrogate_from_a_json_payload_is_stored_as_a_replacement_character(
    kevin: Person, chat: Chat, plan: PlanFactory
) -> None:
    assert chat.ask(kevin, "note 1 broken \ud800 emoji").tone is Tone.SUCCESS
    assert plan.get(1).latest_note == "broken \ufffd emoji"


def test_a_form_with_nul_in_its_note_is_saved_without_it(kevin: Person, chat: Chat, plan: PlanFactory) -> None:
    reply = chat.submit(kevin, 1, status="on_track", percent="50", note="agreed\x00 with Cabinet")
    assert reply.tone is Tone.SUCCESS, reply.plain_lines
    assert plan.get(1).status is Status.ON_TRACK and plan.get(1).latest_note == "agreed with Cabinet"


def test_a_chat_user_id_with_control_characters_is_cleaned_before_any_lookup(
    kevin: Person, chat: Chat, plan: PlanFactory
) -> None:
    stranger = Actor(platform="slack", user_id="U0\x00STRANGER", display_name="Sam\x00")
    assert stranger.user_id == "U0STRANGER" and stranger.display_name == "Sam"
    reply = chat.ask(stranger, "mine")
    assert reply.not_linked and "not linked" in reply.plain_lines[1]
    submission = FormSubmission(actor=stranger, action_id=1, values={"note\x00": "a\x00b"})
    assert submission.values == {"note": "ab"}


@pytest.mark.parametrize("review", ["10000000000000000000", "#99999999999999999999", "r²", "2147483648"])
def test_a_review_named_by_a_huge_number_is_simply_not_found(
    kevin: Person, chat: Chat, engine: Engine, caplog: pytest.LogCaptureFixture, review: str
) -> None:
    before = snapshot(engine)
    for command in (f"digest {review}", f"subscribe {review}", f"unsubscribe {review} digest"):
        reply = chat.ask(kevin, command)
        assert reply.tone is Tone.ERROR and reply.plain_lines[0].startswith(f"No review matches '{review}'.")
    assert snapshot(engine) == before
    assert not [r for r in caplog.records if r.levelno >= logging.ERROR or r.exc_info]
