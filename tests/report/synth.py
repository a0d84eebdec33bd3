"""Synthetic runs for report tests and bench/bench_report.py: journals written by the real
Journal class, shaped like the lab's web and chat journeys (pages, messages, screenshots,
failed expectations, HTTP dead ends, handoffs), with hostile text in some of them."""

from __future__ import annotations

import json
from pathlib import Path

from shopper.journal import Journal

HOSTILE = 'She said </script><script>alert(1)</script> <!-- and <b>bold</b> & "quotes"'
FILLER = ("Our support team answers most questions within a day. Read the return policy, track an "
          "order, or write to us with the form below. ") * 3


class _Clock:
    """A fake clock so that synthetic journeys have plausible durations without waiting."""

    def __init__(self) -> None:
        self.now = 0.0

    def __call__(self) -> float:
        return self.now


def _steps(channel: str) -> list[dict]:
    if channel == "web":
        acts = [("goto", "Open the help centre"), ("click", "Click 'Returns'"),
                ("fill", "Type the order number"), ("click", "Press 'Start a return'"),
                ("expect", "See a confirmation"), ("click", "Open 'Contact us'")]
    else:
        acts = [("open", "Open the chat"), ("say", "Say 'my blender arrived broken'"),
                ("expect_reply", "Wait for a reply"), ("say", "Ask for a person"),
                ("expect_agent", "Wait for a human agent"), ("say", "Give the order number")]
    return [{"index": i, "action": a, "text": t, "line": 10 + 2 * i, "file": f"scenarios/{channel}.yaml",
             "args": {}} for i, (a, t) in enumerate(acts)]


def write_journey(run_dir: Path, n: int) -> str:
    """Write journey number `n` of a synthetic run; return its id."""
    channel = ("web", "chat", "web")[n % 3]
    scenario = f"Scenario {n // 3:05d} " + ("returns" if n % 2 else "tracking")
    jid = f"scenario-{n // 3:05d}--{channel}-{n}"
    clock = _Clock()
    journal = Journal(Path(run_dir) / "journeys" / jid, clock=clock)
    steps = _steps(channel)
    journal.record("journey.start", scenario=scenario, file=f"scenarios/{channel}/s{n // 3}.yaml",
                   line=1, channel=channel, id=jid, description=f"A customer ({n}) wants help.",
                   tags=["smoke"] if n % 4 == 0 else ["regression"],
                   persona={"name": "Dana" if n % 7 else HOSTILE}, budgets={"max_duration": 120},
                   settings={}, steps=steps, options={})
    fail_at = 4 if n % 5 == 1 else None
    for s in steps:
        journal.step = s["index"]
        journal.record("step.start", index=s["index"], action=s["action"], text=s["text"], line=s["line"])
        clock.now += 1.3
        if channel == "web":
            status = 404 if (n % 11 == 3 and s["index"] == 2) else 200
            journal.record("input", action=s["action"], target=s["text"], text="A-1234")
            journal.record("page", url=f"http://shop.test/help/{n}/{s['index']}", status=status,
                           title=f"Help {s['index']}", text=FILLER + (HOSTILE if n % 7 == 0 else ""),
                           links=[{"text": "Returns", "href": "/returns"}, {"text": "Contact", "href": "/contact"}])
        else:
            role = "customer" if s["action"] == "say" else ("agent" if s["index"] >= 4 and n % 2 else "bot")
            sender = {"customer": "You", "bot": "Blendy (bot)", "agent": "Sam"}[role]
            journal.record("message", role=role, sender=sender,
                           text=(HOSTILE if n % 7 == 0 and role != "customer" else FILLER[:160]))
        journal.record("artifact", path=f"artifacts/step-{s['index']}.png", artifact="screenshot")
        if fail_at == s["index"]:
            journal.record("step.end", index=s["index"], status="failed", reason="expectation",
                           message=f"expected a confirmation, saw {HOSTILE if n % 7 == 1 else 'the form again'}",
                           duration=1.3)
            break
        journal.record("step.end", index=s["index"], status="ok", reason=None, message=None, duration=1.3)
    journal.step = None
    journal.record("journey.end", outcome="failed" if fail_at is not None else "completed", message=None)
    journal.close()
    return jid


def make_run(run_dir: Path, count: int, first: int = 0) -> Path:
    """A run directory with `count` synthetic journeys (numbered from `first`) and a run.json."""
    run_dir = Path(run_dir)
    ids = [write_journey(run_dir, n) for n in range(first, first + count)]
    (run_dir / "run.json").write_text(json.dumps({
        "shopper": "synthetic", "started": "2026-01-01T00:00:00", "finished": "2026-01-01T01:00:00",
        "journeys": ids, "workers": 2}))
    return run_dir
