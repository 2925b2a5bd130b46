"""The shapes of the interactive payloads our listeners read, checked before any listener runs.

A payload that names one of our views or buttons but does not have their shape (a value that is not our
JSON, a private_metadata that is not ours, a view state with wrong types) is answered 400 and changes
nothing; listeners then read the parsed models from the context and never guess.
"""

from __future__ import annotations

import json
import re
from datetime import UTC, datetime
from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, StringConstraints, TypeAdapter, ValidationError
from slack_bolt.response import BoltResponse

from bot.playbook.engine import StepStatus

Reference = Annotated[str, StringConstraints(pattern=r"^[A-Z][A-Z0-9-]{2,31}$")]
Identifier = Annotated[str, StringConstraints(pattern=r"^[A-Za-z0-9_.:-]{1,80}$")]
Lang = Literal["ja", "en"]
PARSED = "leakbot_parsed"  # context key of the parsed payload


class _Strict(BaseModel):
    model_config = ConfigDict(extra="ignore", frozen=True)


class StepValue(_Strict):
    r: Reference
    s: Identifier
    t: StepStatus


class IncidentValue(_Strict):
    r: Reference


class ReminderValue(_Strict):
    r: Reference
    k: Identifier


class LookalikeValue(_Strict):
    r: Reference  # the open incident asked about
    q: Identifier  # the question
    u: Reference  # the newest report the question showed


class ReportMeta(_Strict):
    lang: Lang = "ja"
    origin: str | None = None


class LangMeta(_Strict):
    lang: Lang = "ja"


class IncidentMeta(_Strict):
    ref: Reference
    lang: Lang = "ja"


class DocumentsMeta(IncidentMeta):
    at: float | None = None  # action_ts of the click that opened the form: a stale or replayed one is refused


class EditMeta(IncidentMeta):
    doc: Identifier
    sec: Identifier


class SkipMeta(IncidentMeta):
    step: Identifier
    at: float | None = None  # the click's action_ts: a replayed older click is refused


class _Option(_Strict):
    value: str


class _Element(BaseModel):
    """One input's state as Slack sends it; a field of the wrong type makes the whole payload malformed."""

    model_config = ConfigDict(extra="allow", frozen=True)
    type: str
    value: str | None = None
    selected_options: list[_Option] | None = None
    selected_option: _Option | None = None
    selected_date: str | None = None
    selected_time: str | None = None


ViewState = TypeAdapter(dict[str, dict[str, _Element]])

# Which model reads an action's value, by action id (prefix before the first ":" or the whole id).
ACTION_VALUES: dict[str, type[_Strict]] = {
    "step": StepValue,
    "summary": IncidentValue,
    "reminder": ReminderValue,
    "lookalike": LookalikeValue,
}
VIEW_METADATA: dict[str, type[_Strict]] = {
    "leak_report": ReportMeta,
    "leak_facts": IncidentMeta,
    "leak_correct": IncidentMeta,
    "leak_documents": DocumentsMeta,
    "leak_edit_pick": IncidentMeta,
    "leak_edit": EditMeta,
    "leak_drill": LangMeta,
    "leak_skip": SkipMeta,
}
ACTION_ID = re.compile(r"^(?P<family>[a-z_]+):")


class Malformed(ValueError):
    pass


def _json_object(raw: object) -> dict[str, Any]:
    try:
        data = json.loads(raw) if isinstance(raw, str) else None
    except json.JSONDecodeError:
        data = None
    if not isinstance(data, dict):
        raise Malformed("not a JSON object")
    return data


def _menu_choice(action: dict[str, Any]) -> StepValue:
    """A step's overflow menu: the step from the action id, "<reference>|<target state>" from the option."""
    option = action.get("selected_option")
    value = option.get("value") if isinstance(option, dict) else None
    if not isinstance(value, str) or value.count("|") != 1:
        raise Malformed("selected_option")
    reference, target = value.split("|")
    step = str(action["action_id"]).split(":", 1)[1]
    return StepValue.model_validate({"r": reference, "s": step, "t": target})


def action_time(action: dict[str, Any]) -> datetime | None:
    """Slack's action_ts ("1700000000.000100") as an aware datetime."""
    raw = action.get("action_ts")
    if raw is None:
        return None
    try:
        return datetime.fromtimestamp(float(raw), UTC)
    except (TypeError, ValueError, OverflowError) as exc:
        raise Malformed("action_ts") from exc


def parse(body: dict[str, Any]) -> Any:
    """The parsed model our listener needs, None when the payload is not ours; raises Malformed."""
    kind = body.get("type")
    try:
        if kind == "block_actions":
            actions = body.get("actions")
            if not isinstance(actions, list) or not actions or not isinstance(actions[0], dict):
                raise Malformed("actions")
            action = actions[0]
            match = ACTION_ID.match(str(action.get("action_id") or ""))
            family = match.group("family") if match else None
            action_time(action)
            if family == "stepmenu":
                return _menu_choice(action)
            model = ACTION_VALUES.get(family or "")
            if model is None:
                return None
            return model.model_validate(_json_object(action.get("value")))
        if kind == "view_submission":
            view = body.get("view")
            if not isinstance(view, dict):
                raise Malformed("view")
            model = VIEW_METADATA.get(str(view.get("callback_id") or ""))
            if model is None:
                return None
            ViewState.validate_python((view.get("state") or {}).get("values") or {})
            return model.model_validate(_json_object(view.get("private_metadata") or "{}"))
    except ValidationError as exc:
        raise Malformed("shape") from exc
    return None


async def check_payload(body: dict[str, Any], context: dict[str, Any], next) -> BoltResponse | None:
    """Bolt middleware: 400 for a malformed payload addressed to us; the parsed model for the listener."""
    if not isinstance(body, dict):
        return BoltResponse(status=400, body="")
    try:
        context[PARSED] = parse(body)
    except Malformed:
        return BoltResponse(status=400, body="")
    return await next()


def state_values(view: dict[str, Any]) -> dict[str, object]:
    """A submitted (already checked) view's inputs by block id: strings, lists of option values, dates."""
    values: dict[str, object] = {}
    for block_id, actions in ViewState.validate_python(view.get("state", {}).get("values", {})).items():
        element = actions.get("value") or next(iter(actions.values()), None)
        if element is None:
            continue
        if element.type == "plain_text_input":
            values[block_id] = element.value or ""
        elif element.type in ("checkboxes", "multi_static_select"):
            values[block_id] = [o.value for o in element.selected_options or []]
        elif element.type in ("static_select", "radio_buttons"):
            values[block_id] = element.selected_option.value if element.selected_option else None
        elif element.type == "datepicker":
            values[block_id] = element.selected_date
        elif element.type == "timepicker":
            values[block_id] = element.selected_time
    return values
