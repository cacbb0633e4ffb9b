"""The admin's people commands in chat: ``people`` (the list), ``people add|role|merge|alias|rename`` and
``lead <review> @person``.

Each calls the service ``actionbot people`` and ``actionbot reviews set`` call (:mod:`bot.services.people`,
:mod:`bot.services.people_names`, :mod:`bot.review_settings`), with the same checks and the same audit rows;
only the asker (an admin: the core checks it first, and the name services check it again) and the surface
differ.
"""

from __future__ import annotations

from bot.commands import Command
from bot.errors import UserError
from bot.replies import More, Reply, Section, Tone
from bot.review_settings import set_leads
from bot.services import people as people_service
from bot.services import people_names
from bot.services.turn import Turn
from store import ownership, roster
from store import people as people_store
from store.models import Person


def people(command: Command, turn: Turn) -> Reply:
    """``people`` lists everyone; ``people <what> …`` changes someone."""
    if command.subcommand is None:
        return _list(command, turn)
    return _CHANGES[command.subcommand](command, turn)


def _plural(count: int, word: str) -> str:
    return f"{count} {word}{'' if count == 1 else 's'}"


def _line(person: Person, open_actions: int) -> str:
    links = [f"Slack {person.slack_user_id}" if person.slack_user_id else "",
             f"Teams {person.teams_user_id}" if person.teams_user_id else ""]  # fmt: skip
    linked = ", ".join(link for link in links if link) or "not linked"
    roles = ", ".join(person.roles) or "no role"
    email = f" · {person.email}" if person.email else ""
    return f"{person.name} · {roles} · {linked}{email} · {_plural(open_actions, 'open action')}"


def _list(command: Command, turn: Turn) -> Reply:
    size = turn.page_size
    page = roster.people_page(turn.session, size, (command.page - 1) * size)
    if page.total == 0:
        return Reply.text('Nobody is in the plan yet: `people add "Name" email role`, or import a plan.')
    if not page.people:
        pages = -(-page.total // size)
        raise UserError(f"There {'is only 1 page' if pages == 1 else f'are only {pages} pages'} of `people`.")
    lines = [_line(person, page.open_actions.get(person.id or 0, 0)) for person in page.people]
    remaining = page.total - (command.page - 1) * size - len(page.people)
    more = More(remaining=remaining, command=f"people page {command.page + 1}") if remaining > 0 else None
    heading = f"{_plural(page.total, 'person')} in the plan" if page.total == 1 else f"{page.total} people in the plan"
    return Reply(title="People", sections=[Section(lines=[f"{heading}, by name."]), Section(lines=lines)], more=more)


def _add(command: Command, turn: Turn) -> Reply:
    person = people_service.add_person(turn.session, command.names[0], command.email, list(command.roles_added))
    roles = f" ({', '.join(person.roles)})" if person.roles else ""
    how = (
        f"They are linked when they first write to me with {person.email}, or `link @them {person.name}`."
        if person.email
        else f"Link their chat account: `link @them {person.name}`."
    )
    return Reply.text(f"Added {person.name}{roles}.", how, tone=Tone.SUCCESS)


def _role(command: Command, turn: Turn) -> Reply:
    person = people_service.change_roles(
        turn.session, command.names[0], list(command.roles_added), list(command.roles_removed)
    )
    return Reply.text(f"{person.name}: {', '.join(person.roles) or 'no roles'}.", tone=Tone.SUCCESS)


def _merge(command: Command, turn: Turn) -> Reply:
    source, target = command.names
    merged = people_names.merge(
        turn.session, source, target, by=turn.me, now=turn.now, surface=turn.request.surface
    )
    moved = [_plural(merged.actions, "action")]
    moved += [_plural(merged.leads, "review lead role")] if merged.leads else []
    moved += [_plural(merged.groups, "group membership")] if merged.groups else []
    moved += [_plural(merged.history, "history row")] if merged.history else []
    lines = [f"Merged '{merged.source}' into '{merged.target}': {', '.join(moved)} moved."]
    lines += [f"Note: {note}." for note in merged.notes]
    known = f"'{merged.source}' is remembered as another name for {merged.target}"
    lines.append(f"{known}: imports that write it find them.")
    return Reply.text(*lines, tone=Tone.SUCCESS)


def _alias(command: Command, turn: Turn) -> Reply:
    name, alias = command.names
    owner, new = people_names.add_alias(turn.session, name, alias, by=turn.me)
    said = "is now" if new else "was already"
    written = " ".join(alias.split())
    return Reply.text(f"'{written}' {said} another name for {owner.name}: imports that write it find them.",
                      tone=Tone.SUCCESS if new else Tone.INFO)  # fmt: skip


def _rename(command: Command, turn: Turn) -> Reply:
    old, new = command.names
    renamed = people_names.rename(turn.session, old, new, by=turn.me, now=turn.now, surface=turn.request.surface)
    return Reply.text(
        f"Renamed '{renamed.old}' to '{renamed.new}' ({_plural(renamed.actions, 'action')}).",
        f"'{renamed.old}' is remembered as another name for {renamed.new}: imports that write it find them.",
        tone=Tone.SUCCESS,
    )


_CHANGES = {"add": _add, "role": _role, "merge": _merge, "alias": _alias, "rename": _rename}


def lead(command: Command, turn: Turn) -> Reply:
    """``lead <review> @person``: add them to the review's leads (``actionbot reviews set --add-lead``)."""
    assert command.review is not None
    review = turn.review(command.review)
    person = _person(command, turn)
    leads = ownership.review_leads(turn.session, review.id or 0)
    if any(lead.id == person.id for lead in leads):
        return Reply.text(f"{person.name} already leads '{review.title}'.")
    set_leads(turn.session, review, [*leads, person])
    names = ", ".join(sorted(p.name for p in [*leads, person]))
    return Reply.text(
        f"{person.name} now leads '{review.title}': they are told of its escalations and may update its actions.",
        f"Its leads: {names}.",
        tone=Tone.SUCCESS,
    )


def _person(command: Command, turn: Turn) -> Person:
    if command.user is None:
        assert command.person is not None
        return people_service.find_person(turn.session, command.person)
    platform = command.user.platform or turn.request.actor.platform
    person = people_store.person_by_platform_id(turn.session, platform, command.user.user_id)
    if person is None:
        raise UserError(
            f"That {platform.title()} user is not linked to anyone in the plan: `link @them Their Name` first."
        )
    return person
