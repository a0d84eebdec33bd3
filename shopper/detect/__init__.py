"""Detectors: pure functions from a journey's events to findings and metrics.

A detector module defines `DETECTORS` (callables `JourneyView -> Iterable[Finding]`) and
may define `METRICS` (callables `JourneyView -> dict`). Modules are listed in `MODULES`;
one that is not present is skipped, so channels can be added independently.
"""

from __future__ import annotations

import importlib
from dataclasses import dataclass, field
from typing import Any, Callable, Iterable

from types import MappingProxyType

from ..registry import detector_modules
from . import budget, goals, language, phone_roles
from .model import Finding, JourneyView

#: steps first, then each channel's modules in the registry's order (metrics read earlier ones)
MODULES = detector_modules()

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
    #: the outcome in terms of the journey's goal: resolved_self_service |
    #: resolved_by_person | handed_off | dead_end | unresolved
    resolution: str = "unresolved"
    goal: str = "not stated"
    evidence: dict[str, Any] = field(default_factory=dict)
    language: str = language.DEFAULT


def pack_for(events: list[dict[str, Any]], rules: Any = None) -> language.Pack:
    """The language pack a journey is judged with: the one recorded at its start (code and
    the user's cue rules then), with `rules` (today's user rules) merged on top."""
    start = next((e for e in events if e.get("kind") == "journey.start"), {})
    merged = language.merge_rules(start.get("language"), rules)
    return language.pack(merged["code"], merged["cues"])


def _adjust_for_goal(view: JourneyView, findings: list[Finding]) -> list[Finding]:
    """"No person came" is no fault when the journey's goal was self-service."""
    if view.goal.kind != "self_service":
        return findings
    for f in findings:
        if f.code in goals.PERSON_ONLY and f.severity == "failure":
            f.severity = "info"
            f.message += " (The journey's goal was self-service, so this is not a failure.)"
    return findings


def analyse(events: list[dict[str, Any]], rules: Any = None) -> Analysis:
    """Run every metric, then every detector, over one journey's events.

    `rules` is a `language:` value (a code, or {code, cues}) applied on top of what the
    journal recorded, so a stored run is re-judged with today's wording rules."""
    detectors, metric_fns = _load()
    p = pack_for(events, rules)
    with language.using(p):
        view = JourneyView(phone_roles.rejudged(events))  # a call's roles, with today's rules
        metrics: dict[str, Any] = {}
        for fn in metric_fns:
            # each metric sees the ones before it, read-only: the order is MODULES' order
            view.metrics = MappingProxyType(dict(metrics))
            for key, value in fn(view).items():
                if key in metrics and value is None and metrics[key] is not None:
                    continue  # a later module that cannot tell keeps the earlier measure
                metrics[key] = value
        metrics.update(goals.person_metrics(view))
        metrics["expects_human"] = view.goal.kind in ("person", "department") or bool(
            metrics.get("expects_human"))
        view.metrics = MappingProxyType(dict(metrics))
        findings: list[Finding] = []
        for det in detectors:
            findings.extend(det(view))
        findings = _adjust_for_goal(view, findings)
        metrics["handoffs"] = sum(1 for f in findings if f.kind == "handoff")
        metrics["dead_ends"] = sum(1 for f in findings if f.kind == "dead_end")
        findings.extend(_adjust_for_goal(view, list(budget.check(view, findings, metrics))))
        resolved, why = goals.resolution(view, findings)
        ran = view.end is not None and view.end.get("outcome") not in ("error", "interrupted") \
            and not any(e.get("where") == "start" for e in view.of("error"))
        if not ran and why.get("reason"):
            # a journey that could not run says nothing about the company's goal
            resolved, why = "unresolved", {**why, "reason": "the journey could not run"}
        elif resolved == "dead_end" and why.get("reason") and view.goal.stated:
            findings.append(Finding("dead_end", "goal_not_reached",
                                    f"The journey's goal ({view.goal.label()}) was not reached: "
                                    f"{why['reason']}.", at=view.duration, details=why))
            metrics["dead_ends"] += 1
            metrics["effort"] = budget.effort(metrics)
        goal_label = view.goal.label()
        end = view.end
    findings.sort(key=lambda f: (f.at if f.at is not None else float("inf")))
    if end is None or end.get("outcome") == "interrupted":
        outcome = "interrupted"
    elif end.get("outcome") == "error":
        outcome = "error"
    elif any(f.severity == "failure" for f in findings) or end.get("outcome") in ("failed", "timeout"):
        outcome = "failed"  # a journey that stopped short never passes, explained or not
    else:
        outcome = "passed"
    metrics["failures"] = sum(1 for f in findings if f.severity == "failure")
    return Analysis(outcome, findings, metrics, resolved, goal_label, why, p.code)


__all__ = ["Analysis", "Finding", "JourneyView", "analyse", "pack_for"]
