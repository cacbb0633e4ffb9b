"""Who hears about which actions, and queuing one message for each of them.

Owners are told about their actions: a person directly, a group (CMT, Leaders) through each of its
members. A group with no members, or an action with no owner at all, is a recipient too: nobody can be
told, so its row is queued ``unreachable`` with the reason, never skipped in silence. Leads are told of
escalations; a review with no lead escalates to the admins.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

from sqlmodel import Session

from bot.domain import OutboxState
from bot.notices.payload import to_payload
from bot.notices.routes import NO_PLATFORM, Person, Route, person_route
from bot.replies import Reply
from bot.unit_of_work import Context
from store import actions, outbox
from store import recipients as found_in
from store.actions import ActionRow
from store.outbox import Message

CHUNK = 500
QUEUED_AT_ONCE = 100  # messages built and written at a time: a morning's thousand are never all in memory


@dataclass
class Recipient:
    """One person (or a group or action nobody can be reached for) and the actions to tell them about."""

    key: str  # the person's id, or ``group:<id>`` / ``action:<id>`` / ``review:<id>`` when nobody can be told
    route: Route
    person_id: int | None = None
    action_ids: list[int] = field(default_factory=list)


def owners_of(session: Session, action_ids: Sequence[int], reach: frozenset[str]) -> list[Recipient]:
    """Everyone who owns one of ``action_ids``: each person owner, and each member of a group owner."""
    owners = found_in.owners(session, action_ids)
    group_ids = {group_id for pairs in owners.values() for _, group_id in pairs if group_id is not None}
    members = found_in.members(session, group_ids)
    person_ids = {p for pairs in owners.values() for p, _ in pairs if p is not None}
    people = found_in.people(session, person_ids | {p for ids in members.values() for p in ids})
    group_names = found_in.group_names(session, group_ids)
    found: dict[str, Recipient] = {}
    for action_id in action_ids:
        pairs = owners.get(action_id, [])
        if not pairs:
            _add(found, f"action:{action_id}", Route(None, f"#{action_id} has no owner"), None, action_id)
        for person_id, group_id in pairs:
            if person_id is not None:
                _add_person(found, people[person_id], reach, action_id)
            elif group_id is not None and not members[group_id]:
                reason = f"{group_names.get(group_id, 'A group')} owns #{action_id} but has no members"
                _add(found, f"group:{group_id}", Route(None, reason), None, action_id)
            elif group_id is not None:
                for member in members[group_id]:
                    _add_person(found, people[member], reach, action_id)
    return list(found.values())


def leads_of(session: Session, review_of: dict[int, int], reach: frozenset[str]) -> tuple[list[Recipient], set[int]]:
    """The leads of each action's review (``review_of``: action id → review id), or the admins when it has
    none; and the reviews that had none."""
    leads = found_in.leads(session, review_of.values())
    unled = {review_id for review_id, people in leads.items() if not people}
    admins = found_in.admins(session) if unled else []
    found: dict[str, Recipient] = {}
    for action_id, review_id in review_of.items():
        told = leads[review_id] or admins
        if not told:
            reason = "the review has no lead and nobody is an admin: `actionbot reviews set … --lead` names one"
            _add(found, f"review:{review_id}", Route(None, reason), None, action_id)
        for person in told:
            _add_person(found, person, reach, action_id)
    return list(found.values()), unled


def _add_person(found: dict[str, Recipient], person: Person, reach: frozenset[str], action_id: int) -> None:
    _add(found, str(person.id), person_route(person, reach), person.id, action_id)


def _add(found: dict[str, Recipient], key: str, route: Route, person_id: int | None, action_id: int) -> None:
    recipient = found.setdefault(key, Recipient(key, route, person_id))
    if action_id not in recipient.action_ids:
        recipient.action_ids.append(action_id)


def load_rows(session: Session, action_ids: Sequence[int]) -> dict[int, ActionRow]:
    """The actions with their recommendation, review and owners, by id (a few queries per 500)."""
    found: dict[int, ActionRow] = {}
    ids = list(action_ids)
    for start in range(0, len(ids), CHUNK):
        for row in actions.rows_by_ids(session, ids[start : start + CHUNK]):
            found[row.action.id or 0] = row
    return found


@dataclass
class Outcome:
    """What queuing did: rows added, and the actions told to at least one recipient (or to none)."""

    queued: int = 0
    told: set[int] = field(default_factory=set)
    untold: set[int] = field(default_factory=set)


def deliver(
    context: Context,
    recipients: Sequence[Recipient],
    *,
    key: str,
    kind: Callable[[list[int]], str],
    letter: Callable[[list[int]], Reply],
    extra: Callable[[int | None, list[int]], dict[str, Any]],
) -> Outcome:
    """Queue one message per recipient (``letter`` of its action ids), deduplicated by ``key.format(recipient.key)``.

    A recipient whose row exists already (they had today's message) adds nothing: their actions are
    untold unless another recipient was told.
    """
    outcome = Outcome()
    for start in range(0, len(recipients), QUEUED_AT_ONCE):  # built and written a few at a time, then dropped
        messages: list[tuple[Message, list[int]]] = []
        for recipient in recipients[start : start + QUEUED_AT_ONCE]:
            ids = recipient.action_ids
            ref = recipient.route.ref
            message = Message(
                dedupe_key=key.format(recipient.key),
                kind=kind(ids),
                platform=ref.platform if ref else NO_PLATFORM,
                target_key=ref.key if ref else recipient.key,
                payload=to_payload(letter(ids), ids, extra(recipient.person_id, ids)),
                person_id=recipient.person_id,
                action_id=ids[0] if len(ids) == 1 else None,
                state=OutboxState.PENDING if ref else OutboxState.UNREACHABLE,
                last_error=None if ref else recipient.route.reason,
            )
            messages.append((message, ids))
        added = outbox.enqueue_many(context, [message for message, _ in messages])
        outcome.queued += len(added)
        for message, ids in messages:
            if message.dedupe_key in added:
                outcome.told.update(ids)
    outcome.untold = {i for r in recipients for i in r.action_ids} - outcome.told
    return outcome
