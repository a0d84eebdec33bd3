"""Sharded runs on existing engines: `--shard auto` with the environment a Kubernetes
Indexed Job or a CI matrix sets, a stable hash of journey ids, and the merge of the shards;
the run's notification posted to a local webhook; plain CI progress lines."""

from __future__ import annotations

import pytest

from shopper.errors import UsageError
from shopper.runner.plan import auto_shard, shard_of



@pytest.mark.parametrize("env, shard", [
    ({"SHOPPER_SHARD": "2/3"}, "2/3"),
    ({"JOB_COMPLETION_INDEX": "0", "JOB_COMPLETIONS": "4"}, "1/4"),
    ({"JOB_COMPLETION_INDEX": "3", "JOB_COMPLETIONS": "4"}, "4/4"),
    ({"SHOPPER_SHARD_INDEX": "1", "SHOPPER_SHARD_TOTAL": "2"}, "2/2"),
    ({"CI_NODE_INDEX": "1", "CI_NODE_TOTAL": "2"}, "1/2"),
])
def test_auto_shard_reads_the_engine_environment(env, shard):
    assert auto_shard(env) == shard


def test_auto_shard_without_an_engine_says_what_to_set():
    with pytest.raises(UsageError, match="SHOPPER_SHARD=i/n"):
        auto_shard({})
    with pytest.raises(UsageError, match="JOB_COMPLETIONS is not"):
        auto_shard({"JOB_COMPLETION_INDEX": "1"})


def test_stable_hash_moves_few_journeys():
    ids = [f"scenario-{n}--{ch}" for n in range(400) for ch in ("web", "chat")]
    four = {i: shard_of(i, 4) for i in ids}
    assert set(four.values()) == {1, 2, 3, 4}
    assert all(shard_of(i, 4) == s for i, s in four.items())  # stable between processes/runs
    moved = sum(shard_of(i, 5) != s for i, s in four.items())
    assert moved < len(ids) * 0.3  # about 1/5 move when a shard is added (round-robin: ~4/5)
    counts = [list(four.values()).count(k) for k in (1, 2, 3, 4)]
    assert min(counts) > len(ids) / 4 * 0.7


def test_slack_payload_reaches_the_webhook(webhook):
    from shopper.notify import notify
    url, hook = webhook
    results = {"summary": {"journeys": 2, "passed": 1, "failed": 1, "error": 0, "interrupted": 0,
                           "findings": {"dead_end": 2}},
               "compared_with": "runs/yesterday",
               "journeys": [{"scenario": "A", "channel": "web", "outcome": "passed",
                             "compare": {"baseline": "failed", "new": [], "fixed": ["x"]}},
                            {"scenario": "B", "channel": "web", "outcome": "failed",
                             "compare": {"baseline": "passed", "new": ["y", "z"], "fixed": []}}]}
    assert notify(f"{url}/services/T/B/x", results, "https://ci.example/report") is None
    post = hook.received[0]
    assert post["path"] == "/services/T/B/x" and post["type"] == "application/json"
    body = post["json"]
    assert body["blocks"][0]["type"] == "section" and body["text"].startswith("shopper: 2 journeys")
    assert "2 new findings, 1 fixed" in body["text"] and "B (web): failed" in body["text"]
    assert body["shopper"]["report"] == "https://ci.example/report"


def test_teams_shape_and_a_refusing_webhook_is_a_warning(webhook):
    from shopper.notify import notify
    url, hook = webhook
    hook.status = 500
    results = {"summary": {"journeys": 1, "passed": 1, "failed": 0, "error": 0, "interrupted": 0,
                           "findings": {}}, "journeys": []}
    warning = notify(f"{url}/workflows/secret-sig", results, "report/index.html", "teams")
    assert warning == f"the notification to {url} was refused: HTTP 500"  # no path: it is a credential
    teams = hook.received[0]["json"]
    assert teams["type"] == "message"
    card = teams["attachments"][0]
    assert card["contentType"] == "application/vnd.microsoft.card.adaptive"
    assert card["content"]["type"] == "AdaptiveCard" and card["content"]["body"][0]["type"] == "TextBlock"


def test_unreachable_webhook_is_a_warning(tmp_path):
    from shopper.notify import notify
    results = {"summary": {"journeys": 0, "passed": 0, "failed": 0, "error": 0, "interrupted": 0,
                           "findings": {}}, "journeys": []}
    warning = notify("http://127.0.0.1:9/hook/secret", results, "report/index.html")
    assert warning and "could not be sent" in warning and "secret" not in warning
