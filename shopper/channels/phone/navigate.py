"""The `navigate` step: walk IVR menus toward a goal, as a patient customer would.

Each menu is read as it is spoken; an option that fits the goal is taken at once (keys
when offered, else the phrase). When the menu ends (a short silence) with nothing that
fits, the customer asks for an operator if one is offered, else gives up: no option
matches the goal. The same menu coming back after the same choice twice is a loop.
Every decision is journaled as a `note` (what="menu") for the detectors and the report.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from ...errors import StepFailed
from .app import digits_twiml, say_twiml
from .menus import OPEN_QUESTION, Choice, Option, choose, menu_signature, operator_option, \
    parse_menu, score
from .roles import HOLD

if TYPE_CHECKING:
    from .driver import PhoneDriver

#: <Gather> timeout while a menu may still be going on: short enough to answer before
#: the IVR's own timeout (usually 5s), long enough for the pause between its sentences.
MENU_END_SILENCE = 2
REPEATS_FOR_LOOP = 2


class Navigator:
    """The state of one `navigate` step."""

    def __init__(self, driver: "PhoneDriver", args: dict[str, Any], timeout: float) -> None:
        self.driver = driver
        self.goal = str(args["goal"])
        self.goals = [self.goal, *(args.get("keywords") or ())]
        self.fallback = args.get("fallback") is not False
        self.max_menus = int(args.get("max_menus") or 6)
        self.within = driver.within(args, timeout, "navigate")
        self.timeout = timeout
        self.pending: list[str] = []
        self.choices: list[tuple[str, str]] = []
        self.path: list[str] = []
        self.quiet = 0
        #: The department was named after a choice; reached once no menu follows it.
        self.arrived = False

    def fail(self, message: str, reason: str) -> StepFailed:
        """A failure of the step, with the path walked so far."""
        self.driver.call.listen_hint = None
        return StepFailed(message, reason=reason, details={"goal": self.goal, "path": self.path})

    def note(self, **fields: Any) -> None:
        """Journal a navigation decision."""
        self.driver.journal.record("note", what="menu", goal=self.goal, **fields)

    async def choose(self, text: str, options: list[Option], option: Option, how: str,
                     fit: float, made: Choice | None = None) -> None:
        """Take `option` of the menu `text` (how: matched | fallback)."""
        sig = menu_signature(text)
        choice = option.key or option.phrase or ""
        if sum(1 for s, c in self.choices if s == sig and c == choice) >= REPEATS_FOR_LOOP:
            self.note(prompt=text, options=[f"{o.how()}: {o.label}" for o in options],
                      chosen=None, loop=True)
            raise self.fail(f'the same menu came back after choosing "{option.label}" '
                            f"{REPEATS_FOR_LOOP} times: a menu loop", "menu_loop")
        if len(self.choices) >= self.max_menus:
            raise self.fail(f"{self.max_menus} menus went by without reaching "
                            f'"{self.goal}"', "menu_depth")
        self.choices.append((sig, choice))
        self.path.append(option.key or f'"{option.phrase}"')
        why = {}
        if made is not None:
            why = {"confidence": made.confidence, "tie": made.tie,
                   "runner_up": f"{made.runner_up.how()}: {made.runner_up.label}"
                   if made.runner_up else None}
        self.note(prompt=text, options=[f"{o.how()}: {o.label}" for o in options],
                  chosen=option.how(), label=option.label, matched=how == "matched",
                  fallback=how == "fallback", fit=round(fit, 2), depth=len(self.choices), **why)
        self.pending, self.quiet, self.arrived = [], 0, False
        self.driver.call.listen_hint = None
        if option.key:
            await self.driver._send(digits_twiml(option.key), self.timeout, action="digits",
                                    text=option.key, menu=option.label)
        else:
            await self.driver._send(say_twiml(option.phrase or "", self.driver.language),
                                    self.timeout, action="say", text=option.phrase,
                                    menu=option.label, message=True)

    async def on_menu_end(self) -> None:
        """The IVR stopped talking: take the fallback, speak up, or give up."""
        text = " ".join(self.pending)
        options = parse_menu(text)
        if not options:
            self.quiet += 1
            if self.quiet >= 2 and not self.pending:
                # Nothing is said at all: maybe the line waits for the caller to speak.
                self.note(prompt="", options=[], chosen=f'say "{self.goal}"', silence=True)
                await self.driver._send(say_twiml(self.goal, self.driver.language),
                                        self.timeout, action="say", text=self.goal,
                                        message=True)
                self.quiet = 0
            return
        made = choose(options, self.goals)
        if made.option is not None:  # the menu is over: the best of all it offered
            await self.choose(text, options, made.option, "matched", made.fit, made)
            return
        person = operator_option(options) if self.fallback else None
        self.note(prompt=text, options=[f"{o.how()}: {o.label}" for o in options],
                  chosen=None, matched=False, no_match=True,
                  fallback_offered=person is not None)
        if person is None:
            heard = "; ".join(f"{o.how()} for {o.label}" for o in options)
            raise self.fail(f'no option of the menu fits "{self.goal}" and none reaches a '
                            f"person; the options heard: {heard[:240]}", "no_option")
        await self.choose(text, options, person, "fallback", 0.0)

    async def run(self) -> None:
        """Navigate until a person answers or the goal's department is reached."""
        driver = self.driver
        limits = driver.limits(self.within, self.timeout)
        # The menu may have been heard already (by an expect_prompt step before this one).
        since = driver.call.last_input_at
        self.pending = [e.text for e in driver.call.events[:driver.cursor]
                        if e.kind == "speech" and e.role == "ivr" and e.at > since]
        if self.pending and await self.consider(" ".join(self.pending)):
            return
        while True:
            event = await driver.next(limits)
            if event is None:
                raise self.fail(f'"{self.goal}" was not reached within {self.within:g}s',
                                "timeout")
            if event.kind == "ended":
                if self.arrived:
                    # The line gave what was asked for (opening hours...) and said goodbye.
                    self.note(reached="department", path=self.path,
                              quote=" ".join(self.pending)[:200], then="call ended")
                    return
                raise self.fail(f"the call ended ({event.status}) while navigating toward "
                                f'"{self.goal}"', "hung_up")
            if event.kind == "speech" and event.role == "agent":
                driver.call.listen_hint = None
                self.note(reached="person", path=self.path, quote=event.text[:200])
                return
            if event.kind == "silence":
                if self.arrived:
                    driver.call.listen_hint = None
                    self.note(reached="department", path=self.path,
                              quote=" ".join(self.pending)[:200])
                    return
                await self.on_menu_end()
                continue
            if event.kind != "speech":
                continue
            self.pending.append(event.text)
            if driver.call.more_speech(driver.cursor):
                continue  # read the rest of what was just heard before deciding
            if await self.consider(" ".join(self.pending)):
                return

    def heard_once(self, options: list[Option]) -> bool:
        """Whether the whole menu has been heard: its last prompt offered several options
        (a menu read as one prompt), or it offered only keys already offered (a repeat)."""
        last = parse_menu(self.pending[-1]) if self.pending else []
        if len(last) >= 2:
            return True
        earlier = parse_menu(" ".join(self.pending[:-1]))
        said = {o.key or o.phrase for o in earlier}
        return bool(last) and all((o.key or o.phrase) in said for o in last)

    @staticmethod
    def sure(made: Choice) -> bool:
        """A choice good enough to take before the menu ends: every word of the goal (or
        of a keyword) in the option, and nothing heard so far as close."""
        return made.cover >= 1.0 and not made.tie and made.confidence >= 0.4

    async def consider(self, text: str) -> bool:
        """Act on what the IVR said since the last choice; True when the goal is reached."""
        driver = self.driver
        options = parse_menu(text)
        if options:
            made = choose(options, self.goals)
            if made.option is not None and (self.heard_once(options) or self.sure(made)):
                await self.choose(text, options, made.option, "matched", made.fit, made)
            else:
                driver.call.listen_hint = MENU_END_SILENCE  # wait for the menu's end
            return False
        if self.choices and HOLD.search(text):
            driver.call.listen_hint = None
            self.note(reached="department", path=self.path, quote=text[:200])
            return True
        if self.choices and max(score(text, g) for g in self.goals) >= 0.8:
            # Each prompt is its own utterance: the department's name may be followed by
            # "returning to the main menu" and the menu again, so wait for the line to
            # go quiet before calling the department reached.
            self.arrived = True
            driver.call.listen_hint = MENU_END_SILENCE
            return False
        if OPEN_QUESTION.search(text):
            self.note(prompt=text, options=[], chosen=f'say "{self.goal}"')
            # Answering an open question is a choice: what follows may be the goal itself.
            self.choices.append((menu_signature(text), self.goal))
            self.path.append(f'"{self.goal}"')
            self.pending = []
            await driver._send(say_twiml(self.goal, driver.language), self.timeout,
                               action="say", text=self.goal, message=True)
        return False


async def navigate(driver: "PhoneDriver", args: dict[str, Any], timeout: float) -> None:
    """Run the `navigate` step."""
    await Navigator(driver, args, timeout).run()
