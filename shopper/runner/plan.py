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
import os
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
        i, n = parse_shard(auto_shard() if shard == "auto" else shard)
        out = [p for p in out if shard_of(p.id, n) == i]
    return out


def parse_shard(shard: str) -> tuple[int, int]:
    """'i/n' (1-based) -> (i, n); a UsageError that shows the right form otherwise."""
    try:
        i, n = (int(x) for x in shard.split("/"))
        if not 1 <= i <= n:
            raise ValueError
    except ValueError:
        raise UsageError(f"--shard '{shard}' must look like 1/4 (shard 1 of 4)") from None
    return i, n


def shard_of(journey_id: str, n: int) -> int:
    """The shard (1..n) of a journey: a jump consistent hash of its id, so adding a journey
    moves no other journey, and going from n to n+1 shards moves only about 1/(n+1)."""
    key = int.from_bytes(hashlib.sha256(journey_id.encode()).digest()[:8], "big")
    b, j = -1, 0
    while j < n:  # Lamping & Veach, "A Fast, Minimal Memory, Consistent Hash Algorithm"
        b = j
        key = (key * 2862933555777941757 + 1) % 2**64
        j = int((b + 1) * (2**31 / ((key >> 33) + 1)))
    return b + 1


#: (index variable, count variable, index base) set by the engines that run shards
SHARD_ENVS = (
    ("JOB_COMPLETION_INDEX", "JOB_COMPLETIONS", 0),          # Kubernetes Indexed Job
    ("SHOPPER_SHARD_INDEX", "SHOPPER_SHARD_TOTAL", 0),       # GitHub Actions: strategy.job-index/-total
    ("CI_NODE_INDEX", "CI_NODE_TOTAL", 1),                   # GitLab CI `parallel:`
    ("BUILDKITE_PARALLEL_JOB", "BUILDKITE_PARALLEL_JOB_COUNT", 0),
)


def auto_shard(env: dict[str, str] | None = None) -> str:
    """`--shard auto`: the shard 'i/n' the engine running this process assigned."""
    env = dict(os.environ if env is None else env)
    if env.get("SHOPPER_SHARD"):
        return env["SHOPPER_SHARD"]
    for index, count, base in SHARD_ENVS:
        if env.get(index, "") != "":
            if not env.get(count):
                raise UsageError(f"--shard auto: {index} is set but {count} is not; set {count} "
                                 "to the number of shards (e.g. the Job's completions)")
            try:
                return f"{int(env[index]) + 1 - base}/{int(env[count])}"
            except ValueError:
                raise UsageError(f"--shard auto: {index}={env[index]!r} and {count}={env[count]!r} "
                                 "must be numbers") from None
    raise UsageError("--shard auto found no shard in the environment: set SHOPPER_SHARD=i/n, or run "
                     "in a Kubernetes Indexed Job (JOB_COMPLETION_INDEX + JOB_COMPLETIONS) or a CI "
                     "matrix (SHOPPER_SHARD_INDEX + SHOPPER_SHARD_TOTAL)")
