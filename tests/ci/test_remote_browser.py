"""Remote browsers: a real `playwright run-server` (the Node driver inside the playwright
wheel) reached with `connect`, and a real Chromium with a DevTools port reached with
`connect_over_cdp`, both on loopback, shopping the lab."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
from pathlib import Path

import pytest

import playwright
from shopper.channels.browser import remote
from shopper.errors import RunError

from ..conftest import findings

WEB = Path(__file__).resolve().parents[2] / "scenarios" / "web"
DRIVER = Path(playwright.__file__).parent / "driver"
CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"


def _read_until(stream, pattern: str, limit: int = 200) -> re.Match:
    for _ in range(limit):
        line = stream.readline()
        if not line:
            break
        found = re.search(pattern, line)
        if found:
            return found
    raise AssertionError(f"never printed {pattern}")


@pytest.fixture(scope="module")
def run_server(tmp_path_factory):
    """`playwright run-server` on loopback; its machine has Chromium where Playwright looks."""
    browsers = tmp_path_factory.mktemp("pw-browsers")
    revs = {b["name"]: b["revision"] for b in json.loads((DRIVER / "package" / "browsers.json").read_text())["browsers"]}
    for folder, exe in ((f"chromium_headless_shell-{revs['chromium-headless-shell']}",
                         "chrome-headless-shell-linux64/chrome-headless-shell"),
                        (f"chromium-{revs['chromium']}", "chrome-linux64/chrome")):
        target = browsers / folder / exe
        target.parent.mkdir(parents=True)
        target.symlink_to(CHROMIUM)
    env = {**os.environ, "PLAYWRIGHT_BROWSERS_PATH": str(browsers), "DEBUG": "pw:server"}
    proc = subprocess.Popen([str(DRIVER / "node"), str(DRIVER / "package" / "cli.js"), "run-server",
                             "--port", "0", "--host", "127.0.0.1"], env=env, text=True,
                            stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    url = _read_until(proc.stdout, r"Listening on (ws://\S+)").group(1)
    yield url, proc
    proc.terminate()
    proc.wait(10)


@pytest.fixture(scope="module")
def devtools(tmp_path_factory):
    """A headless Chromium with --remote-debugging-port on loopback."""
    profile = tmp_path_factory.mktemp("cdp-profile")
    proc = subprocess.Popen([CHROMIUM, "--headless=new", "--no-sandbox", "--disable-gpu",
                             "--remote-debugging-address=127.0.0.1", "--remote-debugging-port=0",
                             f"--user-data-dir={profile}", "about:blank"],
                            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    port = _read_until(proc.stderr, r"DevTools listening on ws://127\.0\.0\.1:(\d+)/").group(1)
    yield f"http://127.0.0.1:{port}", proc
    proc.terminate()
    proc.wait(10)


def test_remote_choices_are_recognised():
    assert remote("ws://10.0.0.5:3000/") == ("ws", "ws://10.0.0.5:3000/")
    assert remote("cdp:http://127.0.0.1:9222") == ("cdp", "http://127.0.0.1:9222")
    assert remote("/usr/bin/chromium") is None
    with pytest.raises(RunError, match="cdp:http://127.0.0.1:9222"):
        remote("cdp:localhost")


async def test_journey_through_a_playwright_server(lab, run_scenarios, run_server, tmp_path):
    url, proc = run_server
    results = await run_scenarios([WEB / "read-return-policy.yaml", WEB / "track-order.yaml"],
                                  browser=url, out=tmp_path / "ws", trace="off")
    outcomes = {j["scenario"]: j["outcome"] for j in results["journeys"]}
    assert outcomes == {"Read the return policy": "failed", "Track an order": "passed"}
    assert any(f["code"] == "broken_link" for f in findings(results, "Read the return policy"))
    j = next(j for j in results["journeys"] if j["scenario"] == "Track an order")
    shot = next(s["screenshots"][-1] for s in reversed(j["steps"]) if s["screenshots"])
    assert (results["out"] / "journeys" / j["folder"] / shot).read_bytes()[:3] == b"\xff\xd8\xff"  # JPEG step evidence
    os.set_blocking(proc.stdout.fileno(), False)
    log = proc.stdout.read() or ""
    assert "connected" in log.lower(), log[-2000:]  # the server's own log saw shopper


async def test_journey_over_cdp(lab, run_scenarios, devtools, tmp_path):
    url, proc = devtools
    results = await run_scenarios([WEB / "track-order.yaml"], browser=f"cdp:{url}",
                                  out=tmp_path / "cdp", trace="off")
    assert [j["outcome"] for j in results["journeys"]] == ["passed"]
    assert proc.poll() is None  # shopper disconnected; it did not kill someone else's browser


async def test_unreachable_remote_browser_is_a_run_error(lab, run_scenarios, tmp_path):
    with pytest.raises(RunError, match="remote browser at ws://127.0.0.1:9/ could not be reached"):
        await run_scenarios([WEB / "track-order.yaml"], browser="ws://127.0.0.1:9/", out=tmp_path / "x")
