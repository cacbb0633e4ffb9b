"""People and groups: finding them by chat account, email or name, and by role.

Owners' other names (aliases) are in :mod:`store.aliases`; who owns and leads what is in
:mod:`store.ownership`.
"""

from __future__ import annotations

from collections.abc import Iterable
from difflib import get_close_matches
from typing import Any

from sqlalchemy import Row, bindparam, func
from sqlalchemy import select as core_select
from sqlalchemy.orm import make_transient_to_detached
from sqlalchemy.orm.attributes import manager_of_class
from sqlmodel import Session, select

from store.models import Group, Person

_PERSON = Person.__table__  # type: ignore[attr-defined]
# How the ORM makes an instance it loads: the class's own __new__ and the instance's state, no __init__ (SQLModel's
# sets each column through its instrumented attribute: ~26 µs a person, where this and the state's commit take ~6).
_NEW_PERSON = manager_of_class(Person).new_instance
# Asked on every request: built once, and read as a Core row (bench/core_cpu.py: a third of the ORM's CPU).
_BY_PLATFORM_ID = {
    "slack": core_select(_PERSON).where(_PERSON.c.slack_user_id == bindparam("user_id")).limit(1),
    "teams": core_select(_PERSON).where(_PERSON.c.teams_user_id == bindparam("user_id")).limit(1),
}


def person_by_platform_id(session: Session, platform: str, user_id: str) -> Person | None:
    """The person linked to this Slack or Teams user, if any (``None`` for any other platform)."""
    query = _BY_PLATFORM_ID.get(platform)
    if query is None:
        return None
    if session.autoflush:
        session.flush()  # as the ORM would before a query of its own
    row = session.connection().execute(query, {"user_id": user_id}).first()
    return None if row is None else _in_session(session, row)


def _in_session(session: Session, row: Row[Any]) -> Person:
    """The person a row of ``person`` read in this transaction describes, as the ORM would have loaded it: the
    session's own instance if it holds one already (with any change not yet flushed), else a new one it tracks."""
    key = session.identity_key(Person, (row.id,))
    held = session.identity_map.get(key)
    if held is not None:
        return held  # type: ignore[no-any-return]
    person: Person = _NEW_PERSON()
    person.__dict__.update(row._mapping)  # the columns as a query's loader sets them, without change events
    make_transient_to_detached(person)  # its columns count as loaded, as a query's would: nothing to write
    session.add(person)
    return person


def person_by_email(session: Session, email: str) -> Person | None:
    return session.exec(select(Person).where(func.lower(Person.email) == email.strip().lower())).first()


def person_by_name(session: Session, name: str) -> Person | None:
    return session.exec(select(Person).where(func.lower(Person.name) == name.strip().lower())).first()


def group_by_name(session: Session, name: str) -> Group | None:
    return session.exec(select(Group).where(func.lower(Group.name) == name.strip().lower())).first()


def find_people(session: Session, text: str) -> list[Person]:
    """People matching ``text``: the exact name, else every name containing it, else none."""
    exact = person_by_name(session, text)
    if exact is not None:
        return [exact]
    pattern = f"%{text.strip().lower()}%"
    return list(session.exec(select(Person).where(func.lower(Person.name).like(pattern)).order_by(Person.name)))


def closest_names(names: Iterable[str], text: str, limit: int = 3) -> list[str]:
    """Names that look like ``text`` ("ayne Pickering" → "Jayne Pickering"), best first."""
    by_lower = {name.lower(): name for name in names}
    return [by_lower[m] for m in get_close_matches(text.lower(), list(by_lower), n=limit, cutoff=0.6)]


def all_person_names(session: Session) -> list[str]:
    return list(session.exec(select(Person.name)))


def people_with_role(session: Session, role: str) -> list[Person]:
    return [person for person in session.exec(select(Person).order_by(Person.name)) if role in person.roles]
