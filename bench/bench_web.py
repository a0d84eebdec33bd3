"""Benchmark the web channel against the same journey written as plain Playwright.

Each measurement runs in its own process (`--one VARIANT`), so its CPU time is the
operating system's account of that process and everything it waited for (Playwright's
driver and Chromium), while the lab site is served by this parent process for all
variants alike. Variants, run in interleaved rounds (the order rotates every round, so
machine noise hits every variant alike):

  plain     the journey of SCENARIO written by hand with Playwright's async API
  defaults  shopper with its default evidence (trace on-first-retry, screenshots on-change)
  off       shopper with evidence off (no trace, no screenshots)

Sites (`--site`): `lab`, the lab's order-status journey (SCENARIO); `heavy`, two links
followed through pages of `--subresources` images and stylesheets each (HEAVY_SCENARIO,
served here): what observing every request a page makes costs; `app`, one page whose
buttons answer without leaving it (APP_SCENARIO, served here): two reveal text, one
fetches and renders; what waiting for a click's effect costs where nothing navigates.
The "client cpu s" column is the child's Python process alone (shopper, or the
hand-written script, and Playwright's client), where that observation is paid.

Printed per variant and worker count: median wall and CPU seconds with min-max, and the
ratio to plain taken round by round (median, min-max, and a 95% bootstrap interval of
that median: the machine's noise, which more rounds narrow). Then the protocol traffic per
journey and per action: the browser protocol (CDP) commands and events the Playwright
driver exchanged with Chromium (read from its own `pw:protocol` debug log), and the
Playwright calls the Python client made (counted by wrapping the client's connection in
the child process, never in shopper).

`--paired ROUNDS` measures finer: one child process times single journeys of the three
variants one after another, the order rotating every round, and takes each shopper
journey's ratio to the plain journey of its own round. Journeys a second apart meet the
same machine, so a noisy machine widens the interval less than whole processes do; and
what every process pays once (importing shopper, the run's files) is left out: that is
what the rounds above add to it.

Usage: python bench/bench_web.py [--n 10] [--rounds 5] [--workers 1,2] [--site lab|heavy|app]
       python bench/bench_web.py --paired 60 [--site lab|heavy|app]
       python bench/bench_web.py --rounds 0          (the protocol counts alone)
       python bench/bench_web.py --one off --base URL --n 5
           one measurement as a whole command against a running lab (`shopper lab`), to
           time whole processes in turn with a public timer such as /usr/bin/time -v
"""

from __future__ import annotations

import argparse
import asyncio
import collections
import compileall
import json
import os
import random
import re
import resource
import statistics
import sys
import tempfile
import time
from pathlib import Path

SCENARIO = """\
name: Track an order {i}
persona: {{order: A10024, email: dana@example.com}}
web:
  start: ${{BASE_URL}}/
  steps:
    - click: {{role: link, name: Order status}}
    - fill: {{label: Order number, value: "${{persona.order}}"}}
    - fill: {{label: Email address, value: "${{persona.email}}"}}
    - click: Check status
    - expect: On its way
    - expect: {{element: "#order-status"}}
"""
ACTIONS = 7  # the start page and six steps
VARIANTS = ("plain", "defaults", "off")


async def hand_written_journey(browser, base: str) -> None:
    """The journey of SCENARIO, written by hand with Playwright in a fresh context."""
    ctx = await browser.new_context(viewport={"width": 1280, "height": 860})
    page = await ctx.new_page()
    await page.goto(base + "/")
    await page.get_by_role("link", name="Order status").first.click()
    await page.wait_for_load_state("load")
    await page.get_by_label("Order number").fill("A10024")
    await page.get_by_label("Email address").fill("dana@example.com")
    await page.get_by_role("button", name="Check status").click()
    await page.wait_for_load_state("load")
    await page.get_by_text("On its way").first.wait_for()
    await page.locator("#order-status").first.wait_for()
    await ctx.close()


