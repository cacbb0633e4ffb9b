"""Timescales as real plans write them, read into a :class:`bot.domain.Timescale`.

The text as written is always kept; beside it go how it was read (``kind``), the due date when
there is one, and a flag when a person should look at it. Nothing is guessed silently: text that
cannot be read becomes ``unknown`` with a flag saying why.

========================================  =========  ==============================================
written                                   kind       due date (and flag)
========================================  =========  ==============================================
``September 2018``, ``Jan-19``, ``Mar '19``  date     the last day of the month
``31/03/2019``, ``31 March 2019``, ISO    date       that day (day first: ``03/31/2019`` is refused)
``by end of March 2019``, ``End Mar 2019`` date      the last day of the month
``Q3 2019``                               date       the end of that calendar quarter (30 Sep 2019)
``Q3 2019/20``                            date       the end of that financial quarter (31 Dec 2019)
``2019/20``, ``FY 2019-20``               date       the end of the financial year (31 Mar 2020)
``Spring 2019`` / Summer / Autumn         date       31 May / 31 Aug / 30 Nov
``Winter 2019/20``                        date       the end of February (``Winter 2019``: flagged)
``End of 2018``, ``2019``                 date       31 December
``September 2018 and ongoing``,           recurring  the first milestone, then periodic check-ins
``March 2019 onwards``, ``from April 2019``
``Ongoing``, ``Quarterly``, ``Annually``  ongoing    none: periodic check-ins
``In place``, ``Complete``, ``Achieved``  in_place   none (the action is done)
``As 19 above``, ``As per K3``            same_as    the date of recommendation 19's action
``November 2018 November 2018``           date       the first date, flagged: two dates in one cell
``April 2019 to March 2020``              date       the end of the range, flagged
``TBC``, ``To be agreed``, blank          unknown    none, flagged
``Immediate``, ``ASAP``                   unknown    none, flagged: no date is named
========================================  =========  ==============================================
"""

from __future__ import annotations

import calendar
import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date

from bot.dates import DateError, build_date
from bot.domain import Timescale, TimescaleKind
from bot.importing.normalise import clean_cell, fold, one_line

MAX_TIMESCALE = 500
ABOVE = "above"  # the ``same_as`` of "As above": the action in the row before

_MONTH = (
    r"(jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?"
    r"|sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)\.?"
)
_MONTHS = {name: index for index, name in enumerate(calendar.month_abbr) if name}
_ORDINAL = r"(?:st|nd|rd|th)?"

_SAME_AS = re.compile(
    r"^(?:as|same as|see)\s+(?:per\s+)?(?:(?:rec(?:ommendation)?|action|item|no)\.?\s*)?"
    r"([a-z]{0,3}\s?\d{1,3}(?:\.\d{1,3})*[a-z]?)\s*(?:above|below)?$"
)
_AS_ABOVE = re.compile(r"^(?:as|same as|see)\s+(?:per\s+)?above$")

_TBC = re.compile(
    r"\b(tbc|tba|tbd|to be (?:confirmed|agreed|decided|determined|set|advised)|not yet (?:agreed|known|set)|unknown)\b"
)
_IMMEDIATE = re.compile(r"\b(immediate(?:ly)?|asap|as soon as possible|forthwith|now)\b")
_IN_PLACE = re.compile(
    r"\b(in place|completed?|achieved|done|implemented|delivered|in operation|established|already)\b"
)
_IN_PLACE_WITH_DATE = re.compile(r"\b(in place|completed|achieved|done|implemented|delivered|established)\b")
_ONGOING = re.compile(
    r"\b(on-?\s?going|continuous(?:ly)?|continuing|continual(?:ly)?|annual(?:ly)?|yearly|quarterly|monthly|weekly"
    r"|fortnightly|regular(?:ly)?|rolling|onwards?|thereafter|throughout|each (?:year|quarter|month)"
    r"|every (?:year|quarter|month)|as (?:required|needed)|business as usual|bau)\b"
)
_FROM = re.compile(r"\b(from|starting|commencing)\b")
_FILLER = {
    "by", "the", "end", "of", "until", "till", "no", "later", "than", "latest", "at", "in", "on", "during",
    "within", "target", "deadline", "date", "due", "complete", "completion", "and", "then", "for", "review",
    "reviewed", "be", "to", "a", "an", "year", "calendar", "financial", "fy", "approx", "approximately", "expected",
}
_RANGE_JOIN = re.compile(r"^\s*(?:-|to|until|till|through)\s*$")


@dataclass(frozen=True)
class _Found:
    """A date found in the text: where, the due date it means, and anything doubtful about it."""

    start: int
    end: int
    due: date
    doubt: str | None = None


class _NotADate(ValueError):
    """Date-shaped text that names no real day (31/02/2019)."""


def _last_day(year: int, month: int) -> date:
    return date(year, month, calendar.monthrange(year, month)[1])


