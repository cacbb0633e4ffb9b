"""After a press on a list, both surfaces keep the list: a line says what the press did, and the pressed
action shows its new state in its place, so people can press through a list one item after another.
The same for ``mine``, ``overdue`` and the clock's morning message."""

from __future__ import annotations

from bot.domain import Status
from bot.replies import Reply
from tests.factories import PlanFactory
from tests.surfaces.conftest import Staff
from tests.surfaces.surface import Screen, Surface
from tests.teams.harness import DEB, KEVIN

TEXTS = ("Refresh the Corporate Plan", "Publish the communications strategy", "Publish the workforce strategy")


def in_order(screen: Screen, *texts: str) -> bool:
    places = [screen.text.find(text) for text in texts]
    return -1 not in places and places == sorted(places)


async def test_a_press_on_mine_keeps_the_list_with_the_pressed_action_in_its_new_state(
    surface: Surface, staff: Staff, plan: PlanFactory
) -> None:
    first, second, third = (action.id or 0 for action in staff.debs)
    listed = await surface.say(DEB, "mine")
    after = await surface.press(DEB, listed, second, "done")

    assert plan.get(second).status is Status.DONE
    assert f"Recorded: #{second} is now Done · 100%." in after.text
    assert in_order(after, *TEXTS), "every action still listed, in its place"
    assert "Done · 100%" in after.text
    shown = surface.buttons(after)
    assert {number for number, _ in shown} == {first, third}, "done: no buttons left on it; the others keep theirs"

    again = await surface.press(DEB, after, third, "at_risk")  # pressing on through the same list
    assert plan.get(third).status is Status.AT_RISK
    assert f"Recorded: #{third} is now At risk · 0%." in again.text
    assert f"Recorded: #{second}" not in again.text, "one line: what the last press did"
    assert in_order(again, *TEXTS), "the action done a press ago is still there"
    assert again.text.count("Done · 100%") == 1 and "At risk · 0%" in again.text
    assert (third, "at_risk") not in surface.buttons(again) and (third, "on_track") in surface.buttons(again)


async def test_a_press_on_overdue_keeps_the_list(surface: Surface, staff: Staff, plan: PlanFactory) -> None:
    first, second, _ = (action.id or 0 for action in staff.debs)
    listed = await surface.say(KEVIN, "overdue")
    assert "2 overdue actions" in listed.text
    after = await surface.press(KEVIN, listed, first, "snooze")

    assert plan.get(first).snoozed_until is not None
    assert f"No reminders for #{first} until Mon 21 Jan 2019." in after.text
    assert "2 overdue actions" in after.text and in_order(after, *TEXTS[:2])
    assert "snoozed until Mon 21 Jan 2019" in after.text
    assert {number for number, _ in surface.buttons(after)} == {first, second}


async def test_a_press_on_the_clocks_morning_message_keeps_the_message(
    surface: Surface, staff: Staff, plan: PlanFactory, debs_morning: Reply
) -> None:
    first, second, third = (action.id or 0 for action in staff.debs)
    delivered = await surface.nudge(DEB, debs_morning)
    assert "3 of your actions need you today" in delivered.text and in_order(delivered, *TEXTS)

    after = await surface.press(DEB, delivered, first, "done")
    assert plan.get(first).status is Status.DONE
    assert "3 of your actions need you today" in after.text
    assert f"Recorded: #{first} is now Done · 100%." in after.text
    assert in_order(after, *TEXTS) and "Done · 100%" in after.text
    assert {number for number, _ in surface.buttons(after)} == {second, third}

    again = await surface.press(DEB, after, second, "on_track")
    assert f"Recorded: #{second} is now On track" in again.text and in_order(again, *TEXTS)
