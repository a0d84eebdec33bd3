"""The lab chat in German: the same bot, agents and planted problems as script.py.

Planted problems (the German chat scenarios must find each one, like the English ones):
- any refund or billing question makes Sunny repeat one menu answer: a bot loop;
- a charge question sends Maria (Bestellungen) to transfer the chat to Dev (Buchhaltung),
  who asks again for the order number the customer already gave: context lost;
- outside business hours a requested agent never joins and the chat ends in "wir sind
  offline, hinterlassen Sie uns eine Nachricht": a dead end.
"""

from __future__ import annotations

import re

from shopper.lab.chat.conversation import Conversation
from shopper.lab.chat.script import BOT, Script, find_order

MENU = ("Ich helfe Ihnen bei Bestellungen, Rücksendungen und Rechnungen. "
        "Worum geht es?")
WELCOME_QUICK = ["Bestellung verfolgen", "Rücksendung starten", "Erstattung", "Mit einem Menschen sprechen"]
ORDERS, BILLING = "Bestellungen", "Buchhaltung"

HUMAN_RE = re.compile(r"\b(mensch(en)?|mitarbeiter(in)?|person|berater(in)?|jemand(em)?)\b", re.I)
REFUND_RE = re.compile(r"\b(erstattung|rückerstattung|rechnung(en)?|abrechnung)\b", re.I)
CHARGE_RE = re.compile(r"\b(abgebucht|belastet|doppelt|zweimal|zahlung|erstattung|rechnung)\b", re.I)
TRACK_RE = re.compile(r"\b(verfolgen|sendung|wo ist|status|liefer\w*|versand\w*|bestellung(en)?)\b", re.I)
RETURN_RE = re.compile(r"\b(rücksendung(en)?|zurücksenden|umtausch)\b", re.I)
WARRANTY_RE = re.compile(r"\b(garantie|kaputt|beschädigt|defekt|reparatur)\b", re.I)
BYE_RE = re.compile(r"\b(nein danke|das war'?s|tschüss|auf wiedersehen|nichts weiter)\b", re.I)
THANKS_RE = re.compile(r"\b(danke|vielen dank|super|perfekt)\b", re.I)


def _end(conv: Conversation, by: str) -> None:
    """Close the conversation, saying so in German."""
    if conv.handler != "ended":
        conv.handler, conv.typing = "ended", None
        conv.post("system", "", f"{by} hat den Chat beendet")


