"""Cards stay well under Teams' message limit (about 28 KB), however long and markup-heavy the plan's text.

A full page of actions with the longest texts, names and titles allowed, every character one that
needs escaping, still arrives whole: ten actions, every button, and the "more" hint.
"""

from __future__ import annotations

from adapters.teams.cards import CARD_BUDGET_BYTES, card_bytes
from bot.domain import MAX_NOTE_LENGTH
from tests.factories import PlanFactory
from tests.teams.card_reading import buttons, containers, text_of
from tests.teams.harness import DEB, Plan, Teams

TEAMS_LIMIT = 28 * 1024
MARKUP = " *bold* _it_ [link](x) #tag <at>x</at> `c` ~s~ a&b | \\"


def _long(length: int, seed: str) -> str:
    """``length`` characters of words that all need escaping (so the card's JSON is as big as it gets)."""
    return (seed + MARKUP * (length // len(MARKUP) + 1))[:length]


async def test_a_full_page_of_long_actions_fits_in_one_teams_message(
    teams: Teams, plan: PlanFactory, people: Plan
) -> None:
    co_owners = [plan.person(_long(200, f"Officer {n}")) for n in range(3)]
    review = plan.review(_long(300, "Review"), people.deb)
    for number in range(12):
        plan.action(people.deb, *co_owners, review=review, due_in=number - 5, text=_long(4000, f"Action {number}"))

    card = await teams.say(DEB, "mine")

    [message] = teams.connector.sent()
    assert message.size < TEAMS_LIMIT - 2048, message.size
    assert card_bytes(card) <= CARD_BUDGET_BYTES
    assert len(containers(card)) == 10
    assert len(buttons(card)) == 10 * 5
    assert "2 more: type `mine page 2`" in text_of(card)
    assert all(len(text) > 100 for text in text_of(card).split("\n") if text.startswith("Action "))


async def test_an_action_with_a_long_history_of_long_notes_fits(
    teams: Teams, plan: PlanFactory, people: Plan
) -> None:
    action = plan.action(people.deb, due_in=5, text=_long(4000, "Action"))
    for number in range(12):
        await teams.say(DEB, f"note {action.id} {_long(MAX_NOTE_LENGTH, f'Note {number}')}")

    card = await teams.say(DEB, f"show {action.id}")

    message = teams.connector.sent()[-1]
    assert message.size < TEAMS_LIMIT - 2048, message.size
    shown = text_of(card)
    assert "History" in shown and "…and 3 earlier changes." in shown
    assert shown.count("Note ") >= 10  # every history line is still there, each cut short
