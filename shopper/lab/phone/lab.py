"""`PhoneLab`: the simulator with Brightside Home's IVR and agents, ready to be called.

    async with PhoneLab() as lab:
        lab.settings   # TWILIO_ACCOUNT_SID, TWILIO_AUTH_TOKEN, TWILIO_FROM_NUMBER,
                       # TWILIO_API_BASE_URL: what the phone driver needs to reach the lab
        lab.vars       # COMPANY_PHONE: the number scenarios call
"""

from __future__ import annotations

import asyncio
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .humans import make_humans, staff
from .ivr import IvrNumbers, make_ivr
from .people import LabConfigError, Person, load_audio, load_person, parse_pair
from .persons import make_person_app
from .simulator import PhoneSimulator
from .wording import ENGLISH, GERMAN, Wording

COMPANY_NUMBER = "+15005550100"
FROM_NUMBER = "+15005550006"
ORDERS_AGENT = "+15005550111"
RETURNS_AGENT = "+15005550122"
#: The German line (COMPANY_PHONE_DE): the same company, menu and agents in German.
COMPANY_NUMBER_DE = "+15005550200"
ORDERS_AGENT_DE = "+15005550211"
RETURNS_AGENT_DE = "+15005550222"
LAB_NUMBERS = frozenset({COMPANY_NUMBER, ORDERS_AGENT, RETURNS_AGENT, COMPANY_NUMBER_DE,
                         ORDERS_AGENT_DE, RETURNS_AGENT_DE})
#: How long the returns queue keeps a caller on hold (6 min 12 s of virtual time).
RETURNS_HOLD_SECONDS = 372.0


@dataclass(frozen=True)
class CompanyLine:
    """One language's line: its menu under /ivr{suffix}, its agents under /humans{suffix}."""

    suffix: str
    words: Wording
    company_number: str
    numbers: IvrNumbers


#: The lab company's phone lines, one a language.
LINES = (
    CompanyLine("", ENGLISH, COMPANY_NUMBER, IvrNumbers(ORDERS_AGENT, RETURNS_AGENT)),
    CompanyLine("-de", GERMAN, COMPANY_NUMBER_DE,
                IvrNumbers(ORDERS_AGENT_DE, RETURNS_AGENT_DE, "returns-de")),
)


@dataclass
class PhoneOptions:
    """What `shopper lab --number/--person/--audio` adds to the lab's phone line."""

    #: number -> voice URL of any TwiML app (any language, any framework)
    numbers: dict[str, str] = field(default_factory=dict)
    #: number -> the scripted person who answers it
    people: dict[str, Person] = field(default_factory=dict)
    #: (url, transcript, seconds) of hosted recordings <Play> may use
    audio: list[tuple[str, str, float | None]] = field(default_factory=list)

    @classmethod
    def from_args(cls, numbers: list[str], people: list[str],
                  audio: list[str]) -> "PhoneOptions":
        """Options from NUMBER=URL, NUMBER=FILE and FILE strings; LabConfigError if bad."""
        out = cls()
        for value in numbers:
            number, url = parse_pair("--number", value)
            if not url.startswith(("http://", "https://")):
                raise LabConfigError(f"--number '{value}': the TwiML app's URL must start "
                                     "with http:// or https://")
            out.numbers[number] = url
        for value in people:
            number, path = parse_pair("--person", value)
            out.people[number] = load_person(Path(path))
        for path in audio:
            out.audio += load_audio(Path(path))
        twice = set(out.numbers) & set(out.people)
        if twice:
            raise LabConfigError(f"{sorted(twice)[0]} is given both to --number and --person")
        out.check_transfers(LAB_NUMBERS | set(out.numbers) | set(out.people))
        return out

    def check_transfers(self, known: set[str]) -> None:
        """Every transfer in a person file goes to a number the lab knows."""
        for person in self.people.values():
            for answer in person.answers:
                if answer.transfer and answer.transfer not in known:
                    raise LabConfigError(
                        f"{answer.transfer_at}: transfer to {answer.transfer}: the lab "
                        "has no such number; give it with --number or --person")


