"""``actionbot clock``: the process that makes the bot speak first (nudges, escalations, digests, delivery).

- ``actionbot clock``: long-running (one per deployment: a second one stands by and takes over when the
  first dies). SIGTERM or SIGINT: no new job, the drain stops claiming and gives back what it had not
  begun, the lease is released, exit 0.
- ``actionbot clock --once``: every job due now, then deliver what is due, and exit (for cron, a
  Kubernetes CronJob, an Azure timer). It takes the same lease, so it never sends beside a running clock.
- ``actionbot clock --once --dry-run [--at 2019-03-04T09:30]``: what the jobs would send now, or at that
  moment: to whom, through which platform, and the text; nothing is written or sent.
- ``actionbot clock status``: who holds the lease, its last heartbeat, and the outbox by state.

Thin: the work is in :mod:`scheduler.runner`, :mod:`scheduler.preview` and :mod:`scheduler.lease`.
"""

from __future__ import annotations

import asyncio
import logging
import signal
from datetime import UTC, datetime, timedelta
from typing import TYPE_CHECKING, Annotated

import typer

from adapters.cli.exits import fail, user_errors
from adapters.cli.startup import application, configure_logging

if TYPE_CHECKING:
    from adapters.bootstrap import App
    from bot.settings import Settings

log = logging.getLogger("actionbot.clock")

clock_app = typer.Typer(
    help="The clock: nudges, escalations, digests and delivery of the outbox (one per deployment).",
    invoke_without_command=True,
)


def register(app: typer.Typer) -> None:
    """Add ``actionbot clock`` (and ``clock status``) to the ``actionbot`` command line."""
    app.add_typer(clock_app, name="clock")


@clock_app.callback()
def clock(
    context: typer.Context,
    once: Annotated[bool, typer.Option("--once", help="Run every job due now, deliver what is due, exit.")] = False,
    dry_run: Annotated[
        bool, typer.Option("--dry-run", help="With --once: print what would be sent; write and send nothing.")
    ] = False,
    at: Annotated[
        str | None,
        typer.Option(help="With --dry-run: the moment to ask about, e.g. 2019-03-04T09:30 (council time)."),
    ] = None,
) -> None:
    """Run the clock: nudges, escalations, digests, and delivery of everything the bot sends on its own."""
    if context.invoked_subcommand is not None:
        if once or dry_run or at:
            fail("--once, --dry-run and --at go with `actionbot clock`, not with a subcommand")
        return
    if at is not None and not dry_run:
        fail("--at is only for --dry-run: `actionbot clock --once --dry-run --at 2019-03-04T09:30` "
             "shows what would be sent then; a clock that sends always runs at the real time")
    if dry_run:
        configure_logging(logging.WARNING)
        running = application()
        _dry_run(running, _moment(at, running.settings) if at else datetime.now(UTC))
        return
    configure_logging(logging.INFO)
    logging.getLogger("apscheduler").setLevel(logging.WARNING)
    running = application()
    if not running.senders:
        log.warning("Neither Slack nor Teams is configured: messages are queued as unreachable, nothing is sent")
    if once:
        _once(running)
    else:
        _forever(running)


def _moment(text: str, settings: Settings) -> datetime:
    try:
        moment = datetime.fromisoformat(text.strip())
    except ValueError:
        fail(f"--at: '{text}' is not a moment such as 2019-03-04T09:30 (council time) or 2019-03-04T09:30+00:00")
    return moment if moment.tzinfo is not None else moment.replace(tzinfo=settings.zone)


def _dry_run(running: App, at: datetime) -> None:
    from scheduler.preview import preview

    with user_errors():
        found = preview(running.engine, running.settings, frozenset(running.senders), at)
    local = at.astimezone(running.settings.zone)
    when = f"{local:%A %d %B %Y %H:%M} ({running.settings.timezone})"
    sendable = [item for item in found if item.text is not None]
    if not found:
        typer.echo(f"Nothing would be sent at {when}. (Dry run: nothing written, nothing sent.)")
        return
    typer.echo(f"At {when} the bot would send {len(sendable)} message(s). (Dry run: nothing written, nothing sent.)")
    for item in found:
        typer.echo("")
        for line in item.lines():
            typer.echo(line)


def _once(running: App) -> None:
    from scheduler.runner import ClockRunner

    runner = ClockRunner(running.engine, running.settings, running.senders)
    with user_errors():
        report = asyncio.run(runner.once())
    if report is None:
        typer.echo(f"{runner.lease.standby_line()}: this run sent nothing")
        return
    drained = report.drained
    typer.echo(
        f"queued {report.queued}; sent {drained.sent}, skipped {drained.skipped}, "
        f"to retry {drained.retried + drained.rate_limited}, dead {drained.dead}"
    )


def _forever(running: App) -> None:
    from scheduler import memory
    from scheduler.runner import ClockRunner

    runner = ClockRunner(running.engine, running.settings, running.senders)

    async def main() -> None:
        stop = asyncio.Event()
        loop = asyncio.get_running_loop()
        for signum in (signal.SIGTERM, signal.SIGINT):
            loop.add_signal_handler(signum, _stopping, stop)
        log.info("clock starting (%s); jobs: %s", running.settings.timezone, ", ".join(j.id for j in runner.jobs))
        await runner.run(stop)

    memory.keep_startup()  # the collector's full passes walk only what the jobs make, not the start-up heap
    asyncio.run(main())
    log.info("clock stopped")


def _stopping(stop: asyncio.Event) -> None:
    if not stop.is_set():
        log.info("stopping: no new jobs; finishing or giving back messages in flight; releasing the lease")
    stop.set()


@clock_app.command("status")
def status() -> None:
    """Who runs the clock, its last heartbeat, and the outbox by state (exit 0 when a clock is running)."""
    from scheduler.lease import Lease, wall_now
    from store import outbox_views
    from store.session import transaction

    running = application()
    lease = Lease(running.engine)
    with user_errors():
        holder = lease.holder()
        alive = lease.is_held_elsewhere()
        with transaction(running.engine, write=False) as session:
            counts = outbox_views.counts(session)
    zone = running.settings.zone
    if holder is None:
        typer.echo("No clock has run on this database yet: start one with `actionbot clock`.")
    else:
        since = f"{holder.since.astimezone(zone):%Y-%m-%d %H:%M:%S}"
        beat = _age(wall_now() - holder.heartbeat_at)
        if alive:
            typer.echo(f"The clock is running on {holder.host} pid {holder.pid} since {since}; "
                       f"last heartbeat {beat} ago.")
        elif holder.released_at is not None:
            typer.echo(f"No clock is running. The last one ran on {holder.host} pid {holder.pid} from {since} "
                       f"until it stopped {beat} ago.")
        else:
            typer.echo(f"No clock is running. The last one ({holder.host} pid {holder.pid}, since {since}) "
                       f"stopped without letting go (killed?); last heartbeat {beat} ago.")
    order = ["pending", "sent", "skipped", "unreachable", "dead"]
    states = order + sorted(set(counts) - set(order))
    listed = ", ".join(f"{counts[state]} {state}" for state in states if state in counts)
    typer.echo(f"Outbox: {listed or 'empty'}.")
    if not alive:
        raise typer.Exit(1)


def _age(delta: timedelta) -> str:
    seconds = max(0, int(delta.total_seconds()))
    if seconds < 120:
        return f"{seconds}s"
    if seconds < 7200:
        return f"{seconds // 60} min"
    if seconds < 172800:
        return f"{seconds // 3600} h"
    return f"{seconds // 86400} days"
