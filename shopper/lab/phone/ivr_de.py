"""Brightside Home's phone menu in German: the same planted problems as ivr.py, plus a
self-service option (opening hours) that gives the information and hangs up.

  * Buchhaltung (3) moved to the website and loops back to the main menu;
  * the operator (0) says no one is available and hangs up: a dead end for a caller who
    wants a person;
  * Rücksendungen (2) queues the caller with hold music for minutes;
  * Bestellungen (1) reaches Maria, who transfers returns to Diego, who asks again for
    the order number;
  * Öffnungszeiten (4) says the opening hours and hangs up: resolved, for a caller whose
    goal is self-service.
"""

from __future__ import annotations

import re

from aiohttp import web

from .ivr import COMPANY, IvrNumbers, hold_music, twiml

GREETING = f"Vielen Dank für Ihren Anruf bei {COMPANY}."
MENU = ("Für Bestellungen drücken Sie die 1. Für Rücksendungen drücken Sie die 2. "
        "Für die Buchhaltung drücken Sie die 3. Für unsere Öffnungszeiten drücken Sie die 4. "
        "Für einen Mitarbeiter drücken Sie die 0.")
BILLING = ("Buchhaltung. Unsere Buchhaltung erreichen Sie jetzt über unsere Website.")
BACK_TO_MENU = "Zurück zum Hauptmenü."
NOBODY = ("Leider ist derzeit niemand erreichbar, um Ihren Anruf entgegenzunehmen. "
          "Bitte rufen Sie später noch einmal an. Auf Wiederhören.")
QUEUED = "Rücksendungen. Sie sind jetzt in der Warteschlange. Bitte bleiben Sie in der Leitung."
STILL_HOLDING = "Ihr Anruf ist uns wichtig. Bitte bleiben Sie dran."
CONNECTING_ORDERS = "Bestellungen. Bitte warten Sie, ich verbinde Sie mit einem Mitarbeiter."
HOURS = ("Unsere Öffnungszeiten: montags bis freitags von 9 bis 18 Uhr, samstags von 10 bis "
         "14 Uhr. Vielen Dank für Ihren Anruf. Auf Wiederhören.")
INVALID = "Das ist leider keine gültige Auswahl."
NO_INPUT = "Ich habe Sie leider nicht verstanden."
GOODBYE = f"Vielen Dank für Ihren Anruf bei {COMPANY}. Auf Wiederhören."

SPOKEN = (
    (re.compile(r"\b(mitarbeiter|mensch|person|jemand)", re.I), "0"),
    (re.compile(r"\bbestell", re.I), "1"),
    (re.compile(r"\b(rücksend|zurück|erstatt)", re.I), "2"),
    (re.compile(r"\b(rechnung|buchhaltung|zahlung|abbuchung)", re.I), "3"),
    (re.compile(r"\böffnungszeit", re.I), "4"),
)


def say(text: str) -> str:
    """A German <Say> verb."""
    from xml.sax.saxutils import escape
    return f'<Say voice="Polly.Vicki" language="de-DE">{escape(text)}</Say>'


def choice_from(digits: str, speech: str) -> str:
    """The menu option a caller chose by key or by saying it."""
    if digits:
        return digits[:1]
    return next((option for pattern, option in SPOKEN if pattern.search(speech)), "")


def make_ivr_de(numbers: IvrNumbers) -> web.Application:
    """The German IVR as an aiohttp app (mount it, then point a number at its /voice)."""
    routes = web.RouteTableDef()
    music = hold_music()

    def main_menu(greet: bool, tries: int) -> web.Response:
        prompt = (say(GREETING) if greet else "") + say(MENU)
        return twiml(
            f'<Gather input="speech dtmf" numDigits="1" timeout="5" speechTimeout="auto" '
            f'language="de-DE" action="menu">{prompt}</Gather>', say(NO_INPUT),
            f'<Redirect method="POST">main?tries={tries + 1}</Redirect>' if tries < 2
            else say("Auf Wiederhören.") + "<Hangup/>")

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
            return twiml(say(CONNECTING_ORDERS), f'<Dial action="after-agent" timeout="20">'
                         f'<Number>{numbers.orders_agent}</Number></Dial>')
        if option == "2":
            return twiml(say(QUEUED), f'<Enqueue waitUrl="hold" action="after-agent">'
                         f'{numbers.returns_queue}</Enqueue>')
        if option == "3":
            return twiml(say(BILLING), say(BACK_TO_MENU), '<Redirect>main</Redirect>')
        if option == "4":
            return twiml(say(HOURS), "<Hangup/>")
        if option == "0":
            return twiml(say(NOBODY), "<Hangup/>")
        return twiml(say(INVALID), '<Redirect>main</Redirect>')

    @routes.post("/hold")
    async def hold(request: web.Request) -> web.Response:
        return twiml(say(STILL_HOLDING), "<Play>audio/hold.wav</Play>")

    @routes.post("/transfer/returns")
    async def transfer_returns(request: web.Request) -> web.Response:
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
