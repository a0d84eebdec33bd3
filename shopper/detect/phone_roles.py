"""Who is speaking on a call, from what they say: the IVR (a recording) or a person.

Twilio hands the shopper one transcript per utterance and nothing about who spoke, so the
role is a judgement on the words: menus, hold messages and canned announcements are the
IVR; a person introduces themselves, speaks in the first person and asks open questions.
Once a person is on the line, what follows is theirs unless it is plainly a recording, and
an announced transfer means the next voice may be someone else.

Pure functions of the observations (the utterance text, in order); the phone driver calls
the same `RoleJudge` when it must act on a role (stop holding when a person answers), so
the driver and the detectors never disagree. The cue patterns are module constants so
they can move into a language pack.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

_KEY = r"([0-9*#]|zero|one|two|three|four|five|six|seven|eight|nine|star|pound|hash)"
#: Wording only machines use.
IVR_ONLY = re.compile(
    r"\b(press|dial)\s+" + _KEY + r"\b|\byou can (also )?say\b|\bmain menu\b|"
    r"\bmenu (has|options)\b|\byour call is (very )?important\b|"
    r"\b(calls?|this call) (may|will) be (recorded|monitored)\b|"
    r"\bplease (stay|remain) on the line\b|\bcontinue to hold\b|\bnext available\b|"
    r"\bestimated wait\b|\bpara español\b|\bnot a valid (option|selection|entry|choice)\b|"
    r"\bi didn'?t (get|catch) that\b|\b(our|the) (office|offices|lines) (is|are) (now )?closed\b|"
    r"\bafter the (beep|tone)\b|\bputting you through\b|\bconnecting (you|your call)\b|"
    r"\bthank you for calling\b.*\bgoodbye\b|\b(no one|nobody|no agent) is (currently )?available\b|"
    r"\bplease (call|try) (again |back )+later\b",
    re.I)
#: A person's own words (first person, open questions), case-insensitive.
HUMAN = re.compile(
    r"\bhow (can|may) i help\b|\bwhat can i do for you\b|"
    r"\bi('m| am) (happy|glad)\b|\bi (see|can see|understand|'ll|will|have|'ve)\b|"
    r"\blet me\b|\bgive me (a|one) (second|moment|minute)\b|\bare you still there\b|"
    r"\bwhen would suit you\b|\bi can'?t hear you\b|\bspeaking\b[.,!?]|"
    # a bare "Hello?" (a person picking up and checking the line), never a recording's
    # "Hello, and thank you for calling"
    r"^\W*(hello|hi|hey|yes)\s*\?", re.I)
#: A person naming themselves: "this is Maria", "my name is Jo", "Rosa speaking".
NAMED = re.compile(r"\b(this is|my name is|you'?re (speaking|through) (to|with))\s+[A-Z][a-z]+|"
                   r"\b[A-Z][a-z]+ speaking\b")
#: A person's introduction: "Hi, this is Maria in returns".
INTRO = re.compile(r"\b(?:this is|my name is|i'?m|i am|you'?re through to)\s+"
                   r"(?P<name>[A-Z][a-z'-]+)(?:\s+(?:in|from|with|on)\s+(?:the\s+)?"
                   r"(?P<dept>[A-Za-z]+(?: [A-Za-z]+)??))?", re.I)
#: "Harbor claims, Rosa speaking" (department before the name).
SPEAKING = re.compile(r"(?:^|[.,!?]\s*)(?:[A-Z][a-z]+\s+)?(?P<dept>[a-z]+(?: [a-z]+)?),\s+"
                      r"(?P<name>[A-Z][a-z'-]+) speaking\b")
#: "Hello, glass repairs desk" (a person answering for a desk, without a name).
DESK = re.compile(r"\b(?:hello|hi|good (?:morning|afternoon|evening))[,!.]?\s+(?:this is\s+)?"
                  r"(?:the\s+)?(?P<dept>[a-z]+(?: [a-z]+)?) (?:desk|team|department)\b", re.I)
#: Wording of being put on hold.
HOLD = re.compile(r"\b(please hold|on hold|hold (the line|on|please)|continue to hold|"
                  r"your call is (very )?important|stay on the line|remain on the line|"
                  r"next available|all (of )?our (agents|representatives|advisors|lines)|"
                  r"estimated wait|in the queue)\b", re.I)
NOT_NAMES = {"Brightside", "Thank", "Thanks", "Sorry", "Your", "Our", "The", "Please", "Hello"}


@dataclass(frozen=True)
class Speaker:
    """Who said an utterance: `ivr` or `agent`, with a name when one introduced itself."""

    role: str
    name: str = ""
    dept: str = ""

    @property
    def sender(self) -> str:
        """The sender label to journal: `Maria (returns)`, `Rosa`, `(glass repairs)`."""
        if self.name:
            return self.name + (f" ({self.dept})" if self.dept else "")
        return f"{self.dept} desk" if self.dept else ""


def introduction(text: str) -> tuple[str, str] | None:
    """(name, department) when a person introduces themselves in `text`."""
    m = SPEAKING.search(text)
    if m and m.group("name") not in NOT_NAMES:
        return m.group("name"), m.group("dept").lower()
    m = INTRO.search(text)
    if m and m.group("name") not in NOT_NAMES and m.group("name")[0].isupper():
        dept = (m.group("dept") or "").strip()
        dept = re.split(r"\b(how|and|here|speaking|today)\b", dept, flags=re.I)[0].strip()
        return m.group("name"), dept.lower()
    m = DESK.search(text)
    if m and not IVR_ONLY.search(text):
        return "", m.group("dept").lower()
    return None


def is_hold(text: str) -> bool:
    """Whether `text` puts the caller on hold or in a queue."""
    return bool(HOLD.search(text))


class RoleJudge:
    """Classifies each utterance of one call, remembering whether a person is on the line."""

    def __init__(self) -> None:
        self.person: Speaker | None = None

    def judge(self, text: str) -> Speaker:
        """The speaker of `text`, given everything heard before on this call."""
        intro = introduction(text)
        if intro is not None and not IVR_ONLY.search(text):
            self.person = Speaker("agent", *intro)
            return self.person
        if IVR_ONLY.search(text):
            return Speaker("ivr")
        if self.person is not None or HUMAN.search(text) or NAMED.search(text):
            self.person = self.person or Speaker("agent")
            return self.person
        return Speaker("ivr")

    def transferred(self) -> None:
        """A transfer was announced: the next voice may be someone else or a recording."""
        self.person = None


def judge_all(texts: list[str]) -> list[Speaker]:
    """The speakers of a call's far-side utterances, in order (what the driver decided)."""
    judge = RoleJudge()
    out = []
    for text in texts:
        speaker = judge.judge(text)
        out.append(speaker)
        if is_hold(text) and "transfer" in text.lower():
            judge.transferred()
    return out
