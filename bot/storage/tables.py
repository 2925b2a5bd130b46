"""The relational schema. Every change here needs an Alembic migration (`alembic check` guards drift)."""

from __future__ import annotations

from datetime import datetime
from typing import Any, ClassVar

from sqlalchemy import JSON, ForeignKey, Index, Integer, MetaData, String, UniqueConstraint, false
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

from bot.storage.types import EncryptedJSON, EncryptedText, UTCDateTime

NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING_CONVENTION)
    type_annotation_map: ClassVar = {datetime: UTCDateTime(), dict[str, Any]: JSON()}


class ReferenceCounter(Base):
    """The last number handed out per series and year, for references such as LEAK-2026-0001 or
    DRILL-2026-0001 (a drill never consumes a LEAK- number)."""

    __tablename__ = "reference_counters"
    series: Mapped[str] = mapped_column(String(16), primary_key=True, server_default="LEAK")
    year: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    last: Mapped[int] = mapped_column(Integer)


class Incident(Base):
    __tablename__ = "incidents"
    id: Mapped[int] = mapped_column(primary_key=True)
    reference: Mapped[str] = mapped_column(String(32), unique=True)
    status: Mapped[str] = mapped_column(String(16), index=True)
    platform: Mapped[str] = mapped_column(String(16))
    reporter_id: Mapped[str] = mapped_column(String(128))
    reporter_lang: Mapped[str] = mapped_column(String(8))
    aware_at: Mapped[datetime]
    cause: Mapped[str] = mapped_column(String(32))
    facts: Mapped[dict[str, Any]] = mapped_column(EncryptedJSON("incidents.facts"))  # free text inside
    assessment: Mapped[dict[str, Any]]
    playbook_id: Mapped[str] = mapped_column(String(64))
    channel_id: Mapped[str | None] = mapped_column(String(128))
    channel_name: Mapped[str | None] = mapped_column(String(128))
    idempotency_key: Mapped[str | None] = mapped_column(String(255), unique=True)
    created_at: Mapped[datetime]
    updated_at: Mapped[datetime]
    closed_at: Mapped[datetime | None]
    # each draft's status: {"notice": {"status": "reviewed", "by": "slack:U…", "at": "…"}} (bot/documents/status.py)
    document_states: Mapped[dict[str, Any]] = mapped_column(default=dict, server_default="{}")
    audit_head: Mapped[str] = mapped_column(String(64))  # hash of the newest audit event: truncation shows
    # a rehearsal (issue 14), SQL NULL for a real incident:
    # {"scenario": id, "speed": 720.0, "started_at": real ISO time, "injects_done": [1, 2]}
    drill: Mapped[dict[str, Any] | None] = mapped_column(JSON(none_as_null=True), default=None)
    # a report made outside chat (issue 18, `leakbot incidents import`), SQL NULL for a /leak report:
    # {"source": "phone" | null, "reported_by": free text, "title": free text} (bot/domain/origin.py)
    origin: Mapped[dict[str, Any] | None] = mapped_column(EncryptedJSON("incidents.origin"), default=None)
    # retention (issue 21): the commander's legal hold suspends the purge; purged_at: when the free text and the
    # drafts were erased (bot/services/purging.py), the skeleton kept
    legal_hold: Mapped[bool] = mapped_column(default=False, server_default=false())
    purged_at: Mapped[datetime | None] = mapped_column(default=None)
    # a look-alike report the commander merged (issue 22): the surviving incident's id; status is "merged"
    merged_into: Mapped[int | None] = mapped_column(Integer, index=True, default=None)


