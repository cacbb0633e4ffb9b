"""Reviews: finding one by title or number, all of them, and each one's action counts."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from sqlalchemy import case, func
from sqlalchemy import select as sa_select
from sqlmodel import Session, col, select

from bot.domain import Status
from store.actions import MAX_ID, overdue_condition
from store.models import Action, Review


def find_reviews(session: Session, text: str) -> list[Review]:
    """Reviews whose title is ``text`` or contains it (case-insensitive), or whose id it is."""
    text = text.strip()
    number = text.lstrip("rR#")
    if number.isdecimal() and len(number) <= 10 and 1 <= int(number) <= MAX_ID:  # no overflow, no "²"
        review = session.get(Review, int(number))
        if review is not None:
            return [review]
    exact = session.exec(select(Review).where(func.lower(Review.title) == text.lower())).first()
    if exact is not None:
        return [exact]
    pattern = f"%{text.lower()}%"
    return list(session.exec(select(Review).where(func.lower(Review.title).like(pattern)).order_by(Review.title)))


def all_reviews(session: Session) -> list[Review]:
    """Every review, by state then title."""
    return list(session.exec(select(Review).order_by(Review.state, Review.title)))


@dataclass(frozen=True)
class ReviewProgress:
    """A review with its action counts."""

    review: Review
    total: int
    done: int
    dropped: int
    overdue: int
    at_risk: int
    off_track: int


def review_progress(session: Session, today: date, review_ids: Sequence[int] | None = None) -> list[ReviewProgress]:
    """Counts per review in one grouped query."""
    query = sa_select(
        col(Action.review_id),
        func.count(),
        func.sum(case((col(Action.status) == Status.DONE, 1), else_=0)),
        func.sum(case((col(Action.status) == Status.DROPPED, 1), else_=0)),
        func.sum(case((overdue_condition(today), 1), else_=0)),
        func.sum(case((col(Action.status) == Status.AT_RISK, 1), else_=0)),
        func.sum(case((col(Action.status) == Status.OFF_TRACK, 1), else_=0)),
    ).group_by(col(Action.review_id))
    counts = {row[0]: tuple(row[1:]) for row in session.execute(query)}
    reviews = all_reviews(session)
    if review_ids is not None:
        reviews = [review for review in reviews if review.id in review_ids]
    result = []
    for review in reviews:
        total, done, dropped, overdue, at_risk, off_track = counts.get(review.id, (0, 0, 0, 0, 0, 0))
        result.append(
            ReviewProgress(review, total, done or 0, dropped or 0, overdue or 0, at_risk or 0, off_track or 0)
        )
    return result
