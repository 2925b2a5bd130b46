"""The closed vocabularies shared by the whole core: roles, causes, fact keys, legal deadline kinds."""

from __future__ import annotations

from enum import StrEnum


class Role(StrEnum):
    """Response-team roles, as written in the organization config."""

    COMMANDER = "commander"  # 対策本部長 / 経営管理
    IT = "it"  # 情報システム
    SUPPORT = "support"  # カスタマーサポート
    PR = "pr"  # 広報
    LEGAL = "legal"  # 法務・個人情報保護管理者
    EXECUTIVES = "executives"  # 役員: receive deadline pings, own no step


OWNER_ROLES = tuple(r for r in Role if r is not Role.EXECUTIVES)


class Cause(StrEnum):
    """What caused the leak; chooses the playbook's cause-specific branch."""

    UNKNOWN = "unknown"  # 調査中
    UNAUTHORIZED_ACCESS = "unauthorized_access"  # 不正アクセス・マルウェア
    LOSS = "loss"  # 紛失: never called a theft
    THEFT = "theft"  # 盗難: a wrongful purpose by its nature (規則7条3号)
    LOSS_THEFT = "loss_theft"  # 紛失又は盗難 (which one not known): older incidents; no longer offered
    MISDELIVERY = "misdelivery"  # 誤送信
    MISCONFIGURATION = "misconfiguration"  # 誤公開・設定ミス
    INSIDER = "insider"  # 内部不正
    PROCESSOR = "processor"  # 委託先での漏えい


LEGACY_CAUSES = frozenset({Cause.LOSS_THEFT})  # readable in stored incidents; forms no longer offer them


class FactKey(StrEnum):
    """Facts a playbook step may capture; several feed the reportability assessment."""

    SUMMARY = "summary"
    OCCURRED_AT = "occurred_at"
    CONFIRMED = "confirmed"
    CAUSE = "cause"
    DATA_ITEMS = "data_items"
    PERSONS = "persons"
    PERSONS_UPPER_BOUND = "persons_upper_bound"
    SENSITIVE = "sensitive"
    FINANCIAL = "financial"
    MALICIOUS = "malicious"
    # the org's sector has a regulator of its own (organization.sector_regulator) that does not already
    # receive the leak report: 業種別の監督官庁への報告
    SECTOR_REGULATOR = "sector_regulator"
    ENCRYPTED = "encrypted"
    MY_NUMBER = "my_number"
    PROCESSOR_INVOLVED = "processor_involved"
    ACTING_FOR_CONTROLLER = "acting_for_controller"
    SECONDARY_DAMAGE = "secondary_damage"
    CAUSE_DETAIL = "cause_detail"
    SENSITIVE_KINDS = "sensitive_kinds"
    NOTES = "notes"
    DISCOVERED_HOW = "discovered_how"
    DISCOVERED_BY = "discovered_by"
    NOT_AFFECTED = "not_affected"
    MEASURES_TAKEN = "measures_taken"
    PREVENTION = "prevention"


class DeadlineKind(StrEnum):
    """Legal deadlines an incident may carry."""

    PRELIMINARY = "preliminary"  # 速報
    FINAL = "final"  # 確報
    INDIVIDUALS = "individuals"  # 本人通知
    CONTROLLER_NOTICE = "controller_notice"  # 委託先 → 委託元への通知


class Condition(StrEnum):
    """Conditions under which a step applies, besides the cause branch."""

    REPORTABLE = "reportable"
    # reportable, or not yet decidable (a ground undetermined): the 速報's target runs either way (provisional)
    PRELIMINARY_RUNS = "preliminary_runs"
    NOT_REPORTABLE = "not_reportable"
    PROCESSOR_INVOLVED = "processor_involved"  # a processor or vendor of ours is involved
    ACTING_FOR_CONTROLLER = "acting_for_controller"  # we hold the data as a 委託先 for another company
    FINANCIAL = "financial"
    MALICIOUS = "malicious"
    # the org's sector has a regulator of its own (organization.sector_regulator) that does not already
    # receive the leak report: 業種別の監督官庁への報告
    SECTOR_REGULATOR = "sector_regulator"
