"""Build the results of a run from its journals alone (the input of every report)."""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path
from typing import Any

from .. import registry
from ..detect import analyse
from ..detect.goals import GLOSSARY
from ..journal import ATTEMPTS, JOURNAL_FILE, journey_folders, read_journal


#: Every outcome a journey can have in a report, in the order summaries list them.
OUTCOMES = ("passed", "flaky", "failed", "error", "interrupted", "not run")


def _attempts(folder: Path) -> list[dict[str, Any]]:
    """Earlier attempts of a journey that was run again (`--retries`), oldest first."""
    root = folder / ATTEMPTS
    if not root.is_dir():
        return []
    out = []
    for sub in sorted((p for p in root.iterdir() if (p / JOURNAL_FILE).is_file()),
                      key=lambda p: int(p.name) if p.name.isdigit() else 0):
        events = read_journal(sub)
        a = analyse(events)
        end = next((e for e in reversed(events) if e.get("kind") == "journey.end"), {})
        failures = [f.to_dict() for f in a.findings if f.severity == "failure"]
        out.append({"attempt": int(sub.name) if sub.name.isdigit() else sub.name,
                    "folder": f"{ATTEMPTS}/{sub.name}", "outcome": a.outcome,
                    "end_message": end.get("message"), "findings": failures,
                    "duration": a.metrics.get("duration")})
    return out


