"""Escaping text for Teams: Adaptive Card TextBlocks and FactSets render a subset of Markdown.

Everything the bot puts in a card goes through :func:`md`, so nothing a user typed (a note, an
action's text, a name) can become bold, a link, a heading, a list, a quote, or an ``<at>``
mention: each Markdown character is backslash-escaped (CommonMark escapes, which the Adaptive
Cards renderer honours), ``<`` and ``>`` included, and control characters are removed.
"""

from __future__ import annotations

import re

from bot.render_text import clean

# CommonMark punctuation that means something in the subset Teams renders (emphasis, code,
# strike-through, links, headings, quotes, raw HTML / <at> tags, entities, tables).
_SPECIAL = re.compile(r"([\\`*_~\[\]()#<>&|!])")
# Characters that only mean something at the start of a line: list items ("- ", "+ ", "1. ",
# "1) ") and setext headings / thematic breaks ("---", "===").
_LINE_START = re.compile(r"(?m)^([ \t]*)([-+=])")
_ORDERED = re.compile(r"(?m)^([ \t]*\d{1,9})([.)])")


def md(text: str) -> str:
    """``text`` made inert for Teams Markdown: it displays exactly as written."""
    text = _SPECIAL.sub(r"\\\1", clean(text))
    text = _LINE_START.sub(r"\1\\\2", text)
    return _ORDERED.sub(r"\1\\\2", text)


def plain(text: str) -> str:
    """``text`` for fields Teams shows as plain text (input values, notification summaries)."""
    return clean(text)
