"""TwiML documents as the simulator reads them: verbs with attributes, text and nouns."""

from __future__ import annotations

import functools
import xml.etree.ElementTree as ET
from dataclasses import dataclass, field
from urllib.parse import urljoin

#: Verbs the interpreter executes; anything else is reported and skipped.
SUPPORTED_VERBS = frozenset({
    "Say", "Play", "Pause", "Gather", "Redirect", "Hangup", "Reject", "Dial", "Enqueue",
    "Leave", "Record",
})
#: Verbs Twilio allows inside <Gather>.
GATHER_NESTABLE = frozenset({"Say", "Play", "Pause"})


class TwimlError(ValueError):
    """A webhook answered with something that is not a TwiML <Response>."""

    def __init__(self, message: str, code: int = 12100) -> None:
        super().__init__(message)
        self.code = code


@dataclass
class Verb:
    """One TwiML element: `name`, its attributes, its text and its child elements."""

    name: str
    attrs: dict[str, str] = field(default_factory=dict)
    text: str = ""
    children: list["Verb"] = field(default_factory=list)

    def attr(self, name: str, default: str = "") -> str:
        """An attribute's value, or `default` when absent or blank."""
        value = self.attrs.get(name, "").strip()
        return value or default

    def number(self, name: str, default: float) -> float:
        """A numeric attribute, or `default` when absent or malformed (as Twilio does)."""
        try:
            return float(self.attrs[name])
        except (KeyError, ValueError):
            return default

    def flag(self, name: str, default: bool = False) -> bool:
        """A true/false attribute."""
        value = self.attrs.get(name)
        return default if value is None else value.strip().lower() == "true"

    def loops(self, default: int = 1) -> int:
        """The `loop` attribute; 0 means "until the call ends" and becomes a large count."""
        count = int(self.number("loop", default))
        return 1000 if count <= 0 else count


def _convert(element: ET.Element) -> Verb:
    return Verb(
        name=element.tag,
        attrs={k: v for k, v in element.attrib.items()},
        text=(element.text or "").strip(),
        children=[_convert(child) for child in element],
    )


def parse_twiml(body: str) -> list[Verb]:
    """The verbs of a TwiML <Response>, in order."""
    try:
        root = ET.fromstring(body.strip())
    except ET.ParseError as exc:
        raise TwimlError(f"Document parse failure: {exc}") from exc
    if root.tag != "Response":
        raise TwimlError(f"Document root is <{root.tag}>, expected <Response>")
    return [_convert(child) for child in root]


@functools.lru_cache(maxsize=4096)
def resolve(base_url: str, target: str) -> str:
    """`target` (absolute or relative, as TwiML allows) resolved against `base_url`
    (cached: each <Gather> resolves the same few URLs again and again)."""
    return urljoin(base_url, target.strip())
