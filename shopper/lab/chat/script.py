"""What Sunny the bot and the human agents do, including the planted problems; what they
say, in each language the lab speaks, is in wording.py.

Planted problems (each one a finding the chat scenarios must produce, in every language):
- any refund or billing question makes Sunny repeat one menu answer: a bot loop;
- a charge question sends Maria (Orders) to transfer the chat to Dev (Billing), who asks
  again for the order number the customer already gave: context lost at a handoff;
- outside business hours a requested agent never joins and the chat ends in
  "we're offline, leave a message": a dead end.
Healthy paths (order status, returns) exist so detectors can be shown not to fire.
"""

from __future__ import annotations

import asyncio
import re

from shopper.lab.chat.conversation import Conversation
from shopper.lab.chat.settings import ChatSettings
from shopper.lab.chat.wording import ENGLISH, ChatWords

BOT = "Sunny"
ORDER_RE = re.compile(r"\b(BH-?\d{4,6})\b", re.IGNORECASE)


def find_order(text: str) -> str | None:
    """Return the order number in ``text`` in canonical BH-NNNNN form, if any."""
    match = ORDER_RE.search(text)
    if not match:
        return None
    digits = re.sub(r"\D", "", match.group(1))
    return f"BH-{digits}"


class Script:
    """Plays the bot and the agents for one lab in one language; every delay goes through
    the settings."""

    def __init__(self, settings: ChatSettings, words: ChatWords = ENGLISH) -> None:
        self.settings = settings
        self.words = words

    async def pause(self, seconds: float) -> None:
        """Sleep for a scaled delay."""
        await asyncio.sleep(self.settings.scaled(seconds))

    async def say(self, conv: Conversation, who: str, text: str, *, dept: str = "",
                  quick: list[str] | None = None, typing: float | None = None) -> None:
        """Show a typing indicator for a while, then post the message."""
        role = "bot" if who == BOT else "agent"
        conv.set_typing(who)
        default = self.settings.bot_delay if role == "bot" else self.settings.agent_typing_delay
        await self.pause(default if typing is None else typing)
        conv.set_typing(None)
        conv.post(role, who, text, dept, quick)

    def end(self, conv: Conversation, by: str) -> None:
        """Close the conversation, saying so in the chat's language."""
        conv.end(by, self.words.ended.format(name=by))

    def welcome(self, conv: Conversation) -> None:
        """Post the greeting that is on screen before the customer types anything."""
        w = self.words
        conv.post("bot", BOT, w.hello.format(bot=BOT, company=self.settings.company))
        conv.post("bot", BOT, w.how_can_i_help, quick_replies=list(w.welcome_quick))

    async def answer(self, conv: Conversation, text: str) -> None:
        """React to one customer message according to who handles the chat now."""
        order = find_order(text)
        if order:
            conv.order = order
        handler = conv.handler
        if handler == "bot":
            await self._bot(conv, text, order)
        elif handler == "orders":
            await self._orders(conv, text, order)
        elif handler == "billing":
            await self._billing(conv, text, order)
        elif handler == "offline":
            await self.say(conv, BOT, self.words.saved)
        # "queue" and "ended": nobody is there to answer, which is the point.

    async def _bot(self, conv: Conversation, text: str, order: str | None) -> None:
        w, company = self.words, self.settings.company
        # the last quick reply of the welcome asks for a person
        if w.human.search(text) or text.strip().lower() == w.welcome_quick[-1].lower():
            await self._escalate(conv)
        elif conv.pending == "order" and order:
            conv.pending = None
            await self.say(conv, BOT, w.shipped_pending.format(order=order))
        elif conv.pending == "return" and order:
            conv.pending = None
            await self.say(conv, BOT, w.label_sent.format(order=order))
        elif w.refund.search(text):
            # The planted loop: the bot cannot do billing and answers every billing
            # question with the same menu, whose "Billing" button leads back here.
            await self.say(conv, BOT, w.menu, quick=list(w.menu_quick))
        elif w.returns.search(text):
            conv.pending = "return"
            await self.say(conv, BOT, w.return_ask)
        elif w.warranty.search(text):
            await self.say(conv, BOT, w.warranty_elsewhere)
        elif w.track.search(text) or order:
            if order:
                await self.say(conv, BOT, w.shipped.format(order=order))
            else:
                conv.pending = "order"
                await self.say(conv, BOT, w.order_ask)
        elif w.bye.search(text):
            await self.say(conv, BOT, w.bot_bye.format(company=company))
            self.end(conv, BOT)
        elif w.thanks.search(text):
            await self.say(conv, BOT, w.welcome_back)
        else:
            await self.say(conv, BOT, w.not_understood)

    async def _escalate(self, conv: Conversation) -> None:
        w = self.words
        await self.say(conv, BOT, w.connecting)
        conv.post("system", "", w.queued)
        if conv.after_hours:
            conv.handler = "queue"
            await self.pause(self.settings.offline_notice_after)
            conv.handler = "offline"
            conv.post("bot", BOT, w.offline)
            return
        conv.handler = "queue"
        await self.pause(self.settings.agent_join_delay)
        conv.handler = "orders"
        conv.post("system", "", w.joined.format(name="Maria"))
        # Context survives bot -> Maria: she can see what the customer told Sunny.
        greeting = w.maria_hello_order.format(order=conv.order) if conv.order else w.maria_hello
        await self.say(conv, "Maria", greeting, dept=w.orders)

    async def _orders(self, conv: Conversation, text: str, order: str | None) -> None:
        w = self.words
        if w.charge.search(text):
            await self.say(conv, "Maria", w.maria_transfers, dept=w.orders)
            conv.post("system", "", w.left.format(name="Maria"))
            conv.post("system", "", w.transferring)
            conv.handler = "queue"
            await self.pause(self.settings.transfer_delay)
            conv.handler = "billing"
            conv.post("system", "", w.joined.format(name="Dev"))
            # The planted context loss: Billing never sees the order number.
            await self.say(conv, "Dev", w.dev_asks_again, dept=w.billing)
        elif order or (w.track.search(text) and conv.order):
            await self.say(conv, "Maria", w.maria_shipped.format(order=conv.order), dept=w.orders)
        elif w.bye.search(text):
            await self.say(conv, "Maria", w.maria_bye, dept=w.orders)
            self.end(conv, "Maria")
        else:
            await self.say(conv, "Maria", w.maria_more, dept=w.orders)

    async def _billing(self, conv: Conversation, text: str, order: str | None) -> None:
        w = self.words
        if order:
            await self.say(conv, "Dev", w.dev_refunded.format(order=order), dept=w.billing)
        elif w.bye.search(text) or w.thanks.search(text):
            await self.say(conv, "Dev", w.dev_bye.format(company=self.settings.company),
                           dept=w.billing)
            self.end(conv, "Dev")
        else:
            await self.say(conv, "Dev", w.dev_asks, dept=w.billing)
