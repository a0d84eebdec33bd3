"""Web dead ends and handoffs, from `page` and `input` events and failed steps."""

from __future__ import annotations

from typing import Any, Iterable
from urllib.parse import urlsplit

from .language import LazyCues, cue
from .model import Finding, JourneyView

HTTP_REASONS = {400: "Bad Request", 401: "Unauthorized", 403: "Forbidden", 404: "Not Found",
                410: "Gone", 429: "Too Many Requests", 500: "Internal Server Error",
                502: "Bad Gateway", 503: "Service Unavailable", 504: "Gateway Timeout"}
CONFIRM = cue("confirmation")
#: Page text that sends the customer to another channel instead of helping here (the
#: language pack's `other_channel` families, but the website itself).
CHANNEL_CUES = LazyCues("other_channel", exclude=("web",))
PHONE_NUMBER = cue("phone_number")


def _origin(url: str) -> str:
    parts = urlsplit(url or "")
    return f"{parts.scheme}://{parts.netloc}" if parts.netloc else ""


def _host(url: str) -> str:
    return urlsplit(url or "").netloc or url


def http_errors(view: JourneyView) -> Iterable[Finding]:
    """A dead end for each page the customer reached that answered with an HTTP error."""
    inputs = view.of("input")
    seen: set[str] = set()
    for e in view.events:
        url, status = e.get("url"), None
        if e.get("kind") == "page":
            status = e.get("status")
        elif e.get("kind") == "step.end" and e.get("reason") == "http":
            status = e.get("http_status")
            url = e.get("url") or url
        if not url or not status or status < 400 or url in seen:
            if e.get("kind") == "step.end" and e.get("reason") == "http" and not status and url not in seen:
                seen.add(url or "")
                yield Finding("dead_end", "unreachable", f"The page {url} could not be opened: "
                              f"{e.get('message')}", step=e.get("step"), at=e.get("at"),
                              evidence={"url": url, "screenshot": view.screenshot_for(e.get("step"))})
            continue
        seen.add(url)
        reason = HTTP_REASONS.get(status, "error")
        came_from = next((i for i in reversed(inputs) if i["_i"] < e["_i"] and i.get("action") == "click"
                          and i.get("href") and i["href"].split("#")[0] == url.split("#")[0]), None)
        code = "broken_link" if came_from else "http_error"
        what = (f"The link {came_from.get('target')} leads to an error page" if came_from
                else "The customer reached an error page")
        yield Finding("dead_end", code, f"{what}: HTTP {status} {reason} at {url}.",
                      step=e.get("step"), at=e.get("at"),
                      evidence={"url": url, "status": status,
                                "screenshot": view.screenshot_for(e.get("step"))},
                      details={"status": status, "link": came_from.get("target") if came_from else None})


def forms_without_confirmation(view: JourneyView) -> Iterable[Finding]:
    """A dead end for a form the customer submitted that never confirmed anything."""
    pages = view.of("page")
    for inp in view.of("input"):
        if not inp.get("submits_form"):
            continue
        after = [p for p in pages if p["_i"] > inp["_i"]][:2]
        before = [p for p in pages if p["_i"] < inp["_i"]]
        prior_text = before[-1].get("text", "") if before else ""
        confirmed = any(CONFIRM.search(p.get("text", "")) and not CONFIRM.search(prior_text)
                        or (p.get("url") != (before[-1].get("url") if before else None)
                            and CONFIRM.search(p.get("text", ""))) for p in after)
        if after and not confirmed:
            page = after[0]
            yield Finding("dead_end", "form_no_confirmation",
                          f"The form sent at {view.step_label(inp.get('step'))} gave no confirmation: "
                          f"no thank-you, reference number or message after submitting.",
                          step=inp.get("step"), at=inp.get("at"),
                          evidence={"url": page.get("url"), "quote": page.get("text", "")[:300],
                                    "screenshot": view.screenshot_for(inp.get("step"))})


def _contact_routes(page: dict[str, Any]) -> list[str]:
    c = page.get("contact") or {}
    routes = [f"phone {n}" for n in c.get("tel", [])] + [f"email {m}" for m in c.get("mailto", [])]
    if c.get("chat"):
        routes.append("chat")
    if c.get("contact_page"):
        routes.append("contact page")
    return routes


