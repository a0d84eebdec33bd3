"""Settings of the lab's chat widget: business hours, delays and polling."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class ChatSettings:
    """Tunable behaviour of the lab chat; tests shrink every delay with ``speed``."""

    company: str = "Brightside Home"
    business_hours: bool = True
    """Outside business hours a requested agent never joins (a planted dead end)."""
    widget_available: bool = True
    """False makes the conversation frame answer 503, so the widget never loads."""
    speed: float = 1.0
    """Scale of every delay below (the lab's `chat_speed`): 1 is a realistic pace for demos,
    0.05 runs the same script twenty times faster for tests, keeping the order of events."""
    bot_delay: float = 0.8
    agent_join_delay: float = 4.0
    agent_typing_delay: float = 2.5
    transfer_delay: float = 3.0
    offline_notice_after: float = 6.0
    poll_interval_ms: int = 500
    language: str = "en"
    """The language Sunny and the agents speak unless a visit asks for another (chat_lang)."""

    def scaled(self, seconds: float) -> float:
        """Return ``seconds`` at this lab's speed."""
        return max(0.0, seconds * self.speed)

    @classmethod
    def fast(cls, **overrides: object) -> ChatSettings:
        """Settings for tests and CI: same script, delays cut to a few tens of milliseconds."""
        base: dict[str, object] = {"speed": 0.05}
        base.update(overrides)
        return cls(**base)  # type: ignore[arg-type]
