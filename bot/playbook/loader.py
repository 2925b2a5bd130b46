"""Loading playbooks: the shipped ones, then an organization's own from LEAKBOT_PLAYBOOKS_DIR.

Every problem is reported with the file and the step it concerns, all at once.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

import yaml
from pydantic import BaseModel, ValidationError

from bot.playbook.schema import Overlay, Playbook, Step
from bot.resources import shipped

DEFAULT_PLAYBOOKS_DIR = shipped("playbooks")  # playbooks/ in the checkout, package data when installed


class PlaybookError(Exception):
    def __init__(self, errors: list[str]) -> None:
        super().__init__("\n".join(errors))
        self.errors = errors


def _step_label(data: object, index: int, section: str) -> str:
    items = data.get(section) if isinstance(data, dict) else None
    if isinstance(items, list) and index < len(items) and isinstance(items[index], dict):
        step_id = items[index].get("id")
        if step_id:
            return f"step {step_id!r}"
    return f"{section}[{index}]"


def _pydantic_errors(source: str, data: object, exc: ValidationError) -> list[str]:
    messages = []
    for error in exc.errors():
        loc = list(error["loc"])
        where = ""
        if len(loc) >= 2 and loc[0] in ("steps", "add", "override") and isinstance(loc[1], int):
            where = _step_label(data, loc[1], str(loc[0])) + ": "
            loc = loc[2:]
        field_name = ".".join(str(p) for p in loc) or "(top level)"
        message = error["msg"]
        if error["type"] == "extra_forbidden":
            message = "unknown key"
        messages.append(f"{source}: {where}{field_name}: {message}")
    return messages


def check_structure(playbook: Playbook, source: str) -> list[str]:
    """What pydantic cannot see: duplicates, dangling references, unknown phases, cycles."""
    errors: list[str] = []
    phases = [p.id for p in playbook.phases]
    for duplicate in {p for p in phases if phases.count(p) > 1}:
        errors.append(f"{source}: phase {duplicate!r}: duplicate phase id")
    ids = [s.id for s in playbook.steps]
    for duplicate in sorted({i for i in ids if ids.count(i) > 1}):
        errors.append(f"{source}: step {duplicate!r}: duplicate step id")
    known = set(ids)
    for step in playbook.steps:
        if step.phase not in phases:
            errors.append(f"{source}: step {step.id!r}: unknown phase {step.phase!r}")
        for required in step.requires:
            if required not in known:
                errors.append(f"{source}: step {step.id!r}: requires unknown step {required!r}")
            if required == step.id:
                errors.append(f"{source}: step {step.id!r}: requires itself")
        if step.due and step.due.after != "awareness" and step.due.after not in known:
            errors.append(f"{source}: step {step.id!r}: due after unknown step {step.due.after!r}")
    errors.extend(
        f"{source}: step {s!r}: is part of a requires cycle" for s in _cycle_members(playbook.steps)
    )
    return errors


def _cycle_members(steps: Iterable[Step]) -> list[str]:
    graph = {s.id: [r for r in s.requires if r != s.id] for s in steps}
    state: dict[str, int] = {}  # 1: visiting, 2: done
    in_cycle: set[str] = set()

    def visit(node: str, path: list[str]) -> None:
        state[node] = 1
        path.append(node)
        for nxt in graph.get(node, []):
            if nxt not in graph:
                continue
            if state.get(nxt) == 1:
                in_cycle.update(path[path.index(nxt) :])
            elif state.get(nxt) is None:
                visit(nxt, path)
        path.pop()
        state[node] = 2

    for node in graph:
        if node not in state:
            visit(node, [])
    return sorted(in_cycle)


def _parse(path: Path) -> tuple[object, list[str]]:
    try:
        return yaml.safe_load(path.read_text(encoding="utf-8")), []
    except OSError as exc:
        return None, [f"{path}: cannot be read: {exc.strerror}"]
    except yaml.YAMLError as exc:
        return None, [f"{path}: not valid YAML: {exc}".replace("\n", " ")]


def _validate(model: type[BaseModel], data: object, source: str) -> tuple[BaseModel | None, list[str]]:
    try:
        return model.model_validate(data), []
    except ValidationError as exc:
        return None, _pydantic_errors(source, data, exc)


def load_document(path: Path) -> tuple[Playbook | Overlay | None, list[str]]:
    """One file: a whole playbook, or an overlay (it has ``extends``) that changes one."""
    data, errors = _parse(path)
    if errors:
        return None, errors
    source = str(path)
    if not isinstance(data, dict):
        return None, [f"{source}: (top level): expected a playbook mapping"]
    if "extends" in data:
        return _validate(Overlay, data, source)  # type: ignore[return-value]
    playbook, errors = _validate(Playbook, data, source)
    if playbook is None:
        return None, errors
    return playbook, check_structure(playbook, source)  # type: ignore[return-value,arg-type]


def apply_overlay(base: Playbook, overlay: Overlay, source: str) -> tuple[Playbook | None, list[str]]:
    steps = {s.id: s for s in base.steps}
    errors: list[str] = []
    for step_id in overlay.remove:
        if steps.pop(step_id, None) is None:
            errors.append(f"{source}: step {step_id!r}: cannot remove a step the playbook does not have")
    for patch in overlay.override:
        if patch.id not in steps:
            errors.append(f"{source}: step {patch.id!r}: cannot override a step the playbook does not have")
            continue
        changes = patch.model_dump(exclude_unset=True, exclude={"id"})
        steps[patch.id] = Step.model_validate(steps[patch.id].model_dump() | changes)
    for step in overlay.add:
        if step.id in steps:
            errors.append(f"{source}: step {step.id!r}: duplicate step id (use override to change it)")
        steps[step.id] = step
    if errors:
        return None, errors
    # Removing a step also drops it from the others' requires, so an overlay need not repeat itself.
    removed = set(overlay.remove)
    kept = [
        s.model_copy(update={"requires": tuple(r for r in s.requires if r not in removed)})
        for s in steps.values()
    ]
    merged = base.model_copy(update={"steps": tuple(kept)})
    return merged, check_structure(merged, source)


@dataclass
class PlaybookRegistry:
    playbooks: dict[str, Playbook] = field(default_factory=dict)
    sources: dict[str, str] = field(default_factory=dict)

    def get(self, playbook_id: str) -> Playbook:
        try:
            return self.playbooks[playbook_id]
        except KeyError:
            raise PlaybookError([f"no playbook with id {playbook_id!r}"]) from None

    @classmethod
    def load(cls, *directories: Path | None) -> PlaybookRegistry:
        """Load every *.yaml in order; later directories add playbooks or change earlier ones."""
        registry = cls()
        errors: list[str] = []
        for directory in directories:
            if directory is None:
                continue
            if not directory.is_dir():
                errors.append(f"{directory}: not a directory")
                continue
            for path in sorted([*directory.glob("*.yaml"), *directory.glob("*.yml")]):
                errors.extend(registry._add(path))
        if errors:
            raise PlaybookError(errors)
        return registry

    def _add(self, path: Path) -> list[str]:
        document, errors = load_document(path)
        if errors or document is None:
            return errors
        if isinstance(document, Overlay):
            base = self.playbooks.get(document.extends)
            if base is None:
                return [f"{path}: extends: no playbook with id {document.extends!r}"]
            merged, errors = apply_overlay(base, document, str(path))
            if merged is None or errors:
                return errors
            document = merged
        self.playbooks[document.id] = document
        self.sources[document.id] = str(path)
        return []
