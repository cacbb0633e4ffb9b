"""Scheduler fixtures: the fake Slack on 127.0.0.1 and settings pointing the real Slack sender at it."""

from tests.slack.conftest import fake, slack_settings  # noqa: F401
