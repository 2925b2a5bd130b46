"""User text can neither link nor hide (bot.i18n.inert): addresses are defanged (hxxps://evil[.]example), invisible
characters removed, bidirectional controls shown as [U+XXXX]; every other word reads as typed. The end-to-end
tests (the canvas, the export, a Slack message, a Teams card) use ``EVIL`` and ``assert_inert`` from here."""

from __future__ import annotations

import re
import unicodedata

from hypothesis import given
from hypothesis import strategies as st

from bot.i18n.inert import BIDI_CONTROLS, inert

EVIL = "see https://evil.example/login or www.evil.example \u202egnp.exe \u200b"
HIDDEN = re.compile("[\u202a-\u202e\u2066-\u2069\u200e\u200f\u061c\u200b-\u200d\u2060\ufeff\u00ad]")
LINKABLE = re.compile(r"(?i)(?:https?|ftp)://|www\.|evil\.example")


def assert_inert(text: str) -> None:
    """``EVIL`` as rendered: no address a linkifier takes, no invisible or reordering character, and the
    address still reads (format escapes such as ``\\[`` aside)."""
    assert not HIDDEN.search(text), f"an invisible or bidi character: {HIDDEN.search(text)!r}"
    assert not LINKABLE.search(text), f"a clickable address: {LINKABLE.search(text)!r}"
    shown = text.replace("\\", "").translate({ord("［"): "[", ord("］"): "]"})  # escaped or look-alike
    assert "hxxps://evil[.]example/login" in shown, "the URL still reads as the URL"
    assert "www[.]evil[.]example" in shown
    assert "[U+202E]gnp[.]exe" in shown, "the override is shown, the name reads in its real order"


def test_the_issue_fact_is_defanged_and_shows_its_bidi_control() -> None:
    assert inert(EVIL) == "see hxxps://evil[.]example/login or www[.]evil[.]example [U+202E]gnp[.]exe "
    assert_inert(inert(EVIL))


def test_addresses_of_every_kind_link_nowhere() -> None:
    assert inert("HTTPS://Evil.Example/a?b=1") == "HXXPS://Evil[.]Example/a?b=1", "the writer's case kept"
    assert inert("ftp://files.example.jp") == "fxp://files[.]example[.]jp"
    assert inert("smb://fileserver.corp/share") == "smb[:]//fileserver[.]corp/share"
    assert inert("サイトevil.comにて") == "サイトevil[.]comにて", "no space needed before a host"
    assert inert("README.md") == "README[.]md", "Slack links a bare name with a real top-level domain"
    assert inert("参照先はhttp://x.example") == "参照先はhxxp://x[.]example", (
        "glued to a word, still defanged"
    )


def test_an_invisible_character_cannot_shield_an_address() -> None:
    assert inert("https\u200b://evil.example") == "hxxps://evil[.]example"
    assert inert("www\u2060.evil\u00ad.example") == "www[.]evil[.]example"


def test_ordinary_words_read_as_typed() -> None:
    assert inert("宛先 tanaka@other.example.co.jp に誤送信") == "宛先 tanaka@other.example.co.jp に誤送信"
    # a dotted local part is part of the address too (it was defanged: taro[.]yamada@…)
    assert inert("連絡先 taro.yamada@example.co.jp") == "連絡先 taro.yamada@example.co.jp"
    words = "LEAK-2026-0001 v1.2.3 ver.2 e.g. i.e. 1.5TB 192.168.0.1 Co.,Ltd. 顧客一覧.xlsx list_v2 3.14 No.5"
    assert inert(words) == words
    assert inert("一行目\n\t二行目") == "一行目\n\t二行目"
    assert inert("1行目\u2028２行目") == "1行目\n２行目", "a Unicode line separator is a line break"


def test_invisible_characters_go_and_bidi_controls_are_shown() -> None:
    assert inert("pay\u200bpal\u200c\u200d\u2060\ufeff") == "paypal"
    assert inert("\U000e0041\U000e0042tag\u3164") == "tag", "tag characters and Hangul fillers hide text"
    assert inert("\u2066a\u2069\u200e\u200f\u061c") == "[U+2066]a[U+2069][U+200E][U+200F][U+061C]"


@given(st.text())
def test_any_text_comes_out_visible_and_stays_as_it_is_when_made_inert_again(text: str) -> None:
    out = inert(text)
    assert inert(out) == out
    assert not any(ch in BIDI_CONTROLS for ch in out)
    assert all(ch in "\t\n\r" or unicodedata.category(ch) not in ("Cf", "Cc") for ch in out)
    assert "://" not in out.replace("hxxp://", "").replace("hxxps://", "").replace("fxp://", "").replace(
        "fxps://", ""
    )
