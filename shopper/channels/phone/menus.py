"""Reading IVR menus ("for returns, press 2") and choosing the option closest to a goal."""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass

from ...detect.language import CueRef, cue, words

#: The menu grammar of the journey's language pack (detect/lang/<code>.yaml: menu.*).
KEY_WORDS = words("keys")
FOR_PRESS = cue("menu.for_press")
PRESS_FOR = cue("menu.press_for")
LABEL_PRESS = cue("menu.label_press")
SAY = cue("menu.say")
SAY_OR = cue("menu.say_or")
ARTICLE = cue("menu.article")
OPEN_QUESTION = cue("menu.open_question")

SYNONYMS: dict[str, tuple[str, ...]] = {
    "return": ("refund", "send back", "exchange", "returns"),
    "order": ("delivery", "track", "tracking", "shipping", "parcel", "package", "orders"),
    "bill": ("billing", "payment", "charge", "invoice", "account"),
    "operator": ("representative", "agent", "person", "human", "someone", "advisor",
                 "associate", "customer service", "speak to"),
    "warranty": ("repair", "guarantee", "broken", "faulty"),
}
OPERATOR_TERMS = ("operator", "representative", "agent", "person", "human", "someone",
                  "associate", "advisor", "customer service")


@dataclass(frozen=True)
class Option:
    """One choice a menu offers: what it is for, and how to take it (key or phrase)."""

    label: str
    key: str | None = None
    phrase: str | None = None

    def how(self) -> str:
        """`press 2` or `say "returns"`."""
        return f"press {self.key}" if self.key else f'say "{self.phrase}"'


def _key(raw: str) -> str:
    raw = raw.lower()
    return KEY_WORDS.get(raw, raw)


def _clean(label: str) -> str:
    label = ARTICLE.sub("", label.strip(" ,"))
    return re.sub(r"\s+", " ", label)


def _spans(pattern: CueRef, text: str) -> list[tuple[int, int, Option]]:
    return [(m.start(), m.end(), Option(_clean(m.group("label")), key=_key(m.group("key"))))
            for m in pattern.finditer(text)]


def parse_menu(text: str) -> list[Option]:
    """The options a prompt offers, in the order it offers them, one per key or phrase."""
    # "For X, press 1, for Y press 2" and "Press 1 for X, press 2 for Y" overlap when read
    # the other way round; the wording style that explains more of the prompt wins.
    styles = sorted((_spans(FOR_PRESS, text), _spans(PRESS_FOR, text)), key=len, reverse=True)
    chosen: list[tuple[int, int, Option]] = []
    for candidates in (*styles, _spans(LABEL_PRESS, text)):
        for start, end, opt in candidates:
            overlaps = any(start < e and s < end for s, e, _ in chosen)
            if not overlaps and all(o.key != opt.key for _, _, o in chosen):
                chosen.append((start, end, opt))
    found = [(start, opt) for start, _, opt in chosen]
    for m in SAY.finditer(text):
        for word in SAY_OR.split(m.group("words")):
            word = _clean(word)
            if word and len(word.split()) <= 4:
                found.append((m.start(), Option(word, phrase=word)))
    return [opt for _, opt in sorted(found, key=lambda item: item[0])]


def _stem(word: str) -> str:
    for suffix in ("ing", "ed", "es", "s"):
        if len(word) > 4 and word.endswith(suffix):
            return word[: -len(suffix)]
    return word


#: Words that carry no meaning in a menu option ("to call the sales line" is about sales).
FILLER = frozenset(
    "the a an our your my to for and or of with on in at me you please would like want "
    "call line reach go get hear about if new existing current more information info "
    "press say now here this that it is are be can".split())


def _words(text: str) -> list[str]:
    return [_stem(w) for w in re.findall(r"[a-z]+", text.lower())
            if len(w) > 2 and w not in FILLER]


def _group(word: str) -> set[str]:
    """The synonym group a word belongs to (empty when none)."""
    for head, alts in SYNONYMS.items():
        group = {_stem(head)} | {_stem(a) for a in alts for a in a.split()}
        if word in group:
            return group
    return set()


