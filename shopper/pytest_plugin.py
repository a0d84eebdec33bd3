"""The pytest plugin: scenario files are collected as pytest items, one per journey.

`pytest scenarios/` runs every journey; `-k`, `-m <tag>` (scenario tags and channels are
markers), `-x`, `--junitxml` and pytest-xdist work as for any test. A failing journey's
failure text is its findings in plain language with the link to its report page; the run's
report is written into --shopper-out when the session ends. Users' own Python tests get
the `shopper_lab`, `shopper_browser` and `shopper_run` fixtures.

Journeys run on one background event loop shared by the session (one browser, one lab), so
the plugin never competes with the event loop of the user's own async tests.
"""

from __future__ import annotations

import asyncio
import json
import re
import shutil
import threading
import time
from pathlib import Path
from typing import Any, Coroutine, Iterator

import pytest
import yaml

from . import __version__
from .errors import ScenarioError

CHANNELS = ("web", "chat", "phone")
FAILING = ("failed", "error", "interrupted")


def pytest_addoption(parser: pytest.Parser) -> None:
    """--shopper-* options."""
    g = parser.getgroup("shopper", "shopper mystery-shopper scenarios")
    g.addoption("--shopper-lab", action="store_true", help="start the bundled lab company and shop it")
    g.addoption("--shopper-out", default="shopper-pytest-report",
                help="run directory for journals and the report (default shopper-pytest-report)")
    # unset options come from the configuration file ([tool.shopper] in pyproject.toml, or
    # shopper.toml) and SHOPPER_* variables, else `shopper run`'s defaults
    g.addoption("--shopper-config", help="configuration file to read (default: the nearest "
                "shopper.toml, or pyproject.toml with [tool.shopper], from the rootdir up)")
    g.addoption("--shopper-browser", help="Chromium to use: a path, a command, 'playwright', ws://... or cdp:http://...")
    g.addoption("--shopper-trace", help="Playwright traces: on-first-retry, on-all-retries, "
                "retain-on-failure, on, off (default: the config file's, else on-first-retry)")
    g.addoption("--shopper-screenshots", help="screenshots after steps: on-change, on, "
                "only-on-failure, off (default: the config file's, else on-change)")
    g.addoption("--shopper-step-timeout", type=float, help="seconds per step (default 10)")
    g.addoption("--shopper-journey-timeout", type=float, help="seconds per journey (default 300)")
    g.addoption("--shopper-var", action="append", default=[], metavar="NAME=VALUE", help="a run variable")
    g.addoption("--shopper-headed", action="store_true", help="show the browser window")
    g.addoption("--no-shopper-report", action="store_true", help="do not write the HTML report")


def _is_worker(config: pytest.Config) -> bool:
    return hasattr(config, "workerinput")  # pytest-xdist sets it on its worker processes


def pytest_configure(config: pytest.Config) -> None:
    """Register markers; the controlling process starts a clean run directory."""
    config.addinivalue_line("markers", "shopper: a journey collected from a shopper scenario file")
    for ch in CHANNELS:
        config.addinivalue_line("markers", f"{ch}: a shopper journey on the {ch} channel")
    config._shopper = _Session(config)  # type: ignore[attr-defined]
    config.pluginmanager.register(config._shopper, "shopper-session")  # type: ignore[attr-defined]


def marker_name(tag: str) -> str:
    """A scenario tag as a pytest marker name (an identifier)."""
    return re.sub(r"\W+", "_", tag).strip("_") or "tag"


def _looks_like_scenario(path: Path) -> bool:
    """A YAML mapping with a name and at least one channel: not every YAML file is ours."""
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except (yaml.YAMLError, OSError, UnicodeDecodeError):
        return False
    return isinstance(data, dict) and "name" in data and any(ch in data for ch in CHANNELS)


def pytest_collect_file(file_path: Path, parent: pytest.Collector) -> "ScenarioFile | None":
    """Collect scenario files (*.yaml, *.yml that are shopper scenarios)."""
    if file_path.suffix in (".yaml", ".yml") and _looks_like_scenario(file_path):
        return ScenarioFile.from_parent(parent, path=file_path)
    return None


class ScenarioFile(pytest.File):
    """One scenario file: an item per channel it is tried on."""

    def collect(self) -> Iterator["JourneyItem"]:
        """Load and validate the file; yield a JourneyItem per journey."""
        from .api import load, plan
        session: _Session = self.config._shopper  # type: ignore[attr-defined]
        try:
            scenarios = load([self.path], session.var_names())
        except ScenarioError as exc:
            raise self.CollectError(exc.render()) from None
        for p in plan(scenarios):
            item = JourneyItem.from_parent(self, name=p.id, planned=p)
            item.add_marker("shopper")
            item.add_marker(p.journey.channel)
            for tag in p.scenario.tags:
                name = marker_name(tag)
                self.config.addinivalue_line("markers", f"{name}: shopper scenario tag '{tag}'")
                item.add_marker(name)
            yield item


