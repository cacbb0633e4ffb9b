"""The Update… form as a Slack modal, its submitted values, and where it was opened from.

Each :class:`~bot.replies.FormField` becomes an input block whose ``block_id`` and ``action_id``
are the field's name, so a refused submission's errors go back keyed by block id
(``response_action: errors``). The modal's ``private_metadata`` carries an :class:`Origin`: the
action and the message the form was opened from, so that message can be refreshed afterwards.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date
from typing import Any

from pydantic import ValidationError

from adapters.logs import problem
from adapters.slack import mrkdwn
from adapters.slack.blocks import Block, item_text, section
from adapters.slack.models import OriginData, ViewState
from adapters.slack.mrkdwn import cut, escape, plain_text
from bot.replies import ActionItem, Form, FormField

CALLBACK_ID = "actionbot_update"
MAX_ERROR_TEXT = 150


@dataclass(frozen=True)
class Origin:
    """Where a form was opened: ``response_url`` (with ``replace`` when it holds the pressed,
    ephemeral message) or ``channel`` + ``message_ts`` of a bot message, and the command
    (``source``) that rendered that message."""

    action_id: int
    channel: str | None = None
    message_ts: str | None = None
    response_url: str | None = None
    source: str | None = None
    replace: bool = False

    def encode(self) -> str:
        """Compact JSON within Slack's 3,000 characters (dropping the source, then the URL, if need be)."""
        data: dict[str, object] = {"a": self.action_id, "c": self.channel, "t": self.message_ts}
        data |= {"u": self.response_url, "s": self.source, "r": int(self.replace)}
        for dropped in ((), ("s",), ("s", "u")):
            kept = {k: v for k, v in data.items() if v is not None and k not in dropped}
            text = json.dumps(kept, separators=(",", ":"))
            if len(text) <= mrkdwn.MAX_PRIVATE_METADATA:
                return text
        return json.dumps({"a": self.action_id})

    @classmethod
    def decode(cls, text: str) -> Origin:
        """The origin kept in a view (strictly: ``{"a": "42"}`` names no action); ``ValueError`` if not ours."""
        try:
            data = OriginData.model_validate_json(text or "{}")
        except ValidationError as exc:
            raise ValueError(f"private_metadata is not ours: {problem(exc)}") from None
        return cls(
            action_id=data.a,
            channel=data.c or None,
            message_ts=data.t or None,
            response_url=data.u or None,
            source=data.s or None,
            replace=bool(data.r),
        )


def form_view(form: Form, origin: Origin, item: ActionItem | None = None) -> dict[str, Any]:
    """The modal for ``form``, with the action it updates shown on top."""
    blocks: list[Block] = [section(item_text(item))] if item else []
    blocks += [input_block(form_field) for form_field in form.fields]
    return _modal(form.title, blocks[: mrkdwn.MAX_BLOCKS_MODAL], origin, submit=form.submit_label)


def message_view(title: str, text: str, origin: Origin | None = None) -> dict[str, Any]:
    """A modal with a line of text and no submit button: "Loading…", or why the form cannot open."""
    return _modal(title, [section(escape(text))], origin)


def _modal(title: str, blocks: list[Block], origin: Origin | None, submit: str | None = None) -> dict[str, Any]:
    view: dict[str, Any] = {
        "type": "modal",
        "callback_id": CALLBACK_ID,
        "title": plain_text(title, mrkdwn.MAX_MODAL_TITLE),
        "close": plain_text("Cancel" if submit else "Close", mrkdwn.MAX_MODAL_TITLE),
        "blocks": blocks,
    }
    if submit:
        view["submit"] = plain_text(submit, mrkdwn.MAX_MODAL_TITLE)
    if origin is not None:
        view["private_metadata"] = origin.encode()
    return view


def input_block(form_field: FormField) -> Block:
    return {
        "type": "input",
        "block_id": form_field.name,
        "label": plain_text(form_field.label, mrkdwn.MAX_LABEL),
        "optional": not form_field.required,
        "element": _element(form_field),
    }


def _element(form_field: FormField) -> Block:
    element: Block = {"action_id": form_field.name}
    if form_field.placeholder:
        element["placeholder"] = plain_text(form_field.placeholder, mrkdwn.MAX_PLACEHOLDER)
    value = form_field.value or ""
    if form_field.kind == "choice":
        options = [
            {"text": plain_text(c.label, mrkdwn.MAX_OPTION_TEXT), "value": cut(c.value, 150)}
            for c in form_field.choices[:100]
        ]
        element |= {"type": "static_select", "options": options}
        chosen = [option for option in options if option["value"] == value]
        if chosen:
            element["initial_option"] = chosen[0]
    elif form_field.kind == "number":
        # Decimals are allowed here so the core, not Slack, says what a valid number is.
        element |= {"type": "number_input", "is_decimal_allowed": True}
        if _is_number(value):
            element["initial_value"] = value
    elif form_field.kind == "date":
        element["type"] = "datepicker"
        if _is_iso_date(value):
            element["initial_date"] = value
    else:
        limit = min(form_field.max_length or mrkdwn.MAX_INPUT_LENGTH, mrkdwn.MAX_INPUT_LENGTH)
        element |= {"type": "plain_text_input", "multiline": form_field.multiline, "max_length": limit}
        if value:
            element["initial_value"] = value[:limit]
    return element


def _is_number(text: str) -> bool:
    try:
        float(text)
    except ValueError:
        return False
    return True


def _is_iso_date(text: str) -> bool:
    try:
        date.fromisoformat(text)
    except ValueError:
        return False
    return len(text) == 10


def submitted_values(state: ViewState) -> dict[str, str]:
    """The view's state as the core's form values: field name → text as entered ("" when empty)."""
    values: dict[str, str] = {}
    for block_id, actions in state.values.items():
        if not actions:
            continue
        element = next(iter(actions.values()))
        if element.type == "static_select":
            picked = element.selected_option.value if element.selected_option else None
        elif element.type == "datepicker":
            picked = element.selected_date
        else:
            picked = element.value
        values[block_id] = picked if picked is not None else ""
    return values


def field_errors(form: Form) -> dict[str, str]:
    """``{block_id: message}`` for ``response_action: errors``."""
    return {f.name: cut(f.error, MAX_ERROR_TEXT) for f in form.fields if f.error}
