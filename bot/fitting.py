"""How much of a reply one chat message shows: one policy for every surface, each platform's limits as data.

A platform refuses a message that is too big (Slack: 50 blocks, 3,000 characters a section; Teams: about
28 KB a card). Rather than each renderer dropping or shortening things its own way, :func:`fit` decides on
the neutral reply: at most :attr:`Limits.items` actions (the same number on every surface, so Slack and
Teams show the same actions and the same buttons), every text cut at a word to :attr:`Limits.text`
characters, and a first line saying how many actions were left out. Renderers keep a last-resort guard of
their own (Slack's block count, Teams' card bytes) for what no text limit can foresee.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from bot.replies import ActionItem, Fact, Reply, Section
from bot.views import shorten

MESSAGE_ITEMS = 15  # the most actions one message shows, on every surface (a page is 10 unless configured)


@dataclass(frozen=True)
class Limits:
    """What one message on a platform holds: how many actions, and how long any one text may be."""

    items: int = MESSAGE_ITEMS
    text: int = 2_000


def cut(text: str, limit: int) -> str:
    """``text`` as it is when it fits; else cut at a word boundary (or through one very long word) with "…"."""
    if len(text) <= limit:
        return text
    short = shorten(text, limit)
    if len(short) >= limit // 2:
        return short
    return " ".join(text.split())[: limit - 1] + "…"


def left_out(count: int) -> str:
    return f"{count} more action{'s' if count != 1 else ''} not shown: too long for one message."


def fit(reply: Reply, limits: Limits) -> Reply:
    """``reply`` as one message can show it under ``limits``: the reply itself when it already fits, and
    otherwise a copy sharing every part that fits as it is (replies are immutable)."""
    if _fits(reply, limits):
        return reply
    budget = limits.items
    hidden = 0
    sections: list[Section] = []
    changed = False
    for section in reply.sections:
        items = section.items[: max(budget, 0)]
        budget -= len(items)
        hidden += len(section.items) - len(items)
        if section.items and not items and not section.lines and not section.facts:
            changed = True
            continue  # a group whose every action is left out: its heading alone would mislead
        fitted = _section(section, items, limits.text)
        changed = changed or fitted is not section
        sections.append(fitted)
    if hidden:  # on top, where a renderer's last-resort guard (which drops from the end) never takes it
        sections.insert(0, Section(lines=[left_out(hidden)]))
    title = cut(reply.title, limits.text) if reply.title else None
    if not changed and not hidden and title is reply.title:
        return reply
    return reply.model_copy(update={"title": title, "sections": sections})


def _fits(reply: Reply, limits: Limits) -> bool:
    """Whether ``reply`` already fits (most do): checked in one pass, without making anything."""
    limit = limits.text
    if reply.title is not None and not 0 < len(reply.title) <= limit:  # an empty title is made None
        return False
    items = 0
    for section in reply.sections:
        items += len(section.items)
        if items > limits.items or (section.heading is not None and not 0 < len(section.heading) <= limit):
            return False
        for line in section.lines:
            if len(line) > limit:
                return False
        for fact in section.facts:
            if len(fact.label) > limit or len(fact.value) > limit:
                return False
        for item in section.items:
            if len(item.text) > limit:
                return False
            for fact in item.facts:
                if len(fact.label) > limit or len(fact.value) > limit:
                    return False
    return True


def _section(section: Section, items: list[ActionItem], limit: int) -> Section:
    heading = cut(section.heading, limit) if section.heading else None
    lines = [cut(line, limit) for line in section.lines]
    facts = [_fact(fact, limit) for fact in section.facts]
    fitted = [_item(item, limit) for item in items]
    if (
        heading is section.heading
        and _same(lines, section.lines)
        and _same(facts, section.facts)
        and _same(fitted, section.items)
    ):
        return section
    return section.model_copy(update={"heading": heading, "lines": lines, "facts": facts, "items": fitted})


def _item(item: ActionItem, limit: int) -> ActionItem:
    text = cut(item.text, limit)
    facts = [_fact(fact, limit) for fact in item.facts]
    if text is item.text and _same(facts, item.facts):
        return item
    return item.model_copy(update={"text": text, "facts": facts})


def _fact(fact: Fact, limit: int) -> Fact:
    label, value = cut(fact.label, limit), cut(fact.value, limit)
    if label is fact.label and value is fact.value:
        return fact
    return Fact(label=label, value=value)


def _same(parts: Sequence[object], originals: Sequence[object]) -> bool:
    """The same objects, in the same order (what fits is kept as it is, so unchanged parts are identical)."""
    return len(parts) == len(originals) and all(a is b for a, b in zip(parts, originals, strict=True))
