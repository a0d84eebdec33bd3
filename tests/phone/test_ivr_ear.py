"""The shopper's ear: a final speech result split into one utterance per prompt, each
dated by the interim results Twilio sends while it listens."""

from __future__ import annotations

from shopper.channels.phone.ear import AUTO_END_OF_SPEECH, WORDS_PER_SECOND, Ear

MENU = "For sales, press 1. For service, press 2."
GREETING = "Thanks for calling Lumen Energy."


def test_each_prompt_and_each_repeat_is_its_own_utterance():
    ear = Ear()
    ear.listening(2.0)
    said = ""
    for at, piece in ((3.6, GREETING), (6.8, MENU), (10.0, MENU), (13.2, MENU)):
        said = f"{said} {piece}".strip()
        ear.partial(said, at)
    heard = ear.utterances(said, 14.2)
    assert [u.text for u in heard] == [GREETING, MENU, MENU, MENU]
    assert [u.end for u in heard] == [3.6, 6.8, 10.0, 13.2]
    assert heard[0].start == 2.0  # not before the ear began listening
    assert heard[2].start == 6.8  # a repeat begins where the one before it ended


def test_word_by_word_interim_results_still_give_whole_sentences():
    ear = Ear()
    ear.listening(0.0)
    words = f"{GREETING} {MENU}".split()
    for n in range(1, len(words) + 1):
        ear.partial(" ".join(words[:n]), 0.4 * n)
    heard = ear.utterances(" ".join(words), 0.4 * len(words) + 1)
    assert [u.text for u in heard] == [GREETING, "For sales, press 1.", "For service, press 2."]
    assert heard[0].start == 0.0 and heard[1].start == heard[0].end


def test_a_final_result_without_interim_results_is_dated_back_from_its_end():
    ear = Ear()
    ear.listening(5.0)
    heard = ear.utterances(MENU, 20.0)
    assert [u.text for u in heard] == [MENU]
    assert heard[0].end == 20.0 - AUTO_END_OF_SPEECH
    assert heard[0].start == round(heard[0].end - len(MENU.split()) / WORDS_PER_SECOND, 3)


def test_a_revised_interim_result_keeps_every_word():
    ear = Ear()
    ear.listening(0.0)
    ear.partial("For sails", 1.0)
    ear.partial("For sales, press 1.", 2.0)
    assert ear.covers("For sales, press 1.")
    heard = ear.utterances("For sales, press 1.", 3.0)
    assert [u.text for u in heard] == ["For sales, press 1."]
    assert heard[0].start <= 1.0


def test_a_new_gather_starts_afresh():
    ear = Ear()
    ear.listening(0.0)
    ear.partial(MENU, 3.0)
    ear.utterances(MENU, 4.0)
    ear.listening(5.0)
    ear.partial(GREETING, 7.0)
    assert [u.text for u in ear.utterances(GREETING, 8.0)] == [GREETING]


def test_punctuation_arriving_with_later_words_keeps_the_split():
    ear = Ear()
    ear.listening(0.0)
    ear.partial("Thanks for calling", 1.0)
    ear.partial("Thanks for calling. For sales", 2.0)
    ear.partial("Thanks for calling. For sales, press 1.", 3.0)
    heard = ear.utterances("Thanks for calling. For sales, press 1.", 4.0)
    assert [u.text for u in heard] == ["Thanks for calling.", "For sales, press 1."]


def test_interim_results_still_on_the_way_are_told_from_a_revised_final_result():
    ear = Ear()
    ear.listening(0.0)
    assert ear.lags(GREETING)  # nothing yet: every interim result may still come
    ear.partial("Thanks for calling", 1.0)
    assert ear.lags(GREETING)  # the words so far begin the final result: more may come
    ear.partial(GREETING.rstrip("."), 2.0)
    assert not ear.lags(GREETING) and ear.covers(GREETING)  # punctuation aside, all in
    # The final pass of the recogniser changed a word the interim results had: no interim
    # result still on the way would make them agree, so nothing is waited for.
    assert not ear.lags("Thanks for calling Lumin Energy today.")
