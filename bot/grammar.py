"""The command grammar: one text line in, one :class:`~bot.commands.Command` (or a ``ParseError``) out.

The same grammar serves every surface: Slack's ``/actions <text>``, a Teams message to
``@actionbot``, and the console. It is tolerant of what people type: any case, ``#42`` or
``42``, ``on track`` / ``on-track`` / ``ontrack``, ``40%``, notes quoted or not, and dates as
``2019-03-31``, ``31/03/2019`` or ``31 March 2019``. Every error names what was wrong and shows
the right form.
"""

from __future__ import annotations

import re
from difflib import get_close_matches

from bot.commands import (
    ALIASES,
    STATUS_CHOICES,
    STATUS_WORDS,
    USAGE,
    Command,
    CommandName,
    ParseError,
    normalise,
    parse_user,
    status_from_word,
    unquote,
)
from bot.dates import DATE_FORMS, DateError, parse_duration_days, take_date
from bot.domain import MAX_NOTE_LENGTH, Status, SubscriptionKind

_PERCENT = re.compile(r"^(-?\d{1,4})\s*%$")
_ACTION_ID = re.compile(r"^#?(\d{1,9})$")
_MAX_DAYS = 365


class _Words:
    """A cursor over the words of a command, keeping the original text for notes."""

    def __init__(self, text: str) -> None:
        self.text = text
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


def parse(text: str) -> Command:
    """Parse one command line. Raises :class:`ParseError` naming what was wrong and the right form."""
    words = _Words(normalise(text))
    first = words.peek()
    if first is None:
        return Command(CommandName.HELP)
    if _ACTION_ID.match(first) and len(words.spans) == 1:
        return Command(CommandName.SHOW, action_id=_action_id(words))
    status, used = _status_at(words)
    if status is not None:
        words.take(used)
        return _parse_status_shortcut(words, status)
    name = _command_name(words.take()[0])
    return _PARSERS[name](words, name)


def _command_name(word: str) -> CommandName:
    lowered = word.lower().lstrip("/")
    if lowered in CommandName.__members__.values():
        return CommandName(lowered)
    if lowered in ALIASES:
        return ALIASES[lowered]
    known = [name.value for name in CommandName] + list(STATUS_WORDS)
    close = get_close_matches(lowered, known, n=1, cutoff=0.75)
    hint = f" Did you mean `{close[0]}`?" if close else ""
    raise ParseError(f"I don't know the command '{word}'.{hint}", "help")


def _status_at(words: _Words) -> tuple[Status | None, int]:
    """A status of one word (``on-track``) or two (``on track``) at the cursor."""
    one = words.peek()
    if one is None:
        return None, 0
    two = words.peek(1)
    if two is not None and (status := status_from_word(one + two)) is not None and one.lower() != "done":
        return status, 2
    return status_from_word(one), 1


def _action_id(words: _Words, name: CommandName | None = None) -> int:
    usage = USAGE[name] if name else "show 42"
    word = words.peek()
    if word is None:
        raise ParseError("Which action? Give its number.", usage)
    match = _ACTION_ID.match(word)
    if not match:
        raise ParseError(f"'{word}' is not an action number (like 42 or #42).", usage)
    words.take()
    return int(match[1])


def _note(text: str, *, required: str | None = None, usage: str = "") -> str | None:
    note = unquote(text)
    if not note:
        if required:
            raise ParseError(f"{required} is required.", usage)
        return None
    if len(note) > MAX_NOTE_LENGTH:
        raise ParseError(f"That note is {len(note):,} characters; the limit is {MAX_NOTE_LENGTH:,}. Shorten it.", usage)
    return note


def _percent(word: str | None) -> int | None:
    if word is None:
        return None
    match = _PERCENT.match(word)
    if not match:
        return None
    value = int(match[1])
    if not 0 <= value <= 100:
        raise ParseError(f"{word} is not a percentage: % complete is between 0% and 100%.", "update 42 40%")
    return value


def _parse_status_shortcut(words: _Words, status: Status) -> Command:
    """``done 42 <note>``, ``on-track 42``, ``at risk #42 40% <note>``."""
    usage = f"{status.value.replace('_', '-')} 42 [note]"
    action_id = _action_id(words)
    percent = _percent(words.peek())
    if percent is not None:
        words.take()
    return Command(
        CommandName.UPDATE,
        action_id=action_id,
        status=status,
        percent=percent,
        note=_note(words.rest(), usage=usage),
    )


def _parse_update(words: _Words, name: CommandName) -> Command:
    usage = USAGE[name]
    action_id = _action_id(words, name)
    status: Status | None = None
    percent: int | None = None
    for _ in range(2):
        word = words.peek()
        if word is None:
            break
        found, used = _status_at(words)
        if found is not None and status is None:
            status = found
            words.take(used)
            continue
        value = _percent(word)
        if value is not None and percent is None:
            percent = value
            words.take()
            continue
        break
    note = _note(words.rest(), usage=usage)
    if note is not None and status is None and percent is None:
        word = words.peek() or ""
        raise ParseError(
            f"'{word}' is not a status: use {STATUS_CHOICES}. To add a comment alone, use `note {action_id} …`.",
            usage,
        )
    return Command(name, action_id=action_id, status=status, percent=percent, note=note)


def _parse_note(words: _Words, name: CommandName) -> Command:
    action_id = _action_id(words, name)
    return Command(name, action_id=action_id, note=_note(words.rest(), required="The note", usage=USAGE[name]))


