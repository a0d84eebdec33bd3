"""Scenario files: load, validate, and the typed model they become."""

from __future__ import annotations

from pathlib import Path

from ..errors import Loc, Problem, ScenarioError
from .fields import Checker, parse_duration
from .limits import read_source
from .loader import load_yaml
from .model import Budgets, Journey, Scenario, Step
from .parse import parse_scenario

__all__ = ["Budgets", "Journey", "Scenario", "Step", "discover", "load_file", "load_paths",
           "parse_duration"]

SUFFIXES = (".yaml", ".yml")


def discover(paths: list[str | Path]) -> list[Path]:
    """Scenario files named directly or found (recursively) under directories, sorted."""
    found: list[Path] = []
    for raw in paths:
        p = Path(raw)
        if p.is_dir():
            found.extend(sorted(f for f in p.rglob("*") if f.suffix in SUFFIXES and f.is_file()))
        elif p.is_file():
            found.append(p)
        elif p.exists():
            raise ScenarioError([Problem(Loc(str(p), 1, 1), "not a regular file (a device, "
                                         "pipe or socket)", "give a scenario file or a folder")])
        else:
            raise ScenarioError([Problem(Loc(str(p), 1, 1), "no such file or directory",
                                         "give a scenario file or a folder of them")])
    return found


def load_file(path: str | Path, run_vars: set[str] | frozenset[str] = frozenset()) -> Scenario:
    """Load and validate one scenario file; raise ScenarioError listing every problem."""
    file = str(path)
    text = read_source(path)
    data = load_yaml(text, file)
    checker = Checker(text)
    scenario = parse_scenario(data, file, Loc(file, 1, 1), checker, run_vars)
    if checker.problems or scenario is None:
        problems = sorted(checker.problems, key=lambda p: (p.loc.line, p.loc.col))
        raise ScenarioError(problems, {file: text})
    return scenario


def load_paths(paths: list[str | Path],
               run_vars: set[str] | frozenset[str] = frozenset()) -> list[Scenario]:
    """Load every scenario under `paths`; raise one ScenarioError with all files' problems."""
    scenarios: list[Scenario] = []
    problems: list[Problem] = []
    sources: dict[str, str] = {}
    names: dict[str, Scenario] = {}
    for f in discover(paths):
        try:
            s = load_file(f, run_vars)
        except ScenarioError as exc:
            problems.extend(exc.problems)
            sources.update(exc.sources)
            continue
        if s.name in names:
            other = names[s.name]
            problems.append(Problem(s.loc, f"scenario name '{s.name}' is already used",
                                    f"by {other.file}:{other.loc.line}; names must be unique"))
            continue
        names[s.name] = s
        scenarios.append(s)
    if problems:
        raise ScenarioError(problems, sources)
    return scenarios
