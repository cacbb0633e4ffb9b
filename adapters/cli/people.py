"""``actionbot people``: add people, link their Slack and Teams accounts, give roles, merge, rename, alias."""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated

import typer

from adapters.cli.exits import fail, user_errors
from adapters.cli.startup import application
from bot.domain import Surface

if TYPE_CHECKING:
    from bot.unit_of_work import Context

people_app = typer.Typer(
    help="People in the plan: add them, link their chat accounts, give roles, merge, rename and alias them.",
    no_args_is_help=True,
)


def register(app: typer.Typer) -> None:
    """Add ``people`` and its commands to the ``actionbot`` command line."""
    app.add_typer(people_app, name="people")


@people_app.command("add")
def people_add(
    name: str,
    email: Annotated[str | None, typer.Option(help="Their work email (links chat accounts by email).")] = None,
    role: Annotated[
        list[str] | None, typer.Option(help="smt, manager, admin, union_rep or member; repeatable.")
    ] = None,
    title: Annotated[str | None, typer.Option(help="Job title.")] = None,
) -> None:
    """Add a person to the plan."""
    from bot.services import people as people_service

    running = application()
    with user_errors():
        person = running.core.uow.run(
            lambda work: people_service.add_person(work.session, name, email, role or [], title)
        )
    typer.echo(f"Added {person.name}" + (f" ({', '.join(person.roles)})" if person.roles else "") + ".")


@people_app.command("link")
def people_link(
    name: str,
    slack: Annotated[str | None, typer.Option(help="Their Slack user id (U…).")] = None,
    teams: Annotated[str | None, typer.Option(help="Their Teams user's AAD object id.")] = None,
) -> None:
    """Link a person to their Slack and/or Teams account."""
    from bot.services import people as people_service

    if not slack and not teams:
        fail("give --slack U123 and/or --teams <AAD object id>", code=1)
    running = application()

    def link(work: Context) -> list[str]:
        person = people_service.find_person(work.session, name)
        lines = []
        for platform, user_id in (("slack", slack), ("teams", teams)):
            if user_id:
                previous = people_service.set_link(work.session, person, platform, user_id.strip())
                moved = f" (was {previous}'s)" if previous else ""
                lines.append(f"Linked {person.name} to {platform} user {user_id}{moved}.")
        return lines

    with user_errors():
        lines = running.core.uow.run(link)
    for line in lines:
        typer.echo(line)


@people_app.command("list")
def people_list() -> None:
    """Everyone in the plan, with roles and linked accounts."""
    from bot.services import people as people_service

    running = application()
    with user_errors():
        everyone = running.core.uow.run(lambda work: people_service.list_people(work.session), writes=False)
    if not everyone:
        typer.echo('Nobody yet: `actionbot people add "Name"`.')
    for person in everyone:
        links = [
            f"slack {person.slack_user_id}" if person.slack_user_id else "",
            f"teams {person.teams_user_id}" if person.teams_user_id else "",
        ]
        linked = ", ".join(link for link in links if link) or "not linked"
        typer.echo(f"{person.name}\t{person.email or '-'}\t{', '.join(person.roles) or '-'}\t{linked}")


@people_app.command("role")
def people_role(
    name: str,
    add: Annotated[list[str] | None, typer.Option(help="Role to give; repeatable.")] = None,
    remove: Annotated[list[str] | None, typer.Option(help="Role to take away; repeatable.")] = None,
) -> None:
    """Give or take away roles."""
    from bot.services import people as people_service

    if not add and not remove:
        fail("give --add ROLE and/or --remove ROLE", code=1)
    running = application()
    with user_errors():
        person = running.core.uow.run(
            lambda work: people_service.change_roles(work.session, name, add or [], remove or [])
        )
    typer.echo(f"{person.name}: {', '.join(person.roles) or 'no roles'}.")


@people_app.command("merge")
def people_merge(
    from_: Annotated[str, typer.Argument(metavar="FROM", help="The name to merge away (deleted, kept as an alias).")],
    into: Annotated[str, typer.Argument(metavar="INTO", help="The person (or group) who stays.")],
) -> None:
    """Merge two people (or groups) into one: FROM's actions, links, leads and history go to INTO."""
    from bot.services import people_names

    running = application()
    with user_errors():
        merged = running.core.uow.run(
            lambda work: people_names.merge(work.session, from_, into, by=None, now=work.now, surface=Surface.CLI)
        )
    moved = f"{merged.actions} action{'s' if merged.actions != 1 else ''}"
    extra = [f"{merged.leads} review lead role{'s' if merged.leads != 1 else ''}"] if merged.leads else []
    extra += [f"{merged.groups} group membership{'s' if merged.groups != 1 else ''}"] if merged.groups else []
    extra += [f"{merged.history} history row{'s' if merged.history != 1 else ''}"] if merged.history else []
    typer.echo(f"Merged '{merged.source}' into '{merged.target}': {', '.join([moved, *extra])} moved.")
    for note in merged.notes:
        typer.echo(f"  Note: {note}.")
    typer.echo(f"'{merged.source}' is remembered as another name for {merged.target}: imports that write it find them.")


@people_app.command("rename")
def people_rename(
    old: Annotated[str, typer.Argument(help="The name as it is now.")],
    new: Annotated[str, typer.Argument(help="The name it should be.")],
) -> None:
    """Rename a person (or group); the old name is kept as an alias."""
    from bot.services import people_names

    running = application()
    with user_errors():
        renamed = running.core.uow.run(
            lambda work: people_names.rename(work.session, old, new, by=None, now=work.now, surface=Surface.CLI)
        )
    count = f"{renamed.actions} action{'s' if renamed.actions != 1 else ''}"
    typer.echo(f"Renamed '{renamed.old}' to '{renamed.new}' ({count}).")
    typer.echo(f"'{renamed.old}' is remembered as another name for {renamed.new}: imports that write it find them.")


@people_app.command("alias")
def people_alias(
    name: Annotated[str, typer.Argument(help="The person (or group) as the plan names them.")],
    alias: Annotated[str, typer.Argument(help="Another way their name is written.")],
) -> None:
    """Remember another way a person's (or group's) name is written, so imports find them by it."""
    from bot.services import people_names

    running = application()
    with user_errors():
        owner, new = running.core.uow.run(lambda work: people_names.add_alias(work.session, name, alias, by=None))
    said = "is now" if new else "was already"
    typer.echo(f"'{' '.join(alias.split())}' {said} another name for {owner.name}: imports that write it find them.")
