"""Web truth in CI: a subset of the labelled corpus (bench/web_corpus) run for real, scored
against labels written before shopper ran on it. `python bench/truth.py` runs it all."""

from __future__ import annotations

import pytest

from bench import truth

#: One journey or more per failure class, healthy traps included (the whole corpus is
#: bench-sized); helpdesk journeys run on django-helpdesk installed from PyPI.
SUBSET = [
    "northgate/meter-reading.yaml", "northgate/contact-message.yaml", "northgate/report-leak.yaml",
    "northgate/paperless.yaml", "northgate/find-bill.yaml", "northgate/hardship.yaml",
    "kitebox/report-fault.yaml", "kitebox/track-engineer.yaml", "kitebox/update-direct-debit.yaml",
    "kitebox/see-my-bill.yaml", "kitebox/usage.yaml", "kitebox/slow-speeds.yaml",
    "kitebox/report-outage.yaml", "kitebox/network-status-secure.yaml", "kitebox/moving.yaml",
    "larkspur/power-cut-postcode.yaml", "larkspur/billing-address.yaml",
    "larkspur/moving-home.yaml", "brightwave/roaming.yaml", "brightwave/unlock.yaml",
    "brightwave/port.yaml",
    "helpdesk/submit-after-validation.yaml", "helpdesk/view-ticket.yaml",
]


@pytest.fixture(scope="module")
async def scored(tmp_path_factory):
    """The subset, run once for this module."""
    return await truth.run(SUBSET, helpdesk=True, out=tmp_path_factory.mktemp("truth"),
                           workers=4, screenshots="off")


def test_precision_and_recall_meet_the_bar(scored):
    truth.print_result(scored)
    for kind in ("dead_end", "handoff", "overall"):
        s = scored.kinds[kind]
        assert s.required > 0, kind
        assert s.precision >= 0.95 and s.recall >= 0.95, (kind, scored.rows)


def test_healthy_journeys_stay_clean(scored):
    healthy = [r for r in scored.rows if r["healthy"]]
    assert len(healthy) >= 6
    assert scored.false_dead_ends_on_healthy == 0, scored.false_on_healthy
    assert scored.false_on_healthy == [], scored.false_on_healthy
    assert all(r["outcome"] == "passed" for r in healthy), healthy


def test_every_journey_ran_and_nothing_was_reported_in_the_wrong_category(scored):
    assert len(scored.rows) == len(SUBSET), "a corpus journey did not run (helpdesk install?)"
    assert scored.wrong_category == []
