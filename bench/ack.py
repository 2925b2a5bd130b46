"""Benchmark: the `/leak` acknowledgement under a burst, leakbot beside a bare slack-bolt app (issue 22).

Four processes, as in production where Slack is elsewhere:
- the fake Slack (adapters/fakes, every call spec-checked), shared by both apps;
- `leakbot serve`, the real command (its database, reminders, logging at INFO), configured by environment;
- a bare slack-bolt AsyncApp served by bolt's own aiohttp `web_app()`, with the default AsyncWebClient, whose
  `/leak` listener acks and opens a one-block modal: the natural baseline;
- this process, which signs the commands and sends a burst of ``--concurrent`` at once.

A burst's p99 (with 50 samples: its slowest) is measured from sending a command to its HTTP answer. After
each burst the bench waits until the fake Slack has received every views.open the burst asked for (the work
the ack promised) and the app has been idle a moment, so a burst never pays for the previous one's tail
(the defect of the first version of this measurement, see docs/benchmarks.md). Each run starts fresh
processes and a fresh database, warms both apps (a burst of 10, then one of 50: a long-running server's
connections and caches are warm), then alternates the apps' bursts (leakbot, bare, bare, leakbot, …); a
run's figure is the median of its bursts' p99; the result is the median of the runs. Also reported: the
ratio of bursts that ran next to each other (under about the same load), each app's CPU per /leak (user +
system, from /proc, over everything the app did for its bursts), which the machine's load moves far less
than latency, and the fake Slack's CPU per /leak for each app (it shares the 2 cores; real Slack does not).

Usage: uv run python bench/ack.py --runs 3 [--postgres postgresql+asyncpg://postgres@127.0.0.1:5432/db]
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from aiohttp import ClientSession, web  # noqa: E402
from journey import ORG, PEOPLE, fresh_database, pct  # noqa: E402

from adapters.fakes.slack.server import TOKEN, FakeSlack  # noqa: E402
from adapters.fakes.slack_driver import SlackDriver  # noqa: E402
from adapters.fakes.slack_harness import SIGNING_SECRET  # noqa: E402

HERE = Path(__file__).resolve()
QUIET = 0.3  # seconds an app is left idle after its burst's modals have all opened


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


# --- the processes ------------------------------------------------------------------------------------------


async def serve_fake(control_port: int) -> None:
    """The fake Slack, and a control endpoint answering how many views.open it has received."""
    slack = FakeSlack()
    for user in PEOPLE:
        slack.add_user(user, f"{user.lower()}@example.co.jp")
    api_url = await slack.start()

    async def opened(_: web.Request) -> web.Response:
        return web.json_response({"opened": len(slack.opened_views), "violations": len(slack.violations)})

    control = web.Application()
    control.router.add_get("/opened", opened)
    runner = web.AppRunner(control, access_log=None)
    await runner.setup()
    await web.TCPSite(runner, "127.0.0.1", control_port).start()
    print(api_url, flush=True)
    await asyncio.Event().wait()


async def serve_bare(api_url: str, port: int) -> None:
    from slack_bolt.async_app import AsyncApp
    from slack_sdk.web.async_client import AsyncWebClient

    app = AsyncApp(client=AsyncWebClient(token=TOKEN, base_url=api_url), signing_secret=SIGNING_SECRET)

    @app.command("/leak")
    async def leak(ack, command, client):
        await ack()
        await client.views_open(
            trigger_id=command["trigger_id"],
            view={
                "type": "modal",
                "callback_id": "bare",
                "title": {"type": "plain_text", "text": "Report"},
                "blocks": [{"type": "section", "text": {"type": "mrkdwn", "text": "hello"}}],
            },
        )

    runner = web.AppRunner(app.web_app(path="/slack/events", port=port))
    await runner.setup()
    await web.TCPSite(runner, "127.0.0.1", port).start()
    print("ready", flush=True)
    await asyncio.Event().wait()


# --pin: the apps on a core of their own, the fake Slack and this driver on the other(s)
PIN: dict[str, set[int]] = {}


def spawn(
    args: list[str], env: dict[str, str] | None = None, *, pipe: bool = False, role: str = "app"
) -> subprocess.Popen:
    process = subprocess.Popen(
        args,
        cwd=ROOT,
        env={**os.environ, **(env or {})},
        stdout=subprocess.PIPE if pipe else subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        text=True,
    )
    if role in PIN:
        os.sched_setaffinity(process.pid, PIN[role])
    return process


def leakbot_env(database_url: str, api_url: str, port: int, workdir: Path) -> dict[str, str]:
    from bot.storage.crypto import generate_key

    config = workdir / "leakbot.yaml"
    config.write_text(ORG, encoding="utf-8")
    return {
        "DATABASE_URL": database_url,
        "LEAKBOT_CONFIG": str(config),
        "LEAKBOT_DATA_KEY": generate_key(),
        "SLACK_BOT_TOKEN": TOKEN,
        "SLACK_SIGNING_SECRET": SIGNING_SECRET,
        "LEAKBOT_SLACK_API_URL": api_url,
        "LEAKBOT_PORT": str(port),
        "LEAKBOT_HOST": "127.0.0.1",
    }


async def until_up(session: ClientSession, url: str, process: subprocess.Popen) -> None:
    for _ in range(600):
        if process.poll() is not None:
            raise RuntimeError(f"{url}: the process ended ({process.returncode})")
        try:
            async with session.post(url, data=b"") as resp:
                if resp.status < 500:
                    return
        except OSError:
            pass
        await asyncio.sleep(0.1)
    raise RuntimeError(f"{url} did not start")


# --- the measurement ----------------------------------------------------------------------------------------


class Opened:
    def __init__(self, session: ClientSession, control_port: int) -> None:
        self.session = session
        self.url = f"http://127.0.0.1:{control_port}/opened"

    async def get(self) -> dict[str, int]:
        async with self.session.get(self.url) as resp:
            return await resp.json()

    async def wait_for(self, count: int) -> None:
        deadline = time.perf_counter() + 30
        while (await self.get())["opened"] < count:
            assert time.perf_counter() < deadline, "the modals were not all opened"
            await asyncio.sleep(0.01)


def cpu_seconds(process: subprocess.Popen) -> float:
    """User + system CPU the process has used (Linux /proc; 10 ms resolution)."""
    fields = Path(f"/proc/{process.pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


async def burst(
    driver: SlackDriver, opened: Opened, concurrent: int, server: subprocess.Popen, fake: subprocess.Popen
) -> tuple[float, float, float]:
    """One burst of /leak: its p99 in ms, and the app's and the fake Slack's CPU ms per /leak, once the
    modals it asked for have all opened."""
    before = (await opened.get())["opened"]
    cpu, fake_cpu = cpu_seconds(server), cpu_seconds(fake)

    async def one(n: int) -> float:
        started = time.perf_counter()
        status, _ = await driver.command(PEOPLE[n % len(PEOPLE)], "")
        assert status == 200
        return time.perf_counter() - started

    latencies = await asyncio.gather(*(one(n) for n in range(concurrent)))
    await opened.wait_for(before + concurrent)
    await asyncio.sleep(QUIET)
    per_command = 1000 / concurrent
    return (
        pct(list(latencies), 99) * 1000,
        (cpu_seconds(server) - cpu) * per_command,
        (cpu_seconds(fake) - fake_cpu) * per_command,
    )


async def one_run(url: str | None, workdir: Path, bursts: int, concurrent: int) -> dict[str, list]:
    database_url = await fresh_database(url, workdir)
    control_port, leak_port, bare_port = free_port(), free_port(), free_port()
    me = [sys.executable, str(HERE)]
    fake = spawn([*me, "--serve", "fake", "--port", str(control_port)], pipe=True, role="fake")
    processes = [fake]
    try:
        assert fake.stdout is not None
        api_url = (await asyncio.to_thread(fake.stdout.readline)).strip()
        leakbot = Path(sys.executable).with_name("leakbot")
        env = leakbot_env(database_url, api_url, leak_port, workdir)
        processes.append(spawn([str(leakbot), "serve"], env))
        processes.append(spawn([*me, "--serve", "bare", "--api-url", api_url, "--port", str(bare_port)]))
        async with ClientSession() as session:
            opened = Opened(session, control_port)
            drivers = {
                "leakbot": SlackDriver(f"http://127.0.0.1:{leak_port}", SIGNING_SECRET),
                "bare bolt": SlackDriver(f"http://127.0.0.1:{bare_port}", SIGNING_SECRET),
            }
            try:
                servers = dict(zip(drivers, processes[1:], strict=True))
                for name, process in servers.items():
                    await until_up(session, f"{drivers[name].base_url}/slack/events", process)
                for name, driver in drivers.items():  # warm both (imports, auth.test, connections, locales)
                    await burst(driver, opened, 10, servers[name], fake)  # a small burst, then a full one
                    await burst(driver, opened, concurrent, servers[name], fake)
                measured: dict[str, list] = {name: [] for name in drivers}
                order = list(drivers)
                for n in range(bursts):
                    for name in order if n % 2 == 0 else order[::-1]:
                        measured[name].append(
                            await burst(drivers[name], opened, concurrent, servers[name], fake)
                        )
                assert (await opened.get())["violations"] == 0, "the fake Slack refused a call"
            finally:
                for driver in drivers.values():
                    await driver.close()
        return measured
    finally:
        for process in processes:
            process.terminate()
        for process in processes:
            process.wait(10)


async def bench(url: str | None, runs: int, bursts: int, concurrent: int) -> dict:
    workdir = Path(tempfile.mkdtemp(prefix="leakbot-ack-"))
    per_run = [await one_run(url, workdir, bursts, concurrent) for _ in range(runs)]
    med = statistics.median

    def run_medians(name: str, index: int) -> list[float]:
        return [med(b[index] for b in r[name]) for r in per_run]

    leak, bare = run_medians("leakbot", 0), run_medians("bare bolt", 0)

    def run_means(name: str, index: int) -> list[float]:  # CPU: a run's bursts together (10 ms ticks)
        return [statistics.fmean(b[index] for b in r[name]) for r in per_run]

    leak_cpu, bare_cpu = run_means("leakbot", 1), run_means("bare bolt", 1)
    leak_fake, bare_fake = run_means("leakbot", 2), run_means("bare bolt", 2)
    # the n-th burst of each app ran next to each other (L B, B L, …), under about the same load
    paired = [med(a[0] / b[0] for a, b in zip(r["leakbot"], r["bare bolt"], strict=True)) for r in per_run]
    return {
        "leakbot p99 ms (median of runs)": med(leak),
        "bare bolt p99 ms (median of runs)": med(bare),
        "ratio": med(leak) / med(bare),
        "ratio of adjacent bursts (median of each run's, median of runs)": med(paired),
        "runs (median burst p99 ms, leakbot/bare)": [
            f"{a:.0f}/{b:.0f}" for a, b in zip(leak, bare, strict=True)
        ],
        "app CPU ms per /leak (a run's bursts, median of runs), leakbot/bare": f"{med(leak_cpu):.2f}/{med(bare_cpu):.2f}",
        "fake Slack CPU ms per /leak (median of runs), for leakbot/for bare": (
            f"{med(leak_fake):.2f}/{med(bare_fake):.2f}"
        ),
        "runs app CPU ms per /leak, leakbot/bare": [
            f"{a:.2f}/{b:.2f}" for a, b in zip(leak_cpu, bare_cpu, strict=True)
        ],
        "bursts p99 ms leakbot": [[round(b[0]) for b in r["leakbot"]] for r in per_run],
        "bursts p99 ms bare bolt": [[round(b[0]) for b in r["bare bolt"]] for r in per_run],
    }


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--bursts", type=int, default=8, help="bursts per app in each run")
    parser.add_argument("--concurrent", type=int, default=50)
    parser.add_argument("--postgres", default=None)
    parser.add_argument("--skip-sqlite", action="store_true")
    parser.add_argument(
        "--pin", action="store_true", help="the apps on the last core, the rest on the others"
    )
    parser.add_argument("--serve", choices=["fake", "bare"], help=argparse.SUPPRESS)
    parser.add_argument("--port", type=int, help=argparse.SUPPRESS)
    parser.add_argument("--api-url", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.serve == "fake":
        asyncio.run(serve_fake(args.port))
        return
    if args.serve == "bare":
        asyncio.run(serve_bare(args.api_url, args.port))
        return
    if args.pin:
        cores = sorted(os.sched_getaffinity(0))
        PIN["app"], PIN["fake"] = {cores[-1]}, set(cores[:-1])
        os.sched_setaffinity(0, PIN["fake"])
    load = os.getloadavg()
    results: dict = {"load average at start (1, 5, 15 min)": [round(v, 2) for v in load]}
    engines = ([] if args.skip_sqlite else [("SQLite", None)]) + (
        [("PostgreSQL", args.postgres)] if args.postgres else []
    )
    for name, url in engines:
        results[name] = asyncio.run(bench(url, args.runs, args.bursts, args.concurrent))
    results["load average at end (1, 5, 15 min)"] = [round(v, 2) for v in os.getloadavg()]
    print(json.dumps(results, indent=2, ensure_ascii=False, default=lambda v: round(v, 1)))


if __name__ == "__main__":
    main()
