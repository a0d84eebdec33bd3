"""Larkspur Energy: a fictional energy supplier's help site built from legacy templates:
a layout table, icon links drawn in SVG (the logo, the navigation, the footer's phone
icon), and a Prototype-style JavaScript library on every page that replaces `Array.from`
with its own and adds methods to `Array.prototype`, as sites of that era did.

A truth-corpus target: its planted problems are described in ../labels.yaml, never here
in words shopper could read."""

from __future__ import annotations

import html

from aiohttp import web

#: The library every page loads first (in the style of Prototype 1.6: `$A` for
#: `Array.from`, which reads only `length`, so a Set comes back empty).
LEGACY_JS = """
var $A = function (it) {
  if (!it) return [];
  if (it.toArray) return it.toArray();
  var n = it.length || 0, out = new Array(n);
  while (n--) out[n] = it[n];
  return out;
};
Array.from = $A;
Array.prototype.each = function (f) { for (var i = 0; i < this.length; i++) f(this[i], i); };
Array.prototype.include = function (x) { return this.indexOf(x) >= 0; };
function $(id) { return document.getElementById(id); }
"""


def icon_link(href: str, name: str, color: str) -> str:
    """A navigation link drawn in SVG, named by its aria-label."""
    return (f'<svg width="34" height="34" viewBox="0 0 34 34" class="icon">'
            f'<a href="{href}" aria-label="{name}"><circle cx="17" cy="17" r="15" fill="{color}"/>'
            f'</a></svg>')


HEADER = ("""<table class="layout" width="100%"><tr><td class="logo">
<svg width="180" height="40" viewBox="0 0 180 40"><a href="/" aria-label="Larkspur Energy home">
<rect width="180" height="40" rx="6" fill="#3b2a6b"/><text x="14" y="26" fill="#fff"
font-family="sans-serif" font-size="18">Larkspur Energy</text></a></svg></td>
<td class="nav" align="right">"""
          + icon_link("/billing", "Billing", "#6b4fb3")
          + icon_link("/power-cuts", "Power cuts", "#c2412d")
          + icon_link("/moving", "Moving home", "#2d7dc2")
          + icon_link("/contact", "Contact us", "#2da55a")
          + "</td></tr></table>")

FOOTER = """<footer><table><tr><td><svg width="24" height="24" viewBox="0 0 24 24">
<a href="tel:+448001234567" aria-label="Call us free on 0800 123 4567">
<rect width="24" height="24" rx="4" fill="#2da55a"/></a></svg></td>
<td>Call us free on 0800 123 4567, 8am to 8pm every day.<br>
Larkspur Energy Ltd, 2 Mill Lane, Bristol BS1 5TT.</td></tr></table></footer>"""


def page(title: str, body: str, status: int = 200) -> web.Response:
    """A full page in the site's layout."""
    return web.Response(status=status, content_type="text/html", text=f"""<!DOCTYPE html>
<html><head><meta charset="utf-8"><title>{title} - Larkspur Energy</title>
<script>{LEGACY_JS}</script>
<style>body{{font-family:Verdana,sans-serif}} .error{{color:#a00}} .notice{{color:#0a5}}
label{{display:block;margin-top:.5em}}</style></head>
<body>{HEADER}<main><h1>{title}</h1>{body}</main>{FOOTER}</body></html>""")


def make_app() -> web.Application:
    """The site."""
    r = web.RouteTableDef()

    @r.get("/")
    async def home(_: web.Request) -> web.Response:
        return page("Welcome to Larkspur Energy", """<p>Help with your gas and electricity.
Pick a topic from the icons above, or start here:</p>
<ul><li><a href="/billing">Your bill and meter</a></li><li><a href="/power-cuts">Power cuts</a></li>
<li><a href="/moving">Moving home</a></li></ul>""")

    @r.get("/power-cuts")
    async def power_cuts(_: web.Request) -> web.Response:
        return page("Power cuts", """<p>If your power is off, check your fuse box first: a
tripped switch is the most common cause.</p><h2>Is there a power cut near me?</h2>
<form method="get" action="/power-cuts/check"><label for="pc">Postcode</label>
<input id="pc" name="postcode" required><button type="submit">Check my postcode</button></form>""")

    @r.get("/power-cuts/check")
    async def check(request: web.Request) -> web.Response:
        postcode = html.escape(request.query.get("postcode", "").upper())
        return page("Power cuts", f"""<p class="notice">No known power cuts at {postcode} right
now.</p><p>We check this list every five minutes.</p><p><a href="/power-cuts">Check another
postcode</a></p>""")

    @r.get("/billing")
    async def billing(_: web.Request) -> web.Response:
        return page("Billing", """<p>Your bill is worked out from your meter readings.</p>
<ul><li><a href="/billing/meter-reading">Submit a meter reading</a></li>
<li><a href="/billing/address">Update billing address</a></li></ul>""")

    @r.get("/billing/address")
    async def address(_: web.Request) -> web.Response:
        return page("Update billing address", """<form method="post" action="/billing/address">
<label for="acc">Account number</label><input id="acc" name="account">
<label for="addr">New address</label><textarea id="addr" name="address"></textarea>
<button type="submit">Save address</button></form>""")

    @r.post("/billing/address")
    async def address_sent(_: web.Request) -> web.Response:
        return page("Update billing address", """<div class="error" role="alert">We couldn't
save your address. Please try again later.</div>
<form method="post" action="/billing/address"><label for="acc">Account number</label>
<input id="acc" name="account"><label for="addr">New address</label>
<textarea id="addr" name="address"></textarea><button type="submit">Save address</button></form>""")

    @r.get("/moving")
    async def moving(_: web.Request) -> web.Response:
        return page("Moving home", """<p>We can't move your account online. Please call us
on 0800 123 4567 and we'll arrange a final meter reading and set up your new home.</p>""")

    @r.get("/contact")
    async def contact(_: web.Request) -> web.Response:
        return page("Contact us", """<form method="post" action="/contact" id="msg">
<label for="n">Your name</label><input id="n" name="name">
<label for="e">Email address</label><input id="e" name="email">
<label for="m">Your message</label><textarea id="m" name="message"></textarea>
<p id="problem" class="error"></p><button type="submit">Send message</button></form>
<script>
$('msg').onsubmit = function () {
  var missing = [];
  $A(this.elements).each(function (f) { if (f.name && !f.value) missing.push(f.name); });
  if (missing.length) { $('problem').textContent = 'Please fill in: ' + missing.join(', '); return false; }
  if ($('e').value.indexOf('@') < 0) { $('problem').textContent = 'Please enter a valid email address'; return false; }
  return true;
};
</script>""")

    @r.post("/contact")
    async def contact_sent(request: web.Request) -> web.Response:
        form = await request.post()
        name = html.escape(str(form.get("name", "")).split(" ")[0])
        return page("Contact us", f"""<p class="notice">Thanks, {name}. We'll reply within 3
working days. Your reference is LE-4411.</p><p><a href="/">Back to help</a></p>""")

    @web.middleware
    async def not_found(request: web.Request, handler) -> web.StreamResponse:
        try:
            return await handler(request)
        except web.HTTPNotFound:  # the site's own error page, in its layout
            return page("Page not found", "<p>Sorry, we can't find that page.</p>"
                        '<p><a href="/">Go to the home page</a></p>', status=404)

    app = web.Application(middlewares=[not_found])
    app.add_routes(r)
    return app
