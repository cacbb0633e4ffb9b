"""An authentic Slack delivery, validated by the edge (:mod:`adapters.slack.edge`), as bolt's request: over HTTP
(:mod:`adapters.slack.server`) and over Socket Mode (:mod:`adapters.slack.socket_mode`) alike."""

from __future__ import annotations

from collections.abc import Sequence

from slack_bolt.request.async_request import AsyncBoltRequest

from adapters.slack.edge import Delivery


def bolt_request(delivery: Delivery, retry: list[str] | None = None) -> AsyncBoltRequest:
    """The validated payload as bolt's request: the edge's dict itself, nothing re-read or guessed. bolt takes a
    dict only as a Socket Mode delivery (an HTTP one must be text it parses again); that mode only skips the
    signature check, which the edge has made over the raw bytes (and is off in bolt: app.build_bolt_app)."""
    headers: dict[str, str | Sequence[str]] = {"content-type": "application/json"}
    if retry:
        headers["x-slack-retry-num"] = retry[0]
    return AsyncBoltRequest(body=delivery.body, headers=headers, mode="socket_mode")
