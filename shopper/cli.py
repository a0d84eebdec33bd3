"""The command line: a thin layer over the scenario loader, the engine and the reports.

Exit codes: 0 every journey passed, 1 a journey failed, 2 invalid input (scenarios,
options), 3 the run could not start (no browser, lab failure), 130 interrupted.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import sys
from pathlib import Path

from .errors import RunError, ScenarioError, ShopperError, UsageError

OUTCOME_MARK = {"passed": "PASS", "failed": "FAIL", "error": "ERR ", "interrupted": "INT "}


def _parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="shopper", description="Mystery-shopper audits of your "
                                "own website, web chat and phone line.")
    sub = p.add_subparsers(dest="command", required=True, metavar="COMMAND")

    def run_options(sp: argparse.ArgumentParser, out_default: str | None) -> None:
        sp.add_argument("--out", default=out_default,
                        help="run directory for journals, artifacts and reports (required unless "
                        "the config file sets out)")
        sp.add_argument("--workers", type=int, default=2, help="journeys run at once (default 2)")
        sp.add_argument("--tag", action="append", help="only scenarios with this tag (repeatable)")
        sp.add_argument("--channel", action="append", choices=["web", "chat", "phone"],
                        help="only this channel (repeatable)")
        sp.add_argument("--name", action="append", help="only scenarios whose name matches")
        sp.add_argument("--shard", help="run shard i of n, e.g. 2/4; 'auto' reads it from the CI "
                        "engine (SHOPPER_SHARD, Kubernetes JOB_COMPLETION_INDEX, matrix variables)")
        sp.add_argument("--trace", choices=["on", "off", "retain-on-failure"],
                        default="retain-on-failure", help="Playwright traces (default retain-on-failure)")
        sp.add_argument("--screenshots", choices=["on", "off", "retain-on-failure"], default="on",
                        help="a screenshot after each step (default on)")
        sp.add_argument("--junit", help="also write JUnit XML here")
        sp.add_argument("--browser", help="Chromium to use: a path, a command, or 'playwright'")
        sp.add_argument("--headed", action="store_true", help="show the browser window")
        sp.add_argument("--step-timeout", type=float, default=10.0, help="seconds per step (default 10)")
        sp.add_argument("--journey-timeout", type=float, default=300.0,
                        help="hard limit per journey in seconds (default 300)")
        sp.add_argument("--var", action="append", default=[], metavar="NAME=VALUE",
                        help="a run variable such as BASE_URL=https://shop.example (repeatable)")

    r = sub.add_parser("run", help="run scenarios and write a report")
    r.add_argument("paths", nargs="+", help="scenario files or folders")
    run_options(r, None)
    _ci_options(r)
    r.add_argument("--lab", action="store_true", help="start the bundled lab company and shop it")
    v = sub.add_parser("validate", help="check scenario files; exit 2 on any error")
    v.add_argument("paths", nargs="+")
    v.add_argument("--var", action="append", default=[], metavar="NAME=VALUE")
    sub.add_parser("schema", help="print the JSON Schema of the scenario format")
    rp = sub.add_parser("report", help="re-render a run's reports from its journals; merge "
                        "shards; compare with an earlier run")
    rp.add_argument("run_dirs", nargs="+", metavar="RUN_DIR",
                    help="a run directory; several (e.g. shards) are merged into --out")
    rp.add_argument("--out", help="where merged runs are written (needed with several RUN_DIRs)")
    rp.add_argument("--compare", metavar="BASELINE_DIR",
                    help="show what changed since this earlier run")
    rp.add_argument("--junit", help="also write JUnit XML here")
    _notify_options(rp)
    d = sub.add_parser("demo", help="start the lab company, shop it with scenarios/, write the report")
    d.add_argument("paths", nargs="*", help="scenarios (default: the bundled examples)")
    run_options(d, "shopper-report")
    _ci_options(d)
    d.add_argument("--after-hours", action="store_true", help="the lab's chat agents are offline")
    _ci_commands(sub)
    lab = sub.add_parser("lab", help="serve the lab company until Ctrl-C")
    lab.add_argument("--after-hours", action="store_true", help="the lab's chat agents are offline")
    return p


def _vars(pairs: list[str]) -> dict[str, str]:
    out = {}
    for pair in pairs:
        name, sep, value = pair.partition("=")
        if not sep or not name:
            raise UsageError(f"--var '{pair}' must look like NAME=VALUE")
        out[name] = value
    return out


def main(argv: list[str] | None = None) -> int:
    """Entry point of the `shopper` command."""
    parser = _parser()
    args = parser.parse_args(argv)
    try:
        if args.command in ("run", "demo", "config"):
            _configure(parser, sys.argv[1:] if argv is None else list(argv), args)
        if args.command == "config":
            return 0
        return _dispatch(args)
    except ScenarioError as exc:
        print(exc.render(), file=sys.stderr)
        return 2
    except UsageError as exc:
        print(f"shopper: error: {exc}", file=sys.stderr)
        return 2
    except RunError as exc:
        print(f"shopper: cannot run: {exc}", file=sys.stderr)
        return 3
    except ShopperError as exc:
        print(f"shopper: error: {exc}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print("shopper: interrupted", file=sys.stderr)
        return 130


def _dispatch(args: argparse.Namespace) -> int:
    from . import scenario
    if args.command == "validate":
        found = scenario.discover(args.paths)
        loaded = scenario.load_paths(args.paths, set(_vars(args.var)))
        print(f"{len(loaded)} scenario file{'s' if len(loaded) != 1 else ''} OK "
              f"({sum(len(s.journeys) for s in loaded)} journeys)" if found else "no scenario files found")
        return 0 if found else 2
    if args.command == "schema":
        from .scenario.schema import json_schema
        print(json.dumps(json_schema(), indent=2))
        return 0
    if args.command == "report":
        from .report import merge_runs, write_report
        dirs = [Path(d) for d in args.run_dirs]
        for d in ([d for d in dirs if len(dirs) == 1 or d.exists()]  # a lost shard is merged as missing
                  + ([Path(args.compare)] if args.compare else [])):
            if not (d / "journeys").is_dir():
                raise UsageError(f"{d} is not a shopper run directory (no journeys/ folder)")
        if len(dirs) > 1 and not args.out:
            raise UsageError("several run directories are merged: say where with --out DIR")
        run_dir = Path(args.out) if args.out else dirs[0]
        if run_dir.resolve() not in [d.resolve() for d in dirs] or len(dirs) > 1:
            for warning in merge_runs(dirs, run_dir):
                print(f"shopper: warning: {warning}", file=sys.stderr)
        results = write_report(run_dir, Path(args.junit) if args.junit else None,
                               baseline=Path(args.compare) if args.compare else None)
        _summary(results, run_dir)
        _notify(args, results, run_dir)
        s = results["summary"]
        return 1 if s["failed"] or s["error"] or s.get("missing") else 0
    if args.command == "lab":
        return _serve_lab(args)
    if args.command in ("run", "demo"):
        return asyncio.run(_run(args))
    raise UsageError(f"unknown command {args.command}")


async def _run(args: argparse.Namespace) -> int:
    from .channels import RunOptions
    from .report import write_report
    from .runner.engine import run_plan
    from .runner.plan import plan
    from .scenario import load_paths
    if args.workers < 1:
        raise UsageError("--workers must be 1 or more")
    demo = args.command == "demo"
    paths = args.paths or ([str(_examples())] if demo else [])
    run_vars = _vars(args.var)
    scenarios = load_paths(paths, set(run_vars))
    planned = plan(scenarios, tags=args.tag, channels=args.channel, names=args.name, shard=args.shard)
    if not planned and not args.shard:  # an empty shard is a normal, successful shard
        raise UsageError("no journey matches the filters given")
    lab = None
    if demo or getattr(args, "lab", False):
        from .lab import Lab
        lab = await Lab(business_hours=not getattr(args, "after_hours", False)).start()
        run_vars = {**lab.vars, **run_vars}
    options = RunOptions(trace=args.trace, screenshots=args.screenshots, headless=not args.headed,
                         step_timeout=args.step_timeout, journey_timeout=args.journey_timeout,
                         browser=args.browser, vars=run_vars, settings=dict(lab.settings) if lab else {})
    out = Path(args.out)
    from .progress import Progress
    progress = Progress(len(planned), args.workers, verbosity=args.verbose - args.quiet)
    progress.start(str(out))

    def done(p, end: str) -> None:
        from .detect import analyse
        from .journal import read_journal
        a = analyse(read_journal(out / "journeys" / p.id))
        progress.journey(p.journey.channel, p.scenario.name, a.outcome,
                         a.metrics.get("duration", 0), len(a.findings))

    interrupted = False
    try:
        outcomes = await run_plan(planned, out, options, workers=args.workers, on_done=done)
        interrupted = any(o == "interrupted" for o in outcomes.values())
    except asyncio.CancelledError:
        # Ctrl-C: the journeys have closed their journals; report what was recorded
        interrupted = True
        task = asyncio.current_task()
        if task is not None:
            task.uncancel()
    finally:
        if lab is not None:
            await lab.stop()
    progress.finish()
    results = write_report(out, Path(args.junit) if args.junit else None,
                           baseline=Path(args.compare) if args.compare else None)
    _summary(results, out)
    _notify(args, results, out)
    if interrupted:
        print("shopper: interrupted; the report shows what was recorded", file=sys.stderr)
        return 130
    if demo:
        return 0  # the demo is meant to find the lab's planted problems
    s = results["summary"]
    return 1 if s["failed"] or s["error"] else 0


def _summary(results: dict, out: Path) -> None:
    from .report import summary_line
    print(summary_line(results))
    print(f"report: {Path(out) / 'index.html'}")


def _examples() -> Path:
    here = Path(__file__).resolve().parents[1] / "scenarios"
    if here.is_dir():
        try:
            return here.relative_to(Path.cwd())  # shorter paths in the report
        except ValueError:
            return here
    from importlib import resources
    return Path(str(resources.files("shopper") / "examples"))  # the copy inside the wheel


def _serve_lab(args: argparse.Namespace) -> int:
    from .lab import Lab

    async def serve() -> None:
        async with Lab(business_hours=not args.after_hours) as lab:
            for k, v in {**lab.vars, **lab.settings}.items():
                # the lab's own throwaway credentials: printed so that another shell can
                # `export` them and run `shopper run` against this lab's phone line
                print(f"export {k}={v}")
            print("lab running; Ctrl-C to stop", flush=True)
            await asyncio.Event().wait()

    try:
        asyncio.run(serve())
    except KeyboardInterrupt:
        pass
    return 0


# --- CI and configuration (issue 13): config file, progress, notifications -------------

def _ci_options(sp: argparse.ArgumentParser) -> None:
    sp.add_argument("--config", help="configuration file (default: the nearest shopper.toml or "
                    "pyproject.toml with [tool.shopper])")
    sp.add_argument("--compare", metavar="BASELINE_DIR", help="say what changed since this earlier run")
    _notify_options(sp)
    sp.add_argument("-q", "--quiet", action="count", default=0, help="only failures and the summary")
    sp.add_argument("-v", "--verbose", action="count", default=0, help="every journey, even on a terminal")
    sp.add_argument("--log-level", choices=["DEBUG", "INFO", "WARNING", "ERROR"],
                    help="show the library's logging at this level")


def _notify_options(sp: argparse.ArgumentParser) -> None:
    sp.add_argument("--notify", metavar="URL", help="post a summary to this Slack/Teams incoming webhook")
    sp.add_argument("--notify-format", choices=["auto", "slack", "teams"], default="auto",
                    help="payload shape for --notify (default: from the URL)")
    sp.add_argument("--report-url", help="where readers will find the report (e.g. the CI artifact)")


def _ci_commands(sub) -> None:
    c = sub.add_parser("config", help="print the effective configuration and where each value comes from")
    c.add_argument("paths", nargs="*", help="scenario files or folders (where to look for shopper.toml)")
    c.add_argument("--for", dest="for_command", choices=["run", "demo"], default="run",
                   help="the command whose options to show (default run)")
    c.add_argument("--config", help="configuration file to read")


def _configure(parser: argparse.ArgumentParser, argv: list[str], args: argparse.Namespace) -> None:
    from . import config
    start = Path(args.paths[0]) if getattr(args, "paths", None) else None
    start = start.parent if start is not None and start.is_file() else start
    if args.command == "config":
        target = argparse.Namespace(**vars(parser.parse_args([args.for_command, "x"])))
        target.command, target.config = args.for_command, args.config
        effective, source = config.configure(parser, [], target, start)
        print(config.render(effective, source))
        return
    config.configure(parser, argv, args, start)
    if not args.out:
        raise UsageError("--out is required (or set out in shopper.toml / [tool.shopper])")
    from .progress import setup_logging
    setup_logging(args.log_level)


def _notify(args: argparse.Namespace, results: dict, out: Path) -> None:
    if not args.notify:
        return
    from .notify import notify
    warning = notify(args.notify, results, args.report_url or str((out / "index.html").resolve()),
                     args.notify_format)
    if warning:
        print(f"shopper: warning: {warning}", file=sys.stderr)


if __name__ == "__main__":
    sys.exit(main())
