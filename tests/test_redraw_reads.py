"""A press on a list draws the list again (bot.redraw): an action the list showed stays in it even when the command
would no longer list it, read again for that; the pressed action, shown by the press's answer already, is not."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from sqlalchemy import Engine, event

from bot.domain import Status, Surface
from bot.replies import ButtonIntent, Reply
from bot.requests import Actor, Request
from tests.factories import Chat, PlanFactory


@pytest.fixture
def statements(engine: Engine) -> Iterator[list[str]]:
    """The SQL statements run meanwhile."""
    seen: list[str] = []

    def record(_conn: object, _cursor: object, statement: str, *_args: object) -> None:
        seen.append(statement)

    event.listen(engine, "before_cursor_execute", record)
    yield seen
    event.remove(engine, "before_cursor_execute", record)


def _press(chat: Chat, actor: Actor, listing: Reply, action_id: int, intent: ButtonIntent, key: str) -> Reply:
    [button] = [b for item in listing.items if item.action_id == action_id for b in item.buttons if b.intent is intent]
    request = Request(actor=actor, text=button.command, surface=Surface.SLACK, request_key=key, from_button=True)
    return chat.core.press(request, listing.view)


def test_marking_done_costs_the_statements_of_any_other_press(
    plan: PlanFactory, chat: Chat, statements: list[str]
) -> None:
    deb = plan.person("Deb Poole")
    first, second, third = (plan.action(deb, due_in=days, text=f"Action due in {days} days") for days in (3, 5, 9))
    actor = Actor(platform="console", user_id=str(deb.id))
    listing = chat.ask(actor, "mine")
    assert [item.action_id for item in listing.items] == [first.id, second.id, third.id]

    statements.clear()
    on_track = _press(chat, actor, listing, first.id or 0, ButtonIntent.ON_TRACK, "press-1")
    kept_in_place = len(statements)
    statements.clear()
    done = _press(chat, actor, on_track, second.id or 0, ButtonIntent.DONE, "press-2")
    taken_off = len(statements)

    assert plan.get(second.id or 0).status is Status.DONE
    assert [item.action_id for item in done.items] == [first.id, second.id, third.id], "still shown, in its place"
    assert "Done · 100%" in " ".join(fact.value for fact in done.items[1].facts)
    assert taken_off == kept_in_place, "the done action is not read again to be kept in the list"

    statements.clear()
    third_done = _press(chat, actor, done, third.id or 0, ButtonIntent.DONE, "press-3")
    assert [item.action_id for item in third_done.items] == [first.id, second.id, third.id]
    assert len(statements) == kept_in_place + 2, "#2, done a press ago, is read again (with who may edit it)"
