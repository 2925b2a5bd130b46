"""A bad organization config stops the start with the file, the field and what is wrong."""

from __future__ import annotations

import pytest

from bot.config.org import ConfigError, load_org_config, parse_org_config

GOOD = """
organization: {name: テスト株式会社, sector: banking}
roles: {commander: [U0COMMANDER, boss@example.co.jp], it: ["29:1a2b3c"], executives: [11111111-2222-3333-4444-555555555555]}
"""


def test_a_good_config() -> None:
    config = parse_org_config(GOOD, "org.yaml")
    assert config.organization.sector == "banking" and config.language == "ja"
    assert config.members_of("commander") == ("U0COMMANDER", "boss@example.co.jp")


def test_the_shipped_example_is_valid(tmp_path) -> None:
    from pathlib import Path

    assert load_org_config(Path(__file__).resolve().parents[1] / "examples" / "leakbot.yaml").roles


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("organization: {name: x}\nroles: {it: [U0IT]}", "roles: Value error, at least one commander"),
        (
            "organization: {name: x}\nroles: {commander: [not an id]}",
            "roles.commander.0: String should match",
        ),
        (
            "organization: {name: x, sector: casino}\nroles: {commander: [U0C]}",
            "organization.sector: Value error, unknown sector 'casino'",
        ),
        (
            "organization: {name: x}\nroles: {commander: [U0C]}\ncolour: red",
            "colour: Extra inputs are not permitted",
        ),
        (
            "organization: {name: x, timezone: Mars/Olympus}\nroles: {commander: [U0C]}",
            "organization.timezone",
        ),
        ("organization: {name: x}\nroles: {janitor: [U0C]}", "roles.janitor"),
        ("organization: [", "not valid YAML"),
        ("- a list", "(top level): expected a mapping"),
    ],
)
def test_bad_configs_name_the_file_and_the_field(text: str, expected: str) -> None:
    with pytest.raises(ConfigError) as refused:
        parse_org_config(text, "/etc/leakbot/org.yaml")
    assert str(refused.value).startswith("/etc/leakbot/org.yaml: ")
    assert expected in str(refused.value)


def test_cli_reports_a_bad_config_in_one_line(tmp_path, monkeypatch, capsys) -> None:
    from adapters.cli.main import main

    config = tmp_path / "org.yaml"
    config.write_text("organization: {name: x}\nroles: {it: [U0IT]}\n", encoding="utf-8")
    monkeypatch.setenv("LEAKBOT_CONFIG", str(config))
    monkeypatch.setenv("DATABASE_URL", f"sqlite+aiosqlite:///{tmp_path / 'x.db'}")
    with pytest.raises(SystemExit) as exit_info:
        main(["incidents", "list"])
    err = capsys.readouterr().err
    assert exit_info.value.code == 2 and err.count("\n") == 1 and str(config) in err and "commander" in err
