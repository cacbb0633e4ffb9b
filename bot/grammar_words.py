"""The cursor the grammar reads a line with, and the date it may find at it.

:class:`Words` keeps the line as typed (so a note keeps its spacing and line breaks) and the
council's "today" (so a date in words is read from the injected clock, never the wall clock).
"""

from __future__ import annotations

import re
from datetime import date

from bot.commands import ParseError
from bot.dates import DateError, read_date

MAX_DAYS = 365


class Words:
    """A cursor over the words of a command, keeping the original text for notes."""

    def __init__(self, text: str, today: date | None = None) -> None:
        self.text = text
        self.today = today
        self.spans = [(m.start(), m.group()) for m in re.finditer(r"\S+", text)]
        self.at = 0

    def peek(self, offset: int = 0) -> str | None:
        index = self.at + offset
        return self.spans[index][1] if index < len(self.spans) else None

    def take(self, count: int = 1) -> list[str]:
        taken = [word for _, word in self.spans[self.at : self.at + count]]
        self.at += count
        return taken

    def remaining_words(self) -> list[str]:
        return [word for _, word in self.spans[self.at :]]

    def rest(self) -> str:
        """The rest of the line exactly as typed (spacing and line breaks kept)."""
        if self.at >= len(self.spans):
            return ""
        return self.text[self.spans[self.at][0] :].strip()

    def drop_trailing_page(self) -> int:
        """Remove a trailing ``page N`` and return N (1 when absent)."""
        if len(self.spans) - self.at >= 2 and self.spans[-2][1].lower() in ("page", "p"):
            number = self.spans[-1][1]
            if not number.isdecimal() or len(number) > 30 or int(number) < 1:
                raise ParseError(f"'{number}' is not a page number.", "page 2")
            self.spans = self.spans[:-2]
            return int(number)
        return 1


_LEADS = {"in", "next", "the", "end", "of", "by", "to", "until", "till", "this", "last", "a", "an", "on"}


def attempted_date(words: list[str]) -> str:
    """The words that were meant as a date and are not one: ``in 9999 years``, or the one word ``soon``."""
    taken = []
    for word in words[:4]:
        taken.append(word)
        if word.lower() not in _LEADS and not word.isdigit():
            break
    return " ".join(taken)


def date_at(words: Words, usage: str) -> tuple[date, int] | None:
    """A date at the cursor (``next Friday``, ``31/03/2019``) and how many words it took; a date
    that does not exist, or that reads two ways, is refused naming why."""
    try:
        return read_date(words.remaining_words(), words.today)
    except DateError as exc:
        raise ParseError(f"{exc}.", usage) from None