class Member(Base):
    """A response-team member of one incident, with the role they hold in it."""

    __tablename__ = "members"
    __table_args__ = (UniqueConstraint("incident_id", "platform", "user_id", "role"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    incident_id: Mapped[int] = mapped_column(ForeignKey("incidents.id", ondelete="CASCADE"), index=True)
    platform: Mapped[str] = mapped_column(String(16))
    user_id: Mapped[str] = mapped_column(String(255))
    role: Mapped[str] = mapped_column(String(32))
    added_by: Mapped[str] = mapped_column(String(255))
    added_at: Mapped[datetime]


class StepState(Base):
    __tablename__ = "step_states"
    __table_args__ = (UniqueConstraint("incident_id", "step_id"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    incident_id: Mapped[int] = mapped_column(ForeignKey("incidents.id", ondelete="CASCADE"), index=True)
    step_id: Mapped[str] = mapped_column(String(64))
    state: Mapped[str] = mapped_column(String(16))
    reason: Mapped[str | None] = mapped_column(EncryptedText("step_states.reason"))
    updated_by: Mapped[str | None] = mapped_column(String(255))
    updated_at: Mapped[datetime]
    # When the person acted, by the platform's clock (Slack's action_ts): a replayed older click is ignored.
    acted_at: Mapped[datetime | None] = mapped_column(default=None)


class Deadline(Base):
    """A legal deadline (速報, 確報, 本人通知, 委託元への通知) or a playbook step's own due time."""

    __tablename__ = "deadlines"
    __table_args__ = (UniqueConstraint("incident_id", "key"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    incident_id: Mapped[int] = mapped_column(ForeignKey("incidents.id", ondelete="CASCADE"), index=True)
    key: Mapped[str] = mapped_column(String(80))  # "final", "preliminary", ..., or "step:<step id>"
    kind: Mapped[str] = mapped_column(String(24))
    step_id: Mapped[str | None] = mapped_column(String(64))
    due_at: Mapped[datetime]
    window_start: Mapped[datetime | None]
    status: Mapped[str] = mapped_column(String(16))  # pending, filed, cancelled
    filed_at: Mapped[datetime | None]
    filed_by: Mapped[str | None] = mapped_column(String(255))
    created_at: Mapped[datetime | None]  # when it first appeared: the 速報 "at creation" ping counts from it
    updated_at: Mapped[datetime]


class Reminder(Base):
    """One ping to send at a time; the scheduler claims due rows, so the database is the source of truth."""

    __tablename__ = "reminders"
    __table_args__ = (Index("ix_reminders_state_due_at", "state", "due_at"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    incident_id: Mapped[int] = mapped_column(ForeignKey("incidents.id", ondelete="CASCADE"), index=True)
    deadline_key: Mapped[str] = mapped_column(String(80))
    deadline_due_at: Mapped[datetime | None]  # the deadline it was planned for: stale when that moves
    kind: Mapped[str] = mapped_column(String(24))
    target: Mapped[str] = mapped_column(String(255))  # "channel" or "user:<platform>:<user id>"
    planned_at: Mapped[datetime]  # the moment the plan chose; replanning matches rows on it, never moves
    deadline_seen_at: Mapped[datetime | None]  # when its deadline appeared with this due date
    due_at: Mapped[datetime]  # when to try next: planned_at, then quiet-hours holds and retry backoffs
    state: Mapped[str] = mapped_column(String(16))  # pending, claimed, sent, failed, cancelled
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    claimed_by: Mapped[str | None] = mapped_column(String(64))
    lease_until: Mapped[datetime | None]
    sent_at: Mapped[datetime | None]
    last_attempt_at: Mapped[datetime | None]  # the last delivery try, successful or not
    last_error: Mapped[str | None] = mapped_column(EncryptedText("reminders.last_error"))


class AuditEvent(Base):
    """Append-only, hash-chained per incident: each entry's hash covers the previous entry's hash."""

    __tablename__ = "audit_events"
    __table_args__ = (UniqueConstraint("incident_id", "seq"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    incident_id: Mapped[int] = mapped_column(ForeignKey("incidents.id", ondelete="RESTRICT"), index=True)
    seq: Mapped[int] = mapped_column(Integer)
    at: Mapped[datetime]
    actor: Mapped[str] = mapped_column(String(255))
    action: Mapped[str] = mapped_column(String(64))
    details: Mapped[dict[str, Any]]  # free text in it is a salted digest; the text itself is in ``sealed``
    prev_hash: Mapped[str] = mapped_column(String(64))
    hash: Mapped[str] = mapped_column(String(64))
    # the free text of ``details`` (a reason), encrypted: {"reason": {"salt": hex, "text": …}}; the hash covers
    # only its salted digest, so a rotation (new ciphertext) or a purge (NULL here) keeps the chain verifiable
    sealed: Mapped[dict[str, Any] | None] = mapped_column(EncryptedJSON("audit_events.sealed"), default=None)


class Post(Base):
    """A message the bot posted for an incident and keeps up to date (summary, one per phase)."""

    __tablename__ = "posts"
    __table_args__ = (UniqueConstraint("incident_id", "platform", "key"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    incident_id: Mapped[int] = mapped_column(ForeignKey("incidents.id", ondelete="CASCADE"), index=True)
    platform: Mapped[str] = mapped_column(String(16))
    key: Mapped[str] = mapped_column(String(80))  # "summary", "phase:<phase id>"
    channel_id: Mapped[str] = mapped_column(String(255))
    message_id: Mapped[str] = mapped_column(String(255))  # Slack ts, Teams activity id
    updated_at: Mapped[datetime]
    link: Mapped[str | None] = mapped_column(String(1000), default=None)  # a canvas's URL, where it has one


class JobRun(Base):
    """Once-a-day jobs (the executive digest) claim their run here, so replicas never repeat one."""

    __tablename__ = "job_runs"
    key: Mapped[str] = mapped_column(String(80), primary_key=True)  # e.g. "digest:2026-12-01"
    worker: Mapped[str] = mapped_column(String(64))
    ran_at: Mapped[datetime]


class ConversationRef(Base):
    """Where a platform conversation lives (Teams: service URL, conversation id, tenant), for proactive posts."""

    __tablename__ = "conversation_refs"
    __table_args__ = (UniqueConstraint("platform", "key"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    platform: Mapped[str] = mapped_column(String(16))
    key: Mapped[str] = mapped_column(String(255))  # "incident:<reference>" or "user:<user id>"
    reference: Mapped[dict[str, Any]] = mapped_column(EncryptedJSON("conversation_refs.reference"))
    updated_at: Mapped[datetime]


class Provisioning(Base):
    """The persisted sequence after a report (space created → team invited, summary and phases posted → the
    reporter told), claimed with a lease like reminders, so a crash at any moment resumes where it stopped."""

    __tablename__ = "provisioning"
    incident_id: Mapped[int] = mapped_column(ForeignKey("incidents.id", ondelete="CASCADE"), primary_key=True)
    stage: Mapped[str] = mapped_column(String(16), index=True)  # held, space, populate, tell, done, failed
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    due_at: Mapped[datetime]
    lease_until: Mapped[datetime | None]
    claimed_by: Mapped[str | None] = mapped_column(String(64))
    space_name: Mapped[str | None] = mapped_column(
        String(128)
    )  # the name being created: adopted after a crash
    last_error: Mapped[str | None] = mapped_column(EncryptedText("provisioning.last_error"))
    updated_at: Mapped[datetime]
    # A look-alike of an open incident (issue 22): stage "held" until the commander answers or due_at passes.
    # ``held_for``: that incident's id; ``question``: the post key of the question it joined; ``answer``:
    # merged, separate or timeout once settled.
    held_for: Mapped[int | None] = mapped_column(Integer, index=True, default=None)
    question: Mapped[str | None] = mapped_column(String(48), default=None)
    answer: Mapped[str | None] = mapped_column(String(16), default=None)


class DocumentSnapshot(Base):
    """A document as it was filed, sent or published (bot/documents/snapshots.py): the text rendered in the
    org's language then, the facts of that moment, and its SHA-256 (also in the audit trail). Taking the
    final status back sets ``withdrawn_at``; the row stays."""

    __tablename__ = "document_snapshots"
    id: Mapped[int] = mapped_column(primary_key=True)
    incident_id: Mapped[int] = mapped_column(ForeignKey("incidents.id", ondelete="CASCADE"), index=True)
    kind: Mapped[str] = mapped_column(String(32))  # ppc-preliminary, notice, … (bot/documents/status.py)
    status: Mapped[str] = mapped_column(String(16))  # filed, sent, published
    lang: Mapped[str] = mapped_column(String(8))
    documents: Mapped[list[Any]] = mapped_column(EncryptedJSON("document_snapshots.documents"))
    markdown: Mapped[str] = mapped_column(EncryptedText("document_snapshots.markdown"))  # what sha256 covers
    facts: Mapped[dict[str, Any]] = mapped_column(EncryptedJSON("document_snapshots.facts"))
    sha256: Mapped[str] = mapped_column(String(64))
    by: Mapped[str] = mapped_column(String(255))
    at: Mapped[datetime]
    withdrawn_at: Mapped[datetime | None] = mapped_column(default=None)
    withdrawn_by: Mapped[str | None] = mapped_column(String(255), default=None)
    withdrawn_reason: Mapped[str | None] = mapped_column(
        EncryptedText("document_snapshots.withdrawn_reason"), default=None
    )


class DocumentEdit(Base):
    """A section of a draft as the team rewrote it (bot/documents/edits.py); the newest text per section."""

    __tablename__ = "document_edits"
    __table_args__ = (UniqueConstraint("incident_id", "document", "section"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    incident_id: Mapped[int] = mapped_column(ForeignKey("incidents.id", ondelete="CASCADE"), index=True)
    document: Mapped[str] = mapped_column(String(40))  # ppc_report_preliminary, notice_letter, …
    section: Mapped[str] = mapped_column(String(80))  # the section's key (its heading's catalog key)
    heading: Mapped[str] = mapped_column(EncryptedText("document_edits.heading"))
    text: Mapped[str] = mapped_column(EncryptedText("document_edits.text"))
    by: Mapped[str] = mapped_column(String(255))
    by_name: Mapped[str] = mapped_column(EncryptedText("document_edits.by_name"))  # a person's name
    at: Mapped[datetime]
    # the facts when edited: a later change under the section is flagged
    facts: Mapped[dict[str, Any]] = mapped_column(EncryptedJSON("document_edits.facts"))


class DataKey(Base):
    """Each key data was stored under, by its id (bot/storage/crypto.py; never the key), and ``plain`` for
    values stored unencrypted. ``retired_at``: a rotation found nothing left under it. At start a live key the
    process was not given refuses the start (bot/storage/keycheck.py)."""

    __tablename__ = "data_keys"
    key_id: Mapped[str] = mapped_column(String(16), primary_key=True)
    added_at: Mapped[datetime]
    retired_at: Mapped[datetime | None] = mapped_column(default=None)


class ScheduledPing(Base):
    """A deadline ping the platform itself holds and delivers even when leakbot is down (issue 22): a Slack
    scheduled message (chat.scheduleMessage) in the response channel. One row per live legal deadline and
    target; the row goes when the platform's copy is deleted (deadline filed, cancelled, incident closed).
    Claimed with a lease while the platform is asked, so a crash between asking and recording is reconciled
    (bot/journey/scheduled.py)."""

    __tablename__ = "scheduled_pings"
    __table_args__ = (UniqueConstraint("incident_id", "platform", "deadline_key", "target"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    incident_id: Mapped[int] = mapped_column(ForeignKey("incidents.id", ondelete="CASCADE"), index=True)
    platform: Mapped[str] = mapped_column(String(16))
    deadline_key: Mapped[str] = mapped_column(String(80))
    target: Mapped[str] = mapped_column(String(255))  # "channel" (the response channel)
    space_id: Mapped[str] = mapped_column(String(255))  # the channel it is scheduled in
    kind: Mapped[str] = mapped_column(String(24))  # the reminder kind it stands for: due_morning, before
    post_at: Mapped[datetime]  # when the platform posts it: leakbot's reminder planned then is suppressed
    deadline_due_at: Mapped[datetime]  # the deadline it was made for: replaced when that moves
    external_id: Mapped[str | None] = mapped_column(String(255))  # Slack's scheduled_message_id
    # scheduling (asked, the answer not recorded yet), scheduled, later (beyond the platform's horizon),
    # retry (a failure worth another try at due_at), refused (leakbot's own reminder covers it)
    state: Mapped[str] = mapped_column(String(16), index=True)
    due_at: Mapped[datetime | None]  # when to look again (later, retry)
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    claimed_by: Mapped[str | None] = mapped_column(String(64))
    lease_until: Mapped[datetime | None]
    last_error: Mapped[str | None] = mapped_column(String(64))  # the platform's code, never its text
    updated_at: Mapped[datetime]
