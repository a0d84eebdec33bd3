"""Language packs: shipped packs load complete, user rules merge, errors name the problem."""

from __future__ import annotations

import re

import pytest

from shopper.detect import language
from shopper.detect.language import LanguageError, pack


def test_shipped_packs_have_the_same_families_and_compile():
    assert {"en", "de"} <= set(language.available())
    en, de = pack("en"), pack("de")
    assert set(en.families()) == set(de.families())
    for p in (en, de):
        for family in p.families():
            assert p.cue(family).patterns, f"{p.code}: {family} is empty"
    assert len(en.families()) >= 40


def test_pack_is_loaded_once():
    assert pack("en") is pack("en")
    assert pack("en").cue("hold") is pack("en").cue("hold")


@pytest.mark.parametrize("code, text, family", [
    ("en", "Please hold, your call is important to us.", "hold"),
    ("de", "Bitte bleiben Sie dran, Ihr Anruf ist uns wichtig.", "hold"),
    ("en", "We're currently closed. Please leave a message.", "offline"),
    ("de", "Wir sind derzeit nicht erreichbar. Hinterlassen Sie uns eine Nachricht.", "offline"),
    ("en", "I'm transferring you to our billing team.", "transfer"),
    ("de", "Ich verbinde Sie jetzt mit der Buchhaltung.", "transfer"),
    ("de", "Vielen Dank, Ihre Vorgangsnummer ist 4711.", "confirmation"),
    ("de", "Bitte drucken Sie das Formular aus und senden Sie es per Post.", "other_channel.post"),
    ("de", "Es tut mir leid.", "apology"),
    ("de", "Hallo und willkommen!", "greeting"),
])
def test_cues_recognise_their_language(code, text, family):
    assert pack(code).cue(family).search(text)


def test_menu_grammar_names_key_and_label():
    m = pack("de").cue("menu.press_for").search("Drücken Sie die 3 für Rechnungen.")
    assert m and m.group("key") == "3" and m.group("label") == "Rechnungen"
    m = pack("en").cue("menu.for_press").search("To speak to an operator, press 0.")
    assert m and m.group("key") == "0" and "operator" in m.group("label")


def test_user_rules_add_replace_and_remove():
    base = pack("en").cue("offline")
    added = pack("en", {"offline": ["our team is on a break"]}).cue("offline")
    assert not base.search("Our team is on a break.") and added.search("Our team is on a break.")
    replaced = pack("en", {"offline": {"replace": ["gone fishing"]}}).cue("offline")
    assert replaced.search("gone fishing") and not replaced.search("We're closed.")
    first = pack("en").cue("confirmation").patterns[0]
    removed = pack("en", {"confirmation": {"remove": [first]}}).cue("confirmation")
    assert first not in removed.patterns and len(removed.patterns) == len(
        pack("en").cue("confirmation").patterns) - 1
    sub = pack("en", {"other_channel": {"store": ["visit a kiosk"]}}).cue("other_channel.store")
    assert sub.search("Please visit a kiosk")


def test_bad_rules_are_errors_that_say_what_is_wrong(tmp_path):
    with pytest.raises(LanguageError, match="no language pack 'xx'"):
        pack("xx")
    with pytest.raises(LanguageError, match="bad pattern"):
        pack("en", {"hold": ["(unclosed"]})
    f = tmp_path / "shopper-language.yaml"
    f.write_text("langauge: de\n")
    with pytest.raises(LanguageError, match="unknown key"):
        language.read_rules_file(f)


def test_active_pack_follows_the_journey():
    from shopper.detect.wording import OFFLINE
    assert OFFLINE.search("We're offline") and not OFFLINE.search("Wir sind offline")
    with language.using(pack("de")):
        assert OFFLINE.search("Wir sind offline")
    assert not OFFLINE.search("Wir sind offline")


