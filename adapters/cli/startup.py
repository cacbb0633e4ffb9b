"""What every command does first: read the settings, set up logging, build the application or an engine.

A missing or contradictory setting, or a database whose schema is behind, stops the command with one
line saying what to fix (:func:`adapters.cli.exits.fail`).

Each command's modules (and the libraries behind them: SQLAlchemy, the core, Slack) are imported when that
command runs, not when the command line is built: ``actionbot serve`` loads nothing that only ``import``,
``chat`` or ``db backup`` use, and loads what it does use while its start-up has the garbage collector paused
(:func:`adapters.cli.serving.starting_up`).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from adapters.cli.exits import fail

if TYPE_CHECKING:
    from sqlalchemy import Engine

    from adapters.bootstrap import App
    from bot.settings import Settings


def settings() -> Settings:
    """The settings from the environment (and ``.env``), or exit saying what is wrong with them."""
    from bot.settings import SettingsError, load_settings

    try:
        return load_settings()
    except SettingsError as exc:
        fail(f"configuration error: {exc}")


def application(config: Settings | None = None) -> App:
    """The application built from ``config`` (default: :func:`settings`), or exit if the schema is behind."""
    from adapters.bootstrap import build
    from store.db import SchemaError

    try:
        return build(config or settings())
    except SchemaError as exc:
        fail(str(exc))


def engine() -> Engine:
    """An engine on the configured database, without checking its schema (the ``db`` commands)."""
    from store.db import make_engine

    return make_engine(settings().database_url)


def configure_logging(level: int, config: Settings | None = None) -> None:
    """Log to standard error as text, or one JSON object per line with ``ACTIONBOT_LOG_FORMAT=json`` (from
    ``config``, default: :func:`settings`)."""
    from adapters import logs

    logs.configure(level, (config or settings()).log_format)