def _term_fit(term: str, have: set[str], label: str) -> float:
    if term in have:
        return 1.0
    group = _group(term)
    if group and (have & group or any(a in label.lower() for a in group if " " in a)):
        return 0.8
    close = max((difflib.SequenceMatcher(None, term, h).ratio() for h in have), default=0.0)
    return 0.6 if close >= 0.8 else 0.0


def score(label: str, goal: str) -> float:
    """How well an option's label fits a goal: its best word (1 the same word, 0.8 a
    synonym, 0.6 alike)."""
    have, want = set(_words(label)), _words(goal)
    return max((_term_fit(w, have, label) for w in want), default=0.0)


def coverage(label: str, goal: str) -> float:
    """How much of a goal an option's label covers: the mean fit of the goal's words."""
    have, want = set(_words(label)), _words(goal)
    if not want:
        return 0.0
    return sum(_term_fit(w, have, label) for w in want) / len(want)


def specificity(label: str, goals: list[str]) -> float:
    """How much of an option's label is about the goal (1: nothing else in it)."""
    have = set(_words(label))
    if not have:
        return 0.0
    wanted = {w for g in goals for w in _words(g)}
    groups = set().union(*(_group(w) for w in wanted)) if wanted else set()
    return len(have & (wanted | groups)) / len(have)


@dataclass(frozen=True)
class Choice:
    """A navigation decision: the option, how well it fits, and how sure the choice is."""

    option: Option | None
    fit: float
    confidence: float  # the margin over the next option, 0..1
    runner_up: Option | None = None
    tie: bool = False  # two different options fitted equally: the order decided
    cover: float = 0.0  # how much of the goal (or of one keyword) the option's label covers


def choose(options: list[Option], goals: list[str]) -> Choice:
    """The option that fits the goal best: by the goal's words it covers, then by how
    specific its label is; a word naming exactly one option decides."""
    if not options or not goals:
        return Choice(None, 0.0, 0.0)
    rated = []
    for n, opt in enumerate(options):
        fit = max(score(opt.label, g) for g in goals)
        # A goal word that names this option and no other is decisive.
        named = [w for g in goals for w in _words(g) if w in set(_words(opt.label))
                 and not any(w in set(_words(o.label)) for o in options
                             if _same(o, opt) is False)]
        cover = max(coverage(opt.label, g) for g in goals)
        rank = (round(fit, 3), round(cover, 3), 1 if named else 0,
                round(specificity(opt.label, goals), 3), 1 if opt.key else 0)
        rated.append((rank, -n, opt, fit))
    rated.sort(key=lambda r: (r[0], r[1]), reverse=True)
    best_rank, _, best, fit = rated[0]
    rest = [r for r in rated[1:] if not _same(r[2], best)]
    runner = rest[0] if rest else None
    tie = runner is not None and runner[0][:4] == best_rank[:4] and fit > 0
    margin = fit - (runner[3] if runner else 0.0)
    if fit < 0.6:
        return Choice(None, fit, 0.0, runner[2] if runner else None)
    return Choice(best, fit, round(max(0.0, min(1.0, margin if not tie else 0.0)), 2),
                  runner[2] if runner else None, tie, best_rank[1])


def _same(a: Option, b: Option) -> bool:
    """Two options for one thing ("press 2" and "say returns" for returns)."""
    return a is b or (a.label.lower() == b.label.lower())


def best_option(options: list[Option], goals: list[str]) -> tuple[Option | None, float]:
    """The option that fits any of `goals` best, and its fit (see `choose`)."""
    made = choose(options, goals)
    return made.option, made.fit


def operator_option(options: list[Option]) -> Option | None:
    """The option that reaches a person (an operator, 0, "representative"), if offered."""
    for opt in options:
        if any(term in opt.label.lower() for term in OPERATOR_TERMS):
            return opt
    return next((o for o in options if o.key == "0"), None)


def menu_signature(text: str) -> str:
    """A normalised form of a menu prompt, to notice the same menu coming back."""
    options = parse_menu(text)
    if options:
        return " | ".join(sorted(f"{o.key or o.phrase}:{o.label.lower()}" for o in options))
    return re.sub(r"\W+", " ", text.lower()).strip()
