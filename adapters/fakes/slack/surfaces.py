"""The fake Slack's surfaces besides messages: modals and App Home (views.*), file uploads (files.*), channel
canvases (conversations.canvases.create, canvases.edit), each checked as Slack checks it. Mixed into FakeSlack."""

from __future__ import annotations

import json
from typing import Any

from aiohttp import web

from adapters.fakes.slack.blockkit import view_problems
from adapters.fakes.slack.errors import SlackApiFailure
from adapters.fakes.slack.workspace import TEAM


class Surfaces:
    """Mixed into FakeSlack (its views, files, canvases, channels, _id, _channel, _check_blocks and refuse)."""

    def _conversations_canvases_create(self, args: dict) -> dict:
        channel = self._channel(args["channel_id"])
        if self.canvas_refusal:
            raise SlackApiFailure(self.canvas_refusal)
        if any(c["channel_id"] == channel.id for c in self.canvases.values()):
            raise SlackApiFailure("channel_canvas_already_exists")
        canvas_id = self._id("F")
        content = _canvas_content(args.get("document_content"))
        self.canvases[canvas_id] = {
            "channel_id": channel.id,
            "title": args.get("title", ""),
            "markdown": content,
            "edits": 0,
        }
        return {"canvas_id": canvas_id}

    def _canvases_edit(self, args: dict) -> dict:
        canvas = self.canvases.get(str(args["canvas_id"]))
        if canvas is None:
            raise SlackApiFailure("canvas_not_found")
        changes = args["changes"]
        if isinstance(changes, str):
            changes = json.loads(changes)
        if not isinstance(changes, list) or len(changes) != 1:  # Slack: exactly one change per call
            raise SlackApiFailure("invalid_arguments")
        change = changes[0]
        if change.get("operation") != "replace" or "section_id" in change:
            raise SlackApiFailure("invalid_arguments")  # the fake models replacing the whole canvas only
        canvas["markdown"] = _canvas_content(change.get("document_content"))
        canvas["edits"] += 1
        return {}

    def _store_view(self, view: dict, view_id: str | None = None) -> dict:
        problems = view_problems(view)
        if problems:
            self.violations += problems
            raise SlackApiFailure("invalid_arguments", response_metadata={"messages": problems})
        view_id = view_id or self._id("V")
        stored = {
            **view,
            "id": view_id,
            "team_id": TEAM,
            "state": {"values": {}},
            "hash": f"h{next(self._ids)}",
        }
        self.views[view_id] = stored
        return stored

    def _views_open(self, args: dict) -> dict:
        stored = self._store_view(args["view"])
        self.opened_views.append(stored)
        return {"view": stored}

    def _views_update(self, args: dict) -> dict:
        if args.get("view_id") not in self.views:
            raise SlackApiFailure("not_found")
        return {"view": self._store_view(args["view"], args["view_id"])}

    def _views_push(self, args: dict) -> dict:
        return self._views_open(args)

    def _views_publish(self, args: dict) -> dict:
        self._user(args["user_id"])
        stored = self._store_view(args["view"])
        self.home_views[args["user_id"]] = stored
        return {"view": stored}

    def _files_getUploadURLExternal(self, args: dict) -> dict:
        file_id = self._id("F")
        self.files.append({"id": file_id, "filename": args["filename"], "content": b"", "channel": None})
        return {"upload_url": self.base_url.replace("/api/", f"/upload/{file_id}"), "file_id": file_id}

    async def _upload(self, request: web.Request) -> web.Response:
        file_id = request.match_info["file_id"]
        entry = next(f for f in self.files if f["id"] == file_id)
        reader = await request.post()
        upload = reader.get("file") or reader.get("filename")
        entry["content"] = upload.file.read() if hasattr(upload, "file") else (await request.read())
        return web.Response(text="OK - uploaded")

    def _files_completeUploadExternal(self, args: dict) -> dict:
        shared = []
        for item in args["files"]:
            entry = next(f for f in self.files if f["id"] == item["id"])
            entry["channel"] = args.get("channel_id")
            entry["title"] = item.get("title")
            shared.append({"id": entry["id"], "title": item.get("title") or entry["filename"]})
        return {"files": shared}


def _canvas_content(content: Any) -> str:
    """A canvas's document_content: {"type": "markdown", "markdown": "…"} (JSON-encoded in form posts)."""
    if content is None:
        return ""
    if isinstance(content, str):
        content = json.loads(content)
    if not isinstance(content, dict) or content.get("type") != "markdown" or "markdown" not in content:
        raise SlackApiFailure("invalid_arguments")
    markdown = str(content["markdown"])
    if len(markdown) > 100_000:  # far beyond what a readable canvas holds; Slack refuses huge documents
        raise SlackApiFailure("canvas_creation_failed")
    return markdown
