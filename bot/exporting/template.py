"""The action-plan template: a review written out as a workbook for the directors to fill in.

``actionbot export --template`` writes, for each review, its recommendations and actions with the
Action, Lead Officer, Timescale and Status columns to fill in (what is already known is written in;
what is missing is shaded). Filled in and imported again (``actionbot import plan.xlsx``) it completes
the plan in place: the review is found by its title, each recommendation by its reference and each
action by its text, or its place when the text was rewritten, so nothing is duplicated.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import IO

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation
from sqlmodel import Session, col, select

from bot.domain import Status, TimescaleKind
from bot.exporting.rows import ExportRow
from bot.exporting.xlsx import HEADER_FILL
from store.models import Action

HEADERS = ("Section", "Ref", "Recommendation", "Action", "Lead Officer", "Timescale", "Status")
WIDTHS = (24, 7, 50, 50, 28, 20, 14)
MISSING_FILL = "FFFFF2CC"  # a pale yellow: fill this in
HEADER_ROW = 3


def timescale_kinds(session: Session, rows: Sequence[ExportRow]) -> dict[int, TimescaleKind]:
    """Each exported action's timescale kind, so that the template shades a timescale still to be given."""
    ids = [row.action_id for row in rows]
    kinds: dict[int, TimescaleKind] = {}
    for start in range(0, len(ids), 500):
        query = select(Action.id, Action.timescale_kind).where(col(Action.id).in_(ids[start : start + 500]))
        kinds.update({action_id or 0: TimescaleKind(kind) for action_id, kind in session.exec(query)})
    return kinds


def write_template(rows: Sequence[ExportRow], target: str | IO[bytes], *, kinds: dict[int, TimescaleKind]) -> None:
    """Write the template of ``rows`` (one sheet per review; a Review column when there are several).

    ``kinds`` gives each action's timescale kind, so a timescale still to be given is shaded."""
    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet.title = "Action plan"
    reviews = list(dict.fromkeys(row.review for row in rows))
    several = len(reviews) > 1
    if len(reviews) == 1:
        workbook.properties.title = reviews[0]  # an import of the filled-in file finds the review by it
    headers = (("Review",) if several else ()) + HEADERS
    title = reviews[0] if len(reviews) == 1 else "Action plans"
    sheet.cell(row=1, column=1, value=f"{title}: fill in the Lead Officer, Timescale and Status of each action, "
               "then import this file again (actionbot import).").font = Font(bold=True)  # fmt: skip
    for column, label in enumerate(headers, start=1):
        cell = sheet.cell(row=HEADER_ROW, column=column, value=label)
        cell.font = Font(bold=True, color="FFFFFFFF")
        cell.fill = PatternFill("solid", fgColor=HEADER_FILL)
    for index, row in enumerate(rows, start=HEADER_ROW + 1):
        values = [row.section, row.recommendation_ref, row.recommendation, row.action, row.owners, row.timescale,
                  row.status.label]  # fmt: skip
        if several:
            values.insert(0, row.review)
        for column, value in enumerate(values, start=1):
            cell = sheet.cell(row=index, column=column, value=value)
            cell.data_type = "s"
            cell.alignment = Alignment(wrap_text=True, vertical="top")
        offset = 1 if several else 0
        missing = {5: not row.owners, 6: kinds.get(row.action_id) is TimescaleKind.UNKNOWN and row.due_date is None}
        for column, empty in missing.items():
            if empty and not row.status.is_closed:
                sheet.cell(row=index, column=column + offset).fill = PatternFill("solid", fgColor=MISSING_FILL)
    statuses = DataValidation(type="list", formula1='"' + ",".join(s.label for s in Status) + '"', allow_blank=True)
    status_column = get_column_letter(len(headers))
    statuses.add(f"{status_column}{HEADER_ROW + 1}:{status_column}{max(HEADER_ROW + 1, HEADER_ROW + len(rows))}")
    sheet.add_data_validation(statuses)
    for column, width in enumerate(((30,) if several else ()) + WIDTHS, start=1):
        sheet.column_dimensions[get_column_letter(column)].width = width
    sheet.freeze_panes = f"A{HEADER_ROW + 1}"
    workbook.save(target)
