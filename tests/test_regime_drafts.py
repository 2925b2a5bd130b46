"""The drafts for the laws beyond Japan (issue 20), in English whatever the org's language: goldens per draft
from fixed facts (the GDPR's, the UK GDPR's to the ICO, Korea's to the PIPC/KISA and its notice, Singapore's to
the PDPC and its notice, Australia's statement to the OAIC and its notice, Thailand's to the PDPC); each only
when its people are affected; unknowns read "Under investigation", unset org values [TO FILL IN: …].

Regenerate the goldens after an intended change:
``LEAKBOT_REGEN_GOLDENS=1 uv run pytest tests/test_regime_drafts.py``."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime

from bot.bootstrap import build_core
from bot.config.settings import CoreSettings
from bot.documents import bundle
from bot.documents.markdown import render_markdown
from bot.documents.regime_drafts import REGIME_FILE_NAMES
from bot.domain.facts import Facts
from bot.services.incidents import ReportRequest
from bot.services.ports import OPERATOR
from tests.test_cli_store import run
from tests.test_documents import FACTS, GOLDEN, ON, ORG_WITH_DOCUMENTS, REGEN, seed

REGIME_GOLDEN = GOLDEN / "regimes"
EVERYWHERE = ("JP", "EU", "UK", "KR", "SG", "AU", "TH")
ORG = (
    ORG_WITH_DOCUMENTS
    + """
regimes:
  eu:
    representative: EU Representative GmbH, Berlin
    dpo: {name: Hanako Sato (DPO), email: dpo@example.co.jp}
  uk:
    dpo: {name: Hanako Sato (DPO), email: dpo@example.co.jp}
"""
)
ANSWERS = {"risk": True, "high_risk": None, "significant_harm": True, "serious_harm": None}
ASSESSED = datetime(2026, 12, 1, 9, 0, tzinfo=UTC)  # 17:00 in Singapore on the day of awareness


def facts(jurisdictions: tuple[str, ...] = EVERYWHERE, **more: object) -> Facts:
    return Facts.model_validate(FACTS.model_dump() | {"jurisdictions": jurisdictions, **ANSWERS, **more})


async def regime_files(database_url: str, clock, jurisdictions=EVERYWHERE, file: bool = True, **more: object):
    """The regimes' files of a stored incident (``file``: the 速報 filed, then the count rises a day later)."""
    more = {"assessed_at": ASSESSED} | more
    core, ref = await seed(database_url, clock, facts(jurisdictions, **more), ORG, file=file)
    try:
        view = await core.incidents.get(ref, OPERATOR)
        files = bundle(view, core.org, "ja", on=ON, at=clock.now())
    finally:
        await core.close()
    return {name: docs for name, docs in files.items() if name in REGIME_FILE_NAMES}


async def test_goldens_of_every_regimes_drafts_in_english(clean_database, clock) -> None:
    files = await regime_files(clean_database, clock)
    assert (
        tuple(files)
        == REGIME_FILE_NAMES
        == (
            *(
                "eu-notification",
                "eu-communication",
                "breach-register",
                "uk-notification",
                "uk-communication",
            ),
            *("kr-notification", "kr-notice", "sg-notification", "sg-notice", "au-statement", "au-notice"),
            "th-notification",
        )
    ), "every law's drafts are in the bundle when its people are affected"
    for name, documents in files.items():
        assert all(d.lang == "en" for d in documents), f"{name}: in English whatever the org's language"
        path = REGIME_GOLDEN / f"{name}.md"
        text = render_markdown(documents)
        if REGEN:
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(text, encoding="utf-8")
        assert text == path.read_text(encoding="utf-8"), f"{path} differs (LEAKBOT_REGEN_GOLDENS=1 to update)"


async def test_each_laws_drafts_only_when_its_people_are_affected(clean_database, clock) -> None:
    files = await regime_files(clean_database, clock, ("JP", "KR", "TH"))
    assert tuple(files) == ("kr-notification", "kr-notice", "th-notification")


async def test_unknowns_read_under_investigation_and_unset_values_to_fill_in(clean_database, clock) -> None:
    """Korea's count not known yet, Singapore's harm not judged nor its assessment made: said as such, never
    guessed; the org config's empty Korean contact is a [TO FILL IN] naming where to set it."""
    unknown = {"persons": None, "persons_upper_bound": None, "cause": "misdelivery", "significant_harm": None}
    files = await regime_files(clean_database, clock, ("JP", "KR", "SG"), False, assessed_at=None, **unknown)
    report = render_markdown(files["kr-notification"]).replace("\\", "")
    assert "Under assessment (the number of people is not known yet)" in report
    assert "Number of data subjects**: Under investigation" in report
    assert "[TO FILL IN: the chief privacy officer (regimes[.]kr[.]dpo[.]name)]" in report
    assert "A Korean translation is needed before filing" in report
    pdpc = render_markdown(files["sg-notification"]).replace("\\", "")
    assert "Assessed as notifiable**: Under investigation" in pdpc
    assert "that moment is not recorded yet" in pdpc and "The assessment is due by 2026-12-31" in pdpc
    assert "Significant harm to an affected individual**: Under investigation" in pdpc
    assert (
        "Still under investigation (add when known): " in pdpc and "the significant-harm assessment" in pdpc
    )


def test_the_export_writes_each_laws_drafts(
    clean_database, org, clock, monkeypatch, capsys, tmp_path
) -> None:
    async def seeded() -> str:
        core = build_core(CoreSettings(DATABASE_URL=clean_database), clock=clock, org=org)
        try:
            request = ReportRequest("slack", "UREPORTER", "ja", clock.now(), facts(("JP", "UK", "KR", "SG")))
            return (await core.incidents.report(request)).incident.reference
        finally:
            await core.close()

    reference = asyncio.run(seeded())
    monkeypatch.setenv("DATABASE_URL", clean_database)
    for name in ("LEAKBOT_CONFIG", "LEAKBOT_CONFIG_YAML", "LEAKBOT_PLAYBOOKS_DIR"):
        monkeypatch.delenv(name, raising=False)
    code, _, err = run(["incidents", "export", reference, "-o", str(tmp_path)], capsys)
    assert code == 0, err
    for name in ("uk-notification", "uk-communication", "kr-notification", "kr-notice", "sg-notification"):
        assert (tmp_path / f"{name}.md").exists() and (tmp_path / f"{name}.docx").exists(), name
    assert not (tmp_path / "au-statement.md").exists() and not (tmp_path / "eu-notification.md").exists()
    notification = (tmp_path / "uk-notification.md").read_text(encoding="utf-8")
    assert "to the ICO (UK GDPR Art. 33)" in notification and "Europe/London" in notification
