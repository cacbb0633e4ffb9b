"""The people list an admin pages through in chat: a page of people, each with how many open actions they own."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import func, union
from sqlalchemy import select as sa_select
from sqlmodel import Session, col, select

from store.actions import open_condition
from store.models import Action, ActionOwner, GroupMember, Person

_OWNER = ActionOwner.__table__.c  # type: ignore[attr-defined]
_MEMBER = GroupMember.__table__.c  # type: ignore[attr-defined]


@dataclass(frozen=True)
class RosterPage:
    """One page of people by name, the whole list's size, and each one's open actions (direct or through a group)."""

    people: list[Person]
    total: int
    open_actions: dict[int, int]


def people_page(session: Session, limit: int, offset: int) -> RosterPage:
    """People ordered by name, ``limit`` from ``offset``: three queries whatever the number of people."""
    total = session.exec(select(func.count()).select_from(Person)).one()
    people = list(session.exec(select(Person).order_by(col(Person.name)).limit(limit).offset(offset)))
    ids = [person.id for person in people if person.id is not None]
    if not ids:
        return RosterPage(people, total, {})
    direct = sa_select(_OWNER.person_id.label("person_id"), _OWNER.action_id).where(_OWNER.person_id.in_(ids))
    through_groups = (
        sa_select(_MEMBER.person_id.label("person_id"), _OWNER.action_id)
        .where(_MEMBER.group_id == _OWNER.group_id, _MEMBER.person_id.in_(ids))
    )
    owned = union(direct, through_groups).subquery()
    counts = (
        sa_select(owned.c.person_id, func.count())
        .join(Action, col(Action.id) == owned.c.action_id)
        .where(open_condition())
        .group_by(owned.c.person_id)
    )
    return RosterPage(people, total, {int(person_id): int(count) for person_id, count in session.execute(counts)})
