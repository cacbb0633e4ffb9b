"""Which handler answers each command: whether it needs a write transaction, and whether it is quick enough to
answer on a thread that must not wait (:func:`bot.unit_of_work.without_waiting`)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from bot.commands import Command, CommandName
from bot.replies import Reply
from bot.services import changes, export_chat, listing, overview, people, people_chat, show, subscriptions
from bot.services.turn import Turn

Run = Callable[[Command, Turn], Reply]


@dataclass(frozen=True)
class Handler:
    """A command's handler, whether it needs a write transaction, and whether it is quick enough to answer on a
    thread that must not wait (:func:`bot.unit_of_work.without_waiting`): an export makes a whole file."""

    run: Run
    writes: bool = False
    quick: bool = True


REGISTRY: dict[CommandName, Handler] = {
    CommandName.HELP: Handler(overview.help_),
    CommandName.MINE: Handler(listing.mine),
    CommandName.OVERDUE: Handler(listing.overdue),
    CommandName.DUE: Handler(listing.due),
    CommandName.SHOW: Handler(show.show),
    CommandName.REVIEWS: Handler(listing.reviews),
    CommandName.DIGEST: Handler(overview.digest),
    CommandName.UPDATE: Handler(changes.update, writes=True),
    CommandName.NOTE: Handler(changes.note, writes=True),
    CommandName.SNOOZE: Handler(changes.snooze, writes=True),
    CommandName.DROP: Handler(changes.drop, writes=True),
    CommandName.MOVE: Handler(changes.move, writes=True),
    CommandName.SUBSCRIBE: Handler(subscriptions.subscribe, writes=True),
    CommandName.UNSUBSCRIBE: Handler(subscriptions.unsubscribe, writes=True),
    CommandName.LINK: Handler(people.link, writes=True),
    CommandName.PEOPLE: Handler(people_chat.people, writes=True),
    CommandName.LEAD: Handler(people_chat.lead, writes=True),
    CommandName.EXPORT: Handler(export_chat.export, quick=False),
}
