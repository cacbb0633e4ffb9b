"""The ``actionbot`` command line on typer: the Typer app and the command groups it is made of.

Each group is a module with a ``register(app)`` function: :mod:`~adapters.cli.serve`,
:mod:`~adapters.cli.clock`, :mod:`~adapters.cli.outbox`,
:mod:`~adapters.cli.chat` (chat, demo), :mod:`~adapters.cli.plans` (import, export),
:mod:`~adapters.cli.db`, :mod:`~adapters.cli.people`, :mod:`~adapters.cli.reviews`, and ``teams`` from
:mod:`adapters.teams.package`.
What they share is in :mod:`~adapters.cli.startup` (settings, the application, logging) and
:mod:`~adapters.cli.exits` (one line on standard error and an exit code). The groups import those two,
never this module, so the command line has no import cycle. The console script is :func:`adapters.cli.main`,
which runs this app for every command but a plain ``actionbot serve``.

Building the command line loads no command's work: each command imports its modules when it runs.
"""

from __future__ import annotations

import gc
import sys
from typing import Any

import typer

from adapters.cli import chat, clock, db, outbox, people, plans, reviews, serve
from adapters.teams.package import teams_app


class CommandLine(typer.Typer):
    """The ``actionbot`` command line. For ``actionbot serve`` the garbage collector is paused from the start
    (typer building the commands loads pydantic, among others); serve's start-up turns it back on
    (:func:`adapters.cli.serving.starting_up`), and so does the end of the command, however it ends."""

    def __call__(self, *args: Any, **kwargs: Any) -> Any:
        paused = sys.argv[1:2] == ["serve"] and gc.isenabled()
        if paused:
            gc.disable()
        try:
            return super().__call__(*args, **kwargs)
        finally:  # serve refused its options, say: nothing else turns it back on
            if paused:
                gc.enable()


app = CommandLine(
    help="actionbot: follows council action plans through to done.",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
)

serve.register(app)  # actionbot serve
clock.register(app)  # actionbot clock [--once [--dry-run [--at]]], actionbot clock status
outbox.register(app)  # actionbot outbox [--state] [--unreachable], actionbot outbox retry
chat.register(app)  # actionbot chat, actionbot demo
plans.register(app)  # actionbot import, actionbot export
db.register(app)  # actionbot db upgrade | check | status | backup
people.register(app)  # actionbot people add | link | list | role | merge | rename | alias
reviews.register(app)  # actionbot reviews, actionbot reviews set
app.add_typer(teams_app, name="teams")  # actionbot teams package
