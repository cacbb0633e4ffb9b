"""Dates as people type them, durations, and the working-day calendar.

:func:`read_date` reads a deadline the way people write one: ``2019-03-31``, ``31/03/2019``,
``31 March``, ``next Friday``, ``Friday``, ``tomorrow``, ``in 2 weeks``, ``end of March``. It reads
day-first (the UK way), relative to the council's "today" handed in by the caller (never the
wall clock), and prefers the future. Natural phrases are read by ``dateparser``; the strict
numeric forms are checked here so that an impossible date says why (``February 2019 has 28
days``), and a date that reads two ways (``03/04``: 3 April or 4 March) is asked about, never
guessed. Bank holidays come from the ``holidays`` package, per nation of the UK.
"""

from __future__ import annotations

import calendar
import re
from datetime import date, datetime, time, timedelta

from bot.bank_holidays import bank_holidays
from bot.domain import Nation

MONTHS: dict[str, int] = {}
for _number in range(1, 13):
    MONTHS[calendar.month_name[_number].lower()] = _number
    MONTHS[calendar.month_abbr[_number].lower()] = _number
MONTHS["sept"] = 9

_ISO = re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})$")
_DMY = re.compile(r"^(\d{1,2})[/.-](\d{1,2})[/.-](\d{2}|\d{4})$")
_DAY_MONTH = re.compile(r"^(\d{1,2})[/.](\d{1,2})$")
_DURATION = re.compile(r"^(\d{1,3}|an?|one|two|three|four)\s*(d|day|days|w|wk|wks|week|weeks)$", re.IGNORECASE)
_SMALL_NUMBERS = {"a": 1, "an": 1, "one": 1, "two": 2, "three": 3, "four": 4}

DATE_FORMS = "31 March, next Friday, in 2 weeks, end of March or 31/03/2019"


class DateError(ValueError):
    """Text that looks like a date but is not a real one, or is not a date at all."""


class AmbiguousDate(DateError):
    """A date that reads two ways (``03/04``): the question to ask names both."""

    def __init__(self, written: str, readings: tuple[date, date]) -> None:
        first, second = readings
        super().__init__(
            f"'{written}' could be {format_date(first)} or {format_date(second)}: "
            f"which? Write it as {first.day} {calendar.month_name[first.month]} "
            f"or {second.day} {calendar.month_name[second.month]}"
        )
        self.readings = readings


def build_date(year: int, month: int, day: int, written: str) -> date:
    """The date, or a :class:`DateError` saying why ``written`` is not one (``February 2019 has 28 days``)."""
    if not 1 <= year <= 9999:
        raise DateError(f"{written} is not a date: there is no year {year}")
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


_LINKING = {"to", "until", "till", "til", "by", "on", "before"}
_WEEKDAYS = {name.lower() for name in calendar.day_name} | {name.lower() for name in calendar.day_abbr}
_SPELLINGS = {
    "tue": "tuesday", "tues": "tuesday", "weds": "wednesday", "thur": "thursday", "thurs": "thursday",
    "tmrw": "tomorrow", "tmw": "tomorrow", "tomorow": "tomorrow", "wk": "week", "wks": "weeks", "sept": "september",
}
_RELATIVE = {"today", "tomorrow", "yesterday", "day", "days", "week", "weeks", "fortnight", "fortnights", "month",
             "months", "year", "years"}
_GLUE = {"in", "of", "the", "a", "an", "next", "this", "last", "ago", "after", "from", "now", "end", "time", "on",
         "financial", "one", "two",
         "three", "four", "five", "six", "seven", "eight", "nine", "ten", "eleven", "twelve"}
