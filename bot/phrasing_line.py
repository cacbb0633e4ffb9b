"""A line of chat as :mod:`bot.phrasing` reads it: its words as typed and as keys, and a cursor.

Keys are the words in lower case without outer punctuation or quotes, so ``#12,`` and ``12`` read alike;
:meth:`Line.rest` gives back the line from the cursor exactly as typed (a note keeps its capitals).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from bot.phrasing_words import TRAILING, TRAILING_PHRASES

_ID = re.compile(r"^#?(\d+)$")
PUNCTUATION = "?!.,;:…"


@dataclass
class Line:
    """The words of a line (as typed and as keys: lower case, outer punctuation off) and a cursor."""

    text: str
    spans: list[tuple[int, str]]
    keys: list[str]
    at: int = 0

    @classmethod
    def of(cls, text: str) -> Line:
        spans = [(m.start(), m.group()) for m in re.finditer(r"\S+", text)]
        return cls(text, spans, [key_of(word) for _, word in spans])

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


def key_of(word: str) -> str:
    return word.lower().strip(PUNCTUATION).strip("\"'()").replace("–", "-").replace("—", "-")


def is_id(key: str | None) -> bool:
    return key is not None and _ID.match(key) is not None


def id_of(key: str | None) -> str:
    match = _ID.match(key or "")
    assert match is not None
    return match[1]


def trimmed(keys: list[str]) -> list[str]:
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


def trim_question(text: str) -> str:
    return text.rstrip(PUNCTUATION).rstrip()
