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
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from bot.commands import ALIASES, CommandName, ParseError, status_from_word
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
    OPEN_WORDS,
    PERSONAL_ENDINGS,
    PERSONAL_PHRASES,
    REVIEW_WORDS,
    TRAILING,
    TRAILING_PHRASES,
    TWO_WAYS,
    VERBS,
)

_ID = re.compile(r"^#?(\d+)$")
_PERCENT = re.compile(r"^-?\d+\s*%$")
_PUNCTUATION = "?!.,;:…"


@dataclass
class _Line:
    """The words of a line (as typed and as keys: lower case, outer punctuation off) and a cursor."""

    text: str
    spans: list[tuple[int, str]]
    keys: list[str]
    at: int = 0

    @classmethod
    def of(cls, text: str) -> _Line:
        spans = [(m.start(), m.group()) for m in re.finditer(r"\S+", text)]
        return cls(text, spans, [_key(word) for _, word in spans])

    def key(self, offset: int = 0) -> str | None:
        index = self.at + offset
        return self.keys[index] if index < len(self.keys) else None

    def starts(self, phrase: tuple[str, ...]) -> bool:
        return tuple(self.keys[self.at : self.at + len(phrase)]) == phrase

    def skip_phrases(self, phrases: tuple[tuple[str, ...], ...]) -> bool:
        for phrase in sorted(phrases, key=len, reverse=True):
            if self.starts(phrase):
                self.at += len(phrase)
                return True
        return False

    def rest(self) -> str:
        """The line from the cursor exactly as typed."""
        return self.text[self.spans[self.at][0] :].strip() if self.at < len(self.spans) else ""

    def remaining_keys(self) -> list[str]:
        return self.keys[self.at :]

    @property
    def asks(self) -> bool:
        return self.text.rstrip().endswith("?")


def _key(word: str) -> str:
    return word.lower().strip(_PUNCTUATION).strip("\"'()").replace("–", "-").replace("—", "-")


def _is_id(key: str | None) -> bool:
    return key is not None and _ID.match(key) is not None


def rewrite(text: str) -> str:
    """The line as the grammar's own form; raises :class:`ParseError` to ask about a word that reads two ways."""
    line = _Line.of(text)
    if not line.keys:
        return text
    if line.key() in ("/actions", "/actionbot"):
        line.at += 1
    if line.key() in ("is", "has", "was", "are", "how's", "hows") and _is_id(line.key(1)):
        return f"show {_id(line.key(1))}"  # a question about an action: show it
    personal = False
    while line.at < len(line.keys):
        if tuple(_trimmed(line.remaining_keys())) in HELP_SENTENCES:
            return "help"
        if line.key() in GREETINGS:
            line.at += 1
        elif line.skip_phrases(PERSONAL_PHRASES):
            personal = True
        elif not line.skip_phrases(LEADING_PHRASES) and not _look_verb(line):
            break
    return _command(line, personal) or line.rest() or ("mine" if personal else "help")


def _look_verb(line: _Line) -> bool:
    """``show``/``list`` before a list (``show overdue``, ``list my actions``), or ``action`` before a number."""
    about_one = any(_is_id(key) for key in line.remaining_keys()[1:7])  # "see the due date of 12": show 12
    if (line.key() in LOOK_VERBS and line.key(1) in LISTS and not about_one) or (
        line.key() in NOUNS and _is_id(line.key(1))
    ):
        line.at += 1
        return True
    return False


def _trimmed(keys: list[str]) -> list[str]:
    """``keys`` without closing courtesies (``overdue please`` → ``overdue``, ``12 done thank you``)."""
    end = len(keys)
    while end:
        if tuple(keys[end - 2 : end]) in TRAILING_PHRASES:
            end -= 2
        elif keys[end - 1] in TRAILING:
            end -= 1
        else:
            break
    return keys[:end]


def _command(line: _Line, personal: bool) -> str | None:
    """The canonical form of what is left, or ``None`` to leave the line to the grammar."""
    first = line.key()
    if first is None:
        return None
    if _is_id(first):
        return _number_first(line)
    if first in TWO_WAYS:
        raise _two_ways_error(first, next((_id(k) for k in line.remaining_keys()[1:4] if _is_id(k)), "42"))
    if first in VERBS and (found := _verb_then_id(line)) is not None:
        return found
    _ask_if_status_question(line)
    keys = line.remaining_keys()
    if status_from_word(first) or (len(keys) > 1 and status_from_word(keys[0] + keys[1])):
        return None  # "done 12", "on track 12": the grammar's own form
    if personal:
        return _personal(line)
    if first in ("overdue", "late") or (first in NOUNS and "overdue" in keys[:3]):
        return _overdue(line, mine=False)
    if first in ("due", "upcoming") or (first in NOUNS and "due" in keys[:3]) or line.starts(("coming", "up")):
        return _due(line, mine=False)
    if first in REVIEW_WORDS and set(_trimmed(keys)) <= REVIEW_WORDS | NOUNS | {"all", "the", "action"}:
        return "reviews"
    if first in ("help", "?") and not _trimmed(keys[1:]):
        return "help"
    return None


def _id(key: str | None) -> str:
    match = _ID.match(key or "")
    assert match is not None
    return match[1]


def _number_first(line: _Line) -> str:
    """``12`` → show; ``12 done``, ``#12 at risk 40%``, ``12 is 50%`` → update; ``12 note …`` → note 12 …"""
    number = _id(line.key())
    line.at += 1
    if not _trimmed([k for k in line.remaining_keys() if k not in DETAIL_WORDS]):
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