def test_drivers_and_detectors_share_one_definition():
    """Drivers act on the judgement modules' own cues: one compiled family, whichever pack."""
    from shopper.channels.chat import driver as chat_driver
    from shopper.channels.phone import menus, roles as phone_roles
    from shopper.detect import chat_roles, handoff, parties, phone, wording
    assert chat_driver.chat_roles is chat_roles  # the chat driver judges roles with the detector
    assert phone_roles.HOLD.get() is phone.HOLD.get()
    assert phone_roles.IVR_ONLY.get() is pack("en").cue("ivr_only")
    assert chat_roles.JOINED.get() is wording.JOINED.get()
    assert chat_roles.BOT_SENDER.get() is parties.BOT_SENDER.get() is chat_roles.BOT_SELF.get()
    assert handoff.chat_roles.HANDOFF_ANNOUNCED is chat_roles.HANDOFF_ANNOUNCED
    with language.using(pack("de")):
        assert phone_roles.HOLD.search("Bitte bleiben Sie dran.")
        assert chat_roles.JOINED.get() is wording.JOINED.get() is pack("de").cue("joined")
        assert chat_roles.judge([{"mid": 1, "text": "Anna ist dem Chat beigetreten"}])[0].role == "system"
        assert [o.key for o in menus.parse_menu("Für Rücksendungen drücken Sie die 2. "
                                                 "Drücken Sie die 0 für einen Mitarbeiter.")] == ["2", "0"]


def test_no_two_families_share_a_pattern():
    """A phrase is written in one family; a phrase two families need is a shared fragment."""
    for code in ("en", "de"):
        p = pack(code)
        seen: dict[str, str] = {}
        for family in p.families():
            if family.startswith("topics."):
                continue  # the answer shapes of data topics are their own small grammar
            raw = p.cues
            for part in family.split("."):
                raw = raw[part]
            for pattern in raw:  # as written, before {fragments} are filled in
                if re.fullmatch(r"\{\w+\}", pattern):
                    continue  # a reference to the one shared copy
                assert pattern not in seen or seen[pattern] == family, \
                    f"{code}: {family} repeats {seen.get(pattern)}: {pattern}"
                seen[pattern] = family


@pytest.mark.parametrize("code, family, text", [
    ("en", "handoff_announced", "Let me get a colleague for you."),
    ("de", "handoff_announced", "Ich hole Ihnen eine Kollegin dazu."),
    ("de", "connecting", "Ich verbinde Sie jetzt."),
    ("de", "not_connected", "Wir konnten Sie leider nicht verbinden."),
    ("de", "web_channel.app", "Laden Sie unsere App herunter."),
    ("de", "only_way", "Das ist leider nicht online möglich."),
    ("de", "loading", "Wird geladen"),
    ("de", "no_results", "Keine Ergebnisse für Ihre Suche."),
    ("de", "ivr_only", "Vielen Dank für Ihren Anruf. Auf Wiederhören."),
    ("de", "speaker_named", "Hier spricht Rosa."),
])
def test_moved_cues_have_both_languages(code, family, text):
    assert pack(code).cue(family).search(text)
    other = "de" if code == "en" else "en"
    assert not pack(other).cue(family).search(text)


def test_name_groups_work_across_alternatives():
    from shopper.detect.chat_roles import introduced
    from shopper.detect.phone_roles import introduction
    assert introduced("Hi, Priya from Billing here.") == "Priya"
    assert introduced("I'm Sam, how can I help?") == "Sam"
    assert introduction("Harbor claims, Rosa speaking.") == ("Rosa", "claims")
    with language.using(pack("de")):
        assert introduced("Hallo, ich bin Jonas.") == "Jonas"
        assert introduction("Schadenabteilung, Rosa am Apparat.") == ("Rosa", "schadenabteilung")


def test_german_word_order_puts_the_verb_last():
    resolved = pack("de").cue("resolution")
    assert resolved.search("Bestellung BH-1 wurde gestern verschickt und sollte am Donnerstag ankommen.")
    assert resolved.search("Ich habe sie erstattet.")
    assert not resolved.search("Wie lautet Ihre Bestellnummer?")


def test_validate_rejects_an_unknown_language_and_a_bad_rules_file(tmp_path, capsys):
    from shopper.cli import main
    bad = tmp_path / "s.yaml"
    bad.write_text("name: t\nlanguage: xx\nweb:\n  steps:\n    - goto: http://x\n")
    assert main(["validate", str(bad)]) == 2
    assert "no language pack 'xx'" in capsys.readouterr().err
    bad.write_text("name: t\nlanguage: de\nweb:\n  steps:\n    - goto: http://x\n")
    (tmp_path / "shopper-language.yaml").write_text("cues:\n  hold: ['(oops']\n")
    assert main(["validate", str(bad)]) == 2
    err = capsys.readouterr().err
    assert "shopper-language.yaml" in err and "bad pattern" in err
