"""Page helpers shared by the browser-based channels (web, chat): locating elements,
snapshots of what the customer sees, screenshots and traces kept as evidence."""

from __future__ import annotations

import asyncio
import base64
import re
import weakref
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ..journal import Journal

if TYPE_CHECKING:
    from playwright.async_api import BrowserContext, Page

    from .base import JourneyContext

VIEWPORT = {"width": 1280, "height": 860}

TEXT_LIMIT = 4000

#: Spliced into the page scripts that read links: the address a link leads to, for an
#: HTML link and an SVG one alike (an SVG `<a>`'s `href` is an object, and its address
#: the attribute resolved against the page); null when it has none.
LINK_JS = r"""(a => { if (!a) return null;
  const h = a.href;
  if (typeof h === 'string') return h;
  const raw = h && h.baseVal;
  if (!raw) return null;
  try { return new URL(raw, a.baseURI).href; } catch (e) { return null; } })"""

#: Spliced into the page scripts: `root` and every open shadow root under it, nested ones
#: too (a web component's content is in none of the document's own queries).
ROOTS_JS = r"""(root => { const out = [root];
  for (let i = 0; i < out.length; i++)
    for (const el of out[i].querySelectorAll('*')) if (el.shadowRoot) out.push(el.shadowRoot);
  return out; })"""

#: Runs in the page: what the customer can see and the ways to reach the company, in the
#: document and in the open shadow roots of its web components alike.
#: `notices` are live regions, alerts and toasts wherever they sit; `busy` are loading
#: indicators by their markup (the wording is judged by the detectors).
SNAPSHOT_JS = r"""(limit) => {
  const main = document.querySelector('main, [role=main]') || document.body;
  const roots = (ROOTS)(document), shadows = roots.slice(1);
  const query = sel => roots.flatMap(r => Array.from(r.querySelectorAll(sel)));
  // inside `main`, through the shadow roots between (a component's host is in main)
  const within = node => { for (let n = node; n; n = n.getRootNode().host)
    if (main && main.contains(n)) return true; return false; };
  // what a shadow root shows: the text of its rendered children (innerText of a host
  // leaves its shadow content out, and of a hidden element gives its hidden text)
  const seen = el => el.checkVisibility ? el.checkVisibility() : el.getClientRects().length > 0;
  const shows = r => Array.from(r.childNodes, c => c.nodeType === 3 ? c.nodeValue.trim() :
    c.nodeType === 1 && !/^(style|script|template|link)$/i.test(c.tagName) && seen(c) ?
    (c.innerText || '').trim() : '').filter(Boolean).join('\n');
  const parts = s => s.filter(Boolean).join('\n').replace(/\n{3,}/g, '\n\n').trim();
  const text = parts([main ? main.innerText : '', ...shadows.filter(r => within(r.host)).map(shows)]);
  const shown = el => { const r = el.getBoundingClientRect(), st = getComputedStyle(el);
    return r.width > 0 && r.height > 0 && st.visibility !== 'hidden' && st.display !== 'none'; };
  const cls = el => (typeof el.className === 'string' ? el.className : '').slice(0, 80);
  const links = [];
  const contact = {tel: [], mailto: [], chat: false, contact_page: false, emails: []};
  const linkOf = LINK;
  for (const a of query('a[href]')) {
    const href = linkOf(a), label = (a.innerText || a.getAttribute('aria-label') || '').trim();
    if (!href) continue;
    const inMain = within(a);
    if (href.startsWith('tel:')) contact.tel.push(href.slice(4));
    if (href.startsWith('mailto:')) contact.mailto.push(href.slice(7).split('?')[0]);
    if (/contact|support|help ?desk|get in touch/i.test(label + ' ' + href)) contact.contact_page = true;
    if (/chat/i.test(label)) contact.chat = true;
    let external = false;
    if (href.startsWith('http')) {  // an HTML link knows its origin (no URL to parse)
      let o = a.origin;
      if (typeof o !== 'string') { try { o = new URL(href).origin; } catch (e) { o = ''; } }
      external = !!o && o !== location.origin;
    }
    if (links.length < 60 && (external || inMain || /^(tel|mailto):/.test(href)))
      links.push({text: label.slice(0, 120), href: href, main: inMain, external: external});
  }
  for (const b of query('button, [role=button], iframe, [data-chat]')) {
    const s = (b.innerText || b.getAttribute('aria-label') || b.getAttribute('title') || b.src || '');
    if (/chat/i.test(s) || b.hasAttribute('data-chat')) { contact.chat = true; break; }
  }
  // addresses and numbers written as plain text (a footer's phone line) are routes too
  const all = parts([document.body ? document.body.innerText : '', ...shadows.map(shows)]);
  contact.emails = Array.from(new Set(all.match(/[\w.+-]+@[\w-]+(\.[\w-]+)+/g) || [])).slice(0, 5);
  contact.phones = Array.from(new Set((all.match(/\+?\d[\d \t().-]{7,}\d/g) || [])
    .filter(n => n.replace(/\D/g, '').length >= 9))).slice(0, 5);
  const notices = [];
  for (const el of query('[role=status], [role=alert], [aria-live], ' +
      '[class*=toast], [class*=alert], [class*=notice], [class*=flash], [class*=success], ' +
      '[class*=error], [class*=invalid], [class*=hint], [class*=feedback], .errorlist')) {
    const t = (el.innerText || '').trim();
    if (!t || !shown(el) || notices.some(n => n.text === t) || notices.length >= 20) continue;
    notices.push({role: el.getAttribute('role') || '', live: el.getAttribute('aria-live') || '',
                  cls: cls(el), text: t.slice(0, 300)});
  }
  const busy = [];
  for (const el of query('[aria-busy=true], [role=progressbar], ' +
      '[class*=spin], [class*=skeleton], [class*=loading], [class*=loader], [class*=shimmer]')) {
    if (shown(el) && busy.length < 10)
      busy.push({role: el.getAttribute('role') || '', cls: cls(el), text: (el.innerText || '').trim().slice(0, 120)});
  }
  const fields = query('input:not([type=hidden]), select, textarea').filter(within).length;
  return {url: location.href, title: document.title, text: text.slice(0, limit),
          links: links, contact: contact, notices: notices, busy: busy, fields: fields,
          error_page: location.protocol === 'chrome-error:'};
}""".replace("LINK", LINK_JS).replace("ROOTS", ROOTS_JS)

