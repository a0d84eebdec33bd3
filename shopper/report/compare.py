"""Comparing runs and merging shards: still pure functions of journals."""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any

from ..journal import journey_folders


def _signature(f: dict[str, Any]) -> tuple[str, str, Any]:
    return (f["kind"], f["code"], f.get("step"))


def compare(results: dict[str, Any], baseline: dict[str, Any]) -> None:
    """Add `compare` to each journey of `results`: the baseline's outcome, new and fixed findings."""
    before = {j["id"]: j for j in baseline["journeys"]}
    for j in results["journeys"]:
        old = before.get(j["id"])
        if old is None:
            j["compare"] = {"baseline": None, "new": [], "fixed": []}
            continue
        now_sigs = {_signature(f) for f in j["findings"]}
        old_sigs = {_signature(f) for f in old["findings"]}
        j["compare"] = {
            "baseline": old["outcome"],
            "new": [f["message"] for f in j["findings"] if _signature(f) not in old_sigs],
            "fixed": [f["message"] for f in old["findings"] if _signature(f) not in now_sigs],
            "duration_before": old["metrics"].get("duration"),
        }
    results["compared_with"] = baseline.get("dir")


def merge_runs(run_dirs: list[Path], out: Path) -> list[str]:
    """Copy the journeys of several run directories (e.g. shards) into `out`; return warnings."""
    warnings: list[str] = []
    target = Path(out) / "journeys"
    target.mkdir(parents=True, exist_ok=True)
    seen: dict[str, Path] = {}
    for run in run_dirs:
        for folder in journey_folders(run):
            if folder.name in seen:
                warnings.append(f"journey {folder.name} is in both {seen[folder.name]} and {run}; "
                                f"keeping the one from {run}")
            seen[folder.name] = Path(run)
            dest = target / folder.name
            if dest.resolve() != folder.resolve():
                if dest.exists():
                    shutil.rmtree(dest)
                shutil.copytree(folder, dest)
    return warnings
