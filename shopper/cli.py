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

from . import options as opt
from . import registry
from .channels.base import SCREENSHOT_MODES, TRACE_MODES
from .errors import RunError, ScenarioError, ShopperError, UsageError

OUTCOME_MARK = {"passed": "PASS", "failed": "FAIL", "error": "ERR ", "interrupted": "INT ",
                "flaky": "FLKY", "not run": "SKIP"}


def _parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="shopper", description="Mystery-shopper audits of your "
                                "own website, web chat and phone line.")
    sub = p.add_subparsers(dest="command", required=True, metavar="COMMAND")

    def run_options(sp: argparse.ArgumentParser, out_default: str | None,
                    workers: int = 2, why: str = "") -> None:
        sp.add_argument("--out", default=out_default,
                        help="run directory for journals, artifacts and reports (required unless "
                        "the config file sets out)")
        sp.add_argument("--workers", type=opt.positive_int, default=workers,
                        help=f"journeys run at once (default {workers}{why})")
        sp.add_argument("--tag", action="append", type=opt.non_empty,
                        help="only scenarios with this tag (repeatable)")
        sp.add_argument("--channel", action="append", choices=registry.names(),
                        help="only this channel (repeatable)")
        sp.add_argument("--name", action="append", type=opt.non_empty,
                        help="only scenarios whose name matches")
        sp.add_argument("--shard", help="run shard i of n, e.g. 2/4; 'auto' reads it from the CI "
                        "engine (SHOPPER_SHARD, Kubernetes JOB_COMPLETION_INDEX, matrix variables)")
        sp.add_argument("--trace", choices=TRACE_MODES, default="on-first-retry",
                        help="Playwright traces: on-first-retry (default; with --retries), "
                             "on-all-retries, retain-on-failure, on, off")
        sp.add_argument("--screenshots", choices=SCREENSHOT_MODES, default="on-change",
                        help="on-change (default: when the page changed, and on failure), "
                             "on (after every step), only-on-failure, off")
        sp.add_argument("--junit", help="also write JUnit XML here")
        sp.add_argument("--browser", type=opt.non_empty,
                        help="Chromium to use: a path, a command, or 'playwright'")
        sp.add_argument("--headed", action="store_true", help="show the browser window")
        sp.add_argument("--step-timeout", type=opt.seconds, default=10.0,
                        help="seconds per step (default 10)")
        sp.add_argument("--journey-timeout", type=opt.seconds, default=300.0,
                        help="hard limit per journey in seconds (default 300)")
        sp.add_argument("--var", action="append", default=[], metavar="NAME=VALUE",
                        help="a run variable such as BASE_URL=https://shop.example (repeatable)")
        sp.add_argument("--secret", action="append", default=[], metavar="NAME=VALUE",
                        help="a secret run variable: never written anywhere (repeatable); "
                             "variables named *TOKEN*, *PASSWORD*, *SECRET*, *KEY* are secret too")
        sp.add_argument("--not-secret", action="append", default=[], metavar="NAME",
                        help="a variable whose name looks secret but is not (repeatable)")
        sp.add_argument("--retries", type=opt.retries, default=0,
                        help="run a failed journey again up to N times; passing on a retry "
                             "is reported as flaky (default 0)")
        sp.add_argument("--nav-retries", type=opt.retries, default=1,
                        help="retries of a page load that failed transiently: 5xx, connection "
                             "reset, timeout (default 1)")

    r = sub.add_parser("run", help="run scenarios and write a report")
    r.add_argument("paths", nargs="+", help="scenario files or folders")
    run_options(r, None)
    _ci_options(r)
    r.add_argument("--lab", action="store_true", help="start the bundled lab company and shop it")
    _lab_phone_flags(r)
    v = sub.add_parser("validate", help="check scenario files; exit 2 on any error")
    v.add_argument("paths", nargs="+")
    v.add_argument("--var", action="append", default=[], metavar="NAME=VALUE")
    sc = sub.add_parser("schema", help="print the JSON Schema of the scenario format")
    sc.add_argument("--journal", action="store_true",
                    help="print the JSON Schema of journal events instead")
    rp = sub.add_parser("report", help="re-render a run's reports from its journals; merge "
                        "shards; compare with an earlier run")
    rp.add_argument("run_dirs", nargs="+", metavar="RUN_DIR",
                    help="a run directory; several (e.g. shards) are merged into --out")
    rp.add_argument("--out", help="where merged runs are written (needed with several RUN_DIRs)")
    rp.add_argument("--compare", metavar="BASELINE_DIR",
                    help="show what changed since this earlier run")
    rp.add_argument("--junit", help="also write JUnit XML here")
    rp.add_argument("--language-rules", metavar="FILE",
                    help="re-judge with these wording rules (a shopper-language.yaml)")
    _notify_options(rp)
    d = sub.add_parser("demo", help="start the lab company, shop it with scenarios/, write the report")
    d.add_argument("paths", nargs="*", help="scenarios (default: the bundled examples)")
    # the demo's journeys mostly wait (on the lab's agents, on calls on the virtual clock)
    run_options(d, "shopper-report", workers=4, why=": the lab's journeys mostly wait")
    _ci_options(d)
    d.add_argument("--after-hours", action="store_true", help="the lab's chat agents are offline")
    d.add_argument("--language", choices=["en", "de"], default="en",
                   help="the language the lab's chat speaks (the German phone line is "
                   "COMPANY_PHONE_DE)")
    _ci_commands(sub)
    lab = sub.add_parser("lab", help="serve the lab company until Ctrl-C")
    lab.add_argument("--after-hours", action="store_true", help="the lab's chat agents are offline")
    lab.add_argument("--language", choices=["en", "de"], default="en",
                     help="the language the lab's chat speaks (the German phone line is "
                     "COMPANY_PHONE_DE)")
    _lab_phone_flags(lab)
    return p


