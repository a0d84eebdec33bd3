"""Bad command lines: each is refused before anything runs, with exit 2, no traceback and a
message naming the option and the reason. Run through real subprocesses, as a user would."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from concurrent.futures import ProcessPoolExecutor, ThreadPoolExecutor
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
SCENARIO = str(ROOT / "scenarios" / "web" / "track-order.yaml")


def shopper(*args: str, cwd: Path, env: dict | None = None) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "shopper", *args], cwd=cwd, env=env,
                          capture_output=True, text=True, timeout=120)


def bad_inputs(tmp: Path) -> list[tuple[list[str], str]]:
    """(arguments, what the message must name): every one must exit 2 before any run."""
    a_file = tmp / "a-file.txt"
    a_file.write_text("x")
    a_dir = tmp / "a-dir"
    a_dir.mkdir(exist_ok=True)
    run_dir = tmp / "run-dir"
    (run_dir / "journeys").mkdir(parents=True, exist_ok=True)
    out = str(tmp / "out")
    run = ["run", SCENARIO, "--out", out]
    long_path = str(tmp) + ("/" + "d" * 200) * 25  # ~5,000 characters
    cases: list[tuple[list[str], str]] = [
        (["run", SCENARIO, "--out", str(a_file)], "--out"),
        (["run", SCENARIO, "--out", "/dev/null"], "--out"),
        (["run", SCENARIO, "--out", ""], "--out"),
        (["run", SCENARIO, "--out", "x" * 5000], "--out"),
        (["run", SCENARIO, "--out", long_path], "--out"),
        (["run", SCENARIO, "--out", str(tmp / ("n" * 300))], "--out"),
        (["run", SCENARIO, "--out", str(a_file / "sub")], "--out"),
        (["run", SCENARIO, "--out", "/proc/shopper-out"], "--out"),  # cannot be created
        (["run", SCENARIO, "--out", "/sys/shopper-out"], "--out"),
        (["demo", "--out", "/dev/null"], "--out"),
        (["demo", "--out", ""], "--out"),
        ([*run, "--junit", str(a_dir)], "--junit"),
        ([*run, "--junit", ""], "--junit"),
        ([*run, "--junit", "/dev/null"], "--junit"),
        ([*run, "--junit", str(a_file / "j.xml")], "--junit"),
        ([*run, "--junit", "/proc/junit.xml"], "--junit"),
        ([*run, "--junit", str(tmp / "new") + "/"], "--junit"),
        (["demo", "--junit", str(a_dir)], "--junit"),
        *[([*run, "--step-timeout", v], "--step-timeout")
          for v in ("0", "-1", "nan", "inf", "abc", "1e9")],
        *[([*run, "--journey-timeout", v], "--journey-timeout")
          for v in ("0", "NaN", "-Infinity")],
        *[([*run, "--workers", v], "--workers")
          for v in ("0", "-2", "1.5", "100000")],
        ([*run, "--var", "NOEQUALS"], "--var"),
        ([*run, "--var", "=value"], "--var"),
        ([*run, "--var", "1ST=x"], "--var"),
        ([*run, "--var", "BASE_URL=javascript:alert(1)"], "--var"),
        ([*run, "--var", "SHOP_URL=file:///etc/passwd"], "--var"),
        (["validate", SCENARIO, "--var", "A B=x"], "--var"),
        *[([*run, "--shard", v], "--shard") for v in ("0/2", "3/2", "1/0", "")],
        ([*run, "--tag", ""], "--tag"),
        ([*run, "--name", " "], "--name"),
        ([*run, "--browser", ""], "--browser"),
        ([*run, "--channel", "sms"], "--channel"),
        ([*run, "--trace", "maybe"], "--trace"),
        ([*run, "--bogus"], "--bogus"),
        (["run", SCENARIO], "--out"),
        (["report", str(tmp / "missing")], "RUN_DIR"),
        (["report", str(a_file)], "RUN_DIR"),
        (["report", str(a_dir)], "RUN_DIR"),
        (["report", str(run_dir), str(run_dir)], "--out"),
        (["report", str(run_dir), "--compare", str(a_dir)], "--compare"),
        (["report", str(run_dir), "--junit", str(a_dir)], "--junit"),
        (["report", str(run_dir), "--out", "/dev/null"], "--out"),
    ]
    return cases


def test_bad_command_lines_exit_2_naming_the_option(tmp_path):
    cases = bad_inputs(tmp_path)
    with ThreadPoolExecutor(4) as pool:
        results = list(pool.map(lambda c: shopper(*c[0], cwd=tmp_path), cases))
    failures = []
    for (args, option), proc in zip(cases, results):
        shown = " ".join(a[:40] for a in args)
        if "Traceback" in proc.stderr or proc.returncode != 2 or option not in proc.stderr:
            failures.append(f"{shown}: exit {proc.returncode}: {proc.stderr[-300:]}")
    assert not failures, "\n".join(failures)
    assert len(cases) >= 50
    # nothing ran: no run folder, no report, no stray files in the working folder
    assert not (tmp_path / "out").exists()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["a-dir", "a-file.txt", "run-dir"]


def _check_out_again_and_again(path: str) -> list[str]:
    """In a process of its own: the --out check of `path`, 150 times; the refusals."""
    from shopper.errors import UsageError
    from shopper.options import out_dir
    refused = []
    for _ in range(150):
        try:
            out_dir("--out", path)
        except UsageError as exc:
            refused.append(str(exc))
    return refused


def test_checks_of_one_new_folder_side_by_side_all_pass(tmp_path):
    """Shards of one run given one new --out check it at the same moment: each check makes
    the folder, writes a file there and removes what it made, so one check meets a folder
    another has just made, or has just removed. None of them is refused for it."""
    out = str(tmp_path / "shared" / "out")
    with ProcessPoolExecutor(4) as pool:
        refused = [r for rs in pool.map(_check_out_again_and_again, [out] * 4) for r in rs]
    assert refused == [], refused[:3]


@pytest.mark.skipif(os.geteuid() == 0, reason="root writes into read-only folders")
def test_a_folder_without_write_permission(tmp_path):
    locked = tmp_path / "locked"
    locked.mkdir()
    locked.chmod(0o500)
    try:
        proc = shopper("run", SCENARIO, "--out", str(locked / "out"), cwd=tmp_path)
        assert proc.returncode == 2 and "--out" in proc.stderr and "ermission" in proc.stderr
    finally:
        locked.chmod(0o700)


def test_good_paths_are_accepted_and_left_as_they_were(tmp_path):
    """The checks create nothing they do not need: validation leaves no folder behind."""
    proc = shopper("validate", SCENARIO, "--var", "SHOP_URL=https://shop.example", cwd=tmp_path)
    assert proc.returncode == 0, proc.stderr
    # an option error after the path checks: the folders they probed are gone again
    proc = shopper("run", SCENARIO, "--out", str(tmp_path / "a" / "b"), "--junit",
                   str(tmp_path / "j" / "junit.xml"), "--shard", "9/2", cwd=tmp_path)
    assert proc.returncode == 2 and "--shard" in proc.stderr
    assert sorted(p.name for p in tmp_path.iterdir()) == []


def test_a_lab_that_cannot_start_is_exit_3_not_a_traceback(tmp_path):
    """A broken installation (the chat widget's files missing) is reported, exit 3."""
    broken = tmp_path / "site"
    shutil.copytree(ROOT / "shopper", broken / "shopper",
                    ignore=shutil.ignore_patterns("__pycache__"))
    shutil.rmtree(broken / "shopper" / "lab" / "chat" / "static")
    env = {**os.environ, "PYTHONPATH": str(broken)}
    proc = shopper("demo", SCENARIO, "--out", str(tmp_path / "out"), cwd=tmp_path, env=env)
    assert proc.returncode == 3, proc.stderr[-2000:]
    assert "Traceback" not in proc.stderr
    assert "lab company could not start" in proc.stderr and "static" in proc.stderr
