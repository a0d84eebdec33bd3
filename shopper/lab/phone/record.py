"""<Record>: voicemail. A beep, then whatever the other side says until silence, a key or
the length limit; then the action URL with the recording, as Twilio does.

Defaults follow Twilio's reference: timeout=5 (seconds of silence that end it),
maxLength=3600, finishOnKey="1234567890*#", playBeep=true, method=POST, action = the
current document, trim="trim-silence". With no audio recorded the next verb runs; with a
recording the action is requested (and the document ends there); a caller who hangs up
while recording still leaves the message (Digits=hangup). A `transcribeCallback` gets
the words heard (TranscriptionText); the recording's `.txt` serves them too.
"""

from __future__ import annotations

import asyncio
from typing import TYPE_CHECKING

from .clock import TIMEOUT, Actor
from .leg import Goto
from .media import Cut, Recognizer, Speech, Tone
from .resources import RecordingRecord, new_sid
from .twiml import Verb, resolve

if TYPE_CHECKING:
    from .leg import Leg

BEEP_SECONDS = 0.5
DEFAULT_FINISH_KEYS = "1234567890*#"


async def run_record(leg: "Leg", act: Actor, verb: Verb, doc_url: str) -> Goto | None:
    """Execute one <Record>; a Goto to its action, or None to go on with the next verb."""
    session = leg.session
    timeout = verb.number("timeout", 5.0)
    max_length = verb.number("maxLength", 3600.0)
    finish_keys = verb.attrs.get("finishOnKey", DEFAULT_FINISH_KEYS)
    if verb.flag("playBeep", True):
        await leg.sound(act, "beep", BEEP_SECONDS)
    start = act.now
    heard = Recognizer(since=start)
    peer = leg.peer
    if peer is not None and peer.speaking is not None and peer.speaking.stops > start:
        heard.add(peer.speaking)
    digits = ""
    leg.ear = act
    try:
        while True:
            deadline = min(start + max_length, max(heard.speech_until, start) + timeout)
            if act.now >= deadline:
                break
            item = await act.wait(deadline)
            if item is TIMEOUT:
                continue
            if isinstance(item, Speech):
                heard.add(item)
            elif isinstance(item, Cut):
                heard.cut(item)
            elif isinstance(item, Tone) and finish_keys and item.digit in finish_keys:
                digits = item.digit
                break
    except asyncio.CancelledError:
        if session.ended:
            # The caller hung up while recording: Twilio keeps the message and still
            # requests the action (its answer is ignored), with Digits=hangup.
            params = keep(leg, act, verb, doc_url, heard, start)
            if params:
                session.post(resolve(doc_url, verb.attr("action", doc_url)),
                             verb.attr("method", "POST"),
                             leg.params(**params, Digits="hangup"), leg.token)
        raise
    finally:
        leg.ear = None
    params = keep(leg, act, verb, doc_url, heard, start)
    if not params:
        return None  # silence only: Twilio goes on with the next verb
    if digits:
        params["Digits"] = digits
    action = resolve(doc_url, verb.attr("action", doc_url))
    return Goto(action, verb.attr("method", "POST"), params)


def keep(leg: "Leg", act: Actor, verb: Verb, doc_url: str, heard: Recognizer,
         start: float) -> dict[str, str]:
    """Store what was recorded and send its callbacks; the action's parameters ({} if
    nothing was said)."""
    session = leg.session
    text, _ = heard.result(act.now)
    if not text:
        return {}
    # Twilio trims the trailing silence by default; the length is what was said.
    end = act.now if verb.attr("trim", "trim-silence") == "do-not-trim" else \
        min(act.now, heard.speech_until)
    seconds = max(1, int(round(end - start)))
    rec = session.record
    recording = RecordingRecord(
        account_sid=rec.account_sid, call_sid=leg.record.sid, duration=seconds,
        created=rec.at(act.now), start_time=rec.at(start), transcript=text + "\n",
        source="RecordVerb")
    session.sim.recordings[recording.sid] = recording
    url = f"{session.sim.api_base_url}{recording.uri[:-len('.json')]}"
    callback = verb.attr("recordingStatusCallback")
    if callback:
        session.post(resolve(doc_url, callback),
                     verb.attr("recordingStatusCallbackMethod", "POST"),
                     leg.params(RecordingSid=recording.sid, RecordingUrl=url,
                                RecordingStatus="completed", RecordingDuration=str(seconds),
                                RecordingChannels="1", RecordingSource="RecordVerb",
                                RecordingTrack="inbound", ErrorCode="0"), leg.token)
    transcribe_to = verb.attr("transcribeCallback")
    if transcribe_to:
        transcription = new_sid("TR")
        session.post(resolve(doc_url, transcribe_to), "POST", leg.params(
            TranscriptionSid=transcription, TranscriptionText=text,
            TranscriptionStatus="completed", TranscriptionType="fast",
            TranscriptionUrl=f"{url}/Transcriptions/{transcription}",
            RecordingSid=recording.sid, RecordingUrl=url), leg.token)
    return {"RecordingUrl": url, "RecordingSid": recording.sid,
            "RecordingDuration": str(seconds)}
