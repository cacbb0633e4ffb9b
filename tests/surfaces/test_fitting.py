"""A reply too big for one message: one policy on the neutral reply (bot.fitting), each platform's limits
as data, so Slack and Teams show the same actions with the same buttons, and say how many were left out."""

from __future__ import annotations

from sqlalchemy import Engine

from adapters.slack.blocks import LIMITS as SLACK
from adapters.teams.cards import LIMITS as TEAMS
from bot.domain import Rag, Status
from bot.fitting import MESSAGE_ITEMS, Limits, fit
from bot.notices import letters
from bot.replies import ActionItem, Fact, Reply, Section
from store.actions import rows_by_ids
from store.session import transaction
from tests.conftest import NOW
from tests.factories import PlanFactory
from tests.surfaces.conftest import Staff
from tests.surfaces.surface import Surface
from tests.teams.harness import DEB


def test_every_surface_shows_the_same_number_of_actions() -> None:
    assert SLACK.items == TEAMS.items == MESSAGE_ITEMS


def item(number: int, text: str = "An action") -> ActionItem:
    return ActionItem(action_id=number, text=text, rag=Rag.RED, status=Status.ON_TRACK,
                      facts=[Fact(label="Owner", value="Deb Poole " * 40)])


def test_a_long_reply_keeps_the_first_actions_and_says_how_many_were_left_out() -> None:
    reply = Reply(title="Overdue actions", sections=[
        Section(lines=["7 overdue actions"]),
        Section(heading="Deb Poole", items=[item(1), item(2)]),
        Section(heading="Kevin Dicks", items=[item(3, "word " * 100), item(4)]),
        Section(heading="Sarah Collins", items=[item(5), item(6), item(7)]),
    ])
    fitted = fit(reply, Limits(items=3, text=60))
    assert [i.action_id for i in fitted.items] == [1, 2, 3]
    assert [s.heading for s in fitted.sections] == [None, None, "Deb Poole", "Kevin Dicks"], "no empty group"
    assert fitted.plain_lines[0] == "4 more actions not shown: too long for one message."
    assert fitted.items[2].text.endswith("…") and len(fitted.items[2].text) <= 60
    assert all(len(fact.value) <= 60 for i in fitted.items for fact in i.facts)
    assert fit(reply, Limits(items=10, text=5000)) == reply, "a reply that fits is left as it is"


async def test_both_surfaces_show_the_same_actions_of_a_message_too_long_for_one(
    surface: Surface, staff: Staff, plan: PlanFactory, engine: Engine
) -> None:
    more = [plan.action(staff.deb, due_in=10 + n, text=f"Extra action {n} " + "with a long text " * 250)
            for n in range(17)]
    ids = [action.id or 0 for action in [*staff.debs, *more]]
    with transaction(engine, write=False) as session:
        message = letters.daily(rows_by_ids(session, ids), [], NOW.date(), page_size=20)
    assert len(message.items) == 20

    delivered = await surface.nudge(DEB, message)
    shown = sorted({number for number, _ in surface.buttons(delivered)})
    assert shown == sorted(item.action_id for item in message.items[:MESSAGE_ITEMS])
    assert "5 more actions not shown: too long for one message." in delivered.text
    assert "with a long text" in delivered.text and "…" in delivered.text


def test_a_reply_that_fits_is_shown_as_it_is_and_only_what_is_too_long_is_cut() -> None:
    short = Section(heading="Deb Poole", items=[item(1, "Short"), item(2, "Also short")])
    reply = Reply(title="Overdue actions", sections=[Section(lines=["2 overdue actions"]), short])
    assert fit(reply, Limits(items=15, text=2_000)) is reply
    long = Section(heading="Kevin Dicks", items=[item(3, "word " * 100)])
    fitted = fit(reply.model_copy(update={"sections": [*reply.sections, long]}), Limits(items=15, text=100))
    assert fitted.sections[0] is reply.sections[0]
    assert fitted.sections[2].items[0].text.endswith("…") and len(fitted.sections[2].items[0].text) <= 100
    assert fitted.sections[1].items[0].text == "Short"