def _year(text: str) -> int:
    value = int(text)
    return 2000 + value if value < 100 else value


def _month(text: str) -> int:
    return _MONTHS[text[:3].capitalize()]


def _day(year: int, month: int, day: int, written: str) -> date:
    try:
        return build_date(year, month, day, f"'{written}'")
    except DateError as error:
        day_first = " (dates are read day first)" if not 1 <= month <= 12 else ""
        raise _NotADate(f"{error}{day_first}") from None


def _next_year(first: str, second: str) -> bool:
    return (int(first) + 1) % 100 == int(second) % 100


def _season(name: str, year: int, second: str | None) -> tuple[date, str | None]:
    if name == "spring":
        return date(year, 5, 31), None
    if name == "summer":
        return date(year, 8, 31), None
    if name in ("autumn", "fall"):
        return date(year, 11, 30), None
    end = _last_day(year + 1, 2)
    winter = f"{year}/{str(year + 1)[2:]}"
    doubt = None if second else f"'Winter {year}' read as the winter of {winter}, ending {end:%d %b %Y}"
    return end, doubt


Reader = Callable[[re.Match[str]], tuple[date, str | None]]

# Most specific first: a full date before a month and year, a month and year before a bare year.
_PATTERNS: list[tuple[re.Pattern[str], Reader]] = [
    (
        re.compile(r"\b(\d{4})-(\d{1,2})-(\d{1,2})\b"),
        lambda m: (_day(int(m[1]), int(m[2]), int(m[3]), m[0]), None),
    ),
    (
        re.compile(r"\b(\d{1,2})([/.\-])(\d{1,2})\2(\d{4}|\d{2})\b"),
        lambda m: (_day(_year(m[4]), int(m[3]), int(m[1]), m[0]), None),
    ),
    (
        re.compile(rf"\b(\d{{1,2}}){_ORDINAL}(?:\s+of)?[\s\-]+{_MONTH}[\s,\-']+(\d{{4}}|\d{{2}})\b"),
        lambda m: (_day(_year(m[3]), _month(m[2]), int(m[1]), m[0]), None),
    ),
    (
        re.compile(rf"\b{_MONTH}\s+(\d{{1,2}}){_ORDINAL},?\s+(\d{{4}})\b"),
        lambda m: (_day(int(m[3]), _month(m[1]), int(m[2]), m[0]), None),
    ),
    (
        re.compile(r"\b(?:q|quarter\s*)([1-4])\s*(?:of\s+)?(?:fy\s*)?(\d{4}|\d{2})\s*[/\-]\s*(\d{4}|\d{2})\b"),
        lambda m: _financial_quarter(int(m[1]), _year(m[2]), m[3]),
    ),
    (
        re.compile(r"\b(spring|summer|autumn|fall|winter)\s*(?:of\s+)?(\d{4})(?:\s*/\s*(\d{4}|\d{2}))?\b"),
        lambda m: _season(m[1], int(m[2]), m[3]),
    ),
    (
        re.compile(r"\b(?:fy\s*|financial year\s*)?(\d{4}|\d{2})\s*[/\-]\s*(\d{4}|\d{2})\b"),
        lambda m: _financial_year(m[1], m[2]),
    ),
    (
        re.compile(r"\b(?:q|quarter\s*)([1-4])\s*(?:of\s+)?(\d{4})\b|\b([1-4])(?:st|nd|rd|th)\s+quarter\s+(?:of\s+)?(\d{4})\b"),
        lambda m: (_last_day(int(m[2] or m[4]), 3 * int(m[1] or m[3])), None),
    ),
    (
        re.compile(r"\b(?:h([12])|(first|second) half(?: of)?)\s+(\d{4})\b"),
        lambda m: (date(int(m[3]), 6, 30) if (m[1] == "1" or m[2] == "first") else date(int(m[3]), 12, 31), None),
    ),
    (
        re.compile(rf"\b{_MONTH}(?:\s*[\-'/]\s*(\d{{2}})|[\s,\-']*(\d{{4}}))\b"),
        lambda m: (_last_day(_year(m[2] or m[3]), _month(m[1])), None),
    ),
    (re.compile(r"\b(20\d{2})\b"), lambda m: (date(int(m[1]), 12, 31), None)),
]


def _financial_year(first: str, second: str) -> tuple[date, str | None]:
    if not _next_year(first, second):
        raise _NotADate(f"'{first}/{second}' is not a financial year such as 2019/20")
    return date(_year(first) + 1, 3, 31), None


def _financial_quarter(quarter: int, first_year: int, second: str) -> tuple[date, str | None]:
    if not _next_year(str(first_year), second):
        raise _NotADate(f"'{first_year}/{second}' is not a financial year such as 2019/20")
    year, month = (first_year, 3 + 3 * quarter) if quarter < 4 else (first_year + 1, 3)
    return _last_day(year, month), None


