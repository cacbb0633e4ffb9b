"""What a plan still lacks: open actions with no owner, and open actions with no timescale yet.

A plan started from the peer team's recommendations letter has neither until the directors fill in the
template; ``reviews`` and the digest say how many are left.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from sqlalchemy import and_, case, exists, func
from sqlalchemy import select as sa_select
from sqlmodel import Session, col

from bot.domain import CLOSED_STATUSES, TimescaleKind
from store.models import Action, ActionOwner


@dataclass(frozen=True)
class Gaps:
    """Open actions of a review with no owner, and with no timescale (nothing written, or nothing readable)."""

    no_owner: int = 0
    no_timescale: int = 0

    def __bool__(self) -> bool:
        return bool(self.no_owner or self.no_timescale)

    def describe(self) -> str:
        """``3 with no owner, 5 with no timescale``."""
        parts = [f"{self.no_owner} with no owner" if self.no_owner else "",
                 f"{self.no_timescale} with no timescale" if self.no_timescale else ""]  # fmt: skip
        return ", ".join(part for part in parts if part)


def plan_gaps(session: Session, review_ids: Sequence[int] | None = None) -> dict[int, Gaps]:
    """Gaps per review id (reviews with none are left out), in one grouped query."""
    owned = exists().where(col(ActionOwner.action_id) == col(Action.id))
    untimed = and_(col(Action.timescale_kind) == TimescaleKind.UNKNOWN, col(Action.due_date).is_(None))
    query = (
        sa_select(
            col(Action.review_id),
            func.sum(case((~owned, 1), else_=0)),
            func.sum(case((untimed, 1), else_=0)),
        )
        .where(col(Action.status).not_in(CLOSED_STATUSES))
        .group_by(col(Action.review_id))
    )
    if review_ids is not None:
        query = query.where(col(Action.review_id).in_(review_ids))
    found = {row[0]: Gaps(int(row[1] or 0), int(row[2] or 0)) for row in session.execute(query)}
    return {review_id: gaps for review_id, gaps in found.items() if gaps}


def total_gaps(session: Session, review_ids: Sequence[int] | None = None) -> Gaps:
    """The gaps of ``review_ids`` (all reviews when ``None``) added up."""
    found = plan_gaps(session, review_ids).values()
    return Gaps(sum(g.no_owner for g in found), sum(g.no_timescale for g in found))
