"""Comparing runs and merging shards: still pure functions of journals."""

from __future__ import annotations

import json
import shutil
from pathlib import Path
from typing import Any

from ..journal import journey_folders
from .results import RESULTS_JSONL, iter_journeys, manifest, read_results


def _signature(f: dict[str, Any]) -> tuple[str, str, Any]:
    return (f["kind"], f["code"], f.get("step"))


def baseline_index(run_dir: Path) -> dict[str, dict[str, Any]]:
    """id -> {outcome, findings, duration} of an earlier run: from its results.jsonl when
    it has one (no re-analysis), else from its journals, one journey at a time."""
    run_dir = Path(run_dir)
    source = read_results(run_dir) if (run_dir / RESULTS_JSONL).is_file() else iter_journeys(run_dir)
    return {j["id"]: {"outcome": j["outcome"], "duration": j["metrics"].get("duration"),
                      "findings": [{"kind": f["kind"], "code": f["code"], "step": f.get("step"),
                                    "message": f["message"]} for f in j["findings"]]}
            for j in source}


def compare_journey(j: dict[str, Any], before: dict[str, dict[str, Any]]) -> None:
    """Add `compare` to one journey: the baseline's outcome, new and fixed findings."""
    old = before.get(j["id"])
    if old is None:
        j["compare"] = {"baseline": None, "new": [], "fixed": []}
        return
    now_sigs = {_signature(f) for f in j["findings"]}
    old_sigs = {_signature(f) for f in old["findings"]}
    j["compare"] = {
        "baseline": old["outcome"],
        "new": [f["message"] for f in j["findings"] if _signature(f) not in old_sigs],
        "fixed": [f["message"] for f in old["findings"] if _signature(f) not in now_sigs],
        "duration_before": old.get("duration", old.get("metrics", {}).get("duration")),
    }


def compare(results: dict[str, Any], baseline: dict[str, Any]) -> None:
    """Add `compare` to each journey of `results` (both already built in memory)."""
    before = {j["id"]: j for j in baseline["journeys"]}
    for j in results["journeys"]:
        compare_journey(j, before)
    results["compared_with"] = baseline.get("dir")


def merge_runs(run_dirs: list[Path], out: Path) -> list[str]:
    """Copy the journeys of several run directories (e.g. shards) into `out`; return warnings.

    A shard that is missing, did not finish, or lacks journeys it planned is said so in the
    warnings and in the merged run.json (`shards`, `missing`), so the report can never look
    complete when it is not."""
    warnings: list[str] = []
    target = Path(out) / "journeys"
    target.mkdir(parents=True, exist_ok=True)
    seen: dict[str, Path] = {}
    shards: list[dict[str, Any]] = []
    planned: set[str] = set()
    started: list[str] = []
    finished: list[str] = []
    for run in map(Path, run_dirs):
        info = manifest(run)
        present = [f.name for f in journey_folders(run)]
        shard = {"dir": str(run), "shard": info.get("shard"), "planned": len(info.get("journeys", [])),
                 "recorded": len(present), "status": "complete"}
        if not run.is_dir():
            shard["status"] = "missing"
            warnings.append(f"shard {run} is missing (no such directory); its journeys are not in the report")
        elif not info:
            shard["status"] = "unknown"
            warnings.append(f"{run} has no run.json: cannot tell which journeys it planned")
        else:
            lost = sorted(set(info.get("journeys", [])) - set(present))
            planned.update(info.get("journeys", []))
            if not info.get("finished"):
                shard["status"] = "unfinished"
                warnings.append(f"shard {run} did not finish (its run.json has no end time)")
            if lost:
                shard["status"] = "partial" if shard["status"] == "complete" else shard["status"]
                warnings.append(f"shard {run} recorded {len(present)} of {len(info['journeys'])} "
                                f"planned journeys; missing: {', '.join(lost[:5])}"
                                + (" ..." if len(lost) > 5 else ""))
            started += [info["started"]] if info.get("started") else []
            finished += [info["finished"]] if info.get("finished") else []
        shards.append(shard)
        for folder in journey_folders(run):
            if folder.name in seen:
                warnings.append(f"journey {folder.name} is in both {seen[folder.name]} and {run}; "
                                f"keeping the one from {run}")
            seen[folder.name] = run
            dest = target / folder.name
            if dest.resolve() != folder.resolve():
                if dest.exists():
                    shutil.rmtree(dest)
                shutil.copytree(folder, dest)
    first = manifest(run_dirs[0]) if run_dirs else {}
    merged = {"shopper": first.get("shopper"), "started": min(started, default=None),
              "finished": max(finished) if finished and len(finished) == len(shards) else None,
              "workers": first.get("workers"), "journeys": sorted(planned | set(seen)),
              "shards": shards, "missing": sorted(planned - set(seen))}
    (Path(out) / "run.json").write_text(json.dumps(merged, indent=2))
    return warnings
