"""The core stays platform-neutral: bot/ never imports a chat SDK or an adapter (import-linter contract)."""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def lint_imports() -> int:
    """import-linter in its own process: its CLI reconfigures logging for the whole interpreter."""
    code = "import sys; from importlinter.cli import lint_imports; sys.exit(lint_imports(config_filename=sys.argv[1]))"
    return subprocess.run(
        [sys.executable, "-c", code, str(ROOT / "pyproject.toml")], capture_output=True
    ).returncode


def test_import_contract_holds() -> None:
    assert lint_imports() == 0


def test_contract_would_catch_a_violation(tmp_path, monkeypatch) -> None:
    """The contract is not vacuous: a core module importing slack_sdk breaks it."""
    offender = ROOT / "bot" / "_contract_probe.py"
    offender.write_text("import slack_sdk  # noqa\n", encoding="utf-8")
    try:
        assert lint_imports() == 1
    finally:
        offender.unlink()


def test_no_module_in_bot_mentions_a_platform_sdk() -> None:
    forbidden = ("slack_sdk", "slack_bolt", "microsoft_agents", "adapters")
    for path in (ROOT / "bot").rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            names = []
            if isinstance(node, ast.Import):
                names = [a.name for a in node.names]
            elif isinstance(node, ast.ImportFrom) and node.module:
                names = [node.module]
            assert not any(n.split(".")[0] in forbidden for n in names), f"{path} imports {names}"
