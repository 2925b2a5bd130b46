"""Provisioning survives a crash: a real `leakbot serve` is killed (SIGKILL) at several moments of the
set-up after a report, started again on the same database, and finishes where it stopped: one channel, each
post once, the team invited, the reporter told once."""

from __future__ import annotations

import asyncio
import os
import signal
import subprocess
import time
import urllib.request
from collections import Counter
from pathlib import Path

import pytest

from adapters.fakes.slack.server import TOKEN, FakeSlack
from adapters.fakes.slack_driver import SlackDriver
from adapters.fakes.slack_harness import modal_state
from tests.test_serve import free_port, leakbot

pytestmark = pytest.mark.slow  # CI runs it (LEAKBOT_SLOW_TESTS=1); see tests/conftest.py

SECRET = "crash-test-secret"
ORG = """
organization: {name: テスト株式会社}
channels: {prefix: leak, invite_reporter: true}
roles:
  commander: [UCOMMANDER]
  it: [UIT]
  legal: [legal@example.co.jp]
  executives: [UEXEC]
"""
PEOPLE = {
    "UCOMMANDER": "commander@example.co.jp",
    "UIT": "it@example.co.jp",
    "ULEGAL": "legal@example.co.jp",
    "UEXEC": "ceo@example.co.jp",
    "UREPORTER": "reporter@example.co.jp",
}


class Server:
    """`leakbot serve` in its own process, against the fake Slack of this test."""

    def __init__(self, tmp_path: Path, database_url: str, api_url: str) -> None:
        config = tmp_path / "org.yaml"
        config.write_text(ORG, encoding="utf-8")
        self.port = free_port()
        base = {k: v for k, v in os.environ.items() if not k.startswith(("SLACK_", "LEAKBOT_", "MICROSOFT_"))}
        self.env = base | {
            "LEAKBOT_DATA_KEY": os.environ["LEAKBOT_DATA_KEY"],  # the test key (tests/conftest.py)
            "DATABASE_URL": database_url,
            "LEAKBOT_CONFIG": str(config),
            "SLACK_BOT_TOKEN": TOKEN,
            "SLACK_SIGNING_SECRET": SECRET,
            "LEAKBOT_SLACK_API_URL": api_url,
            "LEAKBOT_SLACK_RETRY_BACKOFF": "0.01",
            "LEAKBOT_PORT": str(self.port),
            "LEAKBOT_HOST": "127.0.0.1",
            "LEAKBOT_SWEEP_SECONDS": "0.5",
            "LEAKBOT_PROVISION_LEASE_SECONDS": "1",
        }
        self.process: subprocess.Popen | None = None

    async def start(self) -> None:
        self.process = leakbot(["serve"], self.env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        deadline = time.time() + 40
        while True:
            try:
                await asyncio.to_thread(
                    urllib.request.urlopen, f"http://127.0.0.1:{self.port}/healthz", None, 2
                )
                return
            except OSError:
                assert self.process.poll() is None, "serve exited"
                assert time.time() < deadline, "serve did not start"
                await asyncio.sleep(0.2)

    def kill(self) -> None:
        if self.process is not None and self.process.poll() is None:
            os.kill(self.process.pid, signal.SIGKILL)
            self.process.wait(timeout=10)

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.terminate()
            self.process.wait(timeout=20)


@pytest.fixture
async def slack():
    fake = FakeSlack()
    await fake.start()
    for user, email in PEOPLE.items():
        fake.add_user(user, email)
    yield fake
    await fake.stop()


def posts_by_key(slack: FakeSlack, channel_id: str) -> Counter:
    return Counter(
        (m.get("metadata") or {}).get("event_payload", {}).get("key") for m in slack.messages[channel_id]
    )


async def until(check, within: float = 40.0):
    deadline = time.time() + within
    while not (result := check()):
        assert time.time() < deadline, "not done in time"
        await asyncio.sleep(0.1)
    return result


# (the Web API call after which the app is killed, how many such calls first)
KILL_POINTS = [
    ("conversations.create", 1),  # the channel exists on Slack, the app never heard
    ("conversations.invite", 1),  # in the middle of the second wave
    ("chat.postMessage", 2),  # the summary or the first phase posted, the answer lost
    ("conversations.open", 1),  # about to tell the reporter
]


@pytest.mark.parametrize(("method", "nth"), KILL_POINTS)
async def test_provisioning_resumes_after_kill_9(tmp_path, clean_database, slack, method, nth) -> None:
    server = Server(tmp_path, clean_database, slack.base_url)
    seen = Counter()

    async def crash(called: str, args: dict) -> None:
        seen[called] += 1
        if called == method and seen[called] == nth and server.process is not None:
            server.kill()

    await server.start()
    driver = SlackDriver(f"http://127.0.0.1:{server.port}", SECRET)
    try:
        await driver.command("UREPORTER", "顧客リストを誤送信")
        view = await until(lambda: slack.opened_views and slack.opened_views[-1])
        slack.after_call = crash
        status, _ = await driver.submit_view(
            "UREPORTER", view, modal_state({"summary": "顧客リストを誤送信"})
        )
        assert status == 200, "the report is saved before the modal closes"
        await until(lambda: server.process.poll() is not None, within=20)  # killed at the chosen moment
        slack.after_call = None
        await server.start()  # the same database: provisioning resumes when the lease of the dead one ends
        channels = [c for c in slack.channels.values() if c.name.startswith("leak-")]
        receipt = await until(
            lambda: [
                m
                for c in slack.channels.values()
                if c.is_im and "UREPORTER" in c.members
                for m in slack.messages[c.id]
                if "LEAK-2026-0001" in m["text"]
            ]
        )
        channels = [c for c in slack.channels.values() if c.name.startswith("leak-")]
        assert len(channels) == 1, f"one response channel, not {[c.name for c in channels]}"
        channel = channels[0]
        keys = posts_by_key(slack, channel.id)
        assert keys["summary"] == 1 and keys["phase:initial"] == 1, keys
        assert all(n == 1 for key, n in keys.items() if key and key.startswith("phase:")), keys
        assert {"UCOMMANDER", "UIT", "UREPORTER"} <= channel.members
        assert len(receipt) == 1, "the reporter is told once"
        assert slack.pins[channel.id], "the summary is pinned"
        assert slack.violations == []
    finally:
        await driver.close()
        server.stop()
