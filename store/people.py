"""People and groups: finding them by chat account, email or name, and by role.

Owners' other names (aliases) are in :mod:`store.aliases`; who owns and leads what is in
:mod:`store.ownership`.
"""

from __future__ import annotations

from collections.abc import Iterable
from difflib import get_close_matches

from sqlalchemy import bindparam, func
from sqlmodel import Session, select

from store.models import Group, Person

# Built once: who is asking is looked up on every request.
_BY_PLATFORM_ID = {
    "slack": select(Person).where(Person.slack_user_id == bindparam("user")),
    "teams": select(Person).where(Person.teams_user_id == bindparam("user")),
}


def person_by_platform_id(session: Session, platform: str, user_id: str) -> Person | None:
    """The person linked to this Slack or Teams user, if any (``None`` for any other platform)."""
    query = _BY_PLATFORM_ID.get(platform)
    if query is None:
        return None
    return session.exec(query, params={"user": user_id}).first()


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
