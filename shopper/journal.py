"""The journal: an append-only JSONL event log per journey, plus its artifacts.

The journal is the single source of truth of a run. Drivers append what they observe as
it happens (one JSON object per line, flushed at once), so a run that crashes keeps every
event written before the crash; analysis and reports read journals and nothing else.

Event vocabulary (every event has `kind`, `at` = seconds since the journey started, `t` =
wall-clock ISO time, and `step` = index of the step the event belongs to (the step
running unless the driver says otherwise), or null):

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
import html as _html
import re
import time
import urllib.parse as _url
import zipfile
from pathlib import Path
from typing import Any, Callable, Iterable

from . import events
from .events import upgrade

JOURNAL_FILE = "events.jsonl"
ARTIFACTS = "artifacts"
#: earlier attempts of a journey run again (`--retries`), one numbered folder each
ATTEMPTS = "attempts"


#: Compressed pictures, sound and fonts: a secret's bytes in them are a coincidence of the
#: compression, never text (screenshots are masked when taken, audio with spoken secrets
#: is not kept), so they are not scanned; short secrets would otherwise delete evidence.
OPAQUE = (b"\x89PNG\r\n", b"\xff\xd8\xff", b"GIF8", b"RIFF", b"wOFF", b"wOF2", b"OggS")


class Redactor:
    """Replaces registered secret values with a placeholder in everything written.

    A secret reaches disk in more forms than the one typed: a site puts it in a URL
    (`%20` or `+` for spaces), echoes it in HTML (`&amp;`), in JSON (`\\"`, `\\u00e9`) or
    in another letter case. Every such form of every secret is matched, case-insensitively.
    """

    MIN_LENGTH = 3  # shorter values would scramble ordinary text

    def __init__(self) -> None:
        self._secrets: dict[str, str] = {}  # raw value -> placeholder
        self._forms: dict[str, str] = {}  # lower-cased form -> placeholder
        self._pattern: re.Pattern[str] | None = None
        self._bytes: re.Pattern[bytes] | None = None

    def __bool__(self) -> bool:
        return bool(self._secrets)

    @property
    def values(self) -> list[str]:
        """The raw secret values (to mask them on screen, never to write them)."""
        return list(self._secrets)

    @staticmethod
    def forms(value: str) -> set[str]:
        """Every encoding of `value` a page, a URL, a JSON or HTML file may carry."""
        out = {value, _url.quote(value, safe=""), _url.quote(value, safe="/"),
               _url.quote_plus(value, safe=""), _url.quote_plus(value, safe="/"),
               _html.escape(value, quote=False), _html.escape(value, quote=True),
               _html.escape(value, quote=True).replace("&#x27;", "&#39;")}
        for form in list(out):
            out.add(json.dumps(form, ensure_ascii=False)[1:-1])
            out.add(json.dumps(form)[1:-1])
            # JSON written by browsers and Go escapes markup characters and `/`
            safe = json.dumps(form)[1:-1]
            for ch, esc in (("<", "\\u003c"), (">", "\\u003e"), ("&", "\\u0026"),
                            ("'", "\\u0027"), ("/", "\\/")):
                safe = safe.replace(ch, esc)
            out.add(safe)
        return {f for f in out if f}

    def add(self, value: str | None, label: str = "secret") -> None:
        """Never write `value` (in any of its forms); write `[secret:label]` instead."""
        if not value or len(value) < self.MIN_LENGTH or value in self._secrets:
            return
        placeholder = f"[secret:{label}]"
        self._secrets[value] = placeholder
        for form in self.forms(value):
            self._forms.setdefault(form.lower(), placeholder)
        ordered = sorted(self._forms, key=len, reverse=True)  # longest form wins
        self._pattern = re.compile("|".join(re.escape(s) for s in ordered), re.IGNORECASE)
        self._bytes = re.compile(b"|".join(re.escape(s.encode("utf-8")) for s in ordered),
                                 re.IGNORECASE)

    def merge(self, other: "Redactor") -> None:
        """Also redact every secret `other` knows."""
        for value, placeholder in other._secrets.items():
            self.add(value, placeholder[len("[secret:"):-1])

    def text(self, value: str) -> str:
        """`value` with every secret replaced."""
        if self._pattern is None:
            return value
        return self._pattern.sub(lambda m: self._forms.get(m.group(0).lower(), "[secret]"), value)

    def found(self, value: str | bytes) -> bool:
        """Whether any form of any secret occurs in `value`."""
        if isinstance(value, bytes):
            return self._bytes is not None and self._bytes.search(value) is not None
        return self._pattern is not None and self._pattern.search(value) is not None

    def obj(self, value: Any) -> Any:
        """A copy of a JSON-like value with every string redacted."""
        if isinstance(value, str):
            return self.text(value)
        if isinstance(value, dict):
            return {self.text(str(k)): self.obj(v) for k, v in value.items()}
        if isinstance(value, (list, tuple)):
            return [self.obj(v) for v in value]
        return value

    def data(self, data: bytes) -> bytes | None:
        """File contents with secrets replaced; None when a secret sits in binary data
        that cannot be rewritten (the caller must not keep it)."""
        if data.startswith(OPAQUE) or not self.found(data):
            return data
        try:
            return self.text(data.decode("utf-8")).encode("utf-8")
        except UnicodeDecodeError:
            return None

    def file(self, path: Path) -> bool:
        """Scrub one written file in place (zip members too); False when it could not be
        made safe and was deleted."""
        path = Path(path)
        if not self or not path.is_file():
            return True
        raw = path.read_bytes()
        if raw[:4] == b"PK\x03\x04":
            return self._zip(path)
        clean = self.data(raw)
        if clean is None:
            path.unlink()
            return False
        if clean is not raw:
            tmp = path.with_name(path.name + ".redacting")
            tmp.write_bytes(clean)
            tmp.replace(path)
        return True

    def _zip(self, path: Path) -> bool:
        tmp = path.with_name(path.name + ".redacting")
        try:
            with zipfile.ZipFile(path) as src, \
                    zipfile.ZipFile(tmp, "w", zipfile.ZIP_DEFLATED) as dst:
                for info in src.infolist():
                    clean = self.data(src.read(info))
                    if clean is None:
                        raise ValueError(info.filename)
                    dst.writestr(info, clean)
        except (ValueError, zipfile.BadZipFile, OSError):
            tmp.unlink(missing_ok=True)
            path.unlink()  # a secret in a binary member (or a torn zip): keep nothing
            return False
        tmp.replace(path)
        return True

    def tree(self, root: Path) -> list[Path]:
        """Scrub every file under `root`; return the files removed as unsafe."""
        removed: list[Path] = []
        if not self:
            return removed
        for path in sorted(Path(root).rglob("*")):
            if path.is_file() and not self.file(path):
                removed.append(path)
        return removed


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
        """Record an `artifact` event for a file written inside the journey folder, after
        scrubbing secrets from it; a file that cannot be made safe is deleted and a note
        says so instead."""
        rel = os.path.relpath(path, self.folder).replace(os.sep, "/")
        if not self.redactor.file(Path(path)):
            return self.record("note", what="artifact dropped", path=rel, artifact=kind,
                               message=f"the {kind} held a secret in binary data that cannot "
                                       "be rewritten, so it was not kept")
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