#: Runs on a clicked element: where it leads, whether it submits a form, and whether the
#: browser's own validation will stop that form (reading `validity` fires no events).
TARGET_JS = """(el) => {
  const a = el.closest('a');
  const form = el.form || el.closest('form');
  const type = (el.getAttribute('type') || (el.tagName === 'BUTTON' ? 'submit' : '')).toLowerCase();
  const submit = !!form && (type === 'submit' || type === 'image');
  const invalid = [];
  if (submit && !form.noValidate && !el.formNoValidate)
    for (const f of form.elements)
      if (f.willValidate && !f.validity.valid)
        invalid.push({field: ((f.labels && f.labels[0] && f.labels[0].innerText) || f.name || '').trim(),
                      message: f.validationMessage});
  return {href: (LINK)(a), target: a ? a.getAttribute('target') || '' : null,
          submits: submit, method: form ? form.method : null, invalid: invalid,
          tag: el.tagName.toLowerCase(), role: el.getAttribute('role'), text: (el.innerText || el.value || '').trim().slice(0, 120)};
}""".replace("LINK", LINK_JS)


async def visible_choices(page: "Page", limit: int = 12) -> list[str]:
    """Texts of the links and buttons on the page, to say what was there instead."""
    try:
        texts = await page.locator("a:visible, button:visible, [role=button]:visible").evaluate_all(
            "els => els.map(e => (e.innerText || e.getAttribute('aria-label') || '').trim())")
    except Exception:  # page gone or navigating: nothing to suggest
        return []
    seen: list[str] = []
    for t in texts:
        t = re.sub(r"\s+", " ", t)
        if t and t not in seen:
            seen.append(t[:60])
    return seen[:limit]


