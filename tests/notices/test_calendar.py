"""Nudge days on each nation's working days, and the due dates the planner reads for a window."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bot.domain import Nation
from bot.notices.calendar import (
    Window,
    before_points,
    check_in_day,
    nudge_points,
    on_or_after,
    upcoming_due_ranges,
    weekly_due_dates,
)

ENGLAND, WALES, SCOTLAND, NI = Nation.ENGLAND, Nation.WALES, Nation.SCOTLAND, Nation.NORTHERN_IRELAND


def points(due: date, nation: Nation = ENGLAND, *, until: date | None = None, weekly: bool = True) -> list[date]:
    end = until or due + timedelta(days=30)
    return nudge_points(due, nation, weekly=weekly, after=due - timedelta(days=60), through=end)


def test_a_weekday_deadline_is_nudged_a_week_before_the_day_before_and_on_the_day() -> None:
    assert before_points(date(2019, 1, 24), ENGLAND) == [date(2019, 1, 17), date(2019, 1, 23), date(2019, 1, 24)]


def test_a_before_nudge_on_a_weekend_goes_on_the_friday_before() -> None:
    # Due Monday 21 January: the day before is a Sunday, so that nudge goes on Friday 18th.
    assert before_points(date(2019, 1, 21), ENGLAND) == [date(2019, 1, 14), date(2019, 1, 18), date(2019, 1, 21)]


def test_a_weekend_deadline_is_nudged_on_the_friday_then_weekly_on_mondays() -> None:
    # Due Saturday 5 January 2019: a week before is Saturday 29 December (→ Friday 28th), the day before
    # and the day itself fall on Friday 4th; weekly overdue nudges land on Saturdays, moved to Mondays.
    assert points(date(2019, 1, 5), until=date(2019, 1, 21)) == [
        date(2018, 12, 28),
        date(2019, 1, 4),
        date(2019, 1, 14),
        date(2019, 1, 21),
    ]


def test_a_weekly_nudge_on_christmas_day_goes_on_the_next_working_day() -> None:
    # Due Wednesday 18 December 2019: a week overdue is Christmas Day; Boxing Day is a holiday too.
    assert date(2019, 12, 27) in points(date(2019, 12, 18))
    assert date(2019, 12, 25) not in points(date(2019, 12, 18))


def test_2_january_is_a_holiday_in_scotland_only() -> None:
    # Due Wednesday 9 January 2019: a week before is Wednesday 2 January.
    assert before_points(date(2019, 1, 9), ENGLAND)[0] == date(2019, 1, 2)
    assert before_points(date(2019, 1, 9), WALES)[0] == date(2019, 1, 2)
    assert before_points(date(2019, 1, 9), NI)[0] == date(2019, 1, 2)
    assert before_points(date(2019, 1, 9), SCOTLAND)[0] == date(2018, 12, 31)  # 1 and 2 January: back to Monday


def test_st_andrews_day_moves_a_scottish_nudge_only() -> None:
    # Due Friday 7 December 2018: a week before is Friday 30 November, St Andrew's Day.
    assert before_points(date(2018, 12, 7), SCOTLAND)[0] == date(2018, 11, 29)
    assert before_points(date(2018, 12, 7), ENGLAND)[0] == date(2018, 11, 30)
    # In 2019 it fell on a Saturday and was observed on Monday 2 December: a weekly nudge moves to Tuesday.
    assert date(2019, 12, 3) in points(date(2019, 11, 25), SCOTLAND)
    assert date(2019, 12, 2) in points(date(2019, 11, 25), ENGLAND)


def test_northern_ireland_keeps_st_patricks_day_and_the_twelfth() -> None:
    # Due Monday 25 March 2019: a week before is Monday 18 March, St Patrick's Day (observed) in NI only.
    assert before_points(date(2019, 3, 25), NI)[0] == date(2019, 3, 15)
    assert before_points(date(2019, 3, 25), ENGLAND)[0] == date(2019, 3, 18)
    # Due Friday 12 July 2019, the Battle of the Boyne holiday: nudged on the Thursday in NI.
    assert before_points(date(2019, 7, 12), NI)[-1] == date(2019, 7, 11)
    assert before_points(date(2019, 7, 12), WALES)[-1] == date(2019, 7, 12)


def test_the_summer_bank_holiday_differs_between_scotland_and_england_and_wales() -> None:
    # Scotland's is the first Monday of August, England's and Wales's the last.
    assert before_points(date(2019, 8, 12), SCOTLAND)[0] == date(2019, 8, 2)
    assert before_points(date(2019, 8, 12), ENGLAND)[0] == date(2019, 8, 5)
    assert before_points(date(2019, 9, 2), WALES)[0] == date(2019, 8, 23)
    assert before_points(date(2019, 9, 2), SCOTLAND)[0] == date(2019, 8, 26)
    # Easter Monday is not a bank holiday in Scotland.
    assert on_or_after(date(2019, 4, 22), SCOTLAND) == date(2019, 4, 22)
    assert on_or_after(date(2019, 4, 22), ENGLAND) == date(2019, 4, 23)


def test_a_recurring_milestone_is_not_nudged_weekly() -> None:
    assert points(date(2019, 1, 9), weekly=False) == before_points(date(2019, 1, 9), ENGLAND)


def test_a_check_in_falls_four_weeks_on_or_the_next_working_day() -> None:
    assert check_in_day(date(2019, 1, 14), ENGLAND) == date(2019, 2, 11)
    assert check_in_day(date(2019, 3, 25), ENGLAND) == date(2019, 4, 23)  # 22 April is Easter Monday


def test_a_first_run_or_a_second_run_the_same_day_covers_only_todays_points() -> None:
    monday = date(2019, 1, 14)
    assert Window.since(None, monday, ENGLAND) == Window(date(2019, 1, 11), monday)
    assert Window.since(monday, monday, ENGLAND) == Window(date(2019, 1, 11), monday)
    assert Window.since(date(2019, 1, 9), monday, ENGLAND) == Window(date(2019, 1, 9), monday)
    assert Window.since(date(2018, 12, 1), monday, ENGLAND) == Window(date(2019, 1, 7), monday), "a week at most"


def test_a_weekday_window_reads_one_due_date_a_week_back_for_weekly_nudges() -> None:
    wednesday = date(2019, 1, 16)
    window = Window.since(date(2019, 1, 15), wednesday, ENGLAND)
    assert weekly_due_dates(window, ENGLAND, date(2018, 12, 1)) == [
        date(2019, 1, 9),
        date(2019, 1, 2),
        date(2018, 12, 26),
        date(2018, 12, 19),
        date(2018, 12, 12),
        date(2018, 12, 5),
    ]
    assert weekly_due_dates(Window(date(2019, 1, 7), wednesday), ENGLAND, date(2018, 12, 1)) is None, "a week: all"


NATIONS = st.sampled_from(list(Nation))
DAYS = st.dates(min_value=date(2018, 1, 1), max_value=date(2020, 12, 31))


@settings(max_examples=400, deadline=None)
@given(
    nation=NATIONS,
    today=DAYS,
    gap=st.one_of(st.none(), st.integers(min_value=0, max_value=12)),
    due_offset=st.integers(min_value=-200, max_value=30),
)
def test_every_action_with_a_point_in_a_window_is_among_the_due_dates_read(
    nation: Nation, today: date, gap: int | None, due_offset: int
) -> None:
    today = on_or_after(today, nation)
    mark = None if gap is None else on_or_after(today - timedelta(days=gap), nation)
    mark = None if mark is not None and mark > today else mark
    window = Window.since(mark, today, nation)
    due = today + timedelta(days=due_offset)
    if not nudge_points(due, nation, weekly=True, after=window.after, through=window.through):
        return
    in_upcoming = any(first <= due <= last for first, last in upcoming_due_ranges(window, nation))
    weekly = weekly_due_dates(window, nation, due)
    in_weekly = due <= today - timedelta(days=7) if weekly is None else due in weekly
    assert in_upcoming or in_weekly


@pytest.mark.parametrize("nation", list(Nation))
def test_a_weekday_windows_due_dates_are_few(nation: Nation) -> None:
    thursday = on_or_after(date(2019, 6, 13), nation)
    window = Window.since(on_or_after(thursday - timedelta(days=1), nation), thursday, nation)
    ranges = upcoming_due_ranges(window, nation)
    assert sum((last - first).days + 1 for first, last in ranges) <= 4
    assert len(weekly_due_dates(window, nation, thursday - timedelta(days=70)) or []) == 10
