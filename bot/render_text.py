"""The plain-text renderer, for the console and for logs.

Buttons are numbered across the whole reply so a console user can type the number to press
one. Control characters in user text are removed, so a note cannot drive the terminal.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from bot.replies import ActionItem, Button, Form, Reply, Section, Tone

_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")
_RAG_MARK = {"red": "RED", "amber": "AMBER", "green": "GREEN", "grey": "GREY"}


def clean(text: str) -> str:
    """User text made safe for a terminal: control characters (ANSI escapes included) removed."""
    return _CONTROL.sub("", text)


def _block(text: str, indent: str) -> str:
    """Cleaned text whose second and later lines are indented, so a multi-line cell stays in its place."""
    return clean(text).replace("\n", "\n" + indent)


@dataclass
class RenderedText:
    """The text to print and the buttons it numbered, in order (number 1 is ``buttons[0]``)."""

    text: str
    buttons: list[Button] = field(default_factory=list)


def render(reply: Reply) -> RenderedText:
    lines: list[str] = []
    buttons: list[Button] = []
    if reply.title:
        lines.append(f"== {clean(reply.title)} ==")
    prefix = "Sorry: " if reply.tone is Tone.ERROR and not reply.form else ""
    for number, section in enumerate(reply.sections):
        _section(section, lines, buttons, prefix if number == 0 else "")
    if reply.form:
        _form(reply.form, lines)
    if reply.more:
        lines.append(clean(reply.more.text()))
    if reply.attachment:
        lines.append(f"[file: {clean(reply.attachment.name)}, {len(reply.attachment.data):,} bytes]")
    return RenderedText("\n".join(lines).rstrip(), buttons)


def _section(section: Section, lines: list[str], buttons: list[Button], prefix: str) -> None:
    if section.heading:
        lines.append("")
        lines.append(clean(section.heading))
    for index, line in enumerate(section.lines):
        lines.append((prefix if index == 0 else "") + clean(line))
    for fact in section.facts:
        lines.append(f"  {clean(fact.label)}: {_block(fact.value, '    ')}")
    for item in section.items:
        _item(item, lines, buttons)


def _item(item: ActionItem, lines: list[str], buttons: list[Button]) -> None:
    lines.append(f"  #{item.action_id} [{_RAG_MARK[item.rag.value]}] {_block(item.text, '      ')}")
    lines.append("      " + " · ".join(f"{clean(f.label)}: {_block(f.value, '        ')}" for f in item.facts))
    if item.buttons:
        labels = []
        for button in item.buttons:
            buttons.append(button)
            labels.append(f"[{len(buttons)}] {button.label}")
        lines.append("      " + "  ".join(labels))


def _form(form: Form, lines: list[str]) -> None:
    lines.append(clean(form.title) + ": the form's fields, as they stand")
    for form_field in form.fields:
        value = form_field.value or ""
        choices = f" ({', '.join(c.value for c in form_field.choices)})" if form_field.choices else ""
        lines.append(f"  {clean(form_field.label)}{choices}: {clean(value)}")
        if form_field.error:
            lines.append(f"    ! {clean(form_field.error)}")
    action_id = form.action_id
    lines.append(
        f"In the console, type `update {action_id} <status> <percent>% <note>` or `move {action_id} <date> <reason>`."
    )
