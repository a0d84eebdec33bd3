"""Reports: pure functions of a run directory's journals."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from .compare import compare, merge_runs
from .html import render_html
from .junit import write_junit
from .results import build_results, write_results_json

__all__ = ["build_results", "compare", "merge_runs", "render_html", "write_junit", "write_report"]


def write_report(run_dir: Path, junit: Path | None = None,
                 baseline: Path | None = None, rules: Any = None) -> dict[str, Any]:
    """Analyse a run directory and write index.html, journey pages, results.json (+ JUnit);
    with `baseline`, each journey also says what changed since that earlier run; `rules`
    (a `language:` value) re-judges every journey with those wording rules."""
    results = build_results(run_dir, rules)
    if baseline is not None:
        base = build_results(baseline)
        base["dir"] = str(baseline)
        compare(results, base)
    write_results_json(results, Path(run_dir) / "results.json")
    render_html(results, run_dir)
    if junit is not None:
        write_junit(results, junit)
    return results
