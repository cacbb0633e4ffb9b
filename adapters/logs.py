"""What operators see: log lines as text or one JSON object per line, each with its request id.

``ACTIONBOT_LOG_FORMAT=json`` makes every line a JSON object with ``time``, ``level``, ``logger``,
``message`` and, where they apply, the request id, surface, platform, platform user id, command name,
outcome, duration and HTTP status. The web server gives each HTTP request an id (:data:`REQUEST_ID`, a
context variable, so it follows the request into worker threads and background tasks); the core adds the
command's fields with ``extra=``. Nothing here logs a message's text: the core logs the command's name and
outcome, never the note typed.

A refused input (a forged request, a payload that is not what the platform sends, a stale button) is one
WARNING line saying what was refused and why, with a reference the user can quote (:func:`refuse`). A
traceback in the log means a bug.
"""

from __future__ import annotations

import json
import logging
import sys
import uuid
from contextvars import ContextVar
from datetime import UTC, datetime
from typing import Any, Literal

from pydantic import ValidationError

LogFormat = Literal["text", "json"]

REQUEST_ID: ContextVar[str | None] = ContextVar("actionbot_request_id", default=None)

# The structured fields a record may carry (``extra=``), in the order JSON lines show them.
FIELDS = (
    "request_id",
    "ref",
    "surface",
    "platform",
    "user",
    "command",
    "outcome",
    "reason",
    "duration_ms",
    "method",
    "path",
    "status",
)
MAX_REASON = 300
TEXT_FORMAT = "%(asctime)s %(levelname)s %(name)s: %(message)s"


def new_reference() -> str:
    """A short id to quote in a log line and in the answer a user sees."""
    return uuid.uuid4().hex[:12]


def reference() -> str:
    """The current request's id (the reference users and operators quote), or a new one outside a request."""
    return REQUEST_ID.get() or new_reference()


def one_line(text: str, limit: int = MAX_REASON) -> str:
    """``text`` on one line, cut to ``limit`` characters: reasons must never split or flood a log line."""
    flat = " ".join(str(text).split())
    return flat if len(flat) <= limit else flat[: limit - 1] + "…"


def refuse(logger: logging.Logger, what: str, reason: str, **fields: Any) -> str:
    """Log one WARNING line for a refused input and return its reference (to put in the answer)."""
    ref = reference()
    why = one_line(reason)
    logger.warning(
        "refused %s: %s (ref %s)", what, why, ref, extra={"ref": ref, "reason": why, "outcome": "refused", **fields}
    )
    return ref


def problem(exc: ValidationError) -> str:
    """A validation error as one short line naming the fields, never their values (they may be anything)."""
    parts = []
    for error in exc.errors(include_url=False, include_input=False, include_context=False)[:3]:
        where = ".".join(str(part) for part in error.get("loc", ())) or "body"
        parts.append(f"{where}: {error.get('msg', 'invalid')}")
    more = exc.error_count() - len(parts)
    return one_line("; ".join(parts) + (f" (+{more} more)" if more > 0 else ""))


class JsonFormatter(logging.Formatter):
    """One JSON object per line: time, level, logger, message, the structured fields, and any traceback."""

    def format(self, record: logging.LogRecord) -> str:
        data: dict[str, Any] = {
            "time": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
        }
        for name in FIELDS:
            value = getattr(record, name, None)
            if name == "request_id" and value is None:
                value = REQUEST_ID.get()
            if value is not None:
                data[name] = value
        if record.exc_info:
            data["traceback"] = self.formatException(record.exc_info)
        return json.dumps(data, ensure_ascii=False, default=str)


class TextFormatter(logging.Formatter):
    """The classic one-line text format, with the request id in brackets when there is one."""

    def __init__(self) -> None:
        super().__init__(TEXT_FORMAT)

    def format(self, record: logging.LogRecord) -> str:
        line = super().format(record)
        request_id = getattr(record, "request_id", None) or REQUEST_ID.get()
        if request_id and "\n" not in line:
            return f"{line} [{request_id}]"
        if request_id:
            first, rest = line.split("\n", 1)
            return f"{first} [{request_id}]\n{rest}"
        return line


def configure(level: int, log_format: LogFormat = "text") -> None:
    """Send every log record to stderr in ``log_format``, at ``level`` and above (replacing other handlers)."""
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(JsonFormatter() if log_format == "json" else TextFormatter())
    root = logging.getLogger()
    for existing in list(root.handlers):
        root.removeHandler(existing)
    root.addHandler(handler)
    root.setLevel(level)
    # Third-party chatter stays out of INFO: bolt and slack_sdk log request bodies at DEBUG only.
    for noisy in ("slack_bolt", "slack_sdk", "botbuilder", "msrest", "msal", "urllib3", "asyncio"):
        logging.getLogger(noisy).setLevel(max(level, logging.WARNING))
