"""Planning: which (scenario, channel) journeys a run will perform."""

from __future__ import annotations

import fnmatch
import hashlib
import os
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
