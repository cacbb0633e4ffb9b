"""A person's (or group's) names, put right once and remembered: merge, rename, alias.

A plan gets names wrong in ways an admin fixes once: a typo ("ayne Pickering"), one person under two
spellings, a job title standing for a person. The fix is remembered as an alias, so the next import of
the same file finds the right owner without a flag.

* :func:`merge` moves everything FROM holds onto INTO (ownerships, chat links, review leads, group
  memberships, roles; audit rows keep who did what, attributed to INTO), deletes FROM and keeps its
  name as an alias of INTO. It refuses when both are linked to different chat users.
* :func:`rename` gives an owner a new name and keeps the old one as an alias.
* :func:`add_alias` records another way a name is written.

Each takes an open session (the caller's unit of work commits it) and ``by``: the person asking, who
must be an admin, or ``None`` for the server's own command line. Changes to actions' owners write an
audit row on each action. Plain Python, so chat commands can call the same functions.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlmodel import Session, select

from bot.domain import Surface, UpdateKind
from bot.errors import NotAllowed, UserError
from bot.importing.owners import owner_key
from bot.permissions import is_admin
from store import aliases
from store.models import ActionUpdate, Group, OwnerAlias, Person

Owner = Person | Group
MAX_NAME = 200


@dataclass(frozen=True)
class Merged:
    """What a merge moved."""

    source: str
    target: str
    actions: int
    leads: int
    groups: int
    history: int
    notes: tuple[str, ...] = ()


@dataclass(frozen=True)
class Renamed:
    """What a rename changed."""

    old: str
    new: str
    actions: int


def find_owner(session: Session, name: str) -> Owner:
    """The person or group called ``name`` (case, spacing and look-alike letters aside), or known by it
    as an alias; otherwise an error naming the closest names."""
    key = owner_key(name)
    if not key:
        raise UserError("Give a name.")
    for person in session.exec(select(Person)):
        if owner_key(person.name) == key:
            return person
    for group in session.exec(select(Group)):
        if owner_key(group.name) == key:
            return group
    alias = aliases.alias_by_key(session, key)
    if alias is not None:
        owner = session.get(Person, alias.person_id) if alias.person_id else session.get(Group, alias.group_id)
        if owner is not None:
            return owner
    raise UserError(f"Nobody in the plan is called '{name}'.{_closest(session, name)}")


def merge(
    session: Session, source_name: str, target_name: str, *, by: Person | None, now: datetime, surface: Surface
) -> Merged:
    """Merge FROM (``source_name``) into INTO (``target_name``); see the module's docstring."""
    _check_admin(by)
    source, target = find_owner(session, source_name), find_owner(session, target_name)
    if _same(source, target):
        raise UserError(f"'{source_name}' and '{target_name}' are both {source.name}: nothing to merge.")
    if isinstance(source, Person) and isinstance(target, Group):
        raise UserError(
            f"{source.name} is a person and {target.name} a group: a person cannot be merged into a group. "
            f"To make {source.name} a member, add them to the group."
        )
    notes: list[str] = []
    leads = groups = history = 0
    if isinstance(source, Person) and isinstance(target, Person):
        _check_links(source, target)
        notes += _move_person_details(session, source, target)
        leads, groups = aliases.move_memberships(session, source, target)
        history = aliases.reattribute_history(session, source, target)
    elif isinstance(source, Group) and isinstance(target, Group):
        groups = aliases.move_group_members(session, source, target)
        if target.channel_key is None and source.channel_key is not None:
            target.channel_platform, target.channel_key = source.channel_platform, source.channel_key
            source.channel_platform = source.channel_key = None
            session.add(target)
    action_ids = aliases.actions_owned_by(session, source)
    aliases.replace_owner(session, action_ids, source, target)
    _audit(session, action_ids, f"{source.name} merged into {target.name}", by=by, now=now, surface=surface)
    aliases.move_aliases(session, source, target)
    session.flush()
    old_name = source.name
    session.delete(source)
    session.flush()
    _remember(session, target, old_name)
    return Merged(old_name, target.name, len(action_ids), leads, groups, history, tuple(notes))


def rename(
    session: Session, old_name: str, new_name: str, *, by: Person | None, now: datetime, surface: Surface
) -> Renamed:
    """Give an owner a new name; the old one stays as an alias, so imports that write it still find them."""
    _check_admin(by)
    owner = find_owner(session, old_name)
    new = _clean(new_name)
    new_key = owner_key(new)
    if new == owner.name:
        raise UserError(f"{owner.name} is already called that.")
    for other in (*session.exec(select(Person)), *session.exec(select(Group))):
        if owner_key(other.name) == new_key and not _same(other, owner):
            raise UserError(
                f"'{other.name}' is already in the plan. If they are one and the same, merge them: "
                f'`actionbot people merge "{owner.name}" "{other.name}"`.'
            )
    existing = aliases.alias_by_key(session, new_key)
    if existing is not None:
        if _alias_owner_is(existing, owner):
            session.delete(existing)
            session.flush()
        else:
            raise UserError(f"'{new}' is already another name for {_alias_target(session, existing)}.")
    old = owner.name
    owner.name = new
    session.add(owner)
    session.flush()
    action_ids = aliases.actions_owned_by(session, owner)
    aliases.refresh_lead_owner(session, action_ids)
    _audit(session, action_ids, f"{old} renamed {new}", by=by, now=now, surface=surface)
    _remember(session, owner, old)
    return Renamed(old, new, len(action_ids))


