"""``actionbot serve``: the web server (Slack, Teams, health). The clock is :mod:`adapters.cli.clock`.

One process by default; ``--workers N`` (or ``WEB_CONCURRENCY``) runs N processes on the port
(:mod:`adapters.cli.workers`). Slack's Socket Mode is one connection per app, so it stays one process.
"""

from __future__ import annotations

import gc
import logging
import os
from collections.abc import Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING, Annotated

import typer

from adapters.cli.exits import fail
from adapters.cli.startup import application, configure_logging
from scheduler.memory import cap_arenas

if TYPE_CHECKING:
    from aiohttp import web

    from adapters.bootstrap import App

log = logging.getLogger("actionbot")
SHUTDOWN_GRACE_SECONDS = 10.0
WORKER_HEADER = "X-Actionbot-Worker"  # which process answered: its pid, as in its log lines


def register(app: typer.Typer) -> None:
    """Add ``serve`` to the ``actionbot`` command line."""
    app.command()(serve)


def serve(
    context: typer.Context,
    workers: Annotated[
        int,
        typer.Option(
            "--workers", envvar="WEB_CONCURRENCY", min=1, max=64,
            help="Web processes sharing the port: about one per CPU core (Socket Mode: 1).",
        ),
    ] = 1,
) -> None:
    """Run the web server: Slack events, Teams messages and /healthz on PORT."""
    cap_arenas()
    with starting_up():
        from aiohttp import web

        configure_logging(logging.INFO)
        running = application()
        if workers > 1 and running.settings.slack_app_token is not None:
            source = context.get_parameter_source("workers")
            if getattr(source, "name", None) != "ENVIRONMENT":  # given on the command line: refuse
                fail("--workers: Slack's Socket Mode is one connection per app and runs in one process: use "
                     "--workers 1, or Slack over HTTP (SLACK_SIGNING_SECRET, no SLACK_APP_TOKEN) to run several")
            log.warning("WEB_CONCURRENCY=%d ignored: Slack's Socket Mode runs in one process", workers)
            workers = 1
        if not (running.settings.slack_enabled or running.settings.teams_enabled):
            log.warning("Neither Slack nor Teams is configured: serving /healthz only")
        port = running.settings.port
        if workers > 1:
            from adapters.cli.workers import run_workers

            running.engine.dispose()  # each worker opens its own connections, after the fork
        else:
            web_app = _web_app(running)
    if workers > 1:
        log.info("serving on port %d with %d worker processes", port, workers)
        run_workers(_worker_app, workers=workers, port=port, grace_seconds=SHUTDOWN_GRACE_SECONDS)
        log.info("stopped")
        return
    log.info("serving on port %d", port)
    # SIGTERM or SIGINT: stop accepting, let requests in flight finish (up to the grace period), exit 0.
    web.run_app(web_app, port=port, print=None, access_log=None, shutdown_timeout=SHUTDOWN_GRACE_SECONDS)
    log.info("stopped")


@contextmanager
def starting_up() -> Iterator[None]:
    """Start-up with the cyclic garbage collector paused, then everything it built frozen out of its sight.

    Start-up imports a thousand modules and builds the application: ~180,000 objects the collector tracks, nearly
    all of which live as long as the process (a collection at the end finds ~2,700 unreachable, kept). The
    collections their allocations trigger on the way (each full one walking all of them) free next to nothing and
    cost a tenth of start-up's CPU (bench/startup.py). Frozen (:func:`gc.freeze`), they are
    never walked again by the collections that serving triggers (:func:`adapters.web.build_web_app` freezes again
    what the server's own start adds: bolt, the Teams adapter). Collection resumes however start-up ends."""
    gc.disable()
    try:
        yield
    finally:
        gc.freeze()
        gc.enable()


def _web_app(running: App) -> web.Application:
    from adapters.web import build_web_app

    web_app = build_web_app(running)
    web_app.on_response_prepare.append(_tag_worker)
    web_app.on_shutdown.append(_stopping)
    return web_app


async def _worker_app() -> web.Application:
    """One worker's app, built in the worker after the fork (its own engine and pool)."""
    with starting_up():
        return _web_app(application())


async def _tag_worker(_request: web.Request, response: web.StreamResponse) -> None:
    response.headers[WORKER_HEADER] = str(os.getpid())


async def _stopping(_web_app: object) -> None:
    log.info("stopping: no new requests; finishing those in flight (up to %gs)", SHUTDOWN_GRACE_SECONDS)
