"""The facts in words, saying no more than the facts: the data items as they leaked, the cause in the team's
words (suspected while not confirmed), counts, and the advice a person can act on. Free text the team wrote is
copied into a public text only when it names nobody, and the team is asked to review it before publishing."""

from __future__ import annotations

from bot.documents._common import DraftBase, format_datetime
from bot.documents.personal import is_japanese, may_name_a_person
from bot.domain.facts import DataItem
from bot.domain.vocabulary import LEGACY_CAUSES, Cause

# What the advice says for each item; the generic lines (beware of phishing, contact the desk) always follow.
ADVICE = (
    (DataItem.CARD, "doc.advice.card"),
    (DataItem.BANK, "doc.advice.bank"),
    (DataItem.CREDENTIALS, "doc.advice.credentials"),
)


class FactsWords(DraftBase):
    # --- free text -------------------------------------------------------------------------------------------
    def free(self, value: str, item_key: str) -> str:
        """A fact the team wrote in its own words. Unknown → 「調査中」. In a public text, a text that may name a
        person is not copied (the team writes a public wording instead) and any copied one is to be reviewed.
        In an English draft, Japanese text is flagged as untranslated."""
        item = self.t(item_key)
        if not value:
            return self.unknown(item)
        if self.public and may_name_a_person(value, self.names.values()):
            self.warn("doc.warn.personal", item=item)
            return self.t("doc.placeholder", what=self.t("doc.fill.public_wording", item=item))
        if self.public:
            self.warn("doc.warn.review_free_text")
        if self.lang == "en" and is_japanese(value):
            if item not in self.untranslated:
                self.untranslated.append(item)
            return self.t("doc.untranslated", text=value)
        return value

    def summary(self) -> str:
        return self.free(self.facts.summary, "doc.item.summary")

    def discovered_how(self) -> str:
        return self.free(self.facts.discovered_how, "doc.item.discovered_how")

    def discovered_by(self) -> str:
        return self.free(self.facts.discovered_by, "doc.item.discovered_by")

    def secondary_damage(self) -> str:
        return self.free(self.facts.secondary_damage, "doc.item.secondary_damage")

    def not_affected(self) -> str:
        return self.free(self.facts.not_affected, "doc.item.not_affected")

    def measures_taken(self) -> str:
        return self.free(self.facts.measures_taken, "doc.item.measures_taken")

    def prevention(self) -> str:
        return self.free(self.facts.prevention, "doc.item.prevention")

    # --- dates and counts ------------------------------------------------------------------------------------
    def occurred(self) -> str:
        occurred = self.facts.occurred_at
        if occurred is None:
            return self.unknown(self.t("doc.item.occurred_at"))
        return format_datetime(occurred, self.lang)

    def aware(self) -> str:
        return format_datetime(self.view.aware_at, self.lang)

    def state_of_leak(self) -> str:
        return self.t("doc.leak.confirmed" if self.facts.confirmed else "doc.leak.suspected")

    def persons(self) -> str:
        n, upper = self.facts.persons, self.facts.persons_upper_bound
        if n is not None and upper is not None and upper > n:
            return self.t("doc.persons.with_upper", n=f"{n:,}", upper=f"{upper:,}")
        if n is not None:
            return self.t("doc.persons.exact", n=f"{n:,}")
        if upper is not None:
            self.unknown(self.t("doc.item.persons"))
            return self.t("doc.persons.upper_only", upper=f"{upper:,}")
        return self.unknown(self.t("doc.item.persons"))

    # --- what leaked -----------------------------------------------------------------------------------------
    def data_items(self) -> list[str]:
        """The items as chosen; 要配慮個人情報 names the kinds chosen, or says the kind is being investigated."""
        items = self.facts.data_items
        if not items and not self.facts.is_sensitive:
            return [self.unknown(self.t("doc.item.data_items"))]
        words = [self._item(i) for i in items]
        if self.facts.is_sensitive and DataItem.SENSITIVE not in items:
            words.append(self._item(DataItem.SENSITIVE))
        return words

    def _item(self, item: DataItem) -> str:
        if item is not DataItem.SENSITIVE:
            return self.t(f"doc.data.{item}")
        kinds = self.facts.sensitive_kinds
        if not kinds:
            self.unknown(self.t("doc.item.sensitive_kinds"))
            return self.t("doc.data.sensitive_unknown")
        sep = "、" if self.lang == "ja" else ", "
        return self.t("doc.data.sensitive", kinds=sep.join(self.t(f"sensitive_kind.{k}") for k in kinds))

    def data_items_line(self) -> str:
        sep = "、" if self.lang == "ja" else "; "
        return sep.join(self.data_items())

    def my_number(self) -> str:
        return self.t("doc.my_number.yes" if self.facts.involves_my_number else "doc.my_number.no")

    # --- why -------------------------------------------------------------------------------------------------
    def cause(self) -> str:
        """The category and the team's words. While the leak is not confirmed, the cause is 「…の疑い（調査中）」.
        A loss is never called a theft: the category is what the team chose."""
        cause, detail = self.facts.cause, self.facts.cause_detail
        if cause is Cause.UNKNOWN and not detail:
            return self.unknown(self.t("doc.item.cause"))
        category = self.t(f"doc.cause.{cause}")
        if cause is Cause.UNKNOWN:
            category = self.t("doc.cause.unknown_category")
        elif not self.facts.confirmed or cause in LEGACY_CAUSES:
            category = self.t("doc.cause.suspected", cause=category)
        if not detail:
            return category
        return self.t(
            "doc.cause.with_detail", cause=category, detail=self.free(detail, "doc.item.cause_detail")
        )

    # --- what a person can do --------------------------------------------------------------------------------
    def advice(self) -> list[str]:
        """What a person can do: from the items when known; the generic lines (beware of messages pretending to
        be from us, contact the desk) always, even while the items are being investigated."""
        items = set(self.facts.data_items)
        advice = [self.t(key) for item, key in ADVICE if item in items]
        if not items and not self.facts.is_sensitive:
            self.unknown(self.t("doc.item.data_items"))
            advice.append(self.t("doc.advice.items_unknown"))
        if self.facts.involves_my_number:
            advice.append(self.t("doc.advice.my_number"))
        advice.append(self.t("doc.advice.phishing", we=self.we()))
        advice.append(self.t("doc.advice.general"))
        return advice
