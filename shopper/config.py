"""The config file: run options from `[tool.shopper]` in pyproject.toml or a shopper.toml.

Precedence: command line > environment (SHOPPER_<OPTION>) > config file > built-in defaults.
The options a file may set are the run options of the command line itself (their argparse
`dest`), so a new option is configurable the day it is added; unknown keys are errors with
file:line and a did-you-mean, like scenario errors.
"""

from __future__ import annotations

import argparse
import difflib
import os
import re
import tomllib
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from .errors import UsageError

FILES = ("shopper.toml", "pyproject.toml")
#: options that make no sense in a file (what to run is not configuration)
NOT_CONFIGURABLE = {"paths", "command", "config", "help"}


@dataclass
class Source:
    """Where a configuration file's table is and the line of each of its keys."""

    path: Path
    table: dict[str, Any]
    lines: dict[str, int]

    def where(self, key: str) -> str:
        """`file:line` of a key (the table's own line when unknown)."""
        return f"{self.path}:{self.lines.get(key, self.lines.get('', 1))}"


def _key_lines(text: str, table: str) -> dict[str, int]:
    """Line of each top-level key of `[table]` (and of `[table.sub]` headers)."""
    lines: dict[str, int] = {}
    current = None
    for n, raw in enumerate(text.splitlines(), 1):
        line = raw.strip()
        header = re.match(r"^\[([^\[\]]+)\]", line)
        if header:
            name = header.group(1).strip().replace('"', "")
            current = name
            if name == table:
                lines[""] = n
            elif name.startswith(table + "."):
                lines.setdefault(name[len(table) + 1:].split(".")[0], n)
            continue
        key = re.match(r"^([A-Za-z0-9_-]+)\s*=", line)
        if key and current == table:
            lines.setdefault(key.group(1), n)
    return lines


def find_file(start: Path | None = None, explicit: str | None = None) -> Source | None:
    """The config to use: `explicit`, else SHOPPER_CONFIG, else the nearest shopper.toml or
    pyproject.toml with [tool.shopper] from `start` upwards."""
    explicit = explicit or os.environ.get("SHOPPER_CONFIG")
    if explicit:
        path = Path(explicit)
        if not path.is_file():
            raise UsageError(f"config file {path} does not exist")
        return _read(path, required=True)
    here = (start or Path.cwd()).resolve()
    for folder in [here, *here.parents]:
        for name in FILES:
            if (folder / name).is_file():
                found = _read(folder / name, required=False)
                if found is not None:
                    return found
    return None


def _read(path: Path, required: bool) -> Source | None:
    text = path.read_text(encoding="utf-8")
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise UsageError(f"{path}: not valid TOML: {exc}") from None
    if path.name == "pyproject.toml":
        table = data.get("tool", {}).get("shopper")
        if table is None:
            if required:
                raise UsageError(f"{path} has no [tool.shopper] table")
            return None
        return Source(path, table, _key_lines(text, "tool.shopper"))
    table = data.get("tool", {}).get("shopper", data)  # a shopper.toml may nest it or not
    return Source(path, table, _key_lines(text, "tool.shopper" if table is not data else ""))


def options(parser: argparse.ArgumentParser) -> dict[str, argparse.Action]:
    """The configurable options of a command's parser, by name as written in files."""
    return {a.dest: a for a in parser._actions  # argparse keeps no public list
            if a.dest not in NOT_CONFIGURABLE and a.option_strings}


def _convert(action: argparse.Action, value: Any, where: str, from_env: bool = False) -> Any:
    """A file or environment value as the parsed command line would hold it."""
    name = action.dest
    if isinstance(action, (argparse._StoreTrueAction, argparse._StoreFalseAction)):
        if from_env:
            if value.lower() not in ("1", "true", "yes", "0", "false", "no", ""):
                raise UsageError(f"{where}: {name} must be true or false, not {value!r}")
            return value.lower() in ("1", "true", "yes")
        if not isinstance(value, bool):
            raise UsageError(f"{where}: {name} must be true or false, not {value!r}")
        return value
    if isinstance(action, argparse._CountAction):
        try:
            return int(value) if not isinstance(value, bool) else int(value)
        except (TypeError, ValueError):
            raise UsageError(f"{where}: {name} must be a number") from None
    if isinstance(action, argparse._AppendAction):
        if name == "var" and isinstance(value, dict):
            return [f"{k}={v}" for k, v in value.items()]
        if from_env:
            value = [v.strip() for v in value.split(",") if v.strip()]
        if isinstance(value, str):
            value = [value]
        if not isinstance(value, list) or not all(isinstance(v, (str, int, float)) for v in value):
            raise UsageError(f"{where}: {name} must be a list of strings")
        return [_convert_one(action, v, where) for v in value]
    return _convert_one(action, value, where)