class GermanScript(Script):
    """Sunny, Maria and Dev, speaking German."""

    def welcome(self, conv: Conversation) -> None:
        """Post the greeting that is on screen before the customer types anything."""
        conv.post("bot", BOT, f"Hallo! Ich bin {BOT}, die virtuelle Assistentin von "
                              f"{self.settings.company}.")
        conv.post("bot", BOT, "Wie kann ich Ihnen heute helfen?", quick_replies=WELCOME_QUICK)

    async def answer(self, conv: Conversation, text: str) -> None:
        """React to one customer message according to who handles the chat now."""
        order = find_order(text)
        if order:
            conv.order = order
        if conv.handler == "bot":
            await self._bot(conv, text, order)
        elif conv.handler == "orders":
            await self._orders(conv, text, order)
        elif conv.handler == "billing":
            await self._billing(conv, text, order)
        elif conv.handler == "offline":
            await self.say(conv, BOT, "Danke, Ihre Nachricht wurde gespeichert. Wir antworten "
                                      "per E-Mail.")

    async def _bot(self, conv: Conversation, text: str, order: str | None) -> None:
        if HUMAN_RE.search(text):
            await self._escalate(conv)
        elif conv.pending == "order" and order:
            conv.pending = None
            await self.say(conv, BOT, f"Danke! Bestellung {order} wurde gestern verschickt und "
                                      "sollte am Donnerstag ankommen. Kann ich sonst noch helfen?")
        elif conv.pending == "return" and order:
            conv.pending = None
            await self.say(conv, BOT, f"Erledigt! Ich habe Ihnen ein Rücksendeetikett für "
                                      f"Bestellung {order} gemailt. Kann ich sonst noch helfen?")
        elif REFUND_RE.search(text):
            # the planted loop: every billing question gets the same menu
            await self.say(conv, BOT, MENU, quick=["Bestellungen", "Rücksendungen", "Rechnungen"])
        elif RETURN_RE.search(text):
            conv.pending = "return"
            await self.say(conv, BOT, "Gern helfe ich bei einer Rücksendung. Wie lautet Ihre "
                                      "Bestellnummer?")
        elif WARRANTY_RE.search(text):
            await self.say(conv, BOT, "Das tut mir leid! Garantiefälle bearbeiten wir nicht im "
                                      "Chat. Bitte rufen Sie uns unter (555) 010-4477 an.")
        elif TRACK_RE.search(text) or order:
            if order:
                await self.say(conv, BOT, f"Bestellung {order} wurde gestern verschickt und "
                                          "sollte am Donnerstag ankommen.")
            else:
                conv.pending = "order"
                await self.say(conv, BOT, "Gern! Wie lautet Ihre Bestellnummer? Sie beginnt mit BH.")
        elif BYE_RE.search(text):
            await self.say(conv, BOT, f"Danke, dass Sie mit {self.settings.company} gechattet "
                                      "haben. Tschüss!")
            _end(conv, BOT)
        elif THANKS_RE.search(text):
            await self.say(conv, BOT, "Gern geschehen! Kann ich sonst noch helfen?")
        else:
            await self.say(conv, BOT, "Entschuldigung, das habe ich nicht verstanden. Fragen Sie "
                                      "nach einer Bestellung, einer Rücksendung oder einer "
                                      "Rechnung, oder schreiben Sie 'Mitarbeiter'.")

    async def _escalate(self, conv: Conversation) -> None:
        await self.say(conv, BOT, "Ich verbinde Sie mit einem Mitarbeiter aus unserem Team.")
        conv.post("system", "", "Sie sind in der Warteschlange. Ein Mitarbeiter ist gleich für Sie da.")
        if conv.after_hours:
            conv.handler = "queue"
            await self.pause(self.settings.offline_notice_after)
            conv.handler = "offline"
            conv.post("bot", BOT, "Leider sind alle unsere Mitarbeiter beschäftigt und wir sind "
                                  "derzeit offline. Unser Team ist montags bis freitags von 9 bis "
                                  "18 Uhr erreichbar. Hinterlassen Sie uns eine Nachricht, wir "
                                  "antworten per E-Mail.")
            return
        conv.handler = "queue"
        await self.pause(self.settings.agent_join_delay)
        conv.handler = "orders"
        conv.post("system", "", "Maria ist dem Chat beigetreten")
        about = (f" Ich sehe, es geht um Bestellung {conv.order}." if conv.order else "")
        await self.say(conv, "Maria", f"Hallo, ich bin Maria von {ORDERS}.{about} Wie kann ich "
                                      "helfen?", dept=ORDERS)

    async def _orders(self, conv: Conversation, text: str, order: str | None) -> None:
        if CHARGE_RE.search(text):
            await self.say(conv, "Maria", "Das ist ein Fall für unsere Buchhaltung. Ich verbinde "
                                          "Sie mit der Buchhaltung, einen Moment bitte.", dept=ORDERS)
            conv.post("system", "", "Maria hat den Chat verlassen")
            conv.post("system", "", "Sie werden mit der Buchhaltung verbunden…")
            conv.handler = "queue"
            await self.pause(self.settings.transfer_delay)
            conv.handler = "billing"
            conv.post("system", "", "Dev ist dem Chat beigetreten")
            # the planted context loss: Billing never sees the order number
            await self.say(conv, "Dev", "Hallo, hier ist Dev von der Buchhaltung. Wie lautet "
                                        "Ihre Bestellnummer?", dept=BILLING)
        elif order or (TRACK_RE.search(text) and conv.order):
            await self.say(conv, "Maria", f"Bestellung {conv.order} hat gestern unser Lager "
                                          "verlassen und sollte am Donnerstag ankommen.", dept=ORDERS)
        elif BYE_RE.search(text):
            await self.say(conv, "Maria", "Danke für Ihre Nachricht, einen schönen Tag!", dept=ORDERS)
            _end(conv, "Maria")
        else:
            await self.say(conv, "Maria", "Können Sie mir mehr sagen? Geht es um eine Bestellung, "
                                          "eine Rücksendung oder eine Abbuchung?", dept=ORDERS)

    async def _billing(self, conv: Conversation, text: str, order: str | None) -> None:
        if order:
            await self.say(conv, "Dev", f"Danke. Ich sehe eine doppelte Abbuchung für Bestellung "
                                        f"{order}. Ich habe sie erstattet; sie erscheint in 3 bis 5 "
                                        "Werktagen auf Ihrem Konto.", dept=BILLING)
        elif BYE_RE.search(text) or THANKS_RE.search(text):
            await self.say(conv, "Dev", "Danke und einen schönen Tag!", dept=BILLING)
            _end(conv, "Dev")
        else:
            await self.say(conv, "Dev", "Können Sie mir die Bestellnummer geben?", dept=BILLING)


#: language code -> the script class of the lab chat
SCRIPTS = {"en": Script, "de": GermanScript}
