"""Fixtures of the chat tests: one Chromium per session, real aiohttp servers on loopback."""

from __future__ import annotations

import textwrap
from collections.abc import AsyncIterator, Awaitable, Callable
from pathlib import Path
from typing import Any

import pytest
import yaml
from aiohttp import web
from playwright.async_api import Browser, BrowserContext, Page, async_playwright

from shopper.channels import RunOptions
from shopper.detect import analyse
from shopper.journal import read_journal
from shopper.lab.chat import ChatSettings, setup
from shopper.runner.engine import run_journey
from shopper.runner.plan import plan
from shopper.scenario import load_file

from .widgets import WIDGETS

CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run",
                 "--disable-quic"]


async def serve(app: web.Application) -> tuple[web.AppRunner, str]:
    """Start ``app`` on 127.0.0.1 with a free port; return the runner and base URL."""
    runner = web.AppRunner(app, shutdown_timeout=1.0)
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", 0)
    await site.start()
    port = runner.addresses[0][1]
    return runner, f"http://127.0.0.1:{port}"


def lab_app(settings: ChatSettings) -> web.Application:
    """A minimal host site for the lab chat, standing in for the lab website."""
    app = web.Application()
    setup(app, settings)
    return app


@pytest.fixture(scope="session")
async def chat_browser() -> AsyncIterator[Browser]:
    """One headless Chromium shared by every chat test."""
    async with async_playwright() as pw:
        browser = await pw.chromium.launch(executable_path="/usr/bin/chromium", headless=True,
                                           args=CHROMIUM_ARGS)
        yield browser
        await browser.close()


@pytest.fixture
async def page(chat_browser: Browser) -> AsyncIterator[Page]:
    """A fresh browser context and page per test."""
    context: BrowserContext = await chat_browser.new_context()
    yield await context.new_page()
    await context.close()


@pytest.fixture
async def lab_url() -> AsyncIterator[str]:
    """The lab chat in business hours with fast delays; the URL of its demo host page."""
    runner, base = await serve(lab_app(ChatSettings.fast()))
    yield base + "/chat/demo"
    await runner.cleanup()


@pytest.fixture
async def lab_offline_url() -> AsyncIterator[str]:
    """The lab chat outside business hours."""
    runner, base = await serve(lab_app(ChatSettings.fast(business_hours=False)))
    yield base + "/chat/demo"
    await runner.cleanup()


@pytest.fixture(scope="session")
async def foreign_widgets() -> AsyncIterator[dict[str, str]]:
    """Every foreign widget fixture served at once: name -> host page URL."""
    runners, urls = [], {}
    for name, make in sorted(WIDGETS.items()):
        runner, base = await serve(make())
        runners.append(runner)
        urls[name] = base + "/"
    yield urls
    for runner in runners:
        await runner.cleanup()


class SharedBrowser:
    """Stands in for the run's BrowserPool so every journey reuses the session's browser."""

    def __init__(self, browser: Browser) -> None:
        self.browser = browser

    async def get(self) -> Browser:
        """The shared browser."""
        return self.browser


RunChat = Callable[..., Awaitable[list[dict[str, Any]]]]


@pytest.fixture
def run_chat(chat_browser: Browser, tmp_path: Path) -> RunChat:
    """Run a chat scenario (YAML text) for real; return one dict per journey:
    events, analysis (findings + metrics) and folder."""
    async def run(scenario_text: str | dict[str, Any], vars: dict[str, str] | None = None,
                  **opts: Any) -> list[dict[str, Any]]:
        path = tmp_path / "scenario.yaml"
        if isinstance(scenario_text, dict):
            scenario_text = yaml.safe_dump(scenario_text, sort_keys=False)
        path.write_text(textwrap.dedent(scenario_text))
        scenario = load_file(path, set(vars or {}))
        options = RunOptions(vars=dict(vars or {}), trace="off", **opts)
        out = []
        for planned in plan([scenario]):
            folder = tmp_path / "run" / planned.id
            await run_journey(planned, folder, options, SharedBrowser(chat_browser))  # type: ignore[arg-type]
            events = read_journal(folder)
            out.append({"events": events, "analysis": analyse([dict(e) for e in events]),
                        "folder": folder})
        return out
    return run


def messages(events: list[dict[str, Any]]) -> list[tuple[str, str]]:
    """(role, text) of every message event."""
    return [(e["role"], e["text"]) for e in events if e["kind"] == "message"]


def step_ends(events: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The step.end events."""
    return [e for e in events if e["kind"] == "step.end"]


def chat_scenario(name: str, start: str, widget: dict[str, Any] | None, steps: list[Any],
                  persona: dict[str, str] | None = None) -> dict[str, Any]:
    """A chat scenario as a mapping, ready for `run_chat`."""
    journey: dict[str, Any] = {"start": start}
    if widget is not None:
        journey["widget"] = widget
    journey["steps"] = steps
    out: dict[str, Any] = {"name": name}
    if persona:
        out["persona"] = persona
    out["chat"] = journey
    return out
