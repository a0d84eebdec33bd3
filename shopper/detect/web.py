"""Web dead ends and handoffs, from `page`, `input` and `effect` events and failed steps.

The wording cues of the web detectors (confirmation, error, loading, no results, handoff
targets) are handles on the language pack's families; code here holds grammar, not
vocabulary."""

from __future__ import annotations

import re
from typing import Any, Iterable
from urllib.parse import urlsplit

from .language import LazyCues, cue
from .model import Finding, JourneyView

HTTP_REASONS = {400: "Bad Request", 401: "Unauthorized", 403: "Forbidden", 404: "Not Found",
                410: "Gone", 429: "Too Many Requests", 500: "Internal Server Error",
                502: "Bad Gateway", 503: "Service Unavailable", 504: "Gateway Timeout"}

# -- wording cues: the language pack's (detect/lang/<code>.yaml) -----------------------
#: A confirmation: thanks, "we've got it", a request logged, in any everyday wording.
CONFIRM = cue("confirmation")
#: A reference the company gives back: letters and digits, e.g. QX-2291, MR-55821 (a
#: shape, not wording: it stays here).
REFERENCE = re.compile(r"\b[A-Z]{1,6}-?\d{3,}\b")
#: An error the page shows the customer.
ERROR = cue("error")
#: Content still on its way.
LOADING = cue("loading")
#: A search or lookup that found nothing.
NO_RESULTS = cue("no_results")
#: Page text that sends the customer to another channel: (channel, cue), in order.
CHANNEL_CUES = LazyCues("web_channel")
#: The other channel is the only way ("we can't do this online").
ONLY_WAY = cue("only_way")
#: The other channel is offered beside a way that works here ("you can also call us").
ALTERNATIVE = cue("alternative")
PHONE_NUMBER = cue("phone_number")
#: Where a letter goes: a Freepost name, a PO Box address, "write to us at ...".
POSTAL = cue("postal_address")
EMAIL = cue("email_address")
#: What a browser network error means, for a reviewer. The codes are Chromium's, not a
#: language; the causes are report text (English, like the rest of the report).
NETWORK_CAUSES = [
    (re.compile(r"CONNECTION_REFUSED"), "connection refused: nothing answers at that address"),
    (re.compile(r"NAME_NOT_RESOLVED|NAME_RESOLUTION"), "the name does not resolve (DNS)"),
    (re.compile(r"TOO_MANY_REDIRECTS|REDIRECT_LOOP"), "too many redirects: the page redirects in a loop"),
    (re.compile(r"SSL|CERT|TLS"), "the secure connection failed (TLS error)"),
    (re.compile(r"TIMED_OUT|^timeout$", re.I), "timeout: the server never answered"),
    (re.compile(r"CONNECTION_(RESET|CLOSED|ABORTED)|EMPTY_RESPONSE"), "the connection was dropped"),
]


def network_cause(code: str) -> str:
    """A plain-language cause for a browser network error code."""
    return next((cause for pattern, cause in NETWORK_CAUSES if pattern.search(code or "")),
                "the browser could not open it")


def _origin(url: str) -> str:
    parts = urlsplit(url or "")
    return f"{parts.scheme}://{parts.netloc}" if parts.netloc else ""


def _host(url: str) -> str:
    return urlsplit(url or "").netloc or url


def _web_page(page: dict[str, Any]) -> bool:
    """A page the customer actually saw from a site (not a browser error page)."""
    return (page.get("url") or "").startswith(("http:", "https:")) and not page.get("error_page")


def _came_from(view: JourneyView, e: dict[str, Any], url: str) -> dict[str, Any] | None:
    """The click whose link led to `url`, if any."""
    return next((i for i in reversed(view.of("input")) if i["_i"] < e["_i"] and i.get("action") == "click"
                 and i.get("href") and i["href"].split("#")[0] == url.split("#")[0]), None)


def http_errors(view: JourneyView) -> Iterable[Finding]:
    """A dead end for each page that answered with an HTTP error."""
    seen: set[str] = set()
    for e in view.events:
        url, status = e.get("url"), None
        if e.get("kind") == "page":
            status = e.get("status")
        elif e.get("kind") == "step.end" and e.get("reason") == "http":
            status = e.get("http_status")
        if not url or not status or status < 400 or url in seen:
            continue
        seen.add(url)
        reason = HTTP_REASONS.get(status, "error")
        came_from = _came_from(view, e, url)
        code = "broken_link" if came_from else "http_error"
        what = (f"The link {came_from.get('target')} leads to an error page" if came_from
                else "The customer reached an error page")
        yield Finding("dead_end", code, f"{what}: HTTP {status} {reason} at {url}.",
                      step=e.get("step"), at=e.get("at"),
                      evidence={"url": url, "status": status,
                                "screenshot": view.screenshot_for(e.get("step"))},
                      details={"status": status, "link": came_from.get("target") if came_from else None})


