"""The ``actionbot`` command line: serve, clock, demo, chat, db and people.

Every command reads settings first; a missing or contradictory setting, or a database whose
schema is behind, stops it with one line saying what to fix.
"""

from __future__ import annotations

import logging
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Annotated, NoReturn

import typer
from sqlalchemy import Engine

from adapters import cli_plans, logs
from adapters.bootstrap import App, build
from adapters.console import ConsoleChat
from adapters.teams.package import teams_app
from bot.clock import SystemClock
from bot.domain import Surface
from bot.errors import Failure, UserError
from bot.services import people as people_service
from bot.services import people_names
from bot.settings import Settings, SettingsError, load_settings
from bot.unit_of_work import Context, UnitOfWork
from store import consistency
from store.backup import BackupError, backup_sqlite
from store.db import SchemaError, check_schema, current_revision, head_revision, make_engine, upgrade

app = typer.Typer(
    help="actionbot: follows council action plans through to done.",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
)
db_app = typer.Typer(help="The database schema.", no_args_is_help=True)
people_app = typer.Typer(
    help="People in the plan: add them, link their chat accounts, give roles, merge, rename and alias them.",
    no_args_is_help=True,
)
app.add_typer(db_app, name="db")
app.add_typer(people_app, name="people")
app.add_typer(teams_app, name="teams")

log = logging.getLogger("actionbot")
SHUTDOWN_GRACE_SECONDS = 10.0


def fail(message: str, code: int = 2) -> NoReturn:
    typer.echo(f"actionbot: {message}", err=True)
    raise typer.Exit(code)


def settings() -> Settings:
    try:
        return load_settings()
    except SettingsError as exc:
        fail(f"configuration error: {exc}")


def application(config: Settings | None = None) -> App:
    try:
        return build(config or settings())
    except SchemaError as exc:
        fail(str(exc))


@contextmanager
def user_errors() -> Iterator[None]:
    """Refusals and failures of the unit of work as one line on standard error, exit code 1."""
    try:
        yield
    except (UserError, Failure) as exc:
        fail(str(exc), code=1)


def _logging(level: int) -> None:
    """Log to standard error as text, or one JSON object per line with ``ACTIONBOT_LOG_FORMAT=json``."""
    logs.configure(level, settings().log_format)


# Surfaces ---------------------------------------------------------------------------------


@app.command()
def serve() -> None:
    """Run the web server: Slack events, Teams messages and /healthz on PORT."""
    from aiohttp import web

    from adapters.web import build_web_app

    _logging(logging.INFO)
    running = application()
    if not (running.settings.slack_enabled or running.settings.teams_enabled):
        log.warning("Neither Slack nor Teams is configured: serving /healthz only")
    web_app = build_web_app(running)
    web_app.on_shutdown.append(_stopping)
    log.info("serving on port %d", running.settings.port)
    # SIGTERM or SIGINT: stop accepting, let requests in flight finish (up to the grace period), exit 0.
    web.run_app(web_app, port=running.settings.port, print=None, access_log=None,
                shutdown_timeout=SHUTDOWN_GRACE_SECONDS)
    log.info("stopped")


async def _stopping(_web_app: object) -> None:
    log.info("stopping: no new requests; finishing those in flight (up to %gs)", SHUTDOWN_GRACE_SECONDS)


@app.command()
def clock() -> None:
    """Run the scheduler: nudges, escalations, digests and outbox delivery (one per deployment)."""
    _logging(logging.INFO)
    application()
    fail("the scheduler is not configured yet: nudges, escalations and digests arrive with the scheduler issue", code=1)


@app.command()
def chat(
    as_: Annotated[str, typer.Option("--as", help="The person you are, by name.")],
) -> None:
    """Chat with the bot in the terminal as a person in the plan, against the configured database."""
    _logging(logging.WARNING)
    running = application()
    _console(running, as_)


@app.command()
def demo(
    as_: Annotated[str, typer.Option("--as", help="The person you are in the demo.")] = "",
    database: Annotated[Path, typer.Option(help="Where to write the demo database (replaced each run).")] = Path(
        "actionbot-demo.db"
    ),
) -> None:
    """A fresh demo database with a sample plan, and a console chat with it (no Slack or Teams needed)."""
    from bot import sample_plan

    _logging(logging.WARNING)
    for suffix in ("", "-wal", "-shm"):
        Path(f"{database}{suffix}").unlink(missing_ok=True)
    config = settings().model_copy(update={"database_url": f"sqlite:///{database}"})
    engine = make_engine(config.database_url)
    upgrade(engine)
    with user_errors():
        sample_plan.load(UnitOfWork(engine, SystemClock(), config))
    engine.dispose()
    _console(application(config), as_ or sample_plan.DEMO_PERSON, demo=True)


