"""The ways people write commands, brought to the one form the grammar reads.

People do not type ``update 12 done``: they type ``mark 12 done``, ``12 done``, ``#12 is at risk``,
``set 12 to on track``, ``what's overdue?``, ``show me 12``, ``my actions``. :func:`rewrite` turns the
head of such a line into the command it means (``update 12 done``, ``overdue``, ``show 12``,
``mine``) and keeps the rest of the line (a note, a reason, a review's title) exactly as typed.

It is a short list of readable rules, not guesswork:

* words that carry no meaning at the start (``please``, ``can you``, ``show me``, ``what's``,
  ``is there any``) and at the end of a list request (``please``, ``thanks``, ``?``) are dropped;
* the action's number may come before the verb (``12 done``, ``#12 at risk 40%``, ``12 note …``);
* verbs people use for a command are read as it (``mark``/``set``/``change`` → ``update``,
  ``extend``/``reschedule``/``push`` → ``move``, ``mute`` → ``snooze``);
* "my", "me" and "I" make a list the asker's own (``my overdue actions`` → ``overdue mine``).

A word that could mean two commands (``close 12``: done or dropped? ``postpone 12``: a new
deadline, or no reminders?) and a status change asked as a question (``12 done?``) raise a
:class:`~bot.commands.ParseError` asking which, never a guess. Lines the rules do not touch are
returned as they are, for the grammar to read or refuse.

The words themselves are in :mod:`bot.phrasing_words`, the line reader in :mod:`bot.phrasing_line`,
and the rules for list requests (``my overdue actions``, ``due this week``) in :mod:`bot.phrasing_lists`.
"""

from __future__ import annotations

import re

from bot.commands import ALIASES, CommandName, ParseError, status_from_word
from bot.phrasing_line import Line, id_of, is_id, trimmed
from bot.phrasing_lists import due_list, overdue_list, personal_list
from bot.phrasing_words import (
    AFTER_ID,
    BEFORE_ID,
    COMMAND_WORDS,
    DEADLINE_WORDS,
    DETAIL_WORDS,
    GREETINGS,
    HELP_SENTENCES,
    LEADING_PHRASES,
    LISTS,
    LOOK_VERBS,
    NOUNS,
    PERSONAL_PHRASES,
    REVIEW_WORDS,
    TWO_WAYS,
    VERBS,
)

_PERCENT = re.compile(r"^-?\d+\s*%$")


def rewrite(text: str) -> str:
    """The line as the grammar's own form; raises :class:`ParseError` to ask about a word that reads two ways."""
    line = Line.of(text)
    if not line.keys:
        return text
    if line.key() in ("/actions", "/actionbot"):
        line.at += 1
    if line.key() in ("is", "has", "was", "are", "how's", "hows") and is_id(line.key(1)):
        return f"show {id_of(line.key(1))}"  # a question about an action: show it
    personal = False
    while line.at < len(line.keys):
        if tuple(trimmed(line.remaining_keys())) in HELP_SENTENCES:
            return "help"
        if line.key() in GREETINGS:
            line.at += 1
        elif line.skip_phrases(PERSONAL_PHRASES):
            personal = True
        elif not line.skip_phrases(LEADING_PHRASES) and not _look_verb(line):
            break
    return _command(line, personal) or line.rest() or ("mine" if personal else "help")


def _look_verb(line: Line) -> bool:
    """``show``/``list`` before a list (``show overdue``, ``list my actions``), or ``action`` before a number."""
    about_one = any(is_id(key) for key in line.remaining_keys()[1:7])  # "see the due date of 12": show 12
    if (line.key() in LOOK_VERBS and line.key(1) in LISTS and not about_one) or (
        line.key() in NOUNS and is_id(line.key(1))
    ):
        line.at += 1
        return True
    return False


def _command(line: Line, personal: bool) -> str | None:
    """The canonical form of what is left, or ``None`` to leave the line to the grammar."""
    first = line.key()
    if first is None:
        return None
    if is_id(first):
        return _number_first(line)
    if first in TWO_WAYS:
        raise _two_ways_error(first, next((id_of(k) for k in line.remaining_keys()[1:4] if is_id(k)), "42"))
    if first in VERBS and (found := _verb_then_id(line)) is not None:
        return found
    _ask_if_status_question(line)
    keys = line.remaining_keys()
    if status_from_word(first) or (len(keys) > 1 and status_from_word(keys[0] + keys[1])):
        return None  # "done 12", "on track 12": the grammar's own form
    if personal:
        return personal_list(line)
    if first in ("overdue", "late") or (first in NOUNS and "overdue" in keys[:3]):
        return overdue_list(line, mine=False)
    if first in ("due", "upcoming") or (first in NOUNS and "due" in keys[:3]) or line.starts(("coming", "up")):
        return due_list(line, mine=False)
    if first in REVIEW_WORDS and set(trimmed(keys)) <= REVIEW_WORDS | NOUNS | {"all", "the", "action"}:
        return "reviews"
    if first in ("help", "?") and not trimmed(keys[1:]):
        return "help"
    return None