async def snapshot(page: "Page") -> dict[str, Any]:
    """What the customer sees on the page now."""
    return await evaluate(page, SNAPSHOT_JS, TEXT_LIMIT)


#: `evaluate` runs shopper's reads of a page in an isolated world: apart from the page's own
#: scripts, which can neither see them nor break the built-ins they use (a site that
#: replaces `Array.from` or `getComputedStyle` with its own). Every call in one document
#: meets the same world, and what a read leaves there (the watch on the page) is found by
#: the next. Playwright keeps such a world in every document for its own work, made as the
#: document is created: the reads run there, found by its name (PLAYWRIGHT_WORLD) as the
#: page's session reports it. Where none is reported (another Playwright), the reads run
#: in a world of shopper's own (WORLD, Page.createIsolatedWorld), made in each document at
#: ~5 ms of the page's time.
PLAYWRIGHT_WORLD = "__playwright_utility_world"
WORLD = "shopper"


@dataclass
class _Session:
    """A page's own browser-protocol session, its main frame, and the execution context of
    the reads' world in the frame's current document: Playwright's (a finished future, set
    as the session reports it), shopper's own being made (a task: `find_world`), or None
    (between documents: the next read finds one)."""

    cdp: Any
    frame: str
    context: "asyncio.Future[int] | None" = None

    def find_world(self) -> "asyncio.Future[int]":
        """Start making WORLD in the current document; what `context` awaits."""
        self.context = asyncio.ensure_future(_world(self))
        self.context.add_done_callback(_retrieved)
        return self.context

    def created(self, event: dict) -> None:
        """Runtime.executionContextCreated: Playwright's world in the main frame's new
        document is where the reads run."""
        context, aux = event["context"], event["context"].get("auxData") or {}
        if aux.get("frameId") == self.frame and \
                str(context.get("name") or "").startswith(PLAYWRIGHT_WORLD):
            self.context = asyncio.get_running_loop().create_future()
            self.context.set_result(context["id"])

    def destroyed(self, event: dict) -> None:
        """Runtime.executionContextDestroyed: the document of the reads' world is gone."""
        world = self.context
        if world is not None and world.done() and not world.cancelled() and \
                world.exception() is None and world.result() == event["executionContextId"]:
            self.context = None

    def cleared(self, event: dict) -> None:
        """Runtime.executionContextsCleared: every context of the page is gone."""
        self.context = None


def _retrieved(task: "asyncio.Future[Any]") -> None:
    """Mark a failure as seen: a document that went before its world was found is no
    error (the call that needs the world finds it again)."""
    if not task.cancelled():
        task.exception()


#: Each page's own session (False: none can be had), opened by `open_session` when the
#: journey starts.
_SESSIONS: "weakref.WeakKeyDictionary[Page, _Session | bool]" = weakref.WeakKeyDictionary()


async def open_session(page: "Page") -> None:
    """Open the page's own browser-protocol session (Chromium), which `evaluate` and the
    evidence screenshots use; where none can be had they fall back to Playwright's calls.
    Costs three round trips: start it beside the first navigation.

    The session reports the page's execution contexts (Runtime.enable: the ones there are
    at once, then each new one), which is how the reads find Playwright's world in each
    document; it also reports what the page writes to its console, which nothing reads."""
    try:
        cdp = await page.context.new_cdp_session(page)
        tree = await cdp.send("Page.getFrameTree")
        session = _Session(cdp, tree["frameTree"]["frame"]["id"])
        cdp.on("Runtime.executionContextCreated", session.created)
        cdp.on("Runtime.executionContextDestroyed", session.destroyed)
        cdp.on("Runtime.executionContextsCleared", session.cleared)
        await cdp.send("Runtime.enable")
    except Exception:  # not Chromium, or a connection that does not allow it
        _SESSIONS[page] = False
        return
    _SESSIONS[page] = session


