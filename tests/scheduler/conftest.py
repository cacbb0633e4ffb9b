"""Scheduler fixtures: the fake Slack and the fake Bot Framework connector on 127.0.0.1, the settings pointing
the real senders at them, and the Teams surface (which stores conversation references as Teams installs the app
and people message it)."""

from collections.abc import AsyncIterator

import pytest

from tests.scheduler.drain_support import OPENED
from tests.slack.conftest import fake, slack_settings  # noqa: F401
from tests.teams.conftest import connector, people, teams, teams_settings  # noqa: F401


@pytest.fixture(autouse=True)
async def _close_senders() -> AsyncIterator[None]:
    """The Slack senders a test made keep a connection pool: closed when the test ends."""
    yield
    while OPENED:
        await OPENED.pop().close()
