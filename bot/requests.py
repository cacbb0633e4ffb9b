"""What adapters hand to the core: who is asking, from where, and what they typed or pressed.

The types are frozen dataclasses holding only plain values, never a platform object: an
adapter translates its payload into a :class:`Request` and the core answers with a
:class:`bot.replies.Reply`.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from bot.domain import Surface


@dataclass(frozen=True)
class ConversationRef:
    """Where a message can be posted: an opaque key on a platform.

    ``key`` is a Slack channel id (``C0123``) or user id for a DM, a Teams conversation id,
    or ``console``. Platforms that need more to post (Teams) keep it in the store's
    ``conversation`` table under the same key.
    """

    platform: str
    key: str


@dataclass(frozen=True)
class Actor:
    """The chat user asking: their id on the platform and, where the platform says, their email."""

    platform: str
    user_id: str
    email: str | None = None
    display_name: str | None = None


@dataclass(frozen=True)
class Request:
    """One command typed (``text``) or one button pressed (``text`` is the button's command).

    ``request_key`` identifies the delivery (a Slack trigger id, a Teams activity id) so that
    the same delivery received twice changes nothing the second time.
    """

    actor: Actor
    text: str
    surface: Surface
    conversation: ConversationRef | None = None
    request_key: str | None = None
    from_button: bool = False


@dataclass(frozen=True)
class FormSubmission:
    """The values of a submitted "Update…" form, as the user entered them (all text)."""

    actor: Actor
    action_id: int
    values: dict[str, str] = field(default_factory=dict)
    surface: Surface = Surface.CONSOLE
    conversation: ConversationRef | None = None
    request_key: str | None = None
