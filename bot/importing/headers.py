"""Finding a plan's header row by its wording, whatever the case, punctuation, order or small typos.

``Recommendation``, ``Response / Action``, ``Lead Officer(s)``, ``Owner``, ``Responsible``,
``Timescale``, ``Timetable``, ``Target date``, ``Deadline``, ``By when?``, ``Status``, ``% complete``…
each name a :class:`Column`; endnote and footnote markers (``Recommendation[i]``, ``Lead Officer²``,
``Timescale*``) are read as if absent. A row is the header when it names a recommendation or an action
column and at least one more of a plan's own (reference, owner, timescale, status); the first such row
among a table's first rows wins (title rows above it are skipped).

Two columns that could hold owners: the officer's is the owner, the elected member's or portfolio
holder's (``Cabinet Member``, ``Portfolio Holder``) is kept as the action's member. A recommendation
column headed ``Action`` beside a response headed ``Proposal``, ``Response`` or ``Proposed action``: the
first is the recommendation, the response the action. Every column left unused is named with what to do.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from difflib import get_close_matches
from enum import StrEnum

from bot.importing.normalise import match_key
from bot.importing.tables import Cell, Table

SCAN_ROWS = 15
MAX_HEADER_WORDS = 8


class Column(StrEnum):
    """What a column of a plan holds."""

    REVIEW = "review"
    SECTION = "section"
    REF = "ref"
    RECOMMENDATION = "recommendation"
    ACTION = "action"
    OWNER = "owner"
    MEMBER = "member"  # the elected member or portfolio holder beside the officer: kept, never an owner
    TIMESCALE = "timescale"
    DUE = "due date"
    STATUS = "status"
    RAG = "rag"
    PERCENT = "percent"
    NOTE = "note"
    IGNORED = "ignored"


def _names(column: Column, *names: str) -> dict[str, Column]:
    return dict.fromkeys(names, column)


EXACT: dict[str, Column] = {
    **_names(Column.REVIEW, "review", "review title"),
    **_names(Column.SECTION, "section", "theme", "area", "category", "priority area", "heading", "workstream"),
    **_names(
        Column.REF, "ref", "reference", "no", "number", "#", "item", "rec", "rec no", "rec ref", "ref no",
        "recommendation ref", "recommendation no", "recommendation number", "recommendation reference",
    ),
    **_names(
        Column.RECOMMENDATION, "recommendation", "recommendations", "key recommendation", "key recommendations",
        "peer recommendation", "peer challenge recommendation", "issue", "finding", "area for improvement",
        "what the peers said",
    ),
    **_names(
        Column.MEMBER, "cabinet member", "portfolio holder", "portfolio", "lead member", "lead councillor",
        "councillor", "cllr", "member", "members", "elected member", "portfolio holders", "cabinet portfolio",
        "lead cabinet member", "responsible member", "member lead",
    ),
    **_names(
        Column.ACTION, "action", "actions", "response", "response action", "proposed action", "agreed action",
        "agreed actions", "actions to be taken", "action to be taken", "what we will do", "council response",
        "management response", "activity", "task", "planned action", "action planned", "proposed response",
        "proposal", "proposals", "proposed actions", "our response", "councils response", "response to recommendation",
    ),
    **_names(
        Column.OWNER, "lead officer", "lead officers", "lead", "owner", "owners", "responsible", "responsible officer",
        "officer", "who", "by whom", "accountable", "responsibility", "action owner",
        "lead responsibility", "responsible person", "lead officer member", "lead officer / member",
    ),
    **_names(
        Column.TIMESCALE, "timescale", "timescales", "target date", "deadline", "by when", "when",
        "completion date", "target", "timeline", "target completion date", "date", "due", "due by",
        "target timescale", "milestone", "milestones", "timeframe", "time scale", "timetable", "time frame",
        "date for completion", "completion by", "target for completion", "implementation date",
    ),
    **_names(Column.DUE, "due date"),
    **_names(Column.STATUS, "status", "progress status", "current status", "rag status"),
    **_names(Column.RAG, "rag", "rag rating"),
    **_names(
        Column.PERCENT, "%", "% complete", "percent", "percent complete", "percentage", "percentage complete",
        "progress %", "% progress", "complete %",
    ),
    **_names(
        Column.NOTE, "progress", "commentary", "comments", "comment", "update", "progress update", "latest note",
        "notes", "note", "progress to date", "latest update", "progress commentary",
    ),
    **_names(Column.IGNORED, "action id", "original due date", "updated at", "days overdue", "last updated"),
}

_KEYWORDS: list[tuple[tuple[str, ...], Column]] = [
    (("%", "percent", "per cent"), Column.PERCENT),
    (("status",), Column.STATUS),
    (("overdue", "updated", "original"), Column.IGNORED),
    (("recommend",), Column.RECOMMENDATION),
    (("action id",), Column.IGNORED),
    (("action", "response"), Column.ACTION),
    (("lead officer", "officer", "owner", "responsib", "accountab"), Column.OWNER),
    (("member", "portfolio", "councillor", "cllr", "cabinet"), Column.MEMBER),
    (("lead",), Column.OWNER),
    (("due date",), Column.DUE),
    (("timescale", "deadline", "date", "when", "target", "timeline", "timeframe", "timetable"), Column.TIMESCALE),
    (("comment", "progress", "note", "update"), Column.NOTE),
]


_MARKERS = re.compile(r"\[(?:[ivxlc]{1,5}|\d{1,3}|[a-z])\]|[¹²³⁰⁴⁵⁶⁷⁸⁹*†‡§]+|\((?:[ivx]{1,4}|\d{1,2})\)\s*$")
_RESPONSE_WORDS = ("response", "proposal", "proposed", "what we will do", "agreed", "planned", "to be taken")


def header_text(header: str) -> str:
    """A header as written, without endnote or footnote markers: ``Lead Officer²`` → ``Lead Officer``."""
    return " ".join(_MARKERS.sub(" ", header).split())


def column_of(header: str) -> Column | None:
    """What a header cell names, or ``None`` when it names nothing a plan needs."""
    key = " ".join(re.sub(r"[_/&+\-]", " ", match_key(header_text(header))).split())
    key = key.replace(" s ", " ").removesuffix(" s")
    if not key or len(key.split()) > MAX_HEADER_WORDS:
        return None
    if key in EXACT:
        return EXACT[key]
    words = key.split()
    if "rag" in words:
        return Column.RAG
    if len(words) <= 3 and any(word in ("ref", "no", "number", "#") for word in words):
        return Column.REF
    for needles, column in _KEYWORDS:
        if any(needle in key for needle in needles):
            return column
    if len(words) <= 3:
        close = get_close_matches(key, list(EXACT), n=1, cutoff=0.8)
        if close:
            return EXACT[close[0]]
    return None


@dataclass
class Layout:
    """Where a table's header row is and which column holds what (by column index)."""

    header_row: int
    columns: dict[Column, int]
    headers: dict[int, str] = field(default_factory=dict)
    unused: list[str] = field(default_factory=list)

    def header(self, column: Column) -> str:
        index = self.columns.get(column)
        return self.headers.get(index, "") if index is not None else ""


