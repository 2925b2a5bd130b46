"""Beyond Japan: the other regulators a Japanese company answers to, each on its own clock (issue 20).

Each regime is data: one file per jurisdiction under ``bot/regimes/rules/<code>.yaml`` (schema.py says what
it holds: who is told, the conditions that decide it, the clock, the citation, the questions that decide it
and the headings of its forms). Adding a regime is adding a file and its tests; JP stays bot.appi's.

The API (pure; no I/O beyond reading the shipped files once):

- ``RegimeFacts`` (facts.py): the input. The APPI's fields (bot.appi.AssessmentInput) plus ``aware_at``
  (an aware instant; required for any jurisdiction but JP), ``jurisdictions`` (codes, default ``("JP",)``),
  ``assessed_at`` (SG: when the leak was determined notifiable) and the judgements only other laws ask for
  (``risk``, ``high_risk``, ``significant_harm``, ``serious_harm``: ``None`` until the team answers, which
  keeps the result undetermined, never "not reportable"), and the data flags ``unauthorized_access``,
  ``unique_identifiers``, ``internal_only``, ``recovered`` (unticked: no). ``authorities`` names an
  authority other than the default (the EU lead supervisory authority). ``RegimeFacts.from_facts(facts,
  aware_at=..., jurisdictions=..., **answers)`` maps what bot.domain.facts.Facts already holds (counts,
  sensitive, encrypted, processor, the unauthorized-access cause) and takes the rest as ``answers``.
- ``assess_regimes(facts) -> tuple[RegimeResult, ...]`` (engine.py): one result per jurisdiction, in order.
  ``RegimeResult``: ``reportable`` (True/False/None), ``authority(lang)``, ``authority_due`` (JST instant
  or None; also while undetermined when the clock runs from awareness: ``provisional``), ``local(instant)``
  (the same instant in the authority's zone, e.g. Europe/Brussels), ``assessment_due`` (SG, AU),
  ``assessment_late``, ``notify_individuals``, ``individuals_due`` (an instant, KR) or
  ``individuals_promptly``, ``processor_notice``, ``grounds``, ``undetermined`` (the facts to ask for:
  the keys of ``regime.questions``), ``appi`` (JP: bot.appi's Assessment, unchanged) and ``regime``.
- ``regimes()`` (loader.py): the loaded files by code; ``regime.questions[fact]`` (ja/en) is the question
  a form asks for a fact, ``regime.forms.authority`` / ``.individuals`` the headings of its drafts,
  ``regime.name``, ``regime.basis``, ``regime.sources``.

For reminders: each instant in a RegimeResult is a deadline to plan (authority_due, individuals_due, and the
end of assessment_due in the regime's zone); "promptly" has no instant, as the APPI's 本人通知.
"""

from bot.regimes.engine import RegimeResult, assess_regimes
from bot.regimes.facts import RegimeFacts
from bot.regimes.loader import RegimeError, regimes

__all__ = ["RegimeError", "RegimeFacts", "RegimeResult", "assess_regimes", "regimes"]
