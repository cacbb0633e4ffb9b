"""The council-wide overdue totals are remembered until an action changes, and are never stale: whoever
changes an action (a chat command, another process, a cascade from a deleted review), a new day, or a write
that is rolled back, the next ``overdue`` counts again (store.change_counter)."""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from datetime import timedelta

import pytest
from sqlalchemy import Engine, event, text

from bot.clock import FixedClock
from bot.domain import Role, Status
from store import action_lists
from store.db import make_engine
from store.models import Action
from store.session import transaction
from tests.factories import Chat, PlanFactory


def summary(chat: Chat, who: object) -> str:
    reply = chat.ask(who, "overdue")  # type: ignore[arg-type]
    return reply.sections[0].lines[0]


@contextmanager
def counted(engine: Engine) -> Iterator[list[str]]:
    """The statements run on ``engine`` meanwhile that count actions."""
    seen: list[str] = []

    def record(_c: object, _cur: object, statement: str, *_: object) -> None:
        if "count(" in statement.lower():
            seen.append(statement)

    event.listen(engine, "before_cursor_execute", record)
    try:
        yield seen
    finally:
        event.remove(engine, "before_cursor_execute", record)


def test_asking_again_with_nothing_changed_does_not_count_the_plan_again(
    plan: PlanFactory, chat: Chat, engine: Engine
) -> None:
    ceo, zoe = plan.person("Alex Morgan", Role.SMT), plan.person("Zoe Hart")
    plan.action(zoe, due_in=-3)
    first = summary(chat, ceo)
    with counted(engine) as counts:
        assert summary(chat, ceo) == first
    assert counts == []
    assert first.startswith("1 overdue action, 1 owner")


def test_a_status_changed_in_chat_is_counted_at_once(plan: PlanFactory, chat: Chat) -> None:
    ceo, zoe, amir = plan.person("Alex Morgan", Role.SMT), plan.person("Zoe Hart"), plan.person("Amir Khan")
    zoes = plan.action(zoe, due_in=-3)
    plan.action(amir, due_in=-5)
    assert summary(chat, ceo).startswith("2 overdue actions, 2 owners")
    chat.ask(zoe, f"done {zoes.id}")
    assert summary(chat, ceo).startswith("1 overdue action, 1 owner")
    chat.ask(amir, "done " + str(zoes.id + 1))
    assert summary(chat, ceo) == "Nothing is overdue. 🎉"


def test_a_change_written_by_another_process_is_counted(
    plan: PlanFactory, chat: Chat, database_url: str, _template: tuple[str, dict[str, object]]
) -> None:
    ceo, zoe = plan.person("Alex Morgan", Role.SMT), plan.person("Zoe Hart")
    action = plan.action(zoe, due_in=-3)
    plan.action(zoe, due_in=-4)
    assert summary(chat, ceo).startswith("2 overdue actions, 1 owner")
    _, options = _template
    other = make_engine(database_url, **options)  # type: ignore[arg-type]  # its own engine and connections
    with other.begin() as connection:  # hand-written SQL, as another program would
        connection.execute(text("UPDATE action SET status = 'done' WHERE id = :id"), {"id": action.id})
    other.dispose()
    assert summary(chat, ceo).startswith("1 overdue action, 1 owner")


def test_actions_deleted_with_their_review_are_no_longer_counted(plan: PlanFactory, chat: Chat, engine: Engine) -> None:
    ceo, zoe = plan.person("Alex Morgan", Role.SMT), plan.person("Zoe Hart")
    kept, gone = plan.review("Corporate Peer Challenge 2018"), plan.review("Scrutiny Review 2019")
    plan.action(zoe, due_in=-3, review=kept)
    plan.action(zoe, due_in=-3, review=gone)
    assert summary(chat, ceo).startswith("2 overdue actions")
    with engine.begin() as connection:
        connection.execute(text("DELETE FROM review WHERE id = :id"), {"id": gone.id})
    assert summary(chat, ceo).startswith("1 overdue action,")


def test_a_new_day_counts_the_actions_that_fell_due_yesterday(
    plan: PlanFactory, chat: Chat, clock: FixedClock
) -> None:
    ceo, zoe = plan.person("Alex Morgan", Role.SMT), plan.person("Zoe Hart")
    plan.action(zoe, due_in=-3)
    plan.action(zoe, due_in=0)
    assert summary(chat, ceo).startswith("1 overdue action,")
    clock.advance(timedelta(days=1))
    assert summary(chat, ceo).startswith("2 overdue actions,")


