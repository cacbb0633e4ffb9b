"""When a channel's weekly digest goes out: ``friday 16:00``, ``on Fridays at 4pm``, ``monday 9am``.

:func:`take_schedule` reads a day and an hour from the end of a ``subscribe`` line. Digests go out
on the hour, in the council's time zone. An hour that reads two ways (``friday 4``: 04:00 or
16:00?) is asked about, never guessed; ``16:00``, ``4pm`` and ``09:00`` are not.
"""

from __future__ import annotations

import calendar
import re

from bot.commands import ParseError

DEFAULT_WEEKDAY = 0  # Monday
DEFAULT_HOUR = 9
USAGE = "subscribe <review|all> digest friday 16:00"

_WEEKDAYS: dict[str, int] = {}
for _number, _name in enumerate(calendar.day_name):
    for _form in (_name.lower(), _name.lower() + "s", _name.lower()[:3]):
        _WEEKDAYS[_form] = _number
_WEEKDAYS.update({"tues": 1, "weds": 2, "thur": 3, "thurs": 3})
_CLOCK = re.compile(r"^(\d{1,2})(?:[:.](\d{2}))?\s*(am|pm)?$")
_LINKING = {"at", "on", "every", "each", "from"}
_NAMED_HOURS = {"noon": 12, "midday": 12}


def describe(weekday: int, hour: int) -> str:
    """``Mondays 09:00``."""
    return f"{calendar.day_name[weekday]}s {hour:02d}:00"


def take_schedule(words: list[str]) -> tuple[int | None, int | None, int]:
    """The weekday and hour at the end of ``words``, and how many words they took (0: none given).

    Raises :class:`ParseError` for a time that is not on the hour, not a time of day, or reads two ways.
    """
    count = 0
    while count < len(words) and _schedule_word(_key(words[len(words) - count - 1])):
        count += 1
    tail = [_key(word) for word in words[len(words) - count :]]
    while tail and tail[0] in {"am", "pm"}:
        tail.pop(0)
        count -= 1
    weekday = next((_WEEKDAYS[word] for word in tail if word in _WEEKDAYS), None)
    times = [word for word in tail if word not in _WEEKDAYS and word not in _LINKING]
    if weekday is None and "at" not in tail and not any(_clock_like(word) for word in times):
        return None, None, 0  # a number at the end of a review's title, not a time
    hour = _hour(" ".join(times)) if times else None
    if weekday is None and hour is None:
        return None, None, 0
    return weekday, hour, count


def _key(word: str) -> str:
    return word.lower().strip(",.;!?")


def _schedule_word(word: str) -> bool:
    return word in _WEEKDAYS or word in _LINKING or word in _NAMED_HOURS or word in ("am", "pm") or bool(
        _CLOCK.match(word)
    )


def _clock_like(word: str) -> bool:
    return word in _NAMED_HOURS or ":" in word or word.endswith(("am", "pm")) or word in ("am", "pm")


def _hour(text: str) -> int:
    text = text.replace(" am", "am").replace(" pm", "pm").strip()
    if text in _NAMED_HOURS:
        return _NAMED_HOURS[text]
    match = _CLOCK.match(text)
    if match is None:
        raise ParseError(f"'{text}' is not a time of day: write it like 16:00 or 4pm.", USAGE)
    hour, minutes, half = int(match[1]), match[2], match[3]
    if minutes not in (None, "00"):
        later = (hour + 1) % 24
        raise ParseError(f"Digests go out on the hour: say {hour:02d}:00 or {later:02d}:00, not {text}.", USAGE)
    if half is not None:
        if not 1 <= hour <= 12:
            raise ParseError(f"'{text}' is not a time of day: write it like 16:00 or 4pm.", USAGE)
        return hour % 12 + (12 if half == "pm" else 0)
    if hour > 23:
        raise ParseError(f"'{text}' is not a time of day: hours go from 00:00 to 23:00.", USAGE)
    if minutes is None and 1 <= hour <= 11:
        raise ParseError(
            f"'{text}' could be {hour:02d}:00 or {hour + 12:02d}:00: which? Write {hour}am or {hour}pm.", USAGE
        )
    return hour
