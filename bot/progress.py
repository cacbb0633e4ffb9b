"""The one rule that keeps an action's status and % complete from contradicting each other.

**Done means 100% complete.** Every way of changing an action goes through this module: a typed
``update``, a button, the Update… form (:func:`settle`), a plan imported from a file
(:func:`from_file`), and the data check that repairs rows stored before the rule existed
(:func:`repaired`). The rule, in full:

* ``done`` with no % records 100%; ``done`` with a % below 100 is refused, saying why.
* A % below 100 on an action that is done is refused, saying how to reopen it
  (``update 12 on-track 50%``); a status of its own on a done action (``update 12 on-track``)
  needs a % below 100 beside it for the same reason.
* 100% with no status records the action done: "100% complete" is how people say it is finished.
  An open status given with 100% (``on-track 100%``: finished, waiting for sign-off) is kept as given.
* A dropped action keeps whatever % it had reached.
"""

from __future__ import annotations

from dataclasses import dataclass

from bot.domain import Status
from bot.errors import UserError

COMPLETE = 100


class Contradiction(UserError):
    """A status and a % that cannot both be true; ``field`` is the form field to mark ("status" or "percent")."""

    def __init__(self, message: str, field: str, on_form: str) -> None:
        super().__init__(message)
        self.field = field
        self.on_form = on_form  # the same refusal, worded for the Update… form's field


@dataclass(frozen=True)
class Progress:
    """A status and % that agree; ``why`` says what the rule decided for the user, when it decided anything."""

    status: Status
    percent: int
    why: str | None = None


def breaks_rule(status: Status, percent: int) -> bool:
    """Whether a stored status and % contradict each other (what ``actionbot db check`` looks for)."""
    return status is Status.DONE and percent != COMPLETE


def settle(
    action_id: int | None,
    current: tuple[Status, int],
    status: Status | None,
    percent: int | None,
) -> Progress:
    """The status and % an action gets when someone asks for ``status`` and/or ``percent`` (``None``: not said).

    Raises :class:`Contradiction` with what was wrong and what would work.
    """
    now_status, now_percent = current
    ref = f"#{action_id}" if action_id is not None else "it"
    number = action_id if action_id is not None else 42
    if status is Status.DONE:
        if percent is not None and percent < COMPLETE:
            raise Contradiction(
                f"Done means 100% complete, so {ref} can't be done at {percent}%. "
                f"`done {number}` records it finished (100%); `update {number} on-track {percent}%` records progress.",
                "percent",
                f"Done means 100% complete: make this 100, or choose a status other than Done for {percent}%.",
            )
        return Progress(Status.DONE, COMPLETE)
    if status is Status.DROPPED:
        return Progress(Status.DROPPED, now_percent if percent is None else percent)
    if status is None:
        return _percent_alone(ref, number, now_status, now_percent, percent)
    if now_status is Status.DONE and (percent is None or percent == COMPLETE):
        example = f"update {number} {_word(status)} {percent if percent is not None and percent < COMPLETE else 50}%"
        raise Contradiction(
            f"{ref} is done (100%). To reopen {ref}, give its % complete too: `{example}`.",
            "percent",
            f"{ref} is done (100%): to reopen it, give its % complete below 100 too.",
        )
    return Progress(status, now_percent if percent is None else percent)


def _percent_alone(ref: str, number: int, now_status: Status, now_percent: int, percent: int | None) -> Progress:
    if percent is None:
        return Progress(now_status, now_percent)
    if now_status is Status.DONE:
        if percent >= COMPLETE:
            return Progress(Status.DONE, COMPLETE)
        raise Contradiction(
            f"{ref} is done, and done means 100% complete. To reopen {ref}: `update {number} on-track {percent}%`.",
            "status",
            f"{ref} is done, which means 100%: to reopen it at {percent}%, choose its status too (On track, say).",
        )
    if percent >= COMPLETE and now_status is not Status.DROPPED:
        return Progress(Status.DONE, COMPLETE, why="100% complete counts as done")
    return Progress(now_status, percent)


def from_file(status: Status | None, percent: int | None) -> tuple[Status | None, int | None, str | None]:
    """A status and % read from one row of a plan file, made to agree, and why when they were changed.

    A file cannot be asked, so done wins (it is the plainer statement; the % is often left stale):
    ``Done`` with 40% is recorded done at 100%, and said so. 100% with no status is done.
    """
    if status is Status.DONE and percent is not None and percent < COMPLETE:
        return Status.DONE, COMPLETE, f"done means 100% complete: recorded as done at 100%, not {percent}%"
    if status is None and percent is not None and percent >= COMPLETE:
        return Status.DONE, COMPLETE, None
    return status, percent, None


def repaired(status: Status, percent: int) -> int:
    """The % a stored row that breaks the rule is given by ``actionbot db check --fix``: done is kept, at 100%."""
    return COMPLETE if breaks_rule(status, percent) else percent


def _word(status: Status) -> str:
    return status.value.replace("_", "-")
