"""``actionbot serve`` on typer's command line: its options and help. What it runs is :mod:`adapters.cli.serving`
(which the console script calls straight for a plain ``actionbot serve``). The clock is :mod:`adapters.cli.clock`."""

from __future__ import annotations

from typing import Annotated

import typer

from adapters.cli.serving import MAX_WORKERS, run


def register(app: typer.Typer) -> None:
    """Add ``serve`` to the ``actionbot`` command line."""
    app.command()(serve)


def serve(
    context: typer.Context,
    workers: Annotated[
        int,
        typer.Option(
            "--workers", envvar="WEB_CONCURRENCY", min=1, max=MAX_WORKERS,
            help="Web processes sharing the port: about one per CPU core (Socket Mode: 1).",
        ),
    ] = 1,
) -> None:
    """Run the web server: Slack events, Teams messages and /healthz on PORT."""
    source = context.get_parameter_source("workers")
    run(workers, workers_from_environment=getattr(source, "name", None) == "ENVIRONMENT")
