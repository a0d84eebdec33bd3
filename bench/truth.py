"""Web truth: run the labelled corpus (bench/web_corpus) and score shopper's findings.

Prints a per-journey table, then precision and recall for dead ends, handoffs and overall,
false findings on healthy journeys and findings in the wrong category. Labels follow
/work/shared/LABELLING.md: a finding is right when journey, kind, code and step (+-1) match
an entry (and, for handoffs, `to` matches where the customer was sent).

Usage: python bench/truth.py [--only northgate,kitebox,larkspur,brightwave,helpdesk] [--no-helpdesk] [--out DIR]
"""

from __future__ import annotations

import argparse
import asyncio
import re
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench.web_corpus.servers import corpus  # noqa: E402
from shopper.channels import RunOptions  # noqa: E402
from shopper.report import write_report  # noqa: E402
from shopper.runner.engine import run_plan  # noqa: E402
from shopper.runner.plan import plan  # noqa: E402
from shopper.scenario import load_paths  # noqa: E402

CORPUS = ROOT / "bench" / "web_corpus"
SCORED = ("dead_end", "handoff")


@dataclass
class Score:
    """Counts for one kind (or overall)."""

    reported: int = 0
    right: int = 0
    required: int = 0
    found: int = 0

    @property
    def precision(self) -> float:
        """Right findings over reported ones (1.0 when nothing was reported)."""
        return self.right / self.reported if self.reported else 1.0

    @property
    def recall(self) -> float:
        """Required labels found over required labels."""
        return self.found / self.required if self.required else 1.0


@dataclass
class Result:
    """The scored corpus."""

    kinds: dict[str, Score] = field(default_factory=lambda: {k: Score() for k in (*SCORED, "overall")})
    rows: list[dict[str, Any]] = field(default_factory=list)
    false_on_healthy: list[str] = field(default_factory=list)
    false_dead_ends_on_healthy: int = 0
    wrong_category: list[str] = field(default_factory=list)
    seconds: float = 0.0


def _matches(f: dict[str, Any], label: dict[str, Any], kind: bool = True) -> bool:
    step = (f.get("step") + 1) if f.get("step") is not None else None
    if step is None or abs(step - label["step"]) > 1:
        return False
    if not kind:
        return True
    if f["kind"] != label["kind"] or f["code"] not in label["codes"]:
        return False
    if label["kind"] == "handoff" and label.get("to"):
        return bool(re.search(label["to"], str(f.get("details", {}).get("to", "")), re.I))
    return True


def score(journeys: list[dict[str, Any]], labels: list[dict[str, Any]]) -> Result:
    """Score shopper's journeys (results.json entries) against the labels."""
    res = Result()
    by_name = {j["scenario"]: j for j in journeys}
    for lab in labels:
        j = by_name.get(lab["journey"])
        if j is None:
            continue
        entries = lab.get("findings") or []
        found = [f for f in j["findings"] if f["kind"] in SCORED]
        marks = []
        for f in found:
            ok = any(_matches(f, e) for e in entries)
            for k in (f["kind"], "overall"):
                res.kinds[k].reported += 1
                res.kinds[k].right += ok
            to = f.get("details", {}).get("to")
            marks.append(("" if ok else "✗") + f["code"] + f"@{(f.get('step') or 0) + 1}"
                         + (f"→{to}" if to and f["kind"] == "handoff" else ""))
            if not ok and lab["healthy"]:
                res.false_on_healthy.append(f"{lab['journey']}: {f['code']}")
                res.false_dead_ends_on_healthy += f["kind"] == "dead_end"
        if lab["healthy"]:
            for f in j["findings"]:
                if f["kind"] not in SCORED:
                    res.false_on_healthy.append(f"{lab['journey']}: {f['code']} ({f['message'][:90]})")
        missed = []
        for e in entries:
            if e.get("optional"):
                continue
            hit = any(_matches(f, e) for f in found)
            for k in (e["kind"], "overall"):
                res.kinds[k].required += 1
                res.kinds[k].found += hit
            if not hit:
                missed.append(f"{e['codes'][0]}@{e['step']}")
                other = [f for f in j["findings"] if _matches(f, e, kind=False) and f["kind"] != e["kind"]]
                if other:
                    res.wrong_category.append(f"{lab['journey']}: {e['kind']} reported as "
                                              f"{other[0]['kind']} {other[0]['code']}")
        res.rows.append({"journey": lab["journey"], "healthy": lab["healthy"],
                         "outcome": j["outcome"], "reported": marks, "missed": missed})
    return res


def print_result(res: Result) -> None:
    """The per-journey table and the figures."""
    print(f"{'journey':52} {'healthy':7} {'outcome':8} reported (✗ = wrong) / missed")
    for r in res.rows:
        miss = ("  MISSED " + ", ".join(r["missed"])) if r["missed"] else ""
        print(f"{r['journey'][:52]:52} {str(r['healthy']):7} {r['outcome']:8} "
              f"{', '.join(r['reported']) or '-'}{miss}")
    print()
    for k, s in res.kinds.items():
        print(f"{k:9} precision {s.precision:.3f} ({s.right}/{s.reported})  "
              f"recall {s.recall:.3f} ({s.found}/{s.required})")
    print(f"false findings on healthy journeys: {len(res.false_on_healthy)} "
          f"(dead ends: {res.false_dead_ends_on_healthy})")
    for line in res.false_on_healthy:
        print("   ", line)
    print(f"findings in the wrong category: {len(res.wrong_category)}")
    for line in res.wrong_category:
        print("   ", line)
    print(f"journeys: {len(res.rows)} ({sum(r['healthy'] for r in res.rows)} healthy), "
          f"{res.seconds:.1f} s")


def labels() -> list[dict[str, Any]]:
    """The label file's entries."""
    return yaml.safe_load((CORPUS / "labels.yaml").read_text())


async def run(only: list[str], helpdesk: bool = True, out: Path | None = None,
              workers: int = 2, screenshots: str = "on") -> Result:
    """Serve the corpus, run its scenarios with shopper and score them."""
    out = out or Path(tempfile.mkdtemp(prefix="truth-"))
    t0 = time.monotonic()
    async with corpus(helpdesk=helpdesk) as vars_:
        dirs = [CORPUS / "scenarios" / d for d in only if d != "helpdesk" or vars_["HELPDESK"]]
        scenarios = load_paths(dirs, set(vars_))
        options = RunOptions(vars=dict(vars_), trace="off", screenshots=screenshots)
        await run_plan(plan(scenarios, channels=["web"]), out, options, workers=workers)
    results = write_report(out)
    names = {s.name for s in scenarios}
    res = score(results["journeys"], [lab for lab in labels() if lab["journey"] in names])
    res.seconds = time.monotonic() - t0
    return res


def main() -> None:
    """Command line entry point."""
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--only", default="northgate,kitebox,larkspur,brightwave,helpdesk")
    ap.add_argument("--no-helpdesk", action="store_true")
    ap.add_argument("--out", type=Path)
    ap.add_argument("--workers", type=int, default=2)
    a = ap.parse_args()
    res = asyncio.run(run(a.only.split(","), not a.no_helpdesk, a.out, a.workers))
    print_result(res)


if __name__ == "__main__":
    main()
