"""A neutral :class:`~bot.replies.Reply` as an Adaptive Card: pure functions, no SDK, no I/O.

The card (schema 1.4, which every current Teams client renders) has the reply's title, its
sections (heading, lines, a FactSet), one Container per action item (styled by RAG, with its
owner, due date and status as facts, and ``Action.Submit`` buttons whose data is
``{"intent", "action_id"}``), the "more" hint, and the Update… form with its inputs and each
refused field's error shown right under it. Every piece of text goes through
:func:`adapters.teams.markdown.md`.

Teams refuses messages over about 28 KB. :func:`fitted_card` fits the reply by the policy every
surface follows (:mod:`bot.fitting`: how many actions, how long a text) and renders it; if the card's
JSON is still over :data:`CARD_BUDGET_BYTES`, it renders it again with texts cut shorter until it fits.
"""

from __future__ import annotations

import json
import math
from datetime import date
from typing import Any

from adapters.teams.markdown import md, plain
from bot.domain import Rag
from bot.fitting import Limits, fit
from bot.replies import ActionItem, Button, Form, FormField, Reply, Section, Tone
from bot.views import shorten

CARD_CONTENT_TYPE = "application/vnd.microsoft.card.adaptive"
SCHEMA_VERSION = "1.4"
FORM_INTENT = "form"  # the data intent of the Update… form's Save button
# Teams' limit is about 28 KB for the whole message; keep the card well under it so the
# activity envelope (ids, conversation, service URL) always fits too.
CARD_BUDGET_BYTES = 24_000
LIMITS = Limits(text=600)  # how many actions a card shows, and how long a text: as on every surface
_SHORTER = (200, 80)  # text limits tried in turn when a card is still over budget

_RAG_STYLE = {Rag.RED: "attention", Rag.AMBER: "warning", Rag.GREEN: "good", Rag.GREY: "emphasis"}
_RAG_COLOR = {Rag.RED: "Attention", Rag.AMBER: "Warning", Rag.GREEN: "Good", Rag.GREY: "Default"}
_BUTTON_STYLE = {"primary": "positive", "danger": "destructive"}
_TONE_COLOR = {Tone.ERROR: "Attention", Tone.SUCCESS: "Good", Tone.INFO: "Default"}


def fitted_card(reply: Reply, budget: int = CARD_BUDGET_BYTES, *, list_card: str | None = None) -> dict[str, Any]:
    """The card for ``reply`` fitted to :data:`LIMITS` (:mod:`bot.fitting`), with long texts shortened further,
    as a last resort, as much as needed to stay under ``budget`` bytes (``list_card``: see :func:`render_card`)."""
    reply = fit(reply, LIMITS)
    card = render_card(reply, list_card=list_card)
    for limit in _SHORTER:
        if card_bytes(card) <= budget:
            break
        card = render_card(reply, text_limit=limit, list_card=list_card)
    return card


def card_bytes(card: dict[str, Any]) -> int:
    """The size of the card as it travels (compact JSON, UTF-8)."""
    return len(json.dumps(card, separators=(",", ":"), ensure_ascii=False).encode())


def render_card(reply: Reply, *, text_limit: int | None = None, list_card: str | None = None) -> dict[str, Any]:
    """The Adaptive Card of a reply; ``text_limit`` cuts every text from the reply to that many characters.
    ``list_card`` is the id of the message showing the list an Update… form was opened from: its Save carries it
    (with the form's view) so that the list is drawn again in that message once the form is saved."""
    cut = _Cutter(text_limit)
    body: list[dict[str, Any]] = []
    if reply.title:
        body.append(_text(cut(reply.title), size="Medium", weight="Bolder", color=_TONE_COLOR[reply.tone]))
    line_color = "Attention" if reply.tone is Tone.ERROR else None
    view = reply.view.encode() if reply.view and reply.view.fits else None
    for section in reply.sections:
        body.extend(_section(section, cut, line_color, view))
    if reply.form is not None:
        body.extend(_form(reply.form, cut, list_card))
    if reply.buttons:  # Import / Cancel under a plan's dry run
        body.append({"type": "ActionSet", "actions": [_submit(button, None) for button in reply.buttons]})
    if reply.more:
        body.append(_text(cut(reply.more.text()), is_subtle=True, separator=True))
    if not body:
        body.append(_text("Done."))
    return {
        "type": "AdaptiveCard",
        "$schema": "http://adaptivecards.io/schemas/adaptive-card.json",
        "version": SCHEMA_VERSION,
        "msteams": {"width": "Full"},
        "body": body,
    }


def button_data(button: Button, view: str | None = None) -> dict[str, Any]:
    """What Teams sends back (as the message's ``value``) when the button is pressed; on a list, the
    list's view (:class:`~bot.replies.View`), so the core can draw the list again with the new state."""
    data: dict[str, Any] = {"intent": button.intent.value, "action_id": button.action_id}
    return data | {"view": view} if view else data


