"""How the bot reaches a person on its own, or why it cannot.

A Slack DM to the person's linked Slack user when the clock can send to Slack; else a Teams 1:1 chat
(``user:<AAD object id>``, which the Teams sender resolves to the person's stored personal conversation,
or creates one) when it can send to Teams; Slack is preferred when both work. The console (the demo)
reaches everyone. A person with no route is never skipped in silence: the job records an
``unreachable`` outbox row with the :attr:`Route.reason`, and the review's digest names them.
"""

from __future__ import annotations

from collections.abc import Set
from dataclasses import dataclass
from typing import Protocol

from bot.requests import ConversationRef
from bot.settings import Settings

PLATFORM_NAMES = {"slack": "Slack", "teams": "Teams", "console": "the console"}
NO_PLATFORM = "none"  # the outbox platform of a message nobody can deliver


class Person(Protocol):
    """A person as far as reaching them goes (a stored :class:`store.models.Person`, or a contact)."""

    @property
    def id(self) -> int | None: ...

    @property
    def name(self) -> str: ...

    @property
    def slack_user_id(self) -> str | None: ...

    @property
    def teams_user_id(self) -> str | None: ...


@dataclass(frozen=True)
class Route:
    """Where to send a person's message, or (``ref`` None) why it cannot be sent."""

    ref: ConversationRef | None
    reason: str | None = None


def reach_of(settings: Settings) -> frozenset[str]:
    """The platforms the configured bot can send to."""
    return frozenset(
        platform
        for platform, enabled in (("slack", settings.slack_enabled), ("teams", settings.teams_enabled))
        if enabled
    )


def person_route(person: Person, reach: Set[str]) -> Route:
    """The person's route on the platforms in ``reach``, Slack first."""
    if "slack" in reach and person.slack_user_id:
        return Route(ConversationRef("slack", person.slack_user_id))
    if "teams" in reach and person.teams_user_id:
        return Route(ConversationRef("teams", f"user:{person.teams_user_id}"))
    if "console" in reach:
        return Route(ConversationRef("console", f"person:{person.id}"))
    return Route(None, unreachable_reason(person, reach))


def unreachable_reason(person: Person, reach: Set[str]) -> str:
    """Why the bot cannot reach ``person`` on its own, and what an admin can do."""
    linked = [name for platform, name in (("slack", "Slack"), ("teams", "Teams")) if _linked(person, platform)]
    if not reach:
        return "the bot is not set up to send to Slack or Teams"
    if not linked:
        return f"{person.name} is not linked to a chat account: an admin can `link @user {person.name}`"
    sending = " or ".join(PLATFORM_NAMES[platform] for platform in sorted(reach))
    return f"{person.name} is linked on {' and '.join(linked)} only, and the bot sends to {sending}"


def is_reachable(person: Person, reach: Set[str] | None) -> bool:
    """Whether the bot can reach ``person``; with ``reach`` None, whether they are linked at all."""
    if reach is None:
        return bool(person.slack_user_id or person.teams_user_id)
    return person_route(person, reach).ref is not None


def _linked(person: Person, platform: str) -> bool:
    return bool(person.slack_user_id if platform == "slack" else person.teams_user_id)
