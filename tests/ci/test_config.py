"""The config file: precedence (command line > environment > file > defaults), errors with
file:line and did-you-mean, and `shopper config` saying where each value came from."""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from shopper import cli
from shopper.config import configure
from shopper.errors import UsageError


def _env(**extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("SHOPPER_")}
    return {**env, **extra}


def _args(argv: list[str], cwd: Path, env: dict[str, str] | None = None) -> tuple[argparse.Namespace, dict]:
    parser = cli._parser()
    args = parser.parse_args(argv)
    old = dict(os.environ)
    os.environ.clear()
    os.environ.update(env or _env())
    try:
        effective, _ = configure(parser, argv, args, cwd)
    finally:
        os.environ.clear()
        os.environ.update(old)
    return args, effective


def _write(folder: Path, name: str, text: str) -> Path:
    path = folder / name
    path.write_text(textwrap.dedent(text))
    return path


def test_precedence_command_line_then_environment_then_file_then_defaults(tmp_path):
    _write(tmp_path, "pyproject.toml", """\
        [project]
        name = "shop"

        [tool.shopper]
        workers = 4
        trace = "off"
        step-timeout = 20
        out = "audits/latest"
        tag = ["smoke"]

        [tool.shopper.var]
        BASE_URL = "https://shop.example"
        """)
    args, eff = _args(["run", str(tmp_path), "--workers", "3"], tmp_path,
                      _env(SHOPPER_STEP_TIMEOUT="30", SHOPPER_WORKERS="9"))
    assert args.workers == 3 and eff["workers"][1] == "command line"
    assert args.step_timeout == 30.0 and eff["step_timeout"][1] == "environment SHOPPER_STEP_TIMEOUT"
    assert args.trace == "off" and eff["trace"][1].endswith("pyproject.toml:6")
    assert args.out == "audits/latest" and args.tag == ["smoke"]
    assert args.var == ["BASE_URL=https://shop.example"] and eff["var"][1].endswith("pyproject.toml:11")
    assert args.screenshots == "on-change" and eff["screenshots"][1] == "default"


def test_shopper_toml_next_to_the_scenarios_wins_over_a_parent_pyproject(tmp_path):
    _write(tmp_path, "pyproject.toml", "[tool.shopper]\nworkers = 4\n")
    folder = tmp_path / "scenarios"
    folder.mkdir()
    _write(folder, "shopper.toml", "workers = 6\nheaded = true\n")
    args, eff = _args(["run", str(folder), "--out", "x"], folder)
    assert args.workers == 6 and args.headed is True
    assert eff["workers"][1] == f"{folder / 'shopper.toml'}:1"


@pytest.mark.parametrize("text, message", [
    ("[tool.shopper]\nworkers = 2\nwrokers = 3\n", r"pyproject.toml:3: unknown key 'wrokers'.*did you mean 'workers'"),
    ("[tool.shopper]\ntrace = \"sometimes\"\n", r"pyproject.toml:2: trace must be one of on-first-retry, on-all-retries, retain-on-failure, on, off"),
    ("[tool.shopper]\nworkers = \"many\"\n", r"pyproject.toml:2: workers 'many' is not a whole number"),
    ("[tool.shopper]\nheaded = \"yes\"\n", r"pyproject.toml:2: headed must be true or false"),
    ("[tool.shopper\nworkers = 2\n", r"pyproject.toml: not valid TOML"),
])
def test_config_errors_name_file_and_line(tmp_path, text, message):
    (tmp_path / "pyproject.toml").write_text(text)
    with pytest.raises(UsageError, match=message):
        _args(["run", str(tmp_path), "--out", "x"], tmp_path)


def test_bad_environment_value_names_the_variable(tmp_path):
    with pytest.raises(UsageError, match="environment SHOPPER_WORKERS: workers .lots. is not a whole number"):
        _args(["run", str(tmp_path), "--out", "x"], tmp_path, _env(SHOPPER_WORKERS="lots"))


def test_shopper_config_prints_values_and_sources(tmp_path):
    _write(tmp_path, "shopper.toml", """\
        [tool.shopper]
        workers = 5
        notify = "https://hooks.example/services/T000/B000/secret-token"
        """)
    done = subprocess.run([sys.executable, "-m", "shopper", "config"], cwd=tmp_path, text=True,
                          capture_output=True, env=_env(SHOPPER_TRACE="on"))
    assert done.returncode == 0, done.stderr
    lines = {ln.split("=")[0].strip(): ln for ln in done.stdout.splitlines() if "=" in ln}
    assert "5" in lines["workers"] and "shopper.toml:2" in lines["workers"]
    assert "environment SHOPPER_TRACE" in lines["trace"]
    assert "# default" in lines["screenshots"]
    assert "secret-token" not in done.stdout  # a webhook URL is a credential
    bad = subprocess.run([sys.executable, "-m", "shopper", "config", "--config", "nope.toml"],
                         cwd=tmp_path, text=True, capture_output=True, env=_env())
    assert bad.returncode == 2 and "nope.toml does not exist" in bad.stderr


def test_out_may_come_from_the_config_but_is_still_required(tmp_path):
    scenario = tmp_path / "s.yaml"
    scenario.write_text("name: x\nweb:\n  start: http://127.0.0.1:9/\n  steps:\n    - expect: hi\n")
    done = subprocess.run([sys.executable, "-m", "shopper", "run", str(scenario)], cwd=tmp_path,
                          text=True, capture_output=True, env=_env())
    assert done.returncode == 2 and "--out is required" in done.stderr
