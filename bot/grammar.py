"""The command grammar: one text line in, one :class:`~bot.commands.Command` (or a ``ParseError``) out.

The same grammar serves every surface: Slack's ``/actions <text>``, a Teams message to
``@actionbot``, and the console. :mod:`bot.phrasing` first brings the ways people write a command
(``mark 12 done``, ``what's overdue?``, ``my actions``) to its own form; this module then reads
that form, tolerant of what people type: any case, ``#42`` or ``42``, ``on track`` / ``on-track``
/ ``ontrack``, ``40%``, notes quoted or not, and dates as ``31/03/2019``, ``31 March``, ``next
Friday`` or ``end of March`` (read by :func:`bot.dates.read_date` from the council's today).
Every error names what was wrong and shows the right form; a word that reads two ways is asked about.
"""

from __future__ import annotations

import re
from datetime import date
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
from bot.dates import DATE_FORMS, parse_duration_days
from bot.domain import MAX_NOTE_LENGTH, Status
from bot.grammar_admin import parse_export, parse_lead, parse_people
from bot.grammar_lists import parse_digest, parse_due, parse_listing, parse_overdue, parse_subscription
from bot.grammar_words import MAX_DAYS, Words, attempted_date, date_at
from bot.phrasing import rewrite

_PERCENT = re.compile(r"^(-?\d{1,4})\s*%[.,;:!?]*$")
_ACTION_ID = re.compile(r"^#?(\d{1,9})[.,;:!?]*$")
_PERCENT_MEANS_COMPLETE = {"done", "complete", "completed"}  # "40% done" is 40% complete, not done


def parse(text: str, today: date | None = None) -> Command:
    """Parse one command line. Raises :class:`ParseError` naming what was wrong and the right form.

    ``today`` is the council's date, from the caller's clock: dates like ``next Friday`` are read
    from it. Without it (an adapter asking only which command a line is), such dates are not read.
    """
    words = Words(rewrite(normalise(text)), today)
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


_ANY_DAY = date(2000, 1, 3)  # a Monday: enough to tell a date in words from other words


def command_name(text: str) -> CommandName | None:
    """Which command a line is (``None`` when it is not one), for a caller with no clock to read its dates by:
    an adapter deciding whether a list can be shown again. Its dates are read only to find where they end."""
    try:
        return parse(text, _ANY_DAY).name
    except ParseError:
        return None


def _command_name(word: str) -> CommandName:
    lowered = word.lower().lstrip("/")
    if lowered not in ALIASES:
        lowered = lowered.rstrip(".,;:!?")
    if lowered in CommandName.__members__.values():
        return CommandName(lowered)
    if lowered in ALIASES:
        return ALIASES[lowered]
    raise ParseError(f"I don't know the command '{word}'.{_suggestion(lowered)}", "help")


def _suggestion(word: str) -> str:
    """`` Did you mean `show`?`` for a typo or the start of one command; both when it could be two."""
    commands = [name.value for name in CommandName] + ["on-track", "at-risk", "off-track", "not-started", "done"]
    started = [name for name in commands if word and name.startswith(word)]
    close = started or get_close_matches(word, commands + list(STATUS_WORDS), n=2, cutoff=0.75)
    if not close:
        return ""
    if len(close) == 1:
        return f" Did you mean `{close[0]}`?"
    return " Did you mean " + ", ".join(f"`{name}`" for name in close[:-1]) + f" or `{close[-1]}`?"


def _status_at(words: Words) -> tuple[Status | None, int]:
    """A status of one word (``on-track``) or two (``on track``) at the cursor."""
    one = words.peek()
    if one is None:
        return None, 0
    two = words.peek(1)
    if two is not None and (status := status_from_word(one + two)) is not None and one.lower() != "done":
        return status, 2
    return status_from_word(one), 1


def _action_id(words: Words, name: CommandName | None = None) -> int:
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


def _parse_status_shortcut(words: Words, status: Status) -> Command:
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


def _parse_update(words: Words, name: CommandName) -> Command:
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
            if status is None and (words.peek() or "").lower().rstrip(".,;:!?") in _PERCENT_MEANS_COMPLETE:
                words.take()  # "40% done": 40% complete
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


def _parse_note(words: Words, name: CommandName) -> Command:
    action_id = _action_id(words, name)
    return Command(name, action_id=action_id, note=_note(words.rest(), required="The note", usage=USAGE[name]))


def _parse_drop(words: Words, name: CommandName) -> Command:
    action_id = _action_id(words, name)
    reason = _note(words.rest(), required="A reason for dropping it", usage=USAGE[name])
    return Command(name, action_id=action_id, note=reason)


def _parse_move(words: Words, name: CommandName) -> Command:
    usage = USAGE[name]
    action_id = _action_id(words, name)
    found = date_at(words, usage)
    if found is None:
        given = attempted_date(words.remaining_words())
        problem = f"'{given}' is not a date: write {DATE_FORMS}." if given else "Which new date?"
        raise ParseError(problem, usage)
    new_date, used = found
    words.take(used)
    reason = _note(words.rest(), required="A reason for the new date", usage=usage)
    return Command(name, action_id=action_id, new_date=new_date, note=reason)


def _parse_snooze(words: Words, name: CommandName) -> Command:
    usage = USAGE[name]
    action_id = _action_id(words, name)
    rest = words.rest()
    if not rest:
        return Command(name, action_id=action_id, days=7)
    days = parse_duration_days(re.sub(r"^for\s+", "", rest, flags=re.IGNORECASE))
    if days is not None:
        if not 1 <= days <= MAX_DAYS:
            raise ParseError(f"Snooze for between 1 and {MAX_DAYS} days, not {days}.", usage)
        return Command(name, action_id=action_id, days=days)
    found = date_at(words, usage)
    if found is None or found[1] != len(words.remaining_words()):
        raise ParseError(f"'{rest}' is not a length of time like 7d or 2w, or a date like Friday.", usage)
    return Command(name, action_id=action_id, new_date=found[0])


def _parse_link(words: Words, name: CommandName) -> Command:
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


def _parse_show(words: Words, name: CommandName) -> Command:
    action_id = _action_id(words, name)
    if words.remaining_words():
        raise ParseError("`show` takes one action number.", USAGE[name])
    return Command(name, action_id=action_id)


def _parse_help(words: Words, name: CommandName) -> Command:
    topic = words.peek()
    if topic is None:
        return Command(name)
    try:
        return Command(name, topic=_command_name(topic))
    except ParseError:
        return Command(name)


_PARSERS = {
    CommandName.HELP: _parse_help,
    CommandName.MINE: parse_listing,
    CommandName.REVIEWS: parse_listing,
    CommandName.OVERDUE: parse_overdue,
    CommandName.DUE: parse_due,
    CommandName.SHOW: _parse_show,
    CommandName.UPDATE: _parse_update,
    CommandName.NOTE: _parse_note,
    CommandName.SNOOZE: _parse_snooze,
    CommandName.DROP: _parse_drop,
    CommandName.MOVE: _parse_move,
    CommandName.DIGEST: parse_digest,
    CommandName.SUBSCRIBE: parse_subscription,
    CommandName.UNSUBSCRIBE: parse_subscription,
    CommandName.LINK: _parse_link,
    CommandName.PEOPLE: parse_people,
    CommandName.LEAD: parse_lead,
    CommandName.EXPORT: parse_export,
}
