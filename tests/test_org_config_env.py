"""The org config can come from LEAKBOT_CONFIG_YAML (the YAML itself) instead of a file: for containers and
platforms without a volume. Errors still name the source and the field."""

from __future__ import annotations

import subprocess
import time
import urllib.request

import pytest

from adapters.cli.main import main
from tests.conftest import ORG_YAML
from tests.test_serve import base_env, free_port, leakbot


def yaml_env(tmp_path, text: str) -> dict[str, str]:
    env = base_env(tmp_path)
    del env["LEAKBOT_CONFIG"]
    return env | {"LEAKBOT_CONFIG_YAML": text}


@pytest.mark.slow
def test_serve_starts_with_the_org_config_in_an_environment_variable(tmp_path) -> None:
    env = yaml_env(tmp_path, ORG_YAML)
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
    finally:
        server.terminate()
        server.wait(timeout=10)


@pytest.mark.slow
def test_serve_names_the_variable_and_the_field_of_a_bad_config(tmp_path) -> None:
    env = yaml_env(tmp_path, "organization: {name: x}\nroles: {it: [U0IT]}\n") | {
        "SLACK_BOT_TOKEN": "xoxb-real-looking",
        "SLACK_SIGNING_SECRET": "s3cret",
        "LEAKBOT_SLACK_API_URL": "http://127.0.0.1:9/api/",
    }
    process = leakbot(["serve"], env, stderr=subprocess.PIPE)
    _, err = process.communicate(timeout=60)
    assert process.returncode == 2
    assert b"LEAKBOT_CONFIG_YAML: roles" in err and b"commander" in err
    assert err.count(b"\n") == 1 and b"Traceback" not in err


@pytest.mark.parametrize(
    ("env", "expected"),
    [
        ({"LEAKBOT_CONFIG_YAML": "organization: [unclosed"}, "LEAKBOT_CONFIG_YAML: not valid YAML"),
        (
            {"LEAKBOT_CONFIG_YAML": "organization: {name: x, sector: bakery}\nroles: {commander: [U0C]}"},
            "LEAKBOT_CONFIG_YAML: organization.sector: Value error, unknown sector 'bakery'",
        ),
        ({"LEAKBOT_CONFIG_YAML": "  "}, "LEAKBOT_CONFIG_YAML: is empty"),
        ({"LEAKBOT_CONFIG_YAML": ORG_YAML, "LEAKBOT_CONFIG": "/etc/leakbot.yaml"}, "both set"),
    ],
)
def test_cli_errors_name_the_variable(env, expected, tmp_path, monkeypatch, capsys) -> None:
    monkeypatch.delenv("LEAKBOT_CONFIG", raising=False)
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    monkeypatch.setenv("DATABASE_URL", f"sqlite+aiosqlite:///{tmp_path / 'x.db'}")
    with pytest.raises(SystemExit) as exited:
        main(["incidents", "list"])
    err = capsys.readouterr().err
    assert exited.value.code == 2 and expected in err and err.count("\n") == 1
