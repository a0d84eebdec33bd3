"""What travels on the simulated line, how long it takes, and what a listener makes of it.

Nothing here is audio: a leg "utters" `Speech`, `Tone` (one DTMF key) or `Sound` (hold
music, ringback) events stamped with virtual start and end times, and the other leg's
`<Gather>` turns the ones it overlapped into `SpeechResult` or `Digits`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

#: Speaking rate of <Say> on the virtual clock (words per second, a calm IVR voice).
WORDS_PER_SECOND = 2.5
#: One DTMF key sent by <Play digits>: tone plus inter-digit gap, in seconds.
DIGIT_SECONDS = 0.25
#: How long one key's tone sounds; a listener detects the key when its tone ends, so the
#: far side's next prompt starts after the tone (as on Twilio), never under it.
TONE_SECONDS = 0.15
#: `w` in <Play digits> waits half a second, `W` a full second (as Twilio documents).
DIGIT_PAUSES = {"w": 0.5, "W": 1.0}
#: End-of-speech silence that `speechTimeout="auto"` stands for in the simulator.
AUTO_SPEECH_TIMEOUT = 1.0
#: Confidence reported for words heard from start to end, and for a clipped utterance.
FULL_CONFIDENCE = 0.92
CLIPPED_CONFIDENCE = 0.61


def speaking_time(text: str) -> float:
    """Seconds a <Say> of `text` takes on the virtual clock (at least a quarter second)."""
    return max(0.25, len(text.split()) / WORDS_PER_SECOND)


@dataclass
class Speech:
    """Words one party says, from `start` to `end` (virtual seconds)."""

    text: str
    start: float
    end: float
    speaker: str = ""
    cut_at: float | None = None

    def heard_between(self, since: float, until: float | None = None) -> tuple[str, bool]:
        """The words a listener who listened from `since` to `until` caught, and clipped?"""
        words = self.text.split()
        if not words:
            return "", False
        stop = self.end if self.cut_at is None else min(self.end, self.cut_at)
        if until is not None:
            stop = min(stop, until)
        per_word = (self.end - self.start) / len(words)
        # A word counts as heard when its middle falls inside the listening window.
        kept = [w for i, w in enumerate(words)
                if since <= self.start + (i + 0.5) * per_word <= stop]
        return " ".join(kept), len(kept) < len(words)

    @property
    def stops(self) -> float:
        """When the speech actually stopped (cut short or not)."""
        return self.end if self.cut_at is None else min(self.end, self.cut_at)


@dataclass
class Tone:
    """One DTMF key pressed at `at`."""

    digit: str
    at: float
    speaker: str = ""


@dataclass
class Sound:
    """Non-speech audio (hold music, ringback) from `start` to `end`."""

    kind: str
    start: float
    end: float
    url: str = ""
    speaker: str = ""


@dataclass
class Cut:
    """The speaker stopped early at `at` (barge-in, hang-up, dequeue)."""

    at: float
    speaker: str = ""


@dataclass
class Recognizer:
    """Accumulates what one <Gather input="speech"> hears."""

    since: float
    parts: list[Speech] = field(default_factory=list)

    def add(self, speech: Speech) -> None:
        """Start hearing `speech` (it may have begun before listening started)."""
        self.parts.append(speech)

    def cut(self, cut: Cut) -> None:
        """The current speaker stopped early."""
        for part in self.parts:
            if part.speaker == cut.speaker and part.cut_at is None and part.end > cut.at:
                part.cut_at = cut.at

    @property
    def speech_until(self) -> float:
        """When the last speech heard so far stops."""
        return max((p.stops for p in self.parts), default=self.since)

    def started(self, until: float) -> float | None:
        """When the first word heard so far began (virtual seconds), or None."""
        for part in self.parts:
            words = part.text.split()
            if not words:
                continue
            per_word = (part.end - part.start) / len(words)
            stop = min(part.stops, until)
            for i in range(len(words)):
                if self.since <= part.start + (i + 0.5) * per_word <= stop:
                    return part.start + i * per_word
        return None

    def finished(self, now: float) -> bool:
        """Whether every utterance heard so far has stopped by `now` (an utterance ended)."""
        return bool(self.parts) and all(p.stops <= now for p in self.parts)

    def result(self, until: float) -> tuple[str, float]:
        """SpeechResult and Confidence for everything heard up to `until`."""
        texts, clipped = [], False
        for part in self.parts:
            text, was_clipped = part.heard_between(self.since, until)
            clipped = clipped or was_clipped
            if text:
                texts.append(text)
        text = re.sub(r"\s+", " ", " ".join(texts)).strip()
        return text, (CLIPPED_CONFIDENCE if clipped else FULL_CONFIDENCE)
