"""Reports: pure functions of a run directory's journals."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from .html import render_html
from .junit import write_junit
from .results import build_results, write_results_json

__all__ = ["build_results", "render_html", "write_junit", "write_report"]


def write_report(run_dir: Path, junit: Path | None = None) -> dict[str, Any]:
    """Analyse a run directory and write index.html, journey pages, results.json (+ JUnit)."""
    results = build_results(run_dir)
    write_results_json(results, Path(run_dir) / "results.json")
    render_html(results, run_dir)
    if junit is not None:
        write_junit(results, junit)
    return results
