"""The data check: stored actions whose status and % complete contradict each other, and their repair.

The rule is :mod:`bot.progress`'s: done means 100% complete. Rows written before the rule (an
``update 12 done 40%`` that was once recorded as Done · 40%) are listed by :func:`breaches`;
:func:`repair` brings each to 100% (done is kept: it is what someone said last) and writes an
audit row for each in the same transaction, so the history shows what was changed and why.
``actionbot db check`` runs it; ``actionbot db upgrade`` runs the check after migrating.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlmodel import Session, col, select

from bot import progress
from bot.domain import Status, Surface, UpdateKind
from store.models import Action, ActionUpdate

REPAIR_NOTE = "Data check: done means 100% complete, so this done action was set from {old}% to 100%."


@dataclass(frozen=True)
class Breach:
    """One action that breaks the rule: its number, status and % as stored."""

    action_id: int
    status: Status
    percent: int

    def __str__(self) -> str:
        return f"#{self.action_id} is {self.status.label.lower()} at {self.percent}% (done means 100% complete)"


def _breaking(session: Session) -> list[Action]:
    query = (
        select(Action)
        .where(col(Action.status) == Status.DONE, col(Action.percent_complete) != progress.COMPLETE)
        .order_by(col(Action.id))
    )
    return [action for action in session.exec(query) if progress.breaks_rule(action.status, action.percent_complete)]


def breaches(session: Session) -> list[Breach]:
    """Every stored action whose status and % contradict each other, lowest number first."""
    return [Breach(action.id or 0, action.status, action.percent_complete) for action in _breaking(session)]


def repair(session: Session, now: datetime) -> list[Breach]:
    """Repair every breach with an audit row each; return what was repaired (empty when nothing broke the rule)."""
    repaired = []
    for action in _breaking(session):
        old = action.percent_complete
        repaired.append(Breach(action.id or 0, action.status, old))
        action.percent_complete = progress.repaired(action.status, old)
        action.updated_at = now
        session.add(action)
        session.add(
            ActionUpdate(
                action_id=action.id or 0,
                at=now,
                surface=Surface.CLI,
                kind=UpdateKind.STATUS,
                old_status=action.status,
                new_status=action.status,
                old_percent=old,
                new_percent=action.percent_complete,
                old_due_date=action.due_date,
                new_due_date=action.due_date,
                note=REPAIR_NOTE.format(old=old),
            )
        )
    session.flush()
    return repaired
