"""The phrasing corpus typed to the bot in a Teams 1:1 chat: every line reaches the core as the
command it means, or its refusal is shown on the card answered (``tests/phrasing_corpus.py``)."""

from __future__ import annotations

import pytest

from bot.domain import Status
from tests.factories import PlanFactory
from tests.issue_table import run_the_table
from tests.phrasing_corpus import CORPUS, ParseRecorder, mismatch
from tests.teams.card_reading import text_of
from tests.teams.harness import DEB, JAYNE, KEVIN, Plan, Teams


async def test_the_corpus_as_teams_messages(
    teams: Teams, people: Plan, plan: PlanFactory, monkeypatch: pytest.MonkeyPatch
) -> None:
    plan.review("Corporate Peer Challenge 2018", people.deb)
    plan.action(people.deb, due_in=-3, text="Publish the communications strategy")
    recorder = ParseRecorder()
    monkeypatch.setattr("bot.core.read", recorder)
    wrong = []
    for text, expected in CORPUS:
        recorder.clear()
        card = await teams.say(DEB, text)
        if (problem := mismatch(text, expected, recorder.last(), text_of(card))) is not None:
            wrong.append(problem)
    assert wrong == []


async def test_the_demo_table_in_teams(teams: Teams, people: Plan, plan: PlanFactory) -> None:
    late = plan.action(people.jayne, due_in=-12, status=Status.ON_TRACK, percent=30, text="Refresh the Corporate Plan")
    soon = plan.action(people.jayne, due_in=5, text="Publish the workforce strategy")

    async def jayne(text: str) -> str:
        return text_of(await teams.say(JAYNE, text))

    async def kevin(text: str) -> str:
        return text_of(await teams.say(KEVIN, text))

    await run_the_table(jayne, kevin, plan, late.id or 0, soon.id or 0)


async def test_the_update_card_refuses_done_below_100_percent_on_the_percent_field(
    teams: Teams, people: Plan, plan: PlanFactory
) -> None:
    action = plan.action(people.deb, due_in=5, status=Status.ON_TRACK, percent=30, text="Publish the strategy")
    await teams.say(DEB, f"update {action.id}")
    form_id = teams.last_message_id()
    save = {"intent": "form", "action_id": action.id}
    await teams.press(DEB, form_id, save, status="done", percent="50")
    shown = text_of(teams.connector.updates()[-1].card)
    assert "Done means 100% complete: make this 100, or choose a status other than Done for 50%." in shown
    assert (plan.get(action.id or 0).status, plan.get(action.id or 0).percent_complete) == (Status.ON_TRACK, 30)
    await teams.press(DEB, form_id, save, status="done", percent="30")  # the % left as it was: done is 100%
    assert (plan.get(action.id or 0).status, plan.get(action.id or 0).percent_complete) == (Status.DONE, 100)
