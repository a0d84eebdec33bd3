"""Reports at scale: render 1,000 and 10,000 synthetic journeys and print the time, the peak
memory, the size on disk and the index's load time in Chromium.

The journals are written by the real Journal class (tests/report/synth.py); the report is
rendered in a fresh subprocess so that its peak resident memory (ru_maxrss) is its own.

    .venv/bin/python bench/bench_report.py [1000 10000] [--keep DIR]
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

CHILD = """
import json, resource, sys, time
sys.path.insert(0, {root!r})
from shopper.report import write_report
t0, c0 = time.perf_counter(), time.process_time()
results = write_report({run!r})
print(json.dumps({{"wall": time.perf_counter() - t0, "cpu": time.process_time() - c0,
                  "journeys": results["summary"]["journeys"],
                  "maxrss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}}))
"""

BASELINE = """
import json, resource, sys
sys.path.insert(0, {root!r})
import shopper.report, jinja2, shopper.detect
print(json.dumps({{"maxrss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}}))
"""


def du(paths: list[Path]) -> int:
    """Bytes in files under `paths`."""
    total = 0
    for p in paths:
        if p.is_file():
            total += p.stat().st_size
        elif p.is_dir():
            total += sum(f.stat().st_size for f in p.rglob("*") if f.is_file())
    return total


def report_bytes(run: Path) -> dict[str, int]:
    """Sizes of what the report wrote (not the journals)."""
    pages = sum(f.stat().st_size for f in (run / "journeys").glob("*/index.html"))
    return {"index.html": du([run / "index.html"]), "assets": du([run / "assets"]),
            "results": du([run / "results.json", run / "results.jsonl"]), "journey pages": pages,
            "journals": sum(f.stat().st_size for f in (run / "journeys").glob("*/events.jsonl"))}


async def load_time(index: Path, rounds: int = 3) -> list[float]:
    """Seconds from navigation to the table drawn (the index's script sets data-ready)."""
    from playwright.async_api import async_playwright
    out = []
    async with async_playwright() as pw:
        browser = await pw.chromium.launch(executable_path=os.environ.get("SHOPPER_BROWSER", "/usr/bin/chromium"),
                                           args=["--no-sandbox", "--disable-gpu"])
        for _ in range(rounds):
            page = await browser.new_page()
            t0 = time.perf_counter()
            await page.goto(index.as_uri())
            await page.wait_for_selector("body[data-ready]")
            out.append(time.perf_counter() - t0)
            nodes = await page.evaluate("document.getElementsByTagName('*').length")
            await page.close()
        await browser.close()
    print(f"    DOM elements after load: {nodes}")
    return out


def bench(count: int, base: Path) -> None:
    """Generate, render, measure one size."""
    from tests.report.synth import make_run
    run = base / f"run-{count}"
    t0 = time.perf_counter()
    make_run(run, count)
    print(f"{count} journeys (journals written in {time.perf_counter() - t0:.1f}s)")
    idle = json.loads(subprocess.run([sys.executable, "-c", BASELINE.format(root=str(ROOT))],
                                     capture_output=True, text=True, check=True).stdout)
    done = subprocess.run([sys.executable, "-c", CHILD.format(root=str(ROOT), run=str(run))],
                          capture_output=True, text=True)
    if done.returncode:
        sys.exit(done.stderr)
    m = json.loads(done.stdout)
    print(f"    render: {m['wall']:.1f}s wall, {m['cpu']:.1f}s CPU; peak RSS {m['maxrss_mb']:.0f} MB "
          f"(interpreter + imports alone: {idle['maxrss_mb']:.0f} MB)")
    sizes = report_bytes(run)
    print("    on disk: " + ", ".join(f"{k} {v / 1e6:.2f} MB" for k, v in sizes.items()))
    times = sorted(asyncio.run(load_time(run / "index.html")))
    print(f"    index load in Chromium: median {times[len(times) // 2]:.2f}s "
          f"(min {times[0]:.2f}s, max {times[-1]:.2f}s, {len(times)} loads)")


def main() -> None:
    """Run the benchmark for each size given."""
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("sizes", nargs="*", type=int, default=[1000, 10000])
    ap.add_argument("--keep", help="write the runs here and keep them")
    args = ap.parse_args()
    base = Path(args.keep) if args.keep else Path(tempfile.mkdtemp(prefix="bench-report-"))
    for n in args.sizes:
        bench(n, base)
    if not args.keep:
        subprocess.run(["rm", "-rf", str(base)])


if __name__ == "__main__":
    main()
