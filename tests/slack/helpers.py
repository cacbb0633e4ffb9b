"""Reading what Slack would show: the text of blocks, and the state of the plan after a request."""

from __future__ import annotations

import json
from typing import Any

from sqlmodel import select

from store.models import ActionUpdate, Subscription
from store.session import transaction
from tests.factories import PlanFactory


def shown(blocks: list[dict[str, Any]]) -> str:
    """Every piece of text in ``blocks`` (mrkdwn and plain text), in order, one per line."""
    texts: list[str] = []

    def walk(node: Any) -> None:
        if isinstance(node, dict):
            if node.get("type") in ("mrkdwn", "plain_text") and isinstance(node.get("text"), str):
                texts.append(node["text"])
            for key, value in node.items():
                if key != "text" or not isinstance(value, str):
                    walk(value)
        elif isinstance(node, list):
            for value in node:
                walk(value)

    walk(blocks)
    return "\n".join(texts)


def buttons_in(blocks: list[dict[str, Any]]) -> list[tuple[int, str, dict[str, Any]]]:
    """``(action number, intent, value)`` for every button in ``blocks``."""
    found = []
    for block in blocks:
        for element in block.get("elements", []) if block.get("type") == "actions" else []:
            value = json.loads(element["value"])
            found.append((value["id"], element["action_id"].removeprefix("actionbot_"), value))
    return found


def update_rows(plan: PlanFactory, action_id: int) -> list[ActionUpdate]:
    return [u for u in plan.updates(action_id) if u.kind != "created"]


def subscriptions(plan: PlanFactory) -> list[Subscription]:
    with transaction(plan.engine, write=False) as session:
        return list(session.exec(select(Subscription).order_by(Subscription.id)))
