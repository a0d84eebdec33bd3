"""What the lab chat's bot and agents say, and what they understand, in each language.

One script (script.py) plays the conversation; the words are data here. Templates take
`{bot}`, `{company}`, `{order}` and `{name}` where they use them.
"""

from __future__ import annotations

import re
from dataclasses import dataclass


@dataclass(frozen=True)
class ChatWords:
    """Every line of the lab chat in one language, and the patterns that read the customer."""

    # what the customer's words mean
    human: re.Pattern[str]
    refund: re.Pattern[str]
    charge: re.Pattern[str]
    track: re.Pattern[str]
    returns: re.Pattern[str]
    warranty: re.Pattern[str]
    bye: re.Pattern[str]
    thanks: re.Pattern[str]
    # Sunny, the bot
    hello: str
    how_can_i_help: str
    welcome_quick: tuple[str, ...]
    menu: str
    menu_quick: tuple[str, ...]
    shipped_pending: str
    label_sent: str
    return_ask: str
    warranty_elsewhere: str
    shipped: str
    order_ask: str
    bot_bye: str
    welcome_back: str
    not_understood: str
    saved: str
    # the queue and the agents
    connecting: str
    queued: str
    offline: str
    joined: str
    left: str
    ended: str
    you_ended: str
    orders: str
    billing: str
    maria_hello_order: str
    maria_hello: str
    maria_transfers: str
    transferring: str
    dev_asks_again: str
    maria_shipped: str
    maria_bye: str
    maria_more: str
    dev_refunded: str
    dev_bye: str
    dev_asks: str


ENGLISH = ChatWords(
    human=re.compile(r"\b(human|agent|person|representative|operator|someone|somebody|staff)\b", re.I),
    refund=re.compile(r"\b(refund|billing|bill|invoice)\b", re.I),
    charge=re.compile(r"\b(charge|charged|billing|payment|refund|invoice|twice)\b", re.I),
    track=re.compile(r"\b(track|tracking|where is|status|deliver\w*|shipp\w*|orders?)\b", re.I),
    returns=re.compile(r"\b(return|returns|send back|exchange)\b", re.I),
    warranty=re.compile(r"\b(warranty|broken|damaged|faulty|repair)\b", re.I),
    bye=re.compile(r"\b(no thanks|no,? that'?s all|that'?s all|bye|goodbye|nothing else)\b", re.I),
    thanks=re.compile(r"\b(thanks|thank you|great|perfect)\b", re.I),
    hello="Hi there! I'm {bot}, {company}'s virtual assistant.",
    how_can_i_help="How can I help you today?",
    welcome_quick=("Track my order", "Start a return", "Refund status", "Talk to a person"),
    menu="I can help with orders, returns and billing. What would you like to do?",
    menu_quick=("Orders", "Returns", "Billing"),
    shipped_pending="Thanks! Order {order} shipped yesterday and should arrive on Thursday. "
                    "Anything else I can help with?",
    label_sent="Done! I've emailed you a prepaid return label for order {order}. "
               "Anything else I can help with?",
    return_ask="I can help with a return. What's your order number?",
    warranty_elsewhere="I'm sorry about that! Warranty claims aren't handled in chat. Please call "
                       "us at (555) 010-4477 or email care@brightside.example and we'll sort it out.",
    shipped="Order {order} shipped yesterday and should arrive on Thursday. Anything else I can "
            "help with?",
    order_ask="Sure! What's your order number? It starts with BH.",
    bot_bye="Thanks for chatting with {company}. Bye!",
    welcome_back="You're welcome! Anything else I can help with?",
    not_understood="Sorry, I didn't quite get that. You can ask about an order, a return or "
                   "billing, or type 'agent' to talk to a person.",
    saved="Thanks, your message has been saved. We'll reply by email.",
    connecting="Let me connect you with a member of our team.",
    queued="You're in the queue. An agent will be with you shortly.",
    offline="Sorry, all our agents are busy and we're currently offline. Our team is available "
            "Monday to Friday, 9am to 6pm. Leave a message and we'll get back to you by email.",
    joined="{name} joined the chat",
    left="{name} left the chat",
    ended="{name} ended the chat",
    you_ended="You ended the chat",
    orders="Orders",
    billing="Billing",
    maria_hello_order="Hi, I'm Maria from Orders. I can see you're asking about order {order}. "
                      "How can I help?",
    maria_hello="Hi, I'm Maria from Orders. How can I help you today?",
    maria_transfers="That's one for our Billing team. Let me transfer you to Billing, one moment "
                    "please.",
    transferring="Transferring you to Billing…",
    dev_asks_again="Hi, this is Dev from Billing. Can I have your order number, please?",
    maria_shipped="Order {order} left our warehouse yesterday and should arrive on Thursday.",
    maria_bye="Thanks for chatting, have a lovely day!",
    maria_more="Could you tell me a bit more? Is it about an order, a return or a charge?",
    dev_refunded="Thanks. I can see a duplicate charge on order {order}. I've refunded it; it will "
                 "show on your statement in 3 to 5 business days. Anything else?",
    dev_bye="Thanks for chatting with {company}. Have a great day!",
    dev_asks="Could you give me the order number so I can look into that?",
)

