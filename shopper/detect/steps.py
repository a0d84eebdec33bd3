"""Findings from the steps themselves: failed expectations, missing controls, crashes."""

from __future__ import annotations

from typing import Any, Iterable

from .model import Finding, JourneyView

#: step.end reasons that mean the way forward is missing, not that a check was false
DEAD_END_REASONS = {"missing": "missing_control", "widget": "widget_missing"}
#: start failures a channel's own detector reports (chat: widget_never_loads, phone: phone_setup)
EXPLAINED_BY_CHANNEL = ("widget", "setup", "unreachable")


def failed_steps(view: JourneyView) -> Iterable[Finding]:
    """One finding per step that failed or crashed."""
    for end in view.step_ends:
        status = end.get("status")
        if status in ("ok", "interrupted"):
            continue  # a step cut short by a journey timeout or Ctrl-C: journey.end says why
        idx = end.get("index")
        info = view.step_info.get(idx, {})
        what = info.get("text") or info.get("action", "step")
        reason = end.get("reason") or "expectation"
        message = end.get("message") or "the step failed"
        evidence: dict[str, Any] = {"screenshot": view.screenshot_for(idx)}
        if status == "error" or reason == "setup":  # the audit's set-up, not the company
            yield Finding("expectation", "step_error",
                          f"{view.step_label(idx)} ({what}) could not run: {message}",
                          step=idx, at=end.get("at"), evidence=evidence)
        elif reason in DEAD_END_REASONS:
            yield Finding("dead_end", DEAD_END_REASONS[reason],
                          f"Dead end at {view.step_label(idx)}: {message}",
                          step=idx, at=end.get("at"), evidence=evidence)
        elif reason in ("http", "unreachable", "hold_budget"):
            continue  # reported by the channel's own detector (the page; hold_past_budget)
        else:
            code = "step_timeout" if reason == "timeout" else "expectation_failed"
            said = _page_says(view, idx)
            if said:
                evidence["quote"] = said
                message = f'{message}; the page says: "{said[:160]}"'
            yield Finding("expectation", code,
                          f"{view.step_label(idx)} ({what}) failed: {message}",
                          step=idx, at=end.get("at"), evidence=evidence,
                          details={"reason": reason})
    yield from _start_failures(view)
    end = view.end
    if end is not None and end.get("outcome") == "timeout":
        yield Finding("budget", "journey_timeout",
                      f"The journey was stopped after its time limit ({end.get('limit', '?')} s).",
                      step=end.get("step"), at=end.get("at"))
    if end is not None and end.get("outcome") == "error" and end.get("message"):
        yield Finding("expectation", "journey_error",
                      f"The journey could not run: {end['message']}", at=end.get("at"))


def _page_says(view: JourneyView, idx: int | None) -> str | None:
    """What the page told the customer when a check failed: its "no results" line or a
    message it showed (alert, status), so the reviewer reads the page's own words."""
    from .web import NO_RESULTS  # the web wording cues live in one place
    page = next((p for p in reversed(view.of("page")) if p.get("step") == idx), None)
    if page is None:
        return None
    line = next((ln.strip() for ln in (page.get("text") or "").splitlines() if NO_RESULTS.search(ln)), None)
    notes = [n.get("text", "") for n in page.get("notices") or [] if n.get("text")]
    return line or (notes[0] if notes else None)


def _start_failures(view: JourneyView) -> Iterable[Finding]:
    """The channel could not even be opened (start page, call set-up).

    Channel detectors report the cases they can explain with evidence (an error page the
    web driver snapshotted, a chat widget that never loaded); this covers the rest."""
    for e in view.of("error"):
        if e.get("where") != "start" or e.get("reason") in EXPLAINED_BY_CHANNEL:
            continue
        if e.get("reason") == "http" and any((p.get("status") or 0) >= 400 for p in view.of("page")):
            continue
        kind, code = ("dead_end", "unreachable") if e.get("reason") == "http" else \
            ("expectation", "start_failed")
        yield Finding(kind, code, f"The journey could not start: {e.get('message')}",
                      at=e.get("at"), evidence={"url": e.get("url"),
                                                "screenshot": view.screenshot_for(None)})


def step_metrics(view: JourneyView) -> dict[str, Any]:
    """Duration and step counts."""
    ends = view.step_ends
    return {
        "duration": round(view.duration, 3),
        "steps": len(ends),
        "steps_planned": len(view.start.get("steps", [])),
        "steps_failed": sum(1 for e in ends if e.get("status") != "ok"),
    }


DETECTORS = [failed_steps]
METRICS = [step_metrics]
