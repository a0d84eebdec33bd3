"""Check values read from YAML against `Field`s, collecting every problem found."""

from __future__ import annotations

import difflib
import re
from typing import Any

from ..errors import Loc, Problem
from .loader import LList, LMap
from .spec import Field

_DURATION = re.compile(r"^\s*(?:(\d+(?:\.\d+)?)\s*(ms|h|m|s|min|sec)\s*)+$")
_PART = re.compile(r"(\d+(?:\.\d+)?)\s*(ms|h|min|m|sec|s)")
_UNIT = {"ms": 0.001, "s": 1.0, "sec": 1.0, "m": 60.0, "min": 60.0, "h": 3600.0}


def parse_duration(value: Any) -> float | None:
    """Seconds from a number or text like '1m30s'; None when it is not a duration."""
    if isinstance(value, bool):
        return None
    if isinstance(value, (int, float)):
        return float(value) if value >= 0 else None
    if isinstance(value, str) and _DURATION.match(value):
        return sum(float(n) * _UNIT[u] for n, u in _PART.findall(value))
    return None


def did_you_mean(word: str, options: list[str] | tuple[str, ...]) -> str:
    """A 'Did you mean ...?' hint, or a list of what is allowed."""
    close = difflib.get_close_matches(str(word), list(options), n=1, cutoff=0.6)
    if close:
        return f"did you mean '{close[0]}'?"
    return "allowed: " + ", ".join(sorted(options))


def _type_name(value: Any) -> str:
    if value is None:
        return "nothing"
    if isinstance(value, bool):
        return f"a true/false value ({str(value).lower()})"
    if isinstance(value, (int, float)):
        return f"a number ({value})"
    if isinstance(value, str):
        return f"text ('{value[:40]}')"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, dict):
        return "a mapping"
    return type(value).__name__


class Checker:
    """Collects problems while turning located YAML values into checked Python values."""

    def __init__(self, source: str = "") -> None:
        self.problems: list[Problem] = []
        self.lines = source.splitlines()

    def column_of(self, loc: Loc, needle: str) -> Loc:
        """`loc` moved to where `needle` stands on its line, when it can be found there."""
        if 1 <= loc.line <= len(self.lines):
            col = self.lines[loc.line - 1].find(needle, loc.col - 1)
            if col >= 0:
                return Loc(loc.file, loc.line, col + 1, loc.end_line)
        return loc

    def error(self, loc: Loc, message: str, hint: str = "") -> None:
        """Record one problem."""
        self.problems.append(Problem(loc, message, hint))

    def value(self, f: Field, value: Any, loc: Loc, what: str) -> Any:
        """Check `value` against `f`; return the converted value or None after an error."""
        t = f.type
        if t == "str":
            if isinstance(value, str):
                return value
            if isinstance(value, (int, float)) and not isinstance(value, bool):
                return str(value)
            return self._wrong(loc, what, "text", value)
        if t == "int":
            if isinstance(value, int) and not isinstance(value, bool):
                return value
            return self._wrong(loc, what, "a whole number", value)
        if t == "number":
            if isinstance(value, (int, float)) and not isinstance(value, bool):
                return float(value)
            return self._wrong(loc, what, "a number", value)
        if t == "bool":
            if isinstance(value, bool):
                return value
            return self._wrong(loc, what, "true or false", value)
        if t == "duration":
            seconds = parse_duration(value)
            if seconds is None:
                self.error(loc, f"{what}: '{value}' is not a duration",
                           "write a number of seconds or text like 500ms, 30s, 2m, 1m30s")
            return seconds
        if t == "strings":
            if isinstance(value, (str, int, float)) and not isinstance(value, bool):
                return (str(value),)
            if isinstance(value, list) and value and all(
                    isinstance(v, (str, int, float)) and not isinstance(v, bool) for v in value):
                return tuple(str(v) for v in value)
            return self._wrong(loc, what, "a text or a list of texts", value)
        if t == "regex":
            if not isinstance(value, str):
                return self._wrong(loc, what, "a regular expression (text)", value)
            try:
                re.compile(value)
            except re.error as exc:
                self.error(loc, f"{what}: invalid regular expression: {exc}",
                           "escape special characters such as ( ) [ ] . ? with a backslash")
                return None
            return value
        if t == "choice":
            if isinstance(value, str) and value in f.choices:
                return value
            self.error(loc, f"{what}: '{value}' is not one of {', '.join(f.choices)}",
                       did_you_mean(str(value), f.choices))
            return None
        if t == "map":
            if not isinstance(value, dict):
                return self._wrong(loc, what, "a mapping of names to values", value)
            out: dict[str, Any] = {}
            for k, v in value.items():
                vloc = value.loc_of(k) if isinstance(value, LMap) else loc
                if isinstance(v, (dict, list)):
                    self.error(vloc, f"{what}.{k}: expected a single value, found {_type_name(v)}")
                    continue
                out[k] = "" if v is None else (str(v).lower() if isinstance(v, bool) else str(v))
            return out
        if t == "list":
            if not isinstance(value, list):
                return self._wrong(loc, what, "a list", value)
            assert f.item is not None
            return [self.value(f.item, v, value.loc_of(i) if isinstance(value, LList) else loc,
                               f"{what}[{i + 1}]") for i, v in enumerate(value)]
        if t == "object":
            return self.object(f, value, loc, what)
        raise AssertionError(f"unknown field type {t}")

    def object(self, f: Field, value: Any, loc: Loc, what: str,
               extra: dict[str, Field] | None = None) -> dict[str, Any] | None:
        """Check a mapping (or a scalar filling the shorthand) against f.fields."""
        fields = dict(f.fields)
        if extra:
            fields.update(extra)
        if value is None and not any(x.required for x in f.fields.values()) and not f.one_of:
            return {}
        if not isinstance(value, dict):
            if f.shorthand and not isinstance(value, list):
                value_map = {f.shorthand: value}
                return self._fields(f, fields, value_map, {f.shorthand: loc}, loc, what)
            expected = "a mapping" + (f" or a text for '{f.shorthand}'" if f.shorthand else "")
            return self._wrong(loc, what, expected, value)
        locs = {k: value.loc_of(k) for k in value} if isinstance(value, LMap) else {}
        key_locs = value.key_locs if isinstance(value, LMap) else {}
        for key in value:
            if key not in fields:
                self.error(key_locs.get(key, loc), f"{what}: unknown key '{key}'",
                           did_you_mean(key, list(fields)))
        return self._fields(f, fields, value, locs, loc, what)

    def _fields(self, f: Field, fields: dict[str, Field], value: dict, locs: dict[str, Loc],
                loc: Loc, what: str) -> dict[str, Any]:
        out: dict[str, Any] = {}
        for name, sub in fields.items():
            if name in value:
                out[name] = self.value(sub, value[name], locs.get(name, loc), f"{what}.{name}")
            elif sub.required:
                self.error(loc, f"{what}: missing required key '{name}'", sub.doc)
            elif sub.default is not None:
                out[name] = sub.default
        if f.one_of:
            given = [k for k in f.one_of if k in value]
            if len(given) != 1:
                choices = ", ".join(f.one_of)
                msg = (f"{what}: give one of {choices}" if not given
                       else f"{what}: give only one of {', '.join(given)}")
                self.error(loc, msg, f"e.g. {f.one_of[0]}: ...")
        return out

    def _wrong(self, loc: Loc, what: str, expected: str, value: Any) -> None:
        self.error(loc, f"{what}: expected {expected}, found {_type_name(value)}")
        return None
