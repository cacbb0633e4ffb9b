"""Subscriptions, linking chat users to people, and who sees which commands in ``help``."""

from __future__ import annotations

from sqlalchemy import Engine
from sqlmodel import select

from bot.domain import Role, SubscriptionKind
from bot.replies import Tone, Visibility
from bot.requests import Actor
from store.models import Person, Subscription
from store.session import transaction
from tests.factories import Chat, PlanFactory


def subscriptions(engine: Engine) -> list[tuple[str, str, str]]:
    with transaction(engine, write=False) as session:
        rows = session.exec(select(Subscription).order_by(Subscription.id))
        return [(s.channel_key, s.scope, s.kind.value) for s in rows]


def test_union_rep_subscribes_a_channel_to_a_review_in_the_channel(
    plan: PlanFactory, chat: Chat, engine: Engine
) -> None:
    rep = plan.person("Owen Price", Role.UNION_REP)
    review = plan.review("Peer Review Programme 2017")
    reply = chat.ask(rep, "subscribe peer review programme", channel="C-UNISON")
    assert reply.visibility is Visibility.CHANNEL and reply.tone is Tone.SUCCESS
    assert reply.plain_lines == [
        "This channel will now receive the weekly digest (Mondays 09:00) for 'Peer Review Programme 2017'. "
        "(Set up by Owen Price; `unsubscribe` stops it.)"
    ]
    assert subscriptions(engine) == [("C-UNISON", f"review:{review.id}", "digest")]


def test_subscribing_twice_adds_nothing(plan: PlanFactory, chat: Chat, engine: Engine) -> None:
    rep = plan.person("Owen Price", Role.UNION_REP)
    plan.review("Peer Review Programme 2017")
    chat.ask(rep, "subscribe all digest updates", channel="C-UNISON")
    again = chat.ask(rep, "subscribe all updates", channel="C-UNISON")
    assert again.plain_lines == ["This channel already receives every update for all reviews."]
    assert [kind for _, _, kind in subscriptions(engine)] == ["digest", "updates"]


def test_unsubscribe_one_kind_or_everything(plan: PlanFactory, chat: Chat, engine: Engine) -> None:
    rep = plan.person("Owen Price", Role.UNION_REP)
    chat.ask(rep, "subscribe all digest updates overdue", channel="C-UNISON")
    chat.ask(rep, "unsubscribe all updates", channel="C-UNISON")
    assert [kind for _, _, kind in subscriptions(engine)] == ["digest", "overdue"]
    reply = chat.ask(rep, "unsubscribe all", channel="C-UNISON")
    assert reply.plain_lines[0].startswith("This channel will no longer receive the weekly digest (Mondays 09:00) "
                                           "and overdue alerts for all reviews.")
    assert subscriptions(engine) == []
    assert chat.ask(rep, "unsubscribe all", channel="C-UNISON").tone is Tone.INFO


def test_subscriptions_belong_to_the_channel_they_were_made_in(plan: PlanFactory, chat: Chat, engine: Engine) -> None:
    rep = plan.person("Owen Price", Role.UNION_REP)
    chat.ask(rep, "subscribe all", channel="C-ONE")
    chat.ask(rep, "subscribe all", channel="C-TWO")
    assert [channel for channel, _, _ in subscriptions(engine)] == ["C-ONE", "C-TWO"]
    assert SubscriptionKind.DIGEST.value == subscriptions(engine)[0][2]


def test_admin_links_a_slack_user_who_can_then_use_the_bot(plan: PlanFactory, chat: Chat, engine: Engine) -> None:
    plan.person("Sarah Collins", Role.ADMIN, slack="U0ADMIN")
    deb = plan.person("Deb Poole")
    plan.action(deb)
    admin_on_slack = Actor(platform="slack", user_id="U0ADMIN")
    reply = chat.ask(admin_on_slack, "link <@U0DEB|deb> Deb Poole")
    assert reply.plain_lines == ["Linked Slack user U0DEB to Deb Poole."]
    assert len(chat.ask(Actor(platform="slack", user_id="U0DEB"), "mine").items) == 1


def test_linking_a_chat_user_already_linked_moves_the_link_and_says_so(plan: PlanFactory, chat: Chat) -> None:
    admin = plan.person("Sarah Collins", Role.ADMIN)
    plan.person("Deb Poole", slack="U0DEB")
    plan.person("Debbie Poole")
    reply = chat.ask(admin, "link slack:U0DEB Debbie Poole")
    assert reply.plain_lines == ["Linked Slack user U0DEB to Debbie Poole. It was linked to Deb Poole before."]


def test_link_to_an_unknown_name_suggests_the_closest(plan: PlanFactory, chat: Chat) -> None:
    admin = plan.person("Sarah Collins", Role.ADMIN)
    plan.person("Jayne Pickering")
    reply = chat.ask(admin, "link slack:U0JP Jane Pickering")
    assert reply.plain_lines == ["Nobody in the plan is called 'Jane Pickering'. Did you mean 'Jayne Pickering'?"]


def test_a_chat_user_is_linked_by_email_on_first_sight(plan: PlanFactory, chat: Chat, engine: Engine) -> None:
    deb = plan.person("Deb Poole", email="deb.poole@bromsgrove.gov.uk")
    plan.action(deb)
    actor = Actor(platform="teams", user_id="aad-deb", email="Deb.Poole@Bromsgrove.gov.uk")
    assert len(chat.ask(actor, "mine").items) == 1
    with transaction(engine, write=False) as session:
        stored = session.get(Person, deb.id)
        assert stored is not None and stored.teams_user_id == "aad-deb"


def test_help_lists_only_what_each_person_may_run(plan: PlanFactory, chat: Chat) -> None:
    admin = plan.person("Sarah Collins", Role.ADMIN)
    ceo = plan.person("Kevin Dicks", Role.SMT)
    deb = plan.person("Deb Poole")
    rep = plan.person("Owen Price", Role.UNION_REP)
    plan.action(deb)

    def commands(person: Person) -> set[str]:
        return {line.split("`")[1].split()[0] for line in chat.ask(person, "help").sections[0].lines}

    assert {"link", "drop", "overdue", "update"} <= commands(admin)
    assert "overdue" in commands(ceo) and "link" not in commands(ceo)
    assert {"update", "note", "move", "snooze"} <= commands(deb)
    assert not {"drop", "link"} & commands(deb)
    own = "`overdue`: your own overdue actions (the council-wide list is for SMT, managers and admins)"
    assert own in chat.ask(deb, "help").sections[0].lines
    assert not {"update", "note", "drop", "link", "overdue"} & commands(rep)
    assert {"mine", "reviews", "digest", "subscribe", "show"} <= commands(rep)


def test_help_on_one_command(plan: PlanFactory, chat: Chat) -> None:
    deb = plan.person("Deb Poole")
    assert chat.ask(deb, "help move").plain_lines == [
        "`move 42 2019-03-31 waiting for Cabinet in March`: change a deadline, with the reason.",
        "Also understood: `move 42 next Friday waiting for legal`, `move 42 to end of March Cabinet moved`, "
        "`change the deadline of 42 to 31 March budget delayed`.",
    ]
