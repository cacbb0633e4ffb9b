"""The grammar of the commands that list or subscribe: ``mine``, ``reviews``, ``overdue``, ``due``,
``digest``, ``subscribe`` and ``unsubscribe``."""

from __future__ import annotations

import re

from bot.commands import USAGE, Command, CommandName, ParseError, unquote
from bot.dates import format_date, parse_duration_days
from bot.domain import SubscriptionKind
from bot.grammar_words import MAX_DAYS, Words, date_at
from bot.schedule import take_schedule


def parse_listing(words: Words, name: CommandName) -> Command:
    page = words.drop_trailing_page()
    if words.remaining_words():
        raise ParseError(f"`{name.value}` takes nothing more than a page number.", USAGE[name])
    return Command(name, page=page)


def _take_mine(words: Words) -> bool:
    """``mine`` (or ``me``) right after ``overdue`` / ``due``: only the asker's own actions."""
    if (words.peek() or "").lower().lstrip("@") in ("mine", "me"):
        words.take()
        return True
    return False


_NAMED_WINDOWS = {
    "this week": "this week",
    "week": "this week",
    "this month": "this month",
    "month": "this month",
    "today": "today",
    "next week": "next week",
}
_WINDOW_LEAD = re.compile(r"^(?:(?:in|within|during|over)\s+)?(?:the\s+)?(?:next\s+)?(?=\d)")


def parse_due(words: Words, name: CommandName) -> Command:
    page = words.drop_trailing_page()
    mine = _take_mine(words)
    if [w.lower() for w in words.remaining_words()[-1:]] == ["mine"]:
        words.spans, mine = words.spans[:-1], True
    text = " ".join(words.remaining_words()).lower().rstrip("?!. ")
    if text in ("", "soon", "next 7 days"):
        return Command(name, days=7, window="next 7 days", page=page, mine=mine)
    if text in _NAMED_WINDOWS:
        return Command(name, window=_NAMED_WINDOWS[text], page=page, mine=mine)
    days = parse_duration_days(_WINDOW_LEAD.sub("", text))
    if days is not None:
        if not 1 <= days <= MAX_DAYS:
            raise ParseError(f"Give a window of 1 to {MAX_DAYS} days, not {days}.", USAGE[name])
        return Command(name, days=days, window=f"next {days} days", page=page, mine=mine)
    found = date_at(words, USAGE[name])
    if found is None or found[1] != len(words.remaining_words()):
        raise ParseError(
            f"'{text}' is not a window: use 7d, 30d, 2w, this week, this month or a date (by Friday).", USAGE[name]
        )
    if words.today is not None and found[0] < words.today:
        raise ParseError(f"{format_date(found[0])} is in the past: `overdue` lists what is past its deadline.", "due")
    return Command(name, new_date=found[0], page=page, mine=mine)


def parse_overdue(words: Words, name: CommandName) -> Command:
    page = words.drop_trailing_page()
    mine = _take_mine(words)
    rest = " ".join(words.remaining_words())
    review, owner = rest, None
    at = rest.find("@")
    mention = rest.find("<@")
    start = mention if mention != -1 and (at == -1 or mention < at) else at
    if start != -1:
        review, owner = rest[:start].strip(), rest[start:].strip()
        if owner.startswith("@"):
            owner = owner[1:].strip()
        if not owner:
            raise ParseError("Whose overdue actions? Put the name after @.", USAGE[name])
        if owner.lower() in ("me", "mine"):
            owner, mine = None, True
    return Command(
        name, review=unquote(review) or None, owner=unquote(owner) if owner else None, page=page, mine=mine
    )


def parse_digest(words: Words, name: CommandName) -> Command:
    review = unquote(words.rest())
    if review.lower() == "all":
        review = ""
    return Command(name, review=review or None)


def parse_subscription(words: Words, name: CommandName) -> Command:
    usage = USAGE[name]
    remaining = words.remaining_words()
    weekday, hour, used = take_schedule(remaining) if name is CommandName.SUBSCRIBE else (None, None, 0)
    remaining = remaining[: len(remaining) - used]
    kinds: list[SubscriptionKind] = []
    while remaining and remaining[-1].lower().strip(",") in SubscriptionKind.__members__.values():
        kinds.insert(0, SubscriptionKind(remaining.pop().lower().strip(",")))
    target = unquote(" ".join(remaining))
    if not target:
        raise ParseError("Which review? Give its name, or `all`.", usage)
    unique_kinds = tuple(dict.fromkeys(kinds))
    if used and unique_kinds and SubscriptionKind.DIGEST not in unique_kinds:
        raise ParseError("A day and hour are for the weekly digest.", f"subscribe {target} digest friday 16:00")
    if used and not unique_kinds:
        unique_kinds = (SubscriptionKind.DIGEST,)
    everything = target.lower() == "all"
    return Command(
        name,
        review=None if everything else target,
        all_reviews=everything,
        kinds=unique_kinds,
        weekday=weekday,
        hour=hour,
    )