class ScriptError(Exception):
    """A script run by `evaluate` threw in the page."""


async def evaluate(page: "Page", function: str, arg: Any = None) -> Any:
    """Call a JavaScript function in the page's main frame with a JSON argument; its
    JSON result (a promise's, once it settles).

    Through the page's own session (`open_session`) this is one protocol call, in
    Playwright's isolated world of the document (else shopper's own, WORLD). Playwright's
    `page.evaluate` sets up its helper script in the page's own world on every new document
    first (~4 ms each, for each page a journey opens), which the plain JSON in and out of
    these reads does not need. Raises when the script throws or the page is between
    documents, as `page.evaluate` does."""
    session = _SESSIONS.get(page)
    if not session:
        return await page.evaluate(function, arg)
    # the argument travels apart: the function's text is the same on every call (measured
    # 0.2-0.7 ms less per read than an expression with the argument written into it)
    params = {"functionDeclaration": function, "arguments": [{"value": arg}],
              "returnByValue": True, "awaitPromise": True}  # as page.evaluate: a promise's value
    for last in (False, True):
        world = session.context or session.find_world()
        try:
            # shared by every call in this document: one cancelled call does not end it
            context = await asyncio.shield(world)
            out = await session.cdp.send("Runtime.callFunctionOn",
                                         {**params, "executionContextId": context})
            break
        except Exception as exc:
            # the document changed while its world was found, or since (the session's
            # report of it not yet here): find a world in the document there is now, once
            lost = world.done() and not world.cancelled() and world.exception() is not None
            if last or not lost and "Cannot find context" not in str(exc):
                raise
            if session.context is world:
                session.context = None
    if "exceptionDetails" in out:
        details = out["exceptionDetails"]
        raise ScriptError((details.get("exception") or {}).get("description") or details.get("text"))
    return out["result"].get("value")


async def _world(session: _Session) -> int:
    """The execution context of WORLD in the main frame's current document."""
    try:
        made = await session.cdp.send("Page.createIsolatedWorld",
                                      {"frameId": session.frame, "worldName": WORLD})
    except Exception:  # the main frame has another id (it keeps one in Chromium): look again
        tree = await session.cdp.send("Page.getFrameTree")
        session.frame = tree["frameTree"]["frame"]["id"]
        made = await session.cdp.send("Page.createIsolatedWorld",
                                      {"frameId": session.frame, "worldName": WORLD})
    return made["executionContextId"]


#: Quality of the JPEG screenshots taken as automatic evidence after a step: legible
#: text at a fraction of the time a PNG takes to encode (a named `screenshot` step is PNG).
JPEG_QUALITY = 80
#: A capture can meet a page with no frame to capture: a page that paints nothing for a
#: moment after its load event (an empty or hidden body, a busy script), or one that
#: navigates again by itself (a script or meta refresh sending the customer on). The
#: browser then refuses the capture ("Unable to capture screenshot", "Not attached to an
#: active page") or never answers it. Each capture is bounded by SHOT_WAIT and tried
#: SHOT_TRIES times, a little later each time, before Playwright's own screenshot is tried.
SHOT_TRIES = 3
SHOT_WAIT = 2.0


