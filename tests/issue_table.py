"""The table people tried in the demo, as one scenario every surface runs (console, Slack, Teams).

An officer owns two actions: ``late`` (on track, 30%, due 2 Jan 2019, so 12 days overdue on Monday
14 January 2019) and ``soon`` (not started, due Saturday 19 January). Someone in SMT asks too.
``say`` sends a line as a person on the surface and returns what that person was shown.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from datetime import date

from bot.domain import Status, UpdateKind
from tests.factories import PlanFactory

Say = Callable[[str], Awaitable[str]]


async def run_the_table(officer: Say, smt: Say, plan: PlanFactory, late: int, soon: int) -> None:
    mine = await officer("my actions")
    assert "Your actions" in mine and "2 open actions, due soonest first." in mine
    assert mine.index(f"#{late}") < mine.index(f"#{soon}")

    own = await officer("what is overdue?")
    assert "1 of your actions is overdue, as of Mon 14 Jan 2019." in own
    assert "The council-wide overdue list is for SMT, managers and admins." in own
    assert f"#{late}" in own and f"#{soon}" not in own
    everyone = await smt("what is overdue?")
    assert "1 overdue action, 1 owner, as of Mon 14 Jan 2019." in everyone
    assert "council-wide" not in everyone

    shown = await officer(f"show me {late}")
    assert f"Action #{late}" in shown and "History" in shown

    moved = await officer(f"move {soon} next friday waiting for legal")
    assert f"#{soon} moved to Fri 18 Jan 2019 (was Sat 19 Jan 2019)." in moved
    assert plan.get(soon).due_date == date(2019, 1, 18)
    assert [u.note for u in plan.updates(soon) if u.kind is UpdateKind.MOVE] == ["waiting for legal"]

    before = len(plan.updates(late))
    refused = await officer(f"update {late} done 40%")
    assert (
        f"Done means 100% complete, so #{late} can't be done at 40%. `done {late}` records it finished (100%); "
        f"`update {late} on-track 40%` records progress."
    ) in refused
    stored = plan.get(late)
    assert (stored.status, stored.percent_complete, len(plan.updates(late))) == (Status.ON_TRACK, 30, before)

    done = await officer(f"mark {late} done")
    assert f"Recorded: #{late} is now Done · 100%." in done
    assert "already Done" in await officer(f"{late} done")

    reopen = await officer(f"update {late} 50%")
    assert f"#{late} is done, and done means 100% complete. To reopen #{late}: `update {late} on-track 50%`." in reopen
    stored = plan.get(late)
    assert (stored.status, stored.percent_complete) == (Status.DONE, 100)
    reopened = await officer(f"update {late} on-track 50%")
    assert f"Recorded: #{late} is now On track · 50%." in reopened

    finished = await officer(f"{soon} 100%")
    assert f"Recorded: #{soon} is now Done · 100%. (100% complete counts as done.)" in finished
    assert (plan.get(soon).status, plan.get(soon).percent_complete) == (Status.DONE, 100)
