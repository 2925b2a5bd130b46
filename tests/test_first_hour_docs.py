"""What a new user reads and what a packager needs: the README's Teams install steps in order, with the
database and the org config; the Container section's volume owner and migration step, in step with the
Dockerfile; the Apache-2.0 LICENSE and its declaration; a .dockerignore keeping local state out of the image."""

from __future__ import annotations

import hashlib
import re
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
README = (ROOT / "README.md").read_text(encoding="utf-8")
APACHE_2_0_MD5 = "3b83ef96387f14655fc854ddc3c6bd57"  # https://www.apache.org/licenses/LICENSE-2.0.txt


def section(title: str) -> str:
    start = README.index(f"\n## {title}\n")
    end = README.find("\n## ", start + 1)
    return README[start:end]


def numbered_lists(text: str) -> list[list[int]]:
    """The numbers of each numbered list, in order (a list ends at a heading or a paragraph)."""
    lists: list[list[int]] = []
    current: list[int] = []
    for line in text.splitlines():
        number = re.match(r"(\d+)\. ", line)
        if number:
            current.append(int(number.group(1)))
        elif line and not line.startswith(" ") and current:
            lists.append(current)
            current = []
    return [*lists, current] if current else lists


def test_the_readme_still_opens_with_the_product_and_the_two_commands() -> None:
    assert README.startswith("# leakbot\n\nleakbot is a Slack and Microsoft Teams chat-ops bot")
    first = README[: README.index("---")]
    assert "uv run leakbot demo" in first and "uv run pytest" in first


def test_install_in_teams_is_in_order_with_the_database_and_the_org_config() -> None:
    teams = section("Install in Teams")
    lists = numbered_lists(teams)
    assert lists and all(numbers == list(range(1, len(numbers) + 1)) for numbers in lists), lists
    steps = teams[: teams.index("### ")]  # the steps every installation follows
    assert "leakbot db upgrade" in steps and steps.index("leakbot db upgrade") < steps.index("leakbot serve")
    assert "LEAKBOT_CONFIG" in steps and "examples/leakbot.yaml" in steps
    assert "LEAKBOT_TEAMS_RESPONSE_CHANNEL" in steps
    assert "Get link to channel" in steps and "19:…@thread.tacv2" in steps, "how to find the channel id"


def test_the_container_section_names_the_volume_owner_and_a_migration_step() -> None:
    uid = re.search(r"useradd [^\n]*--uid (\d+)", (ROOT / "Dockerfile").read_text(encoding="utf-8"))
    assert uid is not None
    container = section("Container")
    assert f"belongs to uid {uid.group(1)}" in container and f"chown {uid.group(1)}" in container
    assert "advisory lock" in container
    assert re.search(r"docker run --rm [^\n]* leakbot leakbot db upgrade", container), "the migrate step"
    assert re.search(r"leakbot leakbot serve", container), "replicas started with serve alone"


def test_the_license_is_apache_2_0_and_declared() -> None:
    license_text = (ROOT / "LICENSE").read_bytes()
    assert hashlib.md5(license_text).hexdigest() == APACHE_2_0_MD5, "the standard text, unchanged"
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    assert project["license"] == "Apache-2.0" and project["license-files"] == ["LICENSE"]


def test_the_docker_build_context_leaves_out_local_state() -> None:
    patterns = (ROOT / ".dockerignore").read_text(encoding="utf-8").split()
    for needed in (".git", ".venv", "**/*.db", "**/__pycache__", ".pytest_cache", ".ruff_cache", ".env"):
        assert needed in patterns, needed
    copied = re.findall(r"^COPY (?!--from)([^\n]+) \S+$", (ROOT / "Dockerfile").read_text(), re.MULTILINE)
    sources = {name for line in copied for name in line.split()}
    assert sources and not sources & set(patterns), "the image's own files are not ignored"
