"""Errors that end a request with a short answer to the user (never a stack trace)."""

from __future__ import annotations


class UserError(Exception):
    """Something the user can fix: the message says what was wrong and what would work."""


class NotLinked(UserError):
    """The chat user is not linked to a person in the plan."""


class NotAllowed(UserError):
    """The person may not do this."""
