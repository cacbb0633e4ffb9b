"""``actionbot outbox``: what the bot has sent, is sending, could not send, and why; and sending again.

- ``actionbot outbox [--state pending|sent|dead|skipped|unreachable] [--limit N]``: the newest rows (kind,
  target, attempts, last error);
- ``actionbot outbox --unreachable``: who the bot cannot reach on its own, and why (an admin can ``link`` them);
- ``actionbot outbox retry ID …`` / ``actionbot outbox retry --all-dead``: send dead (or skipped) rows again.

Thin: reading is :mod:`store.outbox_views`, requeuing :func:`store.outbox.requeue`.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated

import typer

from adapters.cli.exits import fail, user_errors
from adapters.cli.startup import application
from bot.clock import SystemClock
from bot.domain import OutboxState
from bot.errors import UserError

if TYPE_CHECKING:
    from bot.unit_of_work import Context
    from store.models import OutboxNotification

outbox_app = typer.Typer(
    help="The outbox: every message the bot sends on its own (list, who cannot be reached, retry).",
    invoke_without_command=True,
)
STATES = ", ".join(state.value for state in OutboxState)
ERROR_WIDTH = 90


def register(app: typer.Typer) -> None:
    """Add ``actionbot outbox`` to the ``actionbot`` command line."""
    app.add_typer(outbox_app, name="outbox")


@outbox_app.callback()
def outbox_list(
    context: typer.Context,
    state: Annotated[str | None, typer.Option(help=f"Only rows in this state: {STATES}.")] = None,
    limit: Annotated[int, typer.Option(help="How many of the newest rows to list.")] = 20,
    unreachable: Annotated[
        bool, typer.Option("--unreachable", help="Who the bot cannot reach on its own, and why.")
    ] = False,
) -> None:
    """The newest messages in the outbox: kind, target, state, attempts and last error."""
    from bot.unit_of_work import UnitOfWork
    from store import outbox_views

    if context.invoked_subcommand is not None:
        return
    wanted = _state(state)
    if limit < 1:
        fail(f"--limit must be at least 1 (got {limit})")
    if unreachable and state is not None:
        fail("give --unreachable or --state, not both (--unreachable lists who, --state unreachable the rows)")
    running = application()
    uow = UnitOfWork(running.engine, SystemClock(), running.settings)
    if unreachable:
        with user_errors():
            lines = uow.run(_unreachable_lines, writes=False)
        for line in lines or ["Everyone the bot has had to tell something can be reached."]:
            typer.echo(line)
        return

    def read(work: Context) -> list[str]:
        rows = outbox_views.rows(work.session, state=wanted, limit=limit)
        return [_row_line(work, row) for row in rows]

    with user_errors():
        lines = uow.run(read, writes=False)
    if not lines:
        typer.echo(f"No {wanted.value} messages." if wanted else "The outbox is empty: the bot has sent nothing yet.")
    for line in lines:
        typer.echo(line)


@outbox_app.command("retry")
def retry(
    ids: Annotated[list[int] | None, typer.Argument(help="The rows to send again (their numbers).")] = None,
    all_dead: Annotated[bool, typer.Option("--all-dead", help="Every dead row.")] = False,
) -> None:
    """Send dead or skipped messages again, from now, with their attempts counted afresh."""
    from bot.unit_of_work import UnitOfWork
    from store import outbox, outbox_views

    if bool(ids) == all_dead:
        fail("give the numbers of the rows to send again, or --all-dead (not both)")
    running = application()
    uow = UnitOfWork(running.engine, SystemClock(), running.settings)

    def requeue(work: Context) -> list[int]:
        if all_dead:
            chosen = outbox_views.ids_in_state(work.session, OutboxState.DEAD)
        else:
            chosen = list(dict.fromkeys(ids or []))
            _check(outbox_views.existing(work.session, chosen), chosen)
        outbox.requeue(work, chosen)
        return chosen

    with user_errors():
        done = uow.run(requeue)
    if not done:
        typer.echo("No dead messages: nothing to send again.")
        return
    numbers = ", ".join(f"#{row_id}" for row_id in done)
    typer.echo(f"Queued again: {numbers}. The clock sends them at its next pass.")


def _check(found: dict[int, OutboxNotification], chosen: list[int]) -> None:
    for row_id in chosen:
        row = found.get(row_id)
        if row is None:
            raise UserError(f"There is no outbox row #{row_id}: `actionbot outbox` lists them. Nothing was requeued.")
        if row.state == OutboxState.SENT.value:
            raise UserError(f"#{row_id} was sent; it is not sent twice. Nothing was requeued.")
        if row.state == OutboxState.PENDING.value:
            raise UserError(f"#{row_id} is already waiting to be sent. Nothing was requeued.")
        if row.state == OutboxState.UNREACHABLE.value:
            raise UserError(
                f"#{row_id} has nobody to go to ({row.last_error}). Link them (`actionbot people link`); "
                "the clock reaches them from their next message. Nothing was requeued."
            )


def _state(text: str | None) -> OutboxState | None:
    if text is None:
        return None
    try:
        return OutboxState(text.strip().lower())
    except ValueError:
        fail(f"--state must be one of {STATES} (got '{text}')")


def _row_line(work: Context, row: OutboxNotification) -> str:
    from store import outbox_views

    to = outbox_views.target_label(work.session, row.platform, row.target_key)
    when = row.created_at.astimezone(work.zone).strftime("%Y-%m-%d %H:%M")
    line = f"#{row.id:<6} {row.state:<11} {row.kind:<10} {to} ({row.platform}) · queued {when}"
    if row.attempts:
        line += f" · {row.attempts} attempt{'s' if row.attempts != 1 else ''}"
    if row.last_error:
        error = " ".join(row.last_error.split())
        line += f"\n        {error[:ERROR_WIDTH]}{'…' if len(error) > ERROR_WIDTH else ''}"
    return line


def _unreachable_lines(work: Context) -> list[str]:
    from store import outbox_views

    lines = []
    for entry in outbox_views.unreachable(work.session):
        latest = entry.latest.created_at.astimezone(work.zone).strftime("%Y-%m-%d")
        count = f"{entry.messages} message{'s' if entry.messages != 1 else ''}"
        lines.append(f"{entry.who}: {entry.reason} ({count} not sent, latest {latest})")
    return lines
