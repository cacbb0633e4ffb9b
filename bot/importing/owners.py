"""Lead-officer cells read into owners: split, tidied, told apart as people or groups, compared.

Real cells: ``Kevin Dicks / Communications Team``, ``Leaders / Kevin Dicks``, ``Deb Poole / CMT``,
``Jayne Pickering / HOS``, ``Chief Executive, Group Leaders``, ``As 19 above``, and job titles with
commas in them (``Director of Law, Property and Governance``).

* A cell is split on ``/``, ``,``, ``;``, ``&``, ``+``, `` and `` and new lines (never inside brackets:
  ``Director (Planning & Regeneration)`` is one owner); pieces are joined back
  when together they are a name already known (``Constitution and Ethics Committee``), when a lone
  word finishes a job title (``Director of Law, Property and Governance``; ``Executive Director,
  CFA``) or a lone word starts a team's name (``Health & Wellbeing Board``).
* A piece that is not itself a known name but reads as known names run together (``CMT Deb Poole``)
  is cut into them (:mod:`bot.importing.segment`); what is left over is marked, to be flagged.
* ``Deb Poole Deb Poole`` is one owner; the same owner twice in a cell counts once.
* Known groups (CMT, SMT, Leaders, Group Leaders, Portfolio Holders, HoS, Cabinet, the
  Communications Team…) and names ending in Team, Board, Committee… are groups; the rest are people.
  Short initials (``LT``, ``BR``) are people, marked to be linked to a full name.
* Names are compared by :func:`owner_key` (look-alike characters folded, so a Cyrillic ``СМТ`` is
  ``CMT``); :func:`near_misses` finds existing names a new one is probably a typo of.
* A cell that reads like a sentence rather than names is reported, not turned into people.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from difflib import get_close_matches
from functools import lru_cache

from bot.importing.normalise import clean_cell, fold, has_lookalikes, match_key, one_line
from bot.importing.owner_words import GROUP_ALIASES, GROUP_SUFFIXES, TITLE_WORDS
from bot.importing.segment import is_initials, split_known

MAX_NAME_WORDS = 6
GROUP_LETTERS = frozenset("TBGCPFU")  # Team, Board, Group, Committee, Partnership/Panel, Forum, Unit
NEAR_MISS_CUTOFF = 0.85

_SEPARATOR = re.compile(r"(\s*(?:/|\\|,|;|&|\+|\n|\band\b)\s*)", re.IGNORECASE)
_TRAILING_NOTE = re.compile(r"\s*\((?:[^()]*)\)\s*$")
_BRACKETED = re.compile(r"\([^()]*\)")
_MASK = {"/": "\ue000", "\\": "\ue001", ",": "\ue002", ";": "\ue003", "&": "\ue004", "+": "\ue005", "\n": "\ue006"}
_UNMASK = {masked: plain for plain, masked in _MASK.items()}
_SAME_AS = re.compile(
    r"^(?:as|same as|see)\s+(?:per\s+)?(?:(?:rec(?:ommendation)?|action|item|no)\.?\s*)?"
    r"([a-z]{0,3}\s?\d{1,3}(?:\.\d{1,3})*[a-z]?)\s*(?:above|below)?$"
)
_AS_ABOVE = re.compile(r"^(?:as|same as|see)\s+(?:per\s+)?above$")


@dataclass(frozen=True)
class OwnerName:
    """One owner as read from a cell: the name to use, its key, and whether it looks like a group."""

    written: str
    name: str
    key: str
    looks_like_group: bool
    lookalikes: bool = False
    initials: bool = False  # "LT": a person to be linked to a full name
    leftover_of: str | None = None  # the piece this was cut from, beside known names: to be checked


@dataclass(frozen=True)
class OwnerCell:
    """A lead-officer cell: its owners in order (lead first), or a "same as", or why it could not be read."""

    written: str
    names: tuple[OwnerName, ...] = ()
    same_as: str | None = None
    unreadable: str | None = None
    text: str = ""  # the cell as stored, its line breaks kept: read again once the plan's names are known


def owner_key(name: str) -> str:
    """The key names are compared by: ``"СМТ"``, ``"cmt"`` and ``"C.M.T."`` all give ``"cmt"``."""
    return match_key(name)


def group_name(key: str) -> str | None:
    """The canonical name of a known group (``"hos"`` → ``"Heads of Service"``), or ``None``."""
    return GROUP_ALIASES.get(key)


def read_owners(text: str, known: Mapping[str, str] | None = None) -> OwnerCell:
    """Read a lead-officer cell. ``known`` maps keys of names already in the plan to those names."""
    return _read_alone(text) if not known else _read(text, known)


@lru_cache(maxsize=4096)
def _read_alone(text: str) -> OwnerCell:
    return _read(text, {})


def _read(text: str, known: Mapping[str, str]) -> OwnerCell:
    cleaned = clean_cell(text)
    written = one_line(cleaned)
    if not owner_key(written):
        return OwnerCell(written)
    lowered = " ".join(fold(written).casefold().replace(",", " ").split()).rstrip(".")
    if _AS_ABOVE.match(lowered):
        from bot.importing.timescales import ABOVE  # the dates' grammar: loaded by imports, not by serve

        return OwnerCell(written, same_as=ABOVE)
    if match := _SAME_AS.match(lowered):
        return OwnerCell(written, same_as=match[1].replace(" ", "").upper())
    names: list[OwnerName] = []
    for piece in split_pieces(text, known):
        for name, leftover_of in _segments(_tidy_name(piece), known):
            if len(name.split()) > MAX_NAME_WORDS:
                why = f"'{_short(name)}' does not read as a name, a job title or a team"
                return OwnerCell(written, unreadable=why, text=cleaned)
            owner = _owner(name, known, leftover_of)
            if owner.key not in {n.key for n in names}:
                names.append(owner)
    return OwnerCell(written, tuple(names), text=cleaned)


def split_pieces(text: str, known: Mapping[str, str] | None = None) -> list[str]:
    """A cell cut at its separators (never inside brackets), pieces joined back into known names and titles."""
    masked = _BRACKETED.sub(lambda m: "".join(_MASK.get(c, c) for c in m[0]), clean_cell(text))
    parts = [_unmask(part) for part in _SEPARATOR.split(masked)]
    return _join_back(parts, known or {})


def is_known(text: str, known: Mapping[str, str]) -> bool:
    """Whether ``text`` is a name already known, or a group councils write."""
    key = owner_key(text)
    return key in known or group_name(key) is not None


def _unmask(text: str) -> str:
    return "".join(_UNMASK.get(c, c) for c in text)


def plan_names(cells: Iterable[str], known: Mapping[str, str]) -> dict[str, str]:
    """Key → name for the names a plan writes on their own, to cut run-together cells by.

    Shorter names are taken first; a piece that is itself known names run together is not one.
    """
    pieces: dict[str, str] = {}
    for text in cells:
        for piece in split_pieces(text, known):
            name = _tidy_name(piece)
            key = owner_key(name)
            if key and key not in known and len(name.split()) <= MAX_NAME_WORDS:
                pieces.setdefault(key, name)
    found: dict[str, str] = {}
    both = _Both(known, found)
    for key, name in sorted(pieces.items(), key=lambda item: len(item[1].split())):
        if group_name(key) is None and split_known(name, lambda text: is_known(text, both)) is None:
            found[key] = name
    return found


class _Both(Mapping[str, str]):
    """Two mappings read as one, without copying."""

    def __init__(self, first: Mapping[str, str], second: Mapping[str, str]) -> None:
        self.first, self.second = first, second

    def __getitem__(self, key: str) -> str:
        return self.first[key] if key in self.first else self.second[key]

    def __contains__(self, key: object) -> bool:
        return key in self.first or key in self.second

    def __iter__(self) -> Iterator[str]:
        yield from self.first
        yield from (key for key in self.second if key not in self.first)

    def __len__(self) -> int:
        return len(self.first) + sum(1 for key in self.second if key not in self.first)


def both(first: Mapping[str, str], second: Mapping[str, str]) -> Mapping[str, str]:
    """``first`` and ``second`` read as one mapping (``first`` wins)."""
    return _Both(first, second)


def _segments(name: str, known: Mapping[str, str]) -> list[tuple[str, str | None]]:
    """A piece, or the known names run together in it (each with the piece it came from when left over)."""
    if not name or is_known(name, known):
        return [(name, None)] if name else []
    segments = split_known(name, lambda text: is_known(text, known))
    if segments is None:
        return [(name, None)]
    return [(_tidy_name(text), None if found else name) for text, found in segments]


def near_misses(key: str, candidates: Mapping[str, str], limit: int = 3) -> list[str]:
    """Names in ``candidates`` (key → name) that ``key`` is probably a typo of, best first."""
    close = get_close_matches(key, [k for k in candidates if k != key], n=limit, cutoff=NEAR_MISS_CUTOFF)
    return [candidates[k] for k in close]


def _short(text: str, limit: int = 60) -> str:
    return text if len(text) <= limit else text[: limit - 1].rsplit(" ", 1)[0] + "…"


def _owner(name: str, known: Mapping[str, str], leftover_of: str | None = None) -> OwnerName:
    key = owner_key(name)
    alias = group_name(key)
    lookalikes = has_lookalikes(name)
    if key in known:
        group = alias is not None or _group_like(known[key])
        return OwnerName(name, known[key], key, group, lookalikes, not group and is_initials(known[key]))
    if alias is not None:
        return OwnerName(name, alias, owner_key(alias), True, lookalikes)
    display = fold(name) if lookalikes else name
    group = _group_like(display)
    initials = not group and is_initials(display)
    return OwnerName(name, display, key, group, lookalikes, initials, leftover_of)


def _group_like(name: str) -> bool:
    """Named like a group: ending in Team, Board…, or an acronym such as ``DMT`` (but ``LT`` is initials)."""
    words = name.split()
    if not words:
        return False
    word = words[0].replace(".", "")
    if len(words) == 1 and word.isupper() and word.isalpha() and 2 <= len(word) <= 6:
        return len(word) >= 4 or (len(word) == 3 and word[-1] in GROUP_LETTERS)
    return words[-1].lower() in GROUP_SUFFIXES


def _tidy_name(piece: str) -> str:
    before_note = _TRAILING_NOTE.sub("", piece)
    name = (before_note if not _is_title(before_note) else piece).strip(" .,;:'\"“”‘’-")
    words = name.split()
    half = len(words) // 2
    if half and len(words) % 2 == 0 and [w.lower() for w in words[:half]] == [w.lower() for w in words[half:]]:
        name = " ".join(words[:half])  # "Deb Poole Deb Poole": one owner written twice
    return name


def _is_title(text: str) -> bool:
    return any(word.lower().strip(",.") in TITLE_WORDS for word in text.split())


def _lone_word(text: str, known: Mapping[str, str]) -> bool:
    key = owner_key(text)
    return len(text.split()) == 1 and key not in known and group_name(key) is None and not _is_title(text)


def _join_back(parts: list[str], known: Mapping[str, str]) -> list[str]:
    """Rejoin split pieces into names: known names, job titles with commas, "X and Y Committee"."""
    fragments = parts[0::2]
    separators = parts[1::2] + [""]
    joined: list[str] = []
    index = 0
    while index < len(fragments):
        span = _known_span(fragments, separators, index, known)
        text = _glue(fragments, separators, index, span)
        fragment = fragments[index].strip()
        separator = separators[index - 1].strip().lower() if index else ""
        if span == 1 and joined and fragment and separator in (",", "and", "&"):
            previous = joined[-1]
            bare_title = _is_title(previous) and len(previous.split()) == 1
            if (_is_title(previous) and _lone_word(fragment, known)) or (bare_title and not _is_title(fragment)):
                joined[-1] = previous + separators[index - 1].rstrip() + " " + fragment
                index += 1
                continue
        following = fragments[index + 1].strip() if index + 1 < len(fragments) else ""
        if (
            span == 1
            and separators[index].strip().lower() in ("and", "&")
            and _lone_word(fragment, known)
            and following.split()
            and following.split()[-1].lower() in GROUP_SUFFIXES
        ):
            text = _glue(fragments, separators, index, 2)
            span = 2
        joined.append(text.strip())
        index += span
    return [piece for piece in joined if piece]


def _known_span(fragments: list[str], separators: list[str], start: int, known: Mapping[str, str]) -> int:
    """How many fragments from ``start`` together make a name already known (1 when none do)."""
    for span in range(min(4, len(fragments) - start), 1, -1):
        if any("\n" in separator for separator in separators[start : start + span - 1]):
            continue  # a typed line break always separates owners
        if owner_key(_glue(fragments, separators, start, span)) in known:
            return span
    return 1


def _glue(fragments: list[str], separators: list[str], start: int, span: int) -> str:
    text = fragments[start]
    for offset in range(1, span):
        text += separators[start + offset - 1] + fragments[start + offset]
    return text


def known_names(names: Iterable[str]) -> dict[str, str]:
    """Key → name for names already in the plan (people and groups)."""
    return {owner_key(name): name for name in names}