_CORE = {Column.REF, Column.RECOMMENDATION, Column.ACTION, Column.OWNER, Column.TIMESCALE, Column.DUE, Column.STATUS}


def _row_layout(row: list[Cell], index: int) -> Layout | None:
    headers: dict[int, str] = {}
    found: list[tuple[int, Column]] = []
    unused: list[str] = []
    for position, cell in enumerate(row):
        if cell.blank or cell.span == 0:
            continue
        text = " ".join(cell.text.split())
        headers[position] = text
        column = column_of(text)
        if column is None:
            unused.append(f"column '{text}' not used: its contents are not imported (if they matter, head it "
                          "Progress to keep them as the action's note, or move them into the action text)")  # fmt: skip
        elif column is not Column.IGNORED:
            found.append((position, column))
    found = _settle(found, headers)
    columns: dict[Column, int] = {}
    for position, column in found:
        if column in columns:
            first = headers[columns[column]]
            unused.append(f"column '{headers[position]}' not used: '{first}' is read as the {column.value} column "
                          "(put both in one column to import both)")  # fmt: skip
        else:
            columns[column] = position
    if not ({Column.RECOMMENDATION, Column.ACTION} & columns.keys()) or len(_CORE & columns.keys()) < 2:
        return None
    if Column.TIMESCALE not in columns and Column.DUE in columns:
        columns[Column.TIMESCALE] = columns.pop(Column.DUE)
    if Column.STATUS not in columns and Column.RAG in columns:
        columns[Column.STATUS] = columns.pop(Column.RAG)
    columns.pop(Column.DUE, None)
    columns.pop(Column.RAG, None)
    return Layout(index, columns, headers, unused)


def _settle(found: list[tuple[int, Column]], headers: dict[int, str]) -> list[tuple[int, Column]]:
    """Settle columns that could each be one thing: two owner columns, a member column, two action columns."""
    kinds = [column for _, column in found]
    settled = list(found)
    owners = [i for i, (_, column) in enumerate(settled) if column is Column.OWNER]
    if len(owners) > 1:  # "Lead Officer" beside "Chief Officer / Cabinet Member": the member side is the member's
        for i in owners:
            if _mentions_member(headers[settled[i][0]]) and any(not _mentions_member(headers[settled[j][0]])
                                                               for j in owners if j != i):  # fmt: skip
                settled[i] = (settled[i][0], Column.MEMBER)
    if Column.OWNER not in [c for _, c in settled] and Column.MEMBER in kinds:  # members are the only owners named
        i = next(i for i, (_, c) in enumerate(settled) if c is Column.MEMBER)
        settled[i] = (settled[i][0], Column.OWNER)
    actions = [i for i, (_, column) in enumerate(settled) if column is Column.ACTION]
    if len(actions) > 1 and Column.RECOMMENDATION not in kinds:
        responses = [i for i in actions if _is_response(headers[settled[i][0]])]
        plain = [i for i in actions if i not in responses]
        if responses and plain:  # "Action" (what the peers asked) beside "Proposal" (what the council will do)
            settled[plain[0]] = (settled[plain[0]][0], Column.RECOMMENDATION)
            settled[responses[0]], settled[plain[0]] = settled[responses[0]], settled[plain[0]]
    return settled


def _mentions_member(header: str) -> bool:
    key = match_key(header_text(header))
    return any(word in key for word in ("member", "portfolio", "councillor", "cllr", "cabinet"))


def _is_response(header: str) -> bool:
    key = match_key(header_text(header))
    return any(word in key for word in _RESPONSE_WORDS)


def find_layout(table: Table) -> Layout | None:
    """The first row among the table's first rows that reads as a plan's header, or ``None``."""
    for index, row in enumerate(table.rows[:SCAN_ROWS]):
        layout = _row_layout(row, index)
        if layout is not None:
            return layout
    return None


def is_header_again(row: list[Cell], layout: Layout) -> bool:
    """A header row repeated further down (Word repeats it on every page when pasted)."""
    texts = {index: " ".join(cell.text.split()) for index, cell in enumerate(row) if not cell.blank}
    return bool(texts) and all(layout.headers.get(index) == text for index, text in texts.items())
