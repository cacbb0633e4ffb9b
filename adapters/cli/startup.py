"""What every command does first: read the settings, set up logging, build the application or an engine.

A missing or contradictory setting, or a database whose schema is behind, stops the command with one
line saying what to fix (:func:`adapters.cli.exits.fail`).
"""

from __future__ import annotations

from sqlalchemy import Engine

from adapters import logs
from adapters.bootstrap import App, build
from adapters.cli.exits import fail
from bot.settings import Settings, SettingsError, load_settings
from store.db import SchemaError, make_engine


def settings() -> Settings:
    """The settings from the environment (and ``.env``), or exit saying what is wrong with them."""
    try:
        return load_settings()
    except SettingsError as exc:
        fail(f"configuration error: {exc}")


def application(config: Settings | None = None) -> App:
    """The application built from ``config`` (default: :func:`settings`), or exit if the schema is behind."""
    try:
        return build(config or settings())
    except SchemaError as exc:
        fail(str(exc))


def engine() -> Engine:
    """An engine on the configured database, without checking its schema (the ``db`` commands)."""
    return make_engine(settings().database_url)


def configure_logging(level: int) -> None:
    """Log to standard error as text, or one JSON object per line with ``ACTIONBOT_LOG_FORMAT=json``."""
    logs.configure(level, settings().log_format)
