"""Who is speaking on a call, from what they say: the IVR (a recording) or a person.

Twilio hands the shopper one transcript per utterance and nothing about who spoke, so the
role is a judgement on the words: menus, hold messages and canned announcements are the
IVR; a person introduces themselves, speaks in the first person and asks open questions.
Once a person is on the line, what follows is theirs unless it is plainly a recording, and
an announced transfer means the next voice may be someone else.

Pure functions of the observations (the utterance text, in order); the phone driver calls
the same `RoleJudge` when it must act on a role (stop holding when a person answers), so
the driver and the detectors never disagree. The cue patterns are the language pack's
(handles below), so they follow the language of the call.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from .language import cue, words

# The wording cues live in the language pack (detect/lang/<code>.yaml).
#: Wording only machines use.
IVR_ONLY = cue("ivr_only")
#: A person's own words (first person, open questions), case-insensitive.
HUMAN = cue("human_speech")
#: A person naming themselves: "this is Maria", "my name is Jo", "Rosa speaking".
NAMED = cue("speaker_named")
#: A person's introduction: "Hi, this is Maria in returns".
INTRO = cue("introduction_spoken")
#: "Harbor claims, Rosa speaking" (department before the name).
SPEAKING = cue("introduction_speaking")
#: "Hello, glass repairs desk" (a person answering for a desk, without a name).
DESK = cue("introduction_desk")
#: Words that end the department of an introduction ("in returns how can I help").
DEPARTMENT_END = cue("department_end")
#: Wording of being put on hold.
HOLD = cue("hold")
#: A hold message that speaks of a transfer.
TRANSFER_MENTION = cue("transfer_mention")
#: Capitalised words an introduction may take for a name.
NOT_NAMES = words("not_names")


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
        dept = DEPARTMENT_END.split(dept)[0].strip()
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

    def hear(self, text: str) -> Speaker:
        """The speaker of the call's next far-side utterance; a hold line that announces a
        transfer ("please hold while I transfer you") also ends the current person's turn."""
        speaker = self.judge(text)
        if is_hold(text) and TRANSFER_MENTION.search(text):
            self.transferred()
        return speaker


def judge_all(texts: list[str]) -> list[Speaker]:
    """The speakers of a call's far-side utterances, in order (what the driver decided)."""
    judge = RoleJudge()
    return [judge.hear(text) for text in texts]


def rejudged(events: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """A phone journal with the role and sender of every far-side message judged again
    with the active wording rules (`shopper report --language-rules`); the driver recorded
    the verdicts it acted on with the same `RoleJudge`, so a run judged with the rules it
    was made with is unchanged. Other channels' journals are returned as they are; the
    events given are never modified."""
    if not events or events[0].get("channel") != "phone":
        return events
    far = [i for i, e in enumerate(events) if e.get("kind") == "message" and e.get("role") != "customer"]
    out = list(events)
    for i, speaker in zip(far, judge_all([events[i].get("text") or "" for i in far])):
        out[i] = {**events[i], "role": speaker.role, "sender": speaker.sender}
    return out
