"""``actionbot teams package``: the Teams app package (manifest.json and two icons, zipped) to sideload.

The manifest in :mod:`adapters.teams.manifest` is a template: the package fills in the Azure Bot's app
id (``MICROSOFT_APP_ID``, as the app's id and its bot's id), this version of actionbot, the domain the
bot is served from, and who publishes it. It needs no Bot Framework SDK, so it runs anywhere.
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Annotated, Any

import typer

MANIFEST_DIR = Path(__file__).parent / "manifest"
ICONS = ("color.png", "outline.png")
_GUID = re.compile(r"^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$")
_HOST = re.compile(r"^(?=.{1,253}$)[A-Za-z0-9*](?:[A-Za-z0-9\-.]*[A-Za-z0-9])?(?::\d{1,5})?$")

teams_app = typer.Typer(help="Microsoft Teams: the app package to sideload.", no_args_is_help=True)


class PackageError(Exception):
    """The package cannot be built; the message says what to set."""


def manifest(app_id: str, *, domain: str | None = None, developer: str = "actionbot") -> dict[str, Any]:
    """The manifest with the app id, version, domain and developer filled in."""
    if not _GUID.match(app_id):
        raise PackageError(f"MICROSOFT_APP_ID: {app_id!r} is not an app id (a GUID like 0b7e5f3a-…) from the Azure Bot")
    if domain is not None and not _HOST.match(domain):
        raise PackageError(f"--domain: {domain!r} is not a host name such as bot.council.gov.uk")
    template: dict[str, Any] = json.loads((MANIFEST_DIR / "manifest.json").read_text())
    template["id"] = app_id
    template["version"] = _version()
    template["developer"]["name"] = developer
    site = f"https://{domain or 'localhost'}/"
    for key in ("websiteUrl", "privacyUrl", "termsOfUseUrl"):
        template["developer"][key] = site
    for bot in template["bots"]:
        bot["botId"] = app_id
    template["validDomains"] = [domain] if domain else []
    return template


def build_package(app_id: str, output: Path, *, domain: str | None = None, developer: str = "actionbot") -> Path:
    """Write the zip Teams sideloads: manifest.json and the icons at its root."""
    import zipfile

    content = json.dumps(manifest(app_id, domain=domain, developer=developer), indent=2, ensure_ascii=False)
    output.parent.mkdir(parents=True, exist_ok=True)
    with zipfile.ZipFile(output, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("manifest.json", content)
        for icon in ICONS:
            archive.write(MANIFEST_DIR / icon, icon)
    return output


def _version() -> str:
    from importlib import metadata

    try:
        return metadata.version("actionbot")
    except metadata.PackageNotFoundError:
        return "0.1.0"


@teams_app.command("package")
def package(
    output: Annotated[Path, typer.Option(help="Where to write the app package.")] = Path("actionbot-teams.zip"),
    domain: Annotated[
        str | None, typer.Option(help="The host actionbot is served from (its messaging endpoint's host).")
    ] = None,
    developer: Annotated[str, typer.Option(help="Who publishes the app (shown in Teams).")] = "actionbot",
) -> None:
    """Zip the Teams app manifest and icons, with MICROSOFT_APP_ID filled in, ready to sideload."""
    from bot.settings import SettingsError, load_settings

    try:
        app_id = load_settings().microsoft_app_id
        if not app_id:
            raise PackageError("MICROSOFT_APP_ID is not set: the package needs the Azure Bot's app id")
        path = build_package(app_id.strip(), output, domain=domain, developer=developer)
    except (SettingsError, PackageError) as exc:
        typer.echo(f"actionbot: {exc}", err=True)
        raise typer.Exit(2) from None
    typer.echo(f"Wrote {path}: upload it in Teams (Apps → Manage your apps → Upload an app).")
