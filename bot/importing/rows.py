"""Reading a document's tables into a plan: which rows are recommendations, actions and sections.

How rows are read, as councils write them:

* the header row is found by its wording (:mod:`bot.importing.headers`); tables without one are
  skipped and reported, except a table as wide as the plan table before it, which continues it
  (a Word table split across pages);
* a blank recommendation cell, or one merged down from the row above, means "the same recommendation";
* a recommendation's reference is its Ref/No. column, else the number it starts with ("12.",
  "K3:"), else its place in the plan (1, 2, 3…);
* a row with only a recommendation in it starts that recommendation, its actions follow;
* a row with one cell across the table (or only in an unused column) is a section heading, as is
  the heading paragraph written just before a Word table ("Key Recommendations");
* a plan with no action column makes each recommendation its own action, and one with no
  recommendation column makes each action its own recommendation.

Anything that makes the file unusable is a :class:`~bot.importing.tables.Problem` (all of them are
collected, then :class:`~bot.importing.tables.ImportFailed` is raised); anything doubtful is a
:class:`~bot.importing.model.Flag` and the import goes on.
"""

from __future__ import annotations

import re
from pathlib import PurePath

from bot.importing.headers import Column, Layout, find_layout, is_header_again
from bot.importing.links import resolve_links
from bot.importing.model import Flag, PlannedAction, PlannedImport, PlannedRecommendation, PlannedReview
from bot.importing.tables import Cell, Document, ImportFailed, Problem, Table, Where
from bot.importing.values import MAX_REF, normal_ref, read_percent, read_status, split_ref
from bot.normalise import clean_cell, match_key, one_line
from bot.owners import OwnerCell, read_owners
from bot.timescales import read_timescale

MAX_TITLE = 300
_DETAIL = (Column.OWNER, Column.TIMESCALE, Column.STATUS, Column.PERCENT, Column.NOTE)


def read_plan(document: Document, review: str | None = None) -> PlannedImport:
    """The plan in ``document``; every row goes to ``review`` when given. Raises :class:`ImportFailed`."""
    reader = _PlanReader(document, review)
    reader.read()
    return reader.finish()


def title_from_name(name: str) -> str:
    """A review title from a file name: ``cpc_action-plan 2018.docx`` → ``cpc action plan 2018``."""
    return " ".join(re.sub(r"[_\-]+", " ", PurePath(name).stem).split())


