"""Neutral replies as Block Kit messages: a header, sections, and two blocks per action item.

An action item is a section (RAG, number, text, then owner · due · status · review) followed by
an actions block with its buttons. Every piece of user text is escaped (see :mod:`mrkdwn`) and
cut to Block Kit's limits. How many actions one message shows is decided on the neutral reply
(:mod:`bot.fitting`), the same as on Teams; if a reply still has more than 50 blocks, what fits is
shown with a line saying what was left out. Block ids carry the action number (``item:42:3``) so that a pressed
message can be updated in place (:mod:`adapters.slack.refresh`).
"""

from __future__ import annotations

import functools
import json
from dataclasses import dataclass, field
from typing import Any

from adapters.slack import mrkdwn
from adapters.slack.mrkdwn import cut, escape, mrkdwn_text, plain_text
from bot.domain import Rag
from bot.fitting import Limits, fit
from bot.replies import ActionItem, Button, ButtonIntent, Reply, Section, Tone, Visibility

Block = dict[str, Any]

ACTION_PREFIX = "actionbot_"  # every button's action_id starts with this; the listener matches on it
RAG_EMOJI = {"red": ":red_circle:", "amber": ":large_orange_circle:", "green": ":large_green_circle:"}
TONE_MARK = {Tone.ERROR: ":warning: ", Tone.SUCCESS: ":white_check_mark: ", Tone.INFO: ""}
FACT_SEPARATOR = "  ·  "
LIMITS = Limits(text=2_000)  # an item's text, its facts and a notice share one 3,000-character section
SLASH_PREFIX = "/actions "  # the slash command of manifest.yml: how a "more" hint tells people to type the next page


@dataclass(frozen=True)
class SlackMessage:
    """A message ready for Slack: notification text, blocks, and whether the channel sees it."""

    text: str
    blocks: list[Block] = field(default_factory=list)
    in_channel: bool = False

    def response(self, *, replace_original: bool | None = None) -> dict[str, Any]:
        """The body of a slash command's ack or of a ``response_url`` post."""
        body: dict[str, Any] = {"response_type": "in_channel" if self.in_channel else "ephemeral", "text": self.text}
        if self.blocks:
            body["blocks"] = self.blocks
        if replace_original is not None:
            body["replace_original"] = replace_original
        return body


def render(reply: Reply, *, max_blocks: int = mrkdwn.MAX_BLOCKS_MESSAGE) -> SlackMessage:
    """``reply`` as a message, fitted to :data:`LIMITS` (:mod:`bot.fitting`). A list's view
    (:class:`~bot.replies.View`) is kept in its buttons so that pressing one can show the list again."""
    reply = fit(reply, LIMITS)
    head = [header(reply.title)] if reply.title else []
    tail = [reply_buttons(reply.buttons)] if reply.buttons else []
    tail += [context(reply.more.text(SLASH_PREFIX))] if reply.more else []
    units = list(_units(reply, reply.view.encode() if reply.view and reply.view.fits else None))
    body = _fit(units, max_blocks - len(head) - len(tail))
    return SlackMessage(
        text=fallback_text(reply),
        blocks=head + body + tail,
        in_channel=reply.visibility is Visibility.CHANNEL and reply.tone is not Tone.ERROR,
    )


def fallback_text(reply: Reply) -> str:
    """The notification text: the title, else the first line (escaped: Slack parses it as mrkdwn)."""
    first = reply.title or next(iter(reply.plain_lines), None) or "actionbot"
    if reply.tone is Tone.ERROR and not reply.title:
        first = f"Sorry: {first}"
    return cut(escape(" ".join(first.split())), mrkdwn.MAX_FALLBACK_TEXT)


# Blocks --------------------------------------------------------------------------------------


def header(title: str) -> Block:
    return {"type": "header", "text": plain_text(title, mrkdwn.MAX_HEADER_TEXT)}


def context(text: str) -> Block:
    """A line of small print (``12 more: type `overdue page 2```); ``text`` is plain, escaped here."""
    return {"type": "context", "elements": [mrkdwn_text(cut(escape(text), mrkdwn.MAX_CONTEXT_TEXT))]}


def section(text: str, block_id: str | None = None) -> Block:
    """A section of mrkdwn that is already escaped and formatted."""
    block: Block = {"type": "section", "text": mrkdwn_text(cut(text, mrkdwn.MAX_SECTION_TEXT))}
    if block_id:
        block["block_id"] = block_id
    return block


