"""Wiring in one place: settings → engine → core, and a sender for each configured platform.

Nothing connects at import time. Every ``actionbot`` command that works on the plan (``serve``, ``clock``,
``chat``, ``demo``, ``import``, ``export``, ``people``) calls :func:`build`, which checks that the schema
is current (the first connection); the ``db`` commands take an engine alone
(:func:`adapters.cli.startup.engine`), since they are how a schema that is behind is brought up to date,
and ``teams package`` needs no database. ``actionbot serve`` mounts the web surfaces (Slack,
Teams, health) on what :func:`build` returns (:func:`adapters.web.build_web_app`).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from sqlalchemy import Engine
from sqlalchemy.orm import configure_mappers

from bot.clock import Clock
from bot.core import Core
from bot.sending import Sender
from bot.settings import Settings
from store.db import check_schema, make_engine


@dataclass
class App:
    """The running application's parts."""

    settings: Settings
    engine: Engine
    core: Core
    senders: dict[str, Sender] = field(default_factory=dict)  # by platform: "slack", "teams"


def build(settings: Settings, *, clock: Clock | None = None, check: bool = True) -> App:
    """Connect to the database (checking its schema is current unless ``check=False``), build the core and
    a sender for Slack and for Teams when each is configured.

    The ORM's mappings are completed here rather than by the first query that needs them: every request
    does, and the first person to ask should not wait for what start-up can do."""
    configure_mappers()
    engine = make_engine(settings.database_url)
    if check:
        check_schema(engine)
    core = Core(engine, settings, clock)
    app = App(settings=settings, engine=engine, core=core)
    if settings.slack_enabled:
        from adapters.slack.app import web_client
        from adapters.slack.sender import SlackSender

        app.senders["slack"] = SlackSender(web_client(settings, retry_rate_limits=False))
    if settings.teams_enabled:
        from adapters.teams.sender import TeamsSender

        app.senders["teams"] = TeamsSender.from_settings(settings, app.core.uow)
    return app
