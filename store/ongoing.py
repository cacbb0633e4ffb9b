"""Ongoing actions gone quiet: open ongoing (and recurring, past their milestone) actions not updated for weeks.

Read through ``ix_action_kind_updated`` (timescale kind, last update), for the digest's flag.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime

from sqlalchemy import ColumnElement, and_, func, or_
from sqlmodel import Session, col, select

from bot.domain import TimescaleKind
from store.actions import OPEN_STATUSES, Page, rows_by_ids
from store.models import Action


def quiet_where(today: date, before: datetime, review_ids: Sequence[int] | None) -> list[ColumnElement[bool]]:
    kind = col(Action.timescale_kind)
    where = [
        or_(
            kind == TimescaleKind.ONGOING,
            and_(kind == TimescaleKind.RECURRING, col(Action.due_date) < today),
        ),
        col(Action.updated_at) < before,
        col(Action.status).in_(OPEN_STATUSES),
    ]
    if review_ids is not None:
        where.append(col(Action.review_id).in_(list(review_ids)))
    return where


def not_updated_since(
    session: Session, today: date, before: datetime, review_ids: Sequence[int] | None, limit: int
) -> Page:
    """Ongoing actions not updated since ``before``, longest quiet first, one page of them."""
    where = quiet_where(today, before, review_ids)
    total = session.exec(select(func.count()).select_from(Action).where(*where)).one()
    order = [col(Action.updated_at), col(Action.id)]
    ids = [i for i in session.exec(select(Action.id).where(*where).order_by(*order).limit(limit)) if i]
    return Page(rows_by_ids(session, ids), int(total), 0)