async def screenshot(page: "Page", journal: Journal, name: str, full_page: bool = False,
                     mask: list["Locator"] | None = None, lossless: bool = True,
                     **fields: Any) -> Path | None:
    """Save a screenshot as an artifact (`mask`: elements painted over, e.g. secrets);
    None when the page could not be captured, said in a note (`screenshot not taken`,
    with the browser's reason) so the report shows the gap instead of losing it silently.
    `lossless=False` (the evidence taken after steps): a JPEG of the viewport, and the
    text caret left as it is."""
    path = journal.artifact_path(name, ".png" if lossless else ".jpg")
    try:
        try:
            data = None if lossless or full_page or mask else await capture_viewport(page)
        except Exception:  # no frame to capture: Playwright's screenshot prepares the page
            data = None
        if data is not None:
            path.write_bytes(data)
        else:
            options: dict[str, Any] = {} if lossless else {
                "type": "jpeg", "quality": JPEG_QUALITY, "caret": "initial"}
            await page.screenshot(path=str(path), full_page=full_page, timeout=5000,
                                  mask=mask or [], **options)
    except Exception as exc:  # a closed, crashed or never-painting page: the journal goes on
        if not page.is_closed():
            journal.record("note", what="screenshot not taken", name=name, url=page.url,
                           reason=first_line(exc)[:200], **fields)
        return None
    journal.add_artifact(path, "screenshot", **fields)
    return path


async def capture_viewport(page: "Page") -> bytes | None:
    """A JPEG of what the viewport shows, in one browser-protocol call; None where the
    page has no session (`open_session`), and the caller takes Playwright's screenshot;
    raises the browser's error when SHOT_TRIES captures failed.

    Playwright's screenshot adds four round trips around the capture (preparing every
    frame, waiting for web fonts, reading the layout, restoring the frames): half the
    time of an evidence screenshot, for options these screenshots do not use (no mask,
    no caret hidden, the viewport only). It does not wait for web fonts: a step's evidence
    is taken after the page's load event, and text in a font still loading after that
    shows in the fallback face."""
    session = _SESSIONS.get(page)
    if not session:
        return None
    for attempt in range(1, SHOT_TRIES + 1):
        try:
            shot = await asyncio.wait_for(session.cdp.send(
                "Page.captureScreenshot", {"format": "jpeg", "quality": JPEG_QUALITY}), SHOT_WAIT)
            return base64.b64decode(shot["data"])
        except Exception:
            if attempt == SHOT_TRIES or page.is_closed():
                raise
            await asyncio.sleep(0.05 * attempt)  # the next frame, or the next document's
    return None


async def open_page(ctx: "JourneyContext") -> tuple["BrowserContext", "Page", bool]:
    """A fresh, isolated browser context and page for one journey, traced unless the
    trace policy is off; returns (context, page, tracing)."""
    browser = await ctx.browser()
    context = await browser.new_context(viewport=VIEWPORT)
    tracing = ctx.tracing()
    if tracing:
        # a screencast frame would show what the customer typed and cannot be masked:
        # journeys with secrets keep DOM snapshots (scrubbed as text) but no frames
        await context.tracing.start(screenshots=not ctx.journal.redactor, snapshots=True)
    return context, await context.new_page(), tracing


def first_line(exc: BaseException) -> str:
    """The first line of an exception's message (Playwright's carry a call log after it)."""
    text = getattr(exc, "message", None) or str(exc)
    return text.strip().splitlines()[0] if text.strip() else type(exc).__name__


async def close_context(context: "BrowserContext", journal: Journal, tracing: bool,
                        keep_trace: bool) -> None:
    """Keep or drop the trace, then close the context; never raises (runs in `stop`)."""
    try:
        if tracing:
            await stop_trace(context, journal, keep_trace)
    except Exception as exc:
        journal.record("error", message=f"trace not saved: {first_line(exc)}")
    try:
        await context.close()
    except Exception:  # the browser is already gone (crash, Ctrl-C)
        pass


async def stop_trace(context: "BrowserContext", journal: Journal, keep: bool) -> None:
    """Stop tracing; keep the trace (with secrets scrubbed from its text files) if asked."""
    if not keep:
        await context.tracing.stop()
        return
    path = journal.artifact_path("trace", ".zip")
    await context.tracing.stop(path=str(path))
    journal.add_artifact(path, "trace")  # scrubs secrets, or drops a trace it cannot


def scrub_zip(path: Path, journal: Journal) -> bool:
    """Rewrite a zip with every registered secret replaced in its members; False when a
    secret sits in a binary member and the zip was deleted."""
    return journal.redactor.file(path)
