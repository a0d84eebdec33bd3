"""Northgate Water: a fictional water utility's support site, server-rendered HTML with
plain POST and GET forms (no JavaScript apart from the browser's own form validation).

A truth-corpus target: its planted problems are described in ../labels.yaml, never here
in words shopper could read."""

from __future__ import annotations

import asyncio
import html

from aiohttp import web

FOOTER = """<footer><p>Northgate Water Ltd, 1 Reservoir Way, Leeds LS1 4AB.
Customer line 0800 316 9922 (Mon-Fri 8am-6pm). Emergencies 24/7: 0800 316 9900.</p>
<nav><a href="/accessibility">Accessibility</a> <a href="/privacy">Privacy</a></nav></footer>"""


def page(title: str, body: str, status: int = 200) -> web.Response:
    """A full page in the site's layout."""
    return web.Response(status=status, content_type="text/html", text=f"""<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>{title} | Northgate Water</title>
<style>.ok{{color:#0a6b2b}} .err{{color:#a00}} label{{display:block;margin-top:.6em}}</style></head>
<body><header><a href="/">Northgate Water</a>
<nav><a href="/bills">Bills</a> <a href="/meter">Meter readings</a> <a href="/leaks">Leaks</a>
<a href="/moving">Moving home</a> <a href="/help">Help</a></nav></header>
<main><h1>{title}</h1>{body}</main>{FOOTER}</body></html>""")


