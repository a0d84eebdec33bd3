"""Shared fixtures: the lab company on loopback, and a helper to run scenarios for real."""

from __future__ import annotations

import contextlib
import textwrap
from pathlib import Path

import pytest
from aiohttp import web

from shopper.channels import RunOptions
from shopper.lab import Lab
from shopper.report import write_report
from shopper.runner.engine import run_plan
from shopper.runner.plan import plan
from shopper.scenario import load_paths


@pytest.fixture(scope="session")
async def lab():
    """The lab company, started once for the test session."""
    async with Lab(chat_speed=0.05) as running:
        yield running


@pytest.fixture
def write_scenario(tmp_path: Path):
    """Write a scenario file from dedented YAML text; returns its path."""
    def write(text: str, name: str = "s.yaml") -> Path:
        path = tmp_path / "scenarios" / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(textwrap.dedent(text))
        return path
    return write


@pytest.fixture
def run_scenarios(lab, tmp_path: Path):
    """Run scenario paths against the lab with real Chromium; return the results dict."""
    async def run(paths, workers: int = 2, **opts) -> dict:
        out = opts.pop("out", tmp_path / "run")
        scenarios = load_paths([str(p) for p in paths], set(lab.vars))
        options = RunOptions(vars=dict(lab.vars), settings=dict(lab.settings), **opts)
        await run_plan(plan(scenarios), out, options, workers=workers)
        results = write_report(out)
        results["out"] = out
        return results
    return run


def findings(results: dict, scenario: str) -> list[dict]:
    """The findings of the first journey of a scenario."""
    return next(j for j in results["journeys"] if j["scenario"] == scenario)["findings"]


@contextlib.asynccontextmanager
async def serving(app: web.Application):
    """Serve an aiohttp app on a free loopback port; yields its base URL."""
    runner = web.AppRunner(app, access_log=None)
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", 0)
    await site.start()
    try:
        yield f"http://127.0.0.1:{site._server.sockets[0].getsockname()[1]}"  # noqa: SLF001
    finally:
        await runner.cleanup()
