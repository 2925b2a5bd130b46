"""Look-alike reports (issue 22): the question to the commander as it stands, the commander's answer (merge
into the open incident, or handle each on its own), and a held report going ahead on its own when nobody
answered in time. A held report is saved and its reporter told at once; it only waits for its own space."""

from __future__ import annotations

from sqlalchemy import select

from bot.domain.events import LookalikesAnswered, Reported
from bot.domain.facts import Facts
from bot.domain.lookalike import MERGED, SEPARATE, TIMEOUT, HeldReport, LookalikeRound
from bot.domain.views import Change
from bot.reminders.planner import replan
from bot.services import audit_log
from bot.services.incident_base import IncidentsBase, Outcome
from bot.services.lookalikes import QUESTION
from bot.services.policy import Permission
from bot.services.ports import SYSTEM, Actor
from bot.services.provisioning import DONE, HELD, SPACE
from bot.services.records import build_views
from bot.storage.tables import AuditEvent, Incident, Provisioning
from bot.storage.uow import NotFound

ANSWERS = {True: "lookalikes_merged", False: "lookalikes_separate"}  # the survivor's audit actions


class Merging(IncidentsBase):
    async def lookalike_round(self, reference: str, question: str) -> LookalikeRound | None:
        """The question as it stands now (leakbot's own read: the journey shows it in the team's space)."""
        async with self._uow() as uow:
            session = uow.session
            try:
                survivor = await uow.incident(reference, exact=True)
            except NotFound:
                return None
            rows = (
                await session.execute(
                    select(Incident.id, Incident.reference, Incident.created_at, Provisioning.answer)
                    .join(Provisioning, Provisioning.incident_id == Incident.id)
                    .where(Provisioning.held_for == survivor.id, Provisioning.question == question)
                    .order_by(Incident.id)
                )
            ).all()
            if not rows:
                return None
            newest = await session.get(Incident, rows[-1].id)  # only its text is decrypted
            due = await session.scalar(
                select(Provisioning.due_at)
                .where(Provisioning.question == question, Provisioning.stage == HELD)
                .order_by(Provisioning.due_at)
                .limit(1)
            )
            stage = await session.scalar(
                select(Provisioning.stage).where(Provisioning.incident_id == survivor.id)
            )
            return LookalikeRound(
                reference=survivor.reference,
                platform=survivor.platform,
                channel_id=survivor.channel_id,
                channel_name=survivor.channel_name,
                ready=stage == DONE and survivor.channel_id is not None,
                question=question,
                reports=tuple(HeldReport(r.reference, r.created_at, r.answer) for r in rows),
                latest_summary=Facts.model_validate(newest.facts).summary if newest else "",
                due_at=due,
                answered_by=await self._answered_by(uow, survivor, question),
                drill=survivor.drill is not None,
            )

    async def _answered_by(self, uow, survivor: Incident, question: str) -> str | None:
        events = await uow.session.scalars(
            select(AuditEvent)
            .where(AuditEvent.incident_id == survivor.id, AuditEvent.action.in_(ANSWERS.values()))
            .order_by(AuditEvent.seq.desc())
        )
        return next((e.actor for e in events if e.details.get("question") == question), None)

    async def waiting_questions(self, reference: str) -> list[str]:
        """The questions about this incident that still wait for an answer (oldest first)."""
        async with self._uow() as uow:
            try:
                survivor = await uow.incident(reference, exact=True)
            except NotFound:
                return []
            keys = await uow.session.scalars(
                select(Provisioning.question)
                .where(Provisioning.held_for == survivor.id, Provisioning.stage == HELD)
                .order_by(Provisioning.incident_id)
            )
            return list(dict.fromkeys(k for k in keys if k))

    async def answer_lookalikes(
        self, reference: str, question: str, upto: str | None, merge: bool, actor: Actor
    ) -> Outcome:
        """統合する (``merge``) or 別事案として対応, by the commander only: the reports the question showed (up to
        ``upto``, the newest it showed) are merged into the incident, or each provisioned on its own; any that
        came after wait on a new question. Answering again, or after the timeout, changes nothing."""
        async with self._attempt(reference, actor, ANSWERS[merge]):
            now = self.clock.now()
            async with self._uow() as uow:
                session = uow.session
                survivor = await self._locked(uow, reference)
                await self._authorize(session, survivor, actor, Permission.MERGE)
                rows = (
                    await session.execute(
                        select(Provisioning, Incident)
                        .join(Incident, Incident.id == Provisioning.incident_id)
                        .where(
                            Provisioning.held_for == survivor.id,
                            Provisioning.question == question,
                            Provisioning.stage == HELD,
                        )
                        .order_by(Incident.id)
                        .with_for_update(of=Provisioning)
                    )
                ).all()
                last = (
                    await session.scalar(select(Incident.id).where(Incident.reference == upto))
                    if upto
                    else None
                )
                answered = [(p, i) for p, i in rows if last is None or i.id <= last]
                later = [(p, i) for p, i in rows if last is not None and i.id > last]
                if not answered:
                    return Outcome(await self._view(session, survivor))
                reask = f"{QUESTION}{later[0][1].reference}" if later else None
                for held, _ in later:
                    held.question = reask
                reports = []
                for held, incident in answered:
                    held.answer, held.updated_at = (MERGED if merge else SEPARATE), now
                    held.claimed_by, held.lease_until = None, None
                    if merge:
                        held.stage = DONE
                        incident.status, incident.merged_into = "merged", survivor.id
                        action, detail = "merged", {"into": survivor.reference}
                    else:
                        held.stage, held.due_at = SPACE, now
                        action, detail = "lookalike_separate", {"of": survivor.reference}
                    incident.updated_at = now
                    await replan(session, incident, self.org.reminders, now)
                    await audit_log.record(session, incident, now, actor, action, detail)
                    reports.append(
                        {
                            "reference": incident.reference,
                            "reporter": f"{incident.platform}:{incident.reporter_id}",
                            "at": incident.created_at.isoformat(),
                        }
                    )
                detail = {"question": question, "reports": reports}
                await audit_log.record(session, survivor, now, actor, ANSWERS[merge], detail)
                view = await self._view(session, survivor)
                change = Change(ANSWERS[merge], {"count": len(reports)})
                uow.events.append(
                    LookalikesAnswered(view, str(actor), (change,), question=question, reask=reask)
                )
                if not merge:
                    held_views = await build_views(
                        session, [i for _, i in answered], self.org, self.playbooks
                    )
                    uow.events.extend(Reported(v) for v in held_views)
                return Outcome(view, (change,))

    async def release_held(self, reference: str) -> tuple[str, str] | None:
        """Nobody answered in time: the held report goes ahead on its own (the sweep's claim continues with
        its space). Returns (the open incident, the question) to update, or None when it no longer waits."""
        now = self.clock.now()
        async with self._uow() as uow:
            session = uow.session
            row = (
                await session.execute(
                    select(Provisioning, Incident)
                    .join(Incident, Incident.id == Provisioning.incident_id)
                    .where(Incident.reference == reference, Provisioning.stage == HELD)
                    .with_for_update(of=Provisioning)
                )
            ).first()
            if row is None:
                return None
            held, incident = row
            survivor = await session.scalar(select(Incident.reference).where(Incident.id == held.held_for))
            held.stage, held.answer, held.due_at, held.updated_at = SPACE, TIMEOUT, now, now
            await replan(session, incident, self.org.reminders, now)
            await audit_log.record(session, incident, now, SYSTEM, "lookalike_timeout", {"of": survivor})
            return str(survivor), str(held.question)
