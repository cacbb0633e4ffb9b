"""The audit trail: every change to an action is an ``ActionUpdate`` row; these read them back.

An action's history (``show``), the changes since the last digest, and the row a retried request
already wrote (its ``request_key``), so a retry is answered without recording the change twice.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from sqlalchemy import bindparam, func
from sqlalchemy import select as core_select
from sqlmodel import Session, col, select

from bot.domain import Surface, UpdateKind
from store.models import Action, ActionUpdate, Person

_CHAT_STATUS_KINDS = (UpdateKind.STATUS, UpdateKind.DROP)
_UPDATE = ActionUpdate.__table__  # type: ignore[attr-defined]
_BY_KEY = core_select(_UPDATE.c.id).where(_UPDATE.c.request_key == bindparam("key")).limit(1)  # built once


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


def recorded(session: Session, key: str) -> bool:
    """Whether a change with this request key was already recorded (the delivery is a retry)."""
    return session.execute(_BY_KEY, {"key": key}).first() is not None


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


def chat_and_import_history(session: Session, ids: list[int]) -> tuple[set[int], set[int], dict[int, str]]:
    """Which of these actions had their status or deadline set in chat (any surface but an import), and the
    last note each import wrote: what a re-import must not overwrite, and what it wrote itself."""
    chat_status: set[int] = set()
    chat_due: set[int] = set()
    imported_note: dict[int, str] = {}
    if not ids:
        return chat_status, chat_due, imported_note
    query = select(ActionUpdate).where(col(ActionUpdate.action_id).in_(ids)).order_by(col(ActionUpdate.id))
    for update in session.exec(query):
        if update.kind is UpdateKind.CREATED:
            continue
        if update.surface is Surface.IMPORT:
            if update.kind is UpdateKind.NOTE and update.note:
                imported_note[update.action_id] = update.note
            continue
        if update.kind in _CHAT_STATUS_KINDS or update.new_status != update.old_status:
            chat_status.add(update.action_id)
        if update.kind is UpdateKind.MOVE or update.new_due_date != update.old_due_date:
            chat_due.add(update.action_id)
    return chat_status, chat_due, imported_note
