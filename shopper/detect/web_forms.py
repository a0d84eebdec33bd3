"""Web forms and content judged by what the customer sees: a submission (recognised by
what happened: a navigation, a request with a body) answered by a confirmation, an error
or nothing; a lookup that answers nothing; content that never finished loading."""

from __future__ import annotations

import re
from typing import Any, Iterable
from urllib.parse import urlsplit

from .language import cue
from .model import Finding, JourneyView

#: What a notice's classes say it is (markup words, in the language pack).
ERROR_CLASS = cue("markup_notice.error")
SUCCESS_CLASS = cue("markup_notice.success")
BUSY_CLASS = cue("markup_notice.busy")


def _lines(text: str) -> list[str]:
    return [re.sub(r"\s+", " ", ln).strip() for ln in (text or "").splitlines() if ln.strip()]


def _new(before: dict[str, Any] | None, after: dict[str, Any]) -> tuple[list[str], list[dict]]:
    """Lines of main text and notices that appeared between two snapshots."""
    old = set(_lines(before.get("text", ""))) if before else set()
    old_notes = {n.get("text") for n in (before or {}).get("notices") or []}
    lines = [ln for ln in _lines(after.get("text", "")) if ln not in old]
    notes = [n for n in after.get("notices") or [] if n.get("text") not in old_notes]
    return lines, notes


def judge(before: dict[str, Any] | None, after: dict[str, Any]) -> tuple[str, str]:
    """What the customer sees after sending something: (confirmed | error | nothing, quote)."""
    from .web import CONFIRM, ERROR, REFERENCE
    lines, notes = _new(before, after)
    for n in notes:
        text = n.get("text", "")
        if n.get("role") == "alert" or ERROR_CLASS.search(n.get("cls", "")) or \
                (ERROR.search(text) and not CONFIRM.search(text)):
            return "error", text
    for n in notes:
        text = n.get("text", "")
        if n.get("role") == "status" or SUCCESS_CLASS.search(n.get("cls", "")) or \
                CONFIRM.search(text) or REFERENCE.search(text):
            return "confirmed", text
    for ln in lines:
        if ERROR.search(ln) and not CONFIRM.search(ln):
            return "error", ln
    for ln in lines:
        if CONFIRM.search(ln) or REFERENCE.search(ln):
            return "confirmed", ln
    if before and _path(after.get("url")) != _path(before.get("url")) and lines:
        return "confirmed", lines[0]  # the form led on to a new page that shows no error
    return "nothing", ""


def _path(url: str | None) -> str:
    parts = urlsplit(url or "")
    return f"{parts.netloc}{parts.path}#{parts.fragment}"


def answered(before: dict[str, Any] | None, after: dict[str, Any]) -> tuple[bool, str]:
    """Whether a lookup (a GET form) showed the customer anything: a result or a message."""
    lines, notes = _new(before, after)
    if notes:
        return True, notes[0].get("text", "")
    # A false dead end is worse than a missed one: any new line of text (a results heading,
    # a list of links, a message) is an answer; only the same page again is not.
    for ln in lines:
        if len(ln.split()) >= 2 or re.search(r"\d", ln):
            return True, ln
    return False, ""


