"""The journal's vocabulary: one small dataclass per event kind, with one-line field docs.

Every event has `kind`, `at` (seconds since the journey started), `t` (wall-clock ISO
time) and `step` (the index of the step the event belongs to, or null: the step running,
except that a chat message belongs to the step whose stretch of the transcript it sits in
(channels/chat/stretch.py) and a screenshot to the step it shows). Drivers may add evidence
fields beyond those listed (extra keys are kept); the listed required ones must be there.
The schema version is written in `journey.start`; journals without one are version 1.

This module imports nothing of shopper, so the journal, the channels and the detectors
can all share it without breaking the layers.
"""

from __future__ import annotations

from dataclasses import MISSING, dataclass, field, fields
from typing import Any, get_type_hints

#: The version written by this shopper; `upgrade` reads every version up to it.
SCHEMA_VERSION = 2


def doc(text: str, default: Any = MISSING) -> Any:
    """A field with a one-line description (and optional default = not required)."""
    if default is MISSING:
        return field(metadata={"doc": text})
    return field(default=default, metadata={"doc": text})


@dataclass(kw_only=True)
class Event:
    """What every event carries."""

    kind: str = doc("the event kind", "")
    at: float = doc("seconds since the journey started", 0.0)
    t: str = doc("wall-clock time (ISO 8601)", "")
    step: int = doc("index of the step the event belongs to (the step running; a chat "
                    "message: the step whose stretch it sits in), or null", None)
    #: fields a driver recorded beyond the listed ones (evidence), kept as they were
    extra: dict = field(default_factory=dict, metadata={"doc": "other recorded fields"})


@dataclass(kw_only=True)
class JourneyStart(Event):
    """The journey begins: what it is, who the customer is, what it will try."""

    scenario: str = doc("the scenario's name")
    channel: str = doc("web | chat | phone (a registered channel)")
    file: str = doc("the scenario file", "")
    line: int = doc("the scenario's line in its file", 0)
    id: str = doc("the journey's id (folder name)", "")
    description: str = doc("the scenario's longer story", "")
    tags: list = doc("the scenario's tags", None)
    persona: dict = doc("who the customer is (secret values replaced)", None)
    budgets: dict = doc("limits the journey should stay within", None)
    settings: dict = doc("the channel journey's settings", None)
    steps: list = doc("each planned step: index, action, text, line, file, args", None)
    goal: str = doc("self_service | person | department: NAME (null: not stated)", None)
    language: dict = doc("the wording used to judge: {code, cues} (user rules included)", None)
    schema: int = doc("the journal schema version", SCHEMA_VERSION)
    options: dict = doc("run options that shape the evidence (trace, screenshots)", None)


@dataclass(kw_only=True)
class JourneyEnd(Event):
    """The journey is over, however it ended."""

    outcome: str = doc("completed | failed | error | timeout | interrupted")
    message: str = doc("why it ended early, in plain words", None)
    limit: float = doc("the journey's time limit in seconds", None)


@dataclass(kw_only=True)
class StepStart(Event):
    """A step begins."""

    index: int = doc("the step's index in the journey")
    action: str = doc("the step's action word (click, say, hold, ...)")
    text: str = doc("a short human description of the step", "")
    line: int = doc("the step's line in the scenario file", None)


@dataclass(kw_only=True)
class StepEnd(Event):
    """A step is over."""

    index: int = doc("the step's index in the journey")
    status: str = doc("ok | failed | error | interrupted")
    reason: str = doc("why it failed: timeout, missing, http, no_reply, hold_budget, ...", None)
    message: str = doc("what went wrong, in plain words", None)
    duration: float = doc("seconds the step took (journal time)", None)


@dataclass(kw_only=True)
class Page(Event):
    """A page the customer saw."""

    url: str = doc("the page's address")
    status: int = doc("its HTTP status", None)
    title: str = doc("its title", "")
    text: str = doc("the visible text", "")
    links: list = doc("links the customer could follow", None)
    contact: dict = doc("contact routes on the page: tel, mailto, chat, contact_page", None)


@dataclass(kw_only=True)
class Message(Event):
    """Something said in a conversation (chat line, IVR prompt, a person's words, the customer)."""

    text: str = doc("what was said, as shown or transcribed")
    role: str = doc("customer | bot | agent | system | ivr, as first judged", None)
    sender: str = doc("the sender label as shown", "")


@dataclass(kw_only=True)
class Input(Event):
    """Something the customer did."""

    action: str = doc("click, fill, select, press, say, digits, choose, goto, end_chat, hangup, ...")
    target: str = doc("what was acted on (link text, selector, field)", None)
    text: str = doc("what was typed, said or keyed", None)


@dataclass(kw_only=True)
class Call(Event):
    """A phone call's status changed (Twilio's call status)."""

    status: str = doc("queued | ringing | in-progress | completed | busy | no-answer | failed | canceled")
    sid: str = doc("the call's id", None)
    detail: dict = doc("the status callback's parameters", None)


@dataclass(kw_only=True)
class Artifact(Event):
    """A file kept as evidence."""

    path: str = doc("relative to the journey folder")
    artifact: str = doc("screenshot | trace | audio | html | transcript")


@dataclass(kw_only=True)
class Error(Event):
    """Something went wrong outside a step's own check."""

    message: str = doc("what went wrong")
    where: str = doc("start | driver | stop | after_step | ...", None)
    reason: str = doc("a stable reason code (http, widget, setup, ...)", None)


@dataclass(kw_only=True)
class Note(Event):
    """An observation a driver keeps for the report (widget detection, a menu it read)."""

    what: str = doc("what the note is about", None)


