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
from typing import Any

from sqlalchemy import ColumnElement, and_, func, union
from sqlmodel import Session, col, select

from bot.domain import CLOSED_STATUSES, Status
from store.models import Action, ActionOwner, Group, GroupMember, Person, Recommendation, Review

MAX_ID = 2_147_483_647  # ids are 32-bit integers: a larger number names nothing (and would overflow the driver)
OPEN_STATUSES = tuple(status for status in Status if status not in CLOSED_STATUSES)


@dataclass(frozen=True)
class OwnerRef:
    """An owner as shown: a person or a group, with the ids to check membership."""

    name: str
    person_id: int | None = None
    group_id: int | None = None

    @property
    def is_group(self) -> bool:
        return self.group_id is not None


@dataclass(frozen=True)
class ActionRow:
    """An action with what every reply shows beside it."""

    action: Action
    recommendation: Recommendation
    review: Review
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


def owners_of(session: Session, action_ids: Sequence[int]) -> dict[int, list[OwnerRef]]:
    """Each action's owners (people and groups), lead owner first."""
    query = (
        select(ActionOwner, Person.name, Group.name)
        .outerjoin(Person, col(Person.id) == ActionOwner.person_id)
        .outerjoin(Group, col(Group.id) == ActionOwner.group_id)
        .where(col(ActionOwner.action_id).in_(action_ids))
        .order_by(col(ActionOwner.action_id), col(ActionOwner.position))
    )
    result: dict[int, list[OwnerRef]] = defaultdict(list)
    for owner, person_name, group_name in session.exec(query):
        result[owner.action_id].append(
            OwnerRef(name=person_name or group_name or "?", person_id=owner.person_id, group_id=owner.group_id)
        )
    return result


def rows_by_ids(session: Session, ids: Sequence[int]) -> list[ActionRow]:
    """The actions with these ids, in this order, each with its recommendation, review and owners (two queries)."""
    if not ids:
        return []
    query = (
        select(Action, Recommendation, Review)
        .join(Recommendation, col(Recommendation.id) == Action.recommendation_id)
        .join(Review, col(Review.id) == Action.review_id)
        .where(col(Action.id).in_(ids))
    )
    found = {action.id: (action, rec, review) for action, rec, review in session.exec(query)}
    owners = owners_of(session, ids)
    return [ActionRow(*found[i], owners.get(i, [])) for i in ids if i in found]


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
