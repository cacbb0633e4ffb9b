"""Names run together in one cell, told apart by the names already known.

A lead-officer cell often holds several owners with nothing but a space between them: the line breaks
of a Word cell were lost, a PDF wrapped them, or the author typed them one after another
(``CMT Deb Poole``, ``Kevin Dicks Communications Team``). :func:`split_known` cuts such a piece into
the known names it is made of, and what is left over between them.

It is careful with job titles: a known name is never cut off a connecting word (``Head of
Communications Team`` stays whole), what is left over must itself read as a name (two words or more,
or initials such as ``LT``), and a bracketed part stays with the word before it
(``Director (Planning & Regeneration)``).
"""

from __future__ import annotations

import re
from collections.abc import Callable

CONNECTORS = frozenset({"of", "for", "and", "&", "the", "to", "in", "at", "with", "on", "-", "–", "de", "da", "van"})
MAX_WORDS = 24

_TOKEN = re.compile(r"\([^()]*\)|\S+")
_INITIALS = re.compile(r"^(?:[A-Z]\.?){2,4}$")

Segment = tuple[str, bool]  # the text, and whether it is a known name


def words_of(text: str) -> list[str]:
    """The piece's words, a bracketed part kept with the word before it."""
    words: list[str] = []
    for token in _TOKEN.findall(text):
        if token.startswith("(") and words:
            words[-1] += " " + token
        else:
            words.append(token)
    return words


def is_initials(word: str) -> bool:
    """``LT``, ``B.R.``: two to four capital letters, with or without full stops."""
    return bool(_INITIALS.match(word))


def split_known(piece: str, is_known: Callable[[str], bool]) -> list[Segment] | None:
    """The known names ``piece`` is made of, in order, with what is left over between them; ``None``
    when it is not a run of known names (nothing known in it, or a leftover that is no name)."""
    words = words_of(piece)
    if len(words) < 2 or len(words) > MAX_WORDS:
        return None
    best = _best(tuple(words), 0, _KnownSpans(words, is_known))
    if best is None:
        return None
    covered, segments = best
    if covered == 0 or len(segments) < 2:
        return None
    return list(segments)


class _KnownSpans:
    """Which spans of the words are known names, asked once each."""

    def __init__(self, words: list[str], is_known: Callable[[str], bool]) -> None:
        self.words, self.is_known = words, is_known
        self.cache: dict[tuple[int, int], bool] = {}

    def __call__(self, start: int, end: int) -> bool:
        if (start, end) not in self.cache:
            self.cache[(start, end)] = self.is_known(" ".join(self.words[start:end]))
        return self.cache[(start, end)]


Best = tuple[int, tuple[Segment, ...]]


def _best(words: tuple[str, ...], start: int, known: _KnownSpans, memo: dict[int, Best | None] | None = None) -> (
        Best | None):  # fmt: skip
    """The segmentation of ``words[start:]`` covering most words with known names, in fewest pieces."""
    memo = {} if memo is None else memo
    if start in memo:
        return memo[start]
    n = len(words)
    if start == n:
        return 0, ()
    candidates: list[Best] = []
    for end in range(n, start, -1):
        if known(start, end) and _may_cut(words, start, end):
            rest = _best(words, end, known, memo)
            if rest is not None:
                candidates.append((rest[0] + end - start, ((" ".join(words[start:end]), True), *rest[1])))
    for end in range(start + 1, n + 1):  # a leftover run, then a known name (or the end)
        leftover = words[start:end]
        if not _name_like(leftover):
            continue
        if end == n:
            candidates.append((0, ((" ".join(leftover), False),)))
            continue
        for after in range(n, end, -1):
            if known(end, after) and _may_cut(words, end, after):
                rest = _best(words, after, known, memo)
                if rest is not None:
                    segment = (" ".join(words[end:after]), True)
                    candidates.append((rest[0] + after - end, ((" ".join(leftover), False), segment, *rest[1])))
    best = max(candidates, key=lambda c: (c[0], -len(c[1])), default=None)
    memo[start] = best
    return best


def _may_cut(words: tuple[str, ...], start: int, end: int) -> bool:
    """A known name may be cut out here unless a connecting word ties it to its neighbours."""
    before = words[start - 1].lower() if start > 0 else ""
    after = words[end].lower() if end < len(words) else ""
    return before not in CONNECTORS and after not in CONNECTORS


def _name_like(words: tuple[str, ...]) -> bool:
    if not words or words[0].lower() in CONNECTORS or words[-1].lower() in CONNECTORS:
        return False
    return len(words) >= 2 or is_initials(words[0])
