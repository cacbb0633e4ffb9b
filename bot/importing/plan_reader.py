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
from bot.importing.model import Flag, PlannedAction, PlannedImport, PlannedRecommendation, PlannedReview, Split
from bot.importing.normalise import clean_cell, match_key, one_line
from bot.importing.owners import read_owners
from bot.importing.row_reader import RowReader
from bot.importing.split import split_action
from bot.importing.tables import Document, ImportFailed, Problem, Table, Where
from bot.importing.timescales import read_timescale
from bot.importing.values import MAX_REF, normal_ref, reads_as_heading

MAX_TITLE = 300


def read_plan(document: Document, review: str | None = None, *, split: bool = True) -> PlannedImport:
    """The plan in ``document``; every row goes to ``review`` when given; ``split=False`` keeps an action whose
    owner and timescale cells hold several lines whole. Raises :class:`ImportFailed`."""
    reader = PlanReader(document, review, split=split)
    reader.read()
    return reader.finish()


def title_from_name(name: str) -> str:
    """A review title from a file name: ``cpc_action-plan 2018.docx`` → ``cpc action plan 2018``."""
    return " ".join(re.sub(r"[_\-]+", " ", PurePath(name).stem).split())


class PlanReader:
    """Reads rows in order, keeping the current review, section, recommendation and action."""

    def __init__(self, document: Document, review: str | None, *, split: bool = True) -> None:
        self.document = document
        self.split = split
        self.splits: list[Split] = []
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
        self.row_rec: PlannedRecommendation | None = None  # from a row across a table with no recommendation column

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
            self.problems.append(Problem(Where(), "there is no table in this file: the plan must be a table (a report "
                                                  "of recommendations is imported with --recommendations)"))
        sheets = sum(1 for table, _ in plan_tables if table.letters and table.label)
        for table, layout in plan_tables:
            self._read_table(table, layout, several_sheets=sheets > 1)
        if self.fixed_title is None and not any(Column.REVIEW in layout.columns for _, layout in plan_tables):
            source = "the document's title" if self.document.title else "the file's name"
            self.notices.append(f"Review title taken from {source}: '{self.title}' (name it with --review)")

    def _read_table(self, table: Table, layout: Layout, *, several_sheets: bool) -> None:
        for unused in layout.unused:
            self.notices.append(f"{table.title or 'the file'}: {unused}")
        if layout.header_row >= 0:
            heading = table.heading if not table.letters or several_sheets else ""
            if heading == self.document.title or Column.SECTION in layout.columns:
                heading = ""  # a section column, when there is one, says it row by row
            self.section = heading
            self.rec = self.action = self.row_rec = None
        for index in range(layout.header_row + 1, len(table.rows)):
            row = table.rows[index]
            if all(cell.blank for cell in row) or is_header_again(row, layout):
                continue
            if not self._heading_row(table, layout, index):
                RowReader(self, table, layout, index).read()

    def _heading_row(self, table: Table, layout: Layout, row_index: int) -> bool:
        """A row of one cell: a section heading, or (in a plan with no recommendation column) the
        recommendation of the action rows that follow, unless it reads as a heading."""
        row = table.rows[row_index]
        filled = [(index, cell) for index, cell in enumerate(row) if not cell.blank and cell.span]
        if len(filled) != 1:
            return False
        index, cell = filled[0]
        text = one_line(clean_cell(cell.text))
        mapped = set(layout.columns.values())
        covered = mapped & set(range(index, index + cell.span))
        across = cell.span >= 2 and len(covered) >= 2
        no_recommendations = Column.RECOMMENDATION not in layout.columns and Column.REF not in layout.columns
        first_only = index == 0 and any(column in layout.columns for column in (Column.OWNER, Column.TIMESCALE))
        if no_recommendations and (across or first_only) and not reads_as_heading(text):
            self.row_rec = self.new_rec(None, clean_cell(cell.text), table.where(row_index, index))
            self.row_rec.from_row = True
            self.rec, self.action = self.row_rec, None
            return True
        ref_column = layout.columns.get(Column.REF)
        if (
            across
            or (no_recommendations and first_only)
            or index not in mapped
            or index == layout.columns.get(Column.SECTION)
            or (index == ref_column and normal_ref(text) is None and len(text) > MAX_REF // 2)
        ):
            self.section = text[:300]
            self.row_rec = None
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
            number_refs(review)
            if self.split:
                self._split(review)
            resolve_links(review)
            for rec in review.recommendations:
                if rec.from_row and not rec.actions:  # no action rows followed: the row is its own action
                    rec.actions.append(_own_action(rec))
                if not rec.text:
                    rec.text = rec.actions[0].text if rec.actions else f"Recommendation {rec.ref}"
                for action in rec.actions:
                    self._action_flags(action)
        if not self.problems and not any(review.actions for review in reviews):
            self.problems.append(Problem(Where(), "no actions found under the header row"))
        if self.problems:
            raise ImportFailed(self.document.name, self.problems)
        return PlannedImport(self.document.name, reviews, self.flags, self.notices, self.splits)

    def _split(self, review: PlannedReview) -> None:
        for rec in review.recommendations:
            actions: list[PlannedAction] = []
            for action in rec.actions:
                parts, split, flag = split_action(action)
                actions += parts
                if split is not None:
                    self.splits.append(split)
                if flag is not None:
                    self.flags.append(flag)
            rec.actions = actions

    def _action_flags(self, action: PlannedAction) -> None:
        timescale = action.timescale
        if timescale.flag:
            self.flag(action.timescale_where, timescale.text, timescale.flag, "timescale")
        if action.owners.unreadable:
            self.flag(action.owners_where, action.owners.written, action.owners.unreadable, "owner")
        elif not action.owners.names:
            self.flag(action.owners_where, "", "no lead officer given: the action has no owner", "owner")


def _own_action(rec: PlannedRecommendation) -> PlannedAction:
    return PlannedAction(rec.text, rec.where, read_owners(""), rec.where, read_timescale(""), rec.where)


def _no_header(table: Table) -> str:
    seen = [one_line(cell.text)[:40] for row in table.rows[:3] for cell in row if not cell.blank][:4]
    found = ", ".join(f"'{text}'" for text in seen) or "nothing"
    return (
        "no header row found: expected column names such as Recommendation, Action, Lead Officer and "
        f"Timescale in one of the first rows; found {found}"
    )


def number_refs(review: PlannedReview) -> None:
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
