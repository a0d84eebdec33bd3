"""Read YAML into plain Python values that remember where each one came from.

Every mapping becomes an `LMap` and every sequence an `LList`; both keep the location
of the node itself and of each key and value inside it, scalars included, so that a
problem with any value can be reported at its exact line and column.
"""

from __future__ import annotations

from typing import Any

import yaml

from ..errors import Loc, Problem, ScenarioError


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
        return self.scalar.construct_object(node, deep=True)


def load_yaml(text: str, file: str) -> Any:
    """Parse one YAML document into LMap/LList/scalars; raise ScenarioError on bad YAML."""
    try:
        node = yaml.compose(text, Loader=yaml.SafeLoader)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line, col = (mark.line + 1, mark.column + 1) if mark else (1, 1)
        what = exc.problem or "invalid YAML"
        hint = "check the indentation and quoting on this line or the one above"
        if "found character '\\t'" in str(exc):
            hint = "YAML does not allow tabs for indentation; use spaces"
        elif "mapping values are not allowed" in what:
            hint = "a value containing ': ' must be quoted, e.g. text: \"Note: closed\""
        raise ScenarioError([Problem(Loc(file, line, col), f"YAML syntax error: {what}", hint)],
                            {file: text}) from None
    except yaml.YAMLError as exc:
        raise ScenarioError([Problem(Loc(file, 1, 1), f"YAML error: {exc}")], {file: text}) from None
    if node is None:
        return None
    builder = _Builder(file)
    value = builder.build(node)
    if builder.problems:
        raise ScenarioError(builder.problems, {file: text})
    return value
