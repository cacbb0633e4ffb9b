"""The summary printed after every import (and every dry run): counts, then every flagged item."""

from __future__ import annotations

from dataclasses import dataclass, field

from bot.importing.model import Flag


@dataclass
class Tally:
    """How many were created, updated and left as they were."""

    created: int = 0
    updated: int = 0
    unchanged: int = 0

    def line(self, dry_run: bool) -> str:
        made, changed = ("to create", "to update") if dry_run else ("created", "updated")
        return f"{self.created} {made}, {self.updated} {changed}, {self.unchanged} unchanged"


@dataclass
class ImportReport:
    """What an import did (or, for a dry run, would do)."""

    name: str
    dry_run: bool = False
    reviews: list[str] = field(default_factory=list)
    review_tally: Tally = field(default_factory=Tally)
    recommendation_tally: Tally = field(default_factory=Tally)
    action_tally: Tally = field(default_factory=Tally)
    owners_matched: int = 0
    owners_new: int = 0
    owners_flagged: int = 0
    timescales_parsed: int = 0
    timescales_flagged: int = 0
    flags: list[Flag] = field(default_factory=list)
    notices: list[str] = field(default_factory=list)
    kept: list[str] = field(default_factory=list)
    missing: list[str] = field(default_factory=list)
    split: list[str] = field(default_factory=list)

    @property
    def changed_anything(self) -> bool:
        tallies = (self.review_tally, self.recommendation_tally, self.action_tally)
        return any(t.created or t.updated for t in tallies) or self.owners_new > 0

    def lines(self) -> list[str]:
        """The summary as lines of text, flagged items listed with their table, row and column."""
        verb = "Dry run of" if self.dry_run else "Imported"
        titles = ", ".join(f"'{title}'" for title in self.reviews)
        out = [f"{verb} {self.name} into {titles}."]
        if self.dry_run:
            out.append("Nothing was written: this is what the import would do.")
        owners = f"{self.owners_matched} matched, {self.owners_new} new, {self.owners_flagged} flagged"
        timescales = f"{self.timescales_parsed} read, {self.timescales_flagged} flagged"
        out += [
            f"  reviews:          {self.review_tally.line(self.dry_run)}",
            f"  recommendations:  {self.recommendation_tally.line(self.dry_run)}",
            f"  actions:          {self.action_tally.line(self.dry_run)}",
            f"  owners:           {owners}",
            f"  timescales:       {timescales}",
        ]
        if self.split:
            out.append(f"Split ({len(self.split)}): one action per line of the owner and timescale cells "
                       "(import with --no-split to keep each whole)")  # fmt: skip
            out += [f"  {line}" for line in self.split]
        if self.flags:
            out.append(f"Flagged ({len(self.flags)}): check these in the plan")
            out += [f"  {flag}" for flag in self.flags]
        if self.kept:
            out.append(f"Kept as set in chat ({len(self.kept)}): the file says otherwise")
            out += [f"  {line}" for line in self.kept]
        if self.missing:
            out.append(f"In the plan but not in this file ({len(self.missing)}): left as they are")
            out += [f"  {line}" for line in self.missing]
        if self.notices:
            out.append("Notes:")
            out += [f"  {line}" for line in self.notices]
        return out
