"""The engine: runs planned journeys concurrently, each through its channel driver.

Everything observed goes to the journeys' journals as it happens; a crash, a timeout or
Ctrl-C ends a journey with `journey.end` saying so, and every journal stays readable.
"""

from __future__ import annotations

import asyncio
import json
import os
import shutil
import time
import traceback
from dataclasses import asdict
from pathlib import Path
from typing import Callable

from .. import __version__
from ..channels import JourneyContext, RunOptions, driver_class
from ..channels.browser import BrowserPool
from ..errors import RunError, StepFailed
from ..journal import Journal, Redactor
from ..scenario.variables import UnresolvedVariable, references, walk_strings
from .plan import PlannedJourney

DEFAULT_JOURNEY_TIMEOUT = 300.0
BROWSER_CHANNELS = ("web", "chat")


def _redactor_for(p: PlannedJourney, options: RunOptions) -> Redactor:
    """Secrets of this journey: secret persona values, env values, credential settings."""
    ctx = JourneyContext(p.scenario, p.journey, None, options, None)  # type: ignore[arg-type]
    red = Redactor()
    for key in p.scenario.secret_persona_keys():
        try:
            red.add(ctx.resolve(p.scenario.persona[key]), f"persona.{key}")
        except UnresolvedVariable:
            pass
    texts = list(walk_strings(p.scenario.persona)) + list(walk_strings(p.scenario.vars)) + [
        s for step in p.journey.steps for s in walk_strings(step.args)]
    for text in texts:
        for ns, name, _ in references(text):
            if ns == "env":
                red.add(os.environ.get(name), f"env.{name}")
    for name, value in options.settings.items():
        if any(w in name.upper() for w in ("TOKEN", "SECRET", "PASSWORD", "KEY")):
            red.add(value, name)
    for name in ("TWILIO_AUTH_TOKEN", "TWILIO_API_SECRET"):
        red.add(os.environ.get(name), name)
    return red


def _start_event(p: PlannedJourney, options: RunOptions) -> dict:
    s, j = p.scenario, p.journey
    secret = s.secret_persona_keys()
    return dict(
        scenario=s.name, file=s.file, line=s.loc.line, channel=j.channel, id=p.id,
        description=s.description, tags=list(s.tags),
        persona={k: ("[secret]" if k in secret else v) for k, v in s.persona.items()},
        budgets=s.budgets.as_dict(), settings=j.settings,
        steps=[{"index": st.index, "action": st.action, "text": st.describe(),
                "line": st.loc.line, "file": s.file, "args": st.args} for st in j.steps],
        options={"trace": options.trace, "screenshots": options.screenshots,
                 "step_timeout": options.step_timeout})


async def run_journey(p: PlannedJourney, folder: Path, options: RunOptions,
                      pool: BrowserPool) -> str:
    """Run one journey to its end; return its journey.end outcome."""
    if folder.exists():  # a re-run into the same --out replaces that journey's record
        shutil.rmtree(folder)
    journal = Journal(folder, _redactor_for(p, options))
    ctx = JourneyContext(p.scenario, p.journey, journal, options, pool.get)
    journal.record("journey.start", **_start_event(p, options))
    outcome, message, failed = "completed", None, False
    limit = p.scenario.timeout or options.journey_timeout or DEFAULT_JOURNEY_TIMEOUT
    driver = None
    try:
        driver = driver_class(p.journey.channel)(ctx)
        async with asyncio.timeout(limit):
            try:
                await driver.start()
            except StepFailed as exc:
                journal.record("error", message=str(exc), where="start", reason=exc.reason,
                               **exc.details)
                outcome, message, failed = "failed", str(exc), True
            if not failed:
                for step in p.journey.steps:
                    status = await _run_step(driver, ctx, step)
                    if status != "ok":
                        outcome, failed = ("failed" if status == "failed" else "error"), True
                        break
    except TimeoutError:
        outcome, failed = "timeout", True
    except asyncio.CancelledError:
        outcome, failed = "interrupted", True
    except RunError as exc:
        outcome, message, failed = "error", str(exc), True
    except Exception as exc:  # a driver bug: keep the journal, say what happened
        outcome, message, failed = "error", f"{type(exc).__name__}: {exc}", True
        journal.record("error", message=message, where="driver",
                       traceback=traceback.format_exc(limit=6))
    finally:
        if driver is not None:
            try:
                await asyncio.shield(asyncio.wait_for(driver.stop(failed), 30))
            except BaseException as exc:  # stop must not lose the journal
                journal.record("error", message=f"stop failed: {exc!r}", where="stop")
        journal.step = None
        journal.record("journey.end", outcome=outcome, message=message, limit=limit)
        journal.close()
    return outcome


