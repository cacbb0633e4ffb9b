"""The demo's table on the console: what people type is understood, and statuses never contradict themselves."""

from __future__ import annotations

from adapters.console import ConsoleChat
from bot.core import Core
from bot.domain import Role, Status
from bot.render_text import render
from tests.factories import PlanFactory
from tests.issue_table import run_the_table


async def test_the_demo_table_on_the_console(core: Core, plan: PlanFactory) -> None:
    kevin = plan.person("Kevin Dicks")
    alex = plan.person("Alex Morgan", Role.SMT)
    late = plan.action(kevin, due_in=-12, status=Status.ON_TRACK, percent=30, text="Refresh the Corporate Plan")
    soon = plan.action(kevin, due_in=5, text="Publish the workforce strategy")

    def console(person_id: int, name: str) -> ConsoleChat:
        return ConsoleChat(core, person_id, name)

    officer, smt = console(kevin.id or 0, kevin.name), console(alex.id or 0, alex.name)

    async def as_officer(text: str) -> str:
        return render(officer.ask(text)).text

    async def as_smt(text: str) -> str:
        return render(smt.ask(text)).text

    await run_the_table(as_officer, as_smt, plan, late.id or 0, soon.id or 0)
