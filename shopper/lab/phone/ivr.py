"""Brightside Home's phone menu: a TwiML app with deliberate problems.

Planted problems (each one a finding the phone scenarios expect):
  * billing (3) says it moved to the website and loops back to the main menu;
  * the operator (0) says no one is available and hangs up: a dead end;
  * returns (2) puts the caller in a queue with hold music and "your call is important to
    us" for minutes before Diego answers;
  * orders (1) reaches Maria quickly, but a return makes her transfer the caller to Diego,
    who asks again for the order number already given to her (see humans.py).
The main menu answers keys and speech ("returns", "operator").
"""

from __future__ import annotations

import io
import re
import wave
from dataclasses import dataclass
from xml.sax.saxutils import escape

from aiohttp import web

COMPANY = "Brightside Home"
GREETING = f"Thank you for calling {COMPANY}."
MENU = ("For orders, press 1. For returns, press 2. For billing, press 3. "
        "To speak to an operator, press 0. You can also say orders, returns, billing "
        "or operator.")
BILLING = ("Billing. Our billing team can now be reached through our website, "
           "brightside home dot com.")
BACK_TO_MENU = "Returning to the main menu."
NOBODY = ("I'm sorry, no one is available to take your call right now. "
          "Please call back later. Goodbye.")
QUEUED = ("Returns. You are now in the queue for our returns team. "
          "Please stay on the line.")
STILL_HOLDING = "Your call is important to us. Please continue to hold."
CONNECTING_ORDERS = "Orders. Please hold while I connect you to an orders specialist."
INVALID = "Sorry, that is not a valid option."
NO_INPUT = "Sorry, I didn't get that."
GOODBYE = f"Thank you for calling {COMPANY}. Goodbye."
#: Seconds of hold music in one pass of the returns queue's wait document.
HOLD_MUSIC_SECONDS = 30

SPOKEN = (
    (re.compile(r"\b(operator|representative|agent|person|human|someone)\b", re.I), "0"),
    (re.compile(r"\border", re.I), "1"),
    (re.compile(r"\b(return|refund|send (it )?back)", re.I), "2"),
    (re.compile(r"\b(bill|payment|charge|invoice)", re.I), "3"),
)


@dataclass(frozen=True)
class IvrNumbers:
    """Where the menu sends callers."""

    orders_agent: str
    returns_agent: str
    returns_queue: str = "returns"


def twiml(*verbs: str) -> web.Response:
    """A TwiML response made of already-rendered verbs."""
    body = '<?xml version="1.0" encoding="UTF-8"?><Response>' + "".join(verbs) + "</Response>"
    return web.Response(text=body, content_type="text/xml")


def say(text: str) -> str:
    """A <Say> verb."""
    return f'<Say voice="Polly.Joanna">{escape(text)}</Say>'


def choice_from(digits: str, speech: str) -> str:
    """The menu option a caller chose by key or by saying it."""
    if digits:
        return digits[:1]
    for pattern, option in SPOKEN:
        if pattern.search(speech):
            return option
    return ""


def hold_music(seconds: int = HOLD_MUSIC_SECONDS) -> bytes:
    """A quiet WAV (8 kHz, 8-bit) whose header tells the simulator how long it plays."""
    buf = io.BytesIO()
    with wave.open(buf, "wb") as out:
        out.setnchannels(1)
        out.setsampwidth(1)
        out.setframerate(8000)
        out.writeframes(bytes([128, 131, 134, 131, 128, 125, 122, 125]) * 1000 * seconds)
    return buf.getvalue()


def make_ivr(numbers: IvrNumbers) -> web.Application:
    """The IVR as an aiohttp app (mount it, then point a number at its /voice)."""
    routes = web.RouteTableDef()
    music = hold_music()

    def main_menu(greet: bool, tries: int) -> web.Response:
        prompt = (say(GREETING) if greet else "") + say(MENU)
        return twiml(
            f'<Gather input="speech dtmf" numDigits="1" timeout="5" speechTimeout="auto" '
            f'hints="orders, returns, billing, operator" action="menu">{prompt}</Gather>',
            say(NO_INPUT),
            f'<Redirect method="POST">main?tries={tries + 1}</Redirect>' if tries < 2
            else say("Goodbye.") + "<Hangup/>")

    @routes.post("/voice")
    async def voice(request: web.Request) -> web.Response:
        return main_menu(greet=True, tries=0)

    @routes.post("/main")
    async def main(request: web.Request) -> web.Response:
        return main_menu(greet=False, tries=int(request.query.get("tries", "0") or 0))

    @routes.post("/menu")
    async def menu(request: web.Request) -> web.Response:
        form = await request.post()
        option = choice_from(str(form.get("Digits", "")), str(form.get("SpeechResult", "")))
        if option == "1":
            return twiml(say(CONNECTING_ORDERS),
                         f'<Dial action="after-agent" timeout="20">'
                         f'<Number>{numbers.orders_agent}</Number></Dial>')
        if option == "2":
            return twiml(say(QUEUED),
                         f'<Enqueue waitUrl="hold" action="after-agent">'
                         f'{numbers.returns_queue}</Enqueue>')
        if option == "3":
            return twiml(say(BILLING), say(BACK_TO_MENU), '<Redirect>main</Redirect>')
        if option == "0":
            return twiml(say(NOBODY), "<Hangup/>")
        return twiml(say(INVALID), '<Redirect>main</Redirect>')

    @routes.post("/hold")
    async def hold(request: web.Request) -> web.Response:
        return twiml(say(STILL_HOLDING), "<Play>audio/hold.wav</Play>")

    @routes.post("/transfer/returns")
    async def transfer_returns(request: web.Request) -> web.Response:
        # Reached by a REST redirect of the company leg when an agent transfers a caller.
        return twiml(f'<Dial action="../after-agent" timeout="20">'
                     f'<Number>{numbers.returns_agent}</Number></Dial>')

    @routes.post("/after-agent")
    async def after_agent(request: web.Request) -> web.Response:
        return twiml(say(GOODBYE), "<Hangup/>")

    @routes.get("/audio/hold.wav")
    async def hold_wav(request: web.Request) -> web.Response:
        return web.Response(body=music, content_type="audio/x-wav")

    app = web.Application()
    app.add_routes(routes)
    return app
