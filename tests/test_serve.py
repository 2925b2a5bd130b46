"""`leakbot serve` as an operator starts it: real settings, /healthz answers; no signing secret, no start."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

from tests.conftest import ORG_YAML

ROOT = Path(__file__).resolve().parents[1]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def leakbot(args: list[str], env: dict[str, str], **kw) -> subprocess.Popen:
    code = "import sys; from adapters.cli.main import main; main(sys.argv[1:])"
    return subprocess.Popen([sys.executable, "-c", code, *args], env=env, cwd=ROOT, **kw)


def base_env(tmp_path: Path) -> dict[str, str]:
    config = tmp_path / "org.yaml"
    config.write_text(ORG_YAML, encoding="utf-8")
    env = {k: v for k, v in os.environ.items() if not k.startswith(("SLACK_", "LEAKBOT_", "MICROSOFT_"))}
    return env | {
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
