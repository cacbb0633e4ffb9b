"""Reading the Adaptive Cards the bot sent, as a Teams user would see them."""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

_ESCAPE = re.compile(r"\\(.)", re.DOTALL)


def shown(text: str) -> str:
    """What Teams displays for a TextBlock text: backslash escapes resolved."""
    return _ESCAPE.sub(r"\1", text)


def elements(node: Any) -> Iterator[dict[str, Any]]:
    """Every element of a card, depth first (bodies, containers' items, action sets' actions)."""
    if isinstance(node, dict):
        if "type" in node:
            yield node
        for key in ("body", "items", "actions", "columns"):
            for child in node.get(key) or []:
                yield from elements(child)
    elif isinstance(node, list):
        for child in node:
            yield from elements(child)


def texts(card: dict[str, Any]) -> list[str]:
    """Every TextBlock and fact as displayed ("Owner: Deb Poole" for a fact)."""
    found = []
    for element in elements(card):
        if element["type"] == "TextBlock":
            found.append(shown(element["text"]))
        elif element["type"] == "FactSet":
            found.extend(f"{shown(f['title'])}: {shown(f['value'])}" for f in element["facts"])
    return found


def text_of(card: dict[str, Any]) -> str:
    return "\n".join(texts(card))


def raw_texts(card: dict[str, Any]) -> list[str]:
    """Every markdown string of the card as sent (escapes included)."""
    found = []
    for element in elements(card):
        if element["type"] == "TextBlock":
            found.append(element["text"])
        elif element["type"] == "FactSet":
            for fact in element["facts"]:
                found.extend((fact["title"], fact["value"]))
    return found


def buttons(card: dict[str, Any]) -> list[tuple[str, dict[str, Any]]]:
    """(title, data) of every Action.Submit."""
    return [(e["title"], e["data"]) for e in elements(card) if e["type"] == "Action.Submit"]


def button(card: dict[str, Any], title: str, action_id: int) -> dict[str, Any]:
    """The data of the button titled ``title`` on action ``action_id``."""
    for found_title, data in buttons(card):
        if found_title == title and data.get("action_id") == action_id:
            return data
    raise AssertionError(f"no {title!r} button for #{action_id} in {buttons(card)}")


def inputs(card: dict[str, Any]) -> dict[str, dict[str, Any]]:
    """The card's inputs by id."""
    return {e["id"]: e for e in elements(card) if e["type"].startswith("Input.")}


def containers(card: dict[str, Any]) -> list[dict[str, Any]]:
    return [e for e in elements(card) if e["type"] == "Container"]
