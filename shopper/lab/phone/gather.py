"""<Gather>: play the nested prompt while listening for speech or keys from the other side.

Defaults follow Twilio's reference: input="dtmf", timeout=5 (also the gap allowed
between keys), speechTimeout = timeout ("auto" = a short end-of-speech silence),
finishOnKey="#", method=POST, action = the current document, bargeIn=true; the first
kind of input detected wins; without input the next verb runs unless
actionOnEmptyResult="true".
"""

from __future__ import annotations

import asyncio
from dataclasses import dataclass
from typing import TYPE_CHECKING

from .clock import TIMEOUT, Actor
from .leg import DTMF_KEYS, Goto
from .media import (AUTO_SPEECH_TIMEOUT, DIGIT_PAUSES, DIGIT_SECONDS, Cut, Recognizer, Sound,
                    Speech, Tone, speaking_time)
from .twiml import GATHER_NESTABLE, Verb, resolve
from .webhooks import SIM_SPEECH_START_HEADER

if TYPE_CHECKING:
    from .leg import Leg


@dataclass
class Piece:
    """One timed part of a nested prompt."""

    kind: str  # say | tone | sound | pause
    seconds: float
    text: str = ""


async def prompt_pieces(leg: "Leg", verb: Verb, doc_url: str) -> list[Piece]:
    """The nested Say/Play/Pause of a <Gather>, expanded into timed pieces."""
    pieces: list[Piece] = []
    for child in verb.children:
        if child.name not in GATHER_NESTABLE:
            leg.session.notify(13221, f"<{child.name}> is not allowed inside <Gather>", leg)
            continue
        if child.name == "Pause":
            pieces.append(Piece("pause", child.number("length", 1.0)))
        elif child.name == "Say":
            pieces += [Piece("say", speaking_time(child.text), child.text)] * child.loops()
        elif child.attr("digits"):
            for key in child.attr("digits"):
                if key in DIGIT_PAUSES:
                    pieces.append(Piece("pause", DIGIT_PAUSES[key]))
                elif key in DTMF_KEYS:
                    pieces.append(Piece("tone", DIGIT_SECONDS, key))
        elif child.text:
            url = resolve(doc_url, child.text)
            seconds = await leg.session.sim.audio_duration(url)
            words = leg.audio_words(url)
            if words and (leg.session.sim.audio[url].seconds is None):
                seconds = speaking_time(words)
            piece = Piece("say", seconds, words) if words else Piece("sound", seconds, url)
            pieces += [piece] * child.loops()
    return pieces


def speech_timeout(verb: Verb, timeout: float) -> float:
    """speechTimeout in seconds ("auto" is modelled as a fixed short silence)."""
    raw = verb.attr("speechTimeout")
    if raw.lower() == "auto":
        return AUTO_SPEECH_TIMEOUT
    return verb.number("speechTimeout", timeout) if raw else timeout


