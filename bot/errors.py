"""Errors that end a piece of work with a short answer to the user (never a stack trace).

:class:`UserError` and its kinds are refusals the user can fix; the message says what was wrong and
what would work. :class:`Failure` and its kinds are our side failing: the message carries the short
reference under which the unit of work logged it (:mod:`bot.unit_of_work`), and says nothing changed.
"""

from __future__ import annotations


class UserError(Exception):
    """Something the user can fix: the message says what was wrong and what would work."""


class NotLinked(UserError):
    """The chat user is not linked to a person in the plan."""


class NotAllowed(UserError):
    """The person may not do this."""


class Conflict(UserError):
    """A write kept losing a race with other writes to the same rows; trying again will work."""


class Failure(Exception):
    """Our side failed; nothing was changed. ``reference`` is the id of the log line that says why."""

    message = "Something went wrong on our side; nothing was changed."

    def __init__(self, reference: str) -> None:
        super().__init__(f"{self.message} (ref {reference})")
        self.reference = reference


class DatabaseUnavailable(Failure):
    """The database did not answer (down, restarting, unreachable): an outage, not a bug; try again later."""

    message = "actionbot can't reach its database just now; try again in a minute. Nothing was changed."


class Unexpected(Failure):
    """A bug: an exception nobody expected, logged with its traceback."""
