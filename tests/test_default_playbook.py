"""The shipped playbook: it validates, covers what the issue asks, and docs/seed-mapping.md maps every
seed action to steps that exist (and every step to a seed or the law)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from bot.bootstrap import load_playbooks
from bot.config.settings import CoreSettings
from bot.domain.vocabulary import Cause, DeadlineKind
from bot.playbook.loader import PlaybookRegistry

ROOT = Path(__file__).resolve().parents[1]
SEEDS = ROOT.parent / "shared" / "seeds"  # the source material, beside the checkout; not in the repository
SEED_FILES = sorted(SEEDS.glob("*.txt"))
needs_seeds = pytest.mark.skipif(
    not SEED_FILES, reason=f"no seeds at {SEEDS} (../shared beside the checkout): seed checks skipped"
)
BOOK = PlaybookRegistry.load(ROOT / "playbooks").get("personal-data-leak")
MAPPING = (ROOT / "docs" / "seed-mapping.md").read_text(encoding="utf-8")


def test_it_validates_through_the_settings_path() -> None:
    assert load_playbooks(CoreSettings()).get("personal-data-leak").steps


def test_phases_in_order() -> None:
    assert [p.id for p in BOOK.phases] == [
        "initial",
        "investigation",
        "reporting",
        "secondary_damage",
        "external",
        "prevention",
    ]


def test_every_cause_has_a_branch_of_at_least_two_steps() -> None:
    for cause in Cause:
        if cause is Cause.UNKNOWN:
            continue
        branch = [s.id for s in BOOK.steps if cause in s.causes]
        assert len(branch) >= 2, (cause, branch)


def test_legal_deadlines_are_linked_to_steps() -> None:
    linked = {s.deadline for s in BOOK.steps if s.deadline}
    assert linked == set(DeadlineKind)


def test_the_scope_step_captures_what_the_assessment_reads() -> None:
    captured = {str(f) for s in BOOK.steps for f in s.captures}
    assert {
        "persons",
        "persons_upper_bound",
        "sensitive",
        "financial",
        "malicious",
        "my_number",
        "cause",
    } <= captured


def test_every_step_id_in_the_mapping_exists() -> None:
    mentioned = set(re.findall(r"`([a-z][a-z0-9_]*)`", MAPPING))
    known = {s.id for s in BOOK.steps}
    assert mentioned - known == set()


@needs_seeds
def test_every_seed_has_a_table() -> None:
    for seed in SEED_FILES:
        prefix = seed.name.split("_")[0]
        assert f"## {prefix} — " in MAPPING, seed.name


def test_every_step_comes_from_a_seed_or_the_law() -> None:
    mentioned = set(re.findall(r"`([a-z][a-z0-9_]*)`", MAPPING))
    assert {s.id for s in BOOK.steps} - mentioned == set()


def test_every_seed_table_maps_each_row_to_a_step() -> None:
    for line in MAPPING.splitlines():
        if re.match(r"^\| \d+ \|", line):
            assert re.search(r"`[a-z][a-z0-9_]*`", line.split("|")[-2]), line


def test_the_example_overlay_applies() -> None:
    book = PlaybookRegistry.load(ROOT / "playbooks", ROOT / "examples" / "playbooks").get(
        "personal-data-leak"
    )
    by_id = {s.id: s for s in book.steps}
    assert by_id["contact_insurer"].owner == "legal"
    assert "notify_group_csirt" in by_id and "consult_public_desks" not in by_id
