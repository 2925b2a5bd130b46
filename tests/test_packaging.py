"""The wheel carries what leakbot needs besides code (playbooks, migrations, alembic.ini, the message catalog,
the Teams package) and finds it when run from the wheel, outside the checkout. The full check (pip install in
a clean virtualenv, db upgrade, playbook show, both demos) is .ci/check-wheel, run by .ci/run."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

pytestmark = pytest.mark.slow  # CI runs it (LEAKBOT_SLOW_TESTS=1); see tests/conftest.py

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="module")
def wheel(tmp_path_factory: pytest.TempPathFactory) -> Path:
    uv = shutil.which("uv")
    if uv is None:
        pytest.skip("uv is not on PATH: cannot build the wheel")
    out = tmp_path_factory.mktemp("dist")
    subprocess.run(
        [uv, "build", "--wheel", "--quiet", "--out-dir", str(out)], cwd=ROOT, check=True, timeout=300
    )
    (built,) = out.glob("leakbot-*.whl")
    return built


def test_the_wheel_carries_the_data_files(wheel: Path) -> None:
    names = set(zipfile.ZipFile(wheel).namelist())
    expected = {
        "bot/_shipped/alembic.ini",
        "bot/_shipped/migrations/env.py",
        "bot/_shipped/migrations/script.py.mako",
        "bot/i18n/messages.yaml",
        "adapters/teams/package/manifest.json",
        "adapters/teams/package/color.png",
        "adapters/slack/manifest.yml",
    }
    expected |= {f"bot/_shipped/playbooks/{p.name}" for p in (ROOT / "playbooks").glob("*.yaml")}
    expected |= {f"bot/regimes/rules/{p.name}" for p in (ROOT / "bot/regimes/rules").glob("*.yaml")}
    expected |= {
        f"bot/_shipped/migrations/versions/{p.name}" for p in (ROOT / "migrations/versions").glob("*.py")
    }
    assert expected - names == set()
    assert not any(name.startswith("tests/") for name in names)
    [metadata] = [name for name in names if name.endswith(".dist-info/METADATA")]
    assert "License-Expression: Apache-2.0" in zipfile.ZipFile(wheel).read(metadata).decode()
    assert metadata.replace("METADATA", "licenses/LICENSE") in names


def test_the_unpacked_wheel_runs_outside_the_checkout(wheel: Path, tmp_path: Path) -> None:
    """The wheel's own code finds its playbooks and migrations, from a directory that is not the checkout."""
    site = tmp_path / "site"
    zipfile.ZipFile(wheel).extractall(site)
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    env = {k: v for k, v in os.environ.items() if not k.startswith(("LEAKBOT_", "DATABASE_URL"))}
    env |= {"PYTHONPATH": str(site), "DATABASE_URL": "sqlite+aiosqlite:///./leakbot.db"}

    def leakbot(*argv: str) -> subprocess.CompletedProcess:
        code = "import sys; from adapters.cli.main import main; main(sys.argv[1:])"
        return subprocess.run(
            [sys.executable, "-c", code, *argv],
            cwd=elsewhere,
            env=env,
            capture_output=True,
            text=True,
            timeout=120,
        )

    where = subprocess.run(
        [
            sys.executable,
            "-c",
            "import bot.resources as r; print(r.shipped('playbooks'), r.shipped('migrations'))",
        ],
        cwd=elsewhere,
        env=env,
        capture_output=True,
        text=True,
        check=True,
    ).stdout.split()
    assert where == [str(site / "bot/_shipped/playbooks"), str(site / "bot/_shipped/migrations")]

    upgraded = leakbot("db", "upgrade")
    assert upgraded.returncode == 0 and (elsewhere / "leakbot.db").exists(), upgraded.stderr
    listed = leakbot("incidents", "list")
    assert listed.returncode == 0 and listed.stderr == "", listed.stderr
    shown = leakbot("playbook", "show", "--lang", "en")
    assert shown.returncode == 0 and "Personal-data leak response" in shown.stdout, shown.stderr
    assessed = subprocess.run(
        [
            sys.executable,
            "-c",
            "import sys; from adapters.cli.main import main; main(sys.argv[1:])",
            "assess",
        ],
        input='{"aware_at": "2026-12-01T10:00:00+09:00", "jurisdictions": ["JP", "EU", "SG"]}',
        cwd=elsewhere,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert assessed.returncode == 0, assessed.stderr
    assert [r["jurisdiction"] for r in json.loads(assessed.stdout)["regimes"]] == ["JP", "EU", "SG"]


def test_the_installed_demo_never_mentions_the_checkouts_shared_folder(wheel: Path, tmp_path: Path) -> None:
    """A user's installation has no ../shared: the demo run from the wheel, without LEAKBOT_SPECS_DIR, prints
    no warning about the specs (its closing line says which checks ran) and never names that folder."""
    site = tmp_path / "site"
    zipfile.ZipFile(wheel).extractall(site)
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    env = {k: v for k, v in os.environ.items() if not k.startswith(("LEAKBOT_", "DATABASE_URL"))}
    env |= {"PYTHONPATH": str(site), "TMPDIR": str(elsewhere)}
    code = "import sys; from adapters.cli.main import main; main(sys.argv[1:])"
    done = subprocess.run(
        [sys.executable, "-c", code, "demo", "--teams"],
        cwd=elsewhere,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert done.returncode == 0, done.stderr[-2000:]
    assert "cards refused: 0 (the Adaptive Card schema: LEAKBOT_SPECS_DIR)" in done.stdout
    assert "shared" not in done.stdout + done.stderr
    assert "Warning" not in done.stderr, done.stderr
    assert list(elsewhere.iterdir()) == [], "the demo leaves nothing behind"