@dataclass(kw_only=True)
class Site(Event):
    """Where the company's own website is (web): the start origin and declared own origins."""

    home: str = doc("the origin the journey starts on", "")
    own: list = doc("other origins the scenario declares as the company's own", None)


@dataclass(kw_only=True)
class StepTitle(Event):
    """A step's title as the reviewer should read it (values filled in, secrets masked)."""

    index: int = doc("the step's index")
    text: str = doc("the title")


@dataclass(kw_only=True)
class Effect(Event):
    """What a customer's action started on the page (web): a navigation, requests sent."""

    navigated: bool = doc("whether the page's address changed", None)
    url: str = doc("the address after the action", None)
    sent: list = doc("requests that sent data (method, url, status)", None)
    requests: int = doc("how many requests the page made", None)
    settled: str = doc("'quiet': the page changed and stayed still without sending anything, "
                       "so the wait for the action to start something ended early", None)


@dataclass(kw_only=True)
class Validation(Event):
    """The browser's own validation message on a field (web)."""

    target: str = doc("the field, as the step named it", None)
    message: str = doc("the message the browser shows", None)


#: kind -> its dataclass
KINDS: dict[str, type] = {
    "journey.start": JourneyStart, "journey.end": JourneyEnd, "step.start": StepStart,
    "step.end": StepEnd, "step.title": StepTitle, "page": Page, "message": Message,
    "input": Input, "call": Call, "artifact": Artifact, "error": Error, "note": Note,
    "site": Site, "effect": Effect, "validation": Validation,
}
COMMON = {"kind": "the event kind", "at": "seconds since the journey started",
          "t": "wall-clock time (ISO 8601)", "step": "index of the step the event belongs to, or null"}
_JSON = {"str": "string", "int": "integer", "float": "number", "list": "array",
         "dict": "object", "bool": "boolean"}


class EventError(ValueError):
    """An event does not match its kind's description."""


_BASE = {f.name for f in fields(Event)}


def own_fields(cls: type) -> list[Any]:
    """The fields a kind adds to the common ones."""
    return [f for f in fields(cls) if f.name not in _BASE]


def required(kind: str) -> list[str]:
    """The fields an event of `kind` must carry."""
    cls = KINDS[kind]
    return [f.name for f in own_fields(cls)
            if f.default is MISSING and f.default_factory is MISSING]


def parse(event: dict[str, Any]) -> Event:
    """One journal event as its typed dataclass (unknown keys go to `extra`)."""
    kind = str(event.get("kind"))
    check(kind, event)
    cls = KINDS[kind]
    known = {f.name for f in fields(cls)} - {"extra"}
    values = {k: v for k, v in event.items() if k in known}
    return cls(**values, extra={k: v for k, v in event.items() if k not in known})


def check(kind: str, values: dict[str, Any]) -> None:
    """EventError when `kind` is unknown or a required field is missing."""
    if kind not in KINDS:
        raise EventError(f"unknown event kind '{kind}' (known: {', '.join(KINDS)})")
    missing = [name for name in required(kind) if name not in values]
    if missing:
        raise EventError(f"a '{kind}' event needs {', '.join(missing)}")


def upgrade(events: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Events of any schema version as the current version sees them (copies)."""
    start = next((e for e in events if e.get("kind") == "journey.start"), None)
    version = int((start or {}).get("schema") or 1)
    if version > SCHEMA_VERSION:
        raise EventError(f"this journal has schema version {version}; this shopper reads up "
                         f"to {SCHEMA_VERSION}: update shopper")
    out = [dict(e) for e in events]
    if version < 2:
        for e in out:  # version 1: no goal, no language, no schema number
            if e.get("kind") == "journey.start":
                e.setdefault("goal", None)
                e.setdefault("language", {"code": "en", "cues": {}})
                e["schema"] = 2
    return out


def validate(events: list[dict[str, Any]]) -> list[str]:
    """Problems of a journal's events (empty when every event is valid)."""
    problems = []
    for i, e in enumerate(events):
        try:
            check(str(e.get("kind")), e)
        except EventError as exc:
            problems.append(f"event {i}: {exc}")
        if not isinstance(e.get("at"), (int, float)):
            problems.append(f"event {i}: 'at' must be a number of seconds")
    return problems


def journal_schema() -> dict[str, Any]:
    """A JSON Schema (draft 2020-12) of one journal line."""
    defs: dict[str, Any] = {}
    for kind, cls in KINDS.items():
        hints = get_type_hints(cls)
        props: dict[str, Any] = {
            "kind": {"const": kind, "description": COMMON["kind"]},
            "at": {"type": "number", "description": COMMON["at"]},
            "t": {"type": "string", "description": COMMON["t"]},
            "step": {"type": ["integer", "null"], "description": COMMON["step"]}}
        for f in own_fields(cls):
            t = _JSON.get(getattr(hints[f.name], "__name__", str(hints[f.name])), "string")
            props[f.name] = {"type": t if f.default is MISSING else [t, "null"],
                             "description": f.metadata.get("doc", "")}
        defs[kind] = {"type": "object", "description": (cls.__doc__ or "").strip(),
                      "properties": props, "required": ["kind", "at", *required(kind)],
                      "additionalProperties": True}
    return {"$schema": "https://json-schema.org/draft/2020-12/schema",
            "title": f"shopper journal event (schema version {SCHEMA_VERSION})",
            "oneOf": [{"$ref": f"#/$defs/{k}"} for k in KINDS], "$defs": defs}
