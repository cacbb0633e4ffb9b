"""The command grammar: what people type, read the way they meant it, and clear errors otherwise."""

from __future__ import annotations

from datetime import date

import pytest

from bot import grammar
from bot.commands import Command, CommandName, ParseError, UserRef
from bot.domain import Status, SubscriptionKind

TODAY = date(2019, 1, 14)  # the suite's fixed clock: a Monday


def parse(text: str) -> Command:
    """The grammar as the core calls it, with the council's today from the fixed clock."""
    return grammar.parse(text, TODAY)


@pytest.mark.parametrize(
    ("text", "status"),
    [
        ("update 42 on-track", Status.ON_TRACK),
        ("update 42 on track", Status.ON_TRACK),
        ("update 42 ontrack", Status.ON_TRACK),
        ("update 42 On_Track", Status.ON_TRACK),
        ("UPDATE #42 AT-RISK", Status.AT_RISK),
        ("update 42 at risk", Status.AT_RISK),
        ("update 42 off track", Status.OFF_TRACK),
        ("update 42 not started", Status.NOT_STARTED),
        ("update 42 done", Status.DONE),
        ("update 42 complete", Status.DONE),
    ],
)
def test_status_words_are_read_however_they_are_written(text: str, status: Status) -> None:
    command = parse(text)
    assert command.name is CommandName.UPDATE
    assert command.action_id == 42
    assert command.status is status


@pytest.mark.parametrize(
    ("text", "status"),
    [
        ("done 42", Status.DONE),
        ("Done #42", Status.DONE),
        ("on-track 42", Status.ON_TRACK),
        ("on track 42", Status.ON_TRACK),
        ("at-risk 42", Status.AT_RISK),
        ("at risk #42", Status.AT_RISK),
        ("off-track 42", Status.OFF_TRACK),
    ],
)
def test_one_word_status_forms_are_updates(text: str, status: Status) -> None:
    command = parse(text)
    assert (command.name, command.action_id, command.status) == (CommandName.UPDATE, 42, status)


def test_update_reads_status_percent_and_note_in_either_order() -> None:
    first = parse("update 42 at-risk 40% waiting for the legal review")
    second = parse("update #42 40% at risk waiting for the legal review")
    for command in (first, second):
        assert command.status is Status.AT_RISK
        assert command.percent == 40
        assert command.note == "waiting for the legal review"


@pytest.mark.parametrize(
    "text",
    [
        'note 42 "met the contractor"',
        "note 42 “met the contractor”",
        "note 42 'met the contractor'",
        "note 42 met the contractor",
    ],
)
def test_notes_may_be_quoted_or_not(text: str) -> None:
    assert parse(text).note == "met the contractor"


def test_a_note_keeps_its_inner_quotes_and_apostrophes() -> None:
    assert parse("done 42 the council's \"new\" model").note == "the council's \"new\" model"


def test_a_note_keeps_its_line_breaks() -> None:
    assert parse("note 42 first line\nsecond line").note == "first line\nsecond line"


def test_done_with_a_note() -> None:
    command = parse("done 42 finished ahead of Cabinet")
    assert command.status is Status.DONE and command.note == "finished ahead of Cabinet"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("move 42 2019-03-31 Cabinet moved", date(2019, 3, 31)),
        ("move 42 31/03/2019 Cabinet moved", date(2019, 3, 31)),
        ("move 42 31 March 2019 Cabinet moved", date(2019, 3, 31)),
        ("move 42 31st Mar 2019 Cabinet moved", date(2019, 3, 31)),
        ("move 42 March 31 2019 Cabinet moved", date(2019, 3, 31)),
        ("move #42 1/4/19 Cabinet moved", date(2019, 4, 1)),
    ],
)
def test_move_reads_dates_as_people_write_them(text: str, expected: date) -> None:
    command = parse(text)
    assert command.new_date == expected
    assert command.note == "Cabinet moved"


def test_a_bare_number_shows_that_action() -> None:
    assert parse("#42").name is CommandName.SHOW
    assert parse("42").action_id == 42


@pytest.mark.parametrize(
    ("text", "days", "window"),
    [("due", 7, "next 7 days"), ("due 30d", 30, "next 30 days"), ("due 2w", 14, "next 14 days")],
)
def test_due_windows_in_days(text: str, days: int, window: str) -> None:
    command = parse(text)
    assert (command.days, command.window) == (days, window)