def routes(dead: dict[str, str]) -> web.RouteTableDef:
    """The site's pages; `dead` holds addresses of targets that fail at the network level."""
    r = web.RouteTableDef()

    @r.get("/")
    async def home(_: web.Request) -> web.Response:
        return page("Help with your water", """<p>Most things can be done online.</p>
<ul><li><a href="/meter">Give a meter reading</a></li><li><a href="/bills">Understand your bill</a></li>
<li><a href="/leaks">Report a leak</a></li><li><a href="/moving">Tell us you're moving</a></li>
<li><a href="/help">Help and support</a></li></ul>""")

    @r.get("/help")
    async def help_(_: web.Request) -> web.Response:
        return page("Help and support", """<p>Our guides answer most questions. If they don't,
you can contact us any time and a member of the team will reply within two working days.</p>
<p><a href="/contact">Contact us</a></p>
<ul><li><a href="/help/hardship">Help paying your bill</a></li>
<li><a href="/help/pay-by-post">Paying by cheque</a></li>
<li><a href="/help/id-check">Proving who you are</a></li>
<li><a href="/help/status">Service status</a></li>
<li><a href="/help/map">Planned works map</a></li></ul>""")

    @r.get("/help/status")
    async def status(_: web.Request) -> web.Response:
        return page("Service status", f'<p>See live service status on our status page.</p>'
                    f'<p><a href="{dead["dns"]}">Open the status page</a></p>')

    @r.get("/help/map")
    async def works_map(_: web.Request) -> web.Response:
        return page("Planned works", f'<p>Our works map shows roadworks near you.</p>'
                    f'<p><a href="{dead["refused"]}/map">View the works map</a></p>')

    @r.get("/help/hardship")
    async def hardship(_: web.Request) -> web.Response:
        return page("Help paying your bill", """<p>If you are struggling to pay, our WaterSure
scheme can cap your bill.</p><h2>How to apply</h2><p>Download the application form
(<a href="/files/watersure.pdf">PDF, 2 pages</a>), print it, fill it in and post it to
Freepost NORTHGATE WATERSURE. We aim to reply within 21 days of receiving it.</p>""")

    @r.get("/files/watersure.pdf")
    async def pdf(_: web.Request) -> web.Response:
        return web.Response(body=b"%PDF-1.4\n% corpus placeholder\n", content_type="application/pdf")

    @r.get("/help/pay-by-post")
    async def by_post(_: web.Request) -> web.Response:
        return page("Paying by cheque", """<p>Make your cheque payable to Northgate Water Ltd and
write your account number on the back.</p><p>Send it to: Northgate Water, Payments, PO Box 4410,
Leeds LS2 7QZ.</p><p>Allow five working days for it to reach your account.</p>""")

    @r.get("/help/id-check")
    async def id_check(_: web.Request) -> web.Response:
        return page("Proving who you are", """<p>To put an account in your name after a
bereavement we need to see original documents.</p><p>Please bring photo ID and the death
certificate to one of our customer centres (Leeds, Bradford or York). You don't need an
appointment.</p>""")

    @r.get("/contact")
    async def contact(_: web.Request) -> web.Response:
        return page("Contact us", """<form method="post" action="/contact">
<label for="c-name">Your name</label><input id="c-name" name="name" required>
<label for="c-email">Email</label><input id="c-email" name="email" type="email" required>
<label for="c-msg">How can we help?</label><textarea id="c-msg" name="msg" required></textarea>
<button type="submit">Send</button></form>""")

    @r.post("/contact")
    async def contact_sent(_: web.Request) -> web.Response:
        return page("Contact us", """<p class="ok">We've sent you an email with the next steps;
it should arrive shortly.</p><p><a href="/">Back to the home page</a></p>""")

    @r.get("/meter")
    async def meter(_: web.Request) -> web.Response:
        # the label's `for` names an id the input does not have (a common template bug)
        return page("Give a meter reading", """<p>Readings help us bill you accurately.</p>
<form method="post" action="/meter">
<label for="acct">Account number</label><input id="account" name="account" required pattern="\\d{8}">
<label for="reading">Reading (m³)</label><input id="reading" name="reading" required>
<button type="submit">Submit reading</button></form>""")

    @r.post("/meter")
    async def meter_done(request: web.Request) -> web.Response:
        form = await request.post()
        return page("Reading received", f"""<p class="ok">Got it, reading MR-55821 logged
against account {html.escape(str(form.get('account', '')))}.</p>""")

    @r.get("/bills")
    async def bills(_: web.Request) -> web.Response:
        return page("Your bill", """<p>Find a bill by its number.</p>
<form method="get" action="/bills/find"><label for="bill">Bill number</label>
<input id="bill" name="bill" required><label for="pc">Postcode</label><input id="pc" name="postcode" required>
<button>Find my bill</button></form>
<p><a href="/bills/paperless">Switch to paperless bills</a></p>
<p><a href="/bills/dispute">Dispute a bill</a></p>""")

    @r.get("/bills/find")
    async def bill_find(_: web.Request) -> web.Response:
        # answers with the same empty form: no bill, no error
        return await bills(_)

    @r.get("/bills/paperless")
    async def paperless(_: web.Request) -> web.Response:
        raise web.HTTPFound("/bills/paperless/start")

    @r.get("/bills/paperless/start")
    async def paperless2(_: web.Request) -> web.Response:
        raise web.HTTPFound("/bills/paperless")

    @r.get("/bills/dispute")
    async def dispute(_: web.Request) -> web.Response:
        return page("Dispute a bill", """<form method="post" action="/bills/dispute">
<label for="d-acc">Account number</label><input id="d-acc" name="account">
<label for="d-why">What's wrong with the bill?</label><textarea id="d-why" name="why"></textarea>
<button type="submit">Send dispute</button></form>""")

    @r.post("/bills/dispute")
    async def dispute_sent(_: web.Request) -> web.Response:
        return page("Dispute a bill", """<div class="err" role="alert">Sorry, something went wrong
and your dispute was not sent. Please try again later.</div>
<form method="post" action="/bills/dispute"><label for="d-acc">Account number</label>
<input id="d-acc" name="account"><label for="d-why">What's wrong with the bill?</label>
<textarea id="d-why" name="why"></textarea><button type="submit">Send dispute</button></form>""")

    @r.get("/leaks")
    async def leaks(_: web.Request) -> web.Response:
        return page("Report a leak", """<p>Report a leak in the street below. You can also call us
on 0800 316 9900 at any time if you prefer.</p><form method="post" action="/leaks">
<label for="where">Where is the leak?</label><input id="where" name="where" required>
<label for="size">How bad is it?</label><select id="size" name="size"><option>A trickle</option>
<option>Steady flow</option><option>Flooding</option></select>
<button type="submit">Report leak</button></form>""")

    @r.post("/leaks")
    async def leak_sent(_: web.Request) -> web.Response:
        await asyncio.sleep(0.3)
        return page("Leak reported", """<p>Thanks. Your leak report LK-20419 is with our field
team, who will have a look within 24 hours.</p>""")

    @r.get("/moving")
    async def moving(_: web.Request) -> web.Response:
        return page("Moving home", """<p>Moving out? Tell us your moving date and new address
so we can send your final bill.</p><p>To move your account, call us on 0800 316 9922. We
can't do this online yet.</p>""")

    @r.get("/outages")
    async def outages(_: web.Request) -> web.Response:
        await asyncio.sleep(2.5)  # slow, but it gets there
        return page("Supply interruptions", """<p>No interruptions are planned in LS1 this
week.</p>""")

    @r.get("/leaks/track")
    async def track(request: web.Request) -> web.Response:
        ref = request.query.get("ref")
        result = ""
        if ref:
            result = (f'<section aria-live="polite"><h2>Leak {html.escape(ref)}</h2>'
                      '<p>Engineer booked for Thursday morning.</p></section>')
        return page("Track a leak report", f"""<form method="get"><label for="ref">Report
reference</label><input id="ref" name="ref" required><button>Track</button></form>{result}""")

    @r.get("/accessibility")
    @r.get("/privacy")
    async def policies(_: web.Request) -> web.Response:
        return page("About this site", "<p>Policies.</p>")
    return r


def make_app(dead: dict[str, str]) -> web.Application:
    """The Northgate Water site as an aiohttp application."""
    app = web.Application()
    app.add_routes(routes(dead))
    return app
