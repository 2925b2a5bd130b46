"""Text for Teams: Adaptive Card TextBlocks (and message text) render a small subset of Markdown: bold, italics,
bulleted and numbered lists, links. There are no backslash escapes in it (a backslash shows as it is), no
headings and no code.

So a person's words are *neutralized*, never backslash-escaped: the few characters that could make emphasis,
a link, code or markup are replaced by their full-width look-alikes (``*`` → ``＊``, ``[`` → ``［``, ``<`` →
``＜`` …), and a line that would open a list or a quote gets a full-width marker. Ordinary words (a reference
such as LEAK-2026-0001, a date with its weekday in brackets, an e-mail address) read exactly as typed.
"""

from __future__ import annotations

import re
import unicodedata

from bot.i18n.inert import inert

_LOOKALIKE = str.maketrans({"*": "＊", "[": "［", "]": "］", "`": "｀", "<": "＜", ">": "＞", "~": "～"})
_UNDERSCORE = re.compile(r"(?<![0-9A-Za-z])_|_(?![0-9A-Za-z])")  # snake_case and mail_names stay as typed
_LIST = re.compile(r"(?m)^(\s*)(?:([-+#])(?=\s|$)|(\d{1,9})([.)])(?=\s|$))")
_CODE = re.compile(r"`([^`\n]+)`")
_JAPANESE = re.compile(r"[\u3040-\u30ff\u4e00-\u9fff]")
_FULL_WIDTH = {"-": "－", "+": "＋", "#": "＃", ".": "．", ")": "）"}


def _quoted(match: re.Match[str]) -> str:
    japanese = _JAPANESE.search(match.string)
    return f"「{match.group(1)}」" if japanese else f"“{match.group(1)}”"


def _marker(match: re.Match[str]) -> str:
    lead, sign, number, dot = match.groups()
    return lead + (_FULL_WIDTH[sign] if sign else number + _FULL_WIDTH[dot])


def neutral(text: str, limit: int = 3000) -> str:
    """``text`` as words only: no emphasis, link, list, quote, code or markup can be forged from it. A
    `command` (the catalog writes commands as code, which a TextBlock does not show) is quoted instead:
    「leak status」 in Japanese, “leak status” in English."""
    text = _CODE.sub(_quoted, inert(text)[:limit])
    text = _UNDERSCORE.sub("＿", text.translate(_LOOKALIKE))
    return _LIST.sub(_marker, text)


def _punctuation(char: str) -> bool:
    return unicodedata.category(char)[0] in "PS"


def strong(text: str) -> str:
    """``text`` in bold, line by line, so that it renders bold whatever stands beside it.

    CommonMark (and Teams) opens ``**`` before punctuation, or closes it after punctuation, only next to a
    space or another punctuation mark, which Japanese text seldom has (``は**「確認」**です``, ``**【訓練】**LEAK``
    show their asterisks). Punctuation and symbols at either end therefore stay outside the markers:
    ``は「**確認**」です``."""
    return "\n".join(_strong_line(line) for line in text.split("\n"))


def _strong_line(line: str) -> str:
    start, end = 0, len(line)
    while start < end and (line[start].isspace() or _punctuation(line[start])):
        start += 1
    while end > start and (line[end - 1].isspace() or _punctuation(line[end - 1])):
        end -= 1
    if start == end:
        return line
    return f"{line[:start]}**{line[start:end]}**{line[end:]}"
