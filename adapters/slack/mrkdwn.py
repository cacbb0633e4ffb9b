"""Slack's text rules: escaping user text for mrkdwn, and cutting text to Block Kit's limits.

Slack treats ``&``, ``<`` and ``>`` as control characters in mrkdwn: ``<!channel>``, ``<@U123>``
and ``<https://x|click>`` are a broadcast, a mention and a disguised link. Escaping those three
characters (and sending text objects with ``verbatim: true`` so Slack does not auto-link names
and URLs) makes any user text render as the characters typed. Limits are counted in characters.
"""

from __future__ import annotations

import re

# Block Kit limits (Slack's reference, checked Jan 2025).
MAX_BLOCKS_MESSAGE = 50
MAX_BLOCKS_MODAL = 100
MAX_SECTION_TEXT = 3000
MAX_FIELD_TEXT = 2000
MAX_FIELDS = 10
MAX_CONTEXT_TEXT = 2000
MAX_CONTEXT_ELEMENTS = 10
MAX_ACTIONS_ELEMENTS = 25
MAX_HEADER_TEXT = 150
MAX_BUTTON_TEXT = 75
MAX_BUTTON_VALUE = 2000
MAX_OPTION_TEXT = 75
MAX_BLOCK_ID = 255
MAX_MODAL_TITLE = 24
MAX_PLACEHOLDER = 150
MAX_LABEL = 2000
MAX_INPUT_LENGTH = 3000
MAX_PRIVATE_METADATA = 3000
MAX_FALLBACK_TEXT = 3000  # the notification text; Slack truncates messages' text at 40,000

ELLIPSIS = "…"
_ENTITY_TAIL = re.compile(r"&[a-z]{0,3}$")


def escape(text: str) -> str:
    """User text made inert in mrkdwn: ``&``, ``<`` and ``>`` become entities (Slack's own rule)."""
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def cut(text: str, limit: int) -> str:
    """``text`` if it fits in ``limit`` characters, else cut with an ellipsis (never inside an entity)."""
    if len(text) <= limit:
        return text
    head = _ENTITY_TAIL.sub("", text[: limit - 1])
    if head and 0xD800 <= ord(head[-1]) <= 0xDBFF:  # never leave half a surrogate pair
        head = head[:-1]
    return head.rstrip() + ELLIPSIS


def plain(text: str, limit: int) -> str:
    """Text for a ``plain_text`` object: never empty (Slack refuses that), cut to ``limit``."""
    flat = text.strip() or " "
    return cut(flat, limit)


def mrkdwn_text(text: str) -> dict[str, object]:
    """A mrkdwn text object that Slack shows as written: no auto-linking of names or URLs."""
    return {"type": "mrkdwn", "text": text or " ", "verbatim": True}


def plain_text(text: str, limit: int) -> dict[str, object]:
    return {"type": "plain_text", "text": plain(text, limit), "emoji": True}