def unreachable(view: JourneyView) -> Iterable[Finding]:
    """A dead end for every navigation that ended in no page at all (refused, DNS, redirect
    loop, TLS, timeout), however it started: the start page, a goto or a click."""
    for e in view.events:
        failed_step = e.get("kind") == "step.end" and e.get("reason") in ("unreachable", "http") \
            and not e.get("http_status")
        failed_start = e.get("kind") == "error" and e.get("where") == "start" \
            and e.get("reason") in ("unreachable", "http") and not e.get("http_status")
        if not (failed_step or failed_start):
            continue
        if failed_start and any((p.get("status") or 0) >= 400 for p in view.of("page")):
            continue  # an HTTP error page: http_errors has it, with the page as evidence
        url = e.get("url") or "?"
        code = e.get("network_error") or e.get("message") or ""
        cause = network_cause(code)
        link = _came_from(view, e, url)
        what = f"The link {link.get('target')} leads nowhere" if link else f"The page {url} could not be opened"
        yield Finding("dead_end", "unreachable",
                      f"{what}: {cause} ({code}{', ' + url if link else ''}).",
                      step=e.get("step") if failed_step else None, at=e.get("at"),
                      evidence={"url": url, "screenshot": view.screenshot_for(e.get("step"))},
                      details={"url": url, "network_error": code, "cause": cause,
                               "link": link.get("target") if link else None})


def _contact_routes(page: dict[str, Any]) -> list[str]:
    c = page.get("contact") or {}
    routes = [f"phone {n}" for n in c.get("tel", [])] + [f"email {m}" for m in c.get("mailto", [])]
    routes += [f"email {m}" for m in c.get("emails", []) if f"email {m}" not in routes]
    routes += [f"phone {n}" for n in c.get("phones", []) if f"phone {n}" not in routes]
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
        # a browser error page is the unreachable dead end itself: one cause, one finding
        if page.get("url") in seen or page.get("error_page") or _contact_routes(page):
            continue
        seen.add(page.get("url"))
        yield Finding("dead_end", "no_contact_route",
                      f"The page \"{page.get('title') or page.get('url')}\" offers no way to contact "
                      "the company (no phone, email, chat or contact link).",
                      step=page.get("step"), at=page.get("at"),
                      evidence={"url": page.get("url"), "screenshot": view.screenshot_for(page.get("step"))})


def home_origins(view: JourneyView) -> set[str]:
    """The company's own origins: where the journey started, and those the scenario declares."""
    site = next(iter(view.of("site")), None)
    if site and site.get("home"):
        return {site["home"], *(site.get("own") or [])}
    start = next((p.get("url") for p in view.of("page") if _web_page(p)), "")
    return {_origin(start)} if start else set()


def _text_handoff(line: str, channel: str, page: dict[str, Any]) -> tuple[str, str, bool]:
    """(to, severity, only_way) for a page line sending the customer to `channel`."""
    target = ""
    if channel == "phone":
        m = PHONE_NUMBER.search(line)
        target = m.group(0).strip() if m else ""
    elif channel == "email":
        m = EMAIL.search(line)
        target = m.group(0) if m else ""
    elif channel == "post":
        m = POSTAL.search(line)
        target = (m.group(0).strip(" ,") if m else "")[:120]
    to = f"{channel} {target}".strip()
    only = bool(ONLY_WAY.search(page.get("text") or ""))
    beside = not only and (bool(ALTERNATIVE.search(line)) or (page.get("fields") or 0) > 0)
    return to, ("info" if beside else "warning"), only


def handoffs(view: JourneyView) -> Iterable[Finding]:
    """Handoffs to another channel or another site, with how each was detected."""
    home = home_origins(view)
    first = next((p.get("url") for p in view.of("page") if _web_page(p)), "")
    seen: set[tuple[str, str]] = set()
    current = f"web ({_host(first)})" if first else "web"
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
        elif kind == "page" and _web_page(e):
            url = e.get("url") or ""
            origin = _origin(url)
            if home and origin not in home and ("site", origin) not in seen:
                seen.add(("site", origin))
                yield Finding("handoff", "site_handoff",
                              f"The customer was sent to another site: {_host(url)} "
                              f"(\"{e.get('title') or url}\").", severity="info",
                              step=e.get("step"), at=e.get("at"),
                              details={"from": current, "to": f"web ({_host(url)})",
                                       "how": "navigation to a different domain"},
                              evidence={"url": url, "screenshot": view.screenshot_for(e.get("step"))})
                current = f"web ({_host(url)})"
            elif origin in home:
                current = f"web ({_host(url)})"
            yield from _page_cues(view, e, current, seen)


def _page_cues(view: JourneyView, e: dict[str, Any], current: str,
               seen: set[tuple[str, str]]) -> Iterable[Finding]:
    """Channel handoffs the page's main text announces."""
    text, url = e.get("text") or "", e.get("url") or ""
    for channel, cue in CHANNEL_CUES:
        line = next((ln for ln in text.splitlines() if cue.search(ln)), None)
        if line is None or (channel, url) in seen or (channel, "click") in seen or (channel, "text") in seen:
            continue
        seen.add((channel, url))
        seen.add((channel, "text"))
        to, severity, only = _text_handoff(line, channel, e)
        how = "page text: the only way offered" if only else (
            "page text, beside a way to do it here" if severity == "info" else "page text")
        yield Finding("handoff", "channel_handoff",
                      f"The page \"{e.get('title') or url}\" tells the customer to use {to}"
                      + (" instead of helping on the website." if severity != "info"
                         else " (offered beside a way to do it on the website)."),
                      severity=severity, step=e.get("step"), at=e.get("at"),
                      details={"from": current, "to": to, "how": how, "only_way": only},
                      evidence={"url": url, "quote": line.strip()[:300],
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


from .web_forms import content_never_loaded, submissions  # noqa: E402  (they read the cues above)

DETECTORS = [_web_only(f) for f in (http_errors, unreachable, submissions, content_never_loaded,
                                    no_contact_route, handoffs)]
METRICS = [web_metrics]
