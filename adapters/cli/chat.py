"""``actionbot chat`` and ``actionbot demo``: the console chat, against the configured database or a demo one."""

from __future__ import annotations

import logging
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from adapters.cli.exits import user_errors
from adapters.cli.startup import application, configure_logging, settings
from bot.clock import FixedClock, SystemClock

if TYPE_CHECKING:
    from adapters.bootstrap import App
    from adapters.console_clock import DemoClock


def register(app: typer.Typer) -> None:
    """Add ``chat`` and ``demo`` to the ``actionbot`` command line."""
    app.command()(chat)
    app.command()(demo)


def chat(
    as_: Annotated[str, typer.Option("--as", help="The person you are, by name.")],
) -> None:
    """Chat with the bot in the terminal as a person in the plan, against the configured database."""
    configure_logging(logging.WARNING)
    running = application()
    _console(running, as_)


def demo(
    as_: Annotated[str, typer.Option("--as", help="The person you are in the demo.")] = "",
    database: Annotated[Path, typer.Option(help="Where to write the demo database (replaced each run).")] = Path(
        "actionbot-demo.db"
    ),
) -> None:
    """A fresh demo database with a sample plan, and a console chat with it (no Slack or Teams needed)."""
    from adapters.bootstrap import build
    from adapters.console_clock import DemoClock, demo_start, set_up_demo_council
    from bot import sample_plan
    from store.db import make_engine, upgrade

    configure_logging(logging.WARNING)
    for suffix in ("", "-wal", "-shm", ".clock-lock"):
        Path(f"{database}{suffix}").unlink(missing_ok=True)
    config = settings().model_copy(update={"database_url": f"sqlite:///{database}"})
    engine = make_engine(config.database_url)
    upgrade(engine)
    engine.dispose()
    clock = FixedClock(demo_start(SystemClock().now(), config.zone))
    running = build(config, clock=clock)
    with user_errors():
        people = sample_plan.load(running.core.uow)
        set_up_demo_council(running.core, people)
    demo_clock = DemoClock(running.engine, config, clock)
    _console(running, as_ or sample_plan.DEMO_PERSON, demo=True, clock=demo_clock)


def _console(running: App, name: str, *, demo: bool = False, clock: DemoClock | None = None) -> None:
    from adapters.console import ConsoleChat
    from bot.services import people as people_service

    with user_errors():
        person = running.core.uow.run(lambda work: people_service.find_person(work.session, name), writes=False)
    roles = ", ".join(person.roles) or "no special role"
    where = "the demo council (a sample plan)" if demo else running.settings.database_url.split("://")[0]
    typer.echo(f"You are {person.name} ({person.job_title or 'no job title'}; {roles}) in {where}.")
    if clock is not None:
        typer.echo(f"{clock.now_line()} Type `tick` to see what the bot sends on its own.")
    ConsoleChat(running.core, person.id or 0, person.name, clock=clock).run()
