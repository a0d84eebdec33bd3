"""The typed scenario model: what a loaded, validated scenario file becomes."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from typing import Any

from ..errors import Loc

BUILTIN_VARS = ("BASE_URL", "COMPANY_PHONE")
_SECRET_KEY = re.compile(r"pass(word|code)?|pin|token|secret|card|cvv|ssn", re.I)


#: longest slug kept from a name: ids are folder names (at most 255 bytes) inside a path
MAX_SLUG = 60


def slug(name: str) -> str:
    """A file-name-safe form of a name: ASCII letters and digits joined by single dashes."""
    ascii_name = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode()
    out = re.sub(r"[^a-z0-9]+", "-", ascii_name.lower()).strip("-")[:MAX_SLUG].strip("-")
    return out or "scenario"


@dataclass(frozen=True)
class Budgets:
    """Limits a journey should stay within; exceeding one is a `budget` finding."""

    max_steps: int | None = None
    max_duration: float | None = None
    max_handoffs: int | None = None
    time_to_human: float | None = None
    first_response: float | None = None
    max_hold: float | None = None
    max_customer_messages: int | None = None

    def as_dict(self) -> dict[str, Any]:
        """The budgets that are set."""
        return {k: v for k, v in self.__dict__.items() if v is not None}


@dataclass(frozen=True)
class Step:
    """One thing the customer does or checks, with the file:line it came from."""

    index: int
    action: str
    args: dict[str, Any]
    loc: Loc
    name: str | None = None
    timeout: float | None = None

    def describe(self) -> str:
        """A short human description, e.g. `click "Returns"`."""
        if self.name:
            return self.name
        if not self.args:
            return self.action.replace("_", " ")
        parts = []
        for k, v in self.args.items():
            if isinstance(v, dict):
                continue
            if isinstance(v, (tuple, list)):
                v = " / ".join(map(str, v))
            elif isinstance(v, float):  # durations are the only floats in step options
                v = f"{v:g}s"
            parts.append(f'{k} "{v}"' if k not in ("text", "url", "key") else f'"{v}"')
        return f"{self.action.replace('_', ' ')} " + ", ".join(parts)


@dataclass(frozen=True)
class Journey:
    """A scenario's steps on one channel."""

    channel: str
    settings: dict[str, Any]
    steps: tuple[Step, ...]
    loc: Loc
    #: line of each setting as written, nested keys dotted (`widget.launcher`), for messages
    setting_lines: dict[str, int] = field(default_factory=dict)


@dataclass(frozen=True)
class Scenario:
    """A whole scenario file: who the customer is, what they try, on which channels."""

    name: str
    file: str
    loc: Loc
    description: str = ""
    tags: tuple[str, ...] = ()
    persona: dict[str, str] = field(default_factory=dict)
    vars: dict[str, str] = field(default_factory=dict)
    budgets: Budgets = Budgets()
    timeout: float | None = None
    journeys: dict[str, Journey] = field(default_factory=dict)
    goal: str | None = None  # self_service | person | department: NAME
    language: Any = None  # a pack code, or {code, cues}

    @property
    def slug(self) -> str:
        """A file-name-safe identifier derived from the name (not unique: see runner.plan)."""
        return slug(self.name)

    def secret_persona_keys(self) -> set[str]:
        """Persona keys whose values must never be written (passwords, env secrets)."""
        return {k for k, v in self.persona.items()
                if _SECRET_KEY.search(k) or "${env." in v}
