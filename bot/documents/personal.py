"""Whether a team's free text may name a person: public texts (the notice, the announcement, the enquiry script)
never copy such text. A heuristic that errs on the side of not copying; the team always reviews the rest."""

from __future__ import annotations

import re
from collections.abc import Iterable

_PATTERNS = (
    re.compile(r"[^\s@]+@[^\s@]+\.[^\s@]+"),  # an e-mail address
    re.compile(r"(?<!\d)0\d{1,4}[-‐－ ]?\d{1,4}[-‐－ ]?\d{3,4}(?!\d)"),  # a Japanese phone number
    re.compile(r"<@[A-Z0-9]+>|\b[UW][A-Z0-9]{8,}\b|\b29:[A-Za-z0-9_\-]+"),  # a Slack or Teams user id
    re.compile(r"\b(?:Mr|Mrs|Ms|Miss|Dr)\.?\s+[A-Z][a-z]+"),  # an English name with a title
    # a Japanese name with an honorific: 山田さん, 田中様, 鈴木氏, 佐藤部長 (not お客様, 皆様, 各位)
    re.compile(
        r"[一-龥々ァ-ヶー]{1,6}(?:さん|さま|様|氏|君|くん|ちゃん|部長|課長|係長|主任|社長|専務|常務|先生)"
    ),
)
# Words that end like a name with an honorific but name nobody.
_NOT_NAMES = re.compile(
    r"(?:お客|客|皆|各|皆々|御|奥|お子|ご本人|本人|ご家族|家族|担当者?|関係者|会員|利用者)(?:様|さま)"
)


def may_name_a_person(text: str, known_names: Iterable[str] = ()) -> bool:
    """True when ``text`` holds an address, a number, an id or a name-like phrase, or a known person's name."""
    if not text:
        return False
    if any(name and len(name) >= 2 and name in text for name in known_names):
        return True
    cleaned = _NOT_NAMES.sub("", text)
    return any(pattern.search(cleaned) for pattern in _PATTERNS)


_JAPANESE = re.compile(r"[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uff66-\uff9f]")


def is_japanese(text: str) -> bool:
    """Text written (at least partly) in Japanese: in an English draft it is flagged as untranslated."""
    return bool(_JAPANESE.search(text))
