"""The `web:` journey: a customer on the company's website."""

from __future__ import annotations

from ..spec import ChannelSpec, Field, StepSpec

#: How a step names an element on the page; exactly one of these is given.
LOCATORS: dict[str, Field] = {
    "text": Field("str", "The element's visible text, e.g. 'Start a return'.", form="text"),
    "role": Field("choice", "An ARIA role, used with `name`.", choices=(
        "link", "button", "textbox", "checkbox", "radio", "combobox", "heading", "tab",
        "menuitem", "option", "searchbox", "img", "listitem", "dialog", "alert")),
    "label": Field("str", "The label of a form field, e.g. 'Order number'.", form="text"),
    "placeholder": Field("str", "The placeholder text of a form field.", form="text"),
    "css": Field("str", "A CSS selector, e.g. '#search button'.", form="text"),
    "testid": Field("str", "The element's data-testid attribute.", form="text"),
}
LOCATOR_KEYS = tuple(LOCATORS)
_TARGET_OPTS: dict[str, Field] = {
    "name": Field("str", "With `role`: the accessible name, e.g. role: link, name: Returns."),
    "exact": Field("bool", "Match the text exactly instead of as a part (default false)."),
    "nth": Field("int", "Which match to use when several match, counting from 1.", minimum=1),
}


def _target(**extra: Field) -> dict[str, Field]:
    return {**LOCATORS, **_TARGET_OPTS, **extra}


STEPS = {
    "goto": StepSpec("goto", "Open a page: a full URL or a path under the journey's start.",
                     {"url": Field("str", "The address, e.g. /help or ${BASE_URL}/orders.",
                                   required=True, form="link")},
                     shorthand="url", example="/help"),
    "click": StepSpec("click", "Click a link or button, found by text, role, label or CSS.",
                      _target(), shorthand="text", one_of=LOCATOR_KEYS, example="Returns"),
    "fill": StepSpec("fill", "Type into a form field.",
                     _target(value=Field("str", "What to type.", required=True)),
                     one_of=LOCATOR_KEYS,
                     example={"label": "Order number", "value": "${persona.order}"}),
    "select": StepSpec("select", "Choose an option in a drop-down list.",
                       _target(option=Field("str", "The option's visible text or value.",
                                            required=True)),
                       one_of=LOCATOR_KEYS, example={"label": "Reason", "option": "Damaged"}),
    "check": StepSpec("check", "Tick a checkbox or choose a radio button.",
                      _target(), shorthand="label", one_of=LOCATOR_KEYS,
                      example="I agree to the terms"),
    "press": StepSpec("press", "Press a key, e.g. Enter or Tab (in a field when one is named).",
                      _target(key=Field("str", "The key, e.g. Enter.", required=True, form="key")),
                      shorthand="key", example="Enter"),
    "expect": StepSpec("expect", "Check what the customer sees: text, URL, title or element.", {
        "text": Field("str", "Text that must be visible on the page.", form="text"),
        "no_text": Field("str", "Text that must NOT be visible on the page.", form="text"),
        "url": Field("str", "Text the page's address must contain.", form="text"),
        "title": Field("str", "Text the page's title must contain.", form="text"),
        "element": Field("str", "A CSS selector of an element that must be visible.",
                         form="text"),
        "invalid": Field("str", "A field (by its label) the browser's own validation has "
                                "flagged, e.g. a required field left empty.", form="text"),
    }, shorthand="text", one_of=("text", "no_text", "url", "title", "element", "invalid"),
        example="Your return has started"),
    "wait_for": StepSpec("wait_for", "Wait until text, an element or a URL appears.", {
        "text": Field("str", "Text to wait for.", form="text"),
        "element": Field("str", "A CSS selector to wait for.", form="text"),
        "url": Field("str", "Text the address must come to contain.", form="text"),
    }, shorthand="text", one_of=("text", "element", "url"), example="Order status"),
    "upload": StepSpec("upload", "Attach a file to a file field; the file sits beside the "
                       "scenario (or give a path relative to it).",
                       _target(file=Field("str", "The file, e.g. receipt.png.", required=True)),
                       one_of=LOCATOR_KEYS, example={"label": "Attach a file", "file": "receipt.png"}),
    "wait": StepSpec("wait", "Pause, as a customer reading would.",
                     {"for": Field("duration", "How long.", required=True)},
                     shorthand="for", example="2s"),
    "back": StepSpec("back", "Go back to the previous page."),
    "screenshot": StepSpec("screenshot", "Save a named screenshot as evidence.", {
        "name": Field("str", "A name for the file."),
        "full_page": Field("bool", "Capture the whole page, not only the window."),
    }, shorthand="name", example="confirmation"),
}

CHANNEL = ChannelSpec("web", "A customer on the company's website.", settings={
    "start": Field("str", "The first page; relative `goto` steps resolve against it.",
                   example="${BASE_URL}/", form="url"),
    "nav_retries": Field("int", "Retries of a page load that failed transiently (5xx, reset, "
                         "timeout); passing only on a retry is reported as flaky (default 1)."),
    "own": Field("list", "Other addresses that belong to the company (an account portal): "
                         "going there is not a handoff to another site.",
                 item=Field("str"), example=["https://account.example.com"]),
}, steps=STEPS)
