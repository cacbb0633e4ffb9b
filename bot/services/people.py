"""Who is who: finding the person behind a chat user, ``link``, and the admin's people commands.

A chat user is matched to a person by the platform id stored on the person, else by email
(which is then remembered as the link). The console's users are people by id.
"""

from __future__ import annotations

import re

from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, select

from bot.commands import Command
from bot.domain import Role
from bot.errors import UserError
from bot.replies import Reply, Tone
from bot.requests import Actor
from bot.services.turn import Turn
from store import people
from store.models import Person

PLATFORMS = ("slack", "teams")
MAX_NAME = 200  # the person table's limits
MAX_EMAIL = 320
_PLATFORM_LABELS = {"slack": "Slack", "teams": "Teams"}


def find(session: Session, actor: Actor) -> Person | None:
    """The person already linked to a chat user (the console's users are people by id); no writes."""
    if actor.platform == "console":
        number = actor.user_id
        return session.get(Person, int(number)) if number.isdecimal() and len(number) <= 9 else None
    return people.person_by_platform_id(session, actor.platform, actor.user_id)


_MENTION_IN_TEXT = re.compile(r"<@([A-Za-z0-9_:.\-]+)(?:\|([^>]*))?>")


def readable_mentions(session: Session, platform: str, text: str | None) -> str | None:
    """Chat mentions in a note (``<@U0DEB|deb>``, Slack's form and the one Teams mentions are rewritten to)
    as ``@Deb Poole``: the linked person's name, else the name the platform gave, else the user id.
    Notes are shown on every surface and in reports, where a raw mention means nothing."""
    if not text or "<@" not in text:
        return text

    def name(match: re.Match[str]) -> str:
        person = people.person_by_platform_id(session, platform, match[1])
        return f"@{person.name if person else (match[2] or match[1])}"

    return _MENTION_IN_TEXT.sub(name, text)


def may_link_by_email(actor: Actor) -> bool:
    return bool(actor.email) and actor.platform in PLATFORMS


def resolve(session: Session, actor: Actor) -> Person | None:
    """The person behind a chat user, linking by email the first time it matches."""
    person = find(session, actor)
    if person is not None or not actor.email:
        return person
    person = people.person_by_email(session, actor.email)
    if person is None or actor.platform not in PLATFORMS:
        return None
    if getattr(person, f"{actor.platform}_user_id") is None:
        setattr(person, f"{actor.platform}_user_id", actor.user_id)
        session.add(person)
    return person


def find_person(session: Session, name: str) -> Person:
    """Exactly one person by name; otherwise an error naming the closest matches."""
    found = people.find_people(session, name)
    if len(found) == 1:
        return found[0]
    if len(found) > 1:
        raise UserError(
            f"'{name}' matches {len(found)} people: {', '.join(p.name for p in found[:5])}. Give the full name."
        )
    close = people.closest_names(people.all_person_names(session), name)
    hint = f" Did you mean {' or '.join(repr(c) for c in close)}?" if close else ""
    raise UserError(f"Nobody in the plan is called '{name}'.{hint}")


def set_link(session: Session, person: Person, platform: str, user_id: str) -> str | None:
    """Link ``person`` to a chat user id; return the name of whoever had it before, if anyone."""
    if platform not in PLATFORMS:
        raise UserError("Say which platform the user is on: `link slack:U123 Name` or `link teams:<id> Name`.")
    column = f"{platform}_user_id"
    previous = people.person_by_platform_id(session, platform, user_id)
    previous_name = None
    if previous is not None and previous.id != person.id:
        previous_name = previous.name
        setattr(previous, column, None)
        session.add(previous)
        session.flush()
    setattr(person, column, user_id)
    session.add(person)
    return previous_name


def link(command: Command, turn: Turn) -> Reply:
    assert command.user is not None and command.person is not None
    platform = command.user.platform or turn.request.actor.platform
    person = find_person(turn.session, command.person)
    previous = set_link(turn.session, person, platform, command.user.user_id)
    moved = f" It was linked to {previous} before." if previous else ""
    label = _PLATFORM_LABELS.get(platform, platform)
    return Reply.text(f"Linked {label} user {command.user.user_id} to {person.name}.{moved}", tone=Tone.SUCCESS)


# Admin commands (the ``actionbot people`` CLI) ------------------------------------------------


def parse_roles(names: list[str]) -> list[Role]:
    roles = []
    for name in names:
        try:
            roles.append(Role(name.strip().lower().replace("-", "_")))
        except ValueError:
            raise UserError(f"'{name}' is not a role: use {', '.join(r.value for r in Role)}.") from None
    return roles


def add_person(
    session: Session, name: str, email: str | None = None, roles: list[str] | None = None, job_title: str | None = None
) -> Person:
    name = " ".join(name.split())
    if not name:
        raise UserError("A person needs a name.")
    if len(name) > MAX_NAME:
        raise UserError(f"A name is at most {MAX_NAME} characters.")
    if email and len(email.strip()) > MAX_EMAIL:
        raise UserError(f"An email address is at most {MAX_EMAIL} characters.")
    if people.person_by_name(session, name) is not None:
        raise UserError(f"'{name}' is already in the plan.")
    if email and people.person_by_email(session, email) is not None:
        raise UserError(f"{email} already belongs to {people.person_by_email(session, email).name}.")  # type: ignore[union-attr]
    person = Person(
        name=name,
        email=email.strip().lower() if email else None,
        roles=sorted(r.value for r in parse_roles(roles or [])),
        job_title=job_title,
    )
    session.add(person)
    try:
        session.flush()
    except IntegrityError:
        raise UserError(f"'{name}' or {email} is already in the plan.") from None
    return person


def change_roles(session: Session, name: str, add: list[str], remove: list[str]) -> Person:
    person = find_person(session, name)
    roles = set(person.roles) | {r.value for r in parse_roles(add)}
    roles -= {r.value for r in parse_roles(remove)}
    person.roles = sorted(roles)
    session.add(person)
    return person


def list_people(session: Session) -> list[Person]:
    return list(session.exec(select(Person).order_by(Person.name)))
