"""What operators see in the log: JSON lines (``ACTIONBOT_LOG_FORMAT=json``) or text, each with its request
id; a refusal is one WARNING line with a reference and the reason, never the value refused."""

from __future__ import annotations

import io
import json
import logging
from collections.abc import Iterator
from pathlib import Path

import pytest
from pydantic import BaseModel, ConfigDict, ValidationError
from typer.testing import CliRunner

from adapters import logs
from adapters.cli import app as cli
from bot.settings import SettingsError, load_settings


@pytest.fixture
def stream() -> Iterator[io.StringIO]:
    """The root logger configured as ``actionbot serve`` does it, writing to a buffer."""
    root = logging.getLogger()
    saved = (list(root.handlers), root.level)
    buffer = io.StringIO()
    logs.configure(logging.INFO, "json")
    root.handlers[0].setStream(buffer)  # type: ignore[attr-defined]
    yield buffer
    root.handlers[:] = saved[0]
    root.setLevel(saved[1])


def lines(buffer: io.StringIO) -> list[dict[str, object]]:
    return [json.loads(line) for line in buffer.getvalue().splitlines()]


def test_json_lines_carry_the_request_id_and_the_fields_given(stream: io.StringIO) -> None:
    token = logs.REQUEST_ID.set("a1b2c3d4e5f6")
    try:
        logging.getLogger("actionbot.core").info(
            "slack slack user=U0KEVIN command=note outcome=success 4.2ms",
            extra={"surface": "slack", "user": "U0KEVIN", "command": "note", "outcome": "success", "duration_ms": 4.2},
        )
    finally:
        logs.REQUEST_ID.reset(token)
    logging.getLogger("actionbot").debug("not at INFO")
    [line] = lines(stream)
    assert line["level"] == "INFO" and line["logger"] == "actionbot.core" and line["request_id"] == "a1b2c3d4e5f6"
    assert (line["surface"], line["user"], line["command"], line["outcome"], line["duration_ms"]) == (
        "slack", "U0KEVIN", "note", "success", 4.2)
    assert str(line["time"]).endswith("+00:00")


def test_a_traceback_stays_inside_its_one_json_line(stream: io.StringIO) -> None:
    try:
        raise KeyError("boom")
    except KeyError:
        logging.getLogger("actionbot").exception("unexpected error (ref 0123)")
    [line] = lines(stream)
    assert line["level"] == "ERROR" and "KeyError: 'boom'" in str(line["traceback"])


def test_a_refusal_is_one_warning_with_a_reference_and_never_the_value(stream: io.StringIO) -> None:
    class Press(BaseModel):
        model_config = ConfigDict(strict=True)
        id: int

    with pytest.raises(ValidationError) as raised:
        Press.model_validate({"id": "hunter2-secret-value"})
    ref = logs.refuse(logging.getLogger("actionbot.slack"), "a Slack button press", logs.problem(raised.value))
    [line] = lines(stream)
    assert line["level"] == "WARNING" and line["ref"] == ref and line["outcome"] == "refused"
    assert line["message"] == f"refused a Slack button press: id: Input should be a valid integer (ref {ref})"
    assert "hunter2" not in json.dumps(line)


def test_a_long_or_multi_line_reason_is_one_short_line() -> None:
    assert logs.one_line("a\nb\r\nc" + "x" * 400) == "a b c" + "x" * 294 + "…"


def test_text_lines_show_the_request_id(caplog: pytest.LogCaptureFixture) -> None:
    record = logging.LogRecord("actionbot", logging.INFO, __file__, 1, "hello", None, None)
    token = logs.REQUEST_ID.set("feedfacecafe")
    try:
        assert logs.TextFormatter().format(record).endswith("actionbot: hello [feedfacecafe]")
    finally:
        logs.REQUEST_ID.reset(token)


def test_the_log_format_setting_is_text_or_json(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("ACTIONBOT_LOG_FORMAT", "json")
    assert load_settings().log_format == "json"
    monkeypatch.setenv("ACTIONBOT_LOG_FORMAT", "yaml")
    with pytest.raises(SettingsError, match="^ACTIONBOT_LOG_FORMAT: Input should be 'text' or 'json'$"):
        load_settings()
    result = CliRunner().invoke(cli, ["serve"])
    assert result.exit_code == 2
    assert result.output == "actionbot: configuration error: ACTIONBOT_LOG_FORMAT: Input should be 'text' or 'json'\n"
