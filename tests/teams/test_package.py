"""``actionbot teams package``: the zip an admin uploads to Teams, with the Azure Bot's app id filled in."""

from __future__ import annotations

import json
import re
import struct
import zipfile
import zlib
from pathlib import Path

import pytest
from typer.testing import CliRunner

from adapters.cli import app
from adapters.teams.manifest import icons
from bot.commands import CommandName

APP_ID = "0b7e5f3a-1111-4222-8333-944455556666"


@pytest.fixture
def runner(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> CliRunner:
    monkeypatch.chdir(tmp_path)
    for name in ("MICROSOFT_APP_ID", "MICROSOFT_APP_PASSWORD", "MICROSOFT_APP_TYPE", "MICROSOFT_APP_TENANT_ID"):
        monkeypatch.delenv(name, raising=False)
    return CliRunner()


def _package(runner: CliRunner, monkeypatch: pytest.MonkeyPatch, *args: str) -> tuple[int, str]:
    monkeypatch.setenv("MICROSOFT_APP_ID", APP_ID)
    monkeypatch.setenv("MICROSOFT_APP_PASSWORD", "not-in-the-package")
    result = runner.invoke(app, ["teams", "package", *args])
    return result.exit_code, result.output


def _pixels(data: bytes) -> tuple[int, int, list[tuple[int, ...]]]:
    """Width, height and RGBA pixels of a PNG written without filters (as ours are)."""
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    width, height, depth, colour = struct.unpack(">IIBB", data[16:26])
    assert (depth, colour) == (8, 6)
    idat, offset = b"", 8
    while offset < len(data):
        (length,) = struct.unpack(">I", data[offset : offset + 4])
        kind = data[offset + 4 : offset + 8]
        if kind == b"IDAT":
            idat += data[offset + 8 : offset + 8 + length]
        offset += 12 + length
    raw = zlib.decompress(idat)
    stride = width * 4 + 1
    assert all(raw[row * stride] == 0 for row in range(height))
    pixels = [
        tuple(raw[row * stride + 1 + 4 * x : row * stride + 5 + 4 * x]) for row in range(height) for x in range(width)
    ]
    return width, height, pixels


def test_the_package_holds_the_manifest_with_the_app_id_and_both_icons(
    runner: CliRunner, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    code, output = _package(runner, monkeypatch, "--output", "out/actionbot.zip", "--domain", "bot.council.gov.uk")
    assert code == 0, output
    assert "Wrote out/actionbot.zip" in output

    with zipfile.ZipFile(tmp_path / "out" / "actionbot.zip") as archive:
        assert sorted(archive.namelist()) == ["color.png", "manifest.json", "outline.png"]
        text = archive.read("manifest.json").decode()
        color, outline = archive.read("color.png"), archive.read("outline.png")

    manifest = json.loads(text)
    assert "{{" not in text and "not-in-the-package" not in text
    assert manifest["manifestVersion"] == "1.16" and "v1.16" in manifest["$schema"]
    assert manifest["id"] == APP_ID
    [bot] = manifest["bots"]
    assert bot["botId"] == APP_ID
    assert sorted(bot["scopes"]) == ["groupChat", "personal", "team"]
    assert manifest["validDomains"] == ["bot.council.gov.uk"]
    assert manifest["developer"]["websiteUrl"] == "https://bot.council.gov.uk/"
    assert re.fullmatch(r"\d+\.\d+\.\d+", manifest["version"])
    assert manifest["icons"] == {"color": "color.png", "outline": "outline.png"}
    assert len(manifest["name"]["short"]) <= 30 and len(manifest["description"]["short"]) <= 80

    width, height, pixels = _pixels(color)
    assert (width, height) == (192, 192) and all(alpha == 255 for *_, alpha in pixels)
    width, height, pixels = _pixels(outline)
    assert (width, height) == (32, 32)
    assert {pixel[:3] for pixel in pixels} == {(255, 255, 255)}  # white only: Teams' rule for outline icons
    alphas = {pixel[3] for pixel in pixels}
    assert 0 in alphas and 255 in alphas  # transparent background, white mark


def test_the_manifests_commands_are_the_bots_commands(runner: CliRunner, monkeypatch: pytest.MonkeyPatch) -> None:
    _package(runner, monkeypatch)
    with zipfile.ZipFile("actionbot-teams.zip") as archive:
        manifest = json.loads(archive.read("manifest.json"))
    lists = manifest["bots"][0]["commandLists"]
    assert sorted(scope for command_list in lists for scope in command_list["scopes"]) == [
        "groupChat", "personal", "team"]
    known = {name.value for name in CommandName}
    for command_list in lists:
        assert 1 <= len(command_list["commands"]) <= 10  # Teams shows at most ten per scope
        for command in command_list["commands"]:
            assert command["title"] in known
            assert 0 < len(command["description"]) <= 128 and len(command["title"]) <= 32
    assert manifest["validDomains"] == []  # no --domain given


def test_without_an_app_id_the_package_is_refused_in_one_line(runner: CliRunner) -> None:
    result = runner.invoke(app, ["teams", "package"])
    assert result.exit_code == 2
    assert result.output == "actionbot: MICROSOFT_APP_ID is not set: the package needs the Azure Bot's app id\n"
    assert not Path("actionbot-teams.zip").exists()


@pytest.mark.parametrize(
    ("app_id", "args", "message"),
    [
        ("my-bot", [], "MICROSOFT_APP_ID: 'my-bot' is not an app id (a GUID like 0b7e5f3a-…) from the Azure Bot"),
        (APP_ID, ["--domain", "https://bot.council.gov.uk/api"], "--domain: 'https://bot.council.gov.uk/api' is not"),
    ],
)
def test_a_bad_app_id_or_domain_is_refused(
    runner: CliRunner, monkeypatch: pytest.MonkeyPatch, app_id: str, args: list[str], message: str
) -> None:
    monkeypatch.setenv("MICROSOFT_APP_ID", app_id)
    monkeypatch.setenv("MICROSOFT_APP_PASSWORD", "x")
    result = runner.invoke(app, ["teams", "package", *args])
    assert result.exit_code == 2
    assert result.output.startswith(f"actionbot: {message}") and result.output.count("\n") == 1


def test_the_committed_icons_are_the_ones_the_script_draws() -> None:
    here = Path(icons.__file__).parent
    assert (here / "color.png").read_bytes() == icons.color_icon()
    assert (here / "outline.png").read_bytes() == icons.outline_icon()
