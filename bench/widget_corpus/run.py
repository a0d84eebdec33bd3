"""Run the widget corpus: serve every widget on loopback, run its scenarios with shopper's
real engine, and score the transcript and findings against the truth and the labels."""

from __future__ import annotations

import re
import subprocess
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

import yaml
from aiohttp import web

from shopper.channels import RunOptions
from shopper.channels.browser import BrowserPool
from shopper.detect import analyse
from shopper.journal import read_journal
from shopper.runner.engine import run_journey
from shopper.runner.plan import plan
from shopper.scenario import load_file

from .apps import APPS, SESSIONS

HERE = Path(__file__).parent
ROOT = HERE.parents[1]
NPM = ("n8n", "flowise", "typebot", "voiceflow")
HANDBUILT = ("iframe", "shadow", "live_region", "toaster")
#: The hand-built widgets' script (tests/chat/widgets BOT_JS), as the customer sees it.
HANDBUILT_TRUTH = [
    ("bot", None), ("bot", "What can I do for you today?"),
    ("customer", "Where is my order?"), ("bot", "Sure, what's your order number?"),
    ("customer", "It is 123456"), ("bot", "Order 123456 is on its way and arrives Friday."),
    ("customer", "Can I talk to a human?"), ("bot", "Connecting you to a human…"),
    ("system", "{agent} joined the chat"), ("agent", "Hi, {agent} here. How can I help?"),
    ("customer", "I was charged twice, I need a refund"),
    ("agent", "I'll transfer you to Billing."), ("system", "{agent2} joined the chat"),
    ("agent", "Hello, {agent2} from Billing. What's your order number?")]


def fetch_widgets() -> Path:
    """Install the npm widgets (scripts/widgets.sh, skipped when present); their cache."""
    out = subprocess.run(["bash", str(ROOT / "scripts" / "widgets.sh")], capture_output=True,
                         text=True, timeout=600)
    if out.returncode:
        raise RuntimeError(out.stderr.strip() or "scripts/widgets.sh failed")
    return Path(out.stdout.strip().splitlines()[-1])


async def serve(app: web.Application) -> tuple[web.AppRunner, str]:
    """Serve an app on a free loopback port."""
    runner = web.AppRunner(app, shutdown_timeout=1.0, access_log=None)
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", 0)
    await site.start()
    return runner, f"http://127.0.0.1:{runner.addresses[0][1]}"


@dataclass
class Result:
    """One journey of the corpus, scored."""

    widget: str
    journey: str
    selectors: int
    recorded: int
    shown: int
    missing: list[str] = field(default_factory=list)
    extra: list[str] = field(default_factory=list)
    duplicates: int = 0
    wrong_roles: list[str] = field(default_factory=list)
    handoff_found: bool = False
    handoff_expected: bool = False
    false_findings: list[str] = field(default_factory=list)
    false_dead_ends: int = 0
    missed: list[str] = field(default_factory=list)
    right: int = 0  # reported findings that match a label
    required: int = 0  # labels that must be found
    outcome: str = ""
    lag_ms: list[float] = field(default_factory=list)
    reads: int = 0
    steps_ok: bool = True

    @property
    def exact(self) -> bool:
        """No missing, extra or duplicated message and every role right."""
        return not (self.missing or self.extra or self.duplicates or self.wrong_roles)