class _Cutter:
    """Shortens texts to a limit (or leaves them whole when there is none)."""

    def __init__(self, limit: int | None) -> None:
        self.limit = limit

    def __call__(self, text: str) -> str:
        if self.limit is None or len(text) <= self.limit:
            return text
        cut = shorten(text, self.limit)
        if len(cut) >= self.limit // 2:
            return cut
        return " ".join(text.split())[: self.limit - 1] + "…"  # one very long word: cut through it


def _text(text: str, **options: Any) -> dict[str, Any]:
    block: dict[str, Any] = {"type": "TextBlock", "text": md(text), "wrap": True}
    key_names = {"is_subtle": "isSubtle"}
    block.update({key_names.get(key, key): value for key, value in options.items() if value is not None})
    return block


def _facts(facts: list[tuple[str, str]]) -> dict[str, Any]:
    return {"type": "FactSet", "facts": [{"title": md(title), "value": md(value)} for title, value in facts]}


def _section(section: Section, cut: _Cutter, line_color: str | None, view: str | None) -> list[dict[str, Any]]:
    blocks: list[dict[str, Any]] = []
    if section.heading:
        blocks.append(_text(cut(section.heading), weight="Bolder", separator=True, spacing="Medium"))
    blocks.extend(_text(cut(line), color=line_color) for line in section.lines)
    if section.facts:
        blocks.append(_facts([(cut(f.label), cut(f.value)) for f in section.facts]))
    blocks.extend(_item(item, cut, view) for item in section.items)
    return blocks


def _item(item: ActionItem, cut: _Cutter, view: str | None) -> dict[str, Any]:
    heading = f"#{item.action_id} · {item.rag.label} · {item.status.label}" + (" · snoozed" if item.snoozed else "")
    items: list[dict[str, Any]] = [
        _text(heading, weight="Bolder", color=_RAG_COLOR[item.rag]),
        _text(cut(item.text)),
    ]
    if item.facts:
        items.append(_facts([(cut(f.label), cut(f.value)) for f in item.facts]))
    if item.buttons:
        items.append({"type": "ActionSet", "actions": [_submit(button, view) for button in item.buttons]})
    return {"type": "Container", "style": _RAG_STYLE[item.rag], "separator": True, "spacing": "Medium", "items": items}


def _submit(button: Button, view: str | None) -> dict[str, Any]:
    action: dict[str, Any] = {"type": "Action.Submit", "title": plain(button.label), "data": button_data(button, view)}
    if button.style:
        action["style"] = _BUTTON_STYLE[button.style]
    return action


def _form(form: Form, cut: _Cutter, list_card: str | None) -> list[dict[str, Any]]:
    blocks: list[dict[str, Any]] = []
    if form.has_errors:
        blocks.append(_text("Nothing was saved: put right the fields marked below.", color="Attention"))
    for field in form.fields:
        blocks.append(_input(field))
        if field.error:
            blocks.append(_text(cut(field.error), color="Attention", size="Small", spacing="None"))
    data: dict[str, Any] = {"intent": FORM_INTENT, "action_id": form.action_id}
    if form.view is not None and form.view.fits:  # opened from a list: saving it draws the list again
        data |= {"view": form.view.encode()} | ({"card": list_card} if list_card else {})
    submit = {"type": "Action.Submit", "title": plain(form.submit_label), "style": "positive", "data": data}
    blocks.append({"type": "ActionSet", "actions": [submit]})
    return blocks


def _input(field: FormField) -> dict[str, Any]:
    element: dict[str, Any] = {"id": field.name, "label": plain(field.label), "isRequired": field.required}
    if field.required:
        element["errorMessage"] = f"{plain(field.label)} is required."
    if field.placeholder:
        element["placeholder"] = plain(field.placeholder)
    value: str | float | None = plain(field.value) if field.value else None
    if field.kind == "choice":
        element["type"] = "Input.ChoiceSet"
        element["style"] = "compact"
        element["choices"] = [{"title": plain(c.label), "value": plain(c.value)} for c in field.choices]
    elif field.kind == "number":
        element["type"] = "Input.Number"
        value = _number(field.value)
    elif field.kind == "date":
        element["type"] = "Input.Date"
        value = _iso_date(field.value)
    else:
        element["type"] = "Input.Text"
        element["isMultiline"] = field.multiline
        if field.max_length:
            element["maxLength"] = field.max_length
    if value is not None:
        element["value"] = value
    return element


def _number(value: str | None) -> float | None:
    """Input.Number only takes a number: a refused entry like "forty" is left out (its error says why)."""
    if not value:
        return None
    try:
        number = float(value.rstrip("%").strip())
    except ValueError:
        return None
    if not math.isfinite(number):
        return None
    return int(number) if number.is_integer() else number


def _iso_date(value: str | None) -> str | None:
    """Input.Date only takes YYYY-MM-DD: anything else is left out (its error says why)."""
    if not value:
        return None
    try:
        return date.fromisoformat(value.strip()).isoformat()
    except ValueError:
        return None
