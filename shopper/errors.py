"""The exceptions shopper raises.

    ShopperError                 base of everything a user can cause
     ├── ScenarioError           one or more problems in scenario files (has .problems)
     ├── UsageError              a bad command-line option or value
     └── RunError                the run could not start (no browser, lab failed, ...)

    StepFailed                   raised by a channel driver when a step's expectation fails;
                                 the runner records it and ends the journey (not a crash)
"""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class Loc:
    """A place in a scenario file: 1-based line and column."""

    file: str
    line: int
    col: int = 1
    end_line: int | None = None

    def __str__(self) -> str:
        return f"{self.file}:{self.line}:{self.col}"


@dataclass
class Problem:
    """One thing wrong with a scenario file, with where it is and what would be right."""

    loc: Loc
    message: str
    hint: str = ""

    def render(self, source: str | list[str] | None = None) -> str:
        """Format as `file:line:col: error: message`, the offending lines and the hint."""
        out = [f"{self.loc}: error: {self.message}"]
        if source is not None:
            lines = source.splitlines() if isinstance(source, str) else source
            last = max(self.loc.line, self.loc.end_line or self.loc.line)
            for n in range(self.loc.line, min(last, self.loc.line + 4) + 1):
                if 1 <= n <= len(lines):
                    text, col = _window(lines[n - 1], self.loc.col if n == self.loc.line else 1)
                    out.append(f"  {n:>4} | {text}")
                    if n == self.loc.line:
                        out.append("       | " + " " * (col - 1) + "^")
        if self.hint:
            out.append(f"  hint: {self.hint}")
        return "\n".join(out)


def _window(line: str, col: int, width: int = 120) -> tuple[str, int]:
    """At most `width` characters of a line around `col` (a 10,000-character line stays
    readable), and where `col` falls in them."""
    if len(line) <= width:
        return line, col
    start = max(0, min(col - 1 - width // 2, len(line) - width))
    text = line[start:start + width]
    return ("…" if start else "") + text + ("…" if start + width < len(line) else ""), \
        col - start + (1 if start else 0)


class ShopperError(Exception):
    """Base of every error a user can cause; the CLI prints it without a traceback."""


class ScenarioError(ShopperError):
    """Scenario files are invalid; `problems` lists every problem found, not just the first."""

    def __init__(self, problems: list[Problem], sources: dict[str, str] | None = None):
        self.problems = problems
        self.sources = sources or {}
        super().__init__(self.render())

    #: problems shown in full; the rest are counted (a broken file can have thousands)
    SHOWN = 50

    def render(self) -> str:
        """All problems, each with its location and source lines."""
        lines = {f: text.splitlines() for f, text in self.sources.items()}
        shown = self.problems[:self.SHOWN]
        parts = [p.render(lines.get(p.loc.file)) for p in shown]
        n = len(self.problems)
        if n > len(shown):
            parts.append(f"... and {n - len(shown)} more problems not shown.")
        parts.append(f"{n} problem{'s' if n != 1 else ''} found.")
        return "\n\n".join(parts)


class UsageError(ShopperError):
    """A command-line option or value is wrong."""


class RunError(ShopperError):
    """The run could not start or go on (no browser found, lab failed to start, ...)."""


@dataclass
class StepFailed(Exception):
    """A step could not do what it says (expectation false, element missing, timeout)."""

    message: str
    reason: str = "expectation"  # expectation | missing | timeout | http | widget | call
    details: dict = field(default_factory=dict)

    def __str__(self) -> str:
        return self.message
