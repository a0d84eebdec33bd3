"""Read YAML into plain Python values that remember where each one came from.

Every mapping becomes an `LMap` and every sequence an `LList`; both keep the location
of the node itself and of each key and value inside it, scalars included, so that a
problem with any value can be reported at its exact line and column.
"""

from __future__ import annotations

from typing import Any

import yaml

from ..errors import Loc, Problem, ScenarioError
from .limits import EventGuard


class LMap(dict):
    """A dict that knows where it, each of its keys and each of its values stand."""

    loc: Loc
    key_locs: dict[str, Loc]
    value_locs: dict[str, Loc]

    def loc_of(self, key: str) -> Loc:
        """Location of the value under `key` (or of the mapping itself)."""
        return self.value_locs.get(key, self.loc)


class LList(list):
    """A list that knows where it and each of its items stand."""

    loc: Loc
    item_locs: list[Loc]

    def loc_of(self, index: int) -> Loc:
        """Location of item `index` (or of the list itself)."""
        return self.item_locs[index] if 0 <= index < len(self.item_locs) else self.loc


def _loc(file: str, node: yaml.Node) -> Loc:
    s, e = node.start_mark, node.end_mark
    end_line = e.line + 1 if e.column > 0 else e.line
    return Loc(file, s.line + 1, s.column + 1, max(end_line, s.line + 1))


class _Builder:
    def __init__(self, file: str) -> None:
        self.file = file
        self.scalar = yaml.SafeLoader("")  # only used to resolve scalar values
        self.problems: list[Problem] = []

    def build(self, node: yaml.Node) -> Any:
        if isinstance(node, yaml.MappingNode):
            out = LMap()
            out.loc, out.key_locs, out.value_locs = _loc(self.file, node), {}, {}
            for key_node, value_node in node.value:
                if key_node.tag == "tag:yaml.org,2002:merge":
                    self.problems.append(Problem(_loc(self.file, key_node),
                        "YAML merge keys ('<<') are not supported in scenarios",
                        "write the keys out in full"))
                    continue
                key = self.build(key_node)
                key = key if isinstance(key, str) else str(key)
                if key in out:
                    self.problems.append(Problem(_loc(self.file, key_node),
                        f"duplicate key '{key}'",
                        f"'{key}' is already set at line {out.key_locs[key].line}; keep one"))
                out[key] = self.build(value_node)
                out.key_locs[key] = _loc(self.file, key_node)
                out.value_locs[key] = _loc(self.file, value_node)
            return out
        if isinstance(node, yaml.SequenceNode):
            out_l = LList(self.build(item) for item in node.value)
            out_l.loc = _loc(self.file, node)
            out_l.item_locs = [_loc(self.file, item) for item in node.value]
            return out_l
        try:
            return self.scalar.construct_object(node, deep=True)
        except Exception as exc:  # noqa: BLE001 - only a scalar's text is being converted
            # e.g. an integer with more digits than Python converts, `!!int abc`,
            # `!!bool within` (a KeyError inside PyYAML)
            self.problems.append(Problem(_loc(self.file, node), f"cannot read this value: "
                                         f"{str(exc)[:120]}", "quote it to make it text"))
            return None


class _EventComposer(yaml.composer.Composer, yaml.resolver.Resolver):
    """PyYAML's composer fed from events already parsed and checked by `EventGuard`."""

    def __init__(self, events: list[yaml.Event]) -> None:
        yaml.composer.Composer.__init__(self)
        yaml.resolver.Resolver.__init__(self)
        self._events = events
        self._pos = 0

    def check_event(self, *choices: type) -> bool:
        """Whether the next event is one of `choices` (any, when none are given)."""
        if self._pos >= len(self._events):
            return False
        return not choices or isinstance(self._events[self._pos], choices)

    def peek_event(self) -> yaml.Event:
        """The next event, left in place."""
        return self._events[self._pos]

    def get_event(self) -> yaml.Event:
        """The next event, consumed."""
        self._pos += 1
        return self._events[self._pos - 1]


def _syntax_error(exc: yaml.YAMLError, file: str, text: str) -> ScenarioError:
    if isinstance(exc, yaml.MarkedYAMLError):
        mark = exc.problem_mark or exc.context_mark
        line, col = (mark.line + 1, mark.column + 1) if mark else (1, 1)
        what = exc.problem or "invalid YAML"
        hint = "check the indentation and quoting on this line or the one above"
        if "found character '\\t'" in str(exc):
            hint = "YAML does not allow tabs for indentation; use spaces"
        elif "mapping values are not allowed" in what:
            hint = "a value containing ': ' must be quoted, e.g. text: \"Note: closed\""
        return ScenarioError([Problem(Loc(file, line, col), f"YAML syntax error: {what}", hint)],
                             {file: text})
    mark = getattr(exc, "position", None)
    line, col = (1, 1)
    if isinstance(mark, int):
        line = text.count("\n", 0, mark) + 1
        col = mark - (text.rfind("\n", 0, mark) + 1) + 1
    return ScenarioError([Problem(Loc(file, line, col), f"YAML error: {str(exc)[:200]}")],
                         {file: text})


_FAST_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)  # libyaml: 50x faster


def _events(text: str, file: str, loader: type) -> list[yaml.Event]:
    """Parse into events, each checked as it comes (limits.py), so a bomb stops early."""
    guard = EventGuard(file, text)
    events: list[yaml.Event] = []
    for event in yaml.parse(text, Loader=loader):
        guard.feed(event)
        events.append(event)
    return events


def load_yaml(text: str, file: str) -> Any:
    """Parse one YAML document into LMap/LList/scalars; raise ScenarioError on bad YAML.

    The text is parsed into events first and checked (depth, tags, aliases, documents, see
    limits.py) before any value is built, so no file can cost more than its size.
    """
    try:
        events = _events(text, file, _FAST_LOADER)
    except yaml.YAMLError as fast_error:
        # the pure-Python parser words its errors better; it stops at the same place
        try:
            _events(text, file, yaml.SafeLoader)
        except yaml.YAMLError as exc:
            raise _syntax_error(exc, file, text) from None
        raise _syntax_error(fast_error, file, text) from None
    try:
        node = _EventComposer(events).get_single_node()
    except yaml.YAMLError as exc:
        raise _syntax_error(exc, file, text) from None
    if node is None:
        return None
    builder = _Builder(file)
    value = builder.build(node)
    if builder.problems:
        raise ScenarioError(builder.problems, {file: text})
    return value
