"""The Update… form: how it is built, and how a submission is checked field by field.

Platforms render the neutral :class:`~bot.replies.Form` (a Slack modal, an Adaptive Card); a
submission comes back as text values and is validated here, so every surface refuses the same
input with the same words, shown on the field that was wrong.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from bot.commands import status_from_word, unquote
from bot.dates import DATE_FORMS, DateError, read_date
from bot.domain import MAX_NOTE_LENGTH, Status
from bot.replies import Choice, Form, FormField
from store.models import Action

EDITABLE_STATUSES = (Status.NOT_STARTED, Status.ON_TRACK, Status.AT_RISK, Status.OFF_TRACK, Status.DONE)


def update_form(action: Action, errors: dict[str, str] | None = None, values: dict[str, str] | None = None) -> Form:
    """The form for one action, pre-filled with its current state (or with the values just refused)."""
    assert action.id is not None
    errors = errors or {}
    values = values or {}
    current_status = action.status if action.status in EDITABLE_STATUSES else Status.NOT_STARTED

    def value(name: str, default: str | None) -> str | None:
        return values.get(name, default) if values else default

    return Form(
        action_id=action.id,
        title=f"Update #{action.id}",
        fields=[
            FormField(
                name="status",
                label="Status",
                kind="choice",
                required=True,
                value=value("status", current_status.value),
                choices=[Choice(value=s.value, label=s.label) for s in EDITABLE_STATUSES],
                error=errors.get("status"),
            ),
            FormField(
                name="percent",
                label="% complete",
                kind="number",
                value=value("percent", str(action.percent_complete)),
                error=errors.get("percent"),
            ),
            FormField(
                name="note",
                label="Note",
                kind="text",
                multiline=True,
                max_length=MAX_NOTE_LENGTH,
                value=value("note", None),
                placeholder="What has happened since the last update?",
                error=errors.get("note"),
            ),
            FormField(
                name="new_date",
                label="New due date",
                kind="date",
                value=value("new_date", None),
                placeholder="Only if the deadline must change",
                error=errors.get("new_date"),
            ),
            FormField(
                name="reason",
                label="Reason for the new date",
                kind="text",
                max_length=MAX_NOTE_LENGTH,
                value=value("reason", None),
                error=errors.get("reason"),
            ),
        ],
    )


@dataclass
class FormValues:
    """A submission that passed validation."""

    status: Status | None = None
    percent: int | None = None
    note: str | None = None
    new_date: date | None = None
    reason: str | None = None
    errors: dict[str, str] = field(default_factory=dict)


def validate(values: dict[str, str], today: date) -> FormValues:
    """Check each field; the result's ``errors`` maps field name to what was wrong."""
    result = FormValues()
    raw = {name: (text or "").strip() for name, text in values.items()}
    if raw.get("status"):
        status = status_from_word(raw["status"])
        if status is None or status is Status.DROPPED:
            result.errors["status"] = "Choose not started, on track, at risk, off track or done."
        result.status = status
    if raw.get("percent"):
        text = raw["percent"].rstrip("%").strip()
        try:
            number = float(text)
        except ValueError:
            result.errors["percent"] = "Give a whole number from 0 to 100."
        else:
            if not number.is_integer() or not 0 <= number <= 100:
                result.errors["percent"] = "Give a whole number from 0 to 100."
            else:
                result.percent = int(number)
    for name in ("note", "reason"):
        text = unquote(raw.get(name, ""))
        if len(text) > MAX_NOTE_LENGTH:
            result.errors[name] = f"{len(text):,} characters; the limit is {MAX_NOTE_LENGTH:,}."
        setattr(result, name, text or None)
    if raw.get("new_date"):
        _validate_date(raw["new_date"], today, result)
    if result.new_date is not None and not result.reason:
        result.errors["reason"] = "Say why the deadline is changing."
    return result


def _validate_date(text: str, today: date, result: FormValues) -> None:
    """The new deadline as people write it (a date picker's 2019-03-31, or ``next Friday``), read from today."""
    try:
        found = read_date(text.split(), today)
    except DateError as exc:
        result.errors["new_date"] = f"{exc}."
        return
    if found is None or found[1] != len(text.split()):
        result.errors["new_date"] = f"Write the date as {DATE_FORMS}."
        return
    if found[0] < today:
        result.errors["new_date"] = "That date is in the past; a new deadline is today or later."
        return
    result.new_date = found[0]
