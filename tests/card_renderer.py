"""Microsoft's Adaptive Cards renderer (the ``adaptivecards`` npm package), run by node on the cards a test
collected: tests/renderer/render.js parses, validates and renders each one, its markdown through markdown-it
with only what Teams renders of Markdown.

The npm packages are pinned (tests/renderer/package.json and its lock) and installed at test time with
``npm ci`` into ``.cache/card-renderer/`` (git-ignored), once per lock. Without node or npm, or when the
packages cannot be had (a fresh clone without network), the tests that need it are skipped, saying why."""

from __future__ import annotations

import fcntl
import json
import os
import re
import shutil
import subprocess
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
SOURCE = ROOT / "tests" / "renderer"
CACHE = ROOT / ".cache" / "card-renderer"
INSTALL_TIMEOUT = 300
NPM_OPTIONS = ("--no-audit", "--no-fund", "--ignore-scripts", "--prefer-offline", "--fetch-retries=1")
# What Teams would show literally: a backslash, Markdown it does not render (bold left open, code, a heading or
# a quote at a line's start), a mention tag without its entity.
ARTEFACTS = re.compile(r"\\|\*\*|__|`|<at>|</at>|^\s*(?:#{1,6}|>)\s", re.MULTILINE)


@dataclass(frozen=True)
class Rendered:
    problems: list[str]
    text: str
    links: list[str]


@cache
def _installed() -> tuple[Path | None, str]:
    """(the folder holding node_modules, "") when the renderer is ready; (None, why) when it cannot be had."""
    node, npm = shutil.which("node"), shutil.which("npm")
    if node is None or npm is None:
        return None, "node and npm are needed for Microsoft's Adaptive Cards renderer and were not found"
    CACHE.mkdir(parents=True, exist_ok=True)
    lock = (SOURCE / "package-lock.json").read_text(encoding="utf-8")
    with open(CACHE / ".install.lock", "w") as guard:  # several test sessions may share the cache
        fcntl.flock(guard, fcntl.LOCK_EX)
        ready = CACHE / "node_modules" / ".installed-lock.json"
        if ready.exists() and ready.read_text(encoding="utf-8") == lock:
            return CACHE, ""
        for name in ("package.json", "package-lock.json"):
            shutil.copy(SOURCE / name, CACHE / name)
        try:
            done = subprocess.run(
                [npm, "ci", *NPM_OPTIONS],
                cwd=CACHE,
                capture_output=True,
                text=True,
                timeout=INSTALL_TIMEOUT,
            )
        except (OSError, subprocess.TimeoutExpired) as exc:
            return None, f"npm ci of the Adaptive Cards renderer failed: {type(exc).__name__}"
        if done.returncode != 0:
            said = [line for line in done.stderr.splitlines() if "code" in line or "network" in line.lower()]
            first = (said or done.stderr.strip().splitlines() or ["no output"])[0]
            return None, f"npm ci of the Adaptive Cards renderer failed (no network?): {first[:200]}"
        ready.write_text(lock, encoding="utf-8")
    return CACHE, ""


def renderer_or_skip() -> Path:
    folder, why = _installed()
    if folder is None:
        pytest.skip(why)
    return folder


def render(cards: list[dict]) -> list[Rendered]:
    """Each card (and each card an Action.ShowCard holds) rendered by the JS renderer, in that order."""
    folder = renderer_or_skip()
    script = SOURCE / "render.js"
    done = subprocess.run(
        ["node", str(script)],
        input=json.dumps(cards, ensure_ascii=False),
        capture_output=True,
        text=True,
        timeout=300,
        env={"NODE_PATH": str(folder / "node_modules"), "PATH": os.environ.get("PATH", "")},
    )
    assert done.returncode == 0, done.stderr[-2000:]
    return [Rendered(**entry) for entry in json.loads(done.stdout)]


def with_nested(cards: list[dict]) -> list[dict]:
    """The cards and, after each, the cards its Action.ShowCard buttons open (a step's skip form)."""
    out: list[dict] = []
    for card in cards:
        out.append(card)
        out.extend(_shown(card))
    return out


def _shown(node) -> list[dict]:
    if isinstance(node, dict):
        own = [node["card"]] if node.get("type") == "Action.ShowCard" else []
        return own + [c for value in node.values() for c in _shown(value)]
    if isinstance(node, list):
        return [c for value in node for c in _shown(value)]
    return []