class PhoneLab:
    """The lab company's phone line on loopback, reached through a Twilio-compatible API."""

    def __init__(self, host: str = "127.0.0.1", *, port: int = 0,
                 returns_hold_seconds: float = RETURNS_HOLD_SECONDS,
                 webhook_timeout: float = 15.0, options: PhoneOptions | None = None) -> None:
        self.sim = PhoneSimulator(host=host, port=port, webhook_timeout=webhook_timeout)
        self.sim.known_numbers_only = True
        self.options = options or PhoneOptions()
        self.company_number = COMPANY_NUMBER
        self.from_number = FROM_NUMBER
        self.returns_hold_seconds = returns_hold_seconds
        self._client: Any = None
        #: each line's agents (Maria and Diego), by suffix: "" English, "-de" German
        self.staff = {line.suffix: staff(line.words) for line in LINES}
        for line in LINES:
            self.sim.mount(f"/ivr{line.suffix}", make_ivr(line.numbers, line.words))
            self.sim.mount(f"/humans{line.suffix}", make_humans(
                self.staff[line.suffix], self._transfer,
                f"/ivr{line.suffix}/transfer/returns", line.words))
        self._person_paths: dict[str, str] = {}
        for i, (number, person) in enumerate(self.options.people.items()):
            path = f"/people/{i}"
            self._person_paths[number] = path
            self.sim.mount(path, make_person_app(
                person, self._redirect, lambda p=path: self.sim.base_url + p))

    async def _transfer(self, company_call_sid: str, path: str) -> None:
        # The agents' app uses the real SDK, like a contact centre's own code would.
        if self._client is None:
            self._client = self.sim.client()
        await asyncio.to_thread(self._client.calls(company_call_sid).update,
                                url=self.sim.base_url + path, method="POST")

    async def _redirect(self, call_sid: str, url: str) -> None:
        if self._client is None:
            self._client = self.sim.client()
        await asyncio.to_thread(self._client.calls(call_sid).update, url=url, method="POST")

    @property
    def numbers(self) -> list[str]:
        """Every number this lab answers."""
        return sorted(self.sim.numbers)

    async def start(self) -> "PhoneLab":
        """Start the simulator and register the lab's numbers."""
        opts = self.options
        opts.check_transfers(LAB_NUMBERS | set(opts.numbers) | set(opts.people))
        await self.sim.start()
        base = self.sim.base_url
        for number, url in opts.numbers.items():
            self.sim.add_number(number, url)
        for number, person in opts.people.items():
            answer = person.ring if person.ring in ("busy", "no-answer") else "answer"
            ring = 2.0 if answer != "answer" else float(person.ring)
            self.sim.add_number(number, f"{base}{self._person_paths[number]}/voice",
                                answer=answer, ring_seconds=ring, answered_by="human")
            if person.queue:
                self.sim.add_queue_agent(person.queue, number, person.answers_after)
        for url, transcript, seconds in opts.audio:
            self.sim.add_audio(url, transcript, seconds)
        for line in LINES:
            numbers = line.numbers
            self.sim.add_number(line.company_number, f"{base}/ivr{line.suffix}/voice")
            self.sim.add_number(numbers.orders_agent, f"{base}/humans{line.suffix}/orders/voice")
            self.sim.add_number(numbers.returns_agent,
                                f"{base}/humans{line.suffix}/returns/voice")
            self.sim.add_queue_agent(numbers.returns_queue, numbers.returns_agent,
                                     self.returns_hold_seconds)
        self.sim.add_audio(f"{base}/ivr/audio/hold.wav")  # music: no words, measured length
        return self

    async def stop(self) -> None:
        """Hang up every call and stop serving."""
        await self.sim.close()

    async def __aenter__(self) -> "PhoneLab":
        return await self.start()

    async def __aexit__(self, *exc: object) -> None:
        await self.stop()

    @property
    def api_base_url(self) -> str:
        """The simulator's API root (TWILIO_API_BASE_URL for the phone driver)."""
        return self.sim.api_base_url

    @property
    def account_sid(self) -> str:
        """The simulator account's SID."""
        return self.sim.account_sid

    @property
    def auth_token(self) -> str:
        """The simulator account's auth token (random per lab)."""
        return self.sim.auth_token

    @property
    def vars(self) -> dict[str, str]:
        """Run variables for scenarios."""
        return {"COMPANY_PHONE": self.company_number, "COMPANY_PHONE_DE": COMPANY_NUMBER_DE}

    @property
    def settings(self) -> dict[str, str]:
        """Channel settings for the phone driver."""
        return {
            "TWILIO_ACCOUNT_SID": self.account_sid,
            "TWILIO_AUTH_TOKEN": self.auth_token,
            "TWILIO_FROM_NUMBER": self.from_number,
            "TWILIO_API_BASE_URL": self.api_base_url,
        }

    def client(self) -> Any:
        """A real `twilio.rest.Client` pointed at the simulator."""
        return self.sim.client()
