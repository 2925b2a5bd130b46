"""The law's words for one incident: which article and rule its reports, notices and grounds rest on, and what
the data is called, for a business (個人情報保護法26条・規則7条), a public body (68条・規則43条) and My Number data
(番号法29条の4・特定個人情報漏えい等報告規則). Platform-neutral; the summary, the reminders and the drafts use it."""

from __future__ import annotations

from bot.domain.views import AssessmentView
from bot.i18n import t


def regime(assessment: AssessmentView) -> str:
    """Which law the report is made under: my_number when the My Number rule decides, else the APPI's
    business or public_body."""
    return "my_number" if assessment.my_number else assessment.entity


def appi_regime(assessment: AssessmentView) -> str:
    return "public_body" if assessment.public_body else "business"


def ground_text(ground: str, assessment: AssessmentView, lang: str) -> str:
    if ground.startswith("my_number_"):
        return t(f"ground.{ground}", lang)
    return t(f"ground.{appi_regime(assessment)}.{ground}", lang)


def grounds_text(assessment: AssessmentView, lang: str) -> list[str]:
    return [ground_text(g, assessment, lang) for g in assessment.grounds]


def report_basis(assessment: AssessmentView, lang: str) -> str:
    """The articles the report rests on: the APPI's, and the My Number rule's when it decides too."""
    bases = []
    if any(not g.startswith("my_number_") for g in (*assessment.grounds, *assessment.undetermined)):
        bases.append(t(f"law.basis.{appi_regime(assessment)}", lang))
    if assessment.my_number:
        bases.append(t("law.basis.my_number", lang))
    return ("；" if lang == "ja" else "; ").join(bases or [t(f"law.basis.{appi_regime(assessment)}", lang)])


def notice_basis(assessment: AssessmentView, lang: str) -> str:
    return t(f"law.notice.{regime(assessment)}", lang)


def processor_basis(assessment: AssessmentView, lang: str) -> str:
    return t("law.processor.my_number" if assessment.my_number else "law.processor.business", lang)


def data_term(assessment: AssessmentView, lang: str) -> str:
    """個人データ, 保有個人情報 or 特定個人情報: what the rule calls the data."""
    return t(f"law.data.{regime(assessment)}", lang)


def undetermined_ground(assessment: AssessmentView, lang: str) -> str:
    """The ground an unknown count leaves open, in the rule's words (the lowest threshold that could apply)."""
    key = "my_number_headcount" if "my_number_headcount" in assessment.undetermined else "headcount"
    return ground_text(key, assessment, lang)
