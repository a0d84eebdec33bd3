"""Bounds on the work and memory any scenario file can cost, checked before it is built.

A scenario file is untrusted input (it may come from a pull request). Every check here is
linear in the size of the file and stops at the first limit crossed, so a hostile file
(a billion-laughs alias bomb, a recursive alias, 10,000 nested brackets, a 10 MB line,
binary data) is rejected in milliseconds with `file:line:col` and the limit's name.
"""

from __future__ import annotations

import re
from pathlib import Path

import yaml

from ..errors import Loc, Problem, ScenarioError

MAX_FILE_BYTES = 256 * 1024  # scenario files are a few KB; this leaves room for long ones
MAX_LINE_CHARS = 10_000
MAX_DEPTH = 32  # the format itself needs 7 levels
MAX_VALUES = 100_000  # scalars, mappings and lists, after expanding every alias
MAX_DOCUMENTS = 1
ALLOWED_TAGS = {"!", *(f"tag:yaml.org,2002:{t}" for t in
                       ("str", "int", "float", "bool", "null", "seq", "map"))}

# YAML's printable set (1.1, 5.1): anything else is binary or a control character
_NOT_PRINTABLE = re.compile("[^\x09\x0A\x0D\x20-\x7E\x85\xA0-\uD7FF\uE000-\uFFFD"
                            "\U00010000-\U0010FFFF]")


def _fail(file: str, line: int, col: int, message: str, hint: str = "",
          source: str | None = None) -> ScenarioError:
    return ScenarioError([Problem(Loc(file, line, col), message, hint)],
                         {file: source} if source is not None else None)


def _line_col(text: str, index: int) -> tuple[int, int]:
    line = text.count("\n", 0, index) + 1
    return line, index - (text.rfind("\n", 0, index) + 1) + 1


def read_source(path: str | Path) -> str:
    """The file's text, after checking its size, encoding, characters and line lengths."""
    file = str(path)
    try:
        with open(path, "rb") as fh:
            data = fh.read(MAX_FILE_BYTES + 1)
    except OSError as exc:
        raise _fail(file, 1, 1, f"cannot read the file: {exc.strerror or exc}") from None
    if len(data) > MAX_FILE_BYTES:
        line = data.count(b"\n", 0, MAX_FILE_BYTES) + 1
        raise _fail(file, line, 1, f"the file is larger than {MAX_FILE_BYTES // 1024} KiB, the "
                    "limit for a scenario file (limit: file size)",
                    "split it into several scenario files")
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise _fail(file, 1, 1, "the file is UTF-16 text; scenario files are UTF-8",
                    "save the file as UTF-8")
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        col = exc.start - (data.rfind(b"\n", 0, exc.start) + 1) + 1
        raise _fail(file, line, col, f"the file is not UTF-8 text (byte 0x{data[exc.start]:02x})",
                    "save the file as UTF-8; is it a scenario file at all?") from None
    bad = _NOT_PRINTABLE.search(text)
    if bad:
        line, col = _line_col(text, bad.start())
        raise _fail(file, line, col, f"the file contains the control character "
                    f"U+{ord(bad.group()):04X}; is it a binary file?",
                    "scenario files are plain YAML text")
    for n, line_text in enumerate(text.split("\n"), 1):
        if len(line_text) > MAX_LINE_CHARS:
            raise _fail(file, n, MAX_LINE_CHARS + 1, f"line {n} is {len(line_text)} characters "
                        f"long; the limit is {MAX_LINE_CHARS} (limit: line length)",
                        "use a YAML block scalar (|) over several lines")
    return text


class EventGuard:
    """Fed each parser event in turn; raises at the first limit crossed (depth, documents,
    tags, recursive aliases, alias expansion), so a bomb stops being read there."""

    def __init__(self, file: str, source: str) -> None:
        self.file, self.source = file, source
        self.sizes: dict[str, int] = {}  # anchor -> values it stands for, aliases expanded
        self.heights: dict[str, int] = {}  # anchor -> levels of nesting it brings along
        # open collections: [anchor, values inside so far, height of the deepest child]
        self.stack: list[list] = []
        self.total = self.documents = 0

    def _fail(self, event: yaml.Event, message: str, hint: str) -> ScenarioError:
        mark = event.start_mark
        return _fail(self.file, mark.line + 1, mark.column + 1, message, hint, self.source)

    def feed(self, event: yaml.Event) -> None:
        """Check one event."""
        stack = self.stack
        if isinstance(event, yaml.DocumentStartEvent):
            self.documents += 1
            if self.documents > MAX_DOCUMENTS:
                raise self._fail(event, "a scenario file holds one YAML document; this is "
                                 f"document {self.documents} (limit: {MAX_DOCUMENTS} document)",
                                 "put each scenario in its own file; remove the '---' line")
            return
        tag = getattr(event, "tag", None)
        if tag is not None and tag not in ALLOWED_TAGS:
            shown = tag.replace("tag:yaml.org,2002:", "!!")
            raise self._fail(event, f"unknown YAML tag '{shown}'",
                             "scenario files are plain data: remove the tag (YAML tags such "
                             "as !!python/... are never run)")
        if isinstance(event, yaml.AliasEvent):
            if any(frame[0] == event.anchor for frame in stack):
                raise self._fail(event, f"recursive alias '*{event.anchor}': the value "
                                 "contains itself", "write the value out instead")
            size = self.sizes.get(event.anchor, 1)  # an unknown anchor: the composer says so
            height = self.heights.get(event.anchor, 0)
            if len(stack) + height > MAX_DEPTH:  # aliases nested in aliases go deep too
                raise self._fail(event, f"values are nested more than {MAX_DEPTH} levels deep "
                                 "once aliases are expanded (limit: nesting depth)",
                                 "write the values out instead of using aliases")
            if stack:
                stack[-1][2] = max(stack[-1][2], height)
        elif isinstance(event, (yaml.SequenceStartEvent, yaml.MappingStartEvent)):
            stack.append([event.anchor, 0, 0])
            if len(stack) > MAX_DEPTH:
                raise self._fail(event, f"values are nested more than {MAX_DEPTH} levels "
                                 "deep (limit: nesting depth)",
                                 "a scenario needs only a few levels")
            return
        elif isinstance(event, (yaml.SequenceEndEvent, yaml.MappingEndEvent)):
            anchor, inside, child_height = stack.pop()
            if anchor is not None:
                self.sizes[anchor] = inside + 1
                self.heights[anchor] = child_height + 1
            if stack:
                stack[-1][1] += inside + 1
                stack[-1][2] = max(stack[-1][2], child_height + 1)
            return
        elif isinstance(event, yaml.ScalarEvent):
            size = 1
            if event.anchor is not None:
                self.sizes[event.anchor], self.heights[event.anchor] = 1, 0
        else:
            return
        self.total += size
        if stack:
            stack[-1][1] += size
        if self.total > MAX_VALUES:
            raise self._fail(event, f"the file stands for more than {MAX_VALUES:,} values "
                             "once its aliases are expanded (limit: alias expansion)",
                             "an alias bomb? write the values out instead of using aliases")
