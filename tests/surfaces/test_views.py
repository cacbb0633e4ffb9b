"""What a button carries to draw its list again (a :class:`View`) is read strictly, and can only ever
draw a list: a view naming a command that writes, or one that is not ours, changes nothing."""

from __future__ import annotations

import pytest

from bot.core import Core
from bot.domain import Status, Surface
from bot.replies import View
from bot.requests import Actor, Request
from tests.factories import PlanFactory
from tests.surfaces.conftest import Staff
from tests.surfaces.surface import SLACK_IDS
from tests.teams.harness import DEB


def test_a_view_survives_the_trip_through_a_button() -> None:
    views = (View(command="overdue page 2", ids=(12, 15)), View(nudge=(3, 4, 9), check_ins=(9,)), View(command="mine"))
    for view in views:
        assert View.decode(view.encode()) == view


@pytest.mark.parametrize(
    "text", ["", "mine", "c:mine", "x:1|mine", "c:1,a|mine", "c:1|", "n:1,2|x", "c:0|mine", "c:99999999999|mine",
             "c:٣|mine", "n:" + ",".join(["1"] * 200) + "|"],
)
def test_a_view_that_is_not_ours_is_refused(text: str) -> None:
    with pytest.raises(ValueError):
        View.decode(text)


def test_a_view_naming_a_command_that_writes_is_never_run(core: Core, staff: Staff, plan: PlanFactory) -> None:
    first, _, third = (action.id or 0 for action in staff.debs)
    request = Request(actor=Actor("slack", SLACK_IDS[DEB]), text=f"at-risk {first}", surface=Surface.SLACK)
    reply = core.press(request, View(command=f"done {third}", ids=(first, third)))
    assert plan.get(first).status is Status.AT_RISK
    assert plan.get(third).status is Status.NOT_STARTED, "the view was not run"
    assert reply.view is None and [item.action_id for item in reply.items] == [first]
