"""What every channel driver is given (`JourneyContext`) and must provide (`Driver`).

The runner builds one context and one driver per journey, calls `start()`, then
`perform(step)` and `after_step(step, status)` for each step, and always `stop(failed)`.
A driver records what it observes in `ctx.journal`; it never judges (detectors do).
It raises `StepFailed` when a step cannot do what it says.
"""

from __future__ import annotations

import abc
import os
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Awaitable, Callable, ClassVar

from ..journal import Journal
from ..scenario.model import Journey, Scenario, Step
from ..scenario.variables import UnresolvedVariable, substitute

if TYPE_CHECKING:
    from playwright.async_api import Browser

EVIDENCE_MODES = ("on", "off", "retain-on-failure")


@dataclass
class RunOptions:
    """Settings of one run that drivers may read."""

    trace: str = "retain-on-failure"
    screenshots: str = "on"
    headless: bool = True
    step_timeout: float = 10.0
    journey_timeout: float = 300.0
    browser: str | None = None
    vars: dict[str, str] = field(default_factory=dict)
    #: Channel settings such as TWILIO_ACCOUNT_SID; looked up before the environment.
    settings: dict[str, str] = field(default_factory=dict)


class JourneyContext:
    """Everything a driver needs for one journey."""

    def __init__(self, scenario: Scenario, journey: Journey, journal: Journal,
                 options: RunOptions, browser: Callable[[], Awaitable["Browser"]]) -> None:
        self.scenario = scenario
        self.journey = journey
        self.journal = journal
        self.options = options
        self._browser = browser

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

    def keep_evidence(self, failed: bool, mode: str) -> bool:
        """Whether an on / off / retain-on-failure policy keeps evidence now."""
        return mode == "on" or (mode == "retain-on-failure" and failed)


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


__all__ = ["Driver", "JourneyContext", "RunOptions", "UnresolvedVariable", "EVIDENCE_MODES"]
