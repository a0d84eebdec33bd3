"""Detectors: pure functions from a journey's events to findings and metrics.

A detector module defines `DETECTORS` (callables `JourneyView -> Iterable[Finding]`) and
may define `METRICS` (callables `JourneyView -> dict`). Modules are listed in `MODULES`;
one that is not present is skipped, so channels can be added independently.
"""

from __future__ import annotations

import importlib
from dataclasses import dataclass, field
from typing import Any, Callable, Iterable

from . import budget
from .model import Finding, JourneyView

MODULES = ("steps", "web", "conversation", "phone")

Detector = Callable[[JourneyView], Iterable[Finding]]
Metric = Callable[[JourneyView], dict[str, Any]]


def _load() -> tuple[list[Detector], list[Metric]]:
    detectors: list[Detector] = []
    metrics: list[Metric] = []
    for name in MODULES:
        try:
            mod = importlib.import_module(f"{__name__}.{name}")
        except ModuleNotFoundError as exc:
            if exc.name == f"{__name__}.{name}":
                continue
            raise
        detectors.extend(getattr(mod, "DETECTORS", []))
        metrics.extend(getattr(mod, "METRICS", []))
    return detectors, metrics


@dataclass
class Analysis:
    """The verdict on one journey."""

    outcome: str  # passed | failed | error | interrupted
    findings: list[Finding] = field(default_factory=list)
    metrics: dict[str, Any] = field(default_factory=dict)


def analyse(events: list[dict[str, Any]]) -> Analysis:
    """Run every detector and metric over one journey's events."""
    detectors, metric_fns = _load()
    view = JourneyView(events)
    findings: list[Finding] = []
    metrics: dict[str, Any] = {}
    for fn in metric_fns:
        metrics.update(fn(view))
    view.metrics = metrics  # detectors may read metrics computed above
    for det in detectors:
        findings.extend(det(view))
    metrics["handoffs"] = sum(1 for f in findings if f.kind == "handoff")
    metrics["dead_ends"] = sum(1 for f in findings if f.kind == "dead_end")
    findings.extend(budget.check(view, findings, metrics))
    findings.sort(key=lambda f: (f.at if f.at is not None else float("inf")))
    end = view.end
    if end is None or end.get("outcome") == "interrupted":
        outcome = "interrupted"
    elif end.get("outcome") == "error":
        outcome = "error"
    elif any(f.severity == "failure" for f in findings) or end.get("outcome") in ("failed", "timeout"):
        outcome = "failed"  # a journey that stopped short never passes, explained or not
    else:
        outcome = "passed"
    metrics["failures"] = sum(1 for f in findings if f.severity == "failure")
    return Analysis(outcome, findings, metrics)


__all__ = ["Analysis", "Finding", "JourneyView", "analyse"]
