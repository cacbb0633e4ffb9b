"""Text as it comes out of Word and Excel, made comparable: look-alike characters, bullets, numbering.

Two jobs, kept apart:

* :func:`clean_cell` tidies a cell for storing: stray bullets (``•``, Word's private-use ````,
  ``-``) and list numbering (``12.``, ``3:``, ``(a)``) at the start of each line go, odd spaces become
  plain ones, blank lines go. The words are kept as written.
* :func:`match_key` makes a key for comparing names: Unicode NFKC, then every character that only
  looks like a Latin one (a Cyrillic ``С``, a full-width ``Ｃ``) folded to that Latin character using
  Unicode's confusables data (the ``confusable_homoglyphs`` package), then case-folded, with
  punctuation and spacing evened out. ``"СМТ"`` and ``"CMT"`` get the same key.
"""

from __future__ import annotations

import re
import unicodedata
from functools import cache, lru_cache
from typing import Any

# Bullets as they survive a paste from Word: the Symbol/Wingdings private-use glyphs included.
_BULLETS = "•·‣◦▪▫■□●○◆◇►▸▹➢➤✓✔-–—*\uf0b7\uf0a7\uf076\uf0d8\uf0fc\uf0a8\uf06e\uf071"
_BULLET = re.compile(rf"^(?:[{re.escape(_BULLETS)}]|o(?=\t))\s*")
_NUMBERING = re.compile(
    r"^\(?(?:[A-Za-z]{0,2}\d{1,3}(?:\.\d{1,3})*[a-z]?|[a-z]|[ivx]{1,4})[.:)](?:\s+|(?=[A-Z]))",
)
_SPACES = re.compile(r"[ \t\u00a0\u2000-\u200a\u202f\u205f\u3000]+")
_INVISIBLE = re.compile(r"[\u200b-\u200d\u2060\ufeff\u00ad]")
# Every way a typed line break reaches us: Windows and old Mac line ends, Unicode's line and paragraph
# separators, and the vertical tab (and form feed) that Word's manual line break becomes when pasted into Excel.
_LINE_BREAKS = re.compile(r"\r\n|[\r\v\f\x85\u2028\u2029]")
_KEY_PUNCTUATION = re.compile(r"[^\w\s&/%#'+]")


def strip_marker(line: str) -> str:
    """One line without a leading bullet or list number: ``"12. Review"`` → ``"Review"``."""
    previous = None
    while previous != line:
        previous = line
        line = _BULLET.sub("", line).strip()
        line = _NUMBERING.sub("", line).strip()
    return line


def leading_number(text: str) -> tuple[str | None, str]:
    """Split a leading list number off: ``"12. Undertake…"`` → ``("12", "Undertake…")``."""
    match = _NUMBERING.match(text.strip())
    if not match:
        return None, text.strip()
    number = match.group(0).strip().strip("().:")
    return number, text.strip()[match.end() :].strip()


def tidy(text: str) -> str:
    """Odd spaces to plain ones, invisible characters removed, each line trimmed, blank lines dropped."""
    text = _INVISIBLE.sub("", unicodedata.normalize("NFC", text))
    text = _LINE_BREAKS.sub("\n", text)
    lines = (_SPACES.sub(" ", line).strip() for line in text.split("\n"))
    return "\n".join(line for line in lines if line)


@lru_cache(maxsize=16384)
def clean_cell(text: str, *, keep_numbering: bool = False) -> str:
    """A cell as it should be stored: tidied, with bullets (and list numbers) gone from each line."""
    lines = tidy(text).split("\n")
    if not keep_numbering:
        lines = [strip_marker(line) for line in lines]
    else:
        lines = [_BULLET.sub("", line).strip() for line in lines]
    return "\n".join(line for line in lines if line)


def one_line(text: str) -> str:
    """The cell on one line, whitespace collapsed."""
    return " ".join(text.split())


@cache
def _confusables() -> dict[str, Any]:
    from confusable_homoglyphs.confusables import confusables_data

    return dict(confusables_data)


@lru_cache(maxsize=8192)
def _latin(char: str) -> str:
    """The Latin (ASCII) character ``char`` looks like, or ``char`` itself when it looks like none."""
    if char.isascii():
        return char
    glyphs = [g["c"] for g in _confusables().get(char, []) if len(g["c"]) == 1 and g["c"].isascii()]
    if not glyphs:
        return char
    same_case = [g for g in glyphs if g.isalpha() and g.isupper() == char.isupper()]
    letters = [g for g in glyphs if g.isalpha()]
    return str((same_case or letters or glyphs)[0])


def fold(text: str) -> str:
    """NFKC, then look-alike characters folded to Latin ones; case and accents are kept."""
    text = unicodedata.normalize("NFKC", text)
    if text.isascii():
        return text
    return "".join(_latin(char) for char in text)


def has_lookalikes(text: str) -> bool:
    """Whether ``text`` uses non-Latin characters that merely look Latin (``"СМТ"``)."""
    normal = unicodedata.normalize("NFKC", text)
    return fold(normal) != normal and fold(normal).isascii()


@lru_cache(maxsize=16384)
def match_key(text: str) -> str:
    """A key to compare names by: folded, case-folded, accents and punctuation evened out."""
    folded = fold(tidy(text)).casefold()
    folded = "".join(_latin(char) for char in folded)  # lower-case forms that only fold after casefold
    decomposed = unicodedata.normalize("NFKD", folded)
    plain = "".join(char for char in decomposed if not unicodedata.combining(char))
    plain = plain.replace("’", "'").replace("‘", "'").replace(".", "")
    plain = _KEY_PUNCTUATION.sub(" ", plain)
    return " ".join(plain.split())