def _submissions(view: JourneyView) -> list[dict[str, Any]]:
    """Each action that sent something to the company, with the pages around it."""
    events, out = view.events, []
    failed = {e.get("index") for e in view.step_ends if e.get("status") != "ok"
              and e.get("reason") in ("unreachable", "http")}
    inputs = [i for i in view.of("input") if i.get("action") in ("click", "press")]
    for n, inp in enumerate(inputs):
        if inp.get("step") in failed:
            continue  # the navigation failed: the unreachable / http detectors say so
        stop = inputs[n + 1]["_i"] if n + 1 < len(inputs) else len(events)
        effect = next((e for e in events[inp["_i"]:stop] if e.get("kind") == "effect"), None)
        if effect is None:  # a journal from before effects were recorded
            if not (inp.get("submits_form") and inp.get("form_method") in (None, "post")):
                continue
            method = "post"
        elif effect.get("sent"):
            method = "post"  # a request with a body, whatever the markup says
        elif inp.get("submits_form") and effect.get("navigated"):
            method = inp.get("form_method") or "get"
        else:
            continue  # nothing left the browser (the page's own validation stopped it)
        before = next((p for p in reversed(view.of("page")) if p["_i"] < inp["_i"]), None)
        after = [p for p in view.of("page") if inp["_i"] < p["_i"] < stop][:2]
        if after:
            out.append({"input": inp, "method": method, "before": before, "after": after})
    return out


def submissions(view: JourneyView) -> Iterable[Finding]:
    """A dead end for a submission answered by an error or by nothing, and for a lookup that
    came back with no result and no message; a later confirmed submission clears earlier
    ones (the customer corrected something and got through)."""
    found: list[tuple[int, Finding]] = []
    confirmed_at: list[int] = []
    for sub in _submissions(view):
        inp, before, after = sub["input"], sub["before"], sub["after"]
        where = view.step_label(inp.get("step"))
        if sub["method"] == "get":
            ok, quote = answered(before, after[-1])
            if ok:
                confirmed_at.append(inp["_i"])
                continue
            finding = Finding("dead_end", "lookup_no_result",
                              f"The search at {where} came back with no result and no message: "
                              "the customer is left with the same empty form.",
                              step=inp.get("step"), at=inp.get("at"))
        else:
            verdicts = [judge(before, p) for p in after]
            verdict, quote = next((v for v in verdicts if v[0] != "nothing"), ("nothing", ""))
            if verdict == "confirmed":
                confirmed_at.append(inp["_i"])
                continue
            if verdict == "error":
                finding = Finding("dead_end", "form_error",
                                  f"The form sent at {where} was answered with an error: \"{quote[:200]}\"",
                                  step=inp.get("step"), at=inp.get("at"))
            else:
                finding = Finding("dead_end", "form_no_confirmation",
                                  f"The form sent at {where} gave no confirmation: no thank-you, "
                                  "reference number or message after submitting.",
                                  step=inp.get("step"), at=inp.get("at"))
        page = after[-1]
        finding.evidence = {"url": page.get("url"), "quote": (quote or _main_quote(page))[:300],
                            "screenshot": view.screenshot_for(inp.get("step"))}
        found.append((inp["_i"], finding))
    for i, finding in found:
        if not any(c > i for c in confirmed_at):
            yield finding


def _main_quote(page: dict[str, Any]) -> str:
    return " ".join(_lines(page.get("text", ""))[:4])


def content_never_loaded(view: JourneyView) -> Iterable[Finding]:
    """A dead end when the customer waited for something and the page was still loading."""
    from .web import LOADING
    for end in view.step_ends:
        if end.get("status") == "ok" or end.get("reason") not in ("expectation", "timeout"):
            continue
        idx = end.get("index")
        page = next((p for p in reversed(view.of("page")) if p.get("step") == idx), None)
        if page is None:
            continue
        busy = page.get("busy") or []
        line = next((ln for ln in _lines(page.get("text", "")) if LOADING.search(ln)), None)
        if not busy and line is None:
            continue
        quote = line or next((b.get("text") for b in busy if b.get("text")), "") or \
            f"a loading indicator ({busy[0].get('role') or busy[0].get('cls')})"
        yield Finding("dead_end", "content_never_loaded",
                      f"At {view.step_label(idx)} the page was still loading and never showed "
                      f"what the customer came for: \"{quote[:160]}\".",
                      step=idx, at=end.get("at"),
                      evidence={"url": page.get("url"), "quote": quote[:300],
                                "screenshot": view.screenshot_for(idx)},
                      details={"indicators": busy[:3]})
