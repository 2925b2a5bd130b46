"""Slack's official Web API spec (OpenAPI 2.0, ../shared/specs): which methods exist, which arguments
each knows and requires, and what a successful response looks like."""

from __future__ import annotations

from functools import cache
from typing import Any

import jsonschema

from adapters.fakes.specs import SLACK_WEB, load

# Methods Slack added after the spec was last published (2021), with their documented arguments
# (api.slack.com/methods/<name>). Kept short and explicit rather than switching the check off.
NEWER_METHODS: dict[str, dict[str, set[str]]] = {
    "files.getUploadURLExternal": {
        "known": {"token", "filename", "length", "alt_txt", "snippet_type"},
        "required": {"token", "filename", "length"},
    },
    "bookmarks.add": {  # api.slack.com/methods/bookmarks.add (2022)
        "known": {
            "token",
            "channel_id",
            "title",
            "type",
            "link",
            "emoji",
            "entity_id",
            "access_level",
            "parent_id",
        },
        "required": {"token", "channel_id", "title", "type"},
    },
    "conversations.canvases.create": {  # api.slack.com/methods/conversations.canvases.create (2024)
        "known": {"token", "channel_id", "document_content", "title"},
        "required": {"token", "channel_id"},
    },
    "canvases.edit": {  # api.slack.com/methods/canvases.edit (2024)
        "known": {"token", "canvas_id", "changes"},
        "required": {"token", "canvas_id", "changes"},
    },
    "files.completeUploadExternal": {
        "known": {"token", "files", "channel_id", "channels", "initial_comment", "thread_ts", "blocks"},
        "required": {"token", "files"},
    },
}


def spec() -> dict[str, Any] | None:
    """The spec, or None when it is not available (then only the spec checks are skipped)."""
    return load(SLACK_WEB)


def _operation(method: str) -> dict[str, Any] | None:
    document = spec()
    path = document["paths"].get(f"/{method}") if document is not None else None
    if path is None:
        return None
    return next(iter(path.values()))


# Arguments Slack added to older methods after 2021, each from the method's documentation page.
NEWER_ARGUMENTS: dict[str, set[str]] = {
    "chat.postMessage": {"metadata"},  # message metadata (2022)
    "chat.update": {"metadata"},
    "conversations.history": {"include_all_metadata"},  # returns the metadata (2022)
    "conversations.invite": {"force"},  # invite the valid users, list the others in `errors`
}


def exists(method: str) -> bool:
    return method in NEWER_METHODS or _operation(method) is not None


def arguments(method: str) -> tuple[set[str], set[str]]:
    """(known, required) argument names of a method."""
    if method in NEWER_METHODS:
        entry = NEWER_METHODS[method]
        return entry["known"], entry["required"]
    operation = _operation(method) or {}
    params = operation.get("parameters", [])
    known = {p["name"] for p in params} | NEWER_ARGUMENTS.get(method, set())
    required = {p["name"] for p in params if p.get("required")}
    return known, required


# slack_sdk adds `team_id` to every call as a default parameter when Bolt knows the workspace (it is how
# org-wide apps pick the workspace); Slack accepts it on every method, though the 2021 spec lists it on few.
ALWAYS_ACCEPTED = {"token", "team_id"}


def check_call(method: str, args: dict[str, Any], has_token: bool) -> list[str]:
    if spec() is None:
        return []
    if not exists(method):
        return [f"{method}: not a Slack Web API method"]
    known, required = arguments(method)
    problems = [
        f"{method}: unknown argument {name!r}" for name in sorted(set(args) - known - ALWAYS_ACCEPTED)
    ]
    present = set(args) | ({"token"} if has_token else set())
    problems += [f"{method}: missing required argument {name!r}" for name in sorted(required - present)]
    return problems


def response_errors(method: str, body: dict[str, Any]) -> list[str]:
    """Validate a successful response against the spec's 200 schema for the method."""
    operation = _operation(method)
    if operation is None:
        return []
    if method in SPEC_BUGS:
        body = SPEC_BUGS[method](body)
    return [f"{method}: {e.message[:200]}" for e in _validator(method).iter_errors(body)]


def _without_message_blocks(body: dict[str, Any]) -> dict[str, Any]:
    message = {k: v for k, v in body.get("message", {}).items() if k != "blocks"}
    return {**body, "message": message}


def _without_newer_fields(body: dict[str, Any]) -> dict[str, Any]:
    """Fields Slack added after 2021 (message metadata), which the spec's closed schemas do not know."""
    body = {k: v for k, v in body.items() if k not in ("errors",)}
    if isinstance(body.get("message"), dict):
        body["message"] = {k: v for k, v in body["message"].items() if k != "metadata"}
    if isinstance(body.get("messages"), list):
        body["messages"] = [{k: v for k, v in m.items() if k != "metadata"} for m in body["messages"]]
    return body


# Known mistakes and gaps in the 2021 spec, each checked against Slack's method documentation:
# chat.update's response schema types message.blocks as an object; Slack returns the block array. Message
# metadata (2022) and conversations.invite's per-user `errors` (with force) came later.
def _history(body: dict[str, Any]) -> dict[str, Any]:
    """The spec gives conversations.history's messages minItems 1; a channel without messages has none."""
    body = _without_newer_fields(body)
    if body.get("messages") == []:
        body["messages"] = [{"type": "message", "text": "", "ts": "1700000000.000000"}]
    return body


SPEC_BUGS = {
    "chat.update": lambda body: _without_message_blocks(_without_newer_fields(body)),
    "chat.postMessage": _without_newer_fields,
    "conversations.history": _history,
    "conversations.invite": _without_newer_fields,
}


@cache
def _validator(method: str) -> jsonschema.Draft4Validator:
    """The 200 schema with the spec's definitions beside it, so its "#/definitions/…" refs resolve."""
    schema = (_operation(method) or {})["responses"]["200"]["schema"]
    return jsonschema.Draft4Validator({**schema, "definitions": (spec() or {})["definitions"]})
