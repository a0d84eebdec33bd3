"""Keeping a call's recordings as artifacts once the call is over."""

from __future__ import annotations

import asyncio
import base64
from typing import TYPE_CHECKING, Any

import aiohttp

if TYPE_CHECKING:
    from .driver import PhoneDriver

#: How long to wait for Twilio's recording callback after the call ended (wall clock).
RECORDING_WAIT = 8.0


async def _recording_urls(driver: "PhoneDriver") -> list[dict[str, str]]:
    call = driver.call
    waited = 0.0
    while not call.recordings and waited < RECORDING_WAIT and call.answered.is_set():
        await asyncio.sleep(0.1)
        waited += 0.1
    if call.recordings:
        return [{"sid": r.get("RecordingSid", ""), "url": r.get("RecordingUrl", ""),
                 "duration": r.get("RecordingDuration", "")} for r in call.recordings]
    if not call.answered.is_set() or call.sid is None:
        return []
    # No callback (yet): ask the REST API, as a reviewer would in Twilio's console.
    try:
        items = await asyncio.to_thread(driver.client.calls(call.sid).recordings.list)
    except Exception as exc:
        driver.journal.record("error", where="stop", message=f"recordings not listed: {exc}")
        return []
    root = driver.settings.api_base_url or "https://api.twilio.com"
    return [{"sid": r.sid, "url": root.rstrip("/") + str(r.uri).removesuffix(".json"),
             "duration": str(r.duration or "")} for r in items]


async def save_recordings(driver: "PhoneDriver") -> None:
    """Download each recording (.wav, and the simulator's .txt transcript) into artifacts."""
    if driver.ctx.journey.settings.get("record") is False:
        return
    found = await _recording_urls(driver)
    if not found:
        return
    settings = driver.settings
    # the audio of a call where a secret was said or pressed cannot be scrubbed: keep the
    # (scrubbed) transcript only, and say so
    secret_spoken = _spoke_secret(driver)
    if secret_spoken:
        driver.journal.record("note", what="recording audio not kept",
                              message="a secret was said or pressed on this call; audio "
                                      "cannot be scrubbed, so only the transcript is kept")
    raw = f"{settings.account_sid}:{settings.auth_token}".encode()
    auth = {"Authorization": "Basic " + base64.b64encode(raw).decode()}
    # A loopback simulator must not go through an environment proxy; Twilio may need one.
    # One client for all journeys of the process (see WebhookServer.client).
    session = driver.server.client(trust_env=settings.api_base_url is None)
    for n, rec in enumerate(found, start=1):
        kinds = [(".wav", "audio")] + ([(".txt", "transcript")] if settings.api_base_url
                                         else [])
        for suffix, kind in kinds:
            if kind == "audio" and secret_spoken:
                continue
            data = await _get(session, rec["url"] + suffix, auth, driver)
            if data is None:
                continue
            path = driver.journal.artifact_path(f"call-recording-{n}", suffix)
            path.write_bytes(data)
            driver.journal.add_artifact(path, kind, recording_sid=rec["sid"],
                                        duration=rec["duration"], source=rec["url"] + suffix)


def _spoke_secret(driver: "PhoneDriver") -> bool:
    """Whether a step of this journey says or presses a secret."""
    found = driver.journal.redactor.found
    for step in driver.ctx.journey.steps:
        try:
            args = driver.ctx.resolve_args(step.args)
        except Exception:  # an unresolved variable: that step never ran
            continue
        if step.action in ("say", "press") and \
                any(isinstance(v, str) and found(v) for v in args.values()):
            return True
    return False


async def _get(session: aiohttp.ClientSession, url: str, auth: dict[str, str],
               driver: Any) -> bytes | None:
    try:
        async with session.get(url, headers=auth,
                               timeout=aiohttp.ClientTimeout(total=30)) as resp:
            if resp.status >= 400:
                driver.journal.record("error", where="stop",
                                      message=f"recording {url} answered {resp.status}")
                return None
            return await resp.read()
    except (aiohttp.ClientError, asyncio.TimeoutError) as exc:
        driver.journal.record("error", where="stop", message=f"recording {url}: {exc}")
        return None
