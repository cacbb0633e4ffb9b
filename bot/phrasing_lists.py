"""List requests in people's words: ``my actions``, ``what's overdue?``, ``late actions for Deb Poole``,
``my actions due by Friday``, ``coming up``, brought to ``mine``, ``overdue …`` and ``due …``.

Used by :func:`bot.phrasing.rewrite` once it has read past greetings and question words.
"""

from __future__ import annotations

from bot.phrasing_line import Line, trim_question, trimmed
from bot.phrasing_words import NOUNS, OPEN_WORDS, PERSONAL_ENDINGS


def personal_list(line: Line) -> str:
    """``my actions`` → ``mine``; ``my overdue actions`` → ``overdue mine``; ``my actions due this week``."""
    keys = line.remaining_keys()
    if "overdue" in keys or "late" in keys:
        return overdue_list(line, mine=True)
    if "due" in keys or "upcoming" in keys:
        return due_list(line, mine=True)
    while line.key() in NOUNS | OPEN_WORDS | {"mine", "my", "all"}:
        line.at += 1
    return f"mine {_list_tail(line)}".rstrip()


def _skip_listing_words(line: Line, *words: str) -> bool:
    """Skip the words around a list's name; whether one of them made it the asker's own (``overdue mine``)."""
    personal = False
    while line.key() in NOUNS | OPEN_WORDS | {"my", "mine", "are", "is", "that", "which", "all", *words}:
        personal = personal or line.key() in ("my", "mine")
        line.at += 1
    return personal


def overdue_list(line: Line, *, mine: bool) -> str:
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


def due_list(line: Line, *, mine: bool) -> str:
    """``due this week``, ``what's due this week?``, ``my actions due by Friday``, ``coming up``."""
    if line.starts(("coming", "up")):
        line.at += 2
    if _skip_listing_words(line, "due", "upcoming") | line.skip_phrases(PERSONAL_ENDINGS):
        mine = True
    return f"due{' mine' if mine else ''} {_list_tail(line)}".rstrip()


def _list_tail(line: Line) -> str:
    """The rest of a list request as typed, without closing courtesies, list nouns or a question mark."""
    keys = line.remaining_keys()
    end = len(trimmed(keys))
    while end and keys[end - 1] in NOUNS:
        end = len(trimmed(keys[: end - 1]))
    if end == 0:
        return ""
    start = line.spans[line.at][0]
    last_start, last_word = line.spans[line.at + end - 1]
    return trim_question(line.text[start : last_start + len(last_word)])
