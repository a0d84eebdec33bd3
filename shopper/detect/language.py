"""Language packs: the wording cues of one language, as data, loaded once and compiled.

A pack is `detect/lang/<code>.yaml`. Each cue family (hold, transfer, offline, ...) is a
list of regular expressions (case-insensitive; `(?-i:...)` where case matters) that code
reads through `pack(code).cue(family)`; a family with sub-families (`other_channel.phone`)
is a mapping of lists. `{name}` in a pattern is replaced by the pack's `fragments` entry
of that name, so shared grammar (a key on the keypad) is written once.

Users extend or override a pack with the same shape (a `shopper-language.yaml` next to
their scenarios, or a scenario's `language:` block):

    language: de
    cues:
      hold: ["bitte warten Sie"]          # a list adds phrases to the family
      offline: {replace: ["wir sind zu"]}  # replace a family; `remove:` drops entries

Code that judges reads cues through handles (`cue("hold")`) that resolve against the pack
active for the journey being judged (`using(pack)`), so one module constant serves every
language and the driver and the detector share one definition.
"""

from __future__ import annotations

import contextlib
import contextvars
import json
import re
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any, Iterator, Mapping

import yaml

from .rules import DEFAULT, LanguageError, merge_cues, merge_rules, read_rules_file, rules_of

PACK_DIR = Path(__file__).resolve().parent / "lang"
#: The user's rules file, looked for next to the scenarios.
USER_FILE = "shopper-language.yaml"
__all__ = ["Cue", "CueRef", "LanguageError", "Pack", "USER_FILE", "active", "activate",
           "available", "cue", "group", "merge_rules", "pack", "read_rules_file", "rules_of",
           "topics", "using", "words"]
_NEVER = re.compile(r"(?!)")
_FRAGMENT = re.compile(r"\{(\w+)\}")


class Cue:
    """One compiled cue family: `search`, `match`, `finditer`, `findall` like a pattern."""

    def __init__(self, family: str, patterns: list[str]) -> None:
        self.family = family
        self.patterns = tuple(patterns)
        self._each: list[re.Pattern[str]] = []
        try:
            self._one = re.compile("|".join(f"(?:{p})" for p in patterns), re.I) if patterns else _NEVER
        except re.error:
            # named groups repeated across alternatives cannot share one pattern
            self._one = None
            try:
                self._each = [re.compile(p, re.I) for p in patterns]
            except re.error as exc:
                raise LanguageError(f"cue '{family}': bad pattern {exc.pattern!r}: {exc}") from exc

    def search(self, text: str) -> re.Match[str] | None:
        """The earliest match in `text`."""
        if self._one is not None:
            return self._one.search(text)
        found = [m for m in (p.search(text) for p in self._each) if m]
        return min(found, key=lambda m: m.start()) if found else None

    def match(self, text: str) -> re.Match[str] | None:
        """A match at the start of `text`."""
        if self._one is not None:
            return self._one.match(text)
        return next((m for m in (p.match(text) for p in self._each) if m), None)

    def fullmatch(self, text: str) -> re.Match[str] | None:
        """A match of the whole of `text`."""
        if self._one is not None:
            return self._one.fullmatch(text)
        return next((m for m in (p.fullmatch(text) for p in self._each) if m), None)

    def finditer(self, text: str) -> Iterator[re.Match[str]]:
        """Every match in `text`, in order."""
        if self._one is not None:
            return self._one.finditer(text)
        return iter(sorted((m for p in self._each for m in p.finditer(text)), key=lambda m: m.start()))

    def findall(self, text: str) -> list[Any]:
        """Like `re.findall` over the family."""
        if self._one is not None:
            return self._one.findall(text)
        return [x for p in self._each for x in p.findall(text)]

    def split(self, text: str) -> list[str]:
        """`text` split at every match (a single-pattern family)."""
        return (self._one or self._each[0]).split(text)

    def sub(self, repl: str, text: str) -> str:
        """`text` with every match replaced by `repl`."""
        if self._one is not None:
            return self._one.sub(repl, text)
        for p in self._each:
            text = p.sub(repl, text)
        return text

    def __bool__(self) -> bool:
        return bool(self.patterns)


@dataclass
class Pack:
    """The wording of one language (plus any user rules merged in)."""

    code: str
    name: str
    cues: dict[str, Any]
    fragments: dict[str, str] = field(default_factory=dict)
    words: dict[str, Any] = field(default_factory=dict)
    _compiled: dict[str, Cue] = field(default_factory=dict, repr=False)
    _topics: dict[str, tuple[Cue, Cue]] | None = field(default=None, repr=False)

    def _expand(self, pattern: str) -> str:
        for _ in range(5):  # fragments may use fragments
            new = _FRAGMENT.sub(lambda m: self.fragments.get(m.group(1), m.group(0)), pattern)
            if new == pattern:
                break
            pattern = new
        return pattern

    def cue(self, family: str) -> Cue:
        """The compiled patterns of `family` ('hold', 'other_channel.phone')."""
        found = self._compiled.get(family)
        if found is None:
            raw: Any = self.cues
            for part in family.split("."):
                raw = raw.get(part) if isinstance(raw, dict) else None
            if raw is None:
                raise LanguageError(f"the {self.code} language pack has no cue '{family}'")
            if isinstance(raw, dict):
                raise LanguageError(f"cue '{family}' has sub-families: {', '.join(raw)}")
            found = self._compiled[family] = Cue(family, [self._expand(p) for p in raw])
        return found

    def group(self, family: str) -> dict[str, Cue]:
        """Sub-family name -> compiled cue, in the pack's order (`other_channel`)."""
        raw = self.cues.get(family)
        if not isinstance(raw, dict):
            raise LanguageError(f"cue '{family}' has no sub-families")
        return {name: self.cue(f"{family}.{name}") for name in raw}

    def topics(self) -> dict[str, tuple[Cue, Cue]]:
        """Data topic -> (how a company asks for it, what an answer looks like)."""
        if self._topics is None:
            self._topics = {name: (self.cue(f"topics.{name}.asks"), self.cue(f"topics.{name}.answer"))
                            for name in self.cues.get("topics", {})}
        return self._topics

    def word(self, name: str) -> Any:
        """A plain word list or mapping of the pack (number words on a keypad)."""
        return self.words.get(name, {})

    def families(self) -> list[str]:
        """Every cue family name, sub-families dotted."""
        out: list[str] = []

        def walk(prefix: str, node: Any) -> None:
            for k, v in node.items():
                if isinstance(v, dict):
                    walk(f"{prefix}{k}.", v)
                else:
                    out.append(prefix + k)
        walk("", self.cues)
        return out


