"""Northwind Internet: support queues, in the style of the public <Enqueue> samples.

The support queue has no agent: the wait URL plays "your call is important to us" and
music, and after four minutes tells the caller nobody is available and <Leave>s, so the
action URL says goodbye and hangs up. The billing queue is the same app, but the
simulator dequeues its callers to Alex after 45 seconds.
"""

from __future__ import annotations

import io
import wave

from .twiml_app import TwimlApp, response, say

WELCOME = ("Thanks for calling Northwind Internet {line}. All of our agents are busy "
           "helping other customers. Please stay on the line and your call will be "
           "answered in the order it was received.")
STILL = "Your call is important to us. Please continue to hold."
GIVE_UP = "We're sorry, nobody is available to take your call. Please try again later."
GOODBYE = "Thank you for calling Northwind Internet. Goodbye."
MUSIC_SECONDS = 20
GIVE_UP_AFTER = 240


def music(seconds: int = MUSIC_SECONDS) -> bytes:
    """A quiet WAV whose header says how long it plays."""
    buf = io.BytesIO()
    with wave.open(buf, "wb") as out:
        out.setnchannels(1)
        out.setsampwidth(1)
        out.setframerate(8000)
        out.writeframes(bytes([128]) * 8000 * seconds)
    return buf.getvalue()


def make() -> TwimlApp:
    """The queue app: /support and /billing are the two numbers' voice URLs."""
    app = TwimlApp("northwind-queues")
    wav = music()

    def enter(line: str, queue: str) -> str:
        return response(say(WELCOME.format(line=line)),
                        f'<Enqueue waitUrl="/wait" action="/left">{queue}</Enqueue>')

    @app.route("/support")
    def support(request, form):
        return enter("support", "support")

    @app.route("/billing")
    def billing(request, form):
        return enter("billing", "billing")

    @app.route("/wait")
    def wait(request, form):
        if int(form.get("QueueTime", "0") or 0) >= GIVE_UP_AFTER:
            return response(say(GIVE_UP), "<Leave/>")
        return response(say(STILL), "<Play>/music.wav</Play>")

    @app.route("/music.wav")
    def tune(request, form):
        return wav

    @app.route("/left")
    def left(request, form):
        return response(say(GOODBYE), "<Hangup/>")

    return app
