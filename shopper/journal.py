"""The journal: an append-only JSONL event log per journey, plus its artifacts.

The journal is the single source of truth of a run. Drivers append what they observe as
it happens (one JSON object per line, flushed at once), so a run that crashes keeps every
event written before the crash; analysis and reports read journals and nothing else.

Event vocabulary (every event has `kind`, `at` = seconds since the journey started, `t` =
wall-clock ISO time, and `step` = index of the step running, or null):

    journey.start   scenario, file, channel, description, tags, persona, budgets, steps, settings
    journey.end     outcome: completed | failed | error | timeout | interrupted
    step.start      index, action, line, file, text (a human description)
    step.end        index, status: ok | failed | error, reason, message, duration
    page            url, status, title, text, links, contact (what the customer can see)
    message         role: customer | bot | agent | system | ivr, sender, text
    input           action (click, fill, select, press, say, digits, choose), target, text
    call            status (Twilio's call status), sid, detail
    artifact        path (relative to the journey folder), kind: screenshot | trace | audio | html
    error           message, where
    note            free-form observations a driver wants to keep (e.g. widget detection)
"""

from __future__ import annotations

import datetime as _dt
import json
import os
import re
import time
from pathlib import Path
from typing import Any, Callable, Iterable

from . import events
from .events import upgrade

JOURNAL_FILE = "events.jsonl"
ARTIFACTS = "artifacts"


class Redactor:
    """Replaces registered secret values with a placeholder in everything written."""

    MIN_LENGTH = 3  # shorter values would scramble ordinary text

    def __init__(self) -> None:
        self._secrets: dict[str, str] = {}
        self._pattern: re.Pattern[str] | None = None

    def add(self, value: str | None, label: str = "secret") -> None:
        """Never write `value`; write `[secret:label]` instead."""
        if value and len(value) >= self.MIN_LENGTH and value not in self._secrets:
            self._secrets[value] = f"[secret:{label}]"
            ordered = sorted(self._secrets, key=len, reverse=True)
            self._pattern = re.compile("|".join(re.escape(s) for s in ordered))

    def text(self, value: str) -> str:
        """`value` with every secret replaced."""
        if self._pattern is None:
            return value
        return self._pattern.sub(lambda m: self._secrets[m.group(0)], value)

    def obj(self, value: Any) -> Any:
        """A copy of a JSON-like value with every string redacted."""
        if isinstance(value, str):
            return self.text(value)
        if isinstance(value, dict):
            return {self.text(str(k)): self.obj(v) for k, v in value.items()}
        if isinstance(value, (list, tuple)):
            return [self.obj(v) for v in value]
        return value


def _jsonable(value: Any) -> Any:
    if isinstance(value, (str, int, float, bool)) or value is None:
        return value
    if isinstance(value, dict):
        return {str(k): _jsonable(v) for k, v in value.items()}
    if isinstance(value, (list, tuple, set)):
        return [_jsonable(v) for v in value]
    if isinstance(value, Path):
        return str(value)
    return str(value)


class Journal:
    """Writes one journey's events and artifacts into `folder`."""

    def __init__(self, folder: Path, redactor: Redactor | None = None,
                 clock: Callable[[], float] = time.monotonic) -> None:
        self.folder = Path(folder)
        (self.folder / ARTIFACTS).mkdir(parents=True, exist_ok=True)
        self.redactor = redactor or Redactor()
        self._clock = clock
        self._t0 = clock()
        self._file = open(self.folder / JOURNAL_FILE, "a", encoding="utf-8")
        self._names: set[str] = set()
        self.step: int | None = None
        self.count = 0

    @property
    def clock(self) -> Callable[[], float]:
        """The clock events are timed by (seconds, any origin)."""
        return self._clock

    @clock.setter
    def clock(self, fn: Callable[[], float]) -> None:
        # a channel with its own timeline (the phone simulator's virtual clock) swaps in a
        # clock that continues the current one, so `at` stays monotonic across the swap
        self._clock = fn

    def now(self) -> float:
        """Seconds since the journey started."""
        return self._clock() - self._t0

    def record(self, kind: str, *, at: float | None = None, **fields: Any) -> dict[str, Any]:
        """Append one event (redacted) and flush it to disk; return what was written.

        The kind and its required fields are checked (`shopper.events`): a driver that
        renames a field fails here, not silently in a detector."""
        events.check(kind, fields)
        if kind == "journey.start":
            fields.setdefault("schema", events.SCHEMA_VERSION)
        event: dict[str, Any] = {
            "kind": kind,
            "at": round(self.now() if at is None else at, 3),
            "t": _dt.datetime.now(_dt.timezone.utc).isoformat(timespec="milliseconds"),
            "step": fields.pop("step", self.step),
        }
        event.update(_jsonable(fields))
        event = self.redactor.obj(event)
        if self._file.closed:
            return event
        self._file.write(json.dumps(event, ensure_ascii=False) + "\n")
        self._file.flush()
        self.count += 1
        return event

    def artifact_path(self, name: str, suffix: str) -> Path:
        """A fresh path inside the artifact folder for a file the driver is about to write."""
        stem = re.sub(r"[^A-Za-z0-9_.-]+", "-", name).strip("-")[:60] or "artifact"
        candidate, n = f"{stem}{suffix}", 1
        while candidate in self._names or (self.folder / ARTIFACTS / candidate).exists():
            n += 1
            candidate = f"{stem}-{n}{suffix}"
        self._names.add(candidate)
        return self.folder / ARTIFACTS / candidate

    def add_artifact(self, path: Path, kind: str, **fields: Any) -> dict[str, Any]:
        """Record an `artifact` event for a file written inside the journey folder."""
        rel = os.path.relpath(path, self.folder).replace(os.sep, "/")
        return self.record("artifact", path=rel, artifact=kind, **fields)

    def close(self) -> None:
        """Flush and close the event log (idempotent)."""
        if not self._file.closed:
            self._file.close()


def read_journal(folder: Path) -> list[dict[str, Any]]:
    """Every event of one journey, upgraded to the current schema version; a torn last
    line (crash mid-write) is ignored."""
    found: list[dict[str, Any]] = []
    path = Path(folder) / JOURNAL_FILE
    with open(path, encoding="utf-8") as f:
        for line in f:
            line = line.strip()
            if not line:
                continue
            try:
                found.append(json.loads(line))
            except json.JSONDecodeError:
                continue
    return upgrade(found)


def journey_folders(run_dir: Path) -> Iterable[Path]:
    """The journey folders of a run directory, in a stable order."""
    root = Path(run_dir) / "journeys"
    if not root.is_dir():
        return []
    return sorted(p for p in root.iterdir() if (p / JOURNAL_FILE).is_file())
