"""What Sunny the bot and the human agents say, including the planted problems.

Planted problems (each one a finding the chat scenarios must produce):
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

BOT = "Sunny"
MENU = "I can help with orders, returns and billing. What would you like to do?"
WELCOME_QUICK = ["Track my order", "Start a return", "Refund status", "Talk to a person"]

ORDER_RE = re.compile(r"\b(BH-?\d{4,6})\b", re.IGNORECASE)
HUMAN_RE = re.compile(r"\b(human|agent|person|representative|operator|someone|somebody|staff)\b", re.I)
REFUND_RE = re.compile(r"\b(refund|billing|bill|invoice)\b", re.I)
CHARGE_RE = re.compile(r"\b(charge|charged|billing|payment|refund|invoice|twice)\b", re.I)
TRACK_RE = re.compile(r"\b(track|tracking|where is|status|deliver\w*|shipp\w*|orders?)\b", re.I)
RETURN_RE = re.compile(r"\b(return|returns|send back|exchange)\b", re.I)
WARRANTY_RE = re.compile(r"\b(warranty|broken|damaged|faulty|repair)\b", re.I)
BYE_RE = re.compile(r"\b(no thanks|no,? that'?s all|that'?s all|bye|goodbye|nothing else)\b", re.I)
THANKS_RE = re.compile(r"\b(thanks|thank you|great|perfect)\b", re.I)


def find_order(text: str) -> str | None:
    """Return the order number in ``text`` in canonical BH-NNNNN form, if any."""
    match = ORDER_RE.search(text)
    if not match:
        return None
    digits = re.sub(r"\D", "", match.group(1))
    return f"BH-{digits}"


class Script:
    """Plays the bot and the agents for one lab; every delay goes through the settings."""

    def __init__(self, settings: ChatSettings) -> None:
        self.settings = settings

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

    def welcome(self, conv: Conversation) -> None:
        """Post the greeting that is on screen before the customer types anything."""
        company = self.settings.company
        conv.post("bot", BOT, f"Hi there! I'm {BOT}, {company}'s virtual assistant.")
        conv.post("bot", BOT, "How can I help you today?", quick_replies=WELCOME_QUICK)

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
            await self.say(conv, BOT, "Thanks, your message has been saved. We'll reply by email.")
        # "queue" and "ended": nobody is there to answer, which is the point.

    async def _bot(self, conv: Conversation, text: str, order: str | None) -> None:
        if HUMAN_RE.search(text) or text.strip().lower() == "talk to a person":
            await self._escalate(conv)
        elif conv.pending == "order" and order:
            conv.pending = None
            await self.say(conv, BOT, f"Thanks! Order {order} shipped yesterday and should "
                                      "arrive on Thursday. Anything else I can help with?")
        elif conv.pending == "return" and order:
            conv.pending = None
            await self.say(conv, BOT, f"Done! I've emailed you a prepaid return label for order "
                                      f"{order}. Anything else I can help with?")
        elif REFUND_RE.search(text):
            # The planted loop: the bot cannot do billing and answers every billing
            # question with the same menu, whose "Billing" button leads back here.
            await self.say(conv, BOT, MENU, quick=["Orders", "Returns", "Billing"])
        elif RETURN_RE.search(text):
            conv.pending = "return"
            await self.say(conv, BOT, "I can help with a return. What's your order number?")
        elif WARRANTY_RE.search(text):
            await self.say(conv, BOT, "I'm sorry about that! Warranty claims aren't handled in "
                                      "chat. Please call us at (555) 010-4477 or email "
                                      "care@brightside.example and we'll sort it out.")
        elif TRACK_RE.search(text) or order:
            if order:
                await self.say(conv, BOT, f"Order {order} shipped yesterday and should arrive on "
                                          "Thursday. Anything else I can help with?")
            else:
                conv.pending = "order"
                await self.say(conv, BOT, "Sure! What's your order number? It starts with BH.")
        elif BYE_RE.search(text):
            await self.say(conv, BOT, f"Thanks for chatting with {self.settings.company}. Bye!")
            conv.end(BOT)
        elif THANKS_RE.search(text):
            await self.say(conv, BOT, "You're welcome! Anything else I can help with?")
        else:
            await self.say(conv, BOT, "Sorry, I didn't quite get that. You can ask about an "
                                      "order, a return or billing, or type 'agent' to talk to a "
                                      "person.")

    async def _escalate(self, conv: Conversation) -> None:
        await self.say(conv, BOT, "Let me connect you with a member of our team.")
        conv.post("system", "", "You're in the queue. An agent will be with you shortly.")
        if conv.after_hours:
            conv.handler = "queue"
            await self.pause(self.settings.offline_notice_after)
            conv.handler = "offline"
            conv.post("bot", BOT, "Sorry, all our agents are busy and we're currently offline. "
                                  "Our team is available Monday to Friday, 9am to 6pm. Leave a "
                                  "message and we'll get back to you by email.")
            return
        conv.handler = "queue"
        await self.pause(self.settings.agent_join_delay)
        conv.handler = "orders"
        conv.post("system", "", "Maria joined the chat")
        if conv.order:
            # Context survives bot -> Maria: she can see what the customer told Sunny.
            greeting = (f"Hi, I'm Maria from Orders. I can see you're asking about order "
                        f"{conv.order}. How can I help?")
        else:
            greeting = "Hi, I'm Maria from Orders. How can I help you today?"
        await self.say(conv, "Maria", greeting, dept="Orders")

    async def _orders(self, conv: Conversation, text: str, order: str | None) -> None:
        if CHARGE_RE.search(text):
            await self.say(conv, "Maria", "That's one for our Billing team. Let me transfer you "
                                          "to Billing, one moment please.", dept="Orders")
            conv.post("system", "", "Maria left the chat")
            conv.post("system", "", "Transferring you to Billing…")
            conv.handler = "queue"
            await self.pause(self.settings.transfer_delay)
            conv.handler = "billing"
            conv.post("system", "", "Dev joined the chat")
            # The planted context loss: Billing never sees the order number.
            await self.say(conv, "Dev", "Hi, this is Dev from Billing. Can I have your order "
                                        "number, please?", dept="Billing")
        elif order or (TRACK_RE.search(text) and conv.order):
            await self.say(conv, "Maria", f"Order {conv.order} left our warehouse yesterday and "
                                          "should arrive on Thursday.", dept="Orders")
        elif BYE_RE.search(text):
            await self.say(conv, "Maria", "Thanks for chatting, have a lovely day!", dept="Orders")
            conv.end("Maria")
        else:
            await self.say(conv, "Maria", "Could you tell me a bit more? Is it about an order, a "
                                          "return or a charge?", dept="Orders")

    async def _billing(self, conv: Conversation, text: str, order: str | None) -> None:
        if order:
            await self.say(conv, "Dev", f"Thanks. I can see a duplicate charge on order {order}. "
                                        "I've refunded it; it will show on your statement in 3 "
                                        "to 5 business days. Anything else?", dept="Billing")
        elif BYE_RE.search(text) or THANKS_RE.search(text):
            await self.say(conv, "Dev", f"Thanks for chatting with {self.settings.company}. "
                                        "Have a great day!", dept="Billing")
            conv.end("Dev")
        else:
            await self.say(conv, "Dev", "Could you give me the order number so I can look into "
                                        "that?", dept="Billing")
