"""What adapters hand to the core: who is asking, from where, and what they typed or pressed.

The types are frozen dataclasses holding only plain values, never a platform object: an
adapter translates its payload into a :class:`Request` and the core answers with a
:class:`bot.replies.Reply`.

Whatever arrives is made safe to store the same way on every database: control characters (NUL
first of all, which PostgreSQL refuses in text and SQLite keeps) are dropped, tabs and line breaks
kept, and a lone UTF-16 surrogate (which no database can encode) becomes U+FFFD (see :func:`clean`).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from bot.domain import Surface

MAX_ACTION_ID = 2_147_483_647  # action numbers are the database's 32-bit integer ids

# C0 controls but tab, line feed and carriage return; DEL; C1 controls.
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")
_SURROGATE = re.compile(r"[\ud800-\udfff]")


def clean(text: str) -> str:
    """``text`` without control characters (tab and line breaks kept) and with lone surrogates replaced."""
    if text.isprintable():
        return text
    return _SURROGATE.sub("\ufffd", _CONTROL.sub("", text))


def _clean_optional(text: str | None) -> str | None:
    return None if text is None else clean(text)


@dataclass(frozen=True)
class ConversationRef:
    """Where a message can be posted: an opaque key on a platform.

    ``key`` is a Slack channel id (``C0123``) or user id for a DM, a Teams conversation id,
    or ``console``. Platforms that need more to post (Teams) keep it in the store's
    ``conversation`` table under the same key.
    """

    platform: str
    key: str

    def __post_init__(self) -> None:
        object.__setattr__(self, "key", clean(self.key))


@dataclass(frozen=True)
class Actor:
    """The chat user asking: their id on the platform and, where the platform says, their email."""

    platform: str
    user_id: str
    email: str | None = None
    display_name: str | None = None

    def __post_init__(self) -> None:
        object.__setattr__(self, "user_id", clean(self.user_id))
        object.__setattr__(self, "email", _clean_optional(self.email))
        object.__setattr__(self, "display_name", _clean_optional(self.display_name))


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

    def __post_init__(self) -> None:
        object.__setattr__(self, "text", clean(self.text))
        object.__setattr__(self, "request_key", _clean_optional(self.request_key))


@dataclass(frozen=True)
class FormSubmission:
    """The values of a submitted "Update…" form, as the user entered them (all text)."""

    actor: Actor
    action_id: int
    values: dict[str, str] = field(default_factory=dict)
    surface: Surface = Surface.CONSOLE
    conversation: ConversationRef | None = None
    request_key: str | None = None

    def __post_init__(self) -> None:
        object.__setattr__(self, "values", {clean(name): clean(value) for name, value in self.values.items()})
        object.__setattr__(self, "request_key", _clean_optional(self.request_key))

    def request(self) -> Request:
        """The submission as the request it answers (``update 42``), for the core's log and for drawing again
        the list the form was opened from."""
        return Request(actor=self.actor, text=f"update {self.action_id}", surface=self.surface,
                       conversation=self.conversation, request_key=self.request_key)
