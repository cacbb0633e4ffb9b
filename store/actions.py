"""Actions with what every reply shows beside them, and the conditions the lists are built from.

An :class:`ActionRow` is an action with its recommendation, review and owners; :func:`rows_by_ids`
and :func:`load_rows` fetch them in a fixed number of queries whatever their number. A list is paged
in SQL (:func:`page_of`: ``limit``/``offset`` plus a count), so a reply costs the same at 100 actions
or 100,000. The lists themselves are in :mod:`store.action_lists`.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any, NamedTuple

from sqlalchemy import BindParameter, ColumnElement, and_, bindparam, func, union
from sqlalchemy import select as core_select
from sqlmodel import Session, col, select

from bot.domain import CLOSED_STATUSES, Status
from store.aggregates import json_rows
from store.models import Action, ActionOwner, Group, GroupMember, Person, Recommendation, Review
from store.shown import (
    ACTION_FIELDS,
    ActionFields,
    ActionRef,
    RecommendationFields,
    RecommendationRef,
    ReviewFields,
    ReviewRef,
)

MAX_ID = 2_147_483_647  # ids are 32-bit integers: a larger number names nothing (and would overflow the driver)
OPEN_STATUSES = tuple(status for status in Status if status not in CLOSED_STATUSES)


class OwnerRef(NamedTuple):
    """An owner as shown: a person or a group, with the ids to check membership (a tuple: lists make ten a page)."""

    name: str
    person_id: int | None = None
    group_id: int | None = None

    @property
    def is_group(self) -> bool:
        return self.group_id is not None


@dataclass(frozen=True)
class ActionRow:
    """An action with what every reply shows beside it."""

    action: ActionFields  # an Action, or (from rows_by_ids) the same columns read without the ORM
    recommendation: RecommendationFields
    review: ReviewFields
    owners: list[OwnerRef]

    @property
    def lead_owner(self) -> str:
        return self.owners[0].name if self.owners else "No owner"


@dataclass(frozen=True)
class Page:
    """One page of a longer list: the rows and how many there are in all."""

    rows: list[ActionRow]
    total: int
    offset: int
    owned_or_led: frozenset[int] | None = None  # read with the page for an asker: which they own or lead the review of

    @property
    def remaining(self) -> int:
        return max(0, self.total - self.offset - len(self.rows))


def open_condition() -> ColumnElement[bool]:
    """The action is open (not done or dropped)."""
    # IN (the open statuses) rather than NOT IN (the closed ones): indexes on (status, …) serve it.
    return col(Action.status).in_(OPEN_STATUSES)


def overdue_condition(today: date) -> ColumnElement[bool]:
    """The action is open and its due date has passed."""
    return and_(col(Action.due_date) < today, open_condition())


def owned_by(person_id: int) -> ColumnElement[bool]:
    """The action is owned by the person, directly or through a group they are in.

    A UNION of the two, each from its own index, rather than one ``OR``: PostgreSQL cannot estimate the
    ``OR`` and scans every owner row and every action (300 ms at 100,000 actions, 2 ms as a UNION)."""
    directly = select(ActionOwner.action_id).where(ActionOwner.person_id == person_id)
    through_groups = (
        select(ActionOwner.action_id)
        .join(GroupMember, col(GroupMember.group_id) == ActionOwner.group_id)
        .where(GroupMember.person_id == person_id)
    )
    return col(Action.id).in_(union(directly, through_groups))


def get_action(session: Session, action_id: int, *, for_update: bool = False) -> Action | None:
    """The action with this id, or ``None`` (also for a number no id can be, such as 0 or 2**64)."""
    if not 1 <= action_id <= MAX_ID:
        return None
    return session.get(Action, action_id, with_for_update=for_update or None)


def load_rows(session: Session, actions: Sequence[Action]) -> list[ActionRow]:
    """Attach recommendation, review and owners to actions, in three queries whatever their number."""
    if not actions:
        return []
    action_ids = [action.id for action in actions if action.id is not None]
    rec_ids = {action.recommendation_id for action in actions}
    review_ids = {action.review_id for action in actions}
    recs = {r.id: r for r in session.exec(select(Recommendation).where(col(Recommendation.id).in_(rec_ids)))}
    reviews = {r.id: r for r in session.exec(select(Review).where(col(Review.id).in_(review_ids)))}
    owners = owners_of(session, action_ids)
    return [
        ActionRow(action, recs[action.recommendation_id], reviews[action.review_id], owners.get(action.id or 0, []))
        for action in actions
    ]


_ACTION, _REC, _REVIEW = Action.__table__, Recommendation.__table__, Review.__table__  # type: ignore[attr-defined]
_OWNER, _PERSON, _GROUP = ActionOwner.__table__, Person.__table__, Group.__table__  # type: ignore[attr-defined]
_IDS: BindParameter[int] = bindparam("ids", expanding=True)
# Built once: SQLAlchemy Core rows, not ORM objects (a third of the CPU per page; bench/core_cpu.py).
_OWNERS = (
    core_select(_OWNER.c.action_id, _PERSON.c.name, _GROUP.c.name, _OWNER.c.person_id, _OWNER.c.group_id)
    .outerjoin(_PERSON, _PERSON.c.id == _OWNER.c.person_id)
    .outerjoin(_GROUP, _GROUP.c.id == _OWNER.c.group_id)
    .where(_OWNER.c.action_id.in_(_IDS))
    .order_by(_OWNER.c.action_id, _OWNER.c.position)
)
_REC_COLUMNS = [_REC.c[name].label(f"recommendation__{name}") for name in RecommendationRef._fields]
_REVIEW_COLUMNS = [_REVIEW.c[name].label(f"review__{name}") for name in ReviewRef._fields]
_REC_AT = slice(len(ACTION_FIELDS), len(ACTION_FIELDS) + len(_REC_COLUMNS))  # where each is in a row of SHOWN
_REVIEW_AT = slice(_REC_AT.stop, _REC_AT.stop + len(_REVIEW_COLUMNS))
_ACTION_AT, _OWNERS_AT = len(ACTION_FIELDS), _REVIEW_AT.stop
# Each action's owners in the same statement: [position, person's name, group's name, person id, group id] each.
_OWNERS_OF_ROW = (
    core_select(json_rows(_OWNER.c.position, _PERSON.c.name, _GROUP.c.name, _OWNER.c.person_id, _OWNER.c.group_id))
    .select_from(_OWNER)
    .outerjoin(_PERSON, _PERSON.c.id == _OWNER.c.person_id)
    .outerjoin(_GROUP, _GROUP.c.id == _OWNER.c.group_id)
    .where(_OWNER.c.action_id == _ACTION.c.id)
    .correlate(_ACTION)
    .scalar_subquery()
    .label("owners")
)
# What a shown action is read from: its columns, its recommendation's and its review's, its owners (a list may
# add columns after these, filters and an order); :func:`shown_rows` turns rows of it into ActionRows.
SHOWN = (
    core_select(*(_ACTION.c[name] for name in ACTION_FIELDS), *_REC_COLUMNS, *_REVIEW_COLUMNS, _OWNERS_OF_ROW)
    .join(_REC, _REC.c.id == _ACTION.c.recommendation_id)
    .join(_REVIEW, _REVIEW.c.id == _ACTION.c.review_id)
)
_ROWS = SHOWN.where(_ACTION.c.id.in_(_IDS))
# What every reply shows beside an action, for a statement that reads the action another way (as an ORM object:
# store.change_reads) to read with it; :func:`row_beside` makes an ActionRow of the action and these columns.
BESIDE = (*_REC_COLUMNS, *_REVIEW_COLUMNS, _OWNERS_OF_ROW)


def flush_pending(session: Session) -> None:
    """What the ORM would flush before a query of its own (Core statements do not autoflush)."""
    if session.autoflush:
        session.flush()


def owners_of(session: Session, action_ids: Sequence[int]) -> dict[int, list[OwnerRef]]:
    """Each action's owners (people and groups), lead owner first."""
    result: dict[int, list[OwnerRef]] = defaultdict(list)
    if not action_ids:
        return result
    flush_pending(session)
    for action_id, person_name, group_name, person_id, group_id in session.connection().execute(
        _OWNERS, {"ids": list(action_ids)}
    ):
        result[action_id].append(OwnerRef(person_name or group_name or "?", person_id, group_id))
    return result


