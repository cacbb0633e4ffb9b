"""Who the bot cannot reach on its own: owners of open actions with no route, for the digest to name.

A person is reachable when linked on a platform the bot sends to (with ``reach`` None: linked at all);
a group when at least one member is. An open action with no owner cannot be chased either. Four
queries whatever the number of actions.
"""

from __future__ import annotations

from collections.abc import Sequence, Set
from dataclasses import dataclass, field

from sqlalchemy import ColumnElement, and_, exists, false, func, not_, or_, true
from sqlalchemy import select as sa_select
from sqlalchemy.orm import aliased
from sqlmodel import Session, col

from store.models import Action, ActionOwner, Group, GroupMember, Person
from store.queries import OPEN_STATUSES


@dataclass(frozen=True)
class Unreached:
    """How many open actions have an owner the bot cannot reach, and who (name, actions, is a group)."""

    actions: int = 0
    owners: list[tuple[str, int, bool]] = field(default_factory=list)
    no_owner: int = 0


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
    scope = [col(Action.status).in_(OPEN_STATUSES)]
    if review_ids is not None:
        scope.append(col(Action.review_id).in_(list(review_ids)))
    member = aliased(Person)
    group_reachable = exists().where(
        col(GroupMember.group_id) == ActionOwner.group_id,
        col(member.id) == GroupMember.person_id,
        reachable(member, reach),
    )
    person_owner = and_(col(ActionOwner.person_id).is_not(None), not_(reachable(Person, reach)))
    group_owner = and_(col(ActionOwner.group_id).is_not(None), not_(group_reachable))
    unowned = col(ActionOwner.action_id).is_(None)
    total = (
        sa_select(func.count(func.distinct(Action.id)))
        .select_from(Action)
        .outerjoin(ActionOwner, col(ActionOwner.action_id) == Action.id)
        .outerjoin(Person, col(Person.id) == ActionOwner.person_id)
        .where(*scope, or_(unowned, person_owner, group_owner))
    )
    no_owner = (
        sa_select(func.count())
        .select_from(Action)
        .outerjoin(ActionOwner, col(ActionOwner.action_id) == Action.id)
        .where(*scope, unowned)
    )
    people = (
        sa_select(col(Person.name), func.count(func.distinct(Action.id)))
        .join(ActionOwner, col(ActionOwner.action_id) == Action.id)
        .join(Person, col(Person.id) == ActionOwner.person_id)
        .where(*scope, not_(reachable(Person, reach)))
        .group_by(col(Person.name))
    )
    groups = (
        sa_select(col(Group.name), func.count(func.distinct(Action.id)))
        .join(ActionOwner, col(ActionOwner.action_id) == Action.id)
        .join(Group, col(Group.id) == ActionOwner.group_id)
        .where(*scope, not_(group_reachable))
        .group_by(col(Group.name))
    )
    owners = [(name, count, False) for name, count in session.execute(people)]
    owners += [(name, count, True) for name, count in session.execute(groups)]
    owners.sort(key=lambda owner: (-owner[1], owner[0]))
    return Unreached(
        actions=int(session.execute(total).scalar() or 0),
        owners=owners,
        no_owner=int(session.execute(no_owner).scalar() or 0),
    )