def _outer_limit(ctx: JourneyContext, step, driver=None) -> float | None:
    """The hang guard of one step: its timeout or its longest duration option (`within`,
    `for`, hold budgets), plus a grace period for the driver's own evidence. A driver with
    its own guard (`hang_guard`, e.g. phone: call time plus a stall window) decides."""
    durations = [v for v in step.args.values() if isinstance(v, float)]
    limit = max([ctx.timeout(step), *durations]) + 15
    own = getattr(driver, "hang_guard", None)
    return own(step, limit) if own is not None else limit


async def _run_step(driver, ctx: JourneyContext, step) -> str:
    journal = ctx.journal
    journal.step = step.index
    journal.record("step.start", index=step.index, action=step.action, text=step.describe(),
                   line=step.loc.line)
    t0 = journal.now()  # journal time: a phone step's duration is call time
    status, reason, message, details = "ok", None, None, {}
    try:
        # a step's own wait is bounded by its timeout; this outer bound catches hangs
        await asyncio.wait_for(driver.perform(step), _outer_limit(ctx, step, driver))
    except StepFailed as exc:
        status, reason, message, details = "failed", exc.reason, str(exc), exc.details
    except asyncio.CancelledError:  # Ctrl-C: say where the customer was, then stop
        journal.record("step.end", index=step.index, status="interrupted", reason="interrupted",
                       message="the run was interrupted", duration=round(journal.now() - t0, 3))
        raise
    except UnresolvedVariable as exc:
        status, reason, message = "failed", "variable", f"{exc} (file {ctx.scenario.file}, line {step.loc.line})"
    except TimeoutError:
        status, reason, message = "failed", "timeout", f"the step did not finish within {ctx.timeout(step):g}s"
    except Exception as exc:
        status, reason, message = "error", "error", f"{type(exc).__name__}: {str(exc).splitlines()[0] if str(exc) else ''}"
    try:
        await asyncio.wait_for(driver.after_step(step, status), 20)
    except Exception as exc:
        journal.record("error", message=f"evidence not collected: {exc!r}", where="after_step")
    journal.record("step.end", index=step.index, status=status, reason=reason, message=message,
                   duration=round(journal.now() - t0, 3), **details)
    return status


async def run_plan(planned: list[PlannedJourney], out: Path, options: RunOptions,
                   workers: int = 1,
                   on_done: Callable[[PlannedJourney, str], None] | None = None) -> dict[str, str]:
    """Run every journey with at most `workers` at once; return id -> outcome."""
    out = Path(out)
    (out / "journeys").mkdir(parents=True, exist_ok=True)
    manifest = {"shopper": __version__, "started": time.strftime("%Y-%m-%dT%H:%M:%S%z"),
                "journeys": [p.id for p in planned], "workers": workers,
                "options": {k: v for k, v in asdict(options).items() if k not in ("settings",)}}
    manifest["options"]["vars"] = sorted(options.vars)
    (out / "run.json").write_text(json.dumps(manifest, indent=2))
    pool = BrowserPool(options.browser, options.headless)
    sem = asyncio.Semaphore(max(1, workers))
    results: dict[str, str] = {}

    async def one(p: PlannedJourney) -> None:
        async with sem:
            results[p.id] = await run_journey(p, out / "journeys" / p.id, options, pool)
            if on_done:
                on_done(p, results[p.id])

    try:
        if any(p.journey.channel in BROWSER_CHANNELS for p in planned):
            await pool.get()  # no browser is a reason not to start (RunError), not N errors
        await asyncio.gather(*(one(p) for p in planned))
    finally:
        await pool.close()
        manifest["finished"] = time.strftime("%Y-%m-%dT%H:%M:%S%z")
        (out / "run.json").write_text(json.dumps(manifest, indent=2))
    return results