def _retries(events: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Navigations tried again within the journey (transient 5xx, reset, timeout)."""
    return [{k: e.get(k) for k in ("url", "attempt", "reason", "at", "step")}
            for e in events if e.get("kind") == "note" and e.get("what") == "retry"]


def journey_result(folder: Path, rules: Any = None) -> dict[str, Any]:
    """One journey's record: what it was, how it went, findings, metrics, steps, events;
    judged with the recorded wording plus `rules` (today's user language rules)."""
    events = read_journal(folder)
    analysis = analyse(events, rules)
    attempts, retried = _attempts(folder), _retries(events)
    outcome = analysis.outcome
    # passing only because something was tried again is flaky (Playwright Test's word):
    # a pass to count on, and a warning to read
    if outcome == "passed" and (attempts or retried):
        outcome = "flaky"
    start = next((e for e in events if e.get("kind") == "journey.start"), {})
    ends = {e["index"]: e for e in events if e.get("kind") == "step.end"}
    titles = {e["index"]: e["text"] for e in events if e.get("kind") == "step.title"}
    shots: dict[int, list[str]] = {}
    for e in events:
        if e.get("kind") == "artifact" and e.get("artifact") == "screenshot" and e.get("step") is not None:
            shots.setdefault(e["step"], []).append(e["path"])
    steps = []
    for s in start.get("steps", []):
        end = ends.get(s["index"])
        steps.append({
            "index": s["index"], "action": s["action"], "text": titles.get(s["index"], s.get("text")),
            "line": s.get("line"),
            "status": end.get("status") if end else "not run",
            "message": end.get("message") if end else None,
            "duration": end.get("duration") if end else None,
            "screenshots": shots.get(s["index"], []),
        })
    journey_end = next((e for e in reversed(events) if e.get("kind") == "journey.end"), {})
    traces = [e["path"] for e in events if e.get("kind") == "artifact" and e.get("artifact") == "trace"]
    return {
        "id": start.get("id") or folder.name, "folder": folder.name,
        "scenario": start.get("scenario", folder.name), "file": start.get("file"),
        "line": start.get("line"), "channel": start.get("channel", "?"),
        "description": start.get("description", ""), "tags": start.get("tags", []),
        "persona": start.get("persona", {}), "budgets": start.get("budgets", {}),
        "outcome": outcome, "end": journey_end.get("outcome"),
        "resolution": analysis.resolution, "goal": analysis.goal,
        "resolution_evidence": analysis.evidence, "language": analysis.language,
        "attempts": attempts, "retries": retried,
        "finished": bool(journey_end),
        "end_message": journey_end.get("message"),
        "metrics": analysis.metrics,
        "findings": [f.to_dict() for f in analysis.findings],
        "steps": steps, "traces": traces,
        "page": f"journeys/{folder.name}/index.html",
        "events": events,
    }


def not_run_result(entry: dict[str, Any]) -> dict[str, Any]:
    """A planned journey that never started (the run was stopped or killed first)."""
    return {
        "id": entry["id"], "folder": entry["id"], "scenario": entry.get("scenario", entry["id"]),
        "file": entry.get("file"), "line": entry.get("line"),
        "channel": entry.get("channel", "?"), "description": entry.get("description", ""),
        "tags": entry.get("tags", []), "persona": {}, "budgets": {}, "outcome": "not run",
        "end": None, "end_message": "planned, but the run ended before it started",
        "attempts": [], "retries": [], "finished": False, "findings": [],
        "resolution": "not_run", "goal": None, "resolution_evidence": None, "language": None,
        "metrics": {"duration": None, "steps": 0, "steps_planned": 0, "handoffs": 0,
                    "dead_ends": 0, "failures": 0, "effort": "—"},
        "steps": [], "traces": [], "page": f"journeys/{entry['id']}/index.html", "events": [],
    }


def _problems(manifest: dict[str, Any], journeys: list[dict[str, Any]]) -> list[str]:
    """What makes this run's report incomplete, in plain words (empty when complete)."""
    problems = []
    never = [j for j in journeys if j["outcome"] == "not run"]
    unfinished = [j for j in journeys if j["outcome"] != "not run" and not j["finished"]]
    if never:
        problems.append(f"{len(never)} planned journey{'s' if len(never) != 1 else ''} never "
                        "started: " + ", ".join(f"{j['scenario']} ({j['channel']})" for j in never[:5])
                        + (" …" if len(never) > 5 else ""))
    if unfinished:
        problems.append(f"{len(unfinished)} journey{'s' if len(unfinished) != 1 else ''} never "
                        "finished (no journey.end in the journal): the run was killed or crashed")
    if manifest and not manifest.get("finished"):
        problems.append("the run never finished (run.json has no end time): it was killed "
                        "or crashed, and this report shows only what was recorded")
    return problems


def build_results(run_dir: Path, rules: Any = None) -> dict[str, Any]:
    """Analyse every journal of a run directory (`rules`: user language rules to apply);
    journeys the run planned but never started are listed as `not run`, and `problems` says
    when the run is incomplete."""
    run_dir = Path(run_dir)
    manifest: dict[str, Any] = {}
    if (run_dir / "run.json").is_file():
        try:
            manifest = json.loads((run_dir / "run.json").read_text())
        except (json.JSONDecodeError, OSError):
            manifest = {"torn": True}  # killed while writing it: not finished either
    journeys = [journey_result(f, rules) for f in journey_folders(run_dir)]
    have = {j["folder"] for j in journeys}
    planned = manifest.get("planned") or [{"id": i} for i in manifest.get("journeys", [])]
    journeys += [not_run_result(e) for e in planned if e.get("id") not in have]
    outcomes = Counter(j["outcome"] for j in journeys)
    kinds = Counter(f["kind"] for j in journeys for f in j["findings"])
    scenarios: dict[str, dict[str, Any]] = {}
    for j in journeys:
        scenarios.setdefault(j["scenario"], {})[j["channel"]] = j
    return {
        "run": {k: manifest.get(k) for k in ("shopper", "started", "finished", "workers",
                                               "retries")},
        "summary": {"journeys": len(journeys),
                    **{k.replace(" ", "_"): outcomes.get(k, 0) for k in OUTCOMES},
                    "findings": dict(kinds)},
        "problems": _problems(manifest, journeys),
        "journeys": journeys,
        "scenarios": scenarios,
        #: scenarios tried on more than one channel, for the side-by-side table
        "across": {name: by for name, by in scenarios.items() if len(by) > 1},
        "channels": registry.names(),
        "resolutions": dict(Counter(j["resolution"] for j in journeys)),
        #: every metric's definition, shown once in the report
        "glossary": {k: {"label": v[0], "definition": v[1]} for k, v in GLOSSARY.items()},
    }


def write_results_json(results: dict[str, Any], path: Path) -> None:
    """results.json: every journey with outcome, findings and metrics (no raw events)."""
    data = {
        "run": results["run"], "summary": results["summary"],
        "resolutions": results.get("resolutions"), "glossary": results.get("glossary"),
        "problems": results.get("problems", []),
        "compared_with": results.get("compared_with"),
        "journeys": [{k: v for k, v in j.items() if k not in ("events",)}
                     for j in results["journeys"]],
    }
    Path(path).write_text(json.dumps(data, indent=2, ensure_ascii=False))