def add_alias(session: Session, name: str, alias: str, *, by: Person | None) -> tuple[Owner, bool]:
    """Record ``alias`` as another way ``name`` is written; return the owner and whether it was new."""
    _check_admin(by)
    owner = find_owner(session, name)
    written = _clean(alias)
    key = owner_key(written)
    if key == owner_key(owner.name):
        raise UserError(f"'{written}' is {owner.name}'s own name.")
    for other in (*session.exec(select(Person)), *session.exec(select(Group))):
        if owner_key(other.name) == key:
            raise UserError(
                f"'{other.name}' is someone else in the plan. If they are one and the same, merge them: "
                f'`actionbot people merge "{other.name}" "{owner.name}"`.'
            )
    existing = aliases.alias_by_key(session, key)
    if existing is not None:
        if _alias_owner_is(existing, owner):
            return owner, False
        raise UserError(f"'{written}' is already another name for {_alias_target(session, existing)}.")
    aliases.add_alias(session, owner, written, key)
    session.flush()
    return owner, True


# helpers ------------------------------------------------------------------------------------


def _check_admin(by: Person | None) -> None:
    if by is not None and not is_admin(by):
        raise NotAllowed("Only an admin can merge, rename or alias people.")


def _clean(name: str) -> str:
    cleaned = " ".join(name.split())
    if not owner_key(cleaned):
        raise UserError("Give a name.")
    if len(cleaned) > MAX_NAME:
        raise UserError(f"A name is at most {MAX_NAME} characters.")
    return cleaned


def _same(one: Owner, other: Owner) -> bool:
    return type(one) is type(other) and one.id == other.id


def _alias_owner_is(alias: OwnerAlias, owner: Owner) -> bool:
    if isinstance(owner, Person):
        return alias.person_id == owner.id
    return alias.group_id == owner.id


def _alias_target(session: Session, alias: OwnerAlias) -> str:
    owner = session.get(Person, alias.person_id) if alias.person_id else session.get(Group, alias.group_id)
    return owner.name if owner is not None else "someone"


def _remember(session: Session, owner: Owner, old_name: str) -> None:
    key = owner_key(old_name)
    if key == owner_key(owner.name):
        return
    existing = aliases.alias_by_key(session, key)
    if existing is None:
        aliases.add_alias(session, owner, old_name, key)
        session.flush()


def _check_links(source: Person, target: Person) -> None:
    for platform, label in (("slack", "Slack"), ("teams", "Teams")):
        theirs, ours = getattr(source, f"{platform}_user_id"), getattr(target, f"{platform}_user_id")
        if theirs and ours and theirs != ours:
            raise UserError(
                f"{source.name} is linked to {label} user {theirs} and {target.name} to {label} user {ours}: "
                "they look like two different people, so nothing was merged."
            )


def _move_person_details(session: Session, source: Person, target: Person) -> list[str]:
    """Chat links, email, roles and job title: what INTO lacks, FROM gives."""
    notes: list[str] = []
    moved: dict[str, str] = {}
    for column in ("slack_user_id", "teams_user_id", "email"):
        value = getattr(source, column)
        if value and not getattr(target, column):
            moved[column] = value
        elif value and getattr(target, column) != value:
            notes.append(f"kept {target.name}'s {column.replace('_', ' ')}; {source.name}'s ({value}) was dropped")
        setattr(source, column, None)
    session.add(source)
    session.flush()  # the unique columns are free before INTO takes them
    for column, value in moved.items():
        setattr(target, column, value)
    target.roles = sorted(set(target.roles) | set(source.roles))
    target.job_title = target.job_title or source.job_title
    session.add(target)
    return notes


def _audit(
    session: Session, action_ids: list[int], note: str, *, by: Person | None, now: datetime, surface: Surface
) -> None:
    for action_id in action_ids:
        session.add(
            ActionUpdate(
                action_id=action_id,
                at=now,
                person_id=by.id if by is not None else None,
                surface=surface,
                kind=UpdateKind.OWNERS,
                note=note[:2000],
            )
        )


def _closest(session: Session, name: str) -> str:
    from difflib import get_close_matches

    names = {owner_key(n): n for n in (*session.exec(select(Person.name)), *session.exec(select(Group.name)))}
    close = get_close_matches(owner_key(name), list(names), n=3, cutoff=0.6)
    return f" Did you mean {' or '.join(repr(names[c]) for c in close)}?" if close else ""
