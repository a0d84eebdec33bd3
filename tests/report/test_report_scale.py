"""Reports that scale: streamed results, one shared stylesheet, a paged and filtered index
(checked in real Chromium), escaping of untrusted text in pages and embedded data."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from shopper.channels.browser import BrowserPool
from shopper.report import load_results, read_results, write_report

from .synth import HOSTILE, make_run

COUNT = 130


@pytest.fixture(scope="module")
def rendered(tmp_path_factory):
    """A synthetic run of COUNT journeys, rendered once."""
    run = make_run(tmp_path_factory.mktemp("scale") / "run", COUNT)
    return run, write_report(run)


@pytest.fixture(scope="module")
async def browser():
    pool = BrowserPool()
    yield await pool.get()
    await pool.close()


def test_results_stream_as_json_lines_beside_a_summary(rendered):
    run, results = rendered
    head = json.loads((run / "results.json").read_text())
    assert head["journeys_file"] == "results.jsonl" and "journeys" not in head
    assert head["summary"]["journeys"] == COUNT
    lines = (run / "results.jsonl").read_text().splitlines()
    assert len(lines) == COUNT
    first = json.loads(lines[0])
    assert "events" not in first and {"outcome", "findings", "metrics", "steps"} <= set(first)
    assert [j["id"] for j in read_results(run)] == [j["id"] for j in results["journeys"]]
    assert load_results(run)["journeys"][5]["findings"] == results["journeys"][5]["findings"]


def test_kept_records_are_small_and_reload_events_on_demand(rendered):
    run, results = rendered
    j = results["journeys"][0]
    assert "events" not in j.keys() and "steps" not in j.keys()
    assert j["events"][0]["kind"] == "journey.start"  # read again from the journal
    assert len(j["steps"]) == 6


def test_one_shared_stylesheet(rendered):
    run, results = rendered
    page = (run / results["journeys"][0]["page"]).read_text()
    assert "<style" not in page and 'href="../../assets/report.css"' in page
    assert ":root" in (run / "assets" / "report.css").read_text()


def test_untrusted_text_escaped_in_pages_and_embedded_data(rendered):
    run, results = rendered
    hostile = next(j for j in results["journeys"] if any("alert" in f["message"] for f in j["findings"]))
    page = (run / hostile["page"]).read_text()
    assert "<script>alert" not in page and "&lt;/script&gt;" in page
    data = (run / "assets" / "index-data.js").read_text()
    assert "</script" not in data.lower() and "<!--" not in data and "<b>" not in data
    rows = json.loads(data.removeprefix("window.SHOPPER_ROWS=").rstrip().removesuffix(";"))
    assert any(HOSTILE in text for r in rows for _, text in r[5])  # the escape is lossless
    assert "<script>alert" not in (run / "index.html").read_text()


async def _open(browser, run: Path):
    page = await browser.new_page()
    dialogs: list[str] = []
    page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
    await page.goto((run / "index.html").as_uri())
    await page.wait_for_selector("body[data-ready]")
    return page, dialogs


async def _rows(page) -> list[list[str]]:
    return await page.eval_on_selector_all(
        "#journeys tbody tr", "trs => trs.map(t => [...t.cells].map(c => c.innerText))")


async def test_index_pages_through_every_journey(rendered, browser):
    run, results = rendered
    page, _ = await _open(browser, run)
    first = await _rows(page)
    assert len(first) == 50
    assert first[0][0].startswith(results["journeys"][0]["scenario"])
    seen = [r[0] for r in first]
    while await page.is_enabled("#next"):
        await page.click("#next")
        seen += [r[0] for r in await _rows(page)]
    assert len(seen) == COUNT
    assert [s.split("\n")[0] for s in seen] == [j["scenario"] for j in results["journeys"]]
    assert "of 3" in await page.inner_text("#count")
    await page.close()


async def test_index_filters_by_outcome_channel_kind_and_text(rendered, browser):
    run, results = rendered
    js = results["journeys"]
    page, dialogs = await _open(browser, run)

    async def count() -> int:
        text = await page.inner_text("#count")
        return int(text.split(" of ")[1].split()[0])

    await page.select_option("#f-outcome", "failed")
    assert await count() == sum(j["outcome"] == "failed" for j in js)
    assert {r[2].split("\n")[0] for r in await _rows(page)} == {"failed"}
    await page.select_option("#f-channel", "chat")
    assert await count() == sum(j["outcome"] == "failed" and j["channel"] == "chat" for j in js)
    await page.select_option("#f-outcome", "")
    await page.select_option("#f-channel", "")
    await page.select_option("#f-kind", "dead_end")
    assert await count() == sum(any(f["kind"] == "dead_end" for f in j["findings"]) for j in js) > 0
    await page.select_option("#f-kind", "")
    await page.fill("#q", "</script><script>alert(1)")
    # the search reads what the table shows: scenario, file, channel, the first four findings
    hits = [j for j in js if any("</script><script>alert(1)" in f["message"] for f in j["findings"][:4])]
    assert hits and await count() == len(hits)
    cell = (await _rows(page))[0][3]
    assert "</script><script>alert(1)</script>" in cell  # shown as text, never run
    assert dialogs == []
    assert await page.evaluate("document.querySelectorAll('#journeys script, #journeys b').length") == 0
    await page.fill("#q", "scenario 00007")
    assert await count() == sum("Scenario 00007" in j["scenario"] for j in js)
    await page.close()


def test_merge_says_which_shards_are_partial_failed_or_missing(tmp_path):
    one = make_run(tmp_path / "s1", 6)
    two = make_run(tmp_path / "s2", 4, first=6)
    lost = sorted((one / "journeys").iterdir())[0]
    subprocess.run(["rm", "-rf", str(lost)], check=True)  # a journey the shard never recorded
    info = json.loads((two / "run.json").read_text())
    info.pop("finished")  # the shard was killed
    (two / "run.json").write_text(json.dumps(info))
    merged = tmp_path / "merged"
    done = subprocess.run([sys.executable, "-m", "shopper", "report", str(one), str(two),
                           str(tmp_path / "s3-never-uploaded"), "--out", str(merged)],
                          capture_output=True, text=True)
    assert done.returncode == 1, done.stderr
    assert "s3-never-uploaded is missing" in done.stderr
    assert "did not finish" in done.stderr and "recorded 5 of 6" in done.stderr
    head = json.loads((merged / "results.json").read_text())
    assert head["summary"]["missing"] == 1 and head["missing"] == [lost.name]
    assert {s["status"] for s in head["shards"]} == {"partial", "unfinished", "missing"}
    assert "This report is incomplete" in (merged / "index.html").read_text()
    assert "1 planned journeys missing" in done.stdout
