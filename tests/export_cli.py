"""``actionbot export --output`` run in-process on a test's application (its database and injected clock):
the bytes a chat ``export`` must equal."""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from adapters.bootstrap import App
from adapters.cli import app as cli


def exported_by_cli(monkeypatch: pytest.MonkeyPatch, running: App, folder: Path, *args: str) -> bytes:
    """The file ``actionbot export --output FILE *args`` writes, with ``running`` as the application."""
    monkeypatch.setattr("adapters.cli.plans.application", lambda: running)
    target = folder / "from-cli.out"
    result = CliRunner().invoke(cli, ["export", "--output", str(target), *args])
    assert result.exit_code == 0, result.output
    return target.read_bytes()
