"""``actionbot serve --workers N``: N web processes sharing one port, run by gunicorn with aiohttp's worker.

The answer to a Slack command or a Teams message is CPU-bound Python (one core per process under the GIL),
so one process answers on one core however many requests wait. Gunicorn's master binds the port, starts N
worker processes that accept from it, restarts a worker that dies, and on SIGTERM or SIGINT stops them all,
each finishing the requests it has in flight (up to the grace period). Each worker builds its own
application (engine, connection pool, Slack and Teams surfaces) after the fork, so nothing that holds a
connection is shared between processes.
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable
from typing import Any

from aiohttp import web
from gunicorn.app.base import BaseApplication
from gunicorn.glogging import Logger

log = logging.getLogger("actionbot")

AppFactory = Callable[[], Awaitable[web.Application]]


class _WebWorkers(BaseApplication):  # type: ignore[misc]  # gunicorn ships no types
    """Gunicorn driven from code: the options given here, not the command line or a config file."""

    def __init__(self, factory: AppFactory, options: dict[str, Any]) -> None:
        self.factory = factory
        self.options = options
        super().__init__()

    def load_config(self) -> None:
        for key, value in self.options.items():
            if key in self.cfg.settings:  # control_socket_disable: gunicorn 25 and later
                self.cfg.set(key, value)

    def load(self) -> AppFactory:
        return self.factory


class _ThroughOurLogs(Logger):  # type: ignore[misc]
    """Gunicorn's own lines (workers booting, exiting) go through actionbot's logging: text or JSON alike."""

    def setup(self, cfg: Any) -> None:
        super().setup(cfg)
        for logger in (self.error_log, self.access_log):
            logger.handlers.clear()
            logger.propagate = True


def run_workers(factory: AppFactory, *, workers: int, port: int, grace_seconds: float) -> None:
    """Serve ``factory()``'s app from ``workers`` processes on ``port`` until SIGTERM or SIGINT."""
    options = {
        "bind": [f"0.0.0.0:{port}"],
        "workers": workers,
        "worker_class": "aiohttp.GunicornWebWorker",
        "graceful_timeout": int(grace_seconds),
        "timeout": 60,  # a worker silent this long (its event loop blocked) is restarted
        "accesslog": None,  # each request is logged once, by actionbot itself
        "logger_class": _ThroughOurLogs,
        "loglevel": "info",
        "proc_name": "actionbot serve",
        "control_socket_disable": True,  # no control socket in $HOME: signals stop and resize it
    }
    try:
        _WebWorkers(factory, options).run()
    except SystemExit as stopped:  # the master exits when it has stopped its workers
        if stopped.code not in (None, 0):
            raise
