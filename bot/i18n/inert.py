"""User text made inert for every rendering (drafts, canvas, messages, cards), before each format's escaping.

What a person typed may carry characters that hide or reorder what a reader sees, and addresses that a
linkifier turns into a link (Slack, Teams, a canvas and GFM all autolink ``https://…``, ``www.…``; Slack even
``example.md``). ``inert`` keeps every visible word and its meaning, and takes away those two effects:

- invisible format characters (zero-width space and joiners, word joiner, BOM, soft hyphen, tag characters,
  Hangul fillers, other control characters) are removed;
- bidirectional controls (U+202A–U+202E, U+2066–U+2069, U+200E, U+200F, U+061C) are shown as ``[U+202E]``:
  the text reads in its real order and the reader sees that someone put a control there;
- URLs and host names are defanged as security teams write them: ``hxxps://evil[.]example/x``,
  ``www[.]evil[.]example``, ``README[.]md``. No linkifier takes them, a reader still reads the address.
  An e-mail address stays as typed: its link only opens a mail to it, and a draft's enquiry desk must work.

Format-independent; each renderer then escapes for its own format (``[`` and ``]`` are literal in all of them).
Idempotent: inert text passes through unchanged.
"""

from __future__ import annotations

import re
import unicodedata

BIDI_CONTROLS = frozenset("\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069\u200e\u200f\u061c")
# Invisible but not of category Cf: combining grapheme joiner, Hangul fillers (blank "names" in spoofing).
_INVISIBLE_OTHERS = frozenset("\u034f\u115f\u1160\u3164\uffa0")
_KEPT_CONTROLS = frozenset("\t\n\r")
_LINE_SEPARATORS = str.maketrans({"\u2028": "\n", "\u2029": "\n", "\u0085": "\n"})

# Whatever goes before "://" (a scheme: http, https, ftp, file, smb, …; or a word that ends in one).
_SCHEME = re.compile(r"([A-Za-z0-9+.-]*)://")
# A host name: ASCII labels joined by dots, the last one (the top-level domain) starting with a letter.
# Neither a word nor a dotted part goes on before or after it, so "v1.2", "ver.2" and "e.g." are not hosts;
# nor an "@": an e-mail address stays as it is (a mail link fetches nothing, and a draft's desk must work).
_HOST = re.compile(
    r"(?<![A-Za-z0-9_.@-])"
    r"(?:[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?\.)+"
    r"[A-Za-z][A-Za-z0-9-]*[A-Za-z0-9]"
    r"(?![A-Za-z0-9_@-]|\.[A-Za-z0-9])"
)
_DEFANGED_SCHEMES = {"https": "hxxps", "http": "hxxp", "ftps": "fxps", "ftp": "fxp"}  # longest first


def _char(ch: str) -> str:
    if ch in BIDI_CONTROLS:
        return f"[U+{ord(ch):04X}]"
    if ch in _KEPT_CONTROLS:
        return ch
    if ch in _INVISIBLE_OTHERS or unicodedata.category(ch) in ("Cf", "Cc"):
        return ""
    return ch


def visible(text: str) -> str:
    """Only characters a reader sees: invisible ones removed, bidirectional controls shown as [U+XXXX]."""
    text = text.translate(_LINE_SEPARATORS)
    if text.isascii() and text.isprintable():
        return text
    return "".join(_char(ch) for ch in text)


def _scheme(match: re.Match[str]) -> str:
    word = match.group(1)
    for scheme, defanged in _DEFANGED_SCHEMES.items():
        if word.lower().endswith(defanged):  # already defanged
            return match.group(0)
        if word.lower().endswith(scheme):  # keep the writer's case: HTTPS → HXXPS
            head, tail = word[: -len(scheme)], word[-len(scheme) :]
            return (
                head
                + "".join(d.upper() if s.isupper() else d for s, d in zip(tail, defanged, strict=True))
                + "://"
            )
    return f"{word}[:]//"


def defang(text: str) -> str:
    """Addresses that read as addresses and link nowhere: hxxps://evil[.]example, www[.]x[.]jp."""
    text = _SCHEME.sub(_scheme, text)
    return _HOST.sub(lambda m: m.group(0).replace(".", "[.]"), text)


def inert(text: str) -> str:
    """User text that can neither hide nor link (see the module's doc). Invisible characters go first, so
    one inside an address (``https\\u200b://``) cannot shield it from defanging."""
    return defang(visible(text))
