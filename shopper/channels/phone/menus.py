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


def _words(text: str) -> list[str]:
    return [_stem(w) for w in re.findall(r"[a-z]+", text.lower()) if len(w) > 2]


def score(label: str, goal: str) -> float:
    """How well an option's label fits a goal: 1 same words, 0.8 synonyms, 0.6 alike."""
    have, want = set(_words(label)), _words(goal)
    if not want:
        return 0.0
    if any(w in have for w in want):
        return 1.0
    for head, alts in SYNONYMS.items():
        group = {_stem(head)} | {_stem(a) for a in alts} | set(alts)
        if any(w in group for w in want) and (have & group or any(a in label.lower()
                                                                   for a in alts + (head,))):
            return 0.8
    close = max((difflib.SequenceMatcher(None, a, b).ratio() for a in have for b in want),
                default=0.0)
    return 0.6 if close >= 0.8 else 0.0


def best_option(options: list[Option], goals: list[str]) -> tuple[Option | None, float]:
    """The option that fits any of `goals` best (keys preferred to phrases on a tie)."""
    best: tuple[Option | None, float] = (None, 0.0)
    for opt in options:
        s = max(score(opt.label, g) for g in goals) if goals else 0.0
        if s > best[1] or (s == best[1] and s > 0 and opt.key and best[0] and not best[0].key):
            best = (opt, s)
    return best if best[1] >= 0.6 else (None, best[1])


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
