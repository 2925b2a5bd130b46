"""Which reports look like an open incident (bot.domain.lookalike): the same message retold is, another leak
is not, whatever the words share, and only within the window."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from bot.domain.facts import DataItem, Facts
from bot.domain.lookalike import Candidate, most_alike, wording
from bot.domain.vocabulary import Cause

AT = datetime(2026, 12, 1, 1, 0, tzinfo=UTC)
MAIL = "営業部から顧客リストが添付されたメールが全社員に誤送信されました"


def open_incident(summary: str = MAIL, minutes_ago: int = 5, **facts) -> Candidate:
    return Candidate("LEAK-2026-0001", Facts(summary=summary, **facts), AT - timedelta(minutes=minutes_ago))


@pytest.mark.parametrize(
    "told",
    [
        MAIL + "。至急確認してください",
        "さきほど営業部から顧客リストが添付されたメールが全社員に誤送信されました（私にも届きました）",
        "ＭＡＩＬ：営業部から顧客リストが添付されたメールが、全社員に誤送信されました！",  # full width, marks
    ],
)
def test_the_same_message_retold_looks_alike(told: str) -> None:
    found = most_alike(Facts(summary=told), AT, [open_incident()])
    assert found is not None and found.reference == "LEAK-2026-0001" and found.score >= 0.6


def test_looser_words_look_alike_only_with_the_same_cause_or_data() -> None:
    told = "顧客リスト付きのメールが全社員宛に誤送信されています"
    assert 0.4 <= wording(MAIL, told) < 0.6
    assert most_alike(Facts(summary=told), AT, [open_incident()]) is None
    same_cause = Facts(summary=told, cause=Cause.MISDELIVERY)
    found = most_alike(same_cause, AT, [open_incident(cause=Cause.MISDELIVERY)])
    assert found is not None and found.signals == ("cause",)
    same_data = Facts(summary=told, data_items=(DataItem.EMAIL,))
    found = most_alike(same_data, AT, [open_incident(data_items=(DataItem.EMAIL, DataItem.NAME))])
    assert found is not None and found.signals == ("data_items",)


@pytest.mark.parametrize(
    "other",
    ["ノートPCを電車に置き忘れました", "不正アクセスの疑い：サーバーのログに不審なログイン", "漏えい", ""],
)
def test_another_leak_or_too_few_words_does_not(other: str) -> None:
    assert most_alike(Facts(summary=other), AT, [open_incident()]) is None


def test_two_different_known_causes_are_two_incidents_however_alike_the_words() -> None:
    report = Facts(summary=MAIL, cause=Cause.UNAUTHORIZED_ACCESS)
    assert most_alike(report, AT, [open_incident(cause=Cause.MISDELIVERY)]) is None


def test_only_incidents_reported_within_the_window_are_compared() -> None:
    assert most_alike(Facts(summary=MAIL), AT, [open_incident(minutes_ago=121)]) is None
    assert most_alike(Facts(summary=MAIL), AT, [open_incident(minutes_ago=119)]) is not None


def test_the_most_alike_wins_and_the_earliest_among_equals() -> None:
    first = Candidate("LEAK-2026-0001", Facts(summary=MAIL), AT - timedelta(minutes=9))
    second = Candidate("LEAK-2026-0002", Facts(summary=MAIL), AT - timedelta(minutes=8))
    loose = Candidate("LEAK-2026-0003", Facts(summary=MAIL + "。添付を開いてしまいました"), AT)
    found = most_alike(Facts(summary=MAIL), AT, [loose, first, second])
    assert found is not None and found.reference == "LEAK-2026-0001"
