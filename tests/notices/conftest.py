"""Fixtures for the clock's rules: a :class:`Clockwork` on the test database."""

from __future__ import annotations

import pytest
from sqlalchemy import Engine

from bot.settings import Settings
from tests.notices.clock import Clockwork


@pytest.fixture
def clockwork(engine: Engine, settings: Settings) -> Clockwork:
    return Clockwork(engine, settings)
