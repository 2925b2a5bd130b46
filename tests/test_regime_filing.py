"""The GDPR notification follows the Japanese drafts' rules (issue 20): marking it filed freezes it as it was
(a later facts change does not touch the filed copy) and files the EU deadline, whose reminders stop."""

from __future__ import annotations

from bot.documents.current import current
from bot.documents.snapshots import Filed
from bot.services.ports import OPERATOR
from tests.test_filed_documents import LEGAL, opened


async def test_filing_the_eu_notification_freezes_it_and_files_the_eu_deadline(core, clock) -> None:
    ref = await opened(core, clock, persons=120, jurisdictions=("JP", "EU"), risk=True)
    await core.incidents.set_document_status(ref, "eu-notification", "filed", LEGAL)
    view = await core.incidents.get(ref, OPERATOR)
    assert next(d for d in view.deadlines if d.key == "regime:EU:authority").status == "filed"
    await core.incidents.update_facts(ref, {"persons": 4000}, LEGAL)
    papers = await core.incidents.papers(ref, OPERATOR)
    files = current(papers.incident, core.org, "ja", filed=papers.filed, edits=papers.edits)
    (copy,) = files["eu-notification"]
    assert isinstance(copy, Filed) and copy.kind == "eu-notification"
    text = copy.markdown
    assert "120 people" in text and "4,000" not in text, "filed as it was"
    live = files["breach-register"][0]
    register = "\n".join(s.text for s in live.sections)
    assert "4,000" in register, "the register follows the facts"
    assert "Notified to the supervisory authority on" in register