class JourneyFailed(Exception):
    """A journey did not pass; carries its plain-language explanation."""


class JourneyItem(pytest.Item):
    """One journey: a scenario on one channel, run through the engine for real."""

    def __init__(self, *, planned: Any, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.planned = planned

    def runtest(self) -> None:
        """Run the journey; fail with its findings unless it passed."""
        session: _Session = self.config._shopper  # type: ignore[attr-defined]
        result = session.run_journey(self.planned)
        self.user_properties.append(("shopper_journey", self.planned.id))
        self.user_properties.append(("shopper_report", str(result.page)))
        if not result.passed:
            raise JourneyFailed(result.explain())

    def repr_failure(self, excinfo: pytest.ExceptionInfo[BaseException], style: Any = None) -> str:
        """The findings in plain language, not a traceback into shopper."""
        if isinstance(excinfo.value, JourneyFailed):
            return str(excinfo.value)
        return super().repr_failure(excinfo)

    def reportinfo(self) -> tuple[Path, int, str]:
        """Where the journey is written: the scenario file and its line."""
        return self.path, self.planned.scenario.loc.line - 1, f"{self.planned.id}"


class _Session:
    """The session's background loop, lab, browser pool and run directory."""

    def __init__(self, config: pytest.Config) -> None:
        self.config = config
        self.out = Path(config.getoption("--shopper-out"))
        self._loop: asyncio.AbstractEventLoop | None = None
        self._thread: threading.Thread | None = None
        self.lab: Any = None
        self._pool: Any = None
        self._options: Any = None
        self._settings: Any = None
        #: journeys run in this session (by any xdist worker), from the test reports
        self.ran: set[str] = set()

    def pytest_runtest_logreport(self, report: pytest.TestReport) -> None:
        """Note which journeys ran (reports from xdist workers arrive here too)."""
        if report.when == "call":
            self.ran.update(v for k, v in report.user_properties if k == "shopper_journey")

    def var_names(self) -> set[str]:
        """Run variables the scenarios may use (the lab's when --shopper-lab)."""
        names = set(self.run_vars())
        if self.config.getoption("--shopper-lab"):
            names |= set(self.ensure_lab().vars)
        return names

    def call(self, coro: Coroutine[Any, Any, Any]) -> Any:
        """Run a coroutine on the session's loop and wait for it."""
        if self._loop is None:
            self._loop = asyncio.new_event_loop()
            self._thread = threading.Thread(target=self._loop.run_forever, name="shopper", daemon=True)
            self._thread.start()
        return asyncio.run_coroutine_threadsafe(coro, self._loop).result()

    def ensure_lab(self) -> Any:
        """The lab, started once for the session."""
        if self.lab is None:
            from .lab import Lab
            self.lab = self.call(Lab().start())
        return self.lab

    def settings(self) -> Any:
        """`shopper run`'s options as the configuration file ([tool.shopper] in pyproject.toml,
        or shopper.toml) and SHOPPER_* variables set them (read once, when first needed)."""
        if self._settings is None:
            from .channels.base import SCREENSHOT_MODES, TRACE_MODES
            from .cli import run_settings
            from .errors import ShopperError
            opt = self.config.getoption
            for flag, modes in (("--shopper-trace", TRACE_MODES),
                                ("--shopper-screenshots", SCREENSHOT_MODES)):
                if opt(flag) is not None and opt(flag) not in modes:
                    raise pytest.UsageError(f"{flag}: {opt(flag)!r} is not one of " + ", ".join(modes))
            try:
                self._settings = run_settings(Path(self.config.rootpath), opt("--shopper-config"))
            except ShopperError as exc:
                raise pytest.UsageError(f"shopper: {exc}") from None
        return self._settings

    def run_vars(self) -> dict[str, str]:
        """Run variables: the configuration file's (`var`, `secret`), then --shopper-var."""
        base = self.settings()
        return {**base.run_vars, **base.secrets,
                **dict(v.partition("=")[::2] for v in self.config.getoption("--shopper-var"))}

    def options(self) -> Any:
        """The RunOptions of this session: this pytest's own --shopper-* options, over the
        configuration file and SHOPPER_* variables, over `shopper run`'s defaults."""
        if self._options is None:
            from .channels import RunOptions
            opt, base = self.config.getoption, self.settings()
            own = lambda flag, name: getattr(base, name) if opt(flag) is None else opt(flag)  # noqa: E731
            run_vars, settings = self.run_vars(), {}
            if opt("--shopper-lab"):
                lab = self.ensure_lab()
                run_vars, settings = {**lab.vars, **run_vars}, dict(lab.settings)
            self._options = RunOptions(
                trace=own("--shopper-trace", "trace"),
                screenshots=own("--shopper-screenshots", "screenshots"),
                headless=not (opt("--shopper-headed") or base.headed),
                step_timeout=own("--shopper-step-timeout", "step_timeout"),
                journey_timeout=own("--shopper-journey-timeout", "journey_timeout"),
                browser=own("--shopper-browser", "browser"), vars=run_vars, settings=settings,
                secret_vars=set(base.secrets), public_vars=set(base.not_secret),
                nav_retries=base.nav_retries)
        return self._options

    def run_journey(self, planned: Any) -> Any:
        """Run one journey into the run directory and return its typed result."""
        from .api import JourneyResult, _finding
        from .channels.browser import BrowserPool
        from .detect import analyse
        from .journal import read_journal
        from .runner.engine import run_journey
        options = self.options()
        if self._pool is None:
            self._pool = BrowserPool(options.browser, options.headless)
        folder = self.out / "journeys" / planned.id
        self.call(run_journey(planned, folder, options, self._pool))
        a = analyse(read_journal(folder))
        return JourneyResult(id=planned.id, scenario=planned.scenario.name, channel=planned.journey.channel,
                             outcome=a.outcome, findings=tuple(_finding(f.to_dict()) for f in a.findings),
                             metrics=a.metrics, file=planned.scenario.file, line=planned.scenario.loc.line,
                             page=(folder / "index.html").resolve(), tags=planned.scenario.tags)

    def close(self) -> None:
        """Close the browser and the lab, stop the loop."""
        if self._loop is None:
            return
        if self._pool is not None:
            self.call(self._pool.close())
        if self.lab is not None:
            self.call(self.lab.stop())
        self._loop.call_soon_threadsafe(self._loop.stop)
        if self._thread is not None:
            self._thread.join(10)
        self._loop.close()
        self._loop = None


def pytest_sessionfinish(session: pytest.Session, exitstatus: int) -> None:
    """Close the session's lab and browser; the controlling process writes the report."""
    config = session.config
    state: _Session = config._shopper  # type: ignore[attr-defined]
    state.close()
    out = state.out
    if _is_worker(config) or config.getoption("--no-shopper-report") or not state.ran:
        return
    from .report import write_report
    for folder in (out / "journeys").iterdir():
        if folder.name not in state.ran:  # an earlier session's journey would join this report
            shutil.rmtree(folder)
    ids = sorted(state.ran)
    (out / "run.json").write_text(json.dumps({
        "shopper": __version__, "finished": time.strftime("%Y-%m-%dT%H:%M:%S%z"), "journeys": ids,
        "workers": getattr(config.option, "numprocesses", None) or 1}, indent=2))
    results = write_report(out)
    config._shopper_report = (out / "index.html", results["summary"])  # type: ignore[attr-defined]


def pytest_terminal_summary(terminalreporter: Any, exitstatus: int, config: pytest.Config) -> None:
    """Say where the report is."""
    done = getattr(config, "_shopper_report", None)
    if done:
        index, s = done
        terminalreporter.write_sep("-", "shopper")
        terminalreporter.write_line(f"{s['journeys']} journeys: {s['passed']} passed, {s['failed']} failed, "
                                    f"{s['error']} errors; report: {index}")


@pytest.fixture(scope="session")
def shopper_lab(pytestconfig: pytest.Config) -> Any:
    """The bundled lab company (started once, on the plugin's own loop): `.vars` has its URLs."""
    return pytestconfig._shopper.ensure_lab()  # type: ignore[attr-defined]


@pytest.fixture(scope="session")
def shopper_browser(pytestconfig: pytest.Config) -> Iterator[Any]:
    """A Playwright (sync API) Chromium launched the way shopper launches it, for sync tests."""
    from playwright.sync_api import sync_playwright

    from .channels.browser import OFFLINE_ARGS, find_browser
    with sync_playwright() as pw:
        exe = find_browser(pytestconfig.getoption("--shopper-browser"), pw.chromium.executable_path)
        browser = pw.chromium.launch(executable_path=exe, args=OFFLINE_ARGS,
                                     headless=not pytestconfig.getoption("--shopper-headed"))
        yield browser
        browser.close()


@pytest.fixture
def shopper_run(pytestconfig: pytest.Config, tmp_path: Path) -> Any:
    """Run scenario files with the session's options (and lab); returns a RunResult."""
    def run(*paths: str | Path, out: str | Path | None = None) -> Any:
        from .api import load, plan, report
        from .runner.engine import run_plan
        state: _Session = pytestconfig._shopper  # type: ignore[attr-defined]
        options = state.options()
        journeys = plan(load(paths, set(options.vars)))
        target = Path(out or tmp_path / "shopper-run")
        state.call(run_plan(journeys, target, options, workers=1))
        return report(target)
    return run
