"""Who may run which command, checked in the core for every request, whatever the surface.

Each command has a :class:`Rule`. Rules about one action (``EDITOR``, ``MANAGER``) are checked
against that action: owners (directly or through a group), the review's leads, and admins.
"""

from __future__ import annotations

from collections.abc import Sequence, Set
from dataclasses import dataclass
from enum import StrEnum

from sqlmodel import Session

from bot.commands import CommandName
from bot.domain import Role
from bot.errors import NotAllowed
from store import ownership, people
from store.models import Action, Person
from store.shown import ActionFields


class Rule(StrEnum):
    """Who may run a command."""

    ANYONE = "anyone"  # even a chat user not yet linked
    LINKED = "linked"  # any person in the plan
    OVERSIGHT = "oversight"  # SMT, managers (incl. review leads), admins
    EDITOR = "editor"  # the action's owners, its review's leads, admins
    MANAGER = "manager"  # the action's review's leads, admins
    CHANNEL = "channel"  # any person, asking from a conversation
    ADMIN = "admin"


RULES: dict[CommandName, Rule] = {
    CommandName.HELP: Rule.ANYONE,
    CommandName.MINE: Rule.LINKED,
    CommandName.OVERDUE: Rule.LINKED,  # an officer sees their own; the council-wide list needs oversight
    CommandName.DUE: Rule.LINKED,
    CommandName.SHOW: Rule.LINKED,
    CommandName.UPDATE: Rule.EDITOR,
    CommandName.NOTE: Rule.EDITOR,
    CommandName.SNOOZE: Rule.EDITOR,
    CommandName.MOVE: Rule.EDITOR,
    CommandName.DROP: Rule.MANAGER,
    CommandName.REVIEWS: Rule.LINKED,
    CommandName.DIGEST: Rule.LINKED,
    CommandName.SUBSCRIBE: Rule.CHANNEL,
    CommandName.UNSUBSCRIBE: Rule.CHANNEL,
    CommandName.LINK: Rule.ADMIN,
    CommandName.PEOPLE: Rule.ADMIN,
    CommandName.LEAD: Rule.ADMIN,
    CommandName.EXPORT: Rule.OVERSIGHT,
}

_OVERSIGHT_ROLES = {Role.SMT, Role.MANAGER, Role.ADMIN}
COUNCIL_WIDE = "The council-wide overdue list is for SMT, managers and admins."


def has_role(person: Person, role: Role) -> bool:
    return role.value in person.roles


def is_admin(person: Person) -> bool:
    return has_role(person, Role.ADMIN)


def has_oversight(session: Session, person: Person) -> bool:
    if any(role.value in person.roles for role in _OVERSIGHT_ROLES):
        return True
    return person.id is not None and ownership.leads_any_review(session, person.id)


@dataclass(frozen=True)
class Standing:
    """What a person is to one action, when already read with it (:mod:`store.change_reads`): the facts
    :func:`manages` and :func:`can_edit` would otherwise ask the database for."""

    leads_review: bool
    owns: bool


def manages(session: Session, person: Person, action: Action, standing: Standing | None = None) -> bool:
    """An admin, or a lead of the action's review."""
    if is_admin(person):
        return True
    if standing is not None:
        return standing.leads_review
    return person.id is not None and ownership.is_review_lead(session, person.id, action.review_id)


def can_edit(session: Session, person: Person, action: Action, standing: Standing | None = None) -> bool:
    """An owner (directly or through a group), a lead of its review, or an admin."""
    if manages(session, person, action, standing):
        return True
    if standing is not None:
        return standing.owns
    return person.id is not None and action.id is not None and ownership.owns_action(session, person.id, action.id)


def editable_ids(
    session: Session, person: Person, actions: Sequence[ActionFields], owned_or_led: Set[int] | None = None
) -> set[int]:
    """Which of ``actions`` the person may change: :func:`can_edit` for a whole page in one query (none when the
    page was read with which of its actions the person owns or leads the review of: ``owned_or_led``)."""
    ids = {action.id for action in actions if action.id is not None}
    if is_admin(person):
        return ids
    if person.id is None:
        return set()
    if owned_or_led is not None:
        return ids & owned_or_led
    return ownership.owned_or_led_among(session, person.id, ids)


def check_command(session: Session, person: Person, name: CommandName) -> None:
    """Command-level rules; action-level ones are checked by :func:`check_action`."""
    rule = RULES[name]
    if rule is Rule.OVERSIGHT and not has_oversight(session, person):
        raise NotAllowed(f"`{name.value}` is for SMT, managers and admins. `mine` shows your own actions.")
    if rule is Rule.ADMIN and not is_admin(person):
        admins = ", ".join(p.name for p in people.people_with_role(session, Role.ADMIN)) or "an admin"
        raise NotAllowed(f"Only admins can `{name.value}`. Ask {admins}.")


def check_action(
    session: Session, person: Person, name: CommandName, action: Action, standing: Standing | None = None
) -> None:
    """Refuse an EDITOR or MANAGER command on an action the person may not change, naming who can."""
    rule = RULES[name]
    if rule is Rule.EDITOR and can_edit(session, person, action, standing):
        return
    if rule is Rule.MANAGER and manages(session, person, action, standing):
        return
    if rule not in (Rule.EDITOR, Rule.MANAGER):
        return
    leads = ", ".join(p.name for p in ownership.review_leads(session, action.review_id)) or "an admin"
    who = "the action's owners, " if rule is Rule.EDITOR else ""
    raise NotAllowed(f"You can't {name.value} #{action.id}: only {who}the review's leads and admins can. Ask {leads}.")


def allowed_commands(session: Session, person: Person | None) -> list[CommandName]:
    """The commands worth listing in this person's ``help``."""
    if person is None:
        return [CommandName.HELP]
    oversight = has_oversight(session, person)
    admin = is_admin(person)
    owns = person.id is not None and ownership.owns_any_action(session, person.id)
    result = []
    for name, rule in RULES.items():
        if name is CommandName.OVERDUE and not (oversight or owns):
            continue  # someone who owns nothing has no overdue actions of their own to ask about
        if (
            rule in (Rule.ANYONE, Rule.LINKED, Rule.CHANNEL)
            or (rule is Rule.OVERSIGHT and oversight)
            or (rule is Rule.EDITOR and (owns or oversight or admin))
            or (
                rule is Rule.MANAGER
                and (admin or (person.id is not None and ownership.leads_any_review(session, person.id)))
            )
            or (rule is Rule.ADMIN and admin)
        ):
            result.append(name)
    return result