#: `--site heavy`: two links followed through pages of SUBRESOURCES images and stylesheets
#: each (as a real site's pages have), served by this benchmark; measures what every
#: request a page makes costs shopper's observation of the network.
HEAVY_SCENARIO = """\
name: Browse heavy pages {i}
web:
  start: ${{BASE_URL}}/
  steps:
    - click: {{role: link, name: Next page}}
    - expect: Done here
    - click: {{role: link, name: Next page}}
    - expect: Done here
"""
SUBRESOURCES = 90


async def heavy_journey(browser, base: str) -> None:
    """The journey of HEAVY_SCENARIO, written by hand with Playwright in a fresh context."""
    ctx = await browser.new_context(viewport={"width": 1280, "height": 860})
    page = await ctx.new_page()
    await page.goto(base + "/")
    for _ in range(2):
        await page.get_by_role("link", name="Next page").first.click()
        await page.wait_for_load_state("load")
        await page.get_by_text("Done here").first.wait_for()
    await ctx.close()


def serve_heavy(subresources: int) -> str:
    """Serve pages of `subresources` images and stylesheets on loopback; their address."""
    def page(title: str, link: str) -> bytes:
        res = "".join(f'<img src="/img/{title}{i}.svg" width="20" height="20" alt="">'
                      for i in range(subresources - subresources // 9))
        res += "".join(f'<link rel="stylesheet" href="/css/{title}{i}.css">'
                       for i in range(subresources // 9))
        return (f"<!doctype html><html><head><title>{title}</title></head><body><main>"
                f"<h1>{title}</h1>{res}<p><a href='{link}'>Next page</a></p><p>Done here</p>"
                "</main></body></html>").encode()

    def handle(path: str) -> tuple[bytes, str]:
        if path.startswith("/img/"):
            return (b'<svg xmlns="http://www.w3.org/2000/svg" width="20" height="20">'
                    b'<rect width="20" height="20" fill="#c00"/></svg>'), "image/svg+xml"
        if path.startswith("/css/"):
            return b"p { margin: 1px }", "text/css"
        return page("Second", "/") if path == "/b" else page("First", "/b"), "text/html"

    return serve(handle)


#: `--site app`: one page whose buttons show answers without leaving it, as a support
#: app does: two reveal text already on the page (no request), one fetches an order's status
#: and renders it. What waiting for a click's effect costs where nothing navigates.
APP_SCENARIO = """\
name: Ask the help app {i}
web:
  start: ${{BASE_URL}}/
  steps:
    - click: {{role: button, name: Show delivery times}}
    - expect: Parcels arrive within three days
    - fill: {{label: Order number, value: A10024}}
    - click: {{role: button, name: Check order}}
    - expect: Out for delivery
    - click: {{role: button, name: Opening hours}}
    - expect: Monday to Friday
"""
APP_PAGE = b"""<!doctype html><html><head><title>Help app</title></head><body><main>
<h1>How can we help?</h1>
<button id="faq">Show delivery times</button><p id="faq-a" hidden>Parcels arrive within three days.</p>
<label for="order">Order number</label><input id="order">
<button id="check">Check order</button><p id="result" role="status"></p>
<button id="hours">Opening hours</button><p id="hours-a" hidden>Monday to Friday, 9 to 5.</p>
<script>
document.getElementById('faq').onclick = () => { document.getElementById('faq-a').hidden = false; };
document.getElementById('hours').onclick = () => { document.getElementById('hours-a').hidden = false; };
document.getElementById('check').onclick = async () => {
  const r = await fetch('/api/order?n=' + encodeURIComponent(document.getElementById('order').value));
  document.getElementById('result').textContent = (await r.json()).status;
};
</script></main></body></html>"""


async def app_journey(browser, base: str) -> None:
    """The journey of APP_SCENARIO, written by hand with Playwright in a fresh context."""
    ctx = await browser.new_context(viewport={"width": 1280, "height": 860})
    page = await ctx.new_page()
    await page.goto(base + "/")
    await page.get_by_role("button", name="Show delivery times").click()
    await page.get_by_text("Parcels arrive within three days").first.wait_for()
    await page.get_by_label("Order number").fill("A10024")
    await page.get_by_role("button", name="Check order").click()
    await page.get_by_text("Out for delivery").first.wait_for()
    await page.get_by_role("button", name="Opening hours").click()
    await page.get_by_text("Monday to Friday").first.wait_for()
    await ctx.close()


def serve(handle) -> str:
    """Serve `handle(path) -> (body, content type)` on loopback; its address."""
    import http.server
    import threading

    class Handler(http.server.BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def log_message(self, *a) -> None:
            pass

        def do_GET(self) -> None:
            body, kind = handle(self.path)
            self.send_response(200)
            self.send_header("Content-Type", kind)
            self.send_header("Content-Length", str(len(body)))
            self.send_header("Cache-Control", "no-store")
            self.end_headers()
            self.wfile.write(body)

        def handle(self) -> None:
            try:
                super().handle()
            except ConnectionError:  # the browser closed the context mid-request
                pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    server.daemon_threads = True
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return f"http://127.0.0.1:{server.server_port}"


def serve_app() -> str:
    """Serve the help app of APP_SCENARIO on loopback; its address."""
    return serve(lambda path: (b'{"status": "Out for delivery"}', "application/json")
                 if path.startswith("/api/") else (APP_PAGE, "text/html"))


#: Each site's scenario and the same journey written by hand.
SITES = {"lab": (SCENARIO, hand_written_journey), "heavy": (HEAVY_SCENARIO, heavy_journey),
         "app": (APP_SCENARIO, app_journey)}


async def run_plain(base: str, n: int, workers: int, journey=hand_written_journey) -> None:
    """n hand-written journeys, `workers` at once, in one browser."""
    from playwright.async_api import async_playwright

    from shopper.channels.browser import OFFLINE_ARGS, find_browser
    async with async_playwright() as pw:
        exe = find_browser(None, pw.chromium.executable_path)
        browser = await pw.chromium.launch(executable_path=exe, args=OFFLINE_ARGS)
        sem = asyncio.Semaphore(workers)

        async def one() -> None:
            async with sem:
                await journey(browser, base)

        await asyncio.gather(*(one() for _ in range(n)))
        await browser.close()


def variant_options(variant: str, base: str):
    """shopper's run options for a variant: its defaults, or evidence off."""
    from shopper.channels import RunOptions
    options = RunOptions(vars={"BASE_URL": base})
    if variant == "off":
        options.trace, options.screenshots = "off", "off"
    return options


async def run_shopper(base: str, n: int, workers: int, variant: str, tmp: Path,
                      scenario: str = SCENARIO) -> None:
    """n journeys of `scenario` through shopper's runner; fails loudly if one did not pass."""
    from shopper.runner.engine import run_plan
    from shopper.runner.plan import plan
    from shopper.scenario import load_file
    scenarios = []
    for i in range(n):
        path = tmp / f"s{i}.yaml"
        path.write_text(scenario.format(i=i))
        scenarios.append(load_file(path))
    out = tmp / "run"
    await run_plan(plan(scenarios), out, variant_options(variant, base), workers=workers)
    for f in (out / "journeys").iterdir():
        for line in (f / "events.jsonl").read_text().splitlines():
            e = json.loads(line)
            if (e["kind"] == "step.end" and e.get("status") != "ok") or e["kind"] == "error" \
                    or (e["kind"] == "journey.end" and e.get("outcome") != "completed"):
                sys.exit(f"bench journey failed: {f.name}: {e}")


def count_client_calls() -> collections.Counter:
    """Wrap the Playwright client's connection in this process to count its calls."""
    try:
        from playwright._impl import connection as module
    except ImportError:  # older Playwright releases name the module _connection
        from playwright._impl import _connection as module  # type: ignore[no-redef]
    counts: collections.Counter = collections.Counter()
    original = module.Connection.send_message_to_server

    def counted(self, obj, method, *a, **kw):
        if method != "__waitInfo__":  # bookkeeping of a wait, not a call
            counts[method] += 1
        return original(self, obj, method, *a, **kw)

    module.Connection.send_message_to_server = counted
    return counts


async def run_paired(base: str, rounds: int, scenario: str, journey, tmp: Path) -> dict:
    """`--paired`: journeys of the three variants one after another, the order rotating,
    `rounds` times, in one process: the hand-written one in its own browser, shopper's
    through `run_journey` in a browser launched as a run launches it (BrowserPool, its
    selector engines). Each journey's wall time and this process's CPU time over it (the
    Python side alone: shopper and Playwright's client); the first two rounds warm up."""
    import gc

    from playwright.async_api import async_playwright

    from shopper.channels.browser import OFFLINE_ARGS, BrowserPool, find_browser
    from shopper.runner.engine import run_journey
    from shopper.runner.plan import plan
    from shopper.scenario import load_file
    (tmp / "s.yaml").write_text(scenario.format(i=0))
    planned = plan([load_file(tmp / "s.yaml")])[0]
    options = {v: variant_options(v, base) for v in ("defaults", "off")}
    times: dict[str, list[float]] = {v: [] for v in VARIANTS}
    cpu: dict[str, list[float]] = {v: [] for v in VARIANTS}
    pool = BrowserPool()
    async with async_playwright() as pw:
        exe = find_browser(None, pw.chromium.executable_path)
        browser = await pw.chromium.launch(executable_path=exe, args=OFFLINE_ARGS)
        await pool.get()
        gc.freeze()  # as run_plan does
        try:
            for r in range(rounds + 2):
                for v in VARIANTS[r % 3:] + VARIANTS[:r % 3]:
                    t0, c0 = time.perf_counter(), time.process_time()
                    if v == "plain":
                        await journey(browser, base)
                    else:
                        folder = tmp / f"{v}{r}"
                        outcome = await run_journey(planned, folder, options[v], pool)
                        if outcome != "completed":
                            sys.exit(f"bench journey {v} {r}: {outcome}; see {folder}")
                    if r >= 2:
                        times[v].append(time.perf_counter() - t0)
                        cpu[v].append(time.process_time() - c0)
        finally:
            await pool.close()
            await browser.close()
    return {"wall": times, "client_cpu": cpu}


def child(args: argparse.Namespace) -> None:
    """One measurement: print its wall time (browser start to close) as JSON."""
    counts = count_client_calls() if args.count else None
    with tempfile.TemporaryDirectory() as t:
        scenario, journey = SITES[args.site]
        workers = int(args.workers.split(",")[0])
        t0 = time.perf_counter()
        if args.one == "paired":
            print(json.dumps(asyncio.run(run_paired(args.base, args.paired, scenario, journey,
                                                    Path(t)))))
            return
        if args.one == "plain":
            asyncio.run(run_plain(args.base, args.n, workers, journey))
        else:
            asyncio.run(run_shopper(args.base, args.n, workers, args.one, Path(t), scenario))
        wall = time.perf_counter() - t0
    own = resource.getrusage(resource.RUSAGE_SELF)
    print(json.dumps({"wall": wall, "client_cpu": own.ru_utime + own.ru_stime,
                      "client_calls": dict(counts or {})}))


async def measure(variant: str, base: str, n: int, workers: int, debug: bool = False,
                  site: str = "lab") -> dict:
    """Run one child; its wall time, CPU time (the child and all it waited for), the CPU
    time of its Python process alone and, when `debug`, the CDP traffic counted from the
    driver's protocol log."""
    env = dict(os.environ, **({"DEBUG": "pw:protocol"} if debug else {}))
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    t0 = time.perf_counter()
    proc = await asyncio.create_subprocess_exec(
        sys.executable, __file__, "--one", variant, "--base", base, "--n", str(n),
        "--workers", str(workers), "--site", site, *(["--count"] if debug else []),
        stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.PIPE, env=env)
    out, err = await proc.communicate()
    outer = time.perf_counter() - t0
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if proc.returncode:
        sys.exit(f"{variant} failed:\n{err.decode()[-3000:]}")
    result = json.loads(out.decode().strip().splitlines()[-1])
    result["process_wall"] = outer
    result["cpu"] = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    if debug:
        sent, events = collections.Counter(), collections.Counter()
        for line in err.decode(errors="replace").splitlines():
            m = re.search(r"(SEND ►|◀ RECV) (\{.*)", line)
            if not m:
                continue
            method = re.search(r'"method":"([\w.]+)"', m.group(2))
            if method and m.group(1).startswith("SEND"):
                sent[method.group(1).split(".")[0]] += 1
            elif method:
                events[method.group(1).split(".")[0]] += 1
        result["cdp_sent"], result["cdp_events"] = sent, events
    return result


def spread(xs: list[float], fmt: str = "{:.2f}") -> str:
    """median (min-max)."""
    return f"{fmt.format(statistics.median(xs))} ({fmt.format(min(xs))}-{fmt.format(max(xs))})"


def interval(xs: list[float], draws: int = 2000) -> str:
    """A 95% bootstrap interval of the median of `xs` (the per-round ratios): how far the
    median itself may move on this machine's noise."""
    rng = random.Random(0)
    medians = sorted(statistics.median(rng.choices(xs, k=len(xs))) for _ in range(draws))
    return f"{medians[int(draws * 0.025)]:.3f}-{medians[int(draws * 0.975) - 1]:.3f}"


async def parent(args: argparse.Namespace) -> None:
    """Serve the site, run the interleaved rounds and the protocol counts, print tables."""
    import shopper
    from shopper.lab import Lab
    # each child imports shopper afresh: give it the bytecode an installed package has
    # (pip compiles it; a checkout run with PYTHONDONTWRITEBYTECODE=1 has none), so the
    # shopper variants are not charged for compiling their sources in every measurement
    compileall.compile_dir(Path(shopper.__file__).parent, quiet=1)
    if args.site == "heavy":
        print(f"site: pages of {args.subresources} images and stylesheets each")
        await rounds(args, serve_heavy(args.subresources), actions=5)
    elif args.site == "app":
        print("site: one page whose buttons show answers (two on the page, one fetched)")
        await rounds(args, serve_app(), actions=7)
    else:
        async with Lab() as lab:
            await rounds(args, lab.vars["BASE_URL"], actions=ACTIONS)


async def paired(args: argparse.Namespace, base: str, actions: int) -> None:
    """`--paired`: one child times single journeys of each variant in turn; print each
    variant's journey time and its ratio to the hand-written journey of the same round."""
    proc = await asyncio.create_subprocess_exec(
        sys.executable, __file__, "--one", "paired", "--base", base, "--site", args.site,
        "--paired", str(args.paired), stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.PIPE)
    out, err = await proc.communicate()
    if proc.returncode:
        sys.exit(f"paired run failed:\n{err.decode()[-3000:]}")
    result = json.loads(out.decode().strip().splitlines()[-1])
    times, cpu = result["wall"], result["client_cpu"]
    print(f"\n{args.paired} rounds of one journey ({actions} actions) per variant, in one "
          "process, the order rotating; milliseconds, median (min-max); wall ratio to the "
          "plain journey of the same round; client cpu: the Python process alone")
    print(f"  {'variant':9} {'journey ms':>18} {'wall ratio':>20} {'95% of median':>14} "
          f"{'client cpu ms':>14}")
    for v in VARIANTS:
        ms = [t * 1000 for t in times[v]]
        ratio = [a / b for a, b in zip(times[v], times["plain"])]
        print(f"  {v:9} {spread(ms, '{:.0f}'):>18} {spread(ratio, '{:.3f}'):>20} "
              f"{interval(ratio):>14} {statistics.median(cpu[v]) * 1000:>14.1f}")


async def rounds(args: argparse.Namespace, base: str, actions: int) -> None:
    """The interleaved rounds at each worker count, then the protocol counts, as tables."""
    site = args.site
    if args.paired:
        await paired(args, base, actions)
        return
    for v in VARIANTS:  # warm up the site, the OS caches and Python's bytecode
        await measure(v, base, 1, 1, site=site)
    for w in [int(w) for w in args.workers.split(",")] if args.rounds else []:
        rows: dict[str, list[dict]] = {v: [] for v in VARIANTS}
        for r in range(args.rounds):
            for v in VARIANTS[r % 3:] + VARIANTS[:r % 3]:
                rows[v].append(await measure(v, base, args.n, w, site=site))
        print(f"\n{args.n} journeys of {actions} actions, --workers {w}, {args.rounds} "
              "interleaved rounds; median (min-max); ratio to plain taken per round")
        print(f"  {'variant':9} {'wall s':>18} {'cpu s':>18} {'wall ratio':>18} "
              f"{'95% of median':>14} {'cpu ratio':>18} {'client cpu s':>13}")
        for v in VARIANTS:
            wall = [x["wall"] for x in rows[v]]
            cpu = [x["cpu"] for x in rows[v]]
            rw = [a["wall"] / b["wall"] for a, b in zip(rows[v], rows["plain"])]
            rc = [a["cpu"] / b["cpu"] for a, b in zip(rows[v], rows["plain"])]
            client = statistics.median(x["client_cpu"] for x in rows[v])
            print(f"  {v:9} {spread(wall):>18} {spread(cpu):>18} {spread(rw, '{:.3f}'):>18} "
                  f"{interval(rw):>14} {spread(rc, '{:.3f}'):>18} {client:>13.2f}")
    n = 3
    print(f"\nprotocol traffic per journey ({n} journeys, --workers 1); per action = /{actions}")
    counted = {v: await measure(v, base, n, 1, debug=True, site=site) for v in VARIANTS}
    domains = sorted({d for c in counted.values() for d in c["cdp_sent"]},
                     key=lambda d: -counted["defaults"]["cdp_sent"].get(d, 0))
    print(f"  {'':26}" + "".join(f"{v:>10}" for v in VARIANTS))
    line = lambda label, f: print(f"  {label:26}" + "".join(  # noqa: E731
        f"{f(counted[v]) / n:>10.1f}" for v in VARIANTS))
    line("CDP commands sent", lambda c: sum(c["cdp_sent"].values()))
    line("CDP commands per action", lambda c: sum(c["cdp_sent"].values()) / actions)
    line("CDP events received", lambda c: sum(c["cdp_events"].values()))
    for d in domains:
        line(f"  sent {d}.*", lambda c, d=d: c["cdp_sent"].get(d, 0))
    line("Playwright client calls", lambda c: sum(c["client_calls"].values()))
    top = collections.Counter(counted["defaults"]["client_calls"]).most_common(8)
    print("  shopper defaults, client calls per journey: " +
          ", ".join(f"{k} {x / n:.1f}" for k, x in top))


def main() -> None:
    """Parse arguments: a child measurement (`--one`) or the whole benchmark."""
    ap = argparse.ArgumentParser()
    ap.add_argument("--n", type=int, default=10, help="journeys per measurement")
    ap.add_argument("--rounds", type=int, default=5)
    ap.add_argument("--workers", default="1,2", help="worker counts, comma-separated")
    ap.add_argument("--one", choices=VARIANTS + ("paired",),
                    help="run one measurement (a child process)")
    ap.add_argument("--paired", type=int, default=0, metavar="ROUNDS",
                    help="instead of whole processes, time single journeys of the three "
                         "variants one after another in one process, ROUNDS times")
    ap.add_argument("--base", help="the lab's BASE_URL (with --one)")
    ap.add_argument("--count", action="store_true", help="count Playwright client calls")
    ap.add_argument("--site", choices=tuple(SITES), default="lab",
                    help="lab: the lab's order-status journey; heavy: pages of many "
                         "subresources (what observing a page's requests costs); app: "
                         "buttons that answer on the page (what waiting for a click's "
                         "effect costs where nothing navigates)")
    ap.add_argument("--subresources", type=int, default=SUBRESOURCES,
                    help="images and stylesheets per page (--site heavy)")
    args = ap.parse_args()
    if args.one:
        if not args.base:
            ap.error("--one needs --base: the address of a running lab (`shopper lab`)")
        child(args)
    else:
        asyncio.run(parent(args))


if __name__ == "__main__":
    main()
