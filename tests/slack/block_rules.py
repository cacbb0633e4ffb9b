"""Block Kit's limits as Slack enforces them (Slack's reference, Jan 2025), written out independently
of the renderer so tests and the fake Web API can refuse what Slack would refuse (``invalid_blocks``)."""

from __future__ import annotations

import json
import re
from typing import Any


def _plain(obj: Any, where: str, limit: int, problems: list[str]) -> None:
    if not isinstance(obj, dict) or obj.get("type") != "plain_text":
        problems.append(f"{where}: not a plain_text object")
        return
    text = obj.get("text", "")
    if not text or len(text) > limit:
        problems.append(f"{where}: plain_text of {len(text)} characters (1..{limit})")


def _text(obj: Any, where: str, limit: int, problems: list[str]) -> None:
    if not isinstance(obj, dict) or obj.get("type") not in ("plain_text", "mrkdwn"):
        problems.append(f"{where}: not a text object")
        return
    text = obj.get("text", "")
    if not text or len(text) > limit:
        problems.append(f"{where}: text of {len(text)} characters (1..{limit})")


def violations(blocks: list[dict[str, Any]], max_blocks: int = 50) -> list[str]:
    """What Slack would refuse in ``blocks``; an empty list means they are valid as far as we check."""
    problems: list[str] = []
    if len(blocks) > max_blocks:
        problems.append(f"{len(blocks)} blocks (at most {max_blocks})")
    ids = [b["block_id"] for b in blocks if "block_id" in b]
    if len(ids) != len(set(ids)):
        problems.append("duplicate block_id")
    for n, block in enumerate(blocks):
        where = f"block {n} ({block.get('type')})"
        if len(block.get("block_id", "")) > 255:
            problems.append(f"{where}: block_id over 255")
        kind = block.get("type")
        if kind == "header":
            _plain(block.get("text"), where, 150, problems)
        elif kind == "section":
            if "text" not in block and "fields" not in block:
                problems.append(f"{where}: neither text nor fields")
            if "text" in block:
                _text(block["text"], where, 3000, problems)
            fields = block.get("fields", [])
            if len(fields) > 10:
                problems.append(f"{where}: {len(fields)} fields (at most 10)")
            for field in fields:
                _text(field, f"{where} field", 2000, problems)
        elif kind == "context":
            elements = block.get("elements", [])
            if not 1 <= len(elements) <= 10:
                problems.append(f"{where}: {len(elements)} elements (1..10)")
            for element in elements:
                _text(element, f"{where} element", 3000, problems)
        elif kind == "actions":
            elements = block.get("elements", [])
            if not 1 <= len(elements) <= 25:
                problems.append(f"{where}: {len(elements)} elements (1..25)")
            for element in elements:
                _plain(element.get("text"), f"{where} button", 75, problems)
                if len(element.get("value", "")) > 2000:
                    problems.append(f"{where}: button value over 2000")
                if len(element.get("action_id", "")) > 255:
                    problems.append(f"{where}: action_id over 255")
        elif kind == "input":
            _plain(block.get("label"), f"{where} label", 2000, problems)
        elif kind not in ("divider",):
            problems.append(f"{where}: unexpected block type")
    return problems


def mrkdwn_texts(blocks: list[dict[str, Any]]) -> list[str]:
    """Every mrkdwn string in ``blocks`` (section texts, fields, context elements)."""
    found: list[str] = []

    def walk(node: Any) -> None:
        if isinstance(node, dict):
            if node.get("type") == "mrkdwn":
                found.append(node.get("text", ""))
            for value in node.values():
                walk(value)
        elif isinstance(node, list):
            for value in node:
                walk(value)

    walk(blocks)
    return found


def has_live_markup(text: str) -> bool:
    """True if ``text`` holds a ``<…>`` sequence Slack would turn into a mention, broadcast or link."""
    return "<" in text or ">" in text or bool(re.search(r"&(?!amp;|lt;|gt;)", text))


def dumps(blocks: Any) -> str:
    return json.dumps(blocks, ensure_ascii=False)
