"""Every channel in one table: its spec, driver, detectors, secrets, browser, report partial.

Adding a channel means its own folder plus one line here. The CLI, the runner, the
detectors and the reports read this table instead of lists of channel names. It imports
nothing of shopper (modules are named as strings), so every layer may read it.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Channel:
    """What makes a channel."""

    name: str
    #: "module:attribute" of its `ChannelSpec` (the scenario format)
    spec: str
    #: "module:Class" of its driver, imported only when a journey of it runs
    driver: str
    #: modules of `shopper.detect` whose DETECTORS and METRICS judge it, in order
    detectors: tuple[str, ...]
    #: metrics it reports (names in the glossary or its own)
    metrics: tuple[str, ...] = ()
    #: settings and environment names whose values are secrets (never written)
    secrets: tuple[str, ...] = ()
    needs_browser: bool = False
    #: its report partial in reports/templates/ (None: none)
    partial: str | None = None


CHANNELS: dict[str, Channel] = {c.name: c for c in (
    Channel("web", "shopper.scenario.specs.web:CHANNEL", "shopper.channels.web:WebDriver",
            ("web",), ("pages", "inputs"), needs_browser=True),
    Channel("chat", "shopper.scenario.specs.chat:CHANNEL", "shopper.channels.chat:ChatDriver",
            ("conversation",), ("time_to_first_response", "time_to_human", "repeated_questions"),
            needs_browser=True, partial="channel_chat.html"),
    Channel("phone", "shopper.scenario.specs.phone:CHANNEL", "shopper.channels.phone:PhoneDriver",
            ("conversation", "phone"), ("time_to_first_response", "time_to_human", "hold_time",
                                        "menu_depth", "keys_pressed", "transfers"),
            secrets=("TWILIO_AUTH_TOKEN", "TWILIO_API_SECRET"), partial="channel_phone.html"),
)}


def names() -> list[str]:
    """Channel names in registry order."""
    return list(CHANNELS)


def detector_modules() -> tuple[str, ...]:
    """`shopper.detect` modules to run: the shared `steps` first, then each channel's, once."""
    out = ["steps"]
    for c in CHANNELS.values():
        out += [m for m in c.detectors if m not in out]
    return tuple(out)


def browser_channels() -> tuple[str, ...]:
    """Channels whose journeys need Chromium."""
    return tuple(c.name for c in CHANNELS.values() if c.needs_browser)


def secret_names() -> tuple[str, ...]:
    """Environment names of every channel's secrets."""
    return tuple(s for c in CHANNELS.values() for s in c.secrets)