def _find_dates(text: str) -> tuple[list[_Found], str, list[str]]:
    """Every date in ``text`` (in order), the text left over, and dates that were not real days."""
    found: list[_Found] = []
    refused: list[str] = []
    remaining = text
    for pattern, read in _PATTERNS:
        for match in pattern.finditer(remaining):
            try:
                due, doubt = read(match)
            except _NotADate as error:
                refused.append(str(error))
                due, doubt = None, None
            except ValueError:
                continue
            if due is not None:
                found.append(_Found(match.start(), match.end(), due, doubt))
            blank = " " * (match.end() - match.start())
            remaining = remaining[: match.start()] + blank + remaining[match.end() :]
    found.sort(key=lambda f: f.start)
    return found, remaining, refused


def _leftover_words(remaining: str, *patterns: re.Pattern[str]) -> list[str]:
    for pattern in patterns:
        remaining = pattern.sub(" ", remaining)
    words = re.findall(r"[a-z0-9']+", remaining)
    return [word for word in words if word not in _FILLER]


def _flag(*parts: str | None) -> str | None:
    text = "; ".join(part for part in parts if part)
    return text[:MAX_TIMESCALE] or None


def read_timescale(text: str) -> Timescale:
    """Read one timescale cell. See the module's table for every form and how it is read."""
    written = one_line(clean_cell(text))[:MAX_TIMESCALE]
    lowered = fold(written).lower().replace("–", "-").replace("—", "-").replace("’", "'")
    lowered = " ".join(lowered.replace(",", " , ").split()).replace(" , ", ", ")
    if not lowered.strip(" -?.,"):
        return Timescale(written, TimescaleKind.UNKNOWN, flag="no timescale given")
    if _AS_ABOVE.match(lowered):
        return Timescale(written, TimescaleKind.SAME_AS, same_as=ABOVE)
    if match := _SAME_AS.match(lowered):
        return Timescale(written, TimescaleKind.SAME_AS, same_as=match[1].replace(" ", "").upper())
    if lowered.strip(" .") in ("n/a", "na", "none", "-"):
        return Timescale(written, TimescaleKind.UNKNOWN, flag="no timescale given")
    found, remaining, refused = _find_dates(lowered)
    if refused and not found:
        return Timescale(written, TimescaleKind.UNKNOWN, flag=_flag(*refused))
    if not found:
        return _without_date(written, remaining)
    return _with_dates(written, found, remaining, refused)


def _without_date(written: str, remaining: str) -> Timescale:
    if _TBC.search(remaining):
        return Timescale(written, TimescaleKind.UNKNOWN, flag="no date given yet (to be confirmed)")
    if _IN_PLACE.search(remaining) and not _leftover_words(remaining, _IN_PLACE, _ONGOING):
        return Timescale(written, TimescaleKind.IN_PLACE)
    if _ONGOING.search(remaining):
        return Timescale(written, TimescaleKind.ONGOING)
    if _IMMEDIATE.search(remaining):
        return Timescale(written, TimescaleKind.UNKNOWN, flag=f"'{written}' names no date: give it one")
    if month := re.search(rf"\b{_MONTH}\s+(\d{{1,2}})\b", remaining):
        name, number = month[1].capitalize(), month[2]
        return Timescale(
            written,
            TimescaleKind.UNKNOWN,
            flag=f"'{name} {number}': is {number} a day or the year? Write '{name} 20{number:0>2}' or a full date",
        )
    if month := re.search(rf"\b{_MONTH}\b", remaining):
        return Timescale(written, TimescaleKind.UNKNOWN, flag=f"'{month[0].capitalize()}' has no year")
    return Timescale(written, TimescaleKind.UNKNOWN, flag="could not read this timescale")


def _with_dates(written: str, found: list[_Found], remaining: str, refused: list[str]) -> Timescale:
    first = found[0]
    due = first.due
    doubts: list[str | None] = [first.doubt, *refused]
    if len(found) >= 2:
        between = remaining[found[0].end : found[1].start]
        if len(found) == 2 and _RANGE_JOIN.match(between) and found[1].due > first.due:
            due = found[1].due
            doubts.append(f"a range: read as due at its end, {due:%d %b %Y}")
        else:
            dates = ", ".join(f"{f.due:%d %b %Y}" for f in found)
            doubts.append(f"{len(found)} dates in one cell ({dates}): the first is the due date; split the action")
    kind = TimescaleKind.DATE
    if _IN_PLACE_WITH_DATE.search(remaining):
        kind = TimescaleKind.IN_PLACE
    elif _ONGOING.search(remaining) or _FROM.search(remaining):
        kind = TimescaleKind.RECURRING
    leftover = _leftover_words(remaining, _ONGOING, _FROM, _IN_PLACE_WITH_DATE)
    if leftover:
        doubts.append(f"read as {due:%d %b %Y}; did not understand '{' '.join(leftover)}'")
    return Timescale(written, kind, due=due, flag=_flag(*doubts))
