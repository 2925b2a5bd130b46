"""Benchmark: 10,000 open incidents with 100,000 pending reminders.

Measures, on SQLite and (when --postgres is given) PostgreSQL:
- rebuild: from a cold process to the timer armed (engine, first sweep with nothing due, next-due query);
- resident memory (max RSS) after the rebuild and after firing;
- fire latency: due time → the Web API call arriving at a local Slack stub, for a batch of reminders that
  fall due while the real scheduler (APScheduler) runs with the real clock.

Usage: uv run python bench/reminders.py [--incidents 10000] [--reminders 100000] [--fire 2000]
                                        [--postgres postgresql+asyncpg://postgres@127.0.0.1:5432/test]
Results are printed as a Markdown table row and written to docs/benchmarks.md by --write.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import logging
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

from aiohttp import web
from sqlalchemy import insert, text

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from adapters.slack.client import make_client  # noqa: E402
from adapters.slack.platform import SlackPlatform  # noqa: E402
from bot.bootstrap import build_core  # noqa: E402
from bot.clock import SystemClock  # noqa: E402
from bot.config.org import parse_org_config  # noqa: E402
from bot.config.settings import CoreSettings  # noqa: E402
from bot.journey.notifier import PlatformNotifier  # noqa: E402
from bot.scheduling.runner import ReminderRunner  # noqa: E402
from bot.storage import migrate  # noqa: E402
from bot.storage.tables import Base, Deadline, Incident, Member, Reminder, StepState  # noqa: E402

SPREAD = 10  # seconds over which the measured reminders fall due
DUE_FILE = Path(tempfile.gettempdir()) / "leakbot-bench-due.json"
ORG = """
organization: {name: ベンチ株式会社}
roles: {commander: [UCOMMANDER], legal: [ULEGAL], executives: [UEXEC]}
reminders: {quiet_hours: {start: "00:00", end: "00:00"}}  # no quiet hours: the bench may run at night
"""


def rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


class SlackStub:
    """Just enough Web API to receive reminder posts and note when each arrives."""

    def __init__(self) -> None:
        self.arrivals: list[tuple[float, dict]] = []

    async def handle(self, request: web.Request) -> web.Response:
        method = request.match_info["method"]
        arrived = time.time()
        if method == "conversations.open":
            return web.json_response({"ok": True, "channel": {"id": "DEXEC"}})
        if method == "chat.postMessage":
            body = (
                await request.json()
                if request.content_type == "application/json"
                else dict(await request.post())
            )
            self.arrivals.append((arrived, body))
            return web.json_response({"ok": True, "ts": f"{arrived:.6f}", "channel": body.get("channel")})
        return web.json_response({"ok": True})

    async def start(self) -> tuple[web.AppRunner, str]:
        app = web.Application()
        app.router.add_post("/api/{method}", self.handle)
        runner = web.AppRunner(app)
        await runner.setup()
        site = web.TCPSite(runner, "127.0.0.1", 0)
        await site.start()
        port = site._server.sockets[0].getsockname()[1]
        return runner, f"http://127.0.0.1:{port}/api/"


async def seed(url: str, incidents: int, reminders: int, fire: int, fire_at: datetime) -> None:
    """Rows written directly in bulk (the service would take minutes for 10,000 reports)."""
    core = build_core(CoreSettings(DATABASE_URL=url), org=parse_org_config(ORG, "bench.yaml"))
    if url.startswith("postgresql"):
        async with core.engine.begin() as conn:
            tables = ", ".join(t.name for t in Base.metadata.sorted_tables)
            await conn.execute(text(f"TRUNCATE {tables} RESTART IDENTITY CASCADE"))
    playbook = core.playbooks.get("personal-data-leak")
    now = datetime.now(UTC)
    far = now + timedelta(days=20)
    per_incident = reminders // incidents
    async with core.engine.begin() as conn:
        await conn.execute(
            insert(Incident),
            [
                {
                    "id": i,
                    "reference": f"LEAK-2026-{i:05d}",
                    "status": "open",
                    "platform": "slack",
                    "reporter_id": "UREPORTER",
                    "reporter_lang": "ja",
                    "aware_at": now,
                    "cause": "unknown",
                    "facts": {"summary": "bench", "persons": 5000},
                    "assessment": {},
                    "playbook_id": playbook.id,
                    "channel_id": f"C{i:08d}",
                    "channel_name": f"leak-{i}",
                    "created_at": now,
                    "updated_at": now,
                    "audit_head": "",
                }
                for i in range(1, incidents + 1)
            ],
        )
        await conn.execute(
            insert(Member),
            [
                {
                    "incident_id": i,
                    "platform": "slack",
                    "user_id": u,
                    "role": r,
                    "added_by": "bench",
                    "added_at": now,
                }
                for i in range(1, incidents + 1)
                for u, r in (("UCOMMANDER", "commander"), ("ULEGAL", "legal"), ("UEXEC", "executives"))
            ],
        )
        for start in range(1, incidents + 1, 1000):
            await conn.execute(
                insert(StepState),
                [
                    {"incident_id": i, "step_id": s.id, "state": "todo", "updated_at": now}
                    for i in range(start, min(start + 1000, incidents + 1))
                    for s in playbook.steps
                ],
            )
        await conn.execute(
            insert(Deadline),
            [
                {
                    "incident_id": i,
                    "key": "final",
                    "kind": "final",
                    "due_at": far,
                    "status": "pending",
                    "created_at": now,
                    "updated_at": now,
                }
                for i in range(1, incidents + 1)
            ],
        )
        rows = []
        for i in range(1, incidents + 1):
            for n in range(per_incident):
                rows.append(
                    {
                        "incident_id": i,
                        "deadline_key": "final",
                        "deadline_due_at": far,
                        "kind": "before",
                        "target": "channel",
                        "planned_at": far - timedelta(minutes=n + 1),
                        "due_at": far - timedelta(minutes=n + 1),
                        "state": "pending",
                        "attempts": 0,
                    }
                )
        # the ones that will fire during the measurement, spread over SPREAD seconds, one per incident
        due_by_channel = {}
        for k in range(fire):
            row = rows[k * (len(rows) // fire)]
            row["due_at"] = row["planned_at"] = fire_at + timedelta(milliseconds=(k * SPREAD * 1000) // fire)
            due_by_channel[f"C{row['incident_id']:08d}"] = row["due_at"].timestamp()
        DUE_FILE.write_text(json.dumps(due_by_channel))
        for start in range(0, len(rows), 10000):
            await conn.execute(insert(Reminder), rows[start : start + 10000])
    await core.close()


async def measure(url: str, fire: int) -> dict:
    logging.basicConfig(level=os.environ.get("BENCH_LOG", "WARNING"), stream=sys.stderr)
    stub = SlackStub()
    stub_runner, api_url = await stub.start()
    started = time.perf_counter()
    core = build_core(
        CoreSettings(DATABASE_URL=url), clock=SystemClock(), org=parse_org_config(ORG, "bench.yaml")
    )
    client = make_client("xoxb-bench", api_url)
    runner = ReminderRunner(
        core.reminder_service(
            {"slack": PlatformNotifier(SlackPlatform(client), core.clock, core.org.language)}, "bench"
        ),
        sweep_seconds=30,
    )
    await runner.start()
    rebuild = time.perf_counter() - started
    rss_after_rebuild = rss_mb()
    deadline = time.time() + 60
    while len(stub.arrivals) < fire and time.time() < deadline:  # noqa: ASYNC110 - a bench polls
        await asyncio.sleep(0.1)
    await runner.stop()
    await core.close()
    await client.close()
    await stub_runner.cleanup()
    due_by_channel = json.loads(DUE_FILE.read_text())
    latencies = sorted(
        max(0.0, arrived - due_by_channel[body["channel"]])
        for arrived, body in stub.arrivals
        if body.get("channel") in due_by_channel
    )
    return {
        "rebuild_s": rebuild,
        "rss_mb_rebuild": rss_after_rebuild,
        "rss_mb_end": rss_mb(),
        "fired": len(stub.arrivals),
        "p50_ms": statistics.median(latencies) * 1000 if latencies else float("nan"),
        "p99_ms": latencies[int(len(latencies) * 0.99) - 1] * 1000 if latencies else float("nan"),
    }


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--incidents", type=int, default=10_000)
    parser.add_argument("--reminders", type=int, default=100_000)
    parser.add_argument("--fire", type=int, default=1_000)
    parser.add_argument("--postgres", default=None)
    parser.add_argument("--skip-sqlite", action="store_true")
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--phase", choices=["all", "seed", "measure"], default="all")
    parser.add_argument("--url", default=None)
    parser.add_argument("--fire-at", type=float, default=None)
    args = parser.parse_args()
    if args.phase == "seed":
        asyncio.run(
            seed(
                args.url, args.incidents, args.reminders, args.fire, datetime.fromtimestamp(args.fire_at, UTC)
            )
        )
        return
    if args.phase == "measure":
        print(json.dumps(asyncio.run(measure(args.url, args.fire))))
        return
    targets: dict[str, str | None] = {} if args.skip_sqlite else {"sqlite": None}
    if args.postgres:
        targets["postgresql"] = args.postgres
    results = {}
    for name, url in targets.items():
        runs = []
        for _ in range(args.runs):
            db_url = url or f"sqlite+aiosqlite:///{Path(tempfile.mkdtemp()) / 'bench.db'}"
            migrate.upgrade(db_url)
            fire_at = time.time() + 40
            common = [
                sys.executable,
                __file__,
                "--url",
                db_url,
                "--incidents",
                str(args.incidents),
                "--reminders",
                str(args.reminders),
                "--fire",
                str(args.fire),
            ]
            subprocess.run([*common, "--phase", "seed", "--fire-at", str(fire_at)], check=True)
            time.sleep(
                max(0.0, fire_at - time.time() - 10)
            )  # start the cold process 10 s before they fall due
            out = subprocess.run([*common, "--phase", "measure"], check=True, capture_output=True, text=True)
            runs.append(json.loads(out.stdout.strip().splitlines()[-1]))
            print(name, runs[-1], flush=True)
        results[name] = runs
    summary = {k: {m: statistics.median(r[m] for r in v) for m in v[0]} for k, v in results.items()}
    print(json.dumps({"runs": results, "median": summary}, indent=1))


if __name__ == "__main__":
    main()
