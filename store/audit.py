"""The audit trail: every change to an action is an ``ActionUpdate`` row; these read them back.

An action's history (``show``), the changes since the last digest, and the row a retried request
already wrote (its ``request_key``), so a retry is answered without recording the change twice.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from sqlalchemy import func
from sqlmodel import Session, col, select

from store.models import Action, ActionUpdate, Person


def history(session: Session, action_id: int, limit: int = 10) -> list[tuple[ActionUpdate, str | None]]:
    """The newest audit rows of an action, newest first, with who made them."""
    query = (
        select(ActionUpdate, Person.name)
        .outerjoin(Person, col(Person.id) == ActionUpdate.person_id)
        .where(ActionUpdate.action_id == action_id)
        .order_by(col(ActionUpdate.at).desc(), col(ActionUpdate.id).desc())
        .limit(limit)
    )
    return [(update, name) for update, name in session.exec(query)]


def count_history(session: Session, action_id: int) -> int:
    query = select(func.count()).select_from(ActionUpdate).where(ActionUpdate.action_id == action_id)
    return int(session.exec(query).one())


def update_by_request_key(session: Session, key: str) -> ActionUpdate | None:
    return session.exec(select(ActionUpdate).where(ActionUpdate.request_key == key)).first()


def recent_updates(
    session: Session, since_at: datetime, review_ids: Sequence[int] | None, limit: int
) -> list[tuple[ActionUpdate, str | None]]:
    """The newest audit rows since ``since_at`` (of these reviews' actions, when given), with who made them."""
    query = (
        select(ActionUpdate, Person.name)
        .outerjoin(Person, col(Person.id) == ActionUpdate.person_id)
        .join(Action, col(Action.id) == ActionUpdate.action_id)
        .where(col(ActionUpdate.at) >= since_at)
        .order_by(col(ActionUpdate.at).desc())
        .limit(limit)
    )
    if review_ids is not None:
        query = query.where(col(Action.review_id).in_(review_ids))
    return [(update, name) for update, name in session.exec(query)]