def _convert_one(action: argparse.Action, value: Any, where: str) -> Any:
    name = action.dest
    if isinstance(value, (dict, list)):
        raise UsageError(f"{where}: {name} must be a single value")
    kind = action.type if callable(action.type) else str
    raw = value
    try:
        value = kind(value) if not (kind is float and isinstance(value, bool)) else None
    except argparse.ArgumentTypeError as exc:  # the CLI's own checks (positive, finite ...)
        raise UsageError(f"{where}: {name} {exc}") from None
    except (TypeError, ValueError):
        value = None
    if value is None:
        what = {int: "a whole number", float: "a number"}.get(kind, "a text value")  # type: ignore[call-overload]
        raise UsageError(f"{where}: {name} must be {what}, not {raw!r}")
    if action.choices and value not in action.choices:
        raise UsageError(f"{where}: {name} must be one of {', '.join(map(str, action.choices))}, "
                         f"not {value!r}")
    return value


def resolve(parser: argparse.ArgumentParser, args: argparse.Namespace, explicit: set[str],
            source: Source | None, env: dict[str, str] | None = None) -> dict[str, tuple[Any, str]]:
    """Fill `args` by precedence; return name -> (value, where it came from)."""
    env = dict(os.environ if env is None else env)
    known = options(parser)
    if source is not None:
        for key in source.table:
            name = key.replace("-", "_")
            if name not in known:
                close = difflib.get_close_matches(name, list(known), n=1)
                hint = f"; did you mean '{close[0]}'?" if close else \
                    f"; known keys: {', '.join(sorted(known))}"
                raise UsageError(f"{source.where(key)}: unknown key '{key}' in the shopper "
                                 f"configuration{hint}")
    effective: dict[str, tuple[Any, str]] = {}
    for name, action in known.items():
        env_name = f"SHOPPER_{name.upper()}"
        file_key = next((k for k in (source.table if source else {}) if k.replace("-", "_") == name), None)
        if name in explicit:
            effective[name] = (getattr(args, name), "command line")
        elif env.get(env_name, "") != "":
            value = _convert(action, env[env_name], f"environment {env_name}", from_env=True)
            setattr(args, name, value)
            effective[name] = (value, f"environment {env_name}")
        elif source is not None and file_key is not None:
            value = _convert(action, source.table[file_key], source.where(file_key))
            setattr(args, name, value)
            effective[name] = (value, source.where(file_key))
        else:
            effective[name] = (getattr(args, name, action.default), "default")
    return effective


def explicit_options(parser: argparse.ArgumentParser, argv: list[str]) -> set[str]:
    """The options given on the command line itself: `argv` (the command's own arguments)
    parsed again by the command's parser with every default suppressed."""
    saved = [(a, a.default, a.required) for a in parser._actions]
    try:
        for a, _, _ in saved:
            a.default, a.required = argparse.SUPPRESS, False
        ns, _ = parser.parse_known_args(argv)
    finally:
        for a, default, required in saved:
            a.default, a.required = default, required
    return set(vars(ns))


def subparser(parser: argparse.ArgumentParser, command: str) -> argparse.ArgumentParser:
    """The parser of one command (`run`, `demo`...)."""
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            return action.choices[command]
    raise KeyError(command)


def configure(parser: argparse.ArgumentParser, argv: list[str], args: argparse.Namespace,
              start: Path | None = None) -> tuple[dict[str, tuple[Any, str]], Source | None]:
    """Apply the config file and environment to parsed `args` of a run command."""
    command = subparser(parser, args.command)
    rest = argv[argv.index(args.command) + 1:] if args.command in argv else argv
    source = find_file(start, getattr(args, "config", None))
    return resolve(command, args, explicit_options(command, rest), source), source


def render(effective: dict[str, tuple[Any, str]], source: Source | None) -> str:
    """`shopper config`: each option, its value and where it came from."""
    head = f"# configuration file: {source.path}" if source else "# no configuration file found"
    width = max(map(len, effective), default=0)
    rows = [f"{k:<{width}} = {_show(k, v)!s:<24} # {where}" for k, (v, where) in sorted(effective.items())]
    return "\n".join([head, *rows])


def _show(name: str, value: Any) -> Any:
    if name == "notify" and value:
        return re.sub(r"(//[^/]+/).+", r"\1…", str(value))  # a webhook URL is a credential
    if name == "var" and value:
        return [v.split("=", 1)[0] + "=…" for v in value]
    return value
