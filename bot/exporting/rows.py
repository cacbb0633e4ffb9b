"""The progress report's rows: one per action, with the stable column contract.

The columns (CSV headers, JSON keys, XLSX headers), in order, are :data:`COLUMNS`. "Overdue",
``days_overdue`` and ``rag`` are worked out against the council's today, which the caller passes in
(from the injectable clock, in the council's time zone).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any
from zoneinfo import ZoneInfo

from sqlmodel import Session, col, select

from bot import domain
from bot.domain import Rag, Status
from store import actions
from store.models import Action, Recommendation, Review

COLUMNS: tuple[str, ...] = (
    "review",
    "section",
    "recommendation_ref",
    "recommendation",
    "action_id",
    "action",
    "owners",
    "member",
    "timescale",
    "due_date",
    "original_due_date",
    "status",
    "rag",
    "percent_complete",
    "latest_note",
    "updated_at",
    "days_overdue",
)
OWNER_SEPARATOR = "; "
_CHUNK = 500


@dataclass(frozen=True)
class ExportRow:
    """One action as the report shows it; field names are the column contract."""

    review: str
    section: str
    recommendation_ref: str
    recommendation: str
    action_id: int
    action: str
    owners: str
    member: str
    timescale: str
    due_date: date | None
    original_due_date: date | None
    status: Status
    rag: Rag
    percent_complete: int
    latest_note: str
    updated_at: datetime
    days_overdue: int

    def record(self) -> dict[str, Any]:
        """The row as plain values, keyed by column: dates ISO 8601, status and RAG as their codes."""
        return {
            "review": self.review,
            "section": self.section,
            "recommendation_ref": self.recommendation_ref,
            "recommendation": self.recommendation,
            "action_id": self.action_id,
            "action": self.action,
            "owners": self.owners,
            "member": self.member,
            "timescale": self.timescale,
            "due_date": self.due_date.isoformat() if self.due_date else None,
            "original_due_date": self.original_due_date.isoformat() if self.original_due_date else None,
            "status": self.status.value,
            "rag": self.rag.value,
            "percent_complete": self.percent_complete,
            "latest_note": self.latest_note,
            "updated_at": self.updated_at.isoformat(timespec="seconds"),
            "days_overdue": self.days_overdue,
        }


@dataclass(frozen=True)
class ReviewCounts:
    """A review's line on the summary sheet."""

    review: str
    total: int
    red: int
    amber: int
    green: int
    grey: int
    overdue: int
    done: int


def export_rows(
    session: Session, *, today: date, zone: ZoneInfo, review_ids: Sequence[int] | None = None
) -> list[ExportRow]:
    """Every action (of ``review_ids``, or of all reviews), by review, recommendation and action order."""
    query = (
        select(Action, Recommendation, Review)
        .join(Recommendation, col(Recommendation.id) == Action.recommendation_id)
        .join(Review, col(Review.id) == Action.review_id)
        .order_by(col(Review.title), col(Recommendation.position), col(Recommendation.id), col(Action.position))
        .order_by(col(Action.id))
    )
    if review_ids is not None:
        query = query.where(col(Action.review_id).in_(review_ids))
    found = list(session.exec(query))
    ids = [action.id for action, _, _ in found if action.id is not None]
    owners: dict[int, list[actions.OwnerRef]] = {}
    for start in range(0, len(ids), _CHUNK):
        owners.update(actions.owners_of(session, ids[start : start + _CHUNK]))
    return [_row(action, rec, review, owners.get(action.id or 0, []), today, zone) for action, rec, review in found]


def _row(
    action: Action, rec: Recommendation, review: Review, owners: list[actions.OwnerRef], today: date, zone: ZoneInfo
) -> ExportRow:
    return ExportRow(
        review=review.title,
        section=rec.section,
        recommendation_ref=rec.ref,
        recommendation=rec.text,
        action_id=action.id or 0,
        action=action.text,
        owners=OWNER_SEPARATOR.join(owner.name for owner in owners),
        member=action.member,
        timescale=action.timescale,
        due_date=action.due_date,
        original_due_date=action.original_due_date,
        status=action.status,
        rag=domain.rag(action.status, action.due_date, today),
        percent_complete=action.percent_complete,
        latest_note=action.latest_note or "",
        updated_at=action.updated_at.astimezone(zone),
        days_overdue=domain.days_overdue(action.status, action.due_date, today),
    )


def review_counts(rows: Sequence[ExportRow]) -> list[ReviewCounts]:
    """Counts by RAG (and overdue, done) per review, in the rows' order of reviews."""
    by_review: dict[str, list[ExportRow]] = {}
    for row in rows:
        by_review.setdefault(row.review, []).append(row)
    return [
        ReviewCounts(
            review=title,
            total=len(items),
            red=sum(1 for r in items if r.rag is Rag.RED),
            amber=sum(1 for r in items if r.rag is Rag.AMBER),
            green=sum(1 for r in items if r.rag is Rag.GREEN),
            grey=sum(1 for r in items if r.rag is Rag.GREY),
            overdue=sum(1 for r in items if r.days_overdue > 0),
            done=sum(1 for r in items if r.status is Status.DONE),
        )
        for title, items in by_review.items()
    ]