def available() -> list[str]:
    """The language codes shipped in the package."""
    return sorted(p.stem for p in PACK_DIR.glob("*.yaml"))


@lru_cache(maxsize=None)
def _base(code: str) -> dict[str, Any]:
    path = PACK_DIR / f"{code}.yaml"
    if not path.is_file():
        raise LanguageError(f"no language pack '{code}' (shipped: {', '.join(available())})")
    with open(path, encoding="utf-8") as f:  # libyaml when present: read at every start
        return yaml.load(f, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))


@lru_cache(maxsize=64)
def _pack(code: str, rules_json: str) -> Pack:
    base = _base(code)
    cues = base.get("cues") or {}
    rules = json.loads(rules_json)
    if rules:
        cues = merge_cues(cues, rules, "language rules")
    return Pack(code, base.get("name", code), cues, dict(base.get("fragments") or {}),
                dict(base.get("words") or {}))


def pack(code: str | None = None, rules: Mapping[str, Any] | None = None) -> Pack:
    """The pack of `code` (default en) with the user's cue `rules` merged in; cached."""
    return _pack(code or DEFAULT, json.dumps(rules or {}, sort_keys=True))


# --- the pack of the journey being judged ------------------------------------------------

_ACTIVE: contextvars.ContextVar[Pack | None] = contextvars.ContextVar("shopper_pack", default=None)


def active() -> Pack:
    """The pack of the journey being judged or driven (the default pack outside one)."""
    return _ACTIVE.get() or pack(DEFAULT)


@contextlib.contextmanager
def using(p: Pack) -> Iterator[Pack]:
    """Judge (or drive) with `p` inside the block."""
    token = _ACTIVE.set(p)
    try:
        yield p
    finally:
        _ACTIVE.reset(token)


def activate(p: Pack) -> None:
    """Make `p` the pack of the current task (a journey's task, for its driver)."""
    _ACTIVE.set(p)


class CueRef:
    """A module-level handle on a cue family of whichever pack is active."""

    def __init__(self, family: str) -> None:
        self.family = family

    def get(self) -> Cue:
        """The compiled family in the active pack."""
        return active().cue(self.family)

    def search(self, text: str) -> re.Match[str] | None:
        """The earliest match in `text`."""
        return self.get().search(text)

    def match(self, text: str) -> re.Match[str] | None:
        """A match at the start of `text`."""
        return self.get().match(text)

    def fullmatch(self, text: str) -> re.Match[str] | None:
        """A match of the whole of `text`."""
        return self.get().fullmatch(text)

    def finditer(self, text: str) -> Iterator[re.Match[str]]:
        """Every match in `text`."""
        return self.get().finditer(text)

    def findall(self, text: str) -> list[Any]:
        """Like `re.findall`."""
        return self.get().findall(text)

    def split(self, text: str) -> list[str]:
        """`text` split at every match."""
        return self.get().split(text)

    def sub(self, repl: str, text: str) -> str:
        """`text` with every match replaced."""
        return self.get().sub(repl, text)

    def __repr__(self) -> str:
        return f"<cue {self.family}>"


class WordsRef(Mapping[str, Any]):
    """A module-level handle on a word mapping of the active pack (keypad number words)."""

    def __init__(self, name: str) -> None:
        self.name = name

    def __getitem__(self, key: str) -> Any:
        return active().word(self.name)[key]

    def __iter__(self) -> Iterator[str]:
        return iter(active().word(self.name))

    def __len__(self) -> int:
        return len(active().word(self.name))

    def __contains__(self, key: object) -> bool:
        # a word list (not_names) as well as a mapping (keys)
        return key in active().word(self.name)


def words(name: str) -> WordsRef:
    """A handle on the word mapping `name` of the active pack."""
    return WordsRef(name)


def cue(family: str) -> CueRef:
    """A handle on `family` in the active pack, for module constants (`HOLD = cue("hold")`)."""
    return CueRef(family)


def group(family: str) -> dict[str, Cue]:
    """Sub-family -> cue in the active pack."""
    return active().group(family)


def topics() -> dict[str, tuple[Cue, Cue]]:
    """Data topics of the active pack."""
    return active().topics()


class LazyCues:
    """(name, cue) pairs of a family's sub-families in the active pack, for iteration."""

    def __init__(self, family: str, exclude: tuple[str, ...] = ()) -> None:
        self.family, self.exclude = family, exclude

    def __iter__(self) -> Iterator[tuple[str, Cue]]:
        return iter([(k, v) for k, v in group(self.family).items() if k not in self.exclude])
