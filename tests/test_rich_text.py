"""Neutral rich text from the catalog: bold from the template, values always text, spans kept."""

from __future__ import annotations

from bot.i18n.rich import Span, mention, rich, text_of


def test_bold_comes_from_the_template_and_values_stay_text() -> None:
    spans = rich("report.received_no_channel", "en", reference="LEAK-2026-0001")
    assert Span("LEAK-2026-0001", bold=True) in spans
    hostile = rich("change.corrected", "en", fields="**x** <!channel>", reason="<@U1>")
    assert all(s.kind == "text" for s in hostile)
    assert "**x** <!channel>" in text_of(hostile) and "<@U1>" in text_of(hostile)


def test_a_mention_placeholder_stays_a_mention() -> None:
    spans = rich("reminder.acked", "ja", who=mention("UEXEC", "山田"))
    assert Span("山田", "mention", target="UEXEC") in spans
