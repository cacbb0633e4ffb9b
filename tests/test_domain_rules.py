"""RAG, overdue and the working-day calendar, against dates given (never today's)."""

from __future__ import annotations

from datetime import date

import pytest

from bot.dates import is_working_day
from bot.domain import Nation, Rag, Status, days_overdue, is_overdue, rag

TODAY = date(2019, 1, 14)
YESTERDAY = date(2019, 1, 13)
TOMORROW = date(2019, 1, 15)


@pytest.mark.parametrize(
    ("status", "due", "expected"),
    [
        (Status.ON_TRACK, TOMORROW, Rag.GREEN),
        (Status.DONE, YESTERDAY, Rag.GREEN),
        (Status.AT_RISK, TOMORROW, Rag.AMBER),
        (Status.OFF_TRACK, TOMORROW, Rag.RED),
        (Status.ON_TRACK, YESTERDAY, Rag.RED),
        (Status.AT_RISK, YESTERDAY, Rag.RED),
        (Status.NOT_STARTED, YESTERDAY, Rag.RED),
        (Status.NOT_STARTED, TOMORROW, Rag.GREY),
        (Status.DROPPED, YESTERDAY, Rag.GREY),
        (Status.ON_TRACK, None, Rag.GREEN),
    ],
)
def test_rag_follows_status_and_deadline(status: Status, due: date | None, expected: Rag) -> None:
    assert rag(status, due, TODAY) is expected


def test_due_today_is_not_yet_overdue() -> None:
    assert not is_overdue(Status.ON_TRACK, TODAY, TODAY)
    assert days_overdue(Status.ON_TRACK, date(2019, 1, 4), TODAY) == 10


def test_done_dropped_and_undated_actions_are_never_overdue() -> None:
    for status in (Status.DONE, Status.DROPPED):
        assert not is_overdue(status, YESTERDAY, TODAY)
    assert not is_overdue(Status.NOT_STARTED, None, TODAY)
    assert days_overdue(Status.DONE, YESTERDAY, TODAY) == 0


@pytest.mark.parametrize(
    ("day", "nation", "working"),
    [
        (date(2019, 1, 14), Nation.ENGLAND, True),  # a Monday
        (date(2019, 1, 12), Nation.ENGLAND, False),  # a Saturday
        (date(2018, 12, 25), Nation.ENGLAND, False),  # Christmas Day
        (date(2019, 1, 2), Nation.SCOTLAND, False),  # 2 January, Scotland only
        (date(2019, 1, 2), Nation.ENGLAND, True),
        (date(2019, 3, 18), Nation.NORTHERN_IRELAND, False),  # St Patrick's Day (substitute)
        (date(2019, 8, 5), Nation.SCOTLAND, False),  # Scotland's summer bank holiday
        (date(2019, 8, 26), Nation.WALES, False),  # England and Wales' summer bank holiday
    ],
)
def test_working_days_follow_each_nations_bank_holidays(day: date, nation: Nation, working: bool) -> None:
    assert is_working_day(day, nation) is working