GERMAN = ChatWords(
    human=re.compile(r"\b(mensch(en)?|mitarbeiter(in)?|person|berater(in)?|jemand(em)?)\b", re.I),
    refund=re.compile(r"\b(erstattung|rückerstattung|rechnung(en)?|abrechnung)\b", re.I),
    charge=re.compile(r"\b(abgebucht|belastet|doppelt|zweimal|zahlung|erstattung|rechnung)\b", re.I),
    track=re.compile(r"\b(verfolgen|sendung|wo ist|status|liefer\w*|versand\w*|bestellung(en)?)\b",
                     re.I),
    returns=re.compile(r"\b(rücksendung(en)?|zurücksenden|umtausch)\b", re.I),
    warranty=re.compile(r"\b(garantie|kaputt|beschädigt|defekt|reparatur)\b", re.I),
    bye=re.compile(r"\b(nein danke|das war'?s|tschüss|auf wiedersehen|nichts weiter)\b", re.I),
    thanks=re.compile(r"\b(danke|vielen dank|super|perfekt)\b", re.I),
    hello="Hallo! Ich bin {bot}, die virtuelle Assistentin von {company}.",
    how_can_i_help="Wie kann ich Ihnen heute helfen?",
    welcome_quick=("Bestellung verfolgen", "Rücksendung starten", "Erstattung",
                   "Mit einem Menschen sprechen"),
    menu="Ich helfe Ihnen bei Bestellungen, Rücksendungen und Rechnungen. Worum geht es?",
    menu_quick=("Bestellungen", "Rücksendungen", "Rechnungen"),
    shipped_pending="Danke! Bestellung {order} wurde gestern verschickt und sollte am Donnerstag "
                    "ankommen. Kann ich sonst noch helfen?",
    label_sent="Erledigt! Ich habe Ihnen ein Rücksendeetikett für Bestellung {order} gemailt. "
               "Kann ich sonst noch helfen?",
    return_ask="Gern helfe ich bei einer Rücksendung. Wie lautet Ihre Bestellnummer?",
    warranty_elsewhere="Das tut mir leid! Garantiefälle bearbeiten wir nicht im Chat. Bitte rufen "
                       "Sie uns unter (555) 010-4477 an.",
    shipped="Bestellung {order} wurde gestern verschickt und sollte am Donnerstag ankommen.",
    order_ask="Gern! Wie lautet Ihre Bestellnummer? Sie beginnt mit BH.",
    bot_bye="Danke, dass Sie mit {company} gechattet haben. Tschüss!",
    welcome_back="Gern geschehen! Kann ich sonst noch helfen?",
    not_understood="Entschuldigung, das habe ich nicht verstanden. Fragen Sie nach einer "
                   "Bestellung, einer Rücksendung oder einer Rechnung, oder schreiben Sie "
                   "'Mitarbeiter'.",
    saved="Danke, Ihre Nachricht wurde gespeichert. Wir antworten per E-Mail.",
    connecting="Ich verbinde Sie mit einem Mitarbeiter aus unserem Team.",
    queued="Sie sind in der Warteschlange. Ein Mitarbeiter ist gleich für Sie da.",
    offline="Leider sind alle unsere Mitarbeiter beschäftigt und wir sind derzeit offline. Unser "
            "Team ist montags bis freitags von 9 bis 18 Uhr erreichbar. Hinterlassen Sie uns eine "
            "Nachricht, wir antworten per E-Mail.",
    joined="{name} ist dem Chat beigetreten",
    left="{name} hat den Chat verlassen",
    ended="{name} hat den Chat beendet",
    you_ended="Sie haben den Chat beendet",
    orders="Bestellungen",
    billing="Buchhaltung",
    maria_hello_order="Hallo, ich bin Maria von Bestellungen. Ich sehe, es geht um Bestellung "
                      "{order}. Wie kann ich helfen?",
    maria_hello="Hallo, ich bin Maria von Bestellungen. Wie kann ich helfen?",
    maria_transfers="Das ist ein Fall für unsere Buchhaltung. Ich verbinde Sie mit der "
                    "Buchhaltung, einen Moment bitte.",
    transferring="Sie werden mit der Buchhaltung verbunden…",
    dev_asks_again="Hallo, hier ist Dev von der Buchhaltung. Wie lautet Ihre Bestellnummer?",
    maria_shipped="Bestellung {order} hat gestern unser Lager verlassen und sollte am Donnerstag "
                  "ankommen.",
    maria_bye="Danke für Ihre Nachricht, einen schönen Tag!",
    maria_more="Können Sie mir mehr sagen? Geht es um eine Bestellung, eine Rücksendung oder eine "
               "Abbuchung?",
    dev_refunded="Danke. Ich sehe eine doppelte Abbuchung für Bestellung {order}. Ich habe sie "
                 "erstattet; sie erscheint in 3 bis 5 Werktagen auf Ihrem Konto.",
    dev_bye="Danke und einen schönen Tag!",
    dev_asks="Können Sie mir die Bestellnummer geben?",
)

#: language code -> the words of the lab chat
WORDS = {"en": ENGLISH, "de": GERMAN}
