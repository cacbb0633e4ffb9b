"""Importing action plans from Word (.docx), Excel (.xlsx) and CSV files.

The steps, each in its own module:

1. :mod:`~bot.importing.readers`: the file → tables of cells (nothing is written);
2. :mod:`~bot.importing.headers` and :mod:`~bot.importing.rows`: tables → the plan as read
   (:class:`~bot.importing.model.PlannedImport`), with flags; an unusable file raises
   :class:`~bot.importing.tables.ImportFailed` listing every problem with its table, row and column;
3. :mod:`~bot.importing.upsert`: the plan → the database, in one transaction, with a
   :class:`~bot.importing.report.ImportReport`.

A dry run runs exactly the same code and rolls the transaction back, so it can never disagree with
the real run.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from sqlmodel import Session

from bot.domain import Nation
from bot.importing.model import PlannedImport
from bot.importing.readers import read_document
from bot.importing.report import ImportReport
from bot.importing.rows import read_plan
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


def read(path: Path, review: str | None = None) -> PlannedImport:
    """Read a plan from ``path`` without touching the database; raises :class:`ImportFailed`."""
    return read_plan(read_document(path), review)


def import_into(session: Session, path: Path, options: ImportOptions, *, now: datetime) -> ImportReport:
    """Import ``path`` through an open session; the caller's transaction commits it (or not)."""
    planned = read(path, options.review)
    return apply_plan(session, planned, now=now, organisation=options.organisation, nation=options.nation)


def import_file(uow: UnitOfWork, path: Path, options: ImportOptions) -> ImportReport:
    """Import ``path`` in one unit of work: all of it, or (on any failure, or a dry run) none of it.

    The file is read before the transaction opens; a write that races another is retried from a fresh read.
    """
    planned = read(path, options.review)

    def work(context: Context) -> ImportReport:
        report = apply_plan(
            context.session, planned, now=context.now, organisation=options.organisation, nation=options.nation
        )
        report.dry_run = options.dry_run
        return report

    return uow.run(work, dry_run=options.dry_run)
