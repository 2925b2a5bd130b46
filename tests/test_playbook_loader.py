"""Broken playbooks are refused with every error, each naming the file and the step."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from adapters.cli.main import main
from bot.playbook.loader import PlaybookError, PlaybookRegistry
from tests.conftest import DATA

MINI = yaml.safe_load((DATA / "playbooks" / "mini.yaml").read_text(encoding="utf-8"))


def write(tmp_path: Path, data: dict, name: str = "book.yaml") -> Path:
    directory = tmp_path / "books"
    directory.mkdir(exist_ok=True)
    path = directory / name
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    return path


def broken(tmp_path: Path, change) -> list[str]:
    data = yaml.safe_load(yaml.safe_dump(MINI))
    change(data)
    path = write(tmp_path, data)
    with pytest.raises(PlaybookError) as refused:
        PlaybookRegistry.load(path.parent)
    assert all(str(path) in e for e in refused.value.errors), "every error names the file"
    return refused.value.errors


def step(data: dict, step_id: str) -> dict:
    return next(s for s in data["steps"] if s["id"] == step_id)


def test_unknown_key(tmp_path) -> None:
    errors = broken(tmp_path, lambda d: step(d, "contain").update(colour="red"))
    assert errors == [f"{tmp_path}/books/book.yaml: step 'contain': colour: unknown key"]


def test_duplicate_ids(tmp_path) -> None:
    errors = broken(tmp_path, lambda d: d["steps"].append(dict(step(d, "scope"))))
    assert any("step 'scope': duplicate step id" in e for e in errors)


def test_dangling_requires(tmp_path) -> None:
    errors = broken(
        tmp_path, lambda d: step(d, "contain").update(requires=["tell_boss", "call_ghostbusters"])
    )
    assert any("step 'contain': requires unknown step 'call_ghostbusters'" in e for e in errors)


def test_unknown_role(tmp_path) -> None:
    errors = broken(tmp_path, lambda d: step(d, "scope").update(owner="janitor"))
    assert len(errors) == 1 and "step 'scope': owner:" in errors[0] and "commander" in errors[0]


def test_unknown_phase(tmp_path) -> None:
    errors = broken(tmp_path, lambda d: step(d, "scope").update(phase="aftermath"))
    assert any("step 'scope': unknown phase 'aftermath'" in e for e in errors)


def test_cycle(tmp_path) -> None:
    errors = broken(tmp_path, lambda d: step(d, "tell_boss").update(requires=["contain"]))
    assert any("step 'tell_boss': is part of a requires cycle" in e for e in errors)
    assert any("step 'contain': is part of a requires cycle" in e for e in errors)


def test_all_errors_at_once(tmp_path) -> None:
    def several(d: dict) -> None:
        step(d, "scope").update(phase="aftermath")
        step(d, "contain").update(requires=["nope"])

    assert len(broken(tmp_path, several)) == 2


def test_overlay_overrides_adds_and_removes(tmp_path) -> None:
    overlay = {
        "extends": "mini",
        "override": [
            {"id": "scope", "owner": "commander"},
            {"id": "contain", "due": {"after": "awareness", "hours": 4}},  # its anchor step is removed
        ],
        "add": [
            {
                "id": "tell_group",
                "phase": "initial",
                "owner": "commander",
                "title": {"ja": "親会社へ連絡", "en": "Tell the parent company"},
                "guidance": {"ja": "グループCSIRTへ", "en": "Call the group CSIRT"},
                "requires": ["tell_boss"],
            }
        ],
        "remove": ["tell_boss"],
    }
    org_dir = write(tmp_path, overlay, "acme.yaml").parent
    book = PlaybookRegistry.load(DATA / "playbooks", org_dir).get("mini")
    by_id = {s.id: s for s in book.steps}
    assert "tell_boss" not in by_id
    assert by_id["scope"].owner == "commander"
    assert by_id["scope"].title.ja == "影響範囲", "fields not given stay as they were"
    assert by_id["tell_group"].requires == ()
    assert by_id["contain"].requires == ()
    assert by_id["contain"].due is not None and by_id["contain"].due.after == "awareness"


def test_overlay_of_unknown_step(tmp_path) -> None:
    org_dir = write(
        tmp_path, {"extends": "mini", "override": [{"id": "nope", "owner": "it"}]}, "o.yaml"
    ).parent
    with pytest.raises(PlaybookError) as refused:
        PlaybookRegistry.load(DATA / "playbooks", org_dir)
    assert "step 'nope': cannot override a step the playbook does not have" in refused.value.errors[0]


def test_cli_validate_lists_every_error(tmp_path, capsys) -> None:
    data = yaml.safe_load(yaml.safe_dump(MINI))
    step(data, "scope")["phase"] = "aftermath"
    step(data, "contain")["requires"] = ["nope"]
    path = write(tmp_path, data)
    with pytest.raises(SystemExit) as exit_info:
        main(["playbook", "validate", str(path)])
    err = capsys.readouterr().err
    assert exit_info.value.code == 2
    assert "step 'scope': unknown phase" in err and "step 'contain': requires unknown step 'nope'" in err


def test_cli_validate_good_file(capsys) -> None:
    with pytest.raises(SystemExit) as exit_info:
        main(["playbook", "validate", str(DATA / "playbooks" / "mini.yaml")])
    assert exit_info.value.code == 0 and "ok: mini" in capsys.readouterr().out


def test_cli_show_lists_a_branch_in_order_with_owners(capsys) -> None:
    with pytest.raises(SystemExit) as exit_info:
        main(["playbook", "show", "--cause", "loss_theft", "--lang", "en"])
    out = capsys.readouterr().out
    assert exit_info.value.code == 0
    assert (
        out.index("First report to superiors")
        < out.index("Search for the lost item")
        < out.index("Report to the police")
    )
    assert "(commander)" in out and "Cut the network" not in out, "another branch's steps are not shown"
