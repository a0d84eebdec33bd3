"""Reports: pure functions of a run directory's journals."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from .compare import baseline_index, compare, compare_journey, merge_runs
from .html import environment, render_html, render_index, render_journey, write_assets
from .junit import write_junit
from .results import (ResultsWriter, assemble, build_results, iter_journeys, keep, load_results,
                      manifest, read_results, summary_line, write_results_json)

__all__ = ["build_results", "compare", "load_results", "merge_runs", "read_results",
           "render_html", "summary_line", "write_junit", "write_report", "write_results_json"]


def write_report(run_dir: Path, junit: Path | None = None,
                 baseline: Path | None = None, rules: Any = None) -> dict[str, Any]:
    """Analyse a run directory and write index.html, journey pages, results.json +
    results.jsonl (+ JUnit); with `baseline`, each journey also says what changed since
    that earlier run; `rules` (a `language:` value) re-judges every journey with those
    wording rules. Journeys are analysed, written and dropped one at a time; the
    returned results hold small records whose events are read again on demand."""
    run_dir = Path(run_dir)
    before = baseline_index(baseline) if baseline is not None else None
    env = environment()
    write_assets(env, run_dir)
    info = manifest(run_dir)
    head = {"run": {k: info.get(k) for k in ("shopper", "started", "finished", "workers")}}
    writer = ResultsWriter(run_dir)
    kept = []
    try:
        for j in iter_journeys(run_dir, rules):
            if before is not None:
                compare_journey(j, before)
            render_journey(env, head, j, run_dir)
            writer.add(j)
            kept.append(keep(j, run_dir))
    except BaseException:
        writer.abort()
        raise
    results = assemble(kept, info)
    for j in results["journeys"][len(kept):]:  # planned, never started: a page says so
        render_journey(env, head, j, run_dir)
        writer.add(j)
    if baseline is not None:
        results["compared_with"] = str(baseline)
    writer.finish(results)
    render_index(env, results, run_dir)
    if junit is not None:
        write_junit(results, junit)
    return results