def _number_first(line: Line) -> str:
    """``12`` → show; ``12 done``, ``#12 at risk 40%``, ``12 is 50%`` → update; ``12 note …`` → note 12 …"""
    number = id_of(line.key())
    line.at += 1
    if not trimmed([k for k in line.remaining_keys() if k not in DETAIL_WORDS]):
        return f"show {number}"
    if line.key() in ("is", "now", "to", "as", "-", "") and line.key(1) is not None:
        line.at += 1
    word = line.key() or ""
    if word in TWO_WAYS:
        raise _two_ways_error(word, number)
    if word in VERBS or word in COMMAND_WORDS:
        line.at += 1
        return _with_id(VERBS.get(word) or _command_word(word), number, line)
    return _status_change(number, line)


def _command_word(word: str) -> CommandName:
    if word in ALIASES:
        return ALIASES[word]
    return CommandName(word) if word in CommandName.__members__.values() else CommandName.UPDATE


def _with_id(name: CommandName, number: str, line: Line) -> str:
    while line.key() in AFTER_ID.get(name, set()) and line.key(1) is not None:
        line.at += 1
    if name is CommandName.SHOW and not trimmed([k for k in line.remaining_keys() if k not in DETAIL_WORDS]):
        return f"show {number}"
    if name is CommandName.UPDATE:
        return _status_change(number, line)
    return f"{name.value} {number} {line.rest()}".rstrip()


def _progress_words(keys: list[str]) -> bool:
    """Whether ``keys`` are only statuses (of one or two words) and percentages."""
    at = 0
    while at < len(keys):
        if _PERCENT.match(keys[at]) or status_from_word(keys[at]):
            at += 1
        elif at + 1 < len(keys) and status_from_word(keys[at] + keys[at + 1]):
            at += 2
        else:
            return False
    return bool(keys)


def _status_change(number: str, line: Line) -> str:
    """``update N <rest>``; a bare status or % asked as a question is asked back, not recorded."""
    keys = trimmed([k for k in line.remaining_keys() if k])
    if line.asks and _progress_words(keys):
        said = " ".join(keys)
        raise ParseError(
            f"Did you mean to record #{number} as {said} (`update {number} {said}`), or to see it (`show {number}`)?"
        )
    if _progress_words(keys):  # only statuses and percentages, perhaps with a "please": no note
        return f"update {number} {' '.join(keys)}"
    return f"update {number} {line.rest()}".rstrip()


def _ask_if_status_question(line: Line) -> None:
    """``done 12?``: record it, or see it? Asked, not recorded."""
    keys = [k for k in line.remaining_keys() if k]
    if line.asks and len(keys) >= 2 and is_id(keys[-1]) and _progress_words(keys[:-1]):
        said, number = " ".join(keys[:-1]), id_of(keys[-1])
        raise ParseError(
            f"Did you mean to record #{number} as {said} (`update {number} {said}`), or to see it (`show {number}`)?"
        )


def _verb_then_id(line: Line) -> str | None:
    """``mark 12 done``, ``set #12 to on track``, ``change the deadline of 12 to Friday …``, ``add a note to 12 …``."""
    verb = line.key()
    assert verb is not None
    name = VERBS[verb]
    offset, skipped = 1, set()
    while (key := line.key(offset)) is not None and key in BEFORE_ID and offset < 6:
        skipped.add(key)
        offset += 1
    if not is_id(line.key(offset)):
        return None
    if name is CommandName.UPDATE and DEADLINE_WORDS & skipped:
        name = CommandName.MOVE
    if name is not CommandName.NOTE and {"note", "comment"} & skipped:
        name = CommandName.NOTE
    number = id_of(line.key(offset))
    line.at += offset + 1
    if name is CommandName.UPDATE and line.key() in DEADLINE_WORDS:
        name = CommandName.MOVE
    if verb == "add" and name is CommandName.NOTE and not {"note", "comment"} & skipped:
        return None
    return _with_id(name, number, line)


def _two_ways_error(word: str, number: str) -> ParseError:
    first, second = (form.format(id=number) for form in TWO_WAYS[word])
    return ParseError(f"'{word}' could mean two things: did you mean `{first}` or `{second}`?")
