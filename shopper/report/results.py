"""Build the results of a run from its journals alone (the input of every report)."""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path
from typing import Any

from .. import registry
from ..detect import analyse
from ..detect.goals import GLOSSARY
from ..journal import journey_folders, read_journal


def journey_result(folder: Path, rules: Any = None) -> dict[str, Any]:
    """One journey's record: what it was, how it went, findings, metrics, steps, events;
    judged with the recorded wording plus `rules` (today's user language rules)."""
    events = read_journal(folder)
    analysis = analyse(events, rules)
    start = next((e for e in events if e.get("kind") == "journey.start"), {})
    ends = {e["index"]: e for e in events if e.get("kind") == "step.end"}
    shots: dict[int, list[str]] = {}
    for e in events:
        if e.get("kind") == "artifact" and e.get("artifact") == "screenshot" and e.get("step") is not None:
            shots.setdefault(e["step"], []).append(e["path"])
    steps = []
    for s in start.get("steps", []):
        end = ends.get(s["index"])
        steps.append({
            "index": s["index"], "action": s["action"], "text": s.get("text"), "line": s.get("line"),
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
        "resolution": analysis.resolution, "goal": analysis.goal,
        "resolution_evidence": analysis.evidence, "language": analysis.language,
        "end_message": journey_end.get("message"),
        "metrics": analysis.metrics,
        "findings": [f.to_dict() for f in analysis.findings],
        "steps": steps, "traces": traces,
        "page": f"journeys/{folder.name}/index.html",
        "events": events,
    }


def build_results(run_dir: Path, rules: Any = None) -> dict[str, Any]:
    """Analyse every journal of a run directory (`rules`: user language rules to apply)."""
    run_dir = Path(run_dir)
    manifest: dict[str, Any] = {}
    if (run_dir / "run.json").is_file():
        manifest = json.loads((run_dir / "run.json").read_text())
    journeys = [journey_result(f, rules) for f in journey_folders(run_dir)]
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
        "compared_with": results.get("compared_with"),
        "journeys": [{k: v for k, v in j.items() if k not in ("events",)}
                     for j in results["journeys"]],
    }
    Path(path).write_text(json.dumps(data, indent=2, ensure_ascii=False))
