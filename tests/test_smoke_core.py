"""A first end-to-end pass through the core on the real database."""

from __future__ import annotations

from bot.domain import Role, Status
from bot.replies import Tone
from tests.factories import Chat, PlanFactory


def test_owner_marks_action_done_and_sees_it_in_history(plan: PlanFactory, chat: Chat) -> None:
    owner = plan.person("Deb Poole")
    action = plan.action(owner)
    reply = chat.ask(owner, f"done {action.id} finished ahead of Cabinet")
    assert reply.tone is Tone.SUCCESS
    assert plan.get(action.id).status is Status.DONE
    assert "finished ahead of Cabinet" in chat.text(owner, f"show {action.id}")


def test_smt_sees_overdue(plan: PlanFactory, chat: Chat) -> None:
    ceo = plan.person("Kevin Dicks", Role.SMT)
    owner = plan.person("Deb Poole")
    plan.action(owner, due_in=-5)
    assert "5 days overdue" in chat.text(ceo, "overdue")