def rows_by_ids(session: Session, ids: Sequence[int]) -> list[ActionRow]:
    """The actions with these ids, in this order, each with its recommendation, review and owners (one query)."""
    if not ids:
        return []
    flush_pending(session)
    found = {row.id: row for row in session.connection().execute(_ROWS, {"ids": list(ids)})}
    return shown_rows([found[i] for i in ids if i in found])


def shown_rows(rows: Sequence[Sequence[Any]]) -> list[ActionRow]:
    """Rows read with :data:`SHOWN` (SQLAlchemy's rows or the driver's tuples), in their order, as ActionRows.

    The actions are plain tuples of an action's columns (:class:`~store.shown.ActionRef`), not ORM objects:
    what lists, digests and notices show of them, read for a fraction of the CPU."""
    reviews: dict[int, ReviewRef] = {}
    result = []
    for row in rows:
        action = ActionRef._make(row[:_ACTION_AT])
        review = reviews.get(action.review_id)
        if review is None:
            review = reviews[action.review_id] = ReviewRef.of(row[_REVIEW_AT])
        owners = [
            OwnerRef(person_name or group_name or "?", person_id, group_id)
            for _, person_name, group_name, person_id, group_id in sorted(row[_OWNERS_AT] or ())
        ]
        result.append(ActionRow(action, RecommendationRef.of(row[_REC_AT]), review, owners))
    return result


def row_beside(action: ActionFields, beside: Sequence[Any]) -> ActionRow:
    """``action`` with its recommendation, review and owners, from the values of :data:`BESIDE` in their order."""
    recommendation = RecommendationRef.of(beside[: len(_REC_COLUMNS)])
    review = ReviewRef.of(beside[len(_REC_COLUMNS) : len(_REC_COLUMNS) + len(_REVIEW_COLUMNS)])
    owners = [
        OwnerRef(person_name or group_name or "?", person_id, group_id)
        for _, person_name, group_name, person_id, group_id in sorted(beside[-1] or ())
    ]
    return ActionRow(action, recommendation, review, owners)


def page_of(
    session: Session,
    where: list[ColumnElement[bool]],
    order: Sequence[Any],
    limit: int,
    offset: int,
) -> Page:
    """One page in two steps: the ids in order (narrow rows, often straight from an index), then
    those actions; sorting whole action rows to keep ten is what makes big lists slow."""
    total = session.exec(select(func.count()).select_from(Action).where(*where)).one()
    ids = [i for i in session.exec(select(Action.id).where(*where).order_by(*order).limit(limit).offset(offset)) if i]
    return Page(rows_by_ids(session, ids), int(total), offset)
