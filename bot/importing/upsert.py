"""Writing a read plan into the database: create what is new, update what changed, leave the rest.

Identity, so that importing the same file again creates nothing:

* a review is its title (case ignored);
* a recommendation is its review and its reference (as written, or its place when none is written);
* an action is its recommendation and, first, its text (so reordering actions changes nothing),
  then, for actions whose text changed, its place among the recommendation's remaining actions.

Every change to an existing action writes an :class:`~store.models.ActionUpdate` (surface
``import``) in the same transaction. What people set in chat wins: a status or % set, or a
deadline moved, through any other surface is never overwritten; the file's different value is
reported instead. Actions no longer in the file are reported and left alone, never deleted.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import date, datetime
from typing import Any

from sqlalchemy import func, insert
from sqlmodel import Session, col, select

from bot import plan, progress
from bot.dates import format_date
from bot.domain import Nation, Status, Surface, TimescaleKind, UpdateKind
from bot.importing.directory import OwnerDirectory
from bot.importing.model import PlannedAction, PlannedImport, PlannedRecommendation, PlannedReview
from bot.importing.normalise import match_key
from bot.importing.report import ImportReport
from bot.plan import Owner
from store import audit
from store.actions import owners_of
from store.models import Action, ActionUpdate, Group, Recommendation, Review


def apply_plan(
    session: Session,
    planned: PlannedImport,
    *,
    now: datetime,
    organisation: str | None = None,
    nation: Nation | None = None,
) -> ImportReport:
    """Write ``planned`` through ``session`` (the caller commits or rolls back) and say what changed."""
    report = ImportReport(planned.name, notices=list(planned.notices), split=[str(split) for split in planned.splits])
    directory = OwnerDirectory(session)
    directory.learn(action.owners for review in planned.reviews for action in review.actions)
    for review_plan in planned.reviews:
        review = _review(session, review_plan.title, organisation, nation, report)
        _Reconciler(session, review, directory, now, report).run(review_plan)
    report.flags = sorted([*planned.flags, *directory.flags], key=lambda flag: flag.where.order)
    report.owners_matched = len(directory.matched)
    report.owners_new = len(directory.created)
    report.owners_flagged = len(directory.flagged)
    actions = [action for review in planned.reviews for action in review.actions]
    report.timescales_flagged = sum(1 for action in actions if action.timescale.flag)
    report.timescales_parsed = len(actions) - report.timescales_flagged
    return report


def _review(
    session: Session, title: str, organisation: str | None, nation: Nation | None, report: ImportReport
) -> Review:
    review = session.exec(select(Review).where(func.lower(Review.title) == title.lower())).first()
    report.reviews.append(review.title if review else title)
    if review is None:
        report.review_tally.created += 1
        return plan.add_review(session, title, organisation=organisation or "", nation=nation or Nation.ENGLAND)
    changed = False
    if organisation and review.organisation != organisation:
        review.organisation, changed = organisation, True
    if nation and review.nation is not nation:
        review.nation, changed = nation, True
    if changed:
        session.add(review)
        report.review_tally.updated += 1
    else:
        report.review_tally.unchanged += 1
    return review


class _Reconciler:
    """Brings one review's recommendations and actions in line with the file."""

    def __init__(
        self, session: Session, review: Review, directory: OwnerDirectory, now: datetime, report: ImportReport
    ) -> None:
        self.session, self.review, self.directory, self.now, self.report = session, review, directory, now, report
        recs = session.exec(select(Recommendation).where(Recommendation.review_id == review.id))
        self.recs = {rec.ref.upper(): rec for rec in recs}
        query = select(Action).where(Action.review_id == review.id).order_by(col(Action.position), col(Action.id))
        actions = list(session.exec(query))
        self.by_rec: dict[int, list[Action]] = defaultdict(list)
        for action in actions:
            self.by_rec[action.recommendation_id].append(action)
        ids = [a.id for a in actions if a.id is not None]
        self.owners = owners_of(session, ids) if ids else {}
        self.chat_status, self.chat_due, self.imported_note = audit.chat_and_import_history(session, ids)
        self.stored: dict[int, Action] = {}

    def run(self, review_plan: PlannedReview) -> None:
        new: list[tuple[PlannedAction, dict[str, Any], list[Owner]]] = []
        plans = review_plan.recommendations
        recs = [self._recommendation(rec_plan, position) for position, rec_plan in enumerate(plans)]
        self.session.flush()  # the new recommendations in one go: their actions need their ids
        for rec_plan, rec in zip(plans, recs, strict=True):
            pairs = _match(rec_plan.actions, self.by_rec.get(rec.id or 0, []))
            for index, (planned, action) in enumerate(pairs):
                owners = self.directory.resolve(planned.owners, planned.owners_where)
                if action is None:
                    new.append((planned, self._new(rec, planned, owners, index), owners))
                else:
                    self._update(action, planned, owners, index)
                    self.stored[id(planned)] = action
        if new:
            self.session.flush()
            # one bulk INSERT … RETURNING for all the new actions (batched, so in any order: each is found again
            # by its recommendation and place, unique among new actions), then their owners and audit rows
            statement = insert(Action).returning(Action).execution_options(render_nulls=True)  # one key set: batched
            returned = self.session.scalars(statement, [values for _, values, _ in new])
            by_place = {(action.recommendation_id, action.position): action for action in returned}
            created = [(planned, by_place[(values["recommendation_id"], values["position"])], owners)
                       for planned, values, owners in new]  # fmt: skip
            for planned, action, _ in created:
                self.stored[id(planned)] = action
            plan.record_creation(self.session, [(a, o) for _, a, o in created], at=self.now, surface=Surface.IMPORT)
            for planned, action, _ in created:
                if planned.note:
                    self._note(action, planned.note)
        seen = {action.id for action in self.stored.values()}
        for planned in review_plan.actions:
            link = self.stored[id(planned.link)].id if planned.link is not None else None
            stored = self.stored[id(planned)]
            if stored.same_as_action_id != link:
                stored.same_as_action_id = link
                self.session.add(stored)
        missing = [a for actions in self.by_rec.values() for a in actions if a.id not in seen]
        self.report.missing += [f"#{a.id} {a.text[:80]}" for a in missing]

    def _recommendation(self, rec_plan: PlannedRecommendation, position: int) -> Recommendation:
        ref = (rec_plan.ref or str(position + 1))[:32]
        rec = self.recs.get(ref.upper())
        if rec is None:
            self.report.recommendation_tally.created += 1
            rec = plan.add_recommendation(
                self.session, self.review, ref, rec_plan.text, section=rec_plan.section[:300], position=position,
                flush=False,
            )
            self.recs[ref.upper()] = rec
            return rec
        if rec.text != rec_plan.text or rec.section != rec_plan.section[:300]:
            rec.text, rec.section = rec_plan.text, rec_plan.section[:300]
            self.report.recommendation_tally.updated += 1
        else:
            self.report.recommendation_tally.unchanged += 1
        rec.position = position
        self.session.add(rec)
        return rec

    def _new(self, rec: Recommendation, planned: PlannedAction, owners: list[Owner], position: int) -> dict[str, Any]:
        """The values of a new action, inserted with the others in :meth:`run`."""
        self.report.action_tally.created += 1
        status = planned.status or Status.NOT_STARTED
        percent = 100 if status is Status.DONE else (planned.percent or 0)
        values = plan.action_row(
            rec, planned.text, timescale=planned.timescale, owners=owners, at=self.now, status=status,
            percent=percent, position=position,
        )
        values["dropped_reason"] = "dropped in the imported plan" if values["status"] is Status.DROPPED else None
        values["member"] = planned.member
        return values

    def _update(self, action: Action, planned: PlannedAction, owners: list[Owner], position: int) -> None:
        assert action.id is not None
        old = (action.status, action.percent_complete, action.due_date)
        changes = self._text_and_timescale(action, planned)
        owner_ids = [(o.person_id, o.group_id) for o in self.owners.get(action.id, [])]
        new_ids = [(None, o.id) if isinstance(o, Group) else (o.id, None) for o in owners]
        if owner_ids != new_ids:
            before = ", ".join(o.name for o in self.owners.get(action.id, [])) or "none"
            changes.append(f"owners {before} → {', '.join(o.name for o in owners) or 'none'}")
            plan.set_owners(self.session, action, owners)
        self._progress(action, planned)
        action.position = position
        self.session.add(action)
        fresh = planned.note not in (None, self.imported_note.get(action.id), action.latest_note)
        note = planned.note if fresh else None
        if not changes and old == (action.status, action.percent_complete, action.due_date):
            if note is None:
                self.report.action_tally.unchanged += 1
                return
        else:
            self.session.add(
                ActionUpdate(
                    action_id=action.id,
                    at=self.now,
                    surface=Surface.IMPORT,
                    kind=UpdateKind.IMPORT if changes else UpdateKind.STATUS,
                    old_status=old[0],
                    new_status=action.status,
                    old_percent=old[1],
                    new_percent=action.percent_complete,
                    old_due_date=old[2],
                    new_due_date=action.due_date,
                    note=("Changed by import: " + "; ".join(changes))[:2000] if changes else None,
                )
            )
            action.updated_at = self.now
        self.report.action_tally.updated += 1
        if note is not None:
            self._note(action, note)

    def _text_and_timescale(self, action: Action, planned: PlannedAction) -> list[str]:
        """Bring the text and timescale in line; the deadline too, unless it was moved in chat."""
        timescale = planned.timescale
        changes: list[str] = []
        if action.text != planned.text:
            changes.append(f"text was “{action.text[:300]}”")
            action.text = planned.text
        if action.member != planned.member:
            changes.append(f"member “{action.member or 'none'}” → “{planned.member or 'none'}”")
            action.member = planned.member
        rewritten = action.timescale != timescale.text
        if rewritten:
            changes.append(f"timescale “{action.timescale}” → “{timescale.text}”")
        action.timescale, action.timescale_kind, action.timescale_flag = timescale.text, timescale.kind, timescale.flag
        if timescale.due != action.due_date:
            if action.id in self.chat_due:
                if rewritten:
                    self._kept(action, f"deadline {_day(action.due_date)}", _day(timescale.due))
            else:
                if action.original_due_date is None:
                    action.original_due_date = action.due_date
                action.due_date = timescale.due
        return changes

    def _progress(self, action: Action, planned: PlannedAction) -> None:
        status = planned.status or (Status.DONE if planned.timescale.kind is TimescaleKind.IN_PLACE else None)
        percent = 100 if status is Status.DONE else planned.percent
        chat = action.id in self.chat_status
        if status is not None and status is not action.status:
            if chat:
                self._kept(action, action.status.label, status.label)
            else:
                action.status = status
                action.dropped_reason = "dropped in the imported plan" if status is Status.DROPPED else None
        if percent is not None and percent != action.percent_complete and not chat and not progress.breaks_rule(
            action.status, percent
        ):  # a done action stays at 100%
            action.percent_complete = percent

    def _note(self, action: Action, note: str) -> None:
        self.session.add(
            ActionUpdate(action_id=action.id or 0, at=self.now, surface=Surface.IMPORT, kind=UpdateKind.NOTE, note=note)
        )
        action.latest_note = note
        action.updated_at = self.now
        self.session.add(action)

    def _kept(self, action: Action, kept: str, file_says: str) -> None:
        self.report.kept.append(f"#{action.id}: kept {kept} (set in chat); the file says {file_says}")


def _day(day: date | None) -> str:
    return format_date(day) if day is not None else "no date"


def _match(planned: list[PlannedAction], existing: list[Action]) -> list[tuple[PlannedAction, Action | None]]:
    """Pair the file's actions with stored ones: same text first, then by place among the rest."""
    by_text: dict[str, list[Action]] = defaultdict(list)
    for action in existing:
        by_text[match_key(action.text)].append(action)
    paired: list[Action | None] = []
    used: set[int] = set()
    for item in planned:
        candidates = [a for a in by_text.get(match_key(item.text), []) if a.id not in used]
        paired.append(candidates[0] if candidates else None)
        if candidates:
            used.add(candidates[0].id or 0)
    rest = [a for a in existing if a.id not in used]
    for index, match in enumerate(paired):
        if match is None and rest:
            paired[index] = rest.pop(0)
    return list(zip(planned, paired, strict=True))