async def run_gather(leg: "Leg", act: Actor, verb: Verb, doc_url: str) -> Goto | None:
    """Execute one <Gather>; a Goto to its action, or None to go on with the next verb."""
    inputs = set(verb.attr("input", "dtmf").lower().split())
    timeout = verb.number("timeout", 5.0)
    end_of_speech = speech_timeout(verb, timeout)
    num_digits = int(verb.number("numDigits", 0)) or None
    finish_keys = verb.attrs.get("finishOnKey", "#")
    barge_in = verb.flag("bargeIn", True)
    pieces = await prompt_pieces(leg, verb, doc_url)
    partial_url = verb.attr("partialResultCallback")
    partial_method = verb.attr("partialResultCallbackMethod", "POST")
    partials = 0
    reported = ""
    last_partial: asyncio.Future[None] | None = None

    start = act.now
    heard = Recognizer(since=start)
    mode: str | None = None
    digits, finished_on = "", ""
    last_key = start
    index, piece_start = 0, start
    playing: Speech | None = None
    prompt_end = start + sum(p.seconds for p in pieces)

    # Speech already under way when the Gather starts is heard from here on.
    peer = leg.peer
    if "speech" in inputs and peer is not None and peer.speaking is not None \
            and peer.speaking.stops > start:
        heard.add(peer.speaking)
        mode = "speech"
        if barge_in:
            index, prompt_end = len(pieces), start  # the caller is talking: no prompt

    def report_partial() -> None:
        # Twilio streams interim transcripts to partialResultCallback while the caller
        # talks; they arrive even when the call ends before the Gather's action would.
        nonlocal partials, reported, last_partial
        if not partial_url or mode != "speech":
            return
        text, _ = heard.result(act.now)
        if text and text != reported:
            reported = text
            last_partial = leg.session.post(
                resolve(doc_url, partial_url), partial_method, leg.params(
                    UnstableSpeechResult=text, StableSpeechResult=text, Stability="0.9",
                    SequenceNumber=str(partials)), leg.token)
            partials += 1

    def stop_prompt() -> None:
        nonlocal index, prompt_end, playing
        if playing is not None and playing.end > act.now:
            playing.cut_at = act.now
            leg.utter(Cut(act.now, leg.record.sid))
        if leg.speaking is playing:
            leg.speaking = None
        playing, index, prompt_end = None, len(pieces), min(prompt_end, act.now)

    leg.ear = act
    try:
        while True:
            # Utter every prompt piece whose time has come.
            while index < len(pieces) and piece_start <= act.now:
                piece = pieces[index]
                end = piece_start + piece.seconds
                if piece.kind == "say":
                    playing = Speech(piece.text, piece_start, end, leg.record.sid)
                    leg.speaking = playing
                    leg.utter(playing)
                elif piece.kind == "tone":
                    leg.utter(Tone(piece.text, piece_start, leg.record.sid))
                elif piece.kind == "sound":
                    leg.utter(Sound("music", piece_start, end, piece.text, leg.record.sid))
                index, piece_start = index + 1, end
            if mode is None:
                deadline = prompt_end + timeout
            elif mode == "dtmf":
                deadline = last_key + timeout
            else:
                deadline = heard.speech_until + end_of_speech
            report_partial()
            if act.now >= deadline:
                break
            wake = min(deadline, piece_start) if index < len(pieces) else deadline
            ends = [p.stops for p in heard.parts if p.stops > act.now]
            wake = min([wake] + ends) if partial_url else wake
            item = await act.wait(wake)
            if item is TIMEOUT:
                continue
            if isinstance(item, Speech) and "speech" in inputs and mode in (None, "speech"):
                if mode == "speech" and heard.finished(act.now):
                    # A new utterance after one that ended: the recognizer closes the
                    # first result here, so two prompts (or two repeats of one) are never
                    # merged; the next <Gather> hears the new one from its first word.
                    break
                mode = "speech"
                heard.add(item)
                if barge_in:
                    stop_prompt()
            elif isinstance(item, Cut):
                heard.cut(item)
            elif isinstance(item, Tone) and "dtmf" in inputs and mode in (None, "dtmf"):
                mode, last_key = "dtmf", act.now
                if barge_in:
                    stop_prompt()
                if finish_keys and item.digit in finish_keys:
                    finished_on = item.digit
                    break
                digits += item.digit
                if num_digits and len(digits) >= num_digits:
                    break
    finally:
        report_partial()
        leg.ear = None
        if leg.speaking is playing:
            leg.speaking = None
        if playing is not None and playing.end > act.now:
            # The Gather ended while its own prompt was still playing.
            playing.cut_at = act.now
            leg.utter(Cut(act.now, leg.record.sid))

    params: dict[str, str] = {}
    if mode == "dtmf" and (digits or finished_on):
        params["Digits"] = digits
        if finished_on:
            params["FinishedOnKey"] = finished_on
    headers: dict[str, str] = {}
    if mode == "speech":
        text, confidence = heard.result(act.now)
        began = heard.started(act.now)
        if text:
            params.update(SpeechResult=text, Confidence=f"{confidence:.2f}")
            if began is not None:
                headers[SIM_SPEECH_START_HEADER] = f"{began:.3f}"
    if not params and not verb.flag("actionOnEmptyResult"):
        return None
    if last_partial is not None:
        # Twilio streams interim results while the caller speaks, and the final result
        # comes after the end-of-speech silence: the app has them all before the action.
        # (The call stands still meanwhile, as during any webhook.)
        await last_partial
    action = resolve(doc_url, verb.attr("action", doc_url))
    return Goto(action, verb.attr("method", "POST"), params, headers)
