"""Dates as people type them, durations, and the working-day calendar.

``parse_date`` reads the forms the command grammar accepts (``2019-03-31``, ``31/03/2019``,
``31 March 2019``); an impossible date is an error that says why, never a guess.
Bank holidays come from the ``holidays`` package, per nation of the UK.
"""

from __future__ import annotations

import calendar
import re
from datetime import date, timedelta
from functools import lru_cache

import holidays

from bot.domain import Nation

MONTHS: dict[str, int] = {}
for _number in range(1, 13):
    MONTHS[calendar.month_name[_number].lower()] = _number
    MONTHS[calendar.month_abbr[_number].lower()] = _number
MONTHS["sept"] = 9

_ISO = re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})$")
_DMY = re.compile(r"^(\d{1,2})[/.-](\d{1,2})[/.-](\d{2}|\d{4})$")
_DURATION = re.compile(r"^(\d{1,3})\s*(d|day|days|w|wk|wks|week|weeks)$", re.IGNORECASE)

DATE_FORMS = "2019-03-31, 31/03/2019 or 31 March 2019"


class DateError(ValueError):
    """Text that looks like a date but is not a real one, or is not a date at all."""


def build_date(year: int, month: int, day: int, written: str) -> date:
    """The date, or a :class:`DateError` saying why ``written`` is not one (``February 2019 has 28 days``)."""
    if not 1 <= month <= 12:
        raise DateError(f"{written} is not a date: there is no month {month}")
    last = calendar.monthrange(year, month)[1]
    if not 1 <= day <= last:
        raise DateError(f"{written} is not a date: {calendar.month_name[month]} {year} has {last} days")
    return date(year, month, day)


def _year(text: str) -> int:
    year = int(text)
    return 2000 + year if year < 100 else year


def parse_date_token(token: str) -> date | None:
    """A one-word date (``2019-03-31``, ``31/03/2019``); ``None`` if it is not date-shaped."""
    if match := _ISO.match(token):
        return build_date(int(match[1]), int(match[2]), int(match[3]), token)
    if match := _DMY.match(token):
        return build_date(_year(match[3]), int(match[2]), int(match[1]), token)
    return None


def take_date(words: list[str]) -> tuple[date, int] | None:
    """Read a date from the start of ``words``; return it and how many words it used.

    Accepts ``2019-03-31``, ``31/03/2019``, ``31 March 2019``, ``31st Mar 2019`` and
    ``March 31 2019``. Returns ``None`` when the words do not start with a date; raises
    :class:`DateError` when they look like one that does not exist.
    """
    if not words:
        return None
    single = parse_date_token(words[0])
    if single is not None:
        return single, 1
    if len(words) >= 3:
        first, second, third = (w.strip(",").lower() for w in words[:3])
        day_text = re.sub(r"(st|nd|rd|th)$", "", first)
        if day_text.isdigit() and second in MONTHS and third.isdigit() and len(third) == 4:
            return build_date(int(third), MONTHS[second], int(day_text), " ".join(words[:3])), 3
        day_text = re.sub(r"(st|nd|rd|th)$", "", second)
        if first in MONTHS and day_text.isdigit() and third.isdigit() and len(third) == 4:
            return build_date(int(third), MONTHS[first], int(day_text), " ".join(words[:3])), 3
    return None


def parse_duration_days(text: str) -> int | None:
    """``7d``, ``2w``, ``14 days`` → days; ``None`` when the text is not a duration."""
    match = _DURATION.match(text.strip())
    if not match:
        return None
    number = int(match[1])
    return number * 7 if match[2].lower().startswith("w") else number


def end_of_week(day: date) -> date:
    """The Sunday that ends ``day``'s week."""
    return day + timedelta(days=6 - day.weekday())


def end_of_month(day: date) -> date:
    return day.replace(day=calendar.monthrange(day.year, day.month)[1])


_SUBDIVISIONS = {
    Nation.ENGLAND: "ENG",
    Nation.WALES: "WLS",
    Nation.SCOTLAND: "SCT",
    Nation.NORTHERN_IRELAND: "NIR",
}


@lru_cache(maxsize=64)
def _bank_holidays(nation: Nation, year: int) -> frozenset[date]:
    calendar_ = holidays.country_holidays("GB", subdiv=_SUBDIVISIONS[nation], years=year)
    return frozenset(calendar_.keys())


def is_working_day(day: date, nation: Nation = Nation.ENGLAND) -> bool:
    """Monday to Friday and not a bank holiday in that nation."""
    return day.weekday() < 5 and day not in _bank_holidays(nation, day.year)


def format_date(day: date) -> str:
    """How dates are shown to people: ``Mon 31 Mar 2019``."""
    return day.strftime("%a %d %b %Y").replace(" 0", " ")
