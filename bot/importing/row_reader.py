"""One data row of a plan table, read against its layout: its recommendation, its action, its progress.

:mod:`bot.importing.plan_reader` walks a document's tables and hands each data row to a
:class:`RowReader`, which reads it against what the plan holds so far (:class:`PlanSoFar`).
"""

from __future__ import annotations

from typing import Protocol

from bot import progress
from bot.domain import Status, TimescaleKind
from bot.importing.headers import Column, Layout
from bot.importing.model import PlannedAction, PlannedRecommendation, PlannedReview
from bot.importing.normalise import clean_cell, match_key, one_line
from bot.importing.owners import OwnerCell, read_owners
from bot.importing.tables import Cell, Problem, Table, Where
from bot.importing.timescales import read_timescale
from bot.importing.values import MAX_REF, normal_ref, read_percent, read_status, split_ref


class PlanSoFar(Protocol):
    """What a row is read against: the plan read so far, and where to put what the row adds.

    :class:`bot.importing.plan_reader.PlanReader` is one; rows change its current section,
    recommendation and action as a reader of the table would.
    """

    fixed_title: str | None
    title: str
    section: str
    rec: PlannedRecommendation | None
    action: PlannedAction | None
    row_rec: PlannedRecommendation | None
    problems: list[Problem]

    def review(self) -> PlannedReview: ...

    def new_rec(self, ref: str | None, text: str, where: Where) -> PlannedRecommendation: ...

    def rec_by_ref(self, ref: str) -> PlannedRecommendation | None: ...

    def flag(self, where: Where, written: str, message: str, topic: str) -> None: ...

_DETAIL = (Column.OWNER, Column.TIMESCALE, Column.STATUS, Column.PERCENT, Column.NOTE)


