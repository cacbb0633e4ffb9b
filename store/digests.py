"""The weekly digest's queries for many reviews at once: one grouped statement per part, whatever their number.

The digest job builds a digest per subscribed review; asking each review in turn costs some twenty
statements a review. These answer the same questions for every review in one statement each (counts
grouped by review; the first few actions of each by a window function), with exactly the conditions and
order of the single-review queries in :mod:`store.action_lists`, :mod:`store.audit` and
:mod:`store.ongoing`, so a digest built from them is the digest built review by review.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from datetime import date, datetime
from typing import Any

from sqlalchemy import ColumnElement, func
from sqlalchemy import select as sa_select
from sqlmodel import Session, col, select

from bot.domain import Rag, Status
from store.action_lists import rag_expression
from store.actions import OPEN_STATUSES, ActionRow, Page, overdue_condition, rows_by_ids
from store.models import Action, ActionUpdate, Person
from store.ongoing import quiet_where

Ids = dict[int, tuple[int, list[int]]]  # review id → (how many in all, the first few ids in order)
CHUNK = 500


def rag_counts(session: Session, today: date, review_ids: Sequence[int]) -> dict[int, dict[Rag, int]]:
    """Each review's actions by RAG (as :func:`store.action_lists.rag_counts`)."""
    rag_of = rag_expression(today)
    query = (
        sa_select(col(Action.review_id), rag_of, func.count())
        .where(col(Action.review_id).in_(list(review_ids)))
        .group_by(col(Action.review_id), rag_of)
    )
    counts: dict[int, dict[Rag, int]] = {review_id: dict.fromkeys(Rag, 0) for review_id in review_ids}
    for review_id, value, count in session.execute(query):
        counts[review_id][Rag(value)] = int(count)
    return counts


def _first(session: Session, where: list[ColumnElement[bool]], order: list[Any], limit: int) -> Ids:
    """How many actions match ``where`` in each review, and the first ``limit`` of each in ``order``."""
    totals = session.execute(
        sa_select(col(Action.review_id), func.count()).where(*where).group_by(col(Action.review_id))
    )
    found: Ids = {review_id: (int(total), []) for review_id, total in totals}
    rank = func.row_number().over(partition_by=col(Action.review_id), order_by=order).label("rank")
    ranked = sa_select(col(Action.id), col(Action.review_id), rank).where(*where).subquery()
    query = (
        sa_select(ranked.c.id, ranked.c.review_id)
        .where(ranked.c.rank <= limit)
        .order_by(ranked.c.review_id, ranked.c.rank)
    )
    for action_id, review_id in session.execute(query):
        found[review_id][1].append(action_id)
    return found


def _in(review_ids: Sequence[int]) -> ColumnElement[bool]:
    return col(Action.review_id).in_(list(review_ids))


def overdue(session: Session, today: date, review_ids: Sequence[int], limit: int) -> Ids:
    """As :func:`store.action_lists.overdue_actions`: by lead owner, then most overdue."""
    order = [col(Action.lead_owner), col(Action.due_date), col(Action.id)]
    return _first(session, [overdue_condition(today), _in(review_ids)], order, limit)


def due_between(session: Session, start: date, end: date, review_ids: Sequence[int], limit: int) -> Ids:
    """As :func:`store.action_lists.due_between`: open, due from ``start`` to ``end``, soonest first."""
    where = [col(Action.due_date) >= start, col(Action.due_date) <= end, col(Action.status).in_(OPEN_STATUSES)]
    return _first(session, [*where, _in(review_ids)], [col(Action.due_date), col(Action.id)], limit)


def done_since(session: Session, since: datetime, review_ids: Sequence[int], limit: int) -> Ids:
    """As :func:`store.action_lists.done_since`."""
    done_ids = select(ActionUpdate.action_id).where(
        ActionUpdate.new_status == Status.DONE,
        col(ActionUpdate.old_status) != Status.DONE,
        col(ActionUpdate.at) >= since,
    )
    where = [col(Action.status) == Status.DONE, col(Action.id).in_(done_ids), _in(review_ids)]
    return _first(session, where, [col(Action.id)], limit)


def quiet(session: Session, today: date, before: datetime, review_ids: Sequence[int], limit: int) -> Ids:
    """As :func:`store.ongoing.not_updated_since`."""
    return _first(session, quiet_where(today, before, review_ids), [col(Action.updated_at), col(Action.id)], limit)


def recent_updates(
    session: Session, since: datetime, review_ids: Sequence[int], limit: int
) -> dict[int, list[tuple[ActionUpdate, str | None]]]:
    """As :func:`store.audit.recent_updates`, for each review: its newest audit rows since ``since``."""
    rank = (
        func.row_number().over(partition_by=col(Action.review_id), order_by=col(ActionUpdate.at).desc()).label("rank")
    )
    ranked = (
        sa_select(col(ActionUpdate.id), col(Action.review_id), rank)
        .join(Action, col(Action.id) == ActionUpdate.action_id)
        .where(col(ActionUpdate.at) >= since, _in(review_ids))
        .subquery()
    )
    chosen = list(session.execute(sa_select(ranked.c.id, ranked.c.review_id).where(ranked.c.rank <= limit)))
    review_of = {update_id: review_id for update_id, review_id in chosen}
    found: dict[int, list[tuple[ActionUpdate, str | None]]] = defaultdict(list)
    ids = list(review_of)
    for start in range(0, len(ids), CHUNK):
        query = (
            select(ActionUpdate, Person.name)
            .outerjoin(Person, col(Person.id) == ActionUpdate.person_id)
            .where(col(ActionUpdate.id).in_(ids[start : start + CHUNK]))
        )
        for update, name in session.exec(query):
            found[review_of[update.id or 0]].append((update, name))
    for rows in found.values():
        rows.sort(key=lambda row: row[0].at, reverse=True)
    return found


def pages(session: Session, found: Ids) -> dict[int, Page]:
    """The ids of :func:`_first`'s answers as pages of rows (their actions loaded a few hundred at a time)."""
    wanted = [action_id for _, ids in found.values() for action_id in ids]
    rows: dict[int, ActionRow] = {}
    for start in range(0, len(wanted), CHUNK):
        rows.update({row.action.id or 0: row for row in rows_by_ids(session, wanted[start : start + CHUNK])})
    return {review_id: Page([rows[i] for i in ids if i in rows], total, 0) for review_id, (total, ids) in found.items()}
