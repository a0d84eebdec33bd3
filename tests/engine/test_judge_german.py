"""Detectors judge German transcripts with the German pack, as they judge English ones."""

from __future__ import annotations

from shopper.detect import analyse

from .events import call, journey, msg, say

DE = {"code": "de", "cues": {}}


def codes(events, rules=None):
    return {f.code: f for f in analyse(events, rules).findings}


def test_german_chat_handoff_with_lost_context():
    events = journey("chat",
                     msg(1, "customer", "Hallo, mein Paket ist nicht angekommen."),
                     msg(2, "bot", "Wie lautet Ihre Bestellnummer?", "Sunny (virtueller Assistent)"),
                     msg(3, "customer", "BR-48213"),
                     msg(4, "bot", "Ich verbinde Sie mit einem Mitarbeiter.", "Sunny (virtueller Assistent)"),
                     msg(5, "system", "Maria ist dem Chat beigetreten."),
                     msg(6, "agent", "Hallo, hier ist Maria. Wie lautet Ihre Bestellnummer?", "Maria"),
                     language=DE)
    found = codes(events)
    handoff = found["bot_to_human"]
    assert "beigetreten" in handoff.details["how"]
    assert handoff.details["context_survived"] is False
    assert handoff.details["asked_again"] == "order number"
    # the same transcript judged with the English pack misses the German cues
    english = codes(events, {"code": "en"})["bot_to_human"]
    assert english.details["how"].startswith("inferred")


def test_german_offline_notice_is_a_dead_end():
    events = journey("chat", msg(1, "customer", "Ich möchte mit einem Mitarbeiter sprechen."),
                     msg(2, "bot", "Leider sind alle unsere Mitarbeiter derzeit nicht verfügbar. "
                         "Hinterlassen Sie uns eine Nachricht."), language=DE)
    assert "offline" in codes(events)
    assert "offline" not in codes(events, {"code": "en"})


def test_german_phone_hold_and_hang_up():
    events = journey("phone", call(0, "in-progress"),
                     msg(1, "ivr", "Für Bestellungen drücken Sie die 1. Für Rücksendungen drücken Sie die 2."),
                     {"kind": "input", "at": 2, "action": "digits", "text": "2"},
                     msg(3, "ivr", "Bitte bleiben Sie dran. Ihr Anruf ist uns wichtig."),
                     msg(40, "ivr", "Auf Wiederhören."), call(41, "completed"),
                     steps=("hold",), language=DE)
    a = analyse(events)
    assert a.metrics["hold_time"] >= 37
    assert "hung_up_before_human" in {f.code for f in a.findings}
    assert a.resolution == "dead_end"


def test_german_channel_handoff_with_number():
    events = journey("chat", msg(1, "customer", "Ich will meine Rechnung ändern."),
                     msg(2, "bot", "Dafür rufen Sie uns bitte unter 030 1234567 an."), language=DE)
    f = codes(events)["channel_handoff"]
    assert f.details["to"] == "phone 030 1234567"
