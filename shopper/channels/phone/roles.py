"""Telling an IVR's recorded prompts from a person's words, by what they say.

Twilio hands the shopper one transcript per utterance and nothing about who spoke, so
the role is read from the wording: menus, hold messages and canned announcements are the
IVR; a person introduces themselves, speaks in the first person and asks open questions.
Once a person is on the line, what follows is theirs unless it is plainly a recording.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from ...detect.language import cue

#: Wording only machines use, a person answering, a person's introduction ("Hi, this is
#: Maria in returns"): cue families of the journey's language pack (detect/lang/*.yaml).
IVR_ONLY = cue("ivr_only")
HUMAN = cue("human_speech")
INTRO = cue("introduction_spoken")
#: Wording of being put on hold: the detectors' own cue (one definition).
HOLD = cue("hold")
NOT_NAMES = {"Brightside", "Thank", "Thanks", "Sorry", "Your", "Our", "The", "Please", "Hello"}


@dataclass(frozen=True)
class Speaker:
    """Who said an utterance: `ivr` or `agent`, with a name when one introduced itself."""

    role: str
    name: str = ""
    dept: str = ""


def introduction(text: str) -> tuple[str, str] | None:
    """(name, department) when a person introduces themselves in `text`."""
    m = INTRO.search(text)
    if not m or m.group("name") in NOT_NAMES or not m.group("name")[0].isupper():
        return None
    dept = (m.group("dept") or "").strip()
    dept = re.split(r"\b(how|and|here|speaking|today)\b", dept, flags=re.I)[0].strip()
    return m.group("name"), dept.lower()


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
        if self.person is not None or HUMAN.search(text):
            self.person = self.person or Speaker("agent")
            return self.person
        return Speaker("ivr")

    def transferred(self) -> None:
        """A transfer was announced: the next voice may be someone else or a recording."""
        self.person = None
