"""Reading the outbox for people: listing rows (``actionbot outbox``), who cannot be reached and why, the rows a
run of the jobs added, and a row's target as a person would name it (``DM to Gareth Evans``, ``#peer-challenge``).

The drain's own steps (claim, mark sent, …) are in :mod:`store.outbox`; this module only reads.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from sqlalchemy import func
from sqlmodel import Session, col, select

from bot.domain import OutboxState
from store.models import Conversation, Group, OutboxNotification, Person


def rows(session: Session, *, state: OutboxState | None = None, limit: int = 50) -> list[OutboxNotification]:
    """The newest ``limit`` rows (of one state), newest first."""
    query = select(OutboxNotification).order_by(col(OutboxNotification.id).desc()).limit(limit)
    if state is not None:
        query = query.where(OutboxNotification.state == state.value)
    return list(session.exec(query))


def counts(session: Session) -> dict[str, int]:
    """How many rows are in each state."""
    query = select(OutboxNotification.state, func.count()).group_by(col(OutboxNotification.state))
    return {state: count for state, count in session.exec(query)}


def last_id(session: Session) -> int:
    """The newest row's id (0 for an empty outbox): rows added after it are a run's."""
    return session.exec(select(func.max(OutboxNotification.id))).one() or 0


def added_after(session: Session, row_id: int) -> list[OutboxNotification]:
    """The rows added after ``row_id``, oldest first."""
    query = select(OutboxNotification).where(col(OutboxNotification.id) > row_id)
    return list(session.exec(query.order_by(col(OutboxNotification.id))))


def ids_in_state(session: Session, state: OutboxState) -> list[int]:
    """The ids of every row in ``state``."""
    query = select(OutboxNotification.id).where(OutboxNotification.state == state.value)
    return [row_id for row_id in session.exec(query.order_by(col(OutboxNotification.id))) if row_id is not None]


def existing(session: Session, row_ids: Sequence[int]) -> dict[int, OutboxNotification]:
    """The rows of ``row_ids`` that exist, by id."""
    query = select(OutboxNotification).where(col(OutboxNotification.id).in_(list(row_ids)))
    return {row.id or 0: row for row in session.exec(query)}


@dataclass(frozen=True)
class Unreachable:
    """Someone the bot could not reach on its own: whom, why, how many messages, and the latest."""

    who: str
    reason: str
    messages: int
    latest: OutboxNotification


def unreachable(session: Session) -> list[Unreachable]:
    """Who the bot cannot reach, one entry per person (or action, or group nobody can be told of), newest first."""
    query = select(OutboxNotification).where(OutboxNotification.state == OutboxState.UNREACHABLE.value)
    found: dict[tuple[int | None, str], list[OutboxNotification]] = {}
    for row in session.exec(query.order_by(col(OutboxNotification.id).desc())):
        key = (row.person_id, row.target_key if row.person_id is None else "")
        found.setdefault(key, []).append(row)
    names = _names(session, {person_id for person_id, _ in found if person_id is not None})
    return [
        Unreachable(
            who=names.get(person_id, "(a person since removed)") if person_id is not None else target,
            reason=found_rows[0].last_error or "no route",
            messages=len(found_rows),
            latest=found_rows[0],
        )
        for (person_id, target), found_rows in found.items()
    ]


def target_label(session: Session, platform: str, key: str) -> str:
    """A row's target as a person would name it: ``DM to Gareth Evans``, ``#peer-challenge``, or the key."""
    person: Person | None = None
    if platform == "slack" and key.startswith(("U", "W")):
        person = session.exec(select(Person).where(Person.slack_user_id == key)).first()
    elif platform == "teams" and key.startswith("user:"):
        person = session.exec(select(Person).where(Person.teams_user_id == key.removeprefix("user:"))).first()
    elif key.startswith("person:") and key.removeprefix("person:").isdigit():
        person = session.get(Person, int(key.removeprefix("person:")))
    if person is not None:
        return f"DM to {person.name}"
    query = select(Conversation.name).where(Conversation.platform == platform, Conversation.key == key)
    name = session.exec(query).first()
    if name:
        return name if name.startswith("#") else f"#{name}"
    group = session.exec(select(Group.name).where(Group.channel_platform == platform, Group.channel_key == key)).first()
    if group:
        return f"{group}'s channel"
    return key


def _names(session: Session, person_ids: set[int]) -> dict[int, str]:
    if not person_ids:
        return {}
    query = select(Person.id, Person.name).where(col(Person.id).in_(sorted(person_ids)))
    return {person_id or 0: name for person_id, name in session.exec(query)}
