"""Build the results of a run from its journals alone (the input of every report)."""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path
from typing import Any

from ..detect import analyse
from ..journal import journey_folders, read_journal


def journey_result(folder: Path) -> dict[str, Any]:
    """One journey's record: what it was, how it went, findings, metrics, steps, events."""
    events = read_journal(folder)
    analysis = analyse(events)
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
        "outcome": analysis.outcome, "end": journey_end.get("outcome"),
        "end_message": journey_end.get("message"),
        "metrics": analysis.metrics,
        "findings": [f.to_dict() for f in analysis.findings],
        "steps": steps, "traces": traces,
        "page": f"journeys/{folder.name}/index.html",
        "events": events,
    }


def build_results(run_dir: Path) -> dict[str, Any]:
    """Analyse every journal of a run directory."""
    run_dir = Path(run_dir)
    manifest: dict[str, Any] = {}
    if (run_dir / "run.json").is_file():
        manifest = json.loads((run_dir / "run.json").read_text())
    journeys = [journey_result(f) for f in journey_folders(run_dir)]
    outcomes = Counter(j["outcome"] for j in journeys)
    kinds = Counter(f["kind"] for j in journeys for f in j["findings"])
    scenarios: dict[str, dict[str, Any]] = {}
    for j in journeys:
        scenarios.setdefault(j["scenario"], {})[j["channel"]] = j
    return {
        "run": {k: manifest.get(k) for k in ("shopper", "started", "finished", "workers")},
        "summary": {"journeys": len(journeys), **{k: outcomes.get(k, 0) for k in
                    ("passed", "failed", "error", "interrupted")},
                    "findings": dict(kinds)},
        "journeys": journeys,
        "scenarios": scenarios,
        #: scenarios tried on more than one channel, for the side-by-side table
        "across": {name: by for name, by in scenarios.items() if len(by) > 1},
    }


def write_results_json(results: dict[str, Any], path: Path) -> None:
    """results.json: every journey with outcome, findings and metrics (no raw events)."""
    data = {
        "run": results["run"], "summary": results["summary"],
        "compared_with": results.get("compared_with"),
        "journeys": [{k: v for k, v in j.items() if k not in ("events",)}
                     for j in results["journeys"]],
    }
    Path(path).write_text(json.dumps(data, indent=2, ensure_ascii=False))
