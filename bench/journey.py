"""Benchmark: the response journey against the fake Slack, over HTTP, side by side with its baseline.

1. ack: `/leak` acknowledgement p99 at 50 concurrent commands, leakbot vs a bare slack-bolt AsyncApp that
   acks and opens a trivial modal, both against the same fake Slack: run by bench/ack.py, each in its own
   process (in one process, the fake's Block Kit checks and one app's work after its acks were charged to
   whichever app was measured next; docs/benchmarks.md);
2. provision: submission → first playbook message with the fake answering every Web API call 50 ms late, in
   sequential round trips (waves: a call's wave is one more than the latest wave finished when it started);
3. clicks at a human pace (a click every 300 ms): click → its message updated (server-side, at the fake),
   and how many chat.update calls each click made;
4. burst: 100 clicks/s across 10 incidents for 5 s (a few answered 429 with Retry-After): every click's ack,
   the time until every message shows the final state of its steps, and chat.update calls per message per
   second.

Usage: uv run python bench/journey.py [--runs 5] [--postgres postgresql+asyncpg://postgres@127.0.0.1:5432/test]
"""

from __future__ import annotations

import argparse
import asyncio
import json
import logging
import random
import statistics
import sys
import tempfile
import time
from collections import Counter, defaultdict
from datetime import UTC, datetime
from pathlib import Path

from sqlalchemy import text

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from adapters.fakes.slack.server import FakeSlack  # noqa: E402
from adapters.fakes.slack_driver import block_action_payload  # noqa: E402
from adapters.fakes.slack_harness import SlackHarness, modal_state  # noqa: E402
from bot.clock import FakeClock  # noqa: E402
from bot.config.org import parse_org_config  # noqa: E402
from bot.services.ports import OPERATOR  # noqa: E402
from bot.storage import migrate  # noqa: E402
from bot.storage.db import create_engine  # noqa: E402

ORG = """
organization: {name: ベンチ株式会社}
channels: {prefix: leak, invite_reporter: true}
roles:
  commander: [UCOMMANDER]
  it: [UIT]
  support: [USUPPORT]
  pr: [UPR]
  legal: [ULEGAL, legal@example.co.jp]
  executives: [UEXEC]
"""
PEOPLE = ["UCOMMANDER", "UIT", "USUPPORT", "UPR", "ULEGAL", "UEXEC", "UREPORTER"]
ICONS = {"todo": "⬜", "in_progress": "🔄", "done": "✅", "skipped": "⏭️", "not_applicable": "➖"}


def pct(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(p / 100 * (len(ordered) - 1)))]


async def fresh_database(url: str | None, workdir: Path) -> str:
    if url is None:
        path = workdir / f"bench-{time.monotonic_ns()}.db"
        await asyncio.to_thread(migrate.upgrade, f"sqlite+aiosqlite:///{path}")
        return f"sqlite+aiosqlite:///{path}"
    engine = create_engine(url)
    async with engine.begin() as conn:
        await conn.execute(text("DROP SCHEMA public CASCADE"))
        await conn.execute(text("CREATE SCHEMA public"))
    await engine.dispose()
    await asyncio.to_thread(migrate.upgrade, url)
    return url


def harness(url: str) -> SlackHarness:
    clock = FakeClock(datetime(2026, 12, 1, 1, 0, tzinfo=UTC))
    app = SlackHarness(url, parse_org_config(ORG, "bench.yaml"), clock)
    return app


def add_people(slack: FakeSlack) -> None:
    for user in PEOPLE:
        slack.add_user(user, f"{user.lower()}@example.co.jp")
    slack.add_user("ULEGAL2", "legal@example.co.jp")


# --- 1. the /leak acknowledgement: bench/ack.py (separate processes; see its docstring) ----------------------


# --- 2. provisioning round trips -------------------------------------------------------------------------


def waves(timeline: list, since: float) -> list[tuple[str, int, dict]]:
    """Each Web API call after ``since`` with its wave (sequential round trips)."""
    calls = sorted((c for c in timeline if c[1] >= since), key=lambda c: c[1])
    result, finished = [], []
    for method, start, end, args in calls:
        wave = 1 + max((w for w, e in finished if e <= start), default=0)
        finished.append((wave, end))
        result.append((method, wave, args))
    return result


