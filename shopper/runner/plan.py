"""Planning: which (scenario, channel) journeys a run will perform, and their ids.

A journey's id names its folder (`journeys/<id>/`) and is how reports compare runs, so it
is unique within a run whatever the scenario names are, and the same from run to run for
the same scenarios: `<slug>--<channel>`, where the slug is the name in lower case ASCII
with dashes. Names that give the same slug ("Track order", "Track-order!", "Track Order")
each get a short hash of their exact name appended; should even those meet, a number is.
"""

from __future__ import annotations

import fnmatch
import hashlib
from dataclasses import dataclass, field

from ..errors import UsageError
from ..scenario.model import Journey, Scenario, slug

@dataclass(frozen=True)
class PlannedJourney:
    """One journey to run: a scenario on one channel, with its id in this run."""

    scenario: Scenario
    journey: Journey
    id: str = field(default="")

    def __post_init__(self) -> None:
        if not self.id:  # planned alone (tests, tools): the id its name alone gives
            object.__setattr__(self, "id", f"{slug(self.scenario.name)}--{self.journey.channel}")


def _digest(text: str, length: int) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:length]


def scenario_ids(scenarios: list[Scenario]) -> dict[int, str]:
    """A unique, stable id stem for each scenario (keyed by id() of the scenario object).

    The slug alone when no other scenario has it; else slug + 8 hex digits of a hash of the
    exact name; a scenario that still collides (the same name twice, or a name that is
    another's slug-and-hash) gets -2, -3, ... in the order of (name, file, line).
    """
    by_slug: dict[str, list[Scenario]] = {}
    for s in scenarios:
        by_slug.setdefault(slug(s.name), []).append(s)
    wanted = {id(s): (base if len(group) == 1 else f"{base}-{_digest(s.name, 8)}")
              for base, group in by_slug.items() for s in group}
    out: dict[int, str] = {}
    used: set[str] = set()
    for s in sorted(scenarios, key=lambda s: (wanted[id(s)], s.name, s.file, s.loc.line)):
        stem, n = wanted[id(s)], 1
        while stem in used:
            n += 1
            stem = f"{wanted[id(s)]}-{n}"
        used.add(stem)
        out[id(s)] = stem
    return out


def plan(scenarios: list[Scenario], *, tags: list[str] | None = None,
         channels: list[str] | None = None, names: list[str] | None = None,
         shard: str | None = None) -> list[PlannedJourney]:
    """Journeys matching every filter given; `shard` is 'i/n' (1-based).

    Ids are given before filtering, so a journey has the same id in a filtered run, in
    each shard and in the full run.
    """
    stems = scenario_ids(scenarios)
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
            out.append(PlannedJourney(s, journey, f"{stems[id(s)]}--{channel}"))
    if shard:
        try:
            i, n = (int(x) for x in shard.split("/"))
            if not 1 <= i <= n:
                raise ValueError
        except ValueError:
            raise UsageError(f"--shard '{shard}' must look like 1/4 (shard 1 of 4)") from None
        out = [p for k, p in enumerate(out) if k % n == i - 1]
    return out
