"""When the clock speaks: nudge points, check-ins and catch-up windows on a nation's working days.

Pure functions of dates and a :class:`~bot.domain.Nation` (bank holidays from the ``holidays``
package, through :func:`bot.dates.is_working_day`), so every rule is testable without a database:

- an action is nudged 7 days before its deadline, the day before and on the day itself; a "before"
  nudge (or the due-day one) that falls on a non-working day goes on the working day before it;
- then weekly while overdue (7, 14, 21… days after the deadline); a weekly nudge that falls on a
  non-working day goes on the next working day;
- an ongoing action (or a recurring one past its first milestone) gets a check-in 4 weeks after its
  last update or check-in, on that day or the next working day.

A job deciding day ``through`` covers the points in a :class:`Window` ``(after, through]``; the
functions below turn a window into the due dates whose actions can have a point in it, so that the
planner reads those actions through the ``(status, due_date)`` index instead of scanning every action.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from bot.dates import is_working_day
from bot.domain import Nation

BEFORE_DAYS = (7, 1, 0)  # a week before the deadline, the day before, the day itself
WEEK = timedelta(days=7)
CHECK_IN_EVERY = timedelta(days=28)
CATCH_UP = timedelta(days=7)  # how far back a clock that was down catches up: the weekly nudges repeat anyway
DAY = timedelta(days=1)


def on_or_before(day: date, nation: Nation) -> date:
    """``day`` if it is a working day, else the working day before it."""
    while not is_working_day(day, nation):
        day -= DAY
    return day


def on_or_after(day: date, nation: Nation) -> date:
    """``day`` if it is a working day, else the next working day."""
    while not is_working_day(day, nation):
        day += DAY
    return day


def previous_working_day(day: date, nation: Nation) -> date:
    return on_or_before(day - DAY, nation)


def next_working_day(day: date, nation: Nation) -> date:
    return on_or_after(day + DAY, nation)


def before_points(due: date, nation: Nation) -> list[date]:
    """The days of the 7-days-before, day-before and due-day nudges (fewer when two fall on one day)."""
    return sorted({on_or_before(due - timedelta(days=days), nation) for days in BEFORE_DAYS})


def nudge_points(due: date, nation: Nation, *, weekly: bool, after: date, through: date) -> list[date]:
    """The nudge days of an action due ``due`` that fall in ``(after, through]``.

    ``weekly`` is False for a recurring timescale: its milestone is nudged, then it gets check-ins.
    """
    points = {point for point in before_points(due, nation) if after < point <= through}
    if weekly:
        weeks = max(1, (after - due).days // 7 - 1)
        while due + weeks * WEEK <= through:
            point = on_or_after(due + weeks * WEEK, nation)
            if after < point <= through:
                points.add(point)
            weeks += 1
    return sorted(points)


def check_in_day(last: date, nation: Nation) -> date:
    """The day of the check-in that follows ``last`` (the last update, check-in or milestone)."""
    return on_or_after(last + CHECK_IN_EVERY, nation)


@dataclass(frozen=True)
class Window:
    """The days a job decides in one run: ``(after, through]``; ``through`` is a working day."""

    after: date
    through: date

    @classmethod
    def since(cls, mark: date | None, today: date, nation: Nation) -> Window:
        """From the last day decided (``mark``) to today, at most :data:`CATCH_UP` back.

        With no mark (the first run), or a mark of today (a run again the same day, for actions
        added or moved since), the window is today's own points.
        """
        if mark is None or mark >= today:
            return cls(previous_working_day(today, nation), today)
        return cls(max(mark, today - CATCH_UP), today)

    def before_shifted(self, nation: Nation) -> tuple[date, date]:
        """The raw dates whose "before" nudge (moved back onto a working day) falls in the window."""
        first = next_working_day(self.after, nation)
        return first, next_working_day(self.through, nation) - DAY

    def after_shifted(self, nation: Nation) -> tuple[date, date]:
        """The raw dates whose weekly nudge (moved on to a working day) falls in the window."""
        return on_or_before(self.after, nation) + DAY, on_or_before(self.through, nation)


def merge(ranges: list[tuple[date, date]]) -> list[tuple[date, date]]:
    """Overlapping or touching date ranges joined, in order."""
    merged: list[tuple[date, date]] = []
    for start, end in sorted(ranges):
        if merged and start <= merged[-1][1] + DAY:
            merged[-1] = (merged[-1][0], max(merged[-1][1], end))
        else:
            merged.append((start, end))
    return merged


def upcoming_due_ranges(window: Window, nation: Nation) -> list[tuple[date, date]]:
    """Due dates that can have a 7-days-before, day-before or due-day nudge in ``window``."""
    first, last = window.before_shifted(nation)
    return merge([(first, last + DAY), (first + WEEK, last + WEEK)])


def weekly_due_dates(window: Window, nation: Nation, oldest: date) -> list[date] | None:
    """Due dates (back to ``oldest``) that can have a weekly overdue nudge in ``window``.

    ``None`` means every due date a week or more before ``window.through``: a window of a week or more
    (a clock that was down that long) owes every overdue action its weekly nudge.
    """
    first, last = window.after_shifted(nation)
    if (last - first).days + 1 >= 7:
        return None
    days = [first + DAY * n for n in range((last - first).days + 1)]
    found: list[date] = []
    weeks = 1
    while last - weeks * WEEK >= oldest:
        found.extend(day - weeks * WEEK for day in days if day - weeks * WEEK >= oldest)
        weeks += 1
    return found
