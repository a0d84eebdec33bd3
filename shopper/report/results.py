"""Build the results of a run from its journals alone (the input of every report).

Results stream: each journey is analysed, handed to the writers (its page, a line of
results.jsonl) and then kept only as a small record (outcome, findings, metrics). The
bulky parts (events, steps) are read again from the journal when someone asks for them,
so memory stays flat in the number of journeys. Journeys the run planned but never
started are listed as `not run`; `problems` says when a run is incomplete.
"""

from __future__ import annotations

import json
import zlib
from collections import Counter
from pathlib import Path
from typing import Any, Iterator

from .. import registry
from ..detect import analyse
from ..detect.goals import GLOSSARY
from ..journal import ATTEMPTS, JOURNAL_FILE, journey_folders, read_journal

RESULTS_JSON = "results.json"
RESULTS_JSONL = "results.jsonl"
FORMAT = 2
#: Every outcome a journey can have in a report, in the order summaries list them.
OUTCOMES = ("passed", "flaky", "failed", "error", "interrupted", "not run")
#: what a journey record keeps in memory after its page is written
KEPT = ("id", "folder", "scenario", "file", "line", "channel", "description", "tags", "outcome",
        "end", "end_message", "metrics", "findings", "page", "compare", "resolution", "goal",
        "language", "attempts", "retries", "finished")


class JourneyRecord(dict):
    """A journey's result, small in memory: its findings are held as compressed JSON, decoded
    on access; keys dropped to save memory (events, steps...) are read again from the journal
    on access. Neither is cached, so a report of 10,000 journeys stays small."""

    run_dir: Path | None = None
    packed: bytes = zlib.compress(b"[]")

    def __missing__(self, key: str) -> Any:
        if key == "findings":
            return json.loads(zlib.decompress(self.packed))
        if self.run_dir is None or key not in FULL_KEYS:
            raise KeyError(key)
        return journey_result(Path(self.run_dir) / "journeys" / self["folder"])[key]

    def get(self, key: str, default: Any = None) -> Any:
        """dict.get that also sees the keys read on demand."""
        try:
            return self[key]
        except KeyError:
            return default


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
    # a step whose screenshot the browser refused: the report says so instead of a blank
    unshot = {e["step"]: e.get("reason") or "the page could not be captured" for e in events
              if e.get("kind") == "note" and e.get("what") == "screenshot not taken"
              and e.get("step") is not None}
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
            "no_screenshot": None if shots.get(s["index"]) else unshot.get(s["index"]),
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


FULL_KEYS = ("persona", "budgets", "steps", "traces", "events")


def keep(j: dict[str, Any], run_dir: Path) -> JourneyRecord:
    """The small record kept once a journey's page and results line are written."""
    rec = JourneyRecord({k: j[k] for k in KEPT if k in j and k != "findings"})
    rec.run_dir = run_dir if isinstance(run_dir, Path) else Path(run_dir)  # one shared object
    rec.packed = zlib.compress(json.dumps(j["findings"], separators=(",", ":")).encode(), 1)
    return rec


def iter_journeys(run_dir: Path, rules: Any = None) -> Iterator[dict[str, Any]]:
    """Every journey of a run, analysed one at a time (full records, events included)."""
    for folder in journey_folders(run_dir):
        yield journey_result(folder, rules)


def manifest(run_dir: Path) -> dict[str, Any]:
    """run.json of a run directory ({} when absent or unreadable)."""
    path = Path(run_dir) / "run.json"
    try:
        return json.loads(path.read_text()) if path.is_file() else {}
    except (OSError, json.JSONDecodeError):
        return {}


def assemble(journeys: list[dict[str, Any]], run: dict[str, Any]) -> dict[str, Any]:
    """The results dict every report reads: run, summary, journeys, scenarios side by side;
    journeys that `run` (run.json) planned but that have no journal are added as `not run`."""
    have = {j["folder"] for j in journeys}
    planned = run.get("planned") or [{"id": i} for i in run.get("journeys", [])]
    journeys = list(journeys) + [not_run_result(e) for e in planned
                                 if isinstance(e, dict) and e.get("id") not in have]
    outcomes = Counter(j["outcome"] for j in journeys)
    kinds: Counter[str] = Counter()
    for j in journeys:
        kinds.update(f["kind"] for f in j["findings"])
    scenarios: dict[str, dict[str, Any]] = {}
    for j in journeys:
        scenarios.setdefault(j["scenario"], {})[j["channel"]] = j
    missing = list(run.get("missing") or [])
    return {
        "run": {k: run.get(k) for k in ("shopper", "started", "finished", "workers", "retries")},
        "summary": {"journeys": len(journeys),
                    **{k.replace(" ", "_"): outcomes.get(k, 0) for k in OUTCOMES},
                    "findings": dict(kinds), "missing": len(missing)},
        "problems": _problems(run, journeys),
        "journeys": journeys,
        "scenarios": scenarios,
        #: scenarios tried on more than one channel, for the side-by-side table
        "across": {name: by for name, by in scenarios.items() if len(by) > 1},
        "channels": registry.names(),
        "resolutions": dict(Counter(j.get("resolution") for j in journeys)),
        #: every metric's definition, shown once in the report
        "glossary": {k: {"label": v[0], "definition": v[1]} for k, v in GLOSSARY.items()},
        #: shards that did not finish and journeys they planned but never recorded
        "shards": run.get("shards") or [], "missing": missing,
    }


