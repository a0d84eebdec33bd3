"""The `phone:` journey: a customer calling the company's phone line through Twilio."""

from __future__ import annotations

from ..spec import ChannelSpec, Field, StepSpec, text_checks

_WITHIN = Field("duration", "How long to wait, in call time (default: the step's timeout). "
                            "On a live call also raise the step's `timeout`.")
_FROM = Field("choice", "Whose words count (default: any).", choices=("ivr", "agent", "any"))

STEPS = {
    "call": StepSpec("call", "Place the call and wait until it is answered (the first other "
                             "step places it too).", {
        "to": Field("str", "The number to call (default: the journey's `to`).",
                    example="${COMPANY_PHONE}", form="phone"),
        "within": Field("duration", "How long it may ring (default 60s)."),
    }, shorthand="to", example="${COMPANY_PHONE}"),
    "expect_prompt": StepSpec(
        "expect_prompt", "Wait for the IVR or a person to say something and check it; with "
                         "no check, anything said passes.", {
            **text_checks("words"),
            "within": _WITHIN,
            "from": _FROM,
        }, shorthand="contains", example={"contains": "for returns", "within": "30s"}),
    "press": StepSpec("press", "Press keys on the keypad (w waits half a second).",
                      {"digits": Field("str", "The keys, e.g. 2 or 1w4#.", required=True,
                                       form="digits")},
                      shorthand="digits", example="2"),
    "say": StepSpec("say", "Say something to the IVR or the person on the line.",
                    {"text": Field("str", "The words.", required=True, form="text")},
                    shorthand="text", example="I'd like to return order ${persona.order}"),
    "navigate": StepSpec(
        "navigate", "Walk the menus toward a goal: read each menu's options, take the one that "
                    "fits best, fall back to an operator; done when a person answers or the "
                    "goal's department is reached.", {
            "goal": Field("str", "What the customer wants, in their words.", required=True,
                          example="returns", form="text"),
            "keywords": Field("strings", "Other words for the goal, e.g. [refund, send back]."),
            "fallback": Field("bool", "Ask for an operator when no option fits (default true)."),
            "max_menus": Field("int", "Menus to go through before giving up (default 6).",
                               minimum=1),
            "within": _WITHIN,
        }, shorthand="goal", example={"goal": "returns", "keywords": ["refund"]}),
    "expect_human": StepSpec("expect_human", "Expect a person (not a recording) to speak "
                                             "within a time.",
                             {"within": _WITHIN}, shorthand="within", example="2m"),
    "hold": StepSpec("hold", "Stay on hold until a person answers, up to a budget; past it "
                             "the step fails (a dead end).",
                     {"up_to": Field("duration", "The longest acceptable hold.", required=True)},
                     shorthand="up_to", example="10m"),
    "expect_not_asked_again": StepSpec(
        "expect_not_asked_again", "Check that nobody asked again for something the customer "
        "already gave on this call.", {
            "about": Field("str", "What was asked for, as the company words it.",
                           required=True, example="order number", form="text"),
            "value": Field("str", "What the customer gave, e.g. ${persona.order}."),
        }, shorthand="about", example={"about": "order number", "value": "${persona.order}"}),
    "wait": StepSpec("wait", "Listen for a while (call time); what is said is recorded.",
                     {"for": Field("duration", "How long.", required=True)},
                     shorthand="for", example="10s"),
    "hang_up": StepSpec("hang_up", "Hang up (the call is always hung up at the end anyway)."),
}

CHANNEL = ChannelSpec("phone", "A customer calling the company's phone line.", settings={
    "to": Field("str", "The number to call.", example="${COMPANY_PHONE}", form="phone"),
    "record": Field("bool", "Record the call (default true; mind consent rules)."),
    "time_limit": Field("duration", "Hard limit on the call's length, enforced by Twilio "
                                    "(default 10m, never above PHONE_MAX_CALL_SECONDS)."),
    "listen": Field("duration", "Silence after which the shopper's ear reports nothing heard "
                                "(default 5s)."),
    "language": Field("str", "Speech recognition language (default en-US)."),
}, steps=STEPS)