def _norm(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip().lower()


def _score_transcript(res: Result, events: list[dict[str, Any]],
                      truth: list[tuple[str, str | None]]) -> None:
    got = [e for e in events if e["kind"] == "message"]
    texts = [_norm(e["text"]) for e in got]
    res.recorded, res.shown = len(got), len(truth)
    res.duplicates = sum(texts.count(t) - 1 for t in set(texts)
                         if texts.count(t) > sum(1 for _, x in truth if x and _norm(x) == t))
    used: set[int] = set()
    for role, text in truth:
        k = next((i for i, e in enumerate(got) if i not in used and (
            (text is None and e["role"] == role and i == 0) or
            (text is not None and texts[i] == _norm(text)))), None)
        if k is None:
            res.missing.append(f"{role}: {text}")
            continue
        used.add(k)
        judged = next((m for m in _judged_messages(events) if m.get("_i") == got[k].get("_i")), got[k])
        if judged["role"] != role:
            res.wrong_roles.append(f'{text!r} is {judged["role"]}, should be {role}')
    res.extra = [f'{e["role"]}: {e["text"]}' for i, e in enumerate(got) if i not in used]
    t0 = datetime.fromisoformat(events[0]["t"])
    for e in got:
        if e.get("how") != "sent, not shown":
            wall = (datetime.fromisoformat(e["t"]) - t0).total_seconds()
            res.lag_ms.append(round((wall - e["at"]) * 1000, 1))


def _judged_messages(events: list[dict[str, Any]]) -> list[dict[str, Any]]:
    from shopper.detect.conversation import judged
    from shopper.detect.model import JourneyView
    return judged(JourneyView([dict(e) for e in events])).messages


def _score_findings(res: Result, findings: list[Any], labels: dict[str, Any]) -> None:
    wanted = labels.get("findings") or []
    res.handoff_expected = any(w["codes"][0] == "bot_to_human" for w in wanted)
    res.handoff_found = any(f.code == "bot_to_human" for f in findings)
    hit: set[int] = set()
    for f in findings:
        step = (f.step + 1) if f.step is not None else None
        k = next((i for i, w in enumerate(wanted) if w["kind"] == f.kind and f.code in w["codes"]
                  and step is not None and abs(step - w["step"]) <= 1), None)
        if k is None:
            res.false_findings.append(f"{f.kind}/{f.code} step {step}: {f.message[:90]}")
            res.false_dead_ends += f.kind == "dead_end"
        else:
            hit.add(k)
            res.right += 1
    res.required = sum(1 for w in wanted if not w.get("optional"))
    res.missed = [f'{w["kind"]}/{w["codes"][0]} step {w["step"]}' for i, w in enumerate(wanted)
                  if i not in hit and not w.get("optional")]


async def run_corpus(names: tuple[str, ...], out: Path, speed: float = 0.3,
                     browser: Any = None) -> list[Result]:
    """Run the scenarios of `names`; return one scored Result per journey."""
    labels = {e["journey"]: e for e in yaml.safe_load((HERE / "labels.yaml").read_text())}
    cache = fetch_widgets() if any(n in NPM for n in names) else None
    runners, urls, apps = [], {}, {}
    import tests.chat.widgets as handbuilt
    for name in names:
        app = APPS[name](cache, speed, loop=True) if name in NPM else handbuilt.WIDGETS[name]()
        runner, base = await serve(app)
        runners.append(runner)
        urls[f"{name.upper()}_URL"] = base
        apps[name] = app
    pool = browser or BrowserPool(None, True)
    results: list[Result] = []
    try:
        for name in names:
            files = sorted(HERE.glob(f"scenarios/{name}*.yaml")) if name in NPM else \
                [HERE / "scenarios" / f"handbuilt-{name}.yaml"]
            for path in files:
                scenario = load_file(path, set(urls))
                for p in plan([scenario]):
                    if name in NPM:
                        apps[name][SESSIONS].clear()
                    folder = out / p.id
                    options = RunOptions(vars=dict(urls), trace="off", screenshots="off")
                    await run_journey(p, folder, options, pool)
                    events = read_journal(folder)
                    analysis = analyse([dict(e) for e in events])
                    widget = (p.journey.settings.get("widget") or {})
                    res = Result(name, scenario.name, len(widget), 0, 0, outcome=analysis.outcome)
                    res.steps_ok = all(e.get("status") == "ok" for e in events
                                       if e["kind"] == "step.end")
                    if name in NPM:
                        [session] = list(apps[name][SESSIONS].values())[-1:] or [None]
                        truth = session.truth() if session else []
                    elif name == "toaster":
                        from tests.chat.widgets.toaster_widget import TRUTH
                        truth = list(TRUTH)
                    else:
                        names_ = {"iframe": ("Alex", "Priya"), "shadow": ("Kim", "Lou"),
                                  "live_region": ("A", "B")}[name]
                        truth = [(r, t.format(agent=names_[0], agent2=names_[1]) if t else t)
                                 for r, t in HANDBUILT_TRUTH
                                 # this widget shows no "joined" lines: only a new avatar
                                 if not (name == "live_region" and r == "system")]
                    _score_transcript(res, events, truth)
                    _score_findings(res, analysis.findings, labels.get(scenario.name, {}))
                    res.reads = next((e.get("reads", 0) for e in events
                                      if e["kind"] == "note" and e.get("what") == "chat capture"), 0)
                    results.append(res)
    finally:
        if browser is None:
            await pool.close()
        for runner in runners:
            await runner.cleanup()
    return results
