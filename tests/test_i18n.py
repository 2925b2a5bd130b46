"""The message catalog: every message in both languages with the same placeholders."""

from __future__ import annotations

from bot.domain.origin import ReportSource
from bot.domain.vocabulary import Cause, DeadlineKind, Role
from bot.i18n import catalog, language_for, placeholders, t
from bot.playbook.engine import StepStatus


def test_every_message_has_both_languages_and_the_same_placeholders() -> None:
    for key, entry in catalog().items():
        assert set(entry) == {"ja", "en"}, key
        assert placeholders(entry["ja"]) == placeholders(entry["en"]), key


def test_every_vocabulary_value_has_a_label() -> None:
    keys = catalog().keys()
    for prefix, values in (
        ("role", Role),
        ("cause", Cause),
        ("status", StepStatus),
        ("deadline", DeadlineKind),
        ("import.source", ReportSource),
    ):
        for value in values:
            assert f"{prefix}.{value}" in keys


def test_language_choice() -> None:
    assert language_for("en-US") == "en"
    assert language_for("ja-JP") == "ja"
    assert language_for(None) == "ja"
    assert t("ground.business.headcount", "en") == "More than 1,000 people (Rule 7(iv))"
