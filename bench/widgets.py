"""The widget corpus benchmark: shopper on real npm chat widgets and the hand-built ones,
with no `widget:` block, scored against each backend's true transcript and the labels.

Prints per widget: selectors needed, messages recorded vs shown (the truth the backend or
the widget's script sent), duplicates, wrong roles, handoff found, false findings, capture
latency (first seen on the page -> recorded, median ms) and reads of the widget (a read
happens only when the page changed: an idle chat costs nothing).

    .venv/bin/python bench/widgets.py [widget ...]
"""

from __future__ import annotations

import asyncio
import statistics
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench.widget_corpus.idle import idle_and_accuracy  # noqa: E402
from bench.widget_corpus.run import HANDBUILT, NPM, run_corpus  # noqa: E402


def main(names: list[str]) -> int:
    """Run the corpus and print the table; exit 1 when a threshold is missed."""
    with tempfile.TemporaryDirectory() as out:
        results = asyncio.run(run_corpus(tuple(names or NPM + HANDBUILT), Path(out)))
    head = (f"{'widget':12} {'journey':30} {'sel':>3} {'rec/shown':>9} {'dup':>3} {'roles':>5} "
            f"{'handoff':>7} {'false':>5} {'lag ms':>6} {'reads':>5}  exact")
    print(head)
    print("-" * len(head))
    bad = 0
    for r in results:
        lag = statistics.median(r.lag_ms) if r.lag_ms else 0
        handoff = ("yes" if r.handoff_found else "NO") if r.handoff_expected else "-"
        print(f"{r.widget:12} {r.journey[:30]:30} {r.selectors:>3} {r.recorded:>4}/{r.shown:<4} "
              f"{r.duplicates:>3} {len(r.wrong_roles):>5} {handoff:>7} {len(r.false_findings):>5} "
              f"{lag:>6.0f} {r.reads:>5}  {'yes' if r.exact else 'NO'}")
        for line in r.missing + r.extra + r.wrong_roles + r.false_findings + r.missed:
            print(f"{'':14}{line[:110]}")
        bad += (not r.exact) + (r.handoff_expected and not r.handoff_found) + r.false_dead_ends
    print(f"\n{len(results)} journeys; exact transcripts "
          f"{sum(r.exact for r in results)}/{len(results)}; false findings "
          f"{sum(len(r.false_findings) for r in results)}; missed labels "
          f"{sum(len(r.missed) for r in results)}")
    right = sum(r.right for r in results)
    reported = right + sum(len(r.false_findings) for r in results)
    required = sum(r.required for r in results)
    found = required - sum(len(r.missed) for r in results)
    print(f"findings against the labels: precision {right}/{reported}, recall {found}/{required}; "
          f"false dead ends {sum(r.false_dead_ends for r in results)}")
    with tempfile.TemporaryDirectory() as out:
        m = asyncio.run(idle_and_accuracy(Path(out)))
    print(f"\nidle chat (toaster widget, {m['idle_s']:.0f}s of extra waiting): "
          f"{m['reads_per_s']:.2f} widget reads/s (150 ms polling: 6.67), "
          f"CPU {m['cpu_per_s'] * 1000:.1f} ms/s for shopper + Chromium together")
    print(f"message times vs the page's own insertion stamps: median error "
          f"{m['median_ms']:.0f} ms, max {m['max_ms']:.0f} ms over {m['n']} messages; "
          f"recorded {m['lag_ms']:.0f} ms (median) after appearing (the settle time)")
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
