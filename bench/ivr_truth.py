"""Precision and recall of shopper's phone findings on an IVR corpus it was not fitted to.

Runs every scenario of bench/ivr_corpus/scenarios/ through the real runner, phone driver
and twilio SDK against the simulator with the corpus's TwiML apps registered, then scores
the findings against bench/ivr_corpus/labels.yaml (LABELLING.md: a reported finding is
right when it matches a label by journey, kind, code and step ±1; optional labels count
as right, not as required) and compares time to first response and time to a person with
the simulator's own transcript of each call.

Usage: python bench/ivr_truth.py [--out DIR] [-k NAME-SUBSTRING] [--workers N]
"""

from __future__ import annotations

import argparse
import asyncio
import re
import sys
import tempfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from bench.ivr_corpus.corpus import Corpus  # noqa: E402
from shopper.channels import RunOptions  # noqa: E402
from shopper.report import write_report  # noqa: E402
from shopper.runner.engine import run_plan  # noqa: E402
from shopper.runner.plan import plan  # noqa: E402
from shopper.scenario import load_paths  # noqa: E402

CORPUS = ROOT / "bench" / "ivr_corpus"
KINDS = ("dead_end", "handoff", "expectation", "budget")
LINE = re.compile(r"^\[(\d+):(\d+(?:\.\d+)?)\] (\w+): (.*)$")


@dataclass
class Score:
    """Counts of one finding kind."""

    right: int = 0  # reported and matching a label
    reported: int = 0
    found: int = 0  # required labels found
    required: int = 0
    wrong: list[str] = field(default_factory=list)
    missed: list[str] = field(default_factory=list)

    @property
    def precision(self) -> float:
        """right / reported (1.0 when nothing was reported)."""
        return self.right / self.reported if self.reported else 1.0

    @property
    def recall(self) -> float:
        """found / required (1.0 when nothing was required)."""
        return self.found / self.required if self.required else 1.0


def load_labels() -> dict[str, dict[str, Any]]:
    """Labels by journey name."""
    data = yaml.safe_load((CORPUS / "labels.yaml").read_text())
    return {j["journey"]: j for j in data["journeys"]}


def _matches(f: dict[str, Any], label: dict[str, Any]) -> bool:
    if f["kind"] != label["kind"] or f["code"] not in label["codes"]:
        return False
    step = None if f.get("step") is None else f["step"] + 1
    if step is not None and abs(step - label["step"]) > 1:
        return False
    if label.get("to") and f["kind"] == "handoff":
        return bool(re.search(label["to"], str(f.get("details", {}).get("to", "")), re.I))
    return True


def score(journeys: dict[str, dict[str, Any]], labels: dict[str, dict[str, Any]]
          ) -> tuple[dict[str, Score], list[dict[str, Any]]]:
    """Per-kind scores and one row per journey."""
    scores = {k: Score() for k in KINDS}
    rows = []
    for name, label in labels.items():
        j = journeys.get(name)
        if j is None:
            continue
        findings = [f for f in j["findings"] if f["kind"] in KINDS]
        row = {"journey": name, "outcome": j["outcome"], "want": label["outcome"],
               "reported": sorted(f["code"] for f in findings), "wrong": [], "missed": []}
        for f in findings:
            s = scores[f["kind"]]
            s.reported += 1
            if any(_matches(f, lab) for lab in label["findings"]):
                s.right += 1
            else:
                s.wrong.append(f"{name}: {f['code']} (step {(f.get('step') or 0) + 1})")
                row["wrong"].append(f["code"])
        for lab in label["findings"]:
            if lab.get("optional"):
                continue
            s = scores[lab["kind"]]
            s.required += 1
            if any(_matches(f, lab) for f in findings):
                s.found += 1
            else:
                s.missed.append(f"{name}: {lab['kind']} {'/'.join(lab['codes'])}")
                row["missed"].append("/".join(lab["codes"]))
        rows.append(row)
    return scores, rows


def transcript_times(text: str) -> list[tuple[float, str, str]]:
    """(virtual seconds, role, words) of each spoken line of a simulator transcript."""
    out = []
    for line in text.splitlines():
        m = LINE.match(line)
        if m and not m.group(4).startswith("["):
            out.append((int(m.group(1)) * 60 + float(m.group(2)), m.group(3), m.group(4)))
    return out