def build_results(run_dir: Path, rules: Any = None) -> dict[str, Any]:
    """Analyse every journal of a run directory (journeys kept as small records; `rules`:
    user language rules to re-judge with)."""
    run_dir = Path(run_dir)
    return assemble([keep(j, run_dir) for j in iter_journeys(run_dir, rules)], manifest(run_dir))


def public(j: dict[str, Any]) -> dict[str, Any]:
    """A journey as written to results.jsonl: everything but the raw events."""
    return {k: v for k, v in j.items() if k != "events"}


class ResultsWriter:
    """Writes results.jsonl one journey at a time, then results.json (run + summary)."""

    def __init__(self, run_dir: Path) -> None:
        self.run_dir = Path(run_dir)
        self._tmp = self.run_dir / (RESULTS_JSONL + ".part")
        self._file = open(self._tmp, "w", encoding="utf-8")

    def add(self, j: dict[str, Any]) -> None:
        """Append one journey (without its events)."""
        self._file.write(json.dumps(public(j), ensure_ascii=False) + "\n")

    def finish(self, results: dict[str, Any]) -> None:
        """Close the JSON Lines file and write results.json beside it."""
        self._file.close()
        self._tmp.replace(self.run_dir / RESULTS_JSONL)
        head = {"format": FORMAT, "run": results["run"], "summary": results["summary"],
                "resolutions": results.get("resolutions"), "glossary": results.get("glossary"),
                "problems": results.get("problems", []),
                "compared_with": results.get("compared_with"), "journeys_file": RESULTS_JSONL,
                "shards": results.get("shards", []), "missing": results.get("missing", [])}
        (self.run_dir / RESULTS_JSON).write_text(json.dumps(head, indent=2, ensure_ascii=False))

    def abort(self) -> None:
        """Drop a half-written file (the previous results, if any, stay)."""
        self._file.close()
        self._tmp.unlink(missing_ok=True)


def write_results_json(results: dict[str, Any], path: Path) -> None:
    """results.json + results.jsonl beside it, from results already built."""
    writer = ResultsWriter(Path(path).parent)
    for j in results["journeys"]:
        writer.add(j)
    writer.finish(results)


def read_results(run_dir: Path) -> Iterator[dict[str, Any]]:
    """Stream the journeys of a written results.jsonl (or of an older inline results.json)."""
    run_dir = Path(run_dir)
    lines = run_dir / RESULTS_JSONL
    if lines.is_file():
        with open(lines, encoding="utf-8") as f:
            for line in f:
                if line.strip():
                    yield json.loads(line)
        return
    old = run_dir / RESULTS_JSON
    if old.is_file():
        yield from json.loads(old.read_text()).get("journeys", [])


def load_results(run_dir: Path) -> dict[str, Any]:
    """results.json with its journeys read back from results.jsonl (one dict, for small runs)."""
    run_dir = Path(run_dir)
    head = json.loads((run_dir / RESULTS_JSON).read_text())
    if "journeys" not in head:
        head["journeys"] = list(read_results(run_dir))
    return head


def summary_line(results: dict[str, Any]) -> str:
    """One sentence: how many journeys, how they went, what was found."""
    s, f = results["summary"], results["summary"]["findings"]
    extra = "".join(f", {s[k]} {k.replace('_', ' ')}" for k in ("flaky", "interrupted", "not_run")
                    if s.get(k))
    text = (f"{s['journeys']} journeys: {s['passed']} passed, {s['failed']} failed, "
            f"{s['error']} errors{extra}; {f.get('dead_end', 0)} dead ends, {f.get('handoff', 0)} handoffs, "
            f"{f.get('expectation', 0)} failed expectations, {f.get('budget', 0)} budgets exceeded")
    if s.get("missing"):
        text += f"; {s['missing']} planned journeys missing (a shard did not finish)"
    return text