def _check_options(args: argparse.Namespace) -> None:
    """Every option that argparse cannot check alone, before anything runs (exit 2)."""
    if getattr(args, "var", None) is not None:
        args.run_vars = opt.run_vars("--var", args.var)
    if getattr(args, "secret", None) is not None:
        args.secrets = opt.run_vars("--secret", args.secret, secret=True)
    if args.command in ("run", "demo"):
        opt.shard("--shard", args.shard)
        args.out = opt.out_dir("--out", args.out)
    if args.command == "report":
        # merging shards: a shard folder that never appeared is reported as missing, not refused
        args.run_dirs = [opt.in_dir("RUN_DIR", d, "journeys")
                         if len(args.run_dirs) == 1 or Path(d).exists() else Path(d)
                         for d in args.run_dirs]
        if args.compare is not None:
            args.compare = opt.in_dir("--compare", args.compare, "journeys")
        if len(args.run_dirs) > 1 and not args.out:
            raise UsageError("several run directories are merged: say where with --out DIR")
        if args.out is not None:
            args.out = opt.out_dir("--out", args.out)
    if getattr(args, "junit", None) is not None:
        args.junit = opt.out_file("--junit", args.junit)


def _lab_phone_flags(p: argparse.ArgumentParser) -> None:
    """--number/--person/--audio: shop your own TwiML app in the lab (README, phone)."""
    p.add_argument("--number", action="append", default=[], metavar="NUMBER=URL",
                   help="register a TwiML app (its voice URL) as a lab phone number")
    p.add_argument("--person", action="append", default=[], metavar="NUMBER=FILE",
                   help="a scripted person (YAML) answers this lab number")
    p.add_argument("--audio", action="append", default=[], metavar="FILE",
                   help="what hosted recordings say (YAML list of url/transcript/seconds)")


def _phone_options(args: argparse.Namespace):  # -> shopper.lab.phone.PhoneOptions | None
    wanted = args.number or args.person or args.audio
    if not wanted:
        return None
    if args.command == "run" and not args.lab:
        raise UsageError("--number, --person and --audio add to the lab: also give --lab")
    from .lab.phone import LabConfigError, PhoneOptions
    try:
        return PhoneOptions.from_args(args.number, args.person, args.audio)
    except LabConfigError as exc:
        raise UsageError(str(exc)) from None


def main(argv: list[str] | None = None) -> int:
    """Entry point of the `shopper` command."""
    parser = _parser()
    args = parser.parse_args(argv)
    try:
        if args.command in ("run", "demo", "config"):
            _configure(parser, sys.argv[1:] if argv is None else list(argv), args)
        if args.command == "config":
            return 0
        _check_options(args)
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
    except OSError as exc:
        # a disk that fills up or a folder removed under the run: say so, no traceback
        where = f" ({exc.filename})" if exc.filename else ""
        print(f"shopper: cannot go on: {exc.strerror or exc}{where}", file=sys.stderr)
        return 3