def timing(journey: dict[str, Any], out: Path, sim: Any) -> dict[str, Any] | None:
    """Shopper's time to first response / to a person vs the simulator's transcript."""
    sid = next((e.get("sid") for e in journey["events"] if e["kind"] == "call"
                and e.get("sid")), None)
    rec = sim.calls.get(sid) if sid else None
    folder = out / "journeys" / journey["folder"] / "artifacts"
    txt = next(iter(sorted(folder.glob("*.txt"))), None) if folder.exists() else None
    if rec is None or rec.answered_at is None or txt is None:
        return None
    lines = transcript_times(txt.read_text())
    far = next((t for t, role, _ in lines if role in ("company", "agent")), None)
    person = next((t for t, role, _ in lines if role == "agent"), None)
    m = journey["metrics"]
    row: dict[str, Any] = {"journey": journey["scenario"]}
    for key, truth in (("time_to_first_response", far), ("time_to_human", person)):
        got = m.get(key)
        want = None if truth is None else round(truth - rec.answered_at, 2)
        row[key] = (got, want, None if got is None or want is None else round(got - want, 2))
    return row


async def run_corpus(out: Path, only: str | None = None,
                     workers: int = 4) -> tuple[dict, list, Any, Corpus]:
    """Run the corpus scenarios; (journeys by name, timing rows, sim notifications)."""
    paths = sorted((CORPUS / "scenarios").glob("*.yaml"))
    corpus = Corpus()
    async with corpus:
        scenarios = load_paths([str(p) for p in paths], set(corpus.vars))
        if only:
            scenarios = [s for s in scenarios if only.lower() in s.name.lower()]
        options = RunOptions(vars=corpus.vars, settings=corpus.settings)
        await run_plan(plan(scenarios, channels=["phone"]), out, options, workers=workers)
        results = write_report(out)
        journeys = {j["scenario"]: j for j in results["journeys"]}
        times = [t for j in journeys.values() if (t := timing(j, out, corpus.sim))]
        notes = list(corpus.sim.notifications)
    return journeys, times, notes, corpus


def unsupported(notes: list[Any]) -> set[str]:
    """Features the simulator said it skipped (e.g. 'record' for <Record>)."""
    return {m.group(1).lower() for n in notes
            if (m := re.search(r"<(\w+)> is not modelled", n.message))}


def main() -> int:
    """Run, score and print the tables."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path)
    parser.add_argument("-k", dest="only")
    parser.add_argument("--workers", type=int, default=4, help="journeys at once (load)")
    args = parser.parse_args()
    out = args.out or Path(tempfile.mkdtemp(prefix="ivr-truth-"))
    journeys, times, notes, _ = asyncio.run(run_corpus(out, args.only, args.workers))
    labels = load_labels()
    skipped = unsupported(notes)
    scored = {n: lab for n, lab in labels.items() if not set(lab.get("needs", [])) & skipped}
    scores, rows = score(journeys, scored)
    print(f"{'journey':52} {'outcome':8} {'want':7} reported / wrong / missed")
    for r in rows:
        mark = "" if not r["wrong"] and not r["missed"] and r["outcome"] == r["want"] else " <-"
        print(f"{r['journey'][:52]:52} {r['outcome']:8} {r['want']:7} "
              f"{','.join(r['reported']) or '-'} / {','.join(r['wrong']) or '-'} / "
              f"{','.join(r['missed']) or '-'}{mark}")
    for name in sorted(set(labels) - set(scored)):
        print(f"{name[:52]:52} not scored: the simulator does not model {labels[name]['needs']}")
    print(f"\n{'kind':12} {'precision':>9} {'recall':>7} {'reported':>8} {'required':>8}")
    for kind, s in scores.items():
        print(f"{kind:12} {s.precision:9.2f} {s.recall:7.2f} {s.reported:8d} {s.required:8d}")
        for w in s.wrong:
            print(f"    false: {w}")
        for m in s.missed:
            print(f"    missed: {m}")
    print(f"\n{'journey':52} {'first response (got/truth/err)':32} time to human")
    worst = 0.0
    for t in times:
        cells = []
        for key in ("time_to_first_response", "time_to_human"):
            got, want, err = t[key]
            cells.append(f"{got}/{want}/{err}")
            worst = max(worst, abs(err)) if err is not None else worst
        print(f"{t['journey'][:52]:52} {cells[0]:32} {cells[1]}")
    print(f"\nworst timing error: {worst:.2f}s; results in {out}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
