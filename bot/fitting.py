"""How much of a reply one chat message shows: one policy for every surface, each platform's limits as data.

A platform refuses a message that is too big (Slack: 50 blocks, 3,000 characters a section; Teams: about
28 KB a card). Rather than each renderer dropping or shortening things its own way, :func:`fit` decides on
the neutral reply: at most :attr:`Limits.items` actions (the same number on every surface, so Slack and
Teams show the same actions and the same buttons), every text cut at a word to :attr:`Limits.text`
characters, and a first line saying how many actions were left out. Renderers keep a last-resort guard of
their own (Slack's block count, Teams' card bytes) for what no text limit can foresee.
"""

from __future__ import annotations

from dataclasses import dataclass

from bot.replies import Fact, Reply, Section
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
    """``reply`` as one message can show it under ``limits`` (the reply itself when it already fits)."""
    budget = limits.items
    hidden = 0
    sections = []
    for section in reply.sections:
        items = section.items[: max(budget, 0)]
        budget -= len(items)
        hidden += len(section.items) - len(items)
        if section.items and not items and not section.lines and not section.facts:
            continue  # a group whose every action is left out: its heading alone would mislead
        sections.append(
            section.model_copy(
                update={
                    "heading": cut(section.heading, limits.text) if section.heading else None,
                    "lines": [cut(line, limits.text) for line in section.lines],
                    "facts": [_fact(fact, limits.text) for fact in section.facts],
                    "items": [
                        item.model_copy(
                            update={"text": cut(item.text, limits.text),
                                    "facts": [_fact(fact, limits.text) for fact in item.facts]}
                        )
                        for item in items
                    ],
                }
            )
        )
    if hidden:  # on top, where a renderer's last-resort guard (which drops from the end) never takes it
        sections.insert(0, Section(lines=[left_out(hidden)]))
    title = cut(reply.title, limits.text) if reply.title else None
    return reply.model_copy(update={"title": title, "sections": sections})


def _fact(fact: Fact, limit: int) -> Fact:
    return Fact(label=cut(fact.label, limit), value=cut(fact.value, limit))
