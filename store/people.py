"""People and groups: finding them by chat account, email or name, and by role.

Owners' other names (aliases) are in :mod:`store.aliases`; who owns and leads what is in
:mod:`store.ownership`.
"""

from __future__ import annotations

from collections.abc import Iterable
from difflib import get_close_matches
from typing import Any

from sqlalchemy import bindparam, func
from sqlalchemy import select as core_select
from sqlalchemy.orm import make_transient_to_detached
from sqlalchemy.orm.attributes import manager_of_class
from sqlmodel import Session, select

from store.driver_select import DriverSelect
from store.models import Group, Person

_PERSON = Person.__table__  # type: ignore[attr-defined]
# How the ORM makes an instance it loads: the class's own __new__ and the instance's state, no __init__ (SQLModel's
# sets each column through its instrumented attribute: ~26 µs a person, where this and the state's commit take ~6).
_NEW_PERSON = manager_of_class(Person).new_instance
_COLUMNS = tuple(_PERSON.c.keys())
# Asked on every request: built once, and read through the driver (store.driver_select; as a Core row it was a third
# of the ORM's CPU, and SQLAlchemy's work around the one statement most of what was left).
_BY_PLATFORM_ID = {
    platform: DriverSelect(core_select(_PERSON).where(column == bindparam("user_id")).limit(1), runtime=("user_id",))
    for platform, column in (("slack", _PERSON.c.slack_user_id), ("teams", _PERSON.c.teams_user_id))
}


def person_by_platform_id(session: Session, platform: str, user_id: str) -> Person | None:
    """The person linked to this Slack or Teams user, if any (``None`` for any other platform)."""
    query = _BY_PLATFORM_ID.get(platform)
    if query is None:
        return None
    if session.autoflush:
        session.flush()  # as the ORM would before a query of its own
    rows = query.rows(session, {"user_id": user_id}, limit=1)
    return _in_session(session, dict(zip(_COLUMNS, rows[0], strict=True))) if rows else None


def _in_session(session: Session, columns: dict[str, Any]) -> Person:
    """The person a row of ``person`` read in this transaction describes, as the ORM would have loaded it: the
    session's own instance if it holds one already (with any change not yet flushed), else a new one it tracks."""
    key = session.identity_key(Person, (columns["id"],))
    held = session.identity_map.get(key)
    if held is not None:
        return held  # type: ignore[no-any-return]
    person: Person = _NEW_PERSON()
    person.__dict__.update(columns)  # the columns as a query's loader sets them, without change events
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
