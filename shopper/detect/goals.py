"""Journey goals and outcomes in their terms, and the metrics glossary shown in reports.

A goal says what success is: `self_service` (the customer gets the answer or completes
the task without a person), `person` (reach a human) or `department: NAME` (reach a
human in that department). Outcomes are reported in those terms.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any, Iterable
from urllib.parse import urlsplit

from .language import cue

ASK_FOR_PERSON = cue("ask_for_person")
#: Steps that only make sense when the customer wants a person.
PERSON_STEPS = ("expect_human", "hold")
#: Findings that say "no person came": no fault when the goal is self-service.
PERSON_ONLY = ("hung_up_before_human", "agent_never_joins", "time_to_human")
RESOLUTIONS = ("resolved_self_service", "resolved_by_person", "handed_off", "dead_end",
               "unresolved")
_GOAL = re.compile(r"^\s*(self[_ -]?service|person|department\s*[:=]?\s*(?P<dept>\S.*?))\s*$", re.I)

#: Every metric in one place: name -> (label, definition). Reports show this glossary.
GLOSSARY: dict[str, tuple[str, str]] = {
    "time_to_first_response": ("time to first response", "seconds from the customer's first "
                               "message (on a call: from the answer) to the first reply by a "
                               "bot, the IVR or a person"),
    "time_to_human": ("time to human", "seconds from the start (the customer's first message; "
                      "on a call, the answer) to the first words of a person"),
    "time_to_human_from_request": ("time to human after asking", "seconds from the customer's "
                                   "first request for a person to the first words of a person"),
    "hold_time": ("hold time", "seconds on hold: from a hold or queue message until a new "
                  "person speaks or the call ends"),
    "effort": ("effort score", "a proxy, not a customer survey: steps + customer messages + "
               "2 per handoff + 3 per dead end + 2 per repeated question + 1 per minute; "
               "lower is better"),
    "handoffs": ("handoffs", "times the customer was passed to another party or channel"),
    "repeated_questions": ("repeated questions", "questions for something the customer had "
                           "already given"),
}


@dataclass(frozen=True)
class Goal:
    """What a journey is for: kind is self_service | person | department | unknown."""

    kind: str
    department: str = ""
    stated: bool = False

    def label(self) -> str:
        """Plain words: `reach a person in billing`."""
        return {"self_service": "self-service", "person": "reach a person",
                "department": f"reach a person in {self.department}",
                "unknown": "not stated"}[self.kind]


def parse_goal(value: Any) -> Goal | None:
    """A `goal:` value as a Goal; None when it is not one (the scenario check says so)."""
    if isinstance(value, dict) and len(value) == 1 and "department" in value:
        return Goal("department", str(value["department"]).strip(), True)
    if not isinstance(value, str):
        return None
    m = _GOAL.match(value)
    if not m:
        return None
    if m.group("dept"):
        return Goal("department", m.group("dept").strip(), True)
    return Goal("person" if m.group(1).lower() == "person" else "self_service", stated=True)


def goal_of(start: dict[str, Any], messages: list[dict[str, Any]]) -> Goal:
    """The stated goal of a journey, or the one its steps and messages imply."""
    stated = parse_goal(start.get("goal"))
    if stated is not None:
        return stated
    if any(s.get("action") in PERSON_STEPS for s in start.get("steps", [])) or any(
            m.get("role") == "customer" and ASK_FOR_PERSON.search(m.get("text", ""))
            for m in messages):
        return Goal("person")
    return Goal("unknown")


def _reached(view: Any, goal: Goal) -> dict[str, Any] | None:
    """The first words of a person who meets the goal. For a department goal a person
    whose department is unknown counts (marked `_dept_unknown`): we cannot tell, and a
    false dead end is worse than a missed one."""
    from .parties import speakers  # parties reads the pack; imported when judging
    unknown = None
    for m, party in speakers(view.messages):
        if party.role != "agent":
            continue
        if goal.kind != "department" or goal.department.lower() in (party.dept or "").lower():
            return m
        if not party.dept and unknown is None:
            unknown = {**m, "_dept_unknown": True}
    return unknown


def resolution(view: Any, findings: Iterable[Any]) -> tuple[str, dict[str, Any]]:
    """(resolution, evidence) of a journey in terms of its goal."""
    findings = list(findings)
    goal = view.goal
    person = _reached(view, Goal("person"))
    wanted = _reached(view, goal) if goal.kind in ("person", "department") else person
    dead = [f for f in findings if f.kind == "dead_end" and f.severity == "failure"]
    sent_away = [f for f in findings if f.code == "channel_handoff"] + _left_on(view, findings)
    failed = any(f.severity == "failure" for f in findings)
    why: dict[str, Any] = {"goal": goal.label()}
    if dead:
        why["finding"] = dead[0].code
        return "dead_end", why
    if goal.kind in ("person", "department") and wanted is None:
        if sent_away:
            why["finding"] = sent_away[0].code
            return "handed_off", why
        why["reason"] = "no person" + (f" in {goal.department}" if goal.kind == "department" else "")
        return "dead_end", why
    # the finding that explains most: a handoff or budget before "a step's check failed"
    failures = sorted((f for f in findings if f.severity == "failure"),
                      key=lambda f: f.kind == "expectation")
    first_failure = failures[0].code if failures else None
    if wanted is not None or person is not None:
        why["person"] = (wanted or person).get("text", "")[:120]
        if (wanted or {}).get("_dept_unknown"):
            why["department"] = "unknown: the person did not say which department"
        if failed:  # a person answered, but something failed on the way (context lost)
            why["finding"] = first_failure
            return "unresolved", why
        return "resolved_by_person", why
    if sent_away:  # no person, and the company pointed elsewhere
        why["finding"] = sent_away[0].code
        return "handed_off", why
    if failed:
        why["finding"] = first_failure
        return "unresolved", why
    return "resolved_self_service", why


def _left_on(view: Any, findings: list[Any]) -> list[Any]:
    """The site handoff the journey ended on: the last page the customer saw is on the
    other site it sent them to (a visit there and back leaves them with the company)."""
    pages = [p.get("url") or "" for p in view.of("page")
             if (p.get("url") or "").startswith(("http:", "https:")) and not p.get("error_page")]
    if not pages:
        return []
    last = urlsplit(pages[-1]).netloc
    return [f for f in findings if f.code == "site_handoff"
            and urlsplit((f.evidence or {}).get("url") or "").netloc == last]


def person_metrics(view: Any) -> dict[str, Any]:
    """time_to_human_from_request: from the customer's first request for a person (a
    message asking for one, or the start of an `expect_human` / `hold` step) to a person."""
    asks = [float(m.get("at", 0)) for m in view.messages
            if m.get("role") == "customer" and ASK_FOR_PERSON.search(m.get("text", ""))]
    steps = {s.get("index") for s in view.start.get("steps", []) if s.get("action") in PERSON_STEPS}
    asks += [float(e.get("at", 0)) for e in view.of("step.start") if e.get("index") in steps]
    if not asks:
        return {}
    t0 = min(asks)
    person = next((m for m in view.messages if m.get("role") == "agent"
                   and float(m.get("at", 0)) >= t0), None)
    return {"time_to_human_from_request":
            None if person is None else round(float(person.get("at", 0)) - t0, 3)}
