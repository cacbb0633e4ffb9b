"""Owners' other names, and moving what one person or group holds onto another.

Used by ``people merge``, ``rename`` and ``alias`` (:mod:`bot.services.people_names`) and by the
importer, which finds an owner by any name remembered here. Keys are computed by the caller
(:func:`bot.importing.owners.owner_key`); the store only keeps them.
"""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import delete, insert, update
from sqlmodel import Session, col, select

from store.models import (
    Action,
    ActionOwner,
    ActionUpdate,
    Group,
    GroupMember,
    OutboxNotification,
    OwnerAlias,
    Person,
    ReviewLead,
    Subscription,
)

Owner = Person | Group


def all_aliases(session: Session) -> list[OwnerAlias]:
    return list(session.exec(select(OwnerAlias).order_by(col(OwnerAlias.id))))


def alias_by_key(session: Session, key: str) -> OwnerAlias | None:
    return session.exec(select(OwnerAlias).where(OwnerAlias.key == key)).first()


def aliases_of(session: Session, owner: Owner) -> list[OwnerAlias]:
    column = OwnerAlias.person_id if isinstance(owner, Person) else OwnerAlias.group_id
    return list(session.exec(select(OwnerAlias).where(column == owner.id).order_by(col(OwnerAlias.alias))))


def aliases_by_person(session: Session) -> dict[int, list[str]]:
    """Every person's other names, by person id."""
    found: dict[int, list[str]] = {}
    query = select(OwnerAlias).where(col(OwnerAlias.person_id).is_not(None)).order_by(col(OwnerAlias.alias))
    for alias in session.exec(query):
        found.setdefault(alias.person_id or 0, []).append(alias.alias)
    return found


def add_alias(session: Session, owner: Owner, alias: str, key: str) -> OwnerAlias:
    row = OwnerAlias(
        alias=alias[:200],
        key=key[:200],
        person_id=owner.id if isinstance(owner, Person) else None,
        group_id=owner.id if isinstance(owner, Group) else None,
    )
    session.add(row)
    return row


def move_aliases(session: Session, source: Owner, target: Owner) -> None:
    """Every alias of ``source`` becomes one of ``target``."""
    source_column = col(OwnerAlias.person_id) if isinstance(source, Person) else col(OwnerAlias.group_id)
    values = {"person_id": target.id, "group_id": None} if isinstance(target, Person) else {
        "person_id": None, "group_id": target.id}  # fmt: skip
    session.execute(update(OwnerAlias).where(source_column == source.id).values(**values))


def owner_columns(owner: Owner) -> tuple[int | None, int | None]:
    """An owner as the (person_id, group_id) pair ``action_owner`` stores."""
    return (owner.id, None) if isinstance(owner, Person) else (None, owner.id)


def actions_owned_by(session: Session, owner: Owner) -> list[int]:
    person_id, group_id = owner_columns(owner)
    column = ActionOwner.person_id if person_id is not None else ActionOwner.group_id
    query = select(ActionOwner.action_id).where(column == (person_id or group_id)).distinct()
    return sorted(session.exec(query))


def replace_owner(session: Session, action_ids: Sequence[int], source: Owner, target: Owner) -> None:
    """On each action, ``target`` takes ``source``'s place among the owners (once, at the first place
    either held); the lead owner's name kept on the action follows."""
    if not action_ids:
        return
    old, new = owner_columns(source), owner_columns(target)
    rows = session.exec(
        select(ActionOwner).where(col(ActionOwner.action_id).in_(action_ids)).order_by(
            col(ActionOwner.action_id), col(ActionOwner.position))
    ).all()  # fmt: skip
    owners: dict[int, list[tuple[int | None, int | None]]] = {action_id: [] for action_id in action_ids}
    for row in rows:
        pair = (row.person_id, row.group_id)
        pair = new if pair == old else pair
        if pair not in owners[row.action_id]:
            owners[row.action_id].append(pair)
    session.execute(delete(ActionOwner).where(col(ActionOwner.action_id).in_(action_ids)))
    values = [
        {"action_id": action_id, "position": position, "person_id": person_id, "group_id": group_id}
        for action_id, pairs in owners.items()
        for position, (person_id, group_id) in enumerate(pairs)
    ]
    if values:
        session.execute(insert(ActionOwner.__table__), values)  # type: ignore[attr-defined]
    refresh_lead_owner(session, action_ids)


def refresh_lead_owner(session: Session, action_ids: Sequence[int]) -> None:
    """Set the lead owner's name kept on each action from its first owner now."""
    if not action_ids:
        return
    query = (
        select(ActionOwner.action_id, Person.name, Group.name)
        .outerjoin(Person, col(Person.id) == ActionOwner.person_id)
        .outerjoin(Group, col(Group.id) == ActionOwner.group_id)
        .where(col(ActionOwner.action_id).in_(action_ids))
        .order_by(col(ActionOwner.action_id), col(ActionOwner.position))
    )
    leads: dict[int, str] = {}
    for action_id, person_name, group_name in session.exec(query):
        leads.setdefault(action_id, person_name or group_name or "")
    for action in session.exec(select(Action).where(col(Action.id).in_(action_ids))):
        lead = leads.get(action.id or 0, "")
        if action.lead_owner != lead:
            action.lead_owner = lead
            session.add(action)


def move_memberships(session: Session, source: Person, target: Person) -> tuple[int, int]:
    """``source``'s review leads and group memberships become ``target``'s; how many of each moved."""
    led = set(session.exec(select(ReviewLead.review_id).where(ReviewLead.person_id == source.id)))
    already_led = set(session.exec(select(ReviewLead.review_id).where(ReviewLead.person_id == target.id)))
    groups = set(session.exec(select(GroupMember.group_id).where(GroupMember.person_id == source.id)))
    already_in = set(session.exec(select(GroupMember.group_id).where(GroupMember.person_id == target.id)))
    session.execute(delete(ReviewLead).where(col(ReviewLead.person_id) == source.id))
    session.execute(delete(GroupMember).where(col(GroupMember.person_id) == source.id))
    for review_id in sorted(led - already_led):
        session.add(ReviewLead(review_id=review_id, person_id=target.id or 0))
    for group_id in sorted(groups - already_in):
        session.add(GroupMember(group_id=group_id, person_id=target.id or 0))
    return len(led), len(groups)


def move_group_members(session: Session, source: Group, target: Group) -> int:
    members = set(session.exec(select(GroupMember.person_id).where(GroupMember.group_id == source.id)))
    already = set(session.exec(select(GroupMember.person_id).where(GroupMember.group_id == target.id)))
    session.execute(delete(GroupMember).where(col(GroupMember.group_id) == source.id))
    for person_id in sorted(members - already):
        session.add(GroupMember(group_id=target.id or 0, person_id=person_id))
    return len(members)


def reattribute_history(session: Session, source: Person, target: Person) -> int:
    """Audit rows, subscriptions made and messages queued by ``source`` become ``target``'s; audit rows moved."""
    moved = session.execute(
        update(ActionUpdate).where(col(ActionUpdate.person_id) == source.id).values(person_id=target.id)
    )
    session.execute(
        update(Subscription).where(col(Subscription.created_by_id) == source.id).values(created_by_id=target.id)
    )
    session.execute(
        update(OutboxNotification).where(col(OutboxNotification.person_id) == source.id).values(person_id=target.id)
    )
    return int(moved.rowcount or 0)  # type: ignore[attr-defined]
