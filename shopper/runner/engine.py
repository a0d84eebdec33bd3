"""The engine: runs planned journeys concurrently, each through its channel driver.

Everything observed goes to the journeys' journals as it happens; a crash, a timeout or
Ctrl-C ends a journey with `journey.end` saying so, and every journal stays readable.
"""

from __future__ import annotations

import asyncio
import gc
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
from ..channels import retry
from ..channels.base import is_secret_var
from ..channels.browser import BrowserPool
from ..detect import language
from ..errors import RunError, StepFailed, UsageError
from ..journal import ARTIFACTS, ATTEMPTS, JOURNAL_FILE, Journal, Redactor, read_journal
from ..registry import browser_channels, secret_names
from ..scenario.model import Scenario
from ..scenario.variables import UnresolvedVariable, references, walk_strings
from .plan import PlannedJourney

DEFAULT_JOURNEY_TIMEOUT = 300.0
BROWSER_CHANNELS = browser_channels()


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
            elif ns is None and is_secret_var(name, options):
                red.add(ctx.lookup(None, name), name)
    for name, value in options.vars.items():
        if is_secret_var(name, options):
            red.add(value, name)
    for name, raw in p.scenario.vars.items():
        if is_secret_var(name, options):
            try:
                red.add(ctx.resolve(raw), name)
            except UnresolvedVariable:
                pass
    for name, value in options.settings.items():
        if is_secret_var(name, options):
            red.add(value, name)
    for name in secret_names():
        red.add(os.environ.get(name), name)
    return red


def language_of(scenario: Scenario) -> dict:
    """The scenario's wording: its `language:` over the user's rules files
    (`shopper-language.yaml` next to the scenario, or in the folder above it)."""
    here = Path(scenario.file).resolve().parent
    found = [d / language.USER_FILE for d in (here.parent, here) if (d / language.USER_FILE).is_file()]
    try:
        specs = [language.read_rules_file(f) for f in found]
        merged = language.merge_rules(*specs, scenario.language)
        language.pack(merged["code"], merged["cues"])
    except language.LanguageError as exc:
        raise UsageError(f"{scenario.file}:{scenario.loc.line}: {exc}") from exc
    return merged


def run_redactor(planned: list[PlannedJourney], options: RunOptions) -> Redactor:
    """Every secret of a run, to scrub files written after the journeys (reports, JUnit)."""
    red = Redactor()
    for p in planned:
        red.merge(_redactor_for(p, options))
    return red


def _start_event(p: PlannedJourney, options: RunOptions) -> dict:
    s, j = p.scenario, p.journey
    secret = s.secret_persona_keys()
    return dict(
        scenario=s.name, file=s.file, line=s.loc.line, channel=j.channel, id=p.id,
        description=s.description, tags=list(s.tags),
        persona={k: ("[secret]" if k in secret else v) for k, v in s.persona.items()},
        budgets=s.budgets.as_dict(), settings=j.settings,
        goal=j.settings.get("goal") or s.goal, language=language_of(s),
        steps=[{"index": st.index, "action": st.action, "text": st.describe(),
                "line": st.loc.line, "file": s.file, "args": st.args} for st in j.steps],
        options={"trace": options.trace, "screenshots": options.screenshots,
                 "step_timeout": options.step_timeout})


async def run_journey(p: PlannedJourney, folder: Path, options: RunOptions,
                      pool: BrowserPool, attempt: int = 1) -> str:
    """Run one journey to its end; return its journey.end outcome. Attempt 1 replaces
    any earlier record in `folder`; a retry keeps the earlier attempts (see `run_plan`)."""
    if folder.exists() and attempt == 1:  # a re-run into the same --out replaces it
        shutil.rmtree(folder)
    journal = Journal(folder, _redactor_for(p, options))
    ctx = JourneyContext(p.scenario, p.journey, journal, options, pool.get)
    ctx.attempt = attempt
    start = journal.record("journey.start", **_start_event(p, options),
                           **({"attempt": attempt} if attempt > 1 else {}))
    # the driver acts on judgements (a person answered) with the journey's own pack
    language.activate(language.pack(start["language"]["code"], start["language"]["cues"]))
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
    # a navigation may be tried again (transient 5xx, reset): each try has the full timeout
    limit = max([retry.total_wait(ctx, ctx.timeout(step)), *durations]) + 15
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


