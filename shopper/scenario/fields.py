"""Check values read from YAML against `Field`s, collecting every problem found."""

from __future__ import annotations

import difflib
import math
import re
from typing import Any

from ..errors import Loc, Problem
from . import forms
from .loader import LList, LMap
from .spec import Field

MAX_INT = 1_000_000
MAX_SECONDS = 7 * 24 * 3600.0
MAX_REGEX = 1000  # patterns match a few words of a message, not whole pages  # a week: longer is a typo, and timers overflow further out

_DURATION = re.compile(r"^\s*(?:(\d+(?:\.\d+)?)\s*(ms|h|m|s|min|sec)\s*)+$")
_PART = re.compile(r"(\d+(?:\.\d+)?)\s*(ms|h|min|m|sec|s)")
_NAME = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")
_UNIT = {"ms": 0.001, "s": 1.0, "sec": 1.0, "m": 60.0, "min": 60.0, "h": 3600.0}


def parse_duration(value: Any) -> float | None:
    """Seconds from a number or text like '1m30s'; None when it is not a duration."""
    if isinstance(value, bool):
        return None
    if isinstance(value, (int, float)):
        return float(value) if math.isfinite(value) and value >= 0 else None
    if isinstance(value, str) and _DURATION.match(value):
        seconds = sum(float(n) * _UNIT[u] for n, u in _PART.findall(value))
        return seconds if math.isfinite(seconds) else None
    return None


def _show(value: Any, width: int = 60) -> str:
    text = str(value)
    return text if len(text) <= width else text[:width] + "…"


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
            if isinstance(value, (int, float)) and not isinstance(value, bool):
                value = str(value)
            if not isinstance(value, str):
                return self._wrong(loc, what, "text", value)
            return self._form(f, value, loc, what)
        if t == "int":
            if not isinstance(value, int) or isinstance(value, bool):
                return self._wrong(loc, what, "a whole number", value)
            low = 0 if f.minimum is None else f.minimum
            if not low <= value <= MAX_INT:
                what_low = "counting from 1" if low == 1 else f"{low} or more"
                self.error(loc, f"{what}: {_show(value)} is out of range ({what_low}, at most "
                           f"{MAX_INT:,})", f"write a whole number from {low} to {MAX_INT:,}")
                return None
            return value
        if t == "number":
            if isinstance(value, (int, float)) and not isinstance(value, bool):
                if math.isfinite(value):
                    return float(value)
                self.error(loc, f"{what}: {value} is not a finite number")
                return None
            return self._wrong(loc, what, "a number", value)
        if t == "bool":
            if isinstance(value, bool):
                return value
            return self._wrong(loc, what, "true or false", value)
        if t == "duration":
            return self._duration(value, loc, what)
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
            if len(value) > MAX_REGEX:
                self.error(loc, f"{what}: the pattern is {len(value)} characters long; the "
                           f"limit is {MAX_REGEX}", "match a shorter, telling part of the text")
                return None
            try:
                re.compile(value)
            except (re.error, OverflowError, RecursionError) as exc:
                # OverflowError: a{99999999999}; RecursionError: thousands of nested groups
                self.error(loc, f"{what}: invalid regular expression: {_show(exc, 120)}",
                           "escape special characters such as ( ) [ ] . ? with a backslash")
                return None
            return value
        if t == "choice":
            if isinstance(value, str) and value in f.choices:
                return value
            self.error(loc, f"{what}: '{_show(value)}' is not one of {', '.join(f.choices)}",
                       did_you_mean(str(value), f.choices))
            return None
        if t == "map":
            if not isinstance(value, dict):
                return self._wrong(loc, what, "a mapping of names to values", value)
            out: dict[str, Any] = {}
            for k, v in value.items():
                vloc = value.loc_of(k) if isinstance(value, LMap) else loc
                if not _NAME.match(k):
                    kloc = value.key_locs.get(k, loc) if isinstance(value, LMap) else loc
                    self.error(kloc, f"{what}: '{_show(k)}' cannot be used as a variable name",
                               "names are letters, digits and _ (not starting with a digit), "
                               "e.g. order_number")
                    continue
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

    def _duration(self, value: Any, loc: Loc, what: str) -> float | None:
        hint = "write a number of seconds or text like 500ms, 30s, 2m, 1m30s"
        seconds = parse_duration(value)
        if seconds is None:
            negative = isinstance(value, (int, float)) and not isinstance(value, bool) \
                and value < 0
            if negative or (isinstance(value, str) and value.strip().startswith("-")):
                self.error(loc, f"{what}: '{_show(value)}' is negative; a duration is more "
                           "than 0", hint)
            elif isinstance(value, float) and not math.isfinite(value):
                self.error(loc, f"{what}: '{value}' is not a finite duration", hint)
            else:
                self.error(loc, f"{what}: '{_show(value)}' is not a duration", hint)
            return None
        if seconds <= 0:
            self.error(loc, f"{what}: '{_show(value)}' is no time at all; a duration is more "
                       "than 0", "e.g. 500ms or 1s")
            return None
        if seconds > MAX_SECONDS:
            self.error(loc, f"{what}: '{_show(value)}' is longer than a week (the limit for a "
                       "duration)", hint)
            return None
        return seconds

    def _form(self, f: Field, value: str, loc: Loc, what: str) -> str | None:
        check = forms.CHECKS.get(f.form or "")
        problem = check(value) if check else None
        if problem:
            self.error(loc, f"{what}: '{_show(value)}': {problem.split('; ')[0]}",
                       "; ".join(problem.split("; ")[1:]))
            return None
        return value

    def _wrong(self, loc: Loc, what: str, expected: str, value: Any) -> None:
        self.error(loc, f"{what}: expected {expected}, found {_type_name(value)}")
        return None
