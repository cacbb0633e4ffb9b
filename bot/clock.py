"""Clocks: the system clock in production, a fixed one in tests and the demo.

Every rule that depends on "today" (overdue, RAG, due windows, nudges) asks a clock, so
tests never depend on the date they run.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from typing import Protocol
from zoneinfo import ZoneInfo


class Clock(Protocol):
    """Tells the time; ``now`` is always timezone-aware."""

    def now(self) -> datetime: ...


class SystemClock:
    """The real time, in UTC."""

    def now(self) -> datetime:
        return datetime.now(UTC)


class FixedClock:
    """A clock that stands still until moved: for tests and the demo's fast clock."""

    def __init__(self, at: datetime) -> None:
        if at.tzinfo is None:
            raise ValueError("FixedClock needs a timezone-aware datetime")
        self._at = at

    def now(self) -> datetime:
        return self._at

    def advance(self, delta: timedelta) -> None:
        self._at += delta

    def set(self, at: datetime) -> None:
        self._at = at


def today(clock: Clock, tz: ZoneInfo) -> date:
    """The calendar date in the council's time zone."""
    return clock.now().astimezone(tz).date()
