"""People a lab number connects to, scripted in a small YAML file (`--person NUMBER=FILE`).

    name: Dana                       # required
    department: billing              # optional
    greeting: Hi, Dana in billing.   # optional (default: "Hi, this is <name> in <department>.")
    ring: 2s                         # seconds before answering, or busy | no-answer
    queue: billing                   # optional: dequeues callers <Enqueue>d in this queue...
    answers_after: 2m                # ...after they waited this long (default 30s)
    asks:                            # data asked for first, in order
      - ask: Can I have your account number?
        expect: '\\d{6}'             # a regular expression the answer must contain
        again: I need the six-digit account number.
    answers:                         # the first entry whose keyword is heard answers
      - when: [refund, money back]
        say: I've issued the refund. Anything else?
      - when: [manager]
        say: Let me transfer you.
        transfer: "+15551230002"     # another lab number (the company leg is redirected)
      - when: [bye, goodbye]
        say: Goodbye.
        hang_up: true
    otherwise: Sorry, I can't help with that. Anything else?
    silence: Are you still there?    # said after silence; a second silence hangs up
    hang_up_after: 6                 # hang up after this many replies

Every mistake is a `LabConfigError` naming file:line:col and what would be right. Hosted
recordings (`--audio FILE`) use the same loader: a list of {url, transcript, seconds}.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

import yaml

DURATION = re.compile(r"^\s*(\d+(?:\.\d+)?)\s*(ms|s|m|h)?\s*$")
UNITS = {"ms": 0.001, "s": 1.0, "m": 60.0, "h": 3600.0, None: 1.0}
PERSON_KEYS = ("name", "department", "greeting", "ring", "queue", "answers_after", "asks",
               "answers", "otherwise", "silence", "hang_up_after")
ASK_KEYS = ("ask", "expect", "again")
ANSWER_KEYS = ("when", "say", "transfer", "hang_up")
AUDIO_KEYS = ("url", "transcript", "seconds")
MAX_FILE_BYTES = 1_000_000


class LabConfigError(ValueError):
    """A mistake in a lab file or option: `file:line:col: message`."""


@dataclass
class Ask:
    """Data the person asks for before helping."""

    ask: str
    expect: re.Pattern[str] | None = None
    again: str = ""


@dataclass
class Answer:
    """What the person says (and does) when the caller mentions one of `when`."""

    when: tuple[str, ...]
    say: str = ""
    transfer: str = ""
    hang_up: bool = False
    line: int = 0
    transfer_at: str = ""  # file:line:col of the transfer target, for errors


@dataclass
class Person:
    """One scripted person answering one lab number."""

    name: str
    department: str = ""
    greeting: str = ""
    ring: str = "2"
    queue: str = ""
    answers_after: float = 30.0
    asks: list[Ask] = field(default_factory=list)
    answers: list[Answer] = field(default_factory=list)
    otherwise: str = "Sorry, I can't help with that. Is there anything else?"
    silence: str = "Hello? Are you still there?"
    hang_up_after: int = 0
    file: str = ""

    @property
    def hello(self) -> str:
        """How this person answers the phone."""
        if self.greeting:
            return self.greeting
        where = f" in {self.department}" if self.department else ""
        return f"Hi, this is {self.name}{where}. How can I help you today?"


class _Doc:
    """A YAML document with its nodes' marks, for errors that name file:line:col."""

    def __init__(self, path: Path) -> None:
        self.path = path
        try:
            if path.stat().st_size > MAX_FILE_BYTES:
                raise LabConfigError(f"{path}: larger than {MAX_FILE_BYTES} bytes")
            text = path.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as exc:
            raise LabConfigError(f"{path}: cannot read it ({exc})") from None
        try:
            self.root = yaml.compose(text, Loader=yaml.SafeLoader)
        except yaml.YAMLError as exc:
            mark = getattr(exc, "problem_mark", None)
            where = f"{path}:{mark.line + 1}:{mark.column + 1}" if mark else str(path)
            raise LabConfigError(f"{where}: not valid YAML: "
                                 f"{getattr(exc, 'problem', exc)}") from None

    def where(self, node: yaml.Node | None) -> str:
        if node is None:
            return str(self.path)
        return f"{self.path}:{node.start_mark.line + 1}:{node.start_mark.column + 1}"

    def fail(self, node: yaml.Node | None, message: str) -> LabConfigError:
        return LabConfigError(f"{self.where(node)}: {message}")

    def mapping(self, node: yaml.Node | None, keys: tuple[str, ...],
                what: str) -> dict[str, yaml.Node]:
        if not isinstance(node, yaml.MappingNode):
            raise self.fail(node, f"{what} must be a mapping of {', '.join(keys)}")
        out: dict[str, yaml.Node] = {}
        for key, value in node.value:
            name = key.value if isinstance(key, yaml.ScalarNode) else ""
            if name not in keys:
                import difflib
                close = difflib.get_close_matches(str(name), keys, 1)
                hint = f"; did you mean '{close[0]}'?" if close else \
                    f"; expected one of {', '.join(keys)}"
                raise self.fail(key, f"unknown key '{name}' in {what}{hint}")
            out[name] = value
        return out

    def text(self, node: yaml.Node, what: str) -> str:
        if not isinstance(node, yaml.ScalarNode) or node.tag.endswith((":null", ":bool")) \
                or not str(node.value).strip():
            raise self.fail(node, f"{what} must be some text")
        return str(node.value).strip()

    def seconds(self, node: yaml.Node, what: str) -> float:
        match = DURATION.match(str(getattr(node, "value", "")))
        if not isinstance(node, yaml.ScalarNode) or not match:
            raise self.fail(node, f"{what} must be a duration such as 30s or 2m")
        return float(match.group(1)) * UNITS[match.group(2)]

    def items(self, node: yaml.Node, what: str) -> list[yaml.Node]:
        if not isinstance(node, yaml.SequenceNode):
            raise self.fail(node, f"{what} must be a list")
        return list(node.value)


