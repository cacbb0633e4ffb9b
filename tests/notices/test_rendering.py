"""The clock's messages on every surface: user text escaped, within Slack's and Teams' limits."""

from __future__ import annotations

import json
from datetime import date

from adapters.slack import blocks
from adapters.teams.cards import fitted_card
from bot.domain import Role
from bot.notices import escalations, nudges
from tests.factories import PlanFactory
from tests.notices.clock import Clockwork, at
from tests.slack.block_rules import violations

MONDAY = date(2019, 1, 14)
NASTY = "<!channel> <@U0BOSS> *bold* <https://evil.example|click> <at>Everyone</at>"


def test_a_nudge_and_an_escalation_quote_user_text_safely_on_slack_and_teams(
    plan: PlanFactory, clockwork: Clockwork
) -> None:
    lead = plan.person("Priya Shah", Role.MANAGER, slack="U0PRI")
    owner = plan.person("Deb <!here> Poole", slack="U0DEB")
    review = plan.review("Review <!everyone>", lead)
    for due_in in range(-14, 8):
        plan.action(owner, review=review, due_in=due_in, text=NASTY)
    clockwork.run(nudges.run, at(MONDAY, 9, 0))
    clockwork.run(escalations.run, at(MONDAY, 9, 0))
    queued = [message.reply for message in clockwork.messages()]
    sent = clockwork.sent(at(MONDAY, 9, 1))
    assert sum(len(reply.items) for reply in sent) == 8  # five nudged; three passed 14 days overdue since Friday
    for message in queued + sent:
        rendered = blocks.render(message)
        assert violations(rendered.blocks) == []
        slack_json = json.dumps(rendered.blocks) + rendered.text
        for token in ("<!channel>", "<!here>", "<!everyone>", "<@U0BOSS>", "<https://evil"):
            assert token not in slack_json
        card = json.dumps(fitted_card(message))
        assert "<at>" not in card
