"""The widget corpus's thresholds on a fast subset: real npm widgets (n8n's chat, Flowise's
bubble) and a hand-built shadow-DOM widget, each with no `widget:` block: transcript exact
(nothing missing, extra or duplicated, roles right), the bot->human handoff found, and no
false dead end. The whole corpus is bench/widgets.py."""

from __future__ import annotations

import pytest

from bench.widget_corpus.run import fetch_widgets, run_corpus

from .conftest import SharedBrowser

FAST = ("n8n", "flowise", "shadow")


async def test_corpus_subset_meets_the_thresholds(chat_browser, tmp_path):
    try:
        fetch_widgets()
    except RuntimeError as exc:  # no npm and nothing cached: nothing to test against
        pytest.skip(f"npm widgets unavailable: {exc}")
    results = await run_corpus(FAST, tmp_path, speed=0.3, browser=SharedBrowser(chat_browser))
    assert {r.widget for r in results} == set(FAST)
    for r in results:
        assert r.selectors == 0, r.journey
        assert r.exact, (r.journey, r.missing, r.extra, r.duplicates, r.wrong_roles)
        assert r.false_dead_ends == 0, (r.journey, r.false_findings)
        assert not r.handoff_expected or r.handoff_found, r.journey
        assert not r.missed, (r.journey, r.missed)