def load_person(path: Path) -> Person:
    """The person scripted in the YAML file at `path`."""
    doc = _Doc(path)
    top = doc.mapping(doc.root, PERSON_KEYS, "a person file")
    if "name" not in top:
        raise doc.fail(doc.root, "a person needs a name (name: Dana)")
    person = Person(name=doc.text(top["name"], "name"), file=str(path))
    for key in ("department", "greeting", "queue", "otherwise", "silence"):
        if key in top:
            setattr(person, key, doc.text(top[key], key))
    if "ring" in top:
        raw = str(getattr(top["ring"], "value", "")).strip()
        if raw not in ("busy", "no-answer"):
            raw = str(doc.seconds(top["ring"], "ring (or busy | no-answer)"))
        person.ring = raw
    if "answers_after" in top:
        person.answers_after = doc.seconds(top["answers_after"], "answers_after")
    if "hang_up_after" in top:
        raw = str(getattr(top["hang_up_after"], "value", ""))
        if not raw.isdigit() or int(raw) < 1:
            raise doc.fail(top["hang_up_after"], "hang_up_after must be a whole number >= 1")
        person.hang_up_after = int(raw)
    for node in doc.items(top["asks"], "asks") if "asks" in top else []:
        fields = doc.mapping(node, ASK_KEYS, "an ask")
        if "ask" not in fields:
            raise doc.fail(node, "each ask needs `ask:` (what the person asks for)")
        ask = Ask(doc.text(fields["ask"], "ask"))
        if "expect" in fields:
            try:
                ask.expect = re.compile(doc.text(fields["expect"], "expect"), re.I)
            except re.error as exc:
                raise doc.fail(fields["expect"], f"expect is not a regular expression: {exc}"
                               ) from None
        if "again" in fields:
            ask.again = doc.text(fields["again"], "again")
        person.asks.append(ask)
    for node in doc.items(top["answers"], "answers") if "answers" in top else []:
        person.answers.append(_answer(doc, node))
    return person


def _answer(doc: _Doc, node: yaml.Node) -> Answer:
    fields = doc.mapping(node, ANSWER_KEYS, "an answer")
    if "when" not in fields:
        raise doc.fail(node, "each answer needs `when:` (a keyword or a list of keywords)")
    when_node = fields["when"]
    words = [doc.text(n, "a keyword") for n in doc.items(when_node, "when")] \
        if isinstance(when_node, yaml.SequenceNode) else [doc.text(when_node, "when")]
    answer = Answer(tuple(w.lower() for w in words), line=node.start_mark.line + 1)
    if "say" in fields:
        answer.say = doc.text(fields["say"], "say")
    if "transfer" in fields:
        answer.transfer = doc.text(fields["transfer"], "transfer")
        answer.transfer_at = doc.where(fields["transfer"])
        if not re.match(r"^\+[1-9]\d{1,14}$", answer.transfer):
            raise doc.fail(fields["transfer"], "transfer must be a phone number such as "
                                               "+15551230002 (quote it in YAML)")
    if "hang_up" in fields:
        value = fields["hang_up"]
        if not (isinstance(value, yaml.ScalarNode) and value.tag.endswith(":bool")):
            raise doc.fail(value, "hang_up must be true or false")
        answer.hang_up = str(value.value).lower() in ("true", "yes", "on")
    if not (answer.say or answer.transfer or answer.hang_up):
        raise doc.fail(node, "an answer must say something, transfer or hang up")
    return answer


def load_audio(path: Path) -> list[tuple[str, str, float | None]]:
    """(url, transcript, seconds) of each hosted recording listed in `path`."""
    doc = _Doc(path)
    out: list[tuple[str, str, float | None]] = []
    for node in doc.items(doc.root, "an audio file (a list of url/transcript/seconds)"):
        fields = doc.mapping(node, AUDIO_KEYS, "a recording")
        if "url" not in fields:
            raise doc.fail(node, "each recording needs `url:`")
        url = doc.text(fields["url"], "url")
        if not url.startswith(("http://", "https://")):
            raise doc.fail(fields["url"], "url must be absolute (http:// or https://)")
        text = doc.text(fields["transcript"], "transcript") if "transcript" in fields else ""
        seconds = doc.seconds(fields["seconds"], "seconds") if "seconds" in fields else None
        out.append((url, text, seconds))
    return out


def parse_pair(option: str, value: str) -> tuple[str, str]:
    """`NUMBER=VALUE` of a --number/--person option, or LabConfigError."""
    number, sep, rest = value.partition("=")
    number = number.strip()
    if not sep or not rest.strip():
        raise LabConfigError(f"{option} '{value}' must look like +15551230000=...")
    if not re.match(r"^\+[1-9]\d{1,14}$", number):
        raise LabConfigError(f"{option} '{value}': {number!r} is not a phone number in E.164 "
                             "form such as +15551230000")
    return number, rest.strip()

