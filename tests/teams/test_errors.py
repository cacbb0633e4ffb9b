"""When Teams itself fails mid-turn, the trace is logged with a reference and the user is told briefly."""

from __future__ import annotations

import logging
import re

import pytest

from tests.teams import payloads
from tests.teams.card_reading import text_of
from tests.teams.harness import DEB, Plan, Teams


async def test_a_reply_teams_refuses_is_logged_and_apologised_for(
    teams: Teams, people: Plan, caplog: pytest.LogCaptureFixture
) -> None:
    teams.connector.fail_next(500, code="InternalServerError")
    activity = payloads.message(teams.service_url, DEB, "help", payloads.personal_chat(DEB))
    assert await teams.post(activity) == 200  # the Bot Framework must not redeliver: the turn was handled

    [refused, apology] = teams.connector.sent()
    assert refused.card["body"][0]["text"] == "actionbot commands"
    match = re.fullmatch(r"Something went wrong on our side\. \(ref ([0-9a-f]{8,12})\)", text_of(apology.card))
    assert match is not None
    [record] = [r for r in caplog.records if r.levelno == logging.ERROR and r.name == "actionbot.teams"]
    assert record.getMessage() == f"Teams turn failed (ref {match[1]})" and record.exc_info is not None
