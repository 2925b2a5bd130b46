"""Closing an incident (issue 21), in the core's journey against the in-memory platform: the export is written
where the org config says, then — once the summary shows it closed — the response space is archived; an export
that cannot be written leaves the space open and says why; reopening unarchives the space before anything is
posted in it."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import pytest

from bot.bootstrap import build_core
from bot.config.org import parse_org_config
from bot.config.settings import CoreSettings
from bot.services.ports import OPERATOR
from tests.conftest import ORG_YAML
from tests.fake_platform import FakePlatform
from tests.test_journey import COMMANDER, report


@pytest.fixture
def built(clean_database, clock):
    async def make(export_dir: Path | None):
        extra = f"retention: {{export_dir: '{export_dir}'}}\n" if export_dir else ""
        org = parse_org_config(ORG_YAML + extra, "org.yaml")
        core = build_core(CoreSettings(DATABASE_URL=clean_database), clock=clock, org=org)
        platform = FakePlatform()
        core.journey.add_platform(platform)
        core.journey.backoff = lambda attempts: timedelta(0)
        return core, platform

    return make


def actions(trail) -> list[str]:
    return [e.action for e in trail]


async def test_closing_exports_then_archives_once_the_summary_shows_it_closed(built, clock, tmp_path) -> None:
    core, platform = await built(tmp_path / "exports")
    try:
        ref = await report(core, clock, persons=1500)
        space = (await core.incidents.get(ref, OPERATOR)).channel_id
        await core.incidents.close(ref, COMMANDER)
        await core.settle()
        written = sorted(p.name for p in (tmp_path / "exports" / ref).iterdir())
        assert {"ppc-report.md", "ppc-report.docx", "notice.md", "timeline.md", "deadlines.ics"} <= set(
            written
        )
        assert space in platform.archived
        methods = [c.method for c in platform.calls]
        archived_at = methods.index("archive_space")
        assert "update" in methods[:archived_at] and "update" not in methods[archived_at:], (
            "the summary says closed before the space turns read-only"
        )
        assert platform.posted_keys(space)[-1] == "closing"
        _, trail = await core.incidents.trail(ref, OPERATOR)
        assert actions(trail)[-3:] == ["read", "exported", "space_archived"]
        assert trail[-3].actor == "system:leakbot" and trail[-3].details == {"what": "export"}

        await core.incidents.reopen(ref, COMMANDER)
        await core.settle()
        assert space not in platform.archived
        methods = [c.method for c in platform.calls]
        unarchived_at = methods.index("unarchive_space")
        assert "post" in methods[unarchived_at:], "the reopened notice comes after the unarchive"
        assert "post" not in methods[archived_at + 1 : unarchived_at]
    finally:
        await core.close()


async def test_an_export_that_cannot_be_written_leaves_the_space_open(built, clock, tmp_path) -> None:
    blocked = tmp_path / "not-a-directory"
    blocked.write_text("a file where the directory should be")
    core, platform = await built(blocked)
    try:
        ref = await report(core, clock)
        space = (await core.incidents.get(ref, OPERATOR)).channel_id
        await core.incidents.close(ref, COMMANDER)
        await core.settle()
        assert platform.waves("archive_space") == [] and space not in platform.archived
        assert platform.posted_keys(space)[-1] == "closing-export-failed"
        _, trail = await core.incidents.trail(ref, OPERATOR)
        assert actions(trail)[-1] == "export_failed"
    finally:
        await core.close()


async def test_without_an_export_directory_the_space_is_archived_at_once(built, clock) -> None:
    core, platform = await built(None)
    try:
        ref = await report(core, clock)
        space = (await core.incidents.get(ref, OPERATOR)).channel_id
        await core.incidents.close(ref, COMMANDER)
        await core.settle()
        assert space in platform.archived
        _, trail = await core.incidents.trail(ref, OPERATOR)
        assert "exported" not in actions(trail) and actions(trail)[-1] == "space_archived"
    finally:
        await core.close()
