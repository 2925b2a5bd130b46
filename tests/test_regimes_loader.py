"""Regimes are data: every shipped file loads, a broken one is refused naming file and field, and a new
jurisdiction is a new file (issue 20)."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.regimes import RegimeError, regimes
from bot.regimes.loader import load_regimes
from bot.regimes.schema import when_conditions

SHIPPED = Path(__file__).resolve().parents[1] / "bot/regimes/rules"

MINIMAL = """\
code: XX
name: {ja: テスト法, en: Test Act}
zone: Asia/Tokyo
basis: Test Act s.1
sources: [https://example.org/test-act]
authority:
  name: {ja: テスト委員会, en: Test Commission}
  when: {any: [risk, {persons_at_least: 100}]}
  clock: {hours: 48}
  basis: Test Act s.1
questions:
  risk: {ja: リスクはありますか, en: "Is there a risk?"}
forms:
  authority:
    - {ja: 概要, en: Summary}
"""


def test_every_regime_of_the_issue_ships_and_loads() -> None:
    assert set(regimes()) == {"JP", "EU", "UK", "KR", "SG", "AU", "TH"}
    for code, regime in regimes().items():
        assert regime.sources and all(s.startswith("https://") for s in regime.sources), code
        assert regime.forms.authority, code
        facts = (
            [c for c in when_conditions(regime.authority.when) if isinstance(c, str)]
            if regime.authority.when
            else []
        )
        assert all(f in regime.questions for f in facts), code


def test_adding_a_regime_is_adding_a_file(tmp_path: Path) -> None:
    for shipped in SHIPPED.glob("*.yaml"):
        (tmp_path / shipped.name).write_text(shipped.read_text("utf-8"), "utf-8")
    (tmp_path / "xx.yaml").write_text(MINIMAL, "utf-8")
    loaded = load_regimes(tmp_path)
    assert loaded["XX"].authority.name.en == "Test Commission" and len(loaded) == 8


@pytest.mark.parametrize(
    ("change", "expected"),
    [
        (
            ("when: {any: [risk, {persons_at_least: 100}]}", "when: {any: [risky]}"),
            "xx.yaml: authority.when: unknown fact 'risky'",
        ),
        (
            ("when: {any: [risk, {persons_at_least: 100}]}", "when: {any: [high_risk]}"),
            "xx.yaml: authority.when: fact 'high_risk' has no entry under questions",
        ),
        (("  clock: {hours: 48}\n", ""), "xx.yaml: authority.clock: required unless engine is appi"),
        (
            ("clock: {hours: 48}", "clock: {hours: 0}"),
            "xx.yaml: authority.clock.hours: Input should be greater than or equal to 1",
        ),
        (
            ("zone: Asia/Tokyo", "zone: Asia/Osaka"),
            "xx.yaml: zone: unknown time zone 'Asia/Osaka'",
        ),
        (("code: XX", "code: YY"), "xx.yaml: code: 'YY' does not match the file name (expected 'XX')"),
        (
            ("basis: Test Act s.1\nsources", "basis: Test Act s.1\ncolour: red\nsources"),
            "xx.yaml: colour: unknown key",
        ),
        (
            ("sources: [https://example.org/test-act]", "sources: [http://example.org]"),
            "xx.yaml: sources[0]: String should match pattern",
        ),
        (
            ("questions:", "questions:\n  colour: {ja: 色, en: Colour}"),
            "xx.yaml: questions.colour: unknown fact",
        ),
        (
            ("name: {ja: テスト法, en: Test Act}", "name: {ja: テスト法, en: Test Act, with a comma}"),
            "xx.yaml: name.",
        ),
        (  # a clock counted after the assessment: the form must be able to ask when it was made (SG)
            ("clock: {hours: 48}", "clock: {days_after_assessment: 3}"),
            "xx.yaml: questions.assessed_at: required by a clock counted after the assessment",
        ),
    ],
)
def test_a_broken_regime_file_is_refused_naming_the_file_and_the_field(
    tmp_path: Path, change: tuple[str, str], expected: str
) -> None:
    old, new = change
    assert old in MINIMAL
    (tmp_path / "xx.yaml").write_text(MINIMAL.replace(old, new), "utf-8")
    with pytest.raises(RegimeError) as raised:
        load_regimes(tmp_path, "rules")
    assert any(e.startswith(f"rules/{expected}") for e in raised.value.errors), raised.value.errors


def test_every_problem_is_reported_at_once(tmp_path: Path) -> None:
    (tmp_path / "xx.yaml").write_text(MINIMAL.replace("zone: Asia/Tokyo", "zone: Nowhere"), "utf-8")
    (tmp_path / "yy.yaml").write_text("code: [", "utf-8")
    with pytest.raises(RegimeError) as raised:
        load_regimes(tmp_path, "rules")
    assert [e.split(":")[0] for e in raised.value.errors] == ["rules/xx.yaml", "rules/yy.yaml"]
