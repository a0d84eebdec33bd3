"""Brightwave Mobile: a fictional mobile network's help site built from web components:
the header, the footer, every article and every form render inside open shadow roots
(as Lit or Stencil sites do), and the forms send with `fetch` and show the answer inside
their component.

A truth-corpus target: its planted problems are described in ../labels.yaml, never here
in words shopper could read."""

from __future__ import annotations

import json

from aiohttp import web

#: The site's components: `bw-box` shows its <template> in a shadow root; `bw-form` does
#: too, and sends its fields as JSON to its `action`, showing the answer's `message` in
#: the component (a status when `ok`, an alert otherwise).
COMPONENTS_JS = """
class BwBox extends HTMLElement {
  connectedCallback() {
    if (this.shadowRoot) return;
    const root = this.attachShadow({mode: 'open'});
    root.innerHTML = '<style>:host{display:block;margin:.5em 0} .error{color:#a00}' +
      ' label{display:block;margin-top:.4em}</style>';
    root.append(this.querySelector('template').content.cloneNode(true));
  }
}
customElements.define('bw-box', BwBox);
customElements.define('bw-form', class extends BwBox {
  connectedCallback() {
    super.connectedCallback();
    const root = this.shadowRoot, out = root.querySelector('.answer');
    root.querySelector('button').addEventListener('click', async () => {
      const body = {};
      root.querySelectorAll('input, select, textarea').forEach(f => { body[f.name] = f.value; });
      const r = await fetch(this.getAttribute('action'), {method: 'POST',
        headers: {'Content-Type': 'application/json'}, body: JSON.stringify(body)});
      const answer = await r.json();
      out.setAttribute('role', answer.ok ? 'status' : 'alert');
      out.className = 'answer ' + (answer.ok ? 'done' : 'error');
      out.textContent = answer.message;
    });
  }
});
"""

HEADER = """<bw-box><template><header><strong>Brightwave</strong>
<nav><a href="/">Home</a> <a href="/plans">Plans</a> <a href="/help">Help</a></nav>
</header></template></bw-box>"""
FOOTER = """<bw-box><template><footer>Questions? Call <a href="tel:+443330001234">0333 000
1234</a>, 8am to 8pm. Brightwave Mobile Ltd, 9 Quay Street, Cardiff CF10 1EA.</footer>
</template></bw-box>"""


def page(title: str, content: str) -> web.Response:
    """A page: its title and `content` (components) between the header and the footer."""
    return web.Response(content_type="text/html", text=f"""<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>{title} | Brightwave</title>
<script type="module">{COMPONENTS_JS}</script></head>
<body>{HEADER}<main>{content}</main>{FOOTER}</body></html>""")


def article(heading: str, body: str) -> str:
    """An article component."""
    return f"<bw-box><template><h1>{heading}</h1>{body}</template></bw-box>"


def form(heading: str, action: str, fields: str, button: str) -> str:
    """A form component sending to `action`; a hidden error message waits in it."""
    return f"""<bw-form action="{action}"><template><h1>{heading}</h1>{fields}
<button type="button">{button}</button><p class="answer"></p>
<p class="error" hidden>Something went wrong. Please try again.</p></template></bw-form>"""


def make_app() -> web.Application:
    """The site."""
    r = web.RouteTableDef()

    @r.get("/")
    async def home(_: web.Request) -> web.Response:
        return page("Home", article("Hello from Brightwave", """<p>Everything about your
plan, your phone and your bill. Start with <a href="/help">Help</a>.</p>"""))

    @r.get("/plans")
    async def plans(_: web.Request) -> web.Response:
        return page("Plans", article("Our plans", "<p>Unlimited data from £18 a month.</p>"))

    @r.get("/help")
    async def help_(_: web.Request) -> web.Response:
        return page("Help", article("How can we help?", """<ul>
<li><a href="/help/roaming">Roaming abroad</a></li><li><a href="/unlock">Unlock your phone</a></li>
<li><a href="/port">Keep your number</a></li><li><a href="/coverage">Check coverage</a></li>
<li><a href="/cancel">Cancel my contract</a></li></ul>"""))

    @r.get("/help/roaming")
    async def roaming(_: web.Request) -> web.Response:
        return page("Roaming", article("Roaming abroad", """<p>Roaming in Europe costs nothing
extra on all plans: use your minutes, texts and data as you do at home.</p>"""))

    @r.get("/unlock")
    async def unlock(_: web.Request) -> web.Response:
        return page("Unlock", form("Unlock your phone", "/api/unlock", """
<label for="imei">IMEI number</label><input id="imei" name="imei">""", "Request unlock code"))

    @r.post("/api/unlock")
    async def unlock_api(request: web.Request) -> web.Response:
        await request.json()
        return web.json_response({"ok": True, "message": "Done. Your unlock code UNL-5521 is on "
                                  "its way by text."})

    @r.get("/port")
    async def port(_: web.Request) -> web.Response:
        return page("Keep your number", form("Keep your number", "/api/port", """
<label for="pac">PAC code</label><input id="pac" name="pac">
<label for="msisdn">Mobile number</label><input id="msisdn" name="number">""", "Move my number"))

    @r.post("/api/port")
    async def port_api(_: web.Request) -> web.Response:
        return web.Response(status=500, content_type="application/json", text=json.dumps(
            {"ok": False, "message": "Sorry, we couldn't process your request right now."}))

    @r.get("/coverage")
    async def coverage(_: web.Request) -> web.Response:
        return page("Coverage", form("Check coverage", "/api/coverage", """
<label for="pc">Postcode</label><input id="pc" name="postcode">
<label for="net">Network</label><select id="net" name="network"><option>4G</option>
<option>5G</option></select>""", "Check coverage"))

    @r.post("/api/coverage")
    async def coverage_api(_: web.Request) -> web.Response:
        return web.json_response({"ok": True, "message": "We couldn't find that postcode. "
                                  "Check it and try again."})

    @r.get("/cancel")
    async def cancel(_: web.Request) -> web.Response:
        return page("Cancel", article("Cancel your contract", """<p>To cancel your contract,
please call our retentions team on 0333 000 1299. They're available 9am to 6pm.</p>"""))

    app = web.Application()
    app.add_routes(r)
    return app