class _PlanReader:
    """Reads rows in order, keeping the current review, section, recommendation and action."""

    def __init__(self, document: Document, review: str | None) -> None:
        self.document = document
        self.fixed_title = one_line(review) if review else None
        self.title = self.fixed_title or document.title or title_from_name(document.name)
        self.reviews: dict[str, PlannedReview] = {}
        self.by_ref: dict[tuple[str, str], PlannedRecommendation] = {}
        self.problems: list[Problem] = []
        self.flags: list[Flag] = []
        self.notices: list[str] = []
        self.section = ""
        self.rec: PlannedRecommendation | None = None
        self.action: PlannedAction | None = None

    # tables ---------------------------------------------------------------------------------

    def read(self) -> None:
        plan_tables: list[tuple[Table, Layout]] = []
        skipped: list[Table] = []
        for table in self.document.tables:
            if not any(not cell.blank for row in table.rows for cell in row):
                continue
            layout = find_layout(table)
            if layout is None and plan_tables and plan_tables[-1][0].width == table.width and not table.letters:
                previous = plan_tables[-1][1]
                layout = Layout(-1, previous.columns, previous.headers)
                self.notices.append(f"{table.title} has no header row: read as the rest of the table before it")
            if layout is None:
                skipped.append(table)
                continue
            plan_tables.append((table, layout))
        for table in skipped:
            where = table.title or "the file"
            if plan_tables:
                self.notices.append(f"{where} skipped: it has no header row naming Recommendation or Action columns")
            else:
                self.problems.append(Problem(Where(table.title), _no_header(table)))
        if not self.document.tables:
            self.problems.append(Problem(Where(), "there is no table in this file: the plan must be a table"))
        sheets = sum(1 for table, _ in plan_tables if table.letters and table.label)
        for table, layout in plan_tables:
            self._read_table(table, layout, several_sheets=sheets > 1)
        if self.fixed_title is None and not any(Column.REVIEW in layout.columns for _, layout in plan_tables):
            source = "the document's title" if self.document.title else "the file's name"
            self.notices.append(f"Review title taken from {source}: '{self.title}' (name it with --review)")

    def _read_table(self, table: Table, layout: Layout, *, several_sheets: bool) -> None:
        for header in layout.unused:
            self.notices.append(f"{table.title or 'the file'}: column '{header}' not used")
        if layout.header_row >= 0:
            heading = table.heading if not table.letters or several_sheets else ""
            if heading == self.document.title or Column.SECTION in layout.columns:
                heading = ""  # a section column, when there is one, says it row by row
            self.section = heading
            self.rec = self.action = None
        for index in range(layout.header_row + 1, len(table.rows)):
            row = table.rows[index]
            if all(cell.blank for cell in row) or is_header_again(row, layout):
                continue
            if not self._section_row(row, layout):
                _Row(self, table, layout, index).read()

    def _section_row(self, row: list[Cell], layout: Layout) -> bool:
        filled = [(index, cell) for index, cell in enumerate(row) if not cell.blank and cell.span]
        if len(filled) != 1:
            return False
        index, cell = filled[0]
        text = one_line(clean_cell(cell.text))
        mapped = set(layout.columns.values())
        covered = mapped & set(range(index, index + cell.span))
        ref_column = layout.columns.get(Column.REF)
        if (
            (cell.span >= 2 and len(covered) >= 2)
            or index not in mapped
            or index == layout.columns.get(Column.SECTION)
            or (index == ref_column and normal_ref(text) is None and len(text) > MAX_REF // 2)
        ):
            self.section = text[:300]
            return True
        return False

    # reviews and recommendations --------------------------------------------------------------

    def review(self) -> PlannedReview:
        key = match_key(self.title)
        if key not in self.reviews:
            self.reviews[key] = PlannedReview(self.title)
        return self.reviews[key]

    def new_rec(self, ref: str | None, text: str, where: Where) -> PlannedRecommendation:
        review = self.review()
        rec = PlannedRecommendation(ref, text, self.section, where, numbered=ref is not None)
        review.recommendations.append(rec)
        if ref:
            self.by_ref[(match_key(review.title), ref)] = rec
        return rec

    def rec_by_ref(self, ref: str) -> PlannedRecommendation | None:
        return self.by_ref.get((match_key(self.review().title), ref))

    def flag(self, where: Where, written: str, message: str, topic: str) -> None:
        self.flags.append(Flag(where, one_line(written)[:200], message, topic))

    # finishing ------------------------------------------------------------------------------

    def finish(self) -> PlannedImport:
        reviews = list(self.reviews.values())
        for review in reviews:
            if len(review.title) > MAX_TITLE:
                self.problems.append(Problem(Where(), f"the review title is longer than {MAX_TITLE} characters"))
            _number(review)
            resolve_links(review)
            for rec in review.recommendations:
                if not rec.text:
                    rec.text = rec.actions[0].text if rec.actions else f"Recommendation {rec.ref}"
                for action in rec.actions:
                    self._action_flags(action)
        if not self.problems and not any(review.actions for review in reviews):
            self.problems.append(Problem(Where(), "no actions found under the header row"))
        if self.problems:
            raise ImportFailed(self.document.name, self.problems)
        return PlannedImport(self.document.name, reviews, self.flags, self.notices)

    def _action_flags(self, action: PlannedAction) -> None:
        timescale = action.timescale
        if timescale.flag:
            self.flag(action.timescale_where, timescale.text, timescale.flag, "timescale")
        if action.owners.unreadable:
            self.flag(action.owners_where, action.owners.written, action.owners.unreadable, "owner")
        elif not action.owners.names:
            self.flag(action.owners_where, "", "no lead officer given: the action has no owner", "owner")


def _no_header(table: Table) -> str:
    seen = [one_line(cell.text)[:40] for row in table.rows[:3] for cell in row if not cell.blank][:4]
    found = ", ".join(f"'{text}'" for text in seen) or "nothing"
    return (
        "no header row found: expected column names such as Recommendation, Action, Lead Officer and "
        f"Timescale in one of the first rows; found {found}"
    )


def _number(review: PlannedReview) -> None:
    """Give recommendations without a written reference their place in the plan: 1, 2, 3…"""
    taken = {rec.ref for rec in review.recommendations if rec.ref}
    counter = 0
    for rec in review.recommendations:
        if rec.ref:
            continue
        counter += 1
        while str(counter) in taken:
            counter += 1
        rec.ref = str(counter)


class _Row:
    """One data row of a plan table, read against its layout."""

    def __init__(self, reader: _PlanReader, table: Table, layout: Layout, index: int) -> None:
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
            rec = reader.new_rec(None, self.text(Column.ACTION), self.at(Column.ACTION))
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

    def _merge_into(self, action: PlannedAction) -> None:
        """A row whose action cell is merged with the one above adds its owners and timescale to it."""
        owners = read_owners(self.text(Column.OWNER))
        keys = {name.key for name in action.owners.names}
        names = action.owners.names + tuple(name for name in owners.names if name.key not in keys)
        written = action.owners.written
        if owners.written and owners.written != written:
            written = f"{written} / {owners.written}" if written else owners.written
        action.owners = OwnerCell(written, names, action.owners.same_as, action.owners.unreadable)
        timescale = self.text(Column.TIMESCALE)
        if timescale and one_line(timescale) != action.timescale.text:
            action.timescale = read_timescale(f"{action.timescale.text} {timescale}")
