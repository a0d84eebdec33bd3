"""The forms a text value may be required to take: web addresses, keyboard keys, keypad
digits, phone numbers. Each check returns None when the value is fine, else what is wrong
and what would be right, so the checker can report it at the value's file:line:col."""

from __future__ import annotations

import difflib
import re
from urllib.parse import urlsplit

_SCHEME = re.compile(r"^([A-Za-z][A-Za-z0-9+.\-]*):")
_SPACE = re.compile(r"[\s\x00-\x1f\x7f]")

#: Playwright's key names (keyboard.press); a single character is a key as well
KEYS = frozenset([
    *(f"F{n}" for n in range(1, 25)), *(f"Digit{n}" for n in range(10)),
    *(f"Key{c}" for c in "ABCDEFGHIJKLMNOPQRSTUVWXYZ"), *(f"Numpad{n}" for n in range(10)),
    "Backquote", "Minus", "Equal", "Backslash", "Backspace", "Tab", "Delete", "Escape",
    "ArrowDown", "ArrowLeft", "ArrowRight", "ArrowUp", "End", "Enter", "Home", "Insert",
    "PageDown", "PageUp", "Space", "BracketLeft", "BracketRight", "Semicolon", "Quote",
    "Comma", "Period", "Slash", "CapsLock", "NumLock", "ScrollLock", "Pause", "PrintScreen",
    "ContextMenu", "NumpadAdd", "NumpadSubtract", "NumpadMultiply", "NumpadDivide",
    "NumpadDecimal", "NumpadEnter", "Shift", "Control", "Alt", "Meta", "ShiftLeft",
    "ShiftRight", "ControlLeft", "ControlRight", "AltLeft", "AltRight", "MetaLeft",
    "MetaRight", "ControlOrMeta", "AltGraph", "Clear", "Help",
])
_KEYS_LOWER = {k.lower(): k for k in KEYS}


def _starts_with_variable(value: str) -> bool:
    return value.startswith("${")


def url(value: str) -> str | None:
    """An absolute http(s) address, or one starting with a variable such as ${BASE_URL}."""
    if _starts_with_variable(value):
        return None
    if _SPACE.search(value):
        return "an address has no spaces or control characters; write %20 for a space"
    m = _SCHEME.match(value)
    if not m:
        return ("expected a full address starting with http:// or https://, or with a "
                "variable such as ${BASE_URL}")
    return _http(value, m.group(1))


def link(value: str) -> str | None:
    """A full address (as for `url`) or a path under the journey's start, e.g. /help."""
    if _starts_with_variable(value) or not value:
        return None if value else "the address is empty; write a path such as /help"
    if _SPACE.search(value):
        return "an address has no spaces or control characters; write %20 for a space"
    m = _SCHEME.match(value)
    if not m:
        return None  # a relative path
    return _http(value, m.group(1))


def _http(value: str, scheme: str) -> str | None:
    if scheme.lower() not in ("http", "https"):
        if "." in scheme or scheme.lower() == "localhost":
            return f"'{scheme}:' looks like a host; write http://{value}"
        return (f"'{scheme}:' addresses are not allowed; shopper opens only http:// and "
                "https:// pages")
    try:
        parts = urlsplit(value)
        parts.port  # noqa: B018 - raises on a bad port
    except ValueError as exc:
        return f"not a valid address: {exc}"
    if not parts.hostname and not parts.netloc.startswith("${"):
        return "the address has no host, e.g. https://shop.example/help"
    return None


def key(value: str) -> str | None:
    """A keyboard key or combination as Playwright names them: Enter, Tab, a, Control+A."""
    if _starts_with_variable(value):
        return None
    parts = value.split("+") if value != "+" else ["+"]
    if value.endswith("++"):  # "Shift++": the + key with a modifier
        parts = value[:-2].split("+") + ["+"]
    for part in parts:
        if len(part) == 1 or part in KEYS:
            continue
        if part.lower() in _KEYS_LOWER:
            return f"'{part}' is not a key name; key names are case-sensitive: " \
                   f"'{_KEYS_LOWER[part.lower()]}'"
        close = difflib.get_close_matches(part, sorted(KEYS), n=1, cutoff=0.6)
        hint = f"did you mean '{close[0]}'?" if close else "e.g. Enter, Tab, Escape, ArrowDown, a"
        return f"'{part}' is not a key; {hint} To type text, use fill"
    return None


def digits(value: str) -> str | None:
    """Keypad presses: 0-9, * and #, w or W to wait."""
    if _starts_with_variable(value):
        return None
    bad = re.search(r"[^0-9*#wW]+", value)
    if bad or not value:
        return (f"'{bad.group()[:20]}' cannot be pressed on a phone keypad" if bad
                else "no keys given") \
            + "; keys are 0-9, * and #, w waits half a second (use say: for words)"
    return None


def phone(value: str) -> str | None:
    """A phone number (digits, + and separators), a sip:/client: address, or a variable."""
    if _starts_with_variable(value) or value.startswith(("sip:", "client:")):
        return None
    if not re.fullmatch(r"\+?[0-9][0-9 ().\-]{1,30}", value):
        return "expected a phone number such as +15551234567, or a variable like " \
               "${COMPANY_PHONE}"
    return None


def text(value: str) -> str | None:
    """Any text but an empty one (an empty locator would match everything)."""
    return None if value.strip() else "the text is empty"


CHECKS = {"url": url, "link": link, "key": key, "digits": digits, "phone": phone, "text": text}