def item_text(item: ActionItem, notice: str | None = None) -> str:
    """``:red_circle: *#42* text`` then a line of facts (and an italic notice after a press)."""
    facts = FACT_SEPARATOR.join([_rag_mark(item.rag)] + [_fact_text(f.label, f.value) for f in item.facts])
    facts = cut(facts, mrkdwn.MAX_SECTION_TEXT // 2)
    extra = f"\n_{cut(escape(notice), 500)}_" if notice else ""
    lead = f"{RAG_EMOJI.get(item.rag.value, ':white_circle:')} *#{item.action_id}* "
    room = mrkdwn.MAX_SECTION_TEXT - len(lead) - len(facts) - len(extra) - 1
    return f"{lead}{cut(escape(item.text), room)}\n{facts}{extra}"


@functools.lru_cache(maxsize=16)
def _rag_mark(rag: Rag) -> str:
    return f"*{rag.label}*"


@functools.lru_cache(maxsize=1024)
def _fact_text(label: str, value: str) -> str:
    """``*Owner:* Zoe Hart``, escaped (made once per fact: items share their owner, due date and status)."""
    return f"{_label(label)} {escape(value)}"


@functools.lru_cache(maxsize=256)
def _label(label: str) -> str:
    """A fact's label as it starts the fact (``*Owner:*``), made once per label (a page has forty of four)."""
    return f"*{escape(label)}:*"


def item_blocks(
    item: ActionItem, index: int | str, *, source: str | None = None, notice: str | None = None
) -> list[Block]:
    """The section for one action item and, if it has buttons, its actions block."""
    blocks = [section(item_text(item, notice), block_id=f"item:{item.action_id}:{index}")]
    if item.buttons:
        value = _button_value(item.action_id, source)  # an item's buttons carry the same value
        elements = []
        for spec in item.buttons[: mrkdwn.MAX_ACTIONS_ELEMENTS]:
            action_id, text = _button_face(spec.intent, spec.label)
            element: Block = {"type": "button", "action_id": action_id, "text": text, "value": value}
            if spec.style:
                element["style"] = spec.style
            elements.append(element)
        blocks.append({"type": "actions", "block_id": f"buttons:{item.action_id}:{index}", "elements": elements})
    return blocks


def button(spec: Button, source: str | None = None) -> Block:
    """A button whose value says which action it is for and the list it was shown in."""
    action_id, text = _button_face(spec.intent, spec.label)
    element: Block = {
        "type": "button",
        "action_id": action_id,
        "text": text,
        "value": _button_value(spec.action_id, source),
    }
    if spec.style:
        element["style"] = spec.style
    return element


def _button_value(action_id: int, source: str | None) -> str:
    """``{"id":42,"src":"c:1,2|mine"}``: the action and the list it was shown in, cut to Slack's limit (the JSON
    ``json.dumps`` writes with no spaces, the list's string written once per message)."""
    if not source:
        return f'{{"id":{int(action_id)}}}'
    return f'{{"id":{int(action_id)},"src":{_json_string(source)}}}'[: mrkdwn.MAX_BUTTON_VALUE]


@functools.lru_cache(maxsize=64)
def _json_string(text: str) -> str:
    return json.dumps(text)


@functools.lru_cache(maxsize=64)
def _button_face(intent: ButtonIntent, label: str) -> tuple[str, dict[str, object]]:
    """A button's ``action_id`` and text object, made once per kind of button (a list page has fifty buttons of
    five kinds; the text object is shared between them, and nothing changes a rendered block)."""
    return f"{ACTION_PREFIX}{intent.value}", plain_text(label, mrkdwn.MAX_BUTTON_TEXT)


def reply_buttons(buttons: list[Button]) -> Block:
    """The buttons under a whole reply (Import / Cancel of a plan sent in chat), in one actions block."""
    elements = [button(b) for b in buttons[: mrkdwn.MAX_ACTIONS_ELEMENTS]]
    return {"type": "actions", "block_id": f"reply:{buttons[0].action_id}", "elements": elements}


# Laying out a reply --------------------------------------------------------------------------


@dataclass
class _Unit:
    """Blocks that stay together (an item and its buttons), and how many items they show."""

    blocks: list[Block]
    items: int = 0


def _units(reply: Reply, source: str | None) -> list[_Unit]:
    units: list[_Unit] = []
    index = 0
    for number, sec in enumerate(reply.sections):
        mark = TONE_MARK[reply.tone] if number == 0 else ""
        units.extend(_Unit([block]) for block in _text_blocks(sec, mark))
        units.extend(_Unit([block]) for block in _fact_blocks(sec))
        for item in sec.items:
            units.append(_Unit(item_blocks(item, index, source=source), items=1))
            index += 1
    return units


def _text_blocks(sec: Section, mark: str) -> list[Block]:
    """Heading and lines as sections of at most 3,000 characters, split between lines."""
    parts = [f"*{cut(escape(sec.heading), 300)}*"] if sec.heading else []
    parts += [cut(escape(line), mrkdwn.MAX_SECTION_TEXT - 50) for line in sec.lines]
    if not parts:
        return []
    parts[0] = mark + parts[0]
    chunks: list[str] = []
    for part in parts:
        if chunks and len(chunks[-1]) + 1 + len(part) <= mrkdwn.MAX_SECTION_TEXT:
            chunks[-1] += "\n" + part
        else:
            chunks.append(part)
    return [section(chunk) for chunk in chunks]


def _fact_blocks(sec: Section) -> list[Block]:
    fields = [
        mrkdwn_text(cut(f"*{cut(escape(f.label), 200)}*\n{escape(f.value)}", mrkdwn.MAX_FIELD_TEXT)) for f in sec.facts
    ]
    return [
        {"type": "section", "fields": fields[start : start + mrkdwn.MAX_FIELDS]}
        for start in range(0, len(fields), mrkdwn.MAX_FIELDS)
    ]


def _fit(units: list[_Unit], budget: int) -> list[Block]:
    """All the units if they fit in ``budget`` blocks; else those that fit and a line saying what is left out."""
    if sum(len(u.blocks) for u in units) <= budget:
        return [block for unit in units for block in unit.blocks]
    shown: list[Block] = []
    hidden = 0
    for unit in units:
        if not hidden and len(shown) + len(unit.blocks) <= budget - 1:
            shown.extend(unit.blocks)
        else:
            hidden += unit.items
    what = f"{hidden} more action{'s' if hidden != 1 else ''}" if hidden else "The rest of this answer"
    shown.append(context(f"{what} not shown: too long for one Slack message."))
    return shown
