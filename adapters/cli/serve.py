"""``actionbot serve``: the web server (Slack, Teams, health). The clock is :mod:`adapters.cli.clock`."""

from __future__ import annotations

import logging

import typer

from adapters.cli.startup import application, configure_logging

log = logging.getLogger("actionbot")
SHUTDOWN_GRACE_SECONDS = 10.0


def register(app: typer.Typer) -> None:
    """Add ``serve`` to the ``actionbot`` command line."""
    app.command()(serve)


def serve() -> None:
    """Run the web server: Slack events, Teams messages and /healthz on PORT."""
    from aiohttp import web

    from adapters.web import build_web_app

    configure_logging(logging.INFO)
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
