"""The manifest asks for exactly the scopes the code uses: every Web API method called anywhere in the
product is mapped to its scope (adapters/slack/scopes.py), every mapped method is called, and the scopes
they need are the manifest's, no more, no less."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from adapters.fakes.slack.spec import spec
from adapters.slack.scopes import (
    APP_TOKEN_SCOPES,
    FEATURE_SCOPES,
    METHOD_SCOPES,
    needed_scopes,
    requested_scopes,
)

ROOT = Path(__file__).resolve().parents[1]
FAMILIES = "chat|conversations|users|views|files|auth|apps|team|reactions|pins|bookmarks|usergroups|dnd|search|emoji|bots|dialog|canvases|assistant"
SDK_CALL = re.compile(rf"\.((?:{FAMILIES})_[A-Za-z0-9_]+)\(")
RAW_CALL = re.compile(r"api_call\(\s*[\"']([a-z]+\.[A-Za-z.]+)[\"']")
# slack_sdk helpers that call several Web API methods
COMPOSITE = {"files_upload_v2": {"files.getUploadURLExternal", "files.completeUploadExternal"}}


def methods_called() -> dict[str, set[str]]:
    """Web API method -> the product files that call it (the fakes and tests are not the product)."""
    found: dict[str, set[str]] = {}
    for path in [*ROOT.glob("adapters/**/*.py"), *ROOT.glob("bot/**/*.py")]:
        if "fakes" in path.parts:
            continue
        source = path.read_text(encoding="utf-8")
        names = set(RAW_CALL.findall(source))
        for sdk_name in SDK_CALL.findall(source):
            names |= COMPOSITE.get(sdk_name, {sdk_name.replace("_", ".")})
        for name in names:
            found.setdefault(name, set()).add(str(path.relative_to(ROOT)))
    return found


def test_every_method_the_code_calls_is_mapped_to_its_scope() -> None:
    mapped = METHOD_SCOPES | APP_TOKEN_SCOPES
    unmapped = {m: sorted(files) for m, files in methods_called().items() if m not in mapped}
    assert not unmapped, f"add these to adapters/slack/scopes.py METHOD_SCOPES: {unmapped}"


def test_every_mapped_method_is_called() -> None:
    unused = set(METHOD_SCOPES | APP_TOKEN_SCOPES) - set(methods_called())
    assert not unused, f"no code calls {sorted(unused)}: drop them from METHOD_SCOPES"


def test_the_manifest_asks_for_exactly_what_the_code_needs() -> None:
    requested = set(requested_scopes())
    assert len(requested) == len(requested_scopes()), "a scope is listed twice"
    assert requested - needed_scopes() == set(), "the manifest asks for scopes no code uses"
    assert needed_scopes() - requested == set(), "the code needs scopes the manifest does not ask for"
    assert "commands" in FEATURE_SCOPES


@pytest.mark.parametrize("method", sorted(METHOD_SCOPES))
def test_each_scope_is_one_slacks_spec_accepts_for_the_method(method) -> None:
    document = spec()
    if document is None:
        pytest.skip("Slack's Web API spec is not available (LEAKBOT_SPECS_DIR or ../shared/specs)")
    path = document["paths"].get(f"/{method}")
    if path is None:
        pytest.skip(f"{method} is newer than the 2021 spec")
    operation = next(iter(path.values()))
    accepted = {
        re.sub(r":(bot|user)$", "", scope)
        for requirement in operation.get("security", [])
        for scope in requirement.get("slackAuth", [])
    }
    scope = METHOD_SCOPES[method]
    for one in scope if isinstance(scope, tuple) else (scope or "none",):
        assert one in accepted, f"{method}: the spec accepts {sorted(accepted)}"