async def bench_provision(url: str | None, workdir: Path, runs: int) -> dict:
    first_phase, elapsed, total = [], [], []
    for _ in range(runs):
        async with harness(await fresh_database(url, workdir)) as app:
            add_people(app.slack)
            await app.driver.command("UREPORTER", "顧客リストを誤送信")
            view = await app.eventually(lambda: app.slack.opened_views and app.slack.opened_views[-1])
            app.slack.latency = 0.05
            since = time.perf_counter()
            await app.driver.submit_view(
                "UREPORTER", view, modal_state({"summary": "誤送信", "persons": "1500"})
            )
            await app.core.settle()
            calls = waves(app.slack.timeline, since)
            posts = [(w, a) for m, w, a in calls if m == "chat.postMessage"]
            phase = next(w for w, a in posts if "phase:" in json.dumps(a.get("metadata") or {}))
            phase_at = next(
                c[2]
                for c in sorted(app.slack.timeline, key=lambda c: c[1])
                if c[0] == "chat.postMessage"
                and c[1] >= since
                and "phase:" in json.dumps(c[3].get("metadata") or {})
            )
            first_phase.append(phase)
            elapsed.append((phase_at - since) * 1000)
            total.append(max(w for _, w, _ in calls))
    return {
        "round trips to the first playbook message": statistics.median(first_phase),
        "ms to the first playbook message (50 ms per call)": statistics.median(elapsed),
        "round trips until the reporter is told": statistics.median(total),
        "runs": first_phase,
    }


# --- 3. clicks at a human pace, 4. a burst ------------------------------------------------------------------


async def open_incidents(app: SlackHarness, count: int) -> list[tuple[str, str]]:
    made = []
    for n in range(count):
        await app.driver.command("UREPORTER", f"誤送信 {n}")
        view = await app.eventually(lambda n=n: len(app.slack.opened_views) > n and app.slack.opened_views[n])
        await app.driver.submit_view("UREPORTER", view, modal_state({"summary": f"誤送信 {n}"}))
    await app.core.settle()
    for incident in await app.core.incidents.list(OPERATOR):
        made.append((incident.reference, incident.channel_id))
    return made


def phase_message(app: SlackHarness, channel_id: str) -> dict:
    return app.slack.latest(channel_id, "📋 初動")