def _parse_drop(words: _Words, name: CommandName) -> Command:
    action_id = _action_id(words, name)
    reason = _note(words.rest(), required="A reason for dropping it", usage=USAGE[name])
    return Command(name, action_id=action_id, note=reason)


def _parse_move(words: _Words, name: CommandName) -> Command:
    usage = USAGE[name]
    action_id = _action_id(words, name)
    try:
        found = take_date(words.remaining_words())
    except DateError as exc:
        raise ParseError(f"{exc}.", usage) from None
    if found is None:
        given = words.peek()
        problem = f"'{given}' is not a date: write {DATE_FORMS}." if given else "Which new date?"
        raise ParseError(problem, usage)
    new_date, used = found
    words.take(used)
    reason = _note(words.rest(), required="A reason for the new date", usage=usage)
    return Command(name, action_id=action_id, new_date=new_date, note=reason)


def _parse_snooze(words: _Words, name: CommandName) -> Command:
    usage = USAGE[name]
    action_id = _action_id(words, name)
    rest = words.rest()
    if not rest:
        return Command(name, action_id=action_id, days=7)
    days = parse_duration_days(rest)
    if days is not None:
        if not 1 <= days <= _MAX_DAYS:
            raise ParseError(f"Snooze for between 1 and {_MAX_DAYS} days, not {days}.", usage)
        return Command(name, action_id=action_id, days=days)
    try:
        found = take_date(words.remaining_words())
    except DateError as exc:
        raise ParseError(f"{exc}.", usage) from None
    if found is None or found[1] != len(words.remaining_words()):
        raise ParseError(f"'{rest}' is not a length of time like 7d or 2w, or a date.", usage)
    return Command(name, action_id=action_id, new_date=found[0])


def _parse_listing(words: _Words, name: CommandName) -> Command:
    page = words.drop_trailing_page()
    if words.remaining_words():
        raise ParseError(f"`{name.value}` takes nothing more than a page number.", USAGE[name])
    return Command(name, page=page)


def _parse_due(words: _Words, name: CommandName) -> Command:
    page = words.drop_trailing_page()
    text = " ".join(words.remaining_words()).lower()
    if not text:
        return Command(name, days=7, window="next 7 days", page=page)
    named = {
        "this week": "this week",
        "week": "this week",
        "this month": "this month",
        "month": "this month",
        "today": "today",
        "next week": "next week",
    }
    if text in named:
        return Command(name, window=named[text], page=page)
    days = parse_duration_days(text)
    if days is None or not 1 <= days <= _MAX_DAYS:
        raise ParseError(f"'{text}' is not a window: use 7d, 30d, 2w, this week or this month.", USAGE[name])
    return Command(name, days=days, window=f"next {days} days", page=page)


def _parse_overdue(words: _Words, name: CommandName) -> Command:
    page = words.drop_trailing_page()
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
    return Command(name, review=unquote(review) or None, owner=unquote(owner) if owner else None, page=page)


def _parse_digest(words: _Words, name: CommandName) -> Command:
    review = unquote(words.rest())
    if review.lower() == "all":
        review = ""
    return Command(name, review=review or None)


def _parse_subscription(words: _Words, name: CommandName) -> Command:
    usage = USAGE[name]
    remaining = words.remaining_words()
    kinds: list[SubscriptionKind] = []
    while remaining and remaining[-1].lower().strip(",") in SubscriptionKind.__members__.values():
        kinds.insert(0, SubscriptionKind(remaining.pop().lower().strip(",")))
    target = unquote(" ".join(remaining))
    if not target:
        raise ParseError("Which review? Give its name, or `all`.", usage)
    unique_kinds = tuple(dict.fromkeys(kinds))
    if target.lower() == "all":
        return Command(name, all_reviews=True, kinds=unique_kinds)
    return Command(name, review=target, kinds=unique_kinds)


def _parse_link(words: _Words, name: CommandName) -> Command:
    usage = USAGE[name]
    word = words.peek()
    if word is None:
        raise ParseError("Which chat user?", usage)
    user = parse_user(word)
    if user is None:
        raise ParseError(f"'{word}' is not a chat user: mention them with @.", usage)
    words.take()
    person = unquote(words.rest())
    if not person:
        raise ParseError("Which person in the plan? Give their name as the plan has it.", usage)
    return Command(name, user=user, person=person)


def _parse_show(words: _Words, name: CommandName) -> Command:
    action_id = _action_id(words, name)
    if words.remaining_words():
        raise ParseError("`show` takes one action number.", USAGE[name])
    return Command(name, action_id=action_id)


def _parse_help(words: _Words, name: CommandName) -> Command:
    topic = words.peek()
    if topic is None:
        return Command(name)
    try:
        return Command(name, topic=_command_name(topic))
    except ParseError:
        return Command(name)


_PARSERS = {
    CommandName.HELP: _parse_help,
    CommandName.MINE: _parse_listing,
    CommandName.REVIEWS: _parse_listing,
    CommandName.OVERDUE: _parse_overdue,
    CommandName.DUE: _parse_due,
    CommandName.SHOW: _parse_show,
    CommandName.UPDATE: _parse_update,
    CommandName.NOTE: _parse_note,
    CommandName.SNOOZE: _parse_snooze,
    CommandName.DROP: _parse_drop,
    CommandName.MOVE: _parse_move,
    CommandName.DIGEST: _parse_digest,
    CommandName.SUBSCRIBE: _parse_subscription,
    CommandName.UNSUBSCRIBE: _parse_subscription,
    CommandName.LINK: _parse_link,
}
