"""``actionbot db``: migrate the schema, check the data against the domain's rules, report, back up SQLite."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from adapters.cli.exits import fail, user_errors
from adapters.cli.startup import engine, settings
from bot.clock import SystemClock

if TYPE_CHECKING:
    from sqlalchemy import Engine

db_app = typer.Typer(help="The database schema.", no_args_is_help=True)


def register(app: typer.Typer) -> None:
    """Add ``db`` and its commands to the ``actionbot`` command line."""
    app.add_typer(db_app, name="db")


@db_app.command("upgrade")
def db_upgrade() -> None:
    """Create or migrate the tables to this version's schema."""
    from store.db import current_revision, upgrade

    database = engine()
    before = current_revision(database)
    upgrade(database)
    after = current_revision(database)
    typer.echo(f"Schema at {after}" + (f" (was {before})." if before != after else " (already current)."))
    _data_check(database, fix=False)


@db_app.command("check")
def db_check(
    fix: Annotated[bool, typer.Option("--fix", help="Repair what breaks a rule, with an audit row for each.")] = False,
) -> None:
    """Check the stored actions against the domain's rules (done means 100% complete); --fix repairs them."""
    from store.db import SchemaError, check_schema

    database = engine()
    try:
        check_schema(database)
    except SchemaError as exc:
        fail(str(exc))
    if not _data_check(database, fix=fix):
        raise typer.Exit(1)


def _data_check(database: Engine, *, fix: bool) -> bool:
    """Print what breaks the rules (or what was repaired); whether the data is now sound."""
    from bot.unit_of_work import UnitOfWork
    from store import consistency

    work = UnitOfWork(database, SystemClock(), settings())
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
    from store.db import current_revision, head_revision

    database = engine()
    current = current_revision(database)
    head = head_revision(database.url.render_as_string(hide_password=False))
    state = "current" if current == head else "behind: run `actionbot db upgrade`"
    typer.echo(f"Schema at {current or 'nothing'}, this version needs {head}: {state}.")


@db_app.command("backup")
def db_backup(
    file: Annotated[Path, typer.Argument(help="Where to write the copy (a new file).")],
    overwrite: Annotated[bool, typer.Option(help="Replace FILE if it exists.")] = False,
) -> None:
    """Copy the SQLite database to FILE, consistently, even while `actionbot serve` runs."""
    from store.backup import BackupError, backup_sqlite

    try:
        done = backup_sqlite(engine(), file, overwrite=overwrite)
    except BackupError as exc:
        fail(str(exc))
    size = f"{done.bytes / 1_000_000:.1f} MB" if done.bytes >= 100_000 else f"{done.bytes:,} bytes"
    typer.echo(f"Backed up to {done.path} ({size}, schema {done.revision or 'none'}).")