def no_contact_route(view: JourneyView) -> Iterable[Finding]:
    """A dead end when the customer is stuck on a page with no way to reach anyone."""
    pages = view.of("page")
    failed = [e for e in view.step_ends if e.get("status") not in ("ok", "interrupted")]
    stuck = [p for p in pages if (p.get("status") or 0) >= 400]
    if failed and pages:
        stuck.append(pages[-1])
    seen: set[str] = set()
    for page in stuck:
        if page.get("url") in seen or _contact_routes(page):
            continue
        seen.add(page.get("url"))
        yield Finding("dead_end", "no_contact_route",
                      f"The page \"{page.get('title') or page.get('url')}\" offers no way to contact "
                      "the company (no phone, email, chat or contact link).",
                      step=page.get("step"), at=page.get("at"),
                      evidence={"url": page.get("url"), "screenshot": view.screenshot_for(page.get("step"))})


def handoffs(view: JourneyView) -> Iterable[Finding]:
    """Handoffs to another channel or another site, with how each was detected."""
    start_url = next((p.get("url") for p in view.of("page") if p.get("url")), "")
    home = _origin(start_url)
    seen: set[tuple[str, str]] = set()
    current = f"web ({_host(start_url)})" if start_url else "web"
    for e in view.events:
        kind = e.get("kind")
        if kind == "input" and e.get("action") == "click" and (e.get("href") or "").startswith(("tel:", "mailto:")):
            href = e["href"]
            to = ("phone " + href[4:]) if href.startswith("tel:") else ("email " + href[7:].split("?")[0])
            key = (to.split()[0], "click")
            if key not in seen:
                seen.add(key)
                yield Finding("handoff", "channel_handoff", f"The website sent the customer to {to}.",
                              severity="info", step=e.get("step"), at=e.get("at"),
                              details={"from": current, "to": to, "how": f"the customer followed a {href.split(':')[0]}: link"},
                              evidence={"link": e.get("target"), "href": href})
        elif kind == "page":
            url = e.get("url") or ""
            origin = _origin(url)
            if home and origin and origin != home and ("site", origin) not in seen:
                seen.add(("site", origin))
                yield Finding("handoff", "site_handoff",
                              f"The customer was sent to another site: {_host(url)} "
                              f"(\"{e.get('title') or url}\").", severity="info",
                              step=e.get("step"), at=e.get("at"),
                              details={"from": current, "to": f"web ({_host(url)})",
                                       "how": "navigation to a different domain"},
                              evidence={"url": url, "screenshot": view.screenshot_for(e.get("step"))})
                current = f"web ({_host(url)})"
            elif home and origin == home:
                current = f"web ({_host(url)})"
            text = e.get("text") or ""
            for channel, cue in CHANNEL_CUES:
                m = cue.search(text)
                if not m or (channel, url) in seen or (channel, "click") in seen:
                    continue
                seen.add((channel, url))
                line = next((ln for ln in text.splitlines() if cue.search(ln)), m.group(0)).strip()
                number = PHONE_NUMBER.search(line) if channel == "phone" else None
                to = channel + (f" {number.group(0).strip()}" if number else "")
                yield Finding("handoff", "channel_handoff",
                              f"The page \"{e.get('title') or url}\" tells the customer to use {to} "
                              "instead of helping on the website.", severity="info",
                              step=e.get("step"), at=e.get("at"),
                              details={"from": current, "to": to, "how": "page text"},
                              evidence={"url": url, "quote": line[:300],
                                        "screenshot": view.screenshot_for(e.get("step"))})


def web_metrics(view: JourneyView) -> dict[str, Any]:
    """Pages seen and inputs made on the website."""
    if view.channel != "web":
        return {}
    return {"pages": len({p.get("url") for p in view.of("page")}),
            "inputs": len(view.of("input"))}


def _web_only(fn):
    def run(view: JourneyView) -> Iterable[Finding]:
        return fn(view) if view.channel == "web" else []
    run.__name__ = fn.__name__
    run.__doc__ = fn.__doc__
    return run


DETECTORS = [_web_only(f) for f in (http_errors, forms_without_confirmation, no_contact_route, handoffs)]
METRICS = [web_metrics]
