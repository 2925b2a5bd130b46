"""Where the shipped data lives: the playbooks, the migrations and alembic.ini.

In the source checkout they sit at the repository root (playbooks/, migrations/, alembic.ini); in an
installed wheel they are package data under bot/_shipped/ (see [tool.hatch.build.targets.wheel.force-include]
in pyproject.toml). The message catalog is inside the package already (bot/i18n/messages.yaml).
"""

from __future__ import annotations

from pathlib import Path

PACKAGE_DIR = Path(__file__).resolve().parent
INSTALLED_DIR = PACKAGE_DIR / "_shipped"  # the wheel's copy
CHECKOUT_DIR = PACKAGE_DIR.parent  # the repository root when running from the source tree


def shipped(name: str) -> Path:
    """The shipped file or directory `name`: the wheel's copy when installed, else the checkout's.

    When neither exists the checkout path is returned, so errors name the place a developer would look."""
    installed = INSTALLED_DIR / name
    if installed.exists():
        return installed
    return CHECKOUT_DIR / name
