"""What the lab company's phone line says and understands: one `Wording` per language.

The menu (ivr.py) and the agents (humans.py) hold the call logic and no vocabulary; every
line a caller hears, every pattern that understands a caller and the voice and language
attributes of the TwiML live here, so a new language is one more instance.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

COMPANY = "Brightside Home"


@dataclass(frozen=True, kw_only=True)
class Wording:
    """One language of the phone line: its voice, its lines and what it understands.

    Templates name their blanks: `{order}`; the agent's greeting `{name}` and `{department}`.
    """

    #: <Say voice="..."> of every line
    voice: str
    #: language="..." of every <Say> and <Gather>; "" leaves Twilio's default (en-US)
    language: str = ""

    # The menu.
    greeting: str
    menu: str
    #: hints="..." of the main menu's <Gather>; "" for none
    menu_hints: str = ""
    #: (pattern, option): the first pattern found in what the caller said picks the option
    spoken: tuple[tuple[re.Pattern[str], str], ...]
    #: (option, line): self-service options that say their line and hang up
    info_options: tuple[tuple[str, str], ...] = ()
    connecting_orders: str
    queued: str
    still_holding: str
    billing: str
    back_to_menu: str
    nobody: str
    invalid: str
    no_input: str
    #: said before hanging up when the caller chose nothing three times
    too_many_tries: str
    #: said after an agent's call ends
    goodbye: str

    # The agents.
    orders_department: str
    returns_department: str
    agent_greeting: str
    ask_order: str
    still_there: str
    hang_up: str
    farewell: str
    #: the orders agent's line before transferring a return (`{order}`)
    transfer_line: str
    order_on_its_way: str
    order_found: str
    return_started: str
    wants_return: re.Pattern[str]
    tracking: re.Pattern[str]
    bye: re.Pattern[str]
    #: a plain "no" once the caller's matter is settled also ends the call
    declines: re.Pattern[str]


ENGLISH = Wording(
    voice="Polly.Joanna",
    greeting=f"Thank you for calling {COMPANY}.",
    menu=("For orders, press 1. For returns, press 2. For billing, press 3. "
          "To speak to an operator, press 0. You can also say orders, returns, billing "
          "or operator."),
    menu_hints="orders, returns, billing, operator",
    spoken=(
        (re.compile(r"\b(operator|representative|agent|person|human|someone)\b", re.I), "0"),
        (re.compile(r"\border", re.I), "1"),
        (re.compile(r"\b(return|refund|send (it )?back)", re.I), "2"),
        (re.compile(r"\b(bill|payment|charge|invoice)", re.I), "3"),
    ),
    connecting_orders="Orders. Please hold while I connect you to an orders specialist.",
    queued=("Returns. You are now in the queue for our returns team. "
            "Please stay on the line."),
    still_holding="Your call is important to us. Please continue to hold.",
    billing=("Billing. Our billing team can now be reached through our website, "
             "brightside home dot com."),
    back_to_menu="Returning to the main menu.",
    nobody=("I'm sorry, no one is available to take your call right now. "
            "Please call back later. Goodbye."),
    invalid="Sorry, that is not a valid option.",
    no_input="Sorry, I didn't get that.",
    too_many_tries="Goodbye.",
    goodbye=f"Thank you for calling {COMPANY}. Goodbye.",
    orders_department="orders",
    returns_department="returns",
    agent_greeting="Hi, this is {name} in {department}. How can I help you today?",
    ask_order="Can I have your order number, please?",
    still_there="Hello? Are you still there?",
    hang_up="I can't hear you, so I'll end the call now. Goodbye.",
    farewell=f"Thanks for calling {COMPANY}. Have a great day. Goodbye.",
    transfer_line=("Thanks. I see order {order}. Returns are handled by our returns team. "
                   "Please hold while I transfer you to a returns specialist."),
    order_on_its_way=("Thanks. Order {order} is on its way and should arrive on Thursday. "
                      "Is there anything else I can help with?"),
    order_found="Thanks, I have order {order} here. Is there anything else I can help with?",
    return_started=("Thank you. I've started a return for order {order}. You'll get a "
                    "prepaid label by email within the hour. Is there anything else I can "
                    "help with?"),
    wants_return=re.compile(r"\b(return|refund|send (it )?back|damaged|broken|faulty)", re.I),
    tracking=re.compile(r"\b(track|where is|status|deliver\w*|arriv\w*)", re.I),
    bye=re.compile(r"\b(bye|goodbye|no,? thanks?|no thank you|that'?s all|nothing else)\b",
                   re.I),
    declines=re.compile(r"^\s*no\b", re.I),
)

GERMAN = Wording(
    voice="Polly.Vicki",
    language="de-DE",
    greeting=f"Vielen Dank für Ihren Anruf bei {COMPANY}.",
    menu=("Für Bestellungen drücken Sie die 1. Für Rücksendungen drücken Sie die 2. "
          "Für die Buchhaltung drücken Sie die 3. Für unsere Öffnungszeiten drücken Sie die 4. "
          "Für einen Mitarbeiter drücken Sie die 0."),
    spoken=(
        (re.compile(r"\b(mitarbeiter|mensch|person|jemand)", re.I), "0"),
        (re.compile(r"\bbestell", re.I), "1"),
        (re.compile(r"\b(rücksend|zurück|erstatt)", re.I), "2"),
        (re.compile(r"\b(rechnung|buchhaltung|zahlung|abbuchung)", re.I), "3"),
        (re.compile(r"\böffnungszeit", re.I), "4"),
    ),
    info_options=(
        ("4", "Unsere Öffnungszeiten: montags bis freitags von 9 bis 18 Uhr, samstags von 10 "
              "bis 14 Uhr. Vielen Dank für Ihren Anruf. Auf Wiederhören."),
    ),
    connecting_orders="Bestellungen. Bitte warten Sie, ich verbinde Sie mit einem Mitarbeiter.",
    queued="Rücksendungen. Sie sind jetzt in der Warteschlange. Bitte bleiben Sie in der Leitung.",
    still_holding="Ihr Anruf ist uns wichtig. Bitte bleiben Sie dran.",
    billing="Buchhaltung. Unsere Buchhaltung erreichen Sie jetzt über unsere Website.",
    back_to_menu="Zurück zum Hauptmenü.",
    nobody=("Leider ist derzeit niemand erreichbar, um Ihren Anruf entgegenzunehmen. "
            "Bitte rufen Sie später noch einmal an. Auf Wiederhören."),
    invalid="Das ist leider keine gültige Auswahl.",
    no_input="Ich habe Sie leider nicht verstanden.",
    too_many_tries="Auf Wiederhören.",
    goodbye=f"Vielen Dank für Ihren Anruf bei {COMPANY}. Auf Wiederhören.",
    orders_department="Bestellungen",
    returns_department="Rücksendungen",
    agent_greeting="Guten Tag, hier ist {name} von den {department}. Wie kann ich Ihnen helfen?",
    ask_order="Wie lautet bitte Ihre Bestellnummer?",
    still_there="Hallo? Sind Sie noch da?",
    hang_up="Ich kann Sie nicht hören, deshalb beende ich das Gespräch. Auf Wiederhören.",
    farewell=f"Danke für Ihren Anruf bei {COMPANY}. Einen schönen Tag noch. Auf Wiederhören.",
    transfer_line=("Danke, ich sehe Bestellung {order}. Rücksendungen bearbeitet unser "
                   "Rücksendeteam. Bitte bleiben Sie dran, ich verbinde Sie mit einem Kollegen "
                   "aus den Rücksendungen."),
    order_on_its_way=("Danke. Bestellung {order} ist unterwegs und sollte am Donnerstag "
                      "ankommen. Kann ich sonst noch helfen?"),
    order_found="Danke, Bestellung {order} liegt mir vor. Kann ich sonst noch helfen?",
    return_started=("Vielen Dank. Ich habe die Rücksendung für Bestellung {order} angelegt. "
                    "Sie bekommen das Rücksendeetikett innerhalb einer Stunde per E-Mail. "
                    "Kann ich sonst noch helfen?"),
    wants_return=re.compile(r"\b(rücksend\w*|zurück\w*|erstatt\w*|kaputt|beschädigt|defekt)",
                            re.I),
    tracking=re.compile(r"\b(wo ist|status|liefer\w*|ankommen|verfolgen)", re.I),
    bye=re.compile(r"\b(tschüss|auf wiederhören|nein,? danke|das war'?s|nichts weiter)\b", re.I),
    declines=re.compile(r"^\s*nein\b", re.I),
)
