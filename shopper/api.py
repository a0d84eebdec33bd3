"""The public Python API: load scenarios, plan, run, analyse and report, with typed results.

    import asyncio, shopper
    scenarios = shopper.load(["scenarios/"])
    journeys = shopper.plan(scenarios, tags=["smoke"])
    result = asyncio.run(shopper.run(journeys, "out/", lab=True))
    for j in result.failed:
        print(j.explain())

The command line and the pytest plugin are built on these functions.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable, Iterable

from .channels import RunOptions
from .detect.model import Finding
from .runner.plan import PlannedJourney
from .scenario.model import Scenario

__all__ = ["Finding", "JourneyResult", "PlannedJourney", "RunOptions", "RunResult", "Scenario",
           "analyse", "load", "plan", "report", "run"]

FAILING = ("failed", "error", "interrupted")


@dataclass(frozen=True)
class JourneyResult:
    """How one journey (a scenario on one channel) went."""

    id: str
    scenario: str
    channel: str
    outcome: str  # passed | failed | error | interrupted (and any outcome the analysis adds)
    findings: tuple[Finding, ...]
    metrics: dict[str, Any]
    file: str | None
    line: int | None
    page: Path  # this journey's page in the HTML report
    tags: tuple[str, ...] = ()

    @property
    def passed(self) -> bool:
        """True unless the journey failed, crashed or was interrupted."""
        return self.outcome not in FAILING

    def explain(self) -> str:
        """The findings in plain language, failures first, and where the evidence is."""
        order = {"failure": 0, "warning": 1, "info": 2}
        lines = [f"{self.scenario} ({self.channel}): {self.outcome}"
                 + (f" — {self.file}:{self.line}" if self.file else "")]
        for f in sorted(self.findings, key=lambda f: order.get(f.severity, 3)):
            step = f" at step {f.step + 1}" if f.step is not None else ""
            lines.append(f"  - [{f.severity}] {f.kind.replace('_', ' ')}{step}: {f.message}")
        if not self.findings:
            lines.append("  - no findings")
        lines.append(f"  report: {self.page}")
        return "\n".join(lines)


@dataclass(frozen=True)
class RunResult:
    """A run's results, read from its journals."""

    run_dir: Path
    summary: dict[str, Any]
    journeys: tuple[JourneyResult, ...]
    raw: dict[str, Any] = field(repr=False, compare=False, default_factory=dict)

    @property
    def index(self) -> Path:
        """The HTML report's index page."""
        return self.run_dir / "index.html"

    @property
    def ok(self) -> bool:
        """True when every journey passed and no planned journey is missing."""
        return all(j.passed for j in self.journeys) and not self.summary.get("missing")

    @property
    def failed(self) -> list[JourneyResult]:
        """The journeys that did not pass."""
        return [j for j in self.journeys if not j.passed]

    def by_id(self, journey_id: str) -> JourneyResult:
        """One journey by its id (`<scenario-slug>--<channel>`)."""
        return next(j for j in self.journeys if j.id == journey_id)


def _finding(d: dict[str, Any]) -> Finding:
    known = Finding.__dataclass_fields__
    return Finding(**{k: v for k, v in d.items() if k in known})


def _typed(results: dict[str, Any], run_dir: Path) -> RunResult:
    journeys = tuple(JourneyResult(
        id=j["id"], scenario=j["scenario"], channel=j["channel"], outcome=j["outcome"],
        findings=tuple(_finding(f) for f in j["findings"]), metrics=dict(j["metrics"]),
        file=j.get("file"), line=j.get("line"), page=(run_dir / j["page"]).resolve(),
        tags=tuple(j.get("tags") or ())) for j in results["journeys"])
    return RunResult(run_dir=run_dir, summary=results["summary"], journeys=journeys, raw=results)


def load(paths: Iterable[str | Path], vars: Iterable[str] = ()) -> list[Scenario]:
    """Load and validate scenario files or folders; raises ScenarioError with file:line.
    `vars` names the run variables that will be given (so `${vars.X}` is not an error)."""
    from .scenario import load_paths
    return load_paths([str(p) for p in paths], set(vars))


def plan(scenarios: list[Scenario], *, tags: list[str] | None = None,
         channels: list[str] | None = None, names: list[str] | None = None,
         shard: str | None = None) -> list[PlannedJourney]:
    """The journeys to run: scenario x channel, filtered; `shard` is 'i/n' or 'auto'."""
    from .runner.plan import plan as _plan
    return _plan(scenarios, tags=tags, channels=channels, names=names, shard=shard)


async def run(journeys: list[PlannedJourney], out: str | Path, *,
              options: RunOptions | None = None, workers: int = 2, lab: Any = None,
              on_done: Callable[[PlannedJourney, str], None] | None = None,
              junit: str | Path | None = None, write: bool = True) -> RunResult:
    """Run planned journeys into run directory `out` and (unless `write=False`) write the
    reports. `lab=True` starts the bundled lab company for the run; a started `Lab` is used
    as it is. The lab's URLs are added to the run variables."""
    from .runner.engine import run_plan
    options = options or RunOptions()
    own_lab = None
    if lab is True:
        from .lab import Lab
        own_lab = lab = await Lab().start()
    if lab:
        options = RunOptions(**{**options.__dict__, "vars": {**lab.vars, **options.vars},
                                "settings": {**lab.settings, **options.settings}})
    try:
        await run_plan(journeys, Path(out), options, workers=workers, on_done=on_done)
    finally:
        if own_lab is not None:
            await own_lab.stop()
    return report(out, junit=junit) if write else analyse(out)


def analyse(run_dir: str | Path) -> RunResult:
    """Analyse a run directory's journals without writing anything."""
    from .report import build_results
    return _typed(build_results(Path(run_dir)), Path(run_dir))


def report(run_dir: str | Path, *, junit: str | Path | None = None,
           baseline: str | Path | None = None) -> RunResult:
    """Analyse a run directory and write its reports (HTML, results.json(l), JUnit)."""
    from .report import write_report
    results = write_report(Path(run_dir), Path(junit) if junit else None,
                           baseline=Path(baseline) if baseline else None)
    return _typed(results, Path(run_dir))
