"""The shipped pipelines, run locally: the commands of examples/kubernetes/indexed-job.yaml and
examples/github-actions.yml, with the environment those engines set, shopping the lab."""

from __future__ import annotations

import asyncio
import json
import os
import re
import shutil
import sys
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parents[2]
WEB = ROOT / "scenarios" / "web"
SCENARIOS = ("track-order.yaml", "read-return-policy.yaml", "contact-form.yaml")


def _base_env(**extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items()
           if not k.startswith(("SHOPPER_", "JOB_", "GITHUB", "CI"))}
    env["PATH"] = f"{Path(sys.executable).parent}{os.pathsep}{env.get('PATH', '')}"  # `shopper`
    # evidence off through the environment (config precedence), to keep the suite fast
    return {**env, "CI": "true", "SHOPPER_TRACE": "off", "SHOPPER_SCREENSHOTS": "off", **extra}


async def _sh(command: str, env: dict[str, str], cwd: Path) -> tuple[int, str, str]:
    proc = await asyncio.create_subprocess_exec("sh", "-c", command, env=env, cwd=cwd,
                                                stdout=asyncio.subprocess.PIPE,
                                                stderr=asyncio.subprocess.PIPE)
    out, err = await asyncio.wait_for(proc.communicate(), 300)
    return proc.returncode, out.decode(), err.decode()


@pytest.fixture
def scenarios(tmp_path: Path) -> Path:
    folder = tmp_path / "scenarios"
    folder.mkdir()
    for name in SCENARIOS:
        shutil.copy(WEB / name, folder / name)
    return folder


async def test_kubernetes_indexed_job_and_merge_job(lab, scenarios, tmp_path):
    docs = list(yaml.safe_load_all((ROOT / "examples" / "kubernetes" / "indexed-job.yaml").read_text()))
    shards, merge = (d for d in docs if d["kind"] == "Job")
    assert shards["spec"]["completionMode"] == "Indexed"
    pod = shards["spec"]["template"]["spec"]["containers"][0]
    env = {e["name"]: e["value"] for e in pod["env"]}
    n = shards["spec"]["completions"]
    assert int(env["JOB_COMPLETIONS"]) == n  # what --shard auto divides by
    runs = tmp_path / "runs" / "audit"
    # the mount points become local folders; the rest is the manifest's own command
    env.update(SCENARIOS=str(scenarios), RUNS=str(runs), BASE_URL=lab.vars["BASE_URL"])
    merge_pod = merge["spec"]["template"]["spec"]["containers"][0]
    merge_env = {e["name"]: e["value"] for e in merge_pod["env"]}
    assert int(merge_env["SHARDS"]) == n
    merge_env.update(RUNS=str(runs), WAIT_SECONDS="2")

    for index in range(n - 1):  # the last pod has not run (yet)
        code, out, err = await _sh(pod["args"][0], _base_env(**env, JOB_COMPLETION_INDEX=str(index)), tmp_path)
        assert code == 0, err  # the manifest's `|| [ $? -eq 1 ]`: failed journeys are not a crashed pod
    code, out, err = await _sh(merge_pod["args"][0], _base_env(**merge_env), tmp_path)
    assert code == 1 and f"shard {runs}/shard-{n - 1} is missing" in err
    head = json.loads((runs / "merged" / "results.json").read_text())
    assert [s["status"] for s in head["shards"]][-1] == "missing"

    code, out, err = await _sh(pod["args"][0], _base_env(**env, JOB_COMPLETION_INDEX=str(n - 1)), tmp_path)
    assert code == 0, err
    code, out, err = await _sh(merge_pod["args"][0], _base_env(**merge_env), tmp_path)
    head = json.loads((runs / "merged" / "results.json").read_text())
    assert head["summary"]["journeys"] == len(SCENARIOS) and head["summary"]["missing"] == 0
    assert {s["status"] for s in head["shards"]} == {"complete"}
    assert code == 1 and "missing" not in err  # 1: the return-policy journey fails
    assert (runs / "merged" / "junit.xml").is_file()


def _expand(text: str, context: dict[str, str]) -> str:
    """Replace GitHub `${{ expr }}` with the values the runner would give."""
    return re.sub(r"\$\{\{\s*(.+?)\s*\}\}", lambda m: context[m.group(1)], text)


async def test_github_actions_matrix_and_merge(lab, scenarios, tmp_path, webhook):
    url, hook = webhook
    flow = yaml.safe_load((ROOT / "examples" / "github-actions.yml").read_text())
    shop, report = flow["jobs"]["shop"], flow["jobs"]["report"]
    assert report["needs"] == "shop" and report["if"] == "always()"
    matrix = shop["strategy"]["matrix"]["shard"]
    step = next(s for s in shop["steps"] if "shopper run" in s.get("run", ""))
    for job_index, shard in enumerate(matrix):
        ctx = {"strategy.job-index": str(job_index), "strategy.job-total": str(len(matrix)),
               "matrix.shard": str(shard), "vars.BASE_URL": lab.vars["BASE_URL"]}
        env = {k: _expand(str(v), ctx) for k, v in step["env"].items()}
        code, out, err = await _sh(_expand(step["run"], ctx), _base_env(**env, GITHUB_ACTIONS="true"), tmp_path)
        assert code in (0, 1), err
        assert "\r" not in out and "journeys ended in" in out  # CI=true: plain lines and a summary
        # upload-artifact + download-artifact with `pattern: shopper-shard-*`, `path: runs`
        shutil.copytree(tmp_path / "runs" / f"shard-{shard}", tmp_path / "runs" / f"shopper-shard-{shard}")
    merge = next(s for s in report["steps"] if "shopper report" in s.get("run", ""))
    ctx = {"secrets.SHOPPER_WEBHOOK": url, "github.server_url": "https://ci.example",
           "github.repository": "acme/shop", "github.run_id": "42"}
    env = {k: _expand(str(v), ctx) for k, v in merge["env"].items()}
    code, out, err = await _sh(_expand(merge["run"], ctx), _base_env(**env), tmp_path)
    assert code == 1, err + out  # the lab's contact form never confirms: a failed journey
    head = json.loads((tmp_path / "merged" / "results.json").read_text())
    assert head["summary"]["journeys"] == 2 and head["summary"]["missing"] == 0  # the smoke tag
    assert [s["status"] for s in head["shards"]] == ["complete"] * len(matrix)  # empty shards too
    assert (tmp_path / "merged" / "junit.xml").is_file()
    assert hook.received and hook.received[0]["json"]["shopper"]["report"] == "https://ci.example/acme/shop/actions/runs/42"
