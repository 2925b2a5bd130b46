"""`leakbot serve` as an operator starts it: real settings, /healthz answers; no signing secret, no start;
a bot token without the manifest's scopes, no start (the missing scopes named in one line)."""

from __future__ import annotations

import asyncio
import os
import shutil
import socket
import subprocess
import sys
import threading
import time
import urllib.request
from pathlib import Path

import pytest

from adapters.fakes.slack.server import TOKEN, FakeSlack
from adapters.slack.scopes import requested_scopes
from tests.conftest import ORG_YAML

pytestmark = pytest.mark.slow  # CI runs it (LEAKBOT_SLOW_TESTS=1); see tests/conftest.py

ROOT = Path(__file__).resolve().parents[1]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def leakbot_argv(args: list[str]) -> list[str]:
    code = "import sys; from adapters.cli.main import main; main(sys.argv[1:])"
    return [sys.executable, "-c", code, *args]


def leakbot(args: list[str], env: dict[str, str], **kw) -> subprocess.Popen:
    return subprocess.Popen(leakbot_argv(args), env=env, cwd=ROOT, **kw)


def base_env(tmp_path: Path) -> dict[str, str]:
    config = tmp_path / "org.yaml"
    config.write_text(ORG_YAML, encoding="utf-8")
    env = {k: v for k, v in os.environ.items() if not k.startswith(("SLACK_", "LEAKBOT_", "MICROSOFT_"))}
    return env | {
        "LEAKBOT_DATA_KEY": os.environ["LEAKBOT_DATA_KEY"],  # the test key (tests/conftest.py)
        "DATABASE_URL": f"sqlite+aiosqlite:///{tmp_path / 'serve.db'}",
        "LEAKBOT_CONFIG": str(config),
    }


def test_serve_starts_and_answers_healthz(tmp_path) -> None:
    env = base_env(tmp_path)
    assert leakbot(["db", "upgrade"], env).wait(timeout=60) == 0
    port = free_port()
    env |= {
        "SLACK_BOT_TOKEN": "xoxb-real-looking",
        "SLACK_SIGNING_SECRET": "s3cret",
        "LEAKBOT_PORT": str(port),
        "LEAKBOT_HOST": "127.0.0.1",
        "LEAKBOT_SLACK_API_URL": "http://127.0.0.1:9/api/",
    }
    server = leakbot(["serve"], env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    try:
        deadline = time.time() + 30
        while True:
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=2) as response:
                    assert response.status == 200
                    break
            except OSError:
                assert server.poll() is None, server.stdout.read().decode() if server.stdout else ""
                assert time.time() < deadline, "serve did not answer /healthz"
                time.sleep(0.2)
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/metrics", timeout=2) as response:
            assert b"leakbot_requests" in response.read()
    finally:
        server.terminate()
        server.wait(timeout=10)


def test_serve_refuses_to_start_without_a_signing_secret(tmp_path) -> None:
    env = base_env(tmp_path) | {"SLACK_BOT_TOKEN": "xoxb-real-looking"}
    process = leakbot(["serve"], env, stderr=subprocess.PIPE)
    _, err = process.communicate(timeout=30)
    assert process.returncode == 2
    assert b"SLACK_SIGNING_SECRET" in err and b"Traceback" not in err


def test_teams_refuses_to_start_anonymous_outside_dev_mode(tmp_path) -> None:
    env = base_env(tmp_path) | {"MICROSOFT_APP_ID": "00000000-0000-0000-0000-000000000001"}
    process = leakbot(["serve"], env, stderr=subprocess.PIPE)
    _, err = process.communicate(timeout=30)
    assert process.returncode == 2
    assert b"MICROSOFT_APP_PASSWORD" in err and b"LEAKBOT_TEAMS_DEV_MODE" in err and b"Traceback" not in err


# --- the bot token is checked at start against the manifest's scopes (auth.test, x-oauth-scopes) ------------


def run_until_listening(env: dict[str, str], within: float = 60.0) -> tuple[int | None, str]:
    """`leakbot serve` until it says it listens (None) or exits (its code); what it wrote to stderr."""
    process = leakbot(["serve"], env, stderr=subprocess.PIPE, text=True)
    assert process.stderr is not None
    lines: list[str] = []
    timer = threading.Timer(within, process.kill)  # a hung start fails the test instead of the suite
    timer.start()
    try:
        for line in process.stderr:
            lines.append(line)
            if "leakbot listening" in line:
                return None, "".join(lines)
        return process.wait(), "".join(lines)
    finally:
        timer.cancel()
        if process.poll() is None:
            process.terminate()
        process.wait(timeout=30)
        process.stderr.close()


async def serve_against(
    fake: FakeSlack, tmp_path: Path, migrated: Path, token: str = TOKEN, app_token: str | None = None
) -> tuple[int | None, str]:
    """Run `leakbot serve` against the fake workspace (served by this test's event loop while a thread
    waits for the process): (exit code, or None if it started and kept running; stderr)."""
    env = base_env(tmp_path)
    shutil.copy(migrated, tmp_path / "serve.db")  # what `leakbot db upgrade` makes, without a process
    env |= {
        "SLACK_BOT_TOKEN": token,
        "SLACK_SIGNING_SECRET": "s3cret",
        "LEAKBOT_PORT": str(free_port()),
        "LEAKBOT_HOST": "127.0.0.1",
        "LEAKBOT_SLACK_API_URL": fake.base_url,
    } | ({"SLACK_APP_TOKEN": app_token} if app_token else {})
    return await asyncio.to_thread(run_until_listening, env)


@pytest.fixture
async def fake_slack():
    fake = FakeSlack()
    await fake.start()
    yield fake
    await fake.stop()


async def test_serve_starts_when_the_token_has_every_scope_the_manifest_asks_for(
    fake_slack, tmp_path, sqlite_template
) -> None:
    code, err = await serve_against(fake_slack, tmp_path, sqlite_template)
    assert code is None, err
    assert fake_slack.calls_to("auth.test"), "the token was checked at start"
    assert "every scope the manifest asks for" in err


async def test_serve_names_the_missing_scopes_in_one_line(fake_slack, tmp_path, sqlite_template) -> None:
    fake_slack.scopes = [s for s in requested_scopes() if s not in ("im:write", "users:read.email")]
    code, err = await serve_against(fake_slack, tmp_path, sqlite_template)
    assert code == 2, err
    assert "Traceback" not in err
    [line] = [line for line in err.splitlines() if line.startswith("leakbot: error")]
    assert "im:write" in line and "users:read.email" in line and "chat:write" not in line


async def test_serve_refuses_a_token_slack_refuses(fake_slack, tmp_path, sqlite_template) -> None:
    code, err = await serve_against(fake_slack, tmp_path, sqlite_template, token="xoxb-revoked")
    assert code == 2, err
    assert "invalid_auth" in err and "xoxb-revoked" not in err and "Traceback" not in err


async def test_serve_refuses_a_socket_mode_token_slack_refuses(fake_slack, tmp_path, sqlite_template) -> None:
    code, err = await serve_against(fake_slack, tmp_path, sqlite_template, app_token=TOKEN)
    assert code == 2, err
    assert "SLACK_APP_TOKEN" in err and "not_allowed_token_type" in err and "Traceback" not in err
    assert TOKEN not in err
