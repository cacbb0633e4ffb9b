"""Saving the Update… form opened from a list keeps the list, as a press does: a line on top says what the
form recorded, and the action shows its new state in its place. On Slack (a slash command's list, and the
clock's morning message in the DM) and on Teams (a list's card, and the morning message's card)."""

from __future__ import annotations

from datetime import date

from bot.domain import Status
from bot.replies import Reply
from tests.factories import PlanFactory
from tests.surfaces.conftest import Staff
from tests.surfaces.surface import Surface
from tests.surfaces.test_pressing import TEXTS, in_order
from tests.teams.harness import DEB

SAVED = {"status": "at_risk", "percent": "40", "note": "Waiting for legal"}


async def test_saving_the_form_from_mine_keeps_the_list_with_the_action_in_its_new_state(
    surface: Surface, staff: Staff, plan: PlanFactory
) -> None:
    first, second, third = (action.id or 0 for action in staff.debs)
    listed = await surface.say(DEB, "mine")
    after = await surface.save_form(DEB, listed, second, SAVED)

    stored = plan.get(second)
    assert (stored.status, stored.percent_complete, stored.latest_note) == (Status.AT_RISK, 40, "Waiting for legal")
    assert f"Recorded: #{second} is now At risk · 40%," in after.text
    assert after.text.index("Recorded:") < after.text.index(TEXTS[0]), "the line on top, then the list"
    assert in_order(after, *TEXTS), "every action still listed, in its place"
    assert "At risk · 40%" in after.text
    assert {number for number, _ in surface.buttons(after)} == {first, second, third}

    again = await surface.press(DEB, after, third, "done")  # pressing on through the same list
    assert f"Recorded: #{third} is now Done · 100%." in again.text
    assert in_order(again, *TEXTS) and "At risk · 40%" in again.text


async def test_saving_the_form_from_the_clocks_morning_message_keeps_the_message(
    surface: Surface, staff: Staff, plan: PlanFactory, debs_morning: Reply
) -> None:
    first, second, third = (action.id or 0 for action in staff.debs)
    delivered = await surface.nudge(DEB, debs_morning)

    after = await surface.save_form(DEB, delivered, first, {"status": "on_track", "percent": "55",
                                                              "new_date": "2019-02-28", "reason": "Cabinet moved"})
    stored = plan.get(first)
    assert (stored.status, stored.percent_complete, stored.due_date) == (Status.ON_TRACK, 55, date(2019, 2, 28))
    assert "3 of your actions need you today" in after.text
    assert f"Recorded: #{first} is now On track · 55%, due Thu 28 Feb 2019" in after.text
    assert in_order(after, TEXTS[1], TEXTS[2], TEXTS[0]), "the message as it is now: #1 is due later than the others"
    assert "Due in 45 days" in after.text
    assert {number for number, _ in surface.buttons(after)} == {first, second, third}

    again = await surface.save_form(DEB, after, second, {"status": "done"})  # a second form from the same message
    assert f"Recorded: #{second} is now Done · 100%" in again.text and in_order(again, TEXTS[1], TEXTS[2], TEXTS[0])
    assert "On track · 55%" in again.text