_NO_END = {"in", "of", "the", "a", "an", "next", "this", "after", "from", "on", "end"}
_NUMBER = re.compile(r"^\d{1,2}(st|nd|rd|th)?$|^\d{4}$")
_MAX_DATE_WORDS = 6
LATEST = date(2199, 12, 31)
_MONTH_NAMES = "|".join(sorted(MONTHS, key=len, reverse=True))
_MONTH_ONLY = re.compile(rf"^(?:by )?(?:the )?(?:end of )?(?:the )?(next )?({_MONTH_NAMES})(?: (\d{{4}}))?$")
_WEEK_END = re.compile(r"^(?:(?:by )?(?:the )?end of )?(?:the |this )?week$")
_NEXT_WEEK = re.compile(r"^(?:(?:the )?end of )?next week$")
_MONTH_END = re.compile(r"^(?:(?:the )?end of (?:the |this )?month|month end)$")
_NEXT_MONTH_END = re.compile(r"^(?:the )?end of next month$")
_YEAR_END = re.compile(r"^(?:(?:the )?end of (?:the |this )?year|year end)$")
_FINANCIAL_YEAR_END = re.compile(r"^(?:(?:the )?end of (?:the |this )?financial year|financial year end)$")


def read_date(words: list[str], today: date | None) -> tuple[date, int] | None:
    """Read a date from the start of ``words`` (a leading ``to``/``until``/``by`` included); return it
    and how many words it used, or ``None`` when the words do not start with a date.

    ``today`` is the council's today: relative dates are read from it, a date without a year is
    the next one from it, and a reading already past does not make a date ambiguous. Without it,
    only dates that need no "today" are read. Raises :class:`DateError` for a date that does not
    exist and :class:`AmbiguousDate` for one that reads two ways.
    """
    skip = 1 if len(words) > 1 and _clean(words[0]) in _LINKING else 0
    rest = words[skip:]
    if not rest:
        return None
    strict = _numeric(_clean(rest[0]), today)
    if strict is None:
        found = take_date(rest)
        strict = found[0] if found else None
        used = found[1] if found else 0
    else:
        used = 1
    if strict is not None:
        return _within_reach(strict, " ".join(rest[:used])), used + skip
    if today is None:
        return None
    for count in range(min(_MAX_DATE_WORDS, len(rest)), 0, -1):
        phrase = [_SPELLINGS.get(word, word) for word in (_clean(w) for w in rest[:count])]
        if _plausible(phrase) and (day := _natural(" ".join(phrase), today)) is not None:
            return _within_reach(day, " ".join(rest[:count])), count + skip
    return None


def _within_reach(day: date, written: str) -> date:
    """A deadline is this century's business: later ones are refused rather than stored (nudges add weeks to it)."""
    if day > LATEST:
        raise DateError(f"'{written}' is {format_date(day)}: a deadline is before {LATEST.year + 1}")
    return day


def _clean(word: str) -> str:
    return word.lower().strip(",;:!?()").rstrip(".")


def _numeric(token: str, today: date | None) -> date | None:
    """``31/03/2019``, ``2019-03-31`` or ``31/03`` (the next 31 March); ``03/04`` reads two ways, so it is asked."""
    if match := _DAY_MONTH.match(token):
        if today is None:
            return None
        first, second = int(match[1]), int(match[2])
        if first <= 12 and second <= 12 and first != second:
            readings = (_next_on_or_after(first, second, token, today), _next_on_or_after(second, first, token, today))
            raise AmbiguousDate(token, readings)
        return _next_on_or_after(first, second, token, today)
    single = parse_date_token(token)
    match = _DMY.match(token)
    if single is None or match is None or int(match[1]) > 12 or int(match[2]) > 12 or int(match[1]) == int(match[2]):
        return single
    other = build_date(_year(match[3]), int(match[1]), int(match[2]), token)
    possible = [day for day in (single, other) if today is None or day >= today]
    if len(possible) == 2:
        raise AmbiguousDate(token, (single, other))
    return possible[0] if possible else single


def _next_on_or_after(day: int, month: int, written: str, today: date) -> date:
    """The first ``day/month`` on or after ``today`` (29/02 waits for a leap year)."""
    for year in range(today.year, today.year + 9):
        if day <= calendar.monthrange(year, month)[1] and (found := date(year, month, day)) >= today:
            return found
    return build_date(today.year, month, day, written)  # raises: no such day in any year


