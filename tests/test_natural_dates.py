"""Dates as people write them (``next Friday``, ``end of March``, ``in 2 weeks``), read day-first from the
council's today on the injected clock; every confirmation says the date it read; a past or ambiguous
date is refused or asked about."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest

from bot.clock import FixedClock
from bot.dates import AmbiguousDate, DateError, read_date
from bot.domain import Status
from bot.replies import Tone
from tests.factories import Chat, PlanFactory

MONDAY = date(2019, 1, 14)


@pytest.mark.parametrize(
    ("words", "today", "read"),
    [
        ("next Friday", MONDAY, date(2019, 1, 18)),
        ("Friday", MONDAY, date(2019, 1, 18)),
        ("friday", date(2019, 1, 18), date(2019, 1, 25)),  # said on a Friday: the next one
        ("end of March", MONDAY, date(2019, 3, 31)),
        ("end of March", date(2019, 4, 2), date(2020, 3, 31)),
        ("in 2 weeks", MONDAY, date(2019, 1, 28)),
        ("31st March", MONDAY, date(2019, 3, 31)),
        ("31 March", date(2019, 4, 1), date(2020, 3, 31)),
        ("tomorrow", MONDAY, date(2019, 1, 15)),
        ("end of the month", MONDAY, date(2019, 1, 31)),
        ("end of the financial year", MONDAY, date(2019, 3, 31)),
        ("end of the financial year", date(2019, 4, 1), date(2020, 3, 31)),
        ("this week", MONDAY, date(2019, 1, 18)),
        ("29/02", MONDAY, date(2020, 2, 29)),
        ("31/03", MONDAY, date(2019, 3, 31)),
        ("1/4/19", MONDAY, date(2019, 4, 1)),  # 4 January 2019 has passed: only one reading is left
        ("2019-03-31", MONDAY, date(2019, 3, 31)),
        ("Fri 4 Dec 2026", MONDAY, date(2026, 12, 4)),
    ],
)
def test_dates_read_as_people_mean_them(words: str, today: date, read: date) -> None:
    assert read_date(words.split(), today) == (read, len(words.split()))


@pytest.mark.parametrize(
    ("line", "read", "used"),
    [
        ("next friday waiting for legal", date(2019, 1, 18), 2),
        ("to the end of March because Cabinet moved", date(2019, 3, 31), 5),
        ("31 March the board meets", date(2019, 3, 31), 2),
    ],
)
def test_a_date_stops_where_the_reason_starts(line: str, read: date, used: int) -> None:
    assert read_date(line.split(), MONDAY) == (read, used)


@pytest.mark.parametrize("words", ["soon", "12", "the 5th", "waiting for legal", "40%"])
def test_words_that_are_not_dates_are_not_read_as_dates(words: str) -> None:
    assert read_date(words.split(), MONDAY) is None


def test_a_date_that_reads_two_ways_names_both() -> None:
    with pytest.raises(AmbiguousDate) as asked:
        read_date(["03/04"], MONDAY)
    assert str(asked.value) == (
        "'03/04' could be Wed 3 Apr 2019 or Mon 4 Mar 2019: which? Write it as 3 April or 4 March"
    )


@pytest.mark.parametrize(
    ("words", "says"),
    [
        ("31/02/2019", "31/02/2019 is not a date: February 2019 has 28 days"),
        ("Fri 4 December", "Wed 4 Dec 2019 is a Wednesday, not a Friday"),
    ],
)
def test_a_date_that_does_not_exist_says_why(words: str, says: str) -> None:
    with pytest.raises(DateError, match=says):
        read_date(words.split(), MONDAY)


@pytest.mark.parametrize("today", [date(2001, 6, 1), date(2150, 1, 1)])
def test_dates_are_read_from_the_today_given_never_the_wall_clock(today: date) -> None:
    friday = read_date(["friday"], today)
    assert friday is not None and friday[0].weekday() == 4 and 0 < (friday[0] - today).days <= 7
    assert read_date(["in", "2", "weeks"], today) == (date.fromordinal(today.toordinal() + 14), 3)
    later = read_date(["4", "december"], today)
    assert later is not None and later[0].year == today.year


def test_relative_dates_need_the_councils_today() -> None:
    assert read_date(["next", "friday"], None) is None
    assert read_date(["31/03/2019"], None) == (date(2019, 3, 31), 1)


def test_tomorrow_is_read_in_the_councils_time_zone(plan: PlanFactory, chat: Chat, clock: FixedClock) -> None:
    clock.set(datetime(2019, 6, 13, 23, 30, tzinfo=UTC))  # already Friday 14 June, 00:30, in London
    deb = plan.person("Deb Poole")
    action = plan.action(deb, due_in=10)
    assert chat.ask(deb, f"move {action.id} tomorrow waiting for legal").plain_lines[0].startswith(
        f"#{action.id} moved to Sat 15 Jun 2019"
    )


def test_a_move_says_the_date_it_read(plan: PlanFactory, chat: Chat) -> None:
    deb = plan.person("Deb Poole")
    action = plan.action(deb, due_in=10)  # Thu 24 Jan 2019
    reply = chat.ask(deb, f"move {action.id} to end of March Cabinet moved to March")
    assert reply.plain_lines == [f"#{action.id} moved to Sun 31 Mar 2019 (was Thu 24 Jan 2019)."]
    assert plan.updates(action.id or 0)[-1].note == "Cabinet moved to March"


def test_a_past_date_for_a_new_deadline_is_refused_naming_it(plan: PlanFactory, chat: Chat) -> None:
    deb = plan.person("Deb Poole")
    action = plan.action(deb, due_in=10)
    reply = chat.ask(deb, f"move {action.id} last friday it was finished then")
    assert reply.tone is Tone.ERROR
    assert reply.plain_lines == ["Fri 11 Jan 2019 is in the past: a new deadline is today or later."]
    assert plan.get(action.id or 0).due_date == date(2019, 1, 24)


def test_an_ambiguous_date_is_asked_about_and_nothing_changes(plan: PlanFactory, chat: Chat) -> None:
    deb = plan.person("Deb Poole")
    action = plan.action(deb, due_in=10)
    reply = chat.ask(deb, f"move {action.id} 03/04 Cabinet moved")
    assert reply.tone is Tone.ERROR
    assert "'03/04' could be Wed 3 Apr 2019 or Mon 4 Mar 2019: which?" in reply.plain_lines[0]
    assert len(plan.updates(action.id or 0)) == 1


def test_snooze_until_a_day_in_words(plan: PlanFactory, chat: Chat) -> None:
    deb = plan.person("Deb Poole")
    action = plan.action(deb, due_in=10)
    assert chat.ask(deb, f"snooze {action.id} until next friday").plain_lines == [
        f"No reminders for #{action.id} until Fri 18 Jan 2019."
    ]
    assert plan.get(action.id or 0).snoozed_until == date(2019, 1, 18)


def test_the_forms_date_field_reads_words_too(plan: PlanFactory, chat: Chat) -> None:
    deb = plan.person("Deb Poole")
    action = plan.action(deb, due_in=10, status=Status.ON_TRACK, percent=20)
    reply = chat.submit(deb, action.id or 0, status="on_track", percent="20", new_date="end of March",
                        reason="Cabinet moved")
    assert reply.tone is Tone.SUCCESS
    assert plan.get(action.id or 0).due_date == date(2019, 3, 31)
    asked = chat.submit(deb, action.id or 0, status="on_track", percent="20", new_date="03/04", reason="again")
    assert asked.form is not None
    assert {f.name: f.error for f in asked.form.fields if f.error} == {
        "new_date": "'03/04' could be Wed 3 Apr 2019 or Mon 4 Mar 2019: which? Write it as 3 April or 4 March."
    }


def test_due_by_a_day_lists_what_falls_due_until_then(plan: PlanFactory, chat: Chat) -> None:
    deb = plan.person("Deb Poole")
    soon = plan.action(deb, due_in=3, text="Due on Thursday")
    later = plan.action(deb, due_in=10, text="Due the week after")
    reply = chat.text(deb, "what's due by Friday?")
    assert "== Due by Fri 18 Jan 2019 ==" in reply
    assert "1 action due Mon 14 Jan 2019 to Fri 18 Jan 2019." in reply
    assert f"#{soon.id}" in reply and f"#{later.id}" not in reply