def _set_aside(folder: Path, attempt: int) -> None:
    """Move a finished attempt's journal and artifacts to `attempts/<n>/` in its folder,
    so the next attempt starts clean and every attempt stays in the report."""
    dest = folder / ATTEMPTS / str(attempt)
    dest.mkdir(parents=True, exist_ok=True)
    for name in (JOURNAL_FILE, ARTIFACTS):
        if (folder / name).exists():
            (folder / name).replace(dest / name)


def _ended_badly(folder: Path) -> bool:
    """Without a judge: whether the journey's own end says it failed."""
    ends = [e for e in read_journal(folder) if e.get("kind") == "journey.end"]
    return not ends or ends[-1].get("outcome") != "completed"


def _planned_entry(p: PlannedJourney) -> dict:
    s = p.scenario
    return {"id": p.id, "scenario": s.name, "channel": p.journey.channel, "file": s.file,
            "line": s.loc.line, "description": s.description, "tags": list(s.tags)}


async def run_plan(planned: list[PlannedJourney], out: Path, options: RunOptions,
                   workers: int = 1,
                   on_done: Callable[[PlannedJourney, str], None] | None = None,
                   retries: int = 0,
                   failed: Callable[[Path], bool] = _ended_badly) -> dict[str, str]:
    """Run every journey with at most `workers` at once; return id -> outcome.

    A journey that `failed` (judged on its journal) is run again up to `retries` times,
    as Playwright Test does; earlier attempts are kept under `journeys/<id>/attempts/`.
    `run.json` lists every planned journey before any starts and gets `finished` only when
    the run ends, so a report of a killed run can tell what never started or never ended."""
    out = Path(out)
    (out / "journeys").mkdir(parents=True, exist_ok=True)
    manifest = {"shopper": __version__, "started": time.strftime("%Y-%m-%dT%H:%M:%S%z"),
                "journeys": [p.id for p in planned], "workers": workers, "retries": retries,
                "planned": [_planned_entry(p) for p in planned],
                "options": {k: v for k, v in asdict(options).items()
                            if k not in ("settings", "secret_vars", "public_vars")}}
    manifest["options"]["vars"] = sorted(options.vars)
    (out / "run.json").write_text(json.dumps(manifest, indent=2))
    pool = BrowserPool(options.browser, options.headless)
    sem = asyncio.Semaphore(max(1, workers))
    results: dict[str, str] = {}

    async def one(p: PlannedJourney) -> None:
        folder = out / "journeys" / p.id
        async with sem:
            for attempt in range(1, retries + 2):
                if attempt > 1:
                    _set_aside(folder, attempt - 1)
                results[p.id] = await run_journey(p, folder, options, pool, attempt)
                if results[p.id] == "interrupted" or not failed(folder):
                    break
            if on_done:
                on_done(p, results[p.id])

    for p in planned:
        language_of(p.scenario)  # a bad language rule stops the run before anything starts
    # what exists now (modules, scenarios, the plan) lives as long as the run: the garbage
    # collector need not walk it again and again while journeys run (given back at the end)
    gc.freeze()
    try:
        if any(p.journey.channel in BROWSER_CHANNELS for p in planned):
            await pool.get()  # no browser is a reason not to start (RunError), not N errors
        await asyncio.gather(*(one(p) for p in planned))
    finally:
        gc.unfreeze()
        await pool.close()
        manifest["finished"] = time.strftime("%Y-%m-%dT%H:%M:%S%z")
        manifest["outcomes"] = dict(results)
        (out / "run.json").write_text(json.dumps(manifest, indent=2))
    return results
