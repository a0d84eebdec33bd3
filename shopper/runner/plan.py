"""Planning: which (scenario, channel) journeys a run will perform."""

from __future__ import annotations

import fnmatch
from dataclasses import dataclass

from ..errors import UsageError
from ..scenario.model import Journey, Scenario


@dataclass(frozen=True)
class PlannedJourney:
    """One journey to run: a scenario on one channel."""

    scenario: Scenario
    journey: Journey

    @property
    def id(self) -> str:
        """Unique within a run: `<scenario-slug>--<channel>`."""
        return f"{self.scenario.slug}--{self.journey.channel}"


def plan(scenarios: list[Scenario], *, tags: list[str] | None = None,
         channels: list[str] | None = None, names: list[str] | None = None,
         shard: str | None = None) -> list[PlannedJourney]:
    """Journeys matching every filter given; `shard` is 'i/n' (1-based)."""
    out: list[PlannedJourney] = []
    for s in scenarios:
        if tags and not set(tags) & set(s.tags):
            continue
        if names and not any(fnmatch.fnmatch(s.name.lower(), n.lower()) or n.lower() in s.name.lower()
                             for n in names):
            continue
        for channel, journey in s.journeys.items():
            if channels and channel not in channels:
                continue
            out.append(PlannedJourney(s, journey))
    if shard:
        try:
            i, n = (int(x) for x in shard.split("/"))
            if not 1 <= i <= n:
                raise ValueError
        except ValueError:
            raise UsageError(f"--shard '{shard}' must look like 1/4 (shard 1 of 4)") from None
        out = [p for k, p in enumerate(out) if k % n == i - 1]
    return out
