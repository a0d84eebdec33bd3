"""The shopper's ear: one utterance per prompt, each with its own start time.

Twilio reports a <Gather>'s speech as interim transcripts while it listens
(partialResultCallback: UnstableSpeechResult / StableSpeechResult, cumulative within
one Gather) and one final SpeechResult when the speaker pauses. Back-to-back prompts (two
<Say>s, or the repeats of a <Say loop="3">) arrive as one final result; the interim
results tell where each one ended. The ear splits the final result at those points
(merging pieces that do not end a sentence, so word-by-word interim results still give
whole prompts), and dates each utterance from the interim result that first carried it.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass

#: A calm text-to-speech voice speaks about 150 words a minute; used only to date the
#: start of an utterance whose first interim result came when it had already ended.
WORDS_PER_SECOND = 2.5
#: Silence after which speechTimeout="auto" ends a <Gather> (about a second on Twilio);
#: dates a final result that came without interim results (they may arrive late).
AUTO_END_OF_SPEECH = 1.0
SENTENCE_END = re.compile(r"[.!?]['\")\]]*$")
NOT_WORD = re.compile(r"\W+")


@dataclass
class Utterance:
    """Words heard from the far side, from `start` to `end` (journal seconds)."""

    text: str
    start: float
    end: float


def _words(text: str) -> list[str]:
    return text.split()


@functools.lru_cache(maxsize=8192)
def _norm(word: str) -> str:
    # Cached: a call's words recur in every interim and final result (profiled).
    return NOT_WORD.sub("", word.lower())


def _normed(text: str) -> list[str]:
    return [_norm(w) for w in text.split()]


class Ear:
    """Collects the interim results of the current <Gather> and splits its final result."""

    def __init__(self) -> None:
        self.since = 0.0  # when the current <Gather> began listening
        self.pieces: list[tuple[float, str]] = []  # (when heard, words new in that result)
        self.heard = ""  # the cumulative interim text of the current <Gather>
        self._heard_norm: list[str] = []  # its words, normalised (kept, not recomputed)

    def listening(self, at: float) -> None:
        """A new <Gather> starts listening at `at` (the webhook answer went out)."""
        self.since, self.pieces, self.heard, self._heard_norm = at, [], "", []

    def partial(self, text: str, at: float) -> None:
        """An interim result of the current <Gather> (cumulative, as Twilio sends it)."""
        text = " ".join(text.split())
        if not text or text == self.heard:
            return
        old, new = _words(self.heard), _words(text)
        normed = [_norm(w) for w in new]
        if normed[:len(old)] == self._heard_norm:
            # The same words so far (punctuation may have come with them), and more.
            if len(new) > len(old):
                self.pieces.append((at, " ".join(new[len(old):])))
        else:
            # The recogniser revised words it had sent: one piece, dated when the first
            # words of this result were heard.
            self.pieces = [(self.pieces[0][0] if self.pieces else at, text)]
        self.heard, self._heard_norm = text, normed

    def covers(self, final: str) -> bool:
        """Whether the interim results so far carry every word of `final`."""
        return self._heard_norm == _normed(final)

    def lags(self, final: str) -> bool:
        """Whether interim results still on the way could complete `final`: the words so
        far begin it and it has more (a recogniser's revised final result never will)."""
        words, n = _normed(final), len(self._heard_norm)
        return n < len(words) and words[:n] == self._heard_norm

    def utterances(self, final: str, at: float) -> list[Utterance]:
        """The final result of the <Gather> heard at `at`, split into utterances."""
        words = _words(final)
        # (first heard, last heard, seconds of words in the first piece, words)
        groups: list[tuple[float, float, float, list[str]]] = []
        if self.pieces and [_norm(w) for w in words] == [
                _norm(w) for _, piece in self.pieces for w in _words(piece)]:
            n = 0
            for when, piece in self.pieces:
                count = len(_words(piece))
                chunk = words[n:n + count]
                n += count
                if groups and not SENTENCE_END.search(groups[-1][3][-1]):
                    first, _, lead, have = groups[-1]  # the sentence goes on
                    groups[-1] = (first, when, lead, have + chunk)
                else:
                    groups.append((when, when, count / WORDS_PER_SECOND, chunk))
        elif words and self.pieces:
            first, lead = self.pieces[0][0], len(_words(self.pieces[0][1]))
            groups = [(min(first, at), at, lead / WORDS_PER_SECOND, words)]
        elif words:
            end = max(self.since, at - AUTO_END_OF_SPEECH)
            groups = [(end, end, len(words) / WORDS_PER_SECOND, words)]
        out: list[Utterance] = []
        previous = self.since
        for first, end, lead, chunk in groups:
            start = min(max(previous, first - lead), end)
            out.append(Utterance(" ".join(chunk), round(start, 3), round(end, 3)))
            previous = end
        self.listening(at)
        return out
