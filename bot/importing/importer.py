"""Importing a file: read it (no database), then write it through one unit of work, or a caller's session.

The package's other modules do the work, in order: :mod:`~bot.importing.readers` (the file → tables),
:mod:`~bot.importing.plan_reader` (tables → the plan as read), :mod:`~bot.importing.upsert` (the plan →
the database). A dry run runs exactly the same code and rolls the transaction back.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from sqlmodel import Session

from bot.domain import Nation
from bot.importing.letter import read_letter
from bot.importing.model import PlannedImport
from bot.importing.plan_reader import read_plan
from bot.importing.readers import read_document
from bot.importing.report import ImportReport
from bot.importing.tables import ImportFailed, Problem, Where
from bot.importing.upsert import apply_plan
from bot.unit_of_work import Context, UnitOfWork

__all__ = ["ImportFailed", "ImportOptions", "ImportReport", "Problem", "Where", "import_file", "import_into", "read"]


@dataclass(frozen=True)
class ImportOptions:
    """What the person importing says about the file: the review it is, whose, and where."""

    review: str | None = None
    organisation: str | None = None
    nation: Nation | None = None
    dry_run: bool = False
    split: bool = True  # an action whose owner and timescale cells pair several lines becomes one per pair
    recommendations: bool = False  # the file is the peer team's report: headings and bullets, no table


def read(path: Path, review: str | None = None, *, split: bool = True, recommendations: bool = False) -> PlannedImport:
    """Read a plan from ``path`` without touching the database; raises :class:`ImportFailed`."""
    if recommendations:
        return read_letter(path, review)
    return read_plan(read_document(path), review, split=split)


def import_into(session: Session, path: Path, options: ImportOptions, *, now: datetime) -> ImportReport:
    """Import ``path`` through an open session; the caller's transaction commits it (or not)."""
    planned = read(path, options.review, split=options.split, recommendations=options.recommendations)
    return apply_plan(session, planned, now=now, organisation=options.organisation, nation=options.nation)


def import_file(uow: UnitOfWork, path: Path, options: ImportOptions) -> ImportReport:
    """Import ``path`` in one unit of work: all of it, or (on any failure, or a dry run) none of it.

    The file is read before the transaction opens; a write that races another is retried from a fresh read.
    """
    planned = read(path, options.review, split=options.split, recommendations=options.recommendations)

    def work(context: Context) -> ImportReport:
        report = apply_plan(
            context.session, planned, now=context.now, organisation=options.organisation, nation=options.nation
        )
        report.dry_run = options.dry_run
        return report

    return uow.run(work, dry_run=options.dry_run)