def _with_id(name: CommandName, number: str, line: _Line) -> str:
    while line.key() in AFTER_ID.get(name, set()) and line.key(1) is not None:
        line.at += 1
    if name is CommandName.SHOW and not _trimmed([k for k in line.remaining_keys() if k not in DETAIL_WORDS]):
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


def _status_change(number: str, line: _Line) -> str:
    """``update N <rest>``; a bare status or % asked as a question is asked back, not recorded."""
    keys = _trimmed([k for k in line.remaining_keys() if k])
    if line.asks and _progress_words(keys):
        said = " ".join(keys)
        raise ParseError(
            f"Did you mean to record #{number} as {said} (`update {number} {said}`), or to see it (`show {number}`)?"
        )
    if _progress_words(keys):  # only statuses and percentages, perhaps with a "please": no note
        return f"update {number} {' '.join(keys)}"
    return f"update {number} {line.rest()}".rstrip()


def _ask_if_status_question(line: _Line) -> None:
    """``done 12?``: record it, or see it? Asked, not recorded."""
    keys = [k for k in line.remaining_keys() if k]
    if line.asks and len(keys) >= 2 and _is_id(keys[-1]) and _progress_words(keys[:-1]):
        said, number = " ".join(keys[:-1]), _id(keys[-1])
        raise ParseError(
            f"Did you mean to record #{number} as {said} (`update {number} {said}`), or to see it (`show {number}`)?"
        )


def _trim_question(text: str) -> str:
    return text.rstrip(_PUNCTUATION).rstrip()


def _verb_then_id(line: _Line) -> str | None:
    """``mark 12 done``, ``set #12 to on track``, ``change the deadline of 12 to Friday …``, ``add a note to 12 …``."""
    verb = line.key()
    assert verb is not None
    name = VERBS[verb]
    offset, skipped = 1, set()
    while (key := line.key(offset)) is not None and key in BEFORE_ID and offset < 6:
        skipped.add(key)
        offset += 1
    if not _is_id(line.key(offset)):
        return None
    if name is CommandName.UPDATE and DEADLINE_WORDS & skipped:
        name = CommandName.MOVE
    if name is not CommandName.NOTE and {"note", "comment"} & skipped:
        name = CommandName.NOTE
    number = _id(line.key(offset))
    line.at += offset + 1
    if name is CommandName.UPDATE and line.key() in DEADLINE_WORDS:
        name = CommandName.MOVE
    if verb == "add" and name is CommandName.NOTE and not {"note", "comment"} & skipped:
        return None
    return _with_id(name, number, line)


def _two_ways_error(word: str, number: str) -> ParseError:
    first, second = (form.format(id=number) for form in TWO_WAYS[word])
    return ParseError(f"'{word}' could mean two things: did you mean `{first}` or `{second}`?")


def _personal(line: _Line) -> str:
    """``my actions`` → ``mine``; ``my overdue actions`` → ``overdue mine``; ``my actions due this week``."""
    keys = line.remaining_keys()
    if "overdue" in keys or "late" in keys:
        return _overdue(line, mine=True)
    if "due" in keys or "upcoming" in keys:
        return _due(line, mine=True)
    while line.key() in NOUNS | OPEN_WORDS | {"mine", "my", "all"}:
        line.at += 1
    return f"mine {_list_tail(line)}".rstrip()


def _skip_listing_words(line: _Line, *words: str) -> bool:
    """Skip the words around a list's name; whether one of them made it the asker's own (``overdue mine``)."""
    personal = False
    while line.key() in NOUNS | OPEN_WORDS | {"my", "mine", "are", "is", "that", "which", "all", *words}:
        personal = personal or line.key() in ("my", "mine")
        line.at += 1
    return personal


def _overdue(line: _Line, *, mine: bool) -> str:
    """``overdue``, ``late actions``, ``overdue for me``, ``overdue in <review>``, ``overdue for Deb Poole``."""
    if _skip_listing_words(line, "overdue", "late") | line.skip_phrases(PERSONAL_ENDINGS):
        mine = True
    if line.key() in ("in", "on", "from") and line.key(1) is not None:
        line.at += 1
    elif line.key() in ("for", "owned") and line.key(1) is not None:
        line.at += 2 if line.key(1) == "by" else 1
        name = _list_tail(line)
        return f"overdue {name if name.startswith(('@', '<@')) else '@' + name}"
    return f"overdue{' mine' if mine else ''} {_list_tail(line)}".rstrip()


def _due(line: _Line, *, mine: bool) -> str:
    """``due this week``, ``what's due this week?``, ``my actions due by Friday``, ``coming up``."""
    if line.starts(("coming", "up")):
        line.at += 2
    if _skip_listing_words(line, "due", "upcoming") | line.skip_phrases(PERSONAL_ENDINGS):
        mine = True
    return f"due{' mine' if mine else ''} {_list_tail(line)}".rstrip()


def _list_tail(line: _Line) -> str:
    """The rest of a list request as typed, without closing courtesies, list nouns or a question mark."""
    keys = line.remaining_keys()
    end = len(_trimmed(keys))
    while end and keys[end - 1] in NOUNS:
        end = len(_trimmed(keys[: end - 1]))
    if end == 0:
        return ""
    start = line.spans[line.at][0]
    last_start, last_word = line.spans[line.at + end - 1]
    return _trim_question(line.text[start : last_start + len(last_word)])