def _dispatch(args: argparse.Namespace) -> int:
    from . import scenario
    if args.command == "validate":
        found = scenario.discover(args.paths)
        loaded = scenario.load_paths(args.paths, set(args.run_vars))
        from .runner.engine import language_of
        for s in loaded:
            language_of(s)  # an unknown language or a bad cue pattern is an input error
        print(f"{len(loaded)} scenario file{'s' if len(loaded) != 1 else ''} OK "
              f"({sum(len(s.journeys) for s in loaded)} journeys)" if found else "no scenario files found")
        return 0 if found else 2
    if args.command == "schema":
        if args.journal:
            from .events import journal_schema
            print(json.dumps(journal_schema(), indent=2))
            return 0
        from .scenario.schema import json_schema
        print(json.dumps(json_schema(), indent=2))
        return 0
    if args.command == "report":
        from .report import merge_runs, write_report
        dirs = list(args.run_dirs)
        run_dir = args.out or dirs[0]
        if run_dir.resolve() not in [d.resolve() for d in dirs] or len(dirs) > 1:
            for warning in merge_runs(dirs, run_dir):
                print(f"shopper: warning: {warning}", file=sys.stderr)
        rules = None
        if args.language_rules:
            from .detect.language import LanguageError, read_rules_file
            try:
                rules = read_rules_file(Path(args.language_rules))
            except (OSError, LanguageError) as exc:
                raise UsageError(f"--language-rules: {exc}") from exc
        from .events import EventError
        try:
            results = write_report(run_dir, args.junit, baseline=args.compare, rules=rules)
        except EventError as exc:
            raise UsageError(f"cannot read the journals of {run_dir}: {exc}") from exc
        _summary(results, run_dir)
        _notify(args, results, run_dir)
        return _exit_code(results)
    if args.command == "lab":
        return _serve_lab(args)
    if args.command in ("run", "demo"):
        return asyncio.run(_run(args))
    raise UsageError(f"unknown command {args.command}")


async def _run(args: argparse.Namespace) -> int:
    from .channels import RunOptions
    from .report import write_report
    from .runner.engine import run_plan, run_redactor
    from .runner.plan import plan
    from .scenario import load_paths
    demo = args.command == "demo"
    paths = args.paths or ([str(_examples())] if demo else [])
    secrets = dict(args.secrets)
    run_vars = {**args.run_vars, **secrets}
    scenarios = load_paths(paths, set(run_vars))
    planned = plan(scenarios, tags=args.tag, channels=args.channel, names=args.name, shard=args.shard)
    if not planned and not args.shard:  # an empty shard is a normal, successful shard
        raise UsageError("no journey matches the filters given")
    lab = None
    phone = None if demo else _phone_options(args)
    if demo or getattr(args, "lab", False):
        lab = await _start_lab(not getattr(args, "after_hours", False),
                               language=getattr(args, "language", "en"),
                               chat_speed=0.1 if demo else 1.0,
                               phone=phone)  # demo: agents on a fast clock
        run_vars = {**lab.vars, **run_vars}
    options = RunOptions(trace=args.trace, screenshots=args.screenshots, headless=not args.headed,
                         step_timeout=args.step_timeout, journey_timeout=args.journey_timeout,
                         browser=args.browser, vars=run_vars, settings=dict(lab.settings) if lab else {},
                         secret_vars=set(secrets), public_vars=set(args.not_secret),
                         nav_retries=args.nav_retries)
    out: Path = args.out
    from .progress import Progress
    progress = Progress(len(planned), args.workers, verbosity=args.verbose - args.quiet)
    progress.start(str(out))

    def done(p, end: str) -> None:
        from .report.results import journey_result
        j = journey_result(out / "journeys" / p.id)  # flaky, attempts: as the report says
        tries = f", attempt {len(j['attempts']) + 1}" if j["attempts"] else ""
        progress.journey(p.journey.channel, p.scenario.name, j["outcome"],
                         j["metrics"].get("duration", 0), len(j["findings"]), tries)

    interrupted = False
    try:
        outcomes = await run_plan(planned, out, options, workers=args.workers, on_done=done,
                                  retries=args.retries, failed=_judged_failed)
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
    results = write_report(out, args.junit, baseline=Path(args.compare) if args.compare else None)
    # every file of the run, whoever wrote it, is scrubbed of every secret of the run
    redactor = run_redactor(planned, options)
    for path in redactor.tree(out) + ([args.junit] if args.junit and not
                                      redactor.file(args.junit) else []):
        print(f"shopper: warning: {path} held a secret that could not be removed; deleted",
              file=sys.stderr)
    _summary(results, out)
    _notify(args, results, out)
    if interrupted:
        print("shopper: interrupted; the report shows what was recorded", file=sys.stderr)
        return 130
    if demo:
        return 0  # the demo is meant to find the lab's planted problems
    return _exit_code(results)


