"""What ``actionbot serve`` runs: the web server (Slack, Teams, health) on PORT, in one process or several.

One process by default; ``--workers N`` (or ``WEB_CONCURRENCY``) runs N processes on the port
(:mod:`adapters.cli.workers`). Slack's Socket Mode is one connection per app, so it stays one process.

The command itself is :mod:`adapters.cli.serve` (typer's); ``actionbot serve`` as a platform runs it (no option, or
``--workers N``) comes here straight from the console script (:func:`plain_serve`, :func:`adapters.cli.main`),
without typer building the command line first.
"""

from __future__ import annotations

import gc
import logging
import os
import re
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from typing import TYPE_CHECKING

from adapters.cli.exits import fail
from adapters.cli.startup import application, configure_logging, settings
from scheduler.memory import cap_arenas

if TYPE_CHECKING:
    from aiohttp import web

    from adapters.bootstrap import App

log = logging.getLogger("actionbot")
SHUTDOWN_GRACE_SECONDS = 10.0
WORKER_HEADER = "X-Actionbot-Worker"  # which process answered: its pid, as in its log lines
MAX_WORKERS = 64  # --workers accepts 1 to this (adapters.cli.serve)
_WORKERS = re.compile(r"[1-9][0-9]?")


def plain_serve(args: Sequence[str], environ: Mapping[str, str]) -> tuple[int, bool] | None:
    """``(workers, from the environment)`` when ``args`` (the command line after ``actionbot``) is ``serve`` with
    no option or a plain ``--workers N``, and ``WEB_CONCURRENCY``, if it is what counts, a plain number: both in
    range. ``None`` for anything else (``--help``, a value to refuse, another command): typer answers those.
    The command line wins over ``WEB_CONCURRENCY``, as typer has it."""
    if not args or args[0] != "serve":
        return None
    options = list(args[1:])
    if len(options) == 1 and options[0].startswith("--workers="):
        options = ["--workers", options[0].removeprefix("--workers=")]
    if options:
        if len(options) == 2 and options[0] == "--workers":
            return _in_range(options[1], from_environment=False)
        return None
    if "WEB_CONCURRENCY" not in environ:
        return 1, False
    return _in_range(environ["WEB_CONCURRENCY"], from_environment=True)


def _in_range(value: str, *, from_environment: bool) -> tuple[int, bool] | None:
    if _WORKERS.fullmatch(value) is None or int(value) > MAX_WORKERS:
        return None
    return int(value), from_environment


def run(workers: int = 1, *, workers_from_environment: bool = False) -> None:
    """Serve until SIGTERM or SIGINT with ``workers`` processes; Socket Mode refuses several unless they were
    asked for by the environment (a platform's ``WEB_CONCURRENCY``), which is then ignored with a warning."""
    cap_arenas()
    with starting_up():
        from aiohttp import web

        config = settings()  # read once: for the log format, then the application
        configure_logging(logging.INFO, config)
        running = application(config)
        if workers > 1 and running.settings.slack_app_token is not None:
            if not workers_from_environment:  # given on the command line: refuse
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
