"""Fuzzing the real aiohttp app: the Slack and Teams fixtures (fake Slack, fake Bot Framework connector,
the server as ``actionbot serve`` builds it), and the settings every fuzz test shares.

Each property test runs ``ACTIONBOT_FUZZ_EXAMPLES`` examples (default 150), derandomized so the suite is
repeatable; setting the variable (``ACTIONBOT_FUZZ_EXAMPLES=2000``) also makes the run random, to explore.
"""

from __future__ import annotations

import os

from hypothesis import HealthCheck, settings

from tests.slack.conftest import council, fake, slack, slack_app, slack_settings  # noqa: F401
from tests.teams.conftest import connector, people, teams, teams_settings  # noqa: F401

_EXAMPLES = os.environ.get("ACTIONBOT_FUZZ_EXAMPLES")

FUZZ = settings(
    max_examples=int(_EXAMPLES) if _EXAMPLES else 150,
    derandomize=_EXAMPLES is None,
    deadline=None,  # a shared, noisy machine: time is measured in bench/, never in tests
    database=None,  # no .hypothesis directory in the checkout
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow, HealthCheck.data_too_large],
)
