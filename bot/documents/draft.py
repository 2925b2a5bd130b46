"""The draft every document builder writes with: the shared markers and law (``_common``), the facts in words
(``_facts``) and the team's record (``_record``)."""

from __future__ import annotations

from bot.documents._facts import FactsWords
from bot.documents._record import RecordWords


class Draft(FactsWords, RecordWords):
    """``Draft(view, org, lang, on, events=…, names=…)``; ``public=True`` for texts the people affected or the
    public read (the notice, the announcement, the enquiry script)."""
