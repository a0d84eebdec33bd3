"""Sharded runs on existing engines: `--shard auto` with the environment a Kubernetes
Indexed Job or a CI matrix sets, a stable hash of journey ids, and the merge of the shards;
the run's notification posted to a local webhook; plain CI progress lines."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

from shopper.errors import UsageError
from shopper.runner.plan import auto_shard, shard_of

WEB = Path(__file__).resolve().parents[2] / "scenarios" / "web"


def _env(**extra: str) -> dict[str, str]:
    keep = {k: v for k, v in os.environ.items() if not k.startswith(("SHOPPER_", "JOB_", "CI", "GITHUB"))}
    return {**keep, "CI": "true", **extra}


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


class _Hook(BaseHTTPRequestHandler):
    received: list[dict] = []
    status = 200

    def do_POST(self) -> None:  # noqa: N802 (http.server's name)
        body = self.rfile.read(int(self.headers["Content-Length"]))
        type(self).received.append({"path": self.path, "type": self.headers["Content-Type"],
                                    "json": json.loads(body)})
        self.send_response(self.status)
        self.end_headers()

    def log_message(self, *args) -> None:
        pass


@pytest.fixture
def webhook():
    """A local HTTP server standing in for a Slack/Teams incoming webhook."""
    class Hook(_Hook):
        received: list[dict] = []
    server = ThreadingHTTPServer(("127.0.0.1", 0), Hook)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_port}", Hook
    server.shutdown()


@pytest.fixture(scope="module")
def scenarios(tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("scenarios")
    for name in ("track-order.yaml", "read-return-policy.yaml", "contact-form.yaml"):
        shutil.copy(WEB / name, folder / name)
    return folder


def _shard(scenarios: Path, out: Path, env: dict[str, str], *extra: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "shopper", "run", str(scenarios), "--lab", "--shard", "auto",
                           "--out", str(out), "--trace", "off", "--screenshots", "off", *extra],
                          capture_output=True, text=True, env=env, timeout=240)


def _ids(run: Path) -> set[str]:
    return {p.name for p in (run / "journeys").iterdir()} if (run / "journeys").is_dir() else set()


def test_kubernetes_indexed_job_shards_merge_into_one_report(scenarios, tmp_path, webhook):
    url, hook = webhook
    runs = []
    for index in (0, 1):
        env = _env(JOB_COMPLETION_INDEX=str(index), JOB_COMPLETIONS="2")
        done = _shard(scenarios, tmp_path / f"shard-{index}", env, "--notify", f"{url}/services/hook")
        assert done.returncode in (0, 1), done.stderr
        assert "Traceback" not in done.stderr and "\r" not in done.stdout  # CI: plain lines
        runs.append(tmp_path / f"shard-{index}")
    assert not _ids(runs[0]) & _ids(runs[1])
    for index, run in enumerate(runs):  # each pod ran exactly the journeys its index hashes to
        assert all(shard_of(i, 2) == index + 1 for i in _ids(run))
    assert _ids(runs[0]) | _ids(runs[1]) == {"track-an-order--web", "read-the-return-policy--web",
                                             "send-a-message-through-the-contact-form--web"}
    every = json.loads((runs[0] / "run.json").read_text())["journeys"] + \
        json.loads((runs[1] / "run.json").read_text())["journeys"]
    assert sorted(every) == sorted(_ids(runs[0]) | _ids(runs[1]))
    merged = tmp_path / "merged"
    done = subprocess.run([sys.executable, "-m", "shopper", "report", *map(str, runs), "--out", str(merged)],
                          capture_output=True, text=True, env=_env())
    assert done.returncode == 1  # the return-policy journey fails
    head = json.loads((merged / "results.json").read_text())
    assert head["summary"]["journeys"] == 3 and head["summary"]["missing"] == 0
    assert {s["status"] for s in head["shards"]} == {"complete"}
    # the notification of each shard reached the webhook, in Slack's shape
    assert len(hook.received) == 2
    post = hook.received[0]
    assert post["path"] == "/services/hook" and post["type"] == "application/json"
    assert post["json"]["text"].startswith("shopper: ") and post["json"]["blocks"][0]["type"] == "section"
    assert sum(p["json"]["shopper"]["journeys"] for p in hook.received) == 3


def test_ci_matrix_shards_and_a_failing_notification(scenarios, tmp_path, webhook):
    url, hook = webhook
    hook.status = 500
    outs = []
    for index in (0, 1):
        env = _env(GITHUB_ACTIONS="true", SHOPPER_SHARD_INDEX=str(index), SHOPPER_SHARD_TOTAL="2")
        done = _shard(scenarios, tmp_path / f"m{index}", env, "--notify", url, "--notify-format", "teams")
        assert done.returncode in (0, 1), done.stderr
        assert "warning: the notification to http://127.0.0.1" in done.stderr and "HTTP 500" in done.stderr
        outs.append(done.stdout)
        assert "journeys ended in" in done.stdout  # the CI summary line
    teams = hook.received[0]["json"]
    assert teams["type"] == "message"
    assert teams["attachments"][0]["contentType"] == "application/vnd.microsoft.card.adaptive"
    lines = [ln for out in outs for ln in out.splitlines() if ln.startswith("  ")]
    assert sorted(ln.split()[2] for ln in lines) == ["Read", "Send", "Track"]


def test_unreachable_webhook_is_a_warning(tmp_path):
    from shopper.notify import notify
    results = {"summary": {"journeys": 0, "passed": 0, "failed": 0, "error": 0, "interrupted": 0,
                           "findings": {}}, "journeys": []}
    warning = notify("http://127.0.0.1:9/hook/secret", results, "report/index.html")
    assert warning and "could not be sent" in warning and "secret" not in warning