def test_each_review_filter_is_counted_for_itself(plan: PlanFactory, chat: Chat) -> None:
    ceo, zoe = plan.person("Alex Morgan", Role.SMT), plan.person("Zoe Hart")
    other, review = plan.review("Corporate Peer Challenge 2018"), plan.review("Scrutiny Review 2019")
    plan.action(zoe, due_in=-3, review=other)
    plan.action(zoe, due_in=-3, review=review)
    plan.action(zoe, due_in=-3, review=review)
    assert summary(chat, ceo).startswith("3 overdue actions")
    with transaction(plan.engine, write=False) as session:
        narrowed = action_lists.overdue_actions(session, plan.today, 10, review_ids=[review.id or 0])
    assert narrowed.total == 2
    assert summary(chat, ceo).startswith("3 overdue actions")


def test_totals_read_inside_a_write_that_is_rolled_back_are_never_remembered(
    plan: PlanFactory, chat: Chat
) -> None:
    ceo, zoe = plan.person("Alex Morgan", Role.SMT), plan.person("Zoe Hart")
    action = plan.action(zoe, due_in=-3)
    plan.action(zoe, due_in=-4)
    assert summary(chat, ceo).startswith("2 overdue actions")
    with pytest.raises(RuntimeError), transaction(plan.engine) as session:
        row = session.get(Action, action.id)
        assert row is not None
        row.status = Status.DONE
        session.flush()
        assert action_lists.overdue_actions(session, plan.today, 10).total == 1  # its own, uncommitted change
        raise RuntimeError("rolled back")
    assert summary(chat, ceo).startswith("2 overdue actions")
    chat.ask(zoe, f"done {action.id}")
    assert summary(chat, ceo).startswith("1 overdue action,")


@contextmanager
def slow_counts(engine: Engine, fail_first: bool = False) -> Iterator[list[str]]:
    """Counting statements take 0.3 s (so that requests asked at once overlap), the first one failing if asked."""
    seen: list[str] = []

    def record(_c: object, _cur: object, statement: str, *_: object) -> None:
        if "count(" in statement.lower():
            seen.append(statement)
            time.sleep(0.3)
            if fail_first and len(seen) == 1:
                raise RuntimeError("the first count fails")

    event.listen(engine, "before_cursor_execute", record)
    try:
        yield seen
    finally:
        event.remove(engine, "before_cursor_execute", record)


def _at_once(chat: Chat, who: object, n: int) -> list[str]:
    start = threading.Barrier(n)

    def ask() -> str:
        start.wait()
        return chat.ask(who, "overdue").sections[0].lines[0]  # type: ignore[arg-type]

    with ThreadPoolExecutor(n) as pool:
        return list(pool.map(lambda _: ask(), range(n)))


def _one_count(chat: Chat, engine: Engine, who: object, changed_by: object, action_id: int | None) -> int:
    """How many counting statements counting the plan once takes on this database (one or two), an action changed
    first so that it must."""
    chat.ask(changed_by, f"done {action_id}")  # type: ignore[arg-type]
    with counted(engine) as counts:
        summary(chat, who)
    return len(counts)


def test_eight_asking_at_once_after_a_change_count_the_plan_once(plan: PlanFactory, chat: Chat, engine: Engine) -> None:
    ceo, zoe = plan.person("Alex Morgan", Role.SMT), plan.person("Zoe Hart")
    first, second = plan.action(zoe, due_in=-3), plan.action(zoe, due_in=-4)
    plan.action(zoe, due_in=-5)
    assert summary(chat, ceo).startswith("3 overdue actions, 1 owner")
    once = _one_count(chat, engine, ceo, zoe, first.id)
    chat.ask(zoe, f"done {second.id}")
    with slow_counts(engine) as counts:
        answers = _at_once(chat, ceo, 8)
    assert len(counts) == once
    assert {answer[:20] for answer in answers} == {"1 overdue action, 1 "}


def test_when_the_one_counting_fails_the_others_count_for_themselves(
    plan: PlanFactory, chat: Chat, engine: Engine
) -> None:
    ceo, zoe = plan.person("Alex Morgan", Role.SMT), plan.person("Zoe Hart")
    first = plan.action(zoe, due_in=-3)
    plan.action(zoe, due_in=-4)
    assert summary(chat, ceo).startswith("2 overdue actions, 1 owner")
    once = _one_count(chat, engine, ceo, zoe, first.id)
    plan.action(zoe, due_in=-5)
    with slow_counts(engine, fail_first=True) as counts:
        answers = _at_once(chat, ceo, 4)
    assert sorted(answer.startswith("2 overdue actions, 1 owner") for answer in answers) == [False, True, True, True]
    assert len(counts) >= 1 + once  # the failed count, then theirs