def _console(running: App, name: str, *, demo: bool = False) -> None:
    with user_errors():
        person = running.core.uow.run(lambda work: people_service.find_person(work.session, name), writes=False)
    roles = ", ".join(person.roles) or "no special role"
    where = "the demo council (a sample plan)" if demo else running.settings.database_url.split("://")[0]
    typer.echo(f"You are {person.name} ({person.job_title or 'no job title'}; {roles}) in {where}.")
    ConsoleChat(running.core, person.id or 0, person.name).run()


# Database ---------------------------------------------------------------------------------


@db_app.command("upgrade")
def db_upgrade() -> None:
    """Create or migrate the tables to this version's schema."""
    engine = _engine()
    before = current_revision(engine)
    upgrade(engine)
    after = current_revision(engine)
    typer.echo(f"Schema at {after}" + (f" (was {before})." if before != after else " (already current)."))
    _data_check(engine, fix=False)


@db_app.command("check")
def db_check(
    fix: Annotated[bool, typer.Option("--fix", help="Repair what breaks a rule, with an audit row for each.")] = False,
) -> None:
    """Check the stored actions against the domain's rules (done means 100% complete); --fix repairs them."""
    engine = _engine()
    try:
        check_schema(engine)
    except SchemaError as exc:
        fail(str(exc))
    if not _data_check(engine, fix=fix):
        raise typer.Exit(1)


def _data_check(engine: Engine, *, fix: bool) -> bool:
    """Print what breaks the rules (or what was repaired); whether the data is now sound."""
    work = UnitOfWork(engine, SystemClock(), settings())
    with user_errors():
        if fix:
            repaired = work.run(lambda context: consistency.repair(context.session, context.now))
            for breach in repaired:
                typer.echo(f"Repaired: {breach}; now 100%, with an audit row.")
            typer.echo(f"Data check: {len(repaired)} action{'s' if len(repaired) != 1 else ''} repaired." if repaired
                       else "Data check: every action's status agrees with its % complete.")
            return True
        found = work.run(lambda context: consistency.breaches(context.session), writes=False)
    if not found:
        typer.echo("Data check: every action's status agrees with its % complete.")
        return True
    typer.echo(f"Data check: {len(found)} action{'s break' if len(found) != 1 else ' breaks'} the rule:")
    for breach in found:
        typer.echo(f"  {breach}")
    typer.echo("Run `actionbot db check --fix` to set each to 100% complete, with an audit row.")
    return False


@db_app.command("status")
def db_status() -> None:
    """Say whether the schema is current."""
    engine = _engine()
    current = current_revision(engine)
    head = head_revision(engine.url.render_as_string(hide_password=False))
    state = "current" if current == head else "behind: run `actionbot db upgrade`"
    typer.echo(f"Schema at {current or 'nothing'}, this version needs {head}: {state}.")


@db_app.command("backup")
def db_backup(
    file: Annotated[Path, typer.Argument(help="Where to write the copy (a new file).")],
    overwrite: Annotated[bool, typer.Option(help="Replace FILE if it exists.")] = False,
) -> None:
    """Copy the SQLite database to FILE, consistently, even while `actionbot serve` runs."""
    try:
        done = backup_sqlite(_engine(), file, overwrite=overwrite)
    except BackupError as exc:
        fail(str(exc))
    size = f"{done.bytes / 1_000_000:.1f} MB" if done.bytes >= 100_000 else f"{done.bytes:,} bytes"
    typer.echo(f"Backed up to {done.path} ({size}, schema {done.revision or 'none'}).")


def _engine() -> Engine:
    return make_engine(settings().database_url)


# People -----------------------------------------------------------------------------------


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
    running = application()
    with user_errors():
        owner, new = running.core.uow.run(lambda work: people_names.add_alias(work.session, name, alias, by=None))
    said = "is now" if new else "was already"
    typer.echo(f"'{' '.join(alias.split())}' {said} another name for {owner.name}: imports that write it find them.")


cli_plans.register(app)  # actionbot import, actionbot export
