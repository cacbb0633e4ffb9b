"""Scheduler fixtures: the fake Slack and the fake Bot Framework connector on 127.0.0.1, the settings pointing
the real senders at them, and the Teams surface (which stores conversation references as Teams installs the app
and people message it)."""

from tests.slack.conftest import fake, slack_settings  # noqa: F401
from tests.teams.conftest import connector, people, teams, teams_settings  # noqa: F401
