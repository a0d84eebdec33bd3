"""The `chat:` journey: a customer in the company's web chat widget."""

from __future__ import annotations

from ..spec import ChannelSpec, Field, StepSpec, text_checks

ROLES = ("customer", "bot", "agent", "system")

#: One rule telling message roles apart; the first rule that matches a message decides.
ROLE_RULE = Field("object", "A rule giving a role to the messages it matches.", fields={
    "selector": Field("str", "A CSS selector the message, or an element around it, matches."),
    "class": Field("str", "A class name on the message or an element around it."),
    "sender": Field("regex", "A pattern the sender label must match, e.g. '· (Orders|Billing)'."),
    "text": Field("regex", "A pattern the message text must match, e.g. 'joined the chat'."),
    "role": Field("choice", "The role these messages have.", required=True, choices=ROLES),
}, one_of=("selector", "class", "sender", "text"))

WIDGET = Field("object", "How to find the chat widget; anything left out is auto-detected.",
               fields={
    "launcher": Field("str", "CSS selector of the button that opens the chat; leave out when "
                             "the chat is open already.", example="button.chat-launcher"),
    "frame": Field("str", "CSS selector of the iframe the chat lives in, if it is in one.",
                   example="iframe.chat-frame"),
    "shadow_host": Field("str", "CSS selector of the element whose open shadow root holds "
                                "the chat, if it is in one.", example="chat-widget"),
    "input": Field("str", "CSS selector of the message box (default: the visible textarea, "
                          "text input or contenteditable in the widget)."),
    "send": Field("str", "CSS selector of the send button (default: press Enter)."),
    "messages": Field("str", "CSS selector matching each message (default: the blocks of "
                             "text inside the widget's ARIA log or feed)."),
    "sender": Field("str", "CSS selector of the sender label, looked for in the message and "
                           "then in the group around it (grouped messages share one label)."),
    "ignore": Field("str", "CSS selector of parts of a message that are not its text, such as "
                           "timestamps (default: time elements)."),
    "quick_replies": Field("str", "CSS selector of quick-reply buttons (default: any button "
                                  "or link in the widget)."),
    "end": Field("str", "CSS selector of the button that ends the chat."),
    "roles": Field("list", "Rules telling customer, bot, agent and system messages apart.",
                   item=ROLE_RULE),
    "load_timeout": Field("duration", "How long the widget may take to appear (default 15s)."),
})

_WITHIN = Field("duration", "How long to wait (default: the step's timeout).")
_FROM = Field("choice", "Whose reply counts (default: bot or agent).",
              choices=("bot", "agent", "system", "any"))

STEPS = {
    "say": StepSpec("say", "Type a message into the chat and send it.",
                    {"text": Field("str", "What the customer writes.", required=True, form="text")},
                    shorthand="text", example="Where is my order ${persona.order}?"),
    "choose": StepSpec("choose", "Click a quick-reply button or link in the widget.",
                       {"text": Field("str", "The button's text.", required=True, form="text")},
                       shorthand="text", example="Track my order"),
    "expect_reply": StepSpec(
        "expect_reply", "Wait for a reply and check it; with no check, any reply passes. It "
        "may match any reply after the customer's last line that no earlier expect_reply "
        "matched (expect_human does not use replies up); the widget's standard greeting "
        "arriving only after the customer wrote is not a reply.", {
            **text_checks("reply"),
            "within": _WITHIN,
            "from": _FROM,
        }, shorthand="contains", example={"contains": "order number", "within": "20s"}),
    "expect_human": StepSpec("expect_human", "Expect a human agent to speak after the "
                             "customer's last line (and after the agent line an earlier "
                             "expect_human matched) within a time.",
                             {"within": _WITHIN}, shorthand="within", example="2m"),
    "expect_not_asked_again": StepSpec(
        "expect_not_asked_again", "Check that nobody asked again for something the customer "
        "already gave in this chat.", {
            "about": Field("str", "What was asked for, as the company words it.",
                           required=True, example="order number", form="text"),
            "value": Field("str", "What the customer gave, e.g. ${persona.order}; by default "
                                  "the customer's answer to the first question about it."),
        }, shorthand="about", example={"about": "order number", "value": "${persona.order}"}),
    "wait": StepSpec("wait", "Pause, as a customer reading would; replies are still recorded.",
                     {"for": Field("duration", "How long.", required=True)},
                     shorthand="for", example="5s"),
    "end_chat": StepSpec("end_chat", "End the chat with the widget's end or close button."),
    "screenshot": StepSpec("screenshot", "Save a named screenshot of the widget.",
                           {"name": Field("str", "A name for the file.")},
                           shorthand="name", example="handoff"),
}

CHANNEL = ChannelSpec("chat", "A customer in the company's web chat widget.", settings={
    "start": Field("str", "The page that shows the chat widget.", required=True,
                   example="${BASE_URL}/", form="url"),
    "widget": WIDGET,
    "nav_retries": Field("int", "Retries of a page load that failed transiently (5xx, reset, "
                         "timeout); passing only on a retry is reported as flaky (default 1)."),
}, steps=STEPS)
