"""Who the bot cannot reach on its own: owners of open actions with no route, for the digest to name.

A person is reachable when linked on a platform the bot sends to (with ``reach`` None: linked at all);
a group when at least one member is. Three queries whatever the number of actions.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence, Set
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import ColumnElement, and_, exists, false, func, literal_column, not_, or_, true
from sqlalchemy import select as sa_select
from sqlalchemy.orm import aliased
from sqlmodel import Session, col

from store.models import Action, ActionOwner, Group, GroupMember, Person
from store.queries import OPEN_STATUSES


@dataclass(frozen=True)
class Unreached:
    """How many open actions have an owner the bot cannot reach, and who (name, actions, is a group).

    An action with no owner at all is not counted here: the digest says so with the plan's other gaps."""

    actions: int = 0
    owners: list[tuple[str, int, bool]] = field(default_factory=list)


def reachable(person: type[Person], reach: Set[str] | None) -> ColumnElement[bool]:
    """SQL: the person (the Person entity or an alias of it) can be reached on ``reach`` (None: linked at all)."""
    slack = col(person.slack_user_id).is_not(None)
    teams = col(person.teams_user_id).is_not(None)
    if reach is None:
        return or_(slack, teams)
    if "console" in reach:
        return true()
    terms = [term for platform, term in (("slack", slack), ("teams", teams)) if platform in reach]
    return or_(*terms) if terms else false()


def unreached_owners(session: Session, review_ids: Sequence[int] | None, reach: Set[str] | None) -> Unreached:
    """Open actions (of ``review_ids``, or all) with an owner the bot cannot reach."""
    return _unreached(session, review_ids, reach, by_review=False).get(0, Unreached())


def unreached_by_review(session: Session, review_ids: Sequence[int], reach: Set[str] | None) -> dict[int, Unreached]:
    """The same for each of ``review_ids`` on its own, in four grouped queries (reviews with none left out)."""
    return _unreached(session, review_ids, reach, by_review=True)


def _unreached(
    session: Session, review_ids: Sequence[int] | None, reach: Set[str] | None, *, by_review: bool
) -> dict[int, Unreached]:
    scope = [col(Action.status).in_(OPEN_STATUSES)]
    if review_ids is not None:
        scope.append(col(Action.review_id).in_(list(review_ids)))
    key: Any = col(Action.review_id) if by_review else literal_column("0")
    keys = [key] if by_review else []
    member = aliased(Person)
    group_reachable = exists().where(
        col(GroupMember.group_id) == ActionOwner.group_id,
        col(member.id) == GroupMember.person_id,
        reachable(member, reach),
    )
    person_owner = and_(col(ActionOwner.person_id).is_not(None), not_(reachable(Person, reach)))
    group_owner = and_(col(ActionOwner.group_id).is_not(None), not_(group_reachable))
    total = (
        sa_select(key, func.count(func.distinct(Action.id)))
        .select_from(Action)
        .join(ActionOwner, col(ActionOwner.action_id) == Action.id)
        .outerjoin(Person, col(Person.id) == ActionOwner.person_id)
        .where(*scope, or_(person_owner, group_owner))
        .group_by(*keys)
    )
    people = (
        sa_select(key, col(Person.name), func.count(func.distinct(Action.id)))
        .join(ActionOwner, col(ActionOwner.action_id) == Action.id)
        .join(Person, col(Person.id) == ActionOwner.person_id)
        .where(*scope, not_(reachable(Person, reach)))
        .group_by(*keys, col(Person.name))
    )
    groups = (
        sa_select(key, col(Group.name), func.count(func.distinct(Action.id)))
        .join(ActionOwner, col(ActionOwner.action_id) == Action.id)
        .join(Group, col(Group.id) == ActionOwner.group_id)
        .where(*scope, not_(group_reachable))
        .group_by(*keys, col(Group.name))
    )
    owners: dict[int, list[tuple[str, int, bool]]] = defaultdict(list)
    for review_id, name, count in session.execute(people):
        owners[review_id].append((name, count, False))
    for review_id, name, count in session.execute(groups):
        owners[review_id].append((name, count, True))
    found = {}
    for review_id, count in session.execute(total):
        named = sorted(owners[review_id], key=lambda owner: (-owner[1], owner[0]))
        found[int(review_id)] = Unreached(int(count), named)
    return found
