"""Who the clock tells: the reviews in play, the owners of actions, group members, people's contacts,
review leads and admins. Each is one query (or one per 500 ids), read as plain values where a morning
needs hundreds of them.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from sqlalchemy import String, cast, func
from sqlalchemy import select as sa_select
from sqlmodel import Session, col, select

from bot.domain import ReviewState, Role
from store.models import ActionOwner, Group, GroupMember, Person, Review, ReviewLead

CHUNK = 500


def active_reviews(session: Session) -> list[Review]:
    return list(session.exec(select(Review).where(Review.state == ReviewState.ACTIVE).order_by(col(Review.id))))


def count_reviews(session: Session) -> int:
    return int(session.exec(select(func.count()).select_from(Review)).one())


def owners(session: Session, action_ids: Sequence[int]) -> dict[int, list[tuple[int | None, int | None]]]:
    """Each action's owners as (person id, group id), lead first."""
    found: dict[int, list[tuple[int | None, int | None]]] = defaultdict(list)
    for start in range(0, len(action_ids), CHUNK):
        query = (
            select(ActionOwner.action_id, ActionOwner.person_id, ActionOwner.group_id)
            .where(col(ActionOwner.action_id).in_(list(action_ids[start : start + CHUNK])))
            .order_by(col(ActionOwner.action_id), col(ActionOwner.position))
        )
        for action_id, person_id, group_id in session.exec(query):
            found[action_id].append((person_id, group_id))
    return found


def members(session: Session, group_ids: Iterable[int]) -> dict[int, list[int]]:
    ids = sorted(set(group_ids))
    found: dict[int, list[int]] = {group_id: [] for group_id in ids}
    if ids:
        query = select(GroupMember.group_id, GroupMember.person_id).where(col(GroupMember.group_id).in_(ids))
        for group_id, person_id in session.exec(query):
            found[group_id].append(person_id)
    return found


def group_names(session: Session, group_ids: Iterable[int]) -> dict[int, str]:
    ids = sorted(set(group_ids))
    if not ids:
        return {}
    return {group.id or 0: group.name for group in session.exec(select(Group).where(col(Group.id).in_(ids)))}


@dataclass(frozen=True)
class Contact:
    """What the clock needs of a person to reach them: their name and linked accounts."""

    id: int
    name: str
    slack_user_id: str | None
    teams_user_id: str | None


def people(session: Session, person_ids: Iterable[int]) -> dict[int, Contact]:
    """The people with these ids, as contacts (a column read, no ORM objects: a morning has hundreds)."""
    ids = sorted(set(person_ids))
    found: dict[int, Contact] = {}
    table = Person.__table__.c  # type: ignore[attr-defined]
    for start in range(0, len(ids), CHUNK):
        query = sa_select(table.id, table.name, table.slack_user_id, table.teams_user_id).where(
            table.id.in_(ids[start : start + CHUNK])
        )
        found.update({row[0]: Contact(*row) for row in session.execute(query)})
    return found


def leads(session: Session, review_ids: Iterable[int]) -> dict[int, list[Person]]:
    """Each review's leads (empty for a review without one)."""
    ids = sorted(set(review_ids))
    found: dict[int, list[Person]] = {review_id: [] for review_id in ids}
    if ids:
        query = (
            select(ReviewLead.review_id, Person)
            .join(Person, col(Person.id) == ReviewLead.person_id)
            .where(col(ReviewLead.review_id).in_(ids))
            .order_by(col(Person.name))
        )
        for review_id, person in session.exec(query):
            found[review_id].append(person)
    return found


def admins(session: Session) -> list[Person]:
    """The admins, by name (the roles are a JSON list: matched as text first, then checked)."""
    query = select(Person).where(cast(col(Person.roles), String).like(f'%"{Role.ADMIN.value}"%'))
    return [person for person in session.exec(query.order_by(col(Person.name))) if Role.ADMIN in person.roles]


def review_titles(session: Session, review_ids: Sequence[int]) -> list[tuple[int, str]]:
    query = select(Review.id, Review.title).where(col(Review.id).in_(list(review_ids)))
    return [(review_id or 0, title) for review_id, title in session.exec(query)]


def unled_reviews(session: Session, review_ids: Sequence[int] | None) -> list[str]:
    """The titles of the active reviews (of ``review_ids``, or all) that have no lead."""
    led = select(ReviewLead.review_id)
    query = select(Review.title).where(Review.state == ReviewState.ACTIVE, col(Review.id).not_in(led))
    if review_ids is not None:
        query = query.where(col(Review.id).in_(list(review_ids)))
    return list(session.exec(query.order_by(col(Review.title))))