async def bench_human_pace(url: str | None, workdir: Path, clicks: int, per_second: float = 3.0) -> dict:
    """A few clicks a second in one channel, as a team works on the steps in front of it: each click on a
    step of the next phase message in turn (every phase shown at the start, 初動 to 報告・通知)."""
    async with harness(await fresh_database(url, workdir)) as app:
        add_people(app.slack)
        await app.driver.command("UREPORTER", "誤送信")
        view = await app.eventually(lambda: app.slack.opened_views and app.slack.opened_views[-1])
        await app.driver.submit_view("UREPORTER", view, modal_state({"summary": "誤送信", "persons": "1500"}))
        await app.core.settle()
        [incident] = await app.core.incidents.list(OPERATOR)
        channel_id = incident.channel_id
        shown = [
            p
            for p in app.core.playbooks.get(incident.playbook_id).phases
            if incident.post("slack", f"phase:{p.id}") is not None
        ]
        by_phase = {p.id: [s.step.id for s in incident.steps if s.step.phase == p.id] for p in shown}
        latencies, updates_per_click = [], []
        state: dict[str, str] = defaultdict(lambda: "todo")
        for n in range(clicks):
            phase = shown[n % len(shown)]
            step = by_phase[phase.id][(n // len(shown)) % len(by_phase[phase.id])]
            target = "in_progress" if state[step] in ("todo", "done") else "done"
            message = app.slack.latest(channel_id, f"📋 {phase.title.get('ja')}")
            ts = message["ts"]
            before = len(app.slack.timeline)
            started = time.perf_counter()
            await app.driver.click("UCOMMANDER", message, channel_id, f"step:{step}:{target}")
            state[step] = target
            await asyncio.sleep(1 / per_second)
            made = [c for c in app.slack.timeline[before:] if c[0] == "chat.update"]
            mine = [c for c in made if c[3].get("ts") == ts]
            if mine:
                latencies.append((mine[0][2] - started) * 1000)
            updates_per_click.append((len(mine), len(made) - len(mine)))
        await app.core.settle()
        return {
            "clicks per second": per_second,
            "phase messages clicked in turn": len(shown),
            "click → its message updated p50 ms": pct(latencies, 50),
            "click → its message updated p99 ms": pct(latencies, 99),
            "clicks": clicks,
            "clicks whose message was updated before the next click": len(latencies),
            "chat.update of the clicked message per click (max)": max(a for a, _ in updates_per_click),
            "other chat.update per click (max)": max(b for _, b in updates_per_click),
        }


async def bench_burst(url: str | None, workdir: Path, seconds: float, per_second: int) -> dict:
    async with harness(await fresh_database(url, workdir)) as app:
        add_people(app.slack)
        incidents = await open_incidents(app, 10)
        steps = {
            ref: [
                s.step.id
                for s in (await app.core.incidents.get(ref, OPERATOR)).steps
                if s.step.phase == "initial"
            ]
            for ref, _ in incidents
        }
        messages = {ref: phase_message(app, channel) for ref, channel in incidents}
        app.slack.fail_next("chat.update", status=429, times=5, retry_after=1)
        before = len(app.slack.timeline)
        rng = random.Random(7)
        acks: list[float] = []
        tasks = []
        burst_started = time.perf_counter()

        async def click(ref: str, channel: str, step: str, target: str) -> None:
            payload = block_action_payload("UCOMMANDER", messages[ref], channel, f"step:{step}:in_progress")
            payload["actions"][0]["value"] = json.dumps({"r": ref, "s": step, "t": target})
            started = time.perf_counter()
            status, _ = await app.driver.interactive(payload)
            assert status == 200
            acks.append(time.perf_counter() - started)

        total = int(seconds * per_second)
        for n in range(total):
            ref, channel = incidents[n % len(incidents)]
            step = rng.choice(steps[ref])
            tasks.append(
                asyncio.ensure_future(click(ref, channel, step, rng.choice(["in_progress", "done"])))
            )
            await asyncio.sleep(max(0.0, burst_started + (n + 1) / per_second - time.perf_counter()))
        await asyncio.gather(*tasks)
        burst_ended = time.perf_counter()

        async def converged() -> bool:
            for ref, channel in incidents:
                view = await app.core.incidents.get(ref, OPERATOR)
                shown = json.dumps(app.slack.latest(channel, "📋 初動"), ensure_ascii=False)
                for step in view.steps:
                    if step.step.phase == "initial":
                        block = next(
                            b
                            for b in app.slack.latest(channel, "📋 初動")["blocks"]
                            if b.get("block_id") == f"step:{step.step.id}"
                        )
                        if not block["text"]["text"].startswith(ICONS[str(step.status)]):
                            return False
                assert shown
            return True

        while not await converged():
            await asyncio.sleep(0.05)
            assert time.perf_counter() - burst_ended < 30, "did not converge"
        converged_after = time.perf_counter() - burst_ended
        updates = [c for c in app.slack.timeline[before:] if c[0] == "chat.update"]
        per_message_second: Counter = Counter((c[3].get("ts"), int(c[1] - burst_started)) for c in updates)
        per_message = Counter(c[3].get("ts") for c in updates)
        return {
            "clicks": total,
            "ack p50 ms": pct(acks, 50) * 1000,
            "ack p99 ms": pct(acks, 99) * 1000,
            "ack max ms": max(acks) * 1000,
            "final state shown after the burst (s)": converged_after,
            "chat.update calls": len(updates),
            "chat.update per message per second (max)": max(per_message_second.values()),
            "chat.update per message (max over the burst)": max(per_message.values()),
            "chat.update per message per second (sustained, max message)": max(per_message.values())
            / (seconds + converged_after),
        }


async def run_all(args: argparse.Namespace) -> dict:
    logging.disable(logging.WARNING)
    workdir = Path(tempfile.mkdtemp(prefix="leakbot-bench-"))
    results: dict = defaultdict(dict)
    engines = [("SQLite", None)] + ([("PostgreSQL", args.postgres)] if args.postgres else [])
    only = set(args.only.split(",")) if args.only else {"ack", "provision", "human", "burst"}
    for name, url in engines:
        if "ack" in only:
            from ack import bench as bench_ack  # bench/ack.py, next to this file

            results[name]["ack"] = await bench_ack(url, args.runs, args.bursts, 50)
        if "provision" in only:
            results[name]["provision"] = await bench_provision(url, workdir, args.runs)
        for _ in range(args.runs):
            if "human" in only:
                results[name].setdefault("human pace", []).append(
                    await bench_human_pace(url, workdir, args.clicks)
                )
            if "burst" in only:
                results[name].setdefault("burst", []).append(
                    await bench_burst(url, workdir, args.seconds, args.rate)
                )
    return results


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--bursts", type=int, default=8, help="ack: bursts per app in each run")
    parser.add_argument("--clicks", type=int, default=30)
    parser.add_argument("--seconds", type=float, default=5)
    parser.add_argument("--rate", type=int, default=100)
    parser.add_argument("--postgres", default=None)
    parser.add_argument("--only", default=None, help="comma-separated: ack,provision,human,burst")
    args = parser.parse_args()
    results = asyncio.run(run_all(args))
    print(json.dumps(results, indent=2, ensure_ascii=False, default=lambda v: round(v, 2)))


if __name__ == "__main__":
    main()
