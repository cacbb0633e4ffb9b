"""Bad input: one short private line saying what was wrong and what would work, and nothing changed."""

from __future__ import annotations

import pytest
from sqlalchemy import Engine
from sqlmodel import select

from bot.domain import Role
from bot.replies import Tone, Visibility
from bot.requests import Actor
from store.models import Action, ActionUpdate, OutboxNotification, Subscription
from store.session import transaction
from tests.factories import Chat, PlanFactory


def snapshot(engine: Engine) -> tuple[object, ...]:
    """Everything a command could change."""
    with transaction(engine, write=False) as session:
        actions = [a.model_dump() for a in session.exec(select(Action).order_by(Action.id))]
        updates = len(list(session.exec(select(ActionUpdate))))
        outbox = len(list(session.exec(select(OutboxNotification))))
        subscriptions = len(list(session.exec(select(Subscription))))
    return tuple(actions), updates, outbox, subscriptions


@pytest.mark.parametrize(
    ("command", "expected"),
    [
        ("frobnicate 42", "I don't know the command 'frobnicate'. Try: help"),
        ("show 9999", "There is no action #9999. `mine` lists yours; `reviews` lists the plans."),
        ("update 9999 done", "There is no action #9999."),
        ("update {id} finished", "'finished' is not a status: use not-started, on-track, at-risk, off-track or done."),
        ("update {id} 101%", "101% is not a percentage: % complete is between 0% and 100%."),
        ("move {id} 31/02/2019 Cabinet moved", "31/02/2019 is not a date: February 2019 has 28 days."),
        ("move {id} 2019-03-31", "A reason for the new date is required."),
        ("move {id} 2018-12-01 backdating", "Sat 1 Dec 2018 is in the past: a new deadline is today or later."),
        ("note {id} " + "x" * 2001, "That note is 2,001 characters; the limit is 2,000. Shorten it."),
        ("drop {id}", "A reason for dropping it is required."),
        ("snooze {id} 2019-01-01", "Tue 1 Jan 2019 is not in the future."),
        ("subscribe Nonexistent Review", "No review matches 'Nonexistent Review'."),
    ],
)
def test_bad_input_gets_one_line_and_changes_nothing(
    plan: PlanFactory, chat: Chat, engine: Engine, command: str, expected: str
) -> None:
    deb = plan.person("Deb Poole")
    action = plan.action(deb, due_in=5)
    before = snapshot(engine)
    reply = chat.ask(deb, command.format(id=action.id))
    assert reply.tone is Tone.ERROR
    assert reply.visibility is Visibility.PRIVATE
    assert len(reply.plain_lines) == 1
    assert reply.plain_lines[0].startswith(expected)
    assert snapshot(engine) == before


def test_a_chat_user_who_is_not_linked_is_told_how_to_get_linked(plan: PlanFactory, chat: Chat, engine: Engine) -> None:
    deb = plan.person("Deb Poole")
    action = plan.action(deb)
    before = snapshot(engine)
    stranger = Actor(platform="slack", user_id="U0STRANGER")
    for command in ("mine", f"done {action.id}", "overdue"):
        reply = chat.ask(stranger, command)
        assert reply.not_linked and reply.title == "Welcome to actionbot"
        assert "You are not linked to anyone in the action plan yet, so I can't tell which actions are yours." in (
            reply.plain_lines
        )
    assert snapshot(engine) == before
    assert "not linked to anyone" in chat.text(stranger, "help")


def test_someone_without_the_right_is_told_who_can(plan: PlanFactory, chat: Chat, engine: Engine) -> None:
    lead = plan.person("Sue Hanley", Role.MANAGER)
    deb = plan.person("Deb Poole")
    rep = plan.person("Owen Price", Role.UNION_REP)
    action = plan.action(deb, review=plan.review("Corporate Peer Challenge 2018", lead))
    before = snapshot(engine)
    refused = chat.ask(rep, f"done {action.id}")
    assert refused.tone is Tone.ERROR
    assert refused.plain_lines == [
        f"You can't update #{action.id}: only the action's owners, the review's leads and admins can. Ask Sue Hanley."
    ]
    assert chat.ask(deb, f"drop {action.id} not needed").plain_lines == [
        f"You can't drop #{action.id}: only the review's leads and admins can. Ask Sue Hanley."
    ]
    assert chat.ask(rep, "overdue @Deb Poole").plain_lines == [
        "Someone else's overdue actions are for SMT, managers and admins to see. "
        "`overdue` shows your own; `show 42` shows any one action."
    ]
    assert chat.ask(deb, "link <@U1> Owen Price").plain_lines == ["Only admins can `link`. Ask an admin."]
    assert snapshot(engine) == before


def test_subscribe_outside_a_channel_says_where_to_run_it(plan: PlanFactory, chat: Chat) -> None:
    rep = plan.person("Owen Price", Role.UNION_REP)
    plan.review("Corporate Peer Challenge 2018")
    reply = chat.ask(rep, "subscribe all", channel=None)
    assert reply.plain_lines == ["Run `subscribe` in the channel that should receive it."]


def test_an_ambiguous_review_lists_the_matches(plan: PlanFactory, chat: Chat) -> None:
    ceo = plan.person("Kevin Dicks", Role.SMT)
    plan.review("Corporate Peer Challenge 2017")
    plan.review("Corporate Peer Challenge 2018")
    reply = chat.ask(ceo, "overdue Corporate Peer")
    assert reply.plain_lines == [
        "'Corporate Peer' matches 2 reviews: 'Corporate Peer Challenge 2017', 'Corporate Peer Challenge 2018'. "
        "Give more of the title."
    ]


def test_an_unexpected_failure_is_a_short_apology_never_a_stack_trace(
    plan: PlanFactory, chat: Chat, monkeypatch: pytest.MonkeyPatch
) -> None:
    deb = plan.person("Deb Poole")
    plan.action(deb)

    def broken(*args: object, **kwargs: object) -> None:
        raise RuntimeError("disk on fire")

    monkeypatch.setattr("store.action_lists.my_open_actions", broken)
    reply = chat.ask(deb, "mine")
    assert reply.tone is Tone.ERROR
    assert reply.plain_lines[0].startswith("Something went wrong on our side; nothing was changed. (ref ")
    assert "disk on fire" not in reply.plain_lines[0]
