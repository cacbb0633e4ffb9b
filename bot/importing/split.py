"""One cell, several owners and several dates, line by line: an action split into one per line pair.

Plans pair lines across cells: an owner cell of three lines beside a timescale cell of three lines
means three owners with three deadlines. When both cells hold the same number (more than one) of
entries, the action becomes one action per pair, with the same text and recommendation. A line that
only continues the one before (``Deb Poole /`` then ``CMT``; ``September 2018`` then ``and ongoing``)
is part of it, not an entry of its own. When the counts differ, the action stays whole and is flagged.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import replace

from bot.importing.model import Flag, PlannedAction, Split
from bot.importing.owners import read_owners
from bot.importing.timescales import read_timescale

_OWNER_JOIN_AFTER = re.compile(r"(?:/|\\|,|;|&|\+|\band)\s*$", re.IGNORECASE)
_OWNER_JOIN_BEFORE = re.compile(r"^\s*(?:/|\\|,|;|&|\+|and\b)", re.IGNORECASE)
_TIMESCALE_JOIN_BEFORE = re.compile(
    r"^\s*(?:and|then|&|to|until|till|-|–|—|onwards?|thereafter|ongoing|with)\b|^\s*[-–—(]", re.IGNORECASE
)


def owner_entries(text: str) -> list[str]:
    """The owner cell's lines, a line that ends or starts with a separator joined to its neighbour."""
    def joins(before: str, line: str) -> bool:
        return bool(_OWNER_JOIN_AFTER.search(before) or _OWNER_JOIN_BEFORE.match(line))

    return _entries(text, joins)


def timescale_entries(text: str) -> list[str]:
    """The timescale cell's lines, a line that only carries on the one before (``and ongoing``) joined to it."""
    return _entries(text, lambda _before, line: bool(_TIMESCALE_JOIN_BEFORE.match(line)))


def _entries(text: str, joins: Callable[[str, str], bool]) -> list[str]:
    entries: list[str] = []
    for line in (line.strip() for line in text.split("\n")):
        if not line:
            continue
        if entries and joins(entries[-1], line):
            entries[-1] = f"{entries[-1]} {line}"
        else:
            entries.append(line)
    return entries


def split_action(action: PlannedAction) -> tuple[list[PlannedAction], Split | None, Flag | None]:
    """The action as one per owner and timescale line pair, or itself (with a flag when the counts differ)."""
    if action.owners.same_as is not None or action.owners.unreadable is not None:
        return [action], None, None
    owners, timescales = owner_entries(action.owners.text), timescale_entries(action.timescale_text)
    if len(owners) < 2 or len(timescales) < 2:
        return [action], None, None
    if len(owners) != len(timescales):
        message = (
            f"{len(owners)} owners on separate lines but {len(timescales)} timescales: not split into one action "
            "per owner; write one owner and one timescale per line, or split the action by hand"
        )
        return [action], None, Flag(action.owners_where, action.owners.written, message, "plan")
    cells = [read_owners(owner) for owner in owners]
    if any(not cell.names or cell.same_as or cell.unreadable for cell in cells):
        return [action], None, None
    parts = [
        replace(action, owners=cell, timescale=read_timescale(timescale), timescale_text=timescale, link=None)
        for cell, timescale in zip(cells, timescales, strict=True)
    ]
    return parts, Split(action.where, action.text, tuple(zip(owners, timescales, strict=True))), None