def _plausible(words: list[str]) -> bool:
    """Only date words, numbers and the little words between them, with at least one date word."""
    known = all(w in MONTHS or w in _WEEKDAYS or w in _RELATIVE or w in _GLUE or _NUMBER.match(w) for w in words)
    dated = any(w in MONTHS or w in _WEEKDAYS or w in _RELATIVE for w in words)
    return known and dated and words[-1] not in _NO_END


def _natural(phrase: str, today: date) -> date | None:
    """One phrase: ends of weeks, months and years read here; anything else by ``dateparser``."""
    if _WEEK_END.match(phrase):
        return today + timedelta(days=(4 - today.weekday()) % 7)
    if _NEXT_WEEK.match(phrase):
        return today - timedelta(days=today.weekday()) + timedelta(days=11)
    if _MONTH_END.match(phrase):
        return end_of_month(today)
    if _NEXT_MONTH_END.match(phrase):
        return end_of_month(end_of_month(today) + timedelta(days=1))
    if _YEAR_END.match(phrase):
        return date(today.year, 12, 31)
    if _FINANCIAL_YEAR_END.match(phrase):
        return date(today.year + (today.month > 3), 3, 31)
    if match := _MONTH_ONLY.match(phrase):
        return _month_end(MONTHS[match[2]], int(match[3]) if match[3] else None, bool(match[1]), today)
    return _dateparser(phrase, today)


def _month_end(month: int, year: int | None, next_: bool, today: date) -> date:
    """A month named alone is a deadline at its end, as plans write them: ``March`` is 31 March."""
    if year is not None:
        return end_of_month(date(year, month, 1))
    candidate = end_of_month(date(today.year, month, 1))
    if candidate < today or (next_ and month == today.month):
        candidate = end_of_month(date(today.year + 1, month, 1))
    return candidate


def _dateparser(phrase: str, today: date) -> date | None:
    import dateparser  # imported on first use: it takes a moment to load

    settings = {
        "DATE_ORDER": "DMY",
        "PREFER_DATES_FROM": "future",
        "RELATIVE_BASE": datetime.combine(today, time(12)),
        "RETURN_AS_TIMEZONE_AWARE": False,
        "PARSERS": ["relative-time", "absolute-time"],
    }
    found: datetime | None = dateparser.parse(phrase, languages=["en"], settings=settings)
    if found is None:
        return None
    day = found.date()
    named = [name for name in calendar.day_name for w in phrase.split() if w in _WEEKDAYS and name.lower()[:3] == w[:3]]
    if named and re.search(r"\d", phrase) and calendar.day_name[day.weekday()] != named[0]:
        raise DateError(f"{format_date(day)} is a {calendar.day_name[day.weekday()]}, not a {named[0]}")
    return day


def parse_duration_days(text: str) -> int | None:
    """``7d``, ``2w``, ``14 days`` → days; ``None`` when the text is not a duration."""
    match = _DURATION.match(text.strip())
    if not match:
        return None
    number = _SMALL_NUMBERS.get(match[1].lower()) or int(match[1])
    return number * 7 if match[2].lower().startswith("w") else number


def end_of_week(day: date) -> date:
    """The Sunday that ends ``day``'s week."""
    return day + timedelta(days=6 - day.weekday())


def end_of_month(day: date) -> date:
    return day.replace(day=calendar.monthrange(day.year, day.month)[1])


def is_working_day(day: date, nation: Nation = Nation.ENGLAND) -> bool:
    """Monday to Friday and not a bank holiday in that nation."""
    return day.weekday() < 5 and day not in bank_holidays(nation, day.year)


def format_date(day: date) -> str:
    """How dates are shown to people: ``Mon 31 Mar 2019``."""
    return day.strftime("%a %d %b %Y").replace(" 0", " ")
