"""`leakbot teams package`: the Teams app package (manifest.json and icons) as a zip to upload."""

from __future__ import annotations

import json
import os
import uuid
import zipfile
from pathlib import Path

import click

from adapters.cli.errors import CliError
from adapters.teams.settings import manifest_id

PACKAGE_DIR = Path(__file__).resolve().parents[1] / "teams" / "package"


def build_package(app_id: str, teams_app_id: str, output: Path) -> Path:
    manifest = (PACKAGE_DIR / "manifest.json").read_text(encoding="utf-8")
    manifest = manifest.replace("{{MICROSOFT_APP_ID}}", app_id).replace("{{TEAMS_APP_ID}}", teams_app_id)
    json.loads(manifest)  # still JSON after the substitution
    with zipfile.ZipFile(output, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("manifest.json", manifest)
        for icon in ("color.png", "outline.png"):
            archive.write(PACKAGE_DIR / icon, icon)
    return output


@click.group("teams")
def teams() -> None:
    """Microsoft Teams."""


@teams.command("package")
@click.option(
    "--app-id", default=lambda: os.environ.get("MICROSOFT_APP_ID", ""), help="The Azure Bot's app id."
)
@click.option(
    "--teams-app-id", default=None, help="The Teams app id (a GUID; default: derived from the app id)."
)
@click.option(
    "-o",
    "--output",
    type=click.Path(dir_okay=False, path_type=Path),
    default=Path("leakbot-teams.zip"),
    show_default=True,
    help="Where to write the zip.",
)
def package(app_id: str, teams_app_id: str | None, output: Path) -> None:
    """Zip manifest.json and the icons for upload in Teams (Apps → Manage your apps → Upload)."""
    try:
        uuid.UUID(app_id)
    except ValueError:
        raise CliError(
            "--app-id: give the Azure Bot's Microsoft App ID (a GUID), or set MICROSOFT_APP_ID"
        ) from None
    teams_id = teams_app_id or manifest_id(app_id)
    click.echo(f"wrote {build_package(app_id, teams_id, output)}")