def test_due_this_week_and_this_month() -> None:
    assert parse("due this week").window == "this week"
    assert parse("due this month").window == "this month"


def test_overdue_takes_a_review_and_an_owner() -> None:
    command = parse("overdue Peer Challenge 2017 @Deb Poole")
    assert (command.review, command.owner) == ("Peer Challenge 2017", "Deb Poole")
    assert parse("overdue <@U123|deb>").owner == "<@U123|deb>"


def test_list_commands_take_a_page() -> None:
    assert parse("mine page 3").page == 3
    assert parse("overdue page 2").page == 2


def test_snooze_defaults_to_a_week_and_takes_a_length_or_a_date() -> None:
    assert parse("snooze 42").days == 7
    assert parse("snooze 42 14d").days == 14
    assert parse("snooze 42 3 weeks").days == 21
    assert parse("snooze 42 31/01/2019").new_date == date(2019, 1, 31)


def test_subscribe_to_a_review_or_all_with_what_to_receive() -> None:
    command = parse("subscribe Corporate Peer Challenge 2017 updates overdue")
    assert command.review == "Corporate Peer Challenge 2017"
    assert command.kinds == (SubscriptionKind.UPDATES, SubscriptionKind.OVERDUE)
    assert parse("subscribe all").all_reviews
    assert parse("unsubscribe all digest").kinds == (SubscriptionKind.DIGEST,)


def test_link_reads_a_mention_or_a_platform_id_and_a_name() -> None:
    assert parse("link <@U123|deb> Deb Poole").user == UserRef("U123")
    command = parse('link teams:29:1abc "Deb Poole"')
    assert command.user == UserRef("29:1abc", "teams")
    assert command.person == "Deb Poole"


def test_aliases_and_case() -> None:
    assert parse("MINE").name is CommandName.MINE
    assert parse("my").name is CommandName.MINE
    assert parse("/help").name is CommandName.HELP
    assert parse("").name is CommandName.HELP


@pytest.mark.parametrize(
    ("text", "says", "suggests"),
    [
        ("frobnicate", "I don't know the command 'frobnicate'", "help"),
        ("shwo 42", "Did you mean `show`?", "help"),
        ("show forty-two", "'forty-two' is not an action number", "show 42"),
        ("show", "Which action?", "show 42"),
        ("update 42 finished", "'finished' is not a status", "update 42 at-risk"),
        ("update 42 on-trak", "'on-trak' is not a status", "update 42"),
        ("update 42 140%", "140% is not a percentage", "update 42 40%"),
        ("update 42 -5%", "-5% is not a percentage", "update 42 40%"),
        ("move 42 31/02/2019 delay", "31/02/2019 is not a date: February 2019 has 28 days", "move 42 2019-03-31"),
        ("move 42 2019-13-01 delay", "there is no month 13", "move 42"),
        ("move 42 soon delay", "'soon' is not a date", "move 42"),
        ("move 42 2019-03-31", "A reason for the new date is required", "move 42"),
        ("drop 42", "A reason for dropping it is required", "drop 42"),
        ("note 42", "The note is required", "note 42"),
        ("note 42 " + "x" * 2001, "That note is 2,001 characters; the limit is 2,000", "note 42"),
        ("due fortnight", "'fortnight' is not a window", "due"),
        ("snooze 42 forever", "'forever' is not a length of time", "snooze 42"),
        ("snooze 42 400d", "Snooze for between 1 and 365 days", "snooze 42"),
        ("subscribe", "Which review?", "subscribe"),
        ("link deb Deb Poole", "'deb' is not a chat user", "link @user"),
        ("link <@U123>", "Which person in the plan?", "link @user"),
        ("mine everything", "`mine` takes nothing more", "mine"),
        ("overdue page two", "'two' is not a page number", "page 2"),
    ],
)
def test_bad_input_names_what_was_wrong_and_shows_the_right_form(text: str, says: str, suggests: str) -> None:
    with pytest.raises(ParseError) as raised:
        parse(text)
    message = str(raised.value)
    assert says in message
    assert f"Try: {suggests}" in message
    assert "\n" not in message