class RowReader:
    """One data row of a plan table, read against its layout."""

    def __init__(self, reader: PlanSoFar, table: Table, layout: Layout, index: int) -> None:
        self.reader, self.table, self.layout, self.index = reader, table, layout, index
        self.row = table.rows[index]

    def cell(self, column: Column) -> Cell | None:
        position = self.layout.columns.get(column)
        return self.row[position] if position is not None and position < len(self.row) else None

    def text(self, column: Column, *, numbered: bool = False) -> str:
        cell = self.cell(column)
        return clean_cell(cell.text, keep_numbering=numbered) if cell is not None and cell.text else ""

    def at(self, column: Column | None = None) -> Where:
        position = self.layout.columns.get(column) if column else None
        return self.table.where(self.index, position, self.layout.header(column) if column else "")

    def read(self) -> None:
        reader = self.reader
        if reader.fixed_title is None and (title := one_line(self.text(Column.REVIEW))):
            reader.title = title
        if section := one_line(self.text(Column.SECTION)):
            reader.section = section[:300]
        rec = self._recommendation()
        if rec is None:
            return
        action_text = self.text(Column.ACTION)
        has_detail = any(self.text(column) for column in _DETAIL)
        if Column.ACTION not in self.layout.columns:
            action_text = rec.text if (self.text(Column.RECOMMENDATION) or has_detail) else ""
        if not action_text:
            if not has_detail:
                return  # a row that only starts a recommendation: its actions follow
            action_text = rec.text
            reader.flag(self.at(Column.ACTION), "", "no action text: the recommendation's text is used", "plan")
        cell = self.cell(Column.ACTION)
        previous = reader.action
        if cell is not None and cell.continued and previous is not None and previous in rec.actions:
            self._merge_into(previous)
            return
        action = PlannedAction(
            text=action_text,
            where=self.at(Column.ACTION),
            owners=read_owners(self.text(Column.OWNER)),
            owners_where=self.at(Column.OWNER),
            timescale=read_timescale(self.text(Column.TIMESCALE)),
            timescale_where=self.at(Column.TIMESCALE),
            note=self.text(Column.NOTE) or None,
            timescale_text=self.text(Column.TIMESCALE),
            member=one_line(self.text(Column.MEMBER))[:300],
        )
        self._progress(action)
        rec.actions.append(action)
        reader.action = action

    def _recommendation(self) -> PlannedRecommendation | None:
        reader, columns = self.reader, self.layout.columns
        written_ref = one_line(self.text(Column.REF))
        ref = normal_ref(written_ref) if written_ref else None
        if written_ref and ref is None:
            if len(written_ref) > MAX_REF:
                reader.problems.append(Problem(self.at(Column.REF), f"'{written_ref[:40]}…' is not a reference"))
                return None
            ref = written_ref
        cell = self.cell(Column.RECOMMENDATION)
        own_ref, text = split_ref(self.text(Column.RECOMMENDATION, numbered=True))
        ref = ref or own_ref
        continued = cell is not None and cell.continued
        current = reader.rec if reader.rec in reader.review().recommendations else None
        if ref:
            rec = reader.rec_by_ref(ref)
            if rec is None:
                rec = reader.new_rec(ref, text, self.at(Column.RECOMMENDATION))
            elif text and rec.text and match_key(text) != match_key(rec.text) and not continued:
                reader.problems.append(
                    Problem(
                        self.at(Column.RECOMMENDATION),
                        f"recommendation {ref} is written twice with different text (first at {rec.where})",
                    )
                )
                return None
            elif text and not rec.text:
                rec.text = text
        elif text:
            same = current is not None and (continued or match_key(text) == match_key(current.text))
            at = self.at(Column.RECOMMENDATION)
            rec = current if same and current is not None else reader.new_rec(None, text, at)
        elif Column.RECOMMENDATION not in columns and Column.REF not in columns:
            rec = reader.row_rec or reader.new_rec(None, self.text(Column.ACTION), self.at(Column.ACTION))
        elif current is not None:
            rec = current
        else:
            message = "an action with no recommendation: write it in this row (a blank cell means 'as above')"
            reader.problems.append(Problem(self.at(Column.RECOMMENDATION), message))
            return None
        reader.rec = rec
        return rec

    def _progress(self, action: PlannedAction) -> None:
        if written := self.text(Column.STATUS):
            action.status, why = read_status(written)
            if why:
                self.reader.flag(self.at(Column.STATUS), written, f"{why}; left as it is", "status")
        if written := self.text(Column.PERCENT):
            action.percent, why = read_percent(written)
            if why:
                self.reader.flag(self.at(Column.PERCENT), written, f"{why}; left as it is", "percent")
        if action.status is None and action.timescale.kind is TimescaleKind.IN_PLACE:
            action.status = Status.DONE  # "Completed", "Achieved", "In place" in the timescale: done
        action.status, action.percent, why = progress.from_file(action.status, action.percent)  # done means 100%
        if why:
            self.reader.flag(self.at(Column.PERCENT), self.text(Column.PERCENT), why, "percent")

    def _merge_into(self, action: PlannedAction) -> None:
        """A row whose action cell is merged with the one above adds its owners and timescale to it."""
        owners = read_owners(self.text(Column.OWNER))
        keys = {name.key for name in action.owners.names}
        names = action.owners.names + tuple(name for name in owners.names if name.key not in keys)
        written = action.owners.written
        if owners.written and owners.written != written:
            written = f"{written} / {owners.written}" if written else owners.written
        text = "\n".join(part for part in (action.owners.text, owners.text) if part)
        action.owners = OwnerCell(written, names, action.owners.same_as, action.owners.unreadable, text)
        timescale = self.text(Column.TIMESCALE)
        if timescale and one_line(timescale) != action.timescale.text:
            action.timescale = read_timescale(f"{action.timescale.text} {timescale}")
            action.timescale_text = "\n".join(part for part in (action.timescale_text, timescale) if part)
        if (member := one_line(self.text(Column.MEMBER))) and member not in action.member:
            action.member = f"{action.member} / {member}"[:300] if action.member else member[:300]
