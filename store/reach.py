"""Who the bot cannot reach on its own: owners of open actions with no route, for the digest to name.

A person is reachable when linked on a platform the bot sends to (with ``reach`` None: linked at all);
a group when at least one member is. The owners nobody can reach are found first (usually few): only
their open actions are read, through the owner indexes.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence, Set
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import ColumnElement, exists, false, literal_column, not_, or_, true
from sqlalchemy import select as sa_select
from sqlalchemy.orm import aliased
from sqlmodel import Session, col

from store.actions import OPEN_STATUSES
from store.models import Action, ActionOwner, Group, GroupMember, Person


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


def _unreachable_group(reach: Set[str] | None) -> ColumnElement[bool]:
    """SQL: no member of the group can be reached on ``reach``; every group when the bot sends nowhere (an
    empty ``reach``: no member term to correlate on, so none is built)."""
    if reach is not None and not reach:
        return true()
    member = aliased(Person)
    return not_(
        exists().where(
            col(GroupMember.group_id) == Group.id, col(member.id) == GroupMember.person_id, reachable(member, reach)
        )
    )


def unreached_owners(session: Session, review_ids: Sequence[int] | None, reach: Set[str] | None) -> Unreached:
    """Open actions (of ``review_ids``, or all) with an owner the bot cannot reach."""
    return _unreached(session, review_ids, reach, by_review=False).get(0, Unreached())


def unreached_by_review(session: Session, review_ids: Sequence[int], reach: Set[str] | None) -> dict[int, Unreached]:
    """The same for each of ``review_ids`` on its own, in a few grouped queries (reviews with none left out)."""
    return _unreached(session, review_ids, reach, by_review=True)


def _unreached(
    session: Session, review_ids: Sequence[int] | None, reach: Set[str] | None, *, by_review: bool
) -> dict[int, Unreached]:
    """First the owners nobody can reach (people; groups with no member anyone can reach): usually few, often
    none, and then nothing else is read. Then only their actions, through the owner indexes."""
    people = {
        person_id: name
        for person_id, name in session.execute(
            sa_select(col(Person.id), col(Person.name)).where(not_(reachable(Person, reach)))
        )
    }
    groups = {
        group_id: name
        for group_id, name in session.execute(
            sa_select(col(Group.id), col(Group.name)).where(_unreachable_group(reach))
        )
    }
    if not people and not groups:
        return {}
    scope = [col(Action.status).in_(OPEN_STATUSES)]
    if review_ids is not None:
        scope.append(col(Action.review_id).in_(list(review_ids)))
    owned = or_(col(ActionOwner.person_id).in_(list(people)), col(ActionOwner.group_id).in_(list(groups)))
    key: Any = col(Action.review_id) if by_review else literal_column("0")
    rows = session.execute(
        sa_select(key, col(Action.id), col(ActionOwner.person_id), col(ActionOwner.group_id))
        .join(ActionOwner, col(ActionOwner.action_id) == Action.id)
        .where(*scope, owned)
    )
    actions: dict[int, set[int]] = defaultdict(set)
    by_owner: dict[int, dict[tuple[str, bool], set[int]]] = defaultdict(lambda: defaultdict(set))
    for review_id, action_id, person_id, group_id in rows:
        actions[review_id].add(action_id)
        owner = (people[person_id], False) if person_id is not None else (groups[group_id], True)
        by_owner[review_id][owner].add(action_id)
    found = {}
    for review_id, ids in actions.items():
        named = sorted(
            ((name, len(owned_ids), group) for (name, group), owned_ids in by_owner[review_id].items()),
            key=lambda owner: (-owner[1], owner[0]),
        )
        found[int(review_id)] = Unreached(len(ids), named)
    return found
