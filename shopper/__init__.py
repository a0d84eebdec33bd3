"""shopper: mystery-shopper audits of your own company's website, web chat and phone line.

The public API (everything else is private and may change):

    load(paths)                 -> list[Scenario]      validate scenario files (ScenarioError)
    plan(scenarios, tags=...)   -> list[PlannedJourney]
    await run(journeys, out)    -> RunResult           run them (lab=True: the bundled lab)
    analyse(run_dir)            -> RunResult           re-judge a run's journals
    report(run_dir, junit=...)  -> RunResult           write the HTML report, results, JUnit

    RunResult.journeys: tuple[JourneyResult]; JourneyResult.findings: tuple[Finding]

Errors (all subclasses of ShopperError): ScenarioError (file:line:col), UsageError, RunError.
"""

from __future__ import annotations

from typing import Any

__version__ = "0.1.0"

__all__ = ["Finding", "JourneyResult", "Lab", "PlannedJourney", "RunError", "RunOptions",
           "RunResult", "Scenario", "ScenarioError", "ShopperError", "UsageError", "analyse",
           "load", "plan", "report", "run"]

_ERRORS = ("RunError", "ScenarioError", "ShopperError", "UsageError")


def __getattr__(name: str) -> Any:
    # imported on first use, so `import shopper.journal` stays light (no Playwright, no Jinja)
    if name in _ERRORS:
        from . import errors
        return getattr(errors, name)
    if name == "Lab":
        from .lab import Lab
        return Lab
    if name in __all__:
        from . import api
        return getattr(api, name)
    raise AttributeError(f"module 'shopper' has no attribute {name!r}")
