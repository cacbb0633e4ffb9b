"""The plan as read from a file, before it touches the database, and the flags raised reading it."""

from __future__ import annotations

from dataclasses import dataclass, field

from bot.domain import Status, Timescale
from bot.importing.owners import OwnerCell
from bot.importing.tables import Where


@dataclass(frozen=True)
class Flag:
    """Something imported that a person should look at: where, what was written, and why."""

    where: Where
    written: str
    message: str
    topic: str  # "timescale", "owner", "status", "percent", "plan"

    def __str__(self) -> str:
        written = f' "{self.written}"' if self.written else ""
        return f"{self.where}:{written} {self.message}"


@dataclass(eq=False)
class PlannedAction:
    """An action as the file gives it; ``link`` is the action an "As 19 above" points to."""

    text: str
    where: Where
    owners: OwnerCell
    owners_where: Where
    timescale: Timescale
    timescale_where: Where
    status: Status | None = None
    percent: int | None = None
    note: str | None = None
    link: PlannedAction | None = None
    timescale_text: str = ""  # the timescale cell as stored, its lines kept (to pair with the owner cell's)
    member: str = ""  # the elected member or portfolio holder the plan names beside the officer


@dataclass(eq=False)
class PlannedRecommendation:
    """A recommendation as the file gives it; ``ref`` is as written, or its place when none is."""

    ref: str | None
    text: str
    section: str
    where: Where
    actions: list[PlannedAction] = field(default_factory=list)
    numbered: bool = True  # False when the file gives no reference and ``ref`` is its place
    from_row: bool = False  # a row across a table with no recommendation column: its actions follow


@dataclass(eq=False)
class PlannedReview:
    """A review's recommendations, in the file's order."""

    title: str
    recommendations: list[PlannedRecommendation] = field(default_factory=list)

    @property
    def actions(self) -> list[PlannedAction]:
        return [action for rec in self.recommendations for action in rec.actions]


@dataclass(frozen=True)
class Split:
    """An action split into one per line of its owner and timescale cells: where, its text, and the parts."""

    where: Where
    text: str
    parts: tuple[tuple[str, str], ...]  # (owners as written, timescale as written)

    def __str__(self) -> str:
        text = self.text if len(self.text) <= 60 else self.text[:59].rsplit(" ", 1)[0] + "…"
        parts = "; ".join(f"{owner} ({timescale})" for owner, timescale in self.parts)
        return f"{self.where}: \"{text}\" into {len(self.parts)} actions: {parts}"


@dataclass
class PlannedImport:
    """Everything read from one file: its reviews, the flags raised and notes on how it was read."""

    name: str
    reviews: list[PlannedReview]
    flags: list[Flag] = field(default_factory=list)
    notices: list[str] = field(default_factory=list)
    splits: list[Split] = field(default_factory=list)
