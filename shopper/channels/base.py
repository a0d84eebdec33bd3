"""What every channel driver is given (`JourneyContext`) and must provide (`Driver`).

The runner builds one context and one driver per journey, calls `start()`, then
`perform(step)` and `after_step(step, status)` for each step, and always `stop(failed)`.
A driver records what it observes in `ctx.journal`; it never judges (detectors do).
It raises `StepFailed` when a step cannot do what it says.
"""

from __future__ import annotations

import abc
import os
import re
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Awaitable, Callable, ClassVar

from ..journal import Journal
from ..scenario.model import Journey, Scenario, Step
from ..scenario.variables import UnresolvedVariable, substitute

if TYPE_CHECKING:
    from playwright.async_api import Browser, Frame, Locator, Page

#: Playwright Test's trace policies: record on every attempt, never, on every attempt but
#: keep only failures, or only on the first (or every) retry of a failed journey.
TRACE_MODES = ("on-first-retry", "on-all-retries", "retain-on-failure", "on", "off")
#: Screenshot policies: after every step, never, only on failure, or (the default) when the
#: page changed and on failure. `retain-on-failure` is the older name of `only-on-failure`.
SCREENSHOT_MODES = ("on-change", "on", "off", "only-on-failure", "retain-on-failure")
EVIDENCE_MODES = tuple(dict.fromkeys(TRACE_MODES + SCREENSHOT_MODES))
#: Run variables with these words in their name are secret unless declared public.
SECRET_NAME = re.compile(r"TOKEN|PASSWORD|SECRET|KEY", re.IGNORECASE)


def is_secret_var(name: str, options: "RunOptions") -> bool:
    """Whether run variable `name` is secret: declared with --secret, or named like one
    (`*TOKEN*`, `*PASSWORD*`, `*SECRET*`, `*KEY*`) and not declared public."""
    if name in options.secret_vars:
        return True
    return bool(SECRET_NAME.search(name)) and name not in options.public_vars


@dataclass
class RunOptions:
    """Settings of one run that drivers may read."""

    trace: str = "on-first-retry"
    screenshots: str = "on-change"
    headless: bool = True
    step_timeout: float = 10.0
    journey_timeout: float = 300.0
    browser: str | None = None
    vars: dict[str, str] = field(default_factory=dict)
    #: Channel settings such as TWILIO_ACCOUNT_SID; looked up before the environment.
    settings: dict[str, str] = field(default_factory=dict)
    #: Run variables declared secret (`--secret`), and names declared not secret.
    secret_vars: set[str] = field(default_factory=set)
    public_vars: set[str] = field(default_factory=set)
    #: Retries of a navigation that failed transiently (5xx, reset, timeout), and the
    #: first back-off in seconds (doubled each time).
    nav_retries: int = 1
    nav_backoff: float = 0.5


class JourneyContext:
    """Everything a driver needs for one journey."""

    def __init__(self, scenario: Scenario, journey: Journey, journal: Journal,
                 options: RunOptions, browser: Callable[[], Awaitable["Browser"]]) -> None:
        self.scenario = scenario
        self.journey = journey
        self.journal = journal
        self.options = options
        self._browser = browser
        #: Fields the customer typed a secret into: masked in every screenshot.
        self.masked: list["Locator"] = []
        #: 1 for the first run of the journey, 2 for its first retry (`--retries`), ...
        self.attempt = 1

    async def browser(self) -> "Browser":
        """The run's shared browser, launched on first use."""
        return await self._browser()

    def setting(self, name: str, default: str | None = None) -> str | None:
        """A channel setting from the run options, else the environment."""
        value = self.options.settings.get(name)
        if value is None:
            value = os.environ.get(name, default)
        return value

    def lookup(self, namespace: str | None, name: str) -> str | None:
        """The value of one variable reference, or None."""
        if namespace == "persona":
            raw = self.scenario.persona.get(name)
            return None if raw is None else self.resolve(raw)
        if namespace == "env":
            return os.environ.get(name)
        if name in self.options.vars:
            return self.options.vars[name]
        if name in self.scenario.vars:
            return self.resolve(self.scenario.vars[name])
        return os.environ.get(name) if name.isupper() else None

    def resolve(self, text: str) -> str:
        """`text` with every `${...}` substituted."""
        return substitute(text, self.lookup)

    def resolve_args(self, value: Any) -> Any:
        """A step's arguments with every string resolved."""
        if isinstance(value, str):
            return self.resolve(value)
        if isinstance(value, dict):
            return {k: self.resolve_args(v) for k, v in value.items()}
        if isinstance(value, (list, tuple)):
            return type(value)(self.resolve_args(v) for v in value)
        return value

    def timeout(self, step: Step) -> float:
        """How long `step` may take."""
        return step.timeout if step.timeout is not None else self.options.step_timeout

    def mask_if_secret(self, locator: "Locator", text: str) -> None:
        """Remember a field typed with a secret, so that screenshots hide it."""
        if self.journal is not None and self.journal.redactor.found(text):
            self.masked.append(locator)

    def masks(self, *roots: "Page | Frame") -> list["Locator"]:
        """What a screenshot must hide: fields typed with secrets, password fields, and
        any text on screen that shows a secret (matched in any letter case)."""
        if self.journal is None or not self.journal.redactor:
            return []
        out = list(self.masked)
        for root in roots:
            out.append(root.locator("input[type=password]"))
            out.extend(root.get_by_text(v) for v in self.journal.redactor.values)
        return out

    def keep_evidence(self, failed: bool, mode: str) -> bool:
        """Whether an evidence policy keeps what was recorded, at the end of a journey or
        step (a trace is only recorded at all when `tracing()` said so)."""
        if mode in ("on", "on-first-retry", "on-all-retries"):
            return True
        return failed and mode in ("retain-on-failure", "only-on-failure", "on-change")

    def tracing(self) -> bool:
        """Whether to record a Playwright trace for this attempt of the journey."""
        mode = self.options.trace
        if mode == "on-first-retry":
            return self.attempt == 2
        if mode == "on-all-retries":
            return self.attempt >= 2
        return mode in ("on", "retain-on-failure")

    def screenshot_due(self, failed: bool, changed: bool) -> bool:
        """Whether to take a screenshot after a step: per the policy, `on-change` takes
        one when what the customer sees changed (not after typing into a field or an
        expectation on an unchanged page) and whenever a step failed."""
        mode = self.options.screenshots
        return mode == "on" or (mode == "on-change" and changed) or (mode != "off" and failed)


class Driver(abc.ABC):
    """A channel driver: performs steps for one journey and records what it observes."""

    channel: ClassVar[str]

    def __init__(self, ctx: JourneyContext) -> None:
        self.ctx = ctx
        self.journal = ctx.journal

    async def start(self) -> None:
        """Open the channel (a page, a chat, a call) before the first step."""

    @abc.abstractmethod
    async def perform(self, step: Step) -> None:
        """Do one step; raise StepFailed when it cannot be done."""

    async def after_step(self, step: Step, status: str) -> None:
        """Collect evidence after a step (status: ok | failed | error)."""

    async def stop(self, failed: bool) -> None:
        """Close everything, whatever happened; must not raise."""


__all__ = ["Driver", "JourneyContext", "RunOptions", "UnresolvedVariable", "EVIDENCE_MODES",
           "SCREENSHOT_MODES", "TRACE_MODES", "SECRET_NAME", "is_secret_var"]