def _exit_code(results: dict) -> int:
    """1 when a journey failed, errored, never finished or never ran: a report of an
    incomplete run must never look like a pass."""
    s = results["summary"]
    bad = s["failed"] or s["error"] or s.get("interrupted") or s.get("not_run") or s.get("missing")
    return 1 if bad or results.get("problems") else 0


def _summary(results: dict, out: Path) -> None:
    from .report import summary_line
    print(summary_line(results))
    for problem in results.get("problems", []):
        print(f"shopper: incomplete run: {problem}", file=sys.stderr)
    print(f"report: {Path(out) / 'index.html'}")


def _judged_failed(folder: Path) -> bool:
    """Whether a journey failed as the report will judge it (for --retries)."""
    from .detect import analyse
    from .journal import read_journal
    return analyse(read_journal(folder)).outcome in ("failed", "error")


def _examples() -> Path:
    here = Path(__file__).resolve().parents[1] / "scenarios"
    if here.is_dir():
        try:
            return here.relative_to(Path.cwd())  # shorter paths in the report
        except ValueError:
            return here
    from importlib import resources
    return Path(str(resources.files("shopper") / "examples"))  # the copy inside the wheel


async def _start_lab(business_hours: bool, language: str = "en", chat_speed: float = 1.0,
                     phone=None):
    """The lab company, started; any failure is a RunError (exit 3), never a traceback."""
    from .lab import Lab
    lab = Lab(business_hours=business_hours, language=language, chat_speed=chat_speed,
              phone=phone)
    try:
        return await lab.start()
    except Exception as exc:  # noqa: BLE001 - whatever broke, the lab did not start
        try:
            await lab.stop()
        except Exception:  # noqa: BLE001 - already failing; the first error is the one to show
            pass
        hint = ("; a file of the lab is missing: the installation is incomplete, reinstall "
                "shopper" if isinstance(exc, FileNotFoundError) or "does not exist" in str(exc)
                else "")
        raise RunError(f"the lab company could not start: {type(exc).__name__}: {exc}{hint}"
                       ) from None


def _serve_lab(args: argparse.Namespace) -> int:
    phone = _phone_options(args)

    async def serve() -> None:
        lab = await _start_lab(not args.after_hours, language=args.language, phone=phone)
        try:
            for k, v in {**lab.vars, **lab.settings}.items():
                # the lab's own throwaway credentials: printed so that another shell can
                # `export` them and run `shopper run` against this lab's phone line
                print(f"export {k}={v}")
            if phone is not None:
                for number in [*phone.numbers, *phone.people]:
                    print(f"# lab phone number {number} is yours (--number/--person)")
            print("lab running; Ctrl-C to stop", flush=True)
            await asyncio.Event().wait()
        finally:
            await lab.stop()

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


def run_settings(start: Path | None = None, config_file: str | None = None) -> argparse.Namespace:
    """The options of `shopper run` as the configuration file (`[tool.shopper]` in
    pyproject.toml, or shopper.toml, the nearest from `start` upwards, or `config_file`)
    and the SHOPPER_* environment set them over the built-in defaults, checked as the
    command line's are (`run_vars`, `secrets`): what the pytest plugin starts from.
    Raises UsageError naming the file and line of a bad value."""
    from . import config
    parser = _parser()
    args = parser.parse_args(["run", "."])
    args.config = config_file
    config.configure(parser, [], args, start)
    args.run_vars = opt.run_vars("--var", args.var)
    args.secrets = opt.run_vars("--secret", args.secret, secret=True)
    return args


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
