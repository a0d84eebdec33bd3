"""Every <Gather> of a call is numbered in its URLs, so each interim and final result says
which <Gather> it belongs to.

Real, signed HTTP requests to the real webhook app on loopback, in the order a test
chooses (an interim result overtaken by its final one, or arriving after it); a step
loop on the call's own `next` lets each webhook answer at once. Times are call times
(X-Shopper-Sim-Time), so every date asserted is exact.
"""

from __future__ import annotations

import asyncio
import re
import uuid

import aiohttp
import pytest

from shopper.channels.phone import call as call_module
from shopper.channels.phone.app import CallRoute, WebhookServer
from shopper.channels.phone.call import CallClock, CallController
from shopper.journal import Journal, read_journal
from shopper.lab.phone import twilio_signature

TOKEN = "test-token-0123456789"
CALL = {"CallSid": "CA" + "3" * 32, "AccountSid": "AC" + "2" * 32,
        "From": "+15005550006", "To": "+15005550100"}
HOLD = "Your call is important to us."


class Call:
    """One registered call on a real webhook server, driven by signed requests."""

    def __init__(self, server: WebhookServer, journal: Journal) -> None:
        self.server, self.journal = server, journal
        clock = CallClock(journal)
        self.ctrl = CallController(journal, clock)
        clock.start_call()
        server.routes["k"] = CallRoute(self.ctrl, TOKEN, None)
        self.base = f"{server.local_base}/calls/k"
        self.gather_url = ""  # the action of the latest <Gather> the app answered
        self.partial_url = ""

    async def post(self, url: str, params: dict[str, str], at: float,
                   token: str | None = None, signed_url: str | None = None) -> tuple[int, str]:
        form = {**CALL, **params}
        headers = {"X-Twilio-Signature": twilio_signature(TOKEN, signed_url or url, form),
                   "X-Shopper-Sim-Time": f"{at:.3f}",
                   "I-Twilio-Idempotency-Token": token or str(uuid.uuid4())}
        async with aiohttp.ClientSession() as session:
            async with session.post(url, data=form, headers=headers) as resp:
                body = await resp.text()
        action = re.search(r'action="([^"]+)"', body)
        partial = re.search(r'partialResultCallback="([^"]+)"', body)
        if action and partial:
            self.gather_url = action.group(1).replace("&amp;", "&")
            self.partial_url = partial.group(1).replace("&amp;", "&")
        return resp.status, body

    async def answer(self) -> None:
        await self.post(f"{self.base}/voice", {"CallStatus": "in-progress"}, 0.0)

    async def partial(self, text: str, at: float, seq: int, url: str | None = None,
                      token: str | None = None) -> int:
        status, _ = await self.post(url or self.partial_url, {
            "UnstableSpeechResult": text, "StableSpeechResult": text, "Stability": "0.9",
            "SequenceNumber": str(seq), "CallStatus": "in-progress"}, at, token)
        return status

    async def final(self, text: str, at: float, token: str | None = None) -> tuple[int, str]:
        return await self.post(self.gather_url, {"SpeechResult": text, "Confidence": "0.93",
                                                 "CallStatus": "in-progress"}, at, token)

    def heard(self) -> list[dict]:
        return [e for e in read_journal(self.journal.folder)
                if e["kind"] == "message" and e.get("how") == "speech"]

    def call_time(self, journal_time: float) -> float:
        """Journal time as the call's time (the journal rounds to milliseconds)."""
        assert self.ctrl.clock.origin is not None
        return round(journal_time - self.ctrl.clock.origin, 2)


@pytest.fixture
async def call(tmp_path):
    """A call whose steps take every event at once (so no webhook waits for a decision)."""
    journal = Journal(tmp_path / "journey")
    server = await WebhookServer.acquire("127.0.0.1", 0)
    one = Call(server, journal)

    async def steps() -> None:
        cursor = 0
        while True:
            _, cursor = await one.ctrl.next(cursor, None)

    stepping = asyncio.get_running_loop().create_task(steps())
    try:
        yield one
    finally:
        stepping.cancel()
        server.routes.clear()
        await server.release()
        journal.close()


async def test_each_gather_has_its_own_number_in_its_signed_urls(call):
    await call.answer()
    first = call.gather_url
    assert first.endswith("/gather?g=1") and call.partial_url.endswith("/partial?g=1")
    await call.final("Welcome to Northwind.", 3.0)
    assert call.gather_url.endswith("/gather?g=2") and call.partial_url.endswith("/partial?g=2")


async def test_a_repeated_prompt_keeps_its_interim_results_when_they_come_first(call):
    await call.answer()
    assert await call.partial(HOLD, 10.0, 0) == 204
    await call.final(HOLD, 11.0)
    # The same words again, from the next <Gather>: its interim result comes first.
    assert await call.partial(HOLD, 40.0, 0) == 204
    await call.final(HOLD, 41.0)
    heard = call.heard()
    assert [m["text"] for m in heard] == [HOLD, HOLD]
    # Each repeat is dated by its own interim result, not by the fallback guess.
    assert [call.call_time(m["end"]) for m in heard] == [10.0, 40.0]
    # Both finals were complete when they arrived: neither waited for anything.
    assert list(call.server.settled) == [0.0, 0.0]


async def test_a_late_interim_result_of_an_old_gather_is_not_taken_for_the_new_ones(call):
    await call.answer()
    old_partial = call.partial_url
    assert await call.partial("Your call is", 10.0, 0) == 204
    assert await call.partial(HOLD, 11.0, 1) == 204
    await call.final(HOLD, 12.0)
    # An early hypothesis of the first <Gather>, overtaken on the way, arrives now:
    # words the final result did not have, at a time inside the next <Gather>.
    assert await call.partial("Your cold is imported", 20.0, 2, url=old_partial) == 204
    assert await call.partial("Please hold.", 30.0, 0) == 204
    await call.final("Please hold.", 31.0)
    heard = call.heard()
    assert [m["text"] for m in heard] == [HOLD, "Please hold."]
    assert call.call_time(heard[1]["end"]) == 30.0  # dated by its own interim result, not the old one's
    assert not any("imported" in m["text"] for m in read_journal(call.journal.folder)
                   if m["kind"] == "message")


async def test_an_interim_result_overtaken_by_its_final_one_still_dates_the_prompt(
        call, monkeypatch):
    # A grace long enough for any machine: the final result must be woken by the interim
    # result that completes it, whenever that comes.
    monkeypatch.setattr(call_module, "PARTIAL_GRACE", 60.0)
    await call.answer()
    partial_url = call.partial_url
    final = asyncio.get_running_loop().create_task(call.final(HOLD, 12.0))
    while not call.ctrl.waiting_for_partials:  # the final result is in, waiting
        await asyncio.sleep(0.001)
    assert call.heard() == []
    assert await call.partial(HOLD, 10.0, 0, url=partial_url) == 204
    status, _ = await final
    assert status == 200
    assert [(m["text"], call.call_time(m["end"])) for m in call.heard()] == [(HOLD, 10.0)]
    assert call.server.settled[-1] > 0.0  # it did wait, and was woken


async def test_a_replayed_interim_or_final_result_is_applied_once(call):
    await call.answer()
    for _ in range(3):  # the same signed callback, each time with a new token
        assert await call.partial("Thanks for calling.", 2.0, 0) == 204
    assert [(call.call_time(at), words) for at, words in call.ctrl.ear.pieces] == \
        [(2.0, "Thanks for calling.")]
    url = call.gather_url
    status, first = await call.final("Thanks for calling.", 3.0)
    call.gather_url = url
    again, second = await call.final("Thanks for calling.", 3.0)
    assert status == again == 200 and first == second  # the same answer, once applied
    assert [m["text"] for m in call.heard()] == ["Thanks for calling."]


async def test_the_gather_number_is_signed_and_checked(call):
    await call.answer()
    good = call.partial_url
    other = good.replace("g=1", "g=7")
    params = {"UnstableSpeechResult": "hello", "SequenceNumber": "0",
              "CallStatus": "in-progress"}
    # Signed for one <Gather>, sent as another's: the URL is part of what is signed.
    assert (await call.post(other, params, 1.0, signed_url=good))[0] == 403
    for bad in ("x", "-1", "1.5", "%D9%A1", "9" * 12, ""):
        url = good.replace("g=1", f"g={bad}")
        assert (await call.post(url, params, 1.0))[0] == 400, bad
    assert call.ctrl.ear.pieces == []


async def test_a_final_result_the_recogniser_revised_does_not_wait(call, monkeypatch):
    # However long the grace, no interim result on the way could complete a final result
    # that changed a word the interim results had: it is heard at once.
    monkeypatch.setattr(call_module, "PARTIAL_GRACE", 60.0)
    await call.answer()
    assert await call.partial("Thanks for calling Lumen", 2.0, 0) == 204
    status, _ = await call.final("Thanks for calling Lumin Energy.", 3.0)
    assert status == 200
    assert [m["text"] for m in call.heard()] == ["Thanks for calling Lumin Energy."]
    assert list(call.server.settled) == [0.0]
