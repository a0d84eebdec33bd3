"""Kitebox: a fictional broadband provider's help centre, a client-rendered single-page app
(hash routes, a cookie banner, modal forms sent with fetch, toasts), with an account portal
on another origin. A truth-corpus target; what is planted is in ../labels.yaml."""

from __future__ import annotations

import asyncio
import json

from aiohttp import web

SHELL = """<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Kitebox Help</title>
<style>
@font-face{font-family:kbicons;src:local('Arial')}
.ic{font-family:kbicons}.hidden{display:none}.modal{border:1px solid #888;padding:1em}
.toast{position:fixed;bottom:1em;right:1em;padding:.6em}.toast.good{background:#dfd}.toast.bad{background:#fdd}
.skeleton{background:#eee;height:1em;width:12em}
</style></head><body>
<div id="cookies" role="dialog" aria-label="Cookies"><p>We use cookies to keep you signed in.</p>
<button id="ck-ok">Accept all</button> <button id="ck-no">Reject optional</button></div>
<header><strong>Kitebox</strong> <nav>
<a href="#/">Help home</a> <a href="#/faults">Faults</a> <a href="#/plans">Plans</a>
<a href="#/usage">My usage</a> <a href="#/moving">Moving</a> <a href="#/contact">Contact</a>
<a href="__PORTAL__/billing">Manage billing</a></nav></header>
<main id="view"></main>
<footer>Kitebox Broadband Ltd. Sales 0330 808 4040. <a href="#/legal">Legal</a></footer>
<div id="toasts"></div>
<script>
const DEAD = __DEAD__;
const views = {
 '/': () => `<h1>How can we help?</h1><p>Pick a topic.</p>
   <ul><li><a href="#/faults">Broadband not working</a></li><li><a href="#/plans">Change my plan</a></li>
   <li><a href="#/router">Router swap</a></li><li><a href="#/status">Network status</a></li>
   <li><a href="#/engineer">Engineer visits</a></li></ul>`,
 '/faults': () => `<h1>Broadband not working</h1><p>Tried restarting your router? Tell us what's wrong.</p>
   <button id="open-fault">Report a fault</button>
   <button id="open-speed">Report slow speeds</button>
   <button id="open-outage">Report an outage in my area</button>`,
 '/plans': () => `<h1>Plans</h1><div class="skeleton"></div><p id="plans-msg">Loading plans…</p>`,
 '/usage': () => `<h1>My usage</h1><div role="progressbar" aria-busy="true" class="spinner"></div>
   <p>Loading your usage…</p>`,
 '/moving': () => `<h1>Moving home</h1><p>Taking Kitebox with you is easy.</p>
   <p>To move your broadband, download the Kitebox app and choose Move my service. Moves can't be
   arranged on this website.</p>`,
 '/router': () => `<h1>Router swap</h1><p>Got an old router? Swaps are done in person: take your old
   router and photo ID to any Kitebox store and we'll swap it while you wait.</p>`,
 '/contact': () => `<h1>Contact</h1><p>Our team answers messages within a day.</p>
   <p>Write to us at help@kitebox.test with your account ID and we'll get back to you.</p>`,
 '/status': () => `<h1>Network status</h1><p>Live status lives on our status site.</p>
   <a href="${DEAD.refused}/">See network status</a> <a href="${DEAD.tls}/">Status (secure)</a>`,
 '/engineer': () => `<h1>Engineer visits</h1><p>Booked a visit? See where your engineer is.</p>
   <button id="track-eng"><span class="ic" aria-hidden="true">\\ue0c8</span> Track my engineer</button>
   <div id="eng"></div><p><a href="${DEAD.hang}/eta">Engineer ETA (beta)</a></p>`,
 '/legal': () => `<h1>Legal</h1><p>Terms.</p>`,
};
function toast(text, good) {
  const t = document.createElement('div');
  t.className = 'toast ' + (good ? 'good' : 'bad');
  t.setAttribute('role', good ? 'status' : 'alert'); t.textContent = text;
  document.getElementById('toasts').append(t);
}
function render() {
  const path = location.hash.slice(1) || '/';
  const view = views[path] || (() => '<h1>Not found</h1><p>That page has moved.</p>');
  document.getElementById('view').innerHTML = view();
  document.title = 'Kitebox Help';
  if (path === '/plans') setTimeout(() => {
    document.getElementById('view').innerHTML = `<h1>Plans</h1>
     <ul><li>Kite 150: £28/month</li><li>Kite 500: £35/month</li></ul><button id="open-plan">Change my plan</button>`;
    wire();
  }, 2500);
  wire();
}
function modal(id, title, fields, api, check) {
  const m = document.createElement('div');
  m.className = 'modal'; m.setAttribute('role', 'dialog'); m.setAttribute('aria-label', title);
  m.innerHTML = `<h2>${title}</h2>` + fields.map(([n, l]) =>
    `<div><label for="${id}-${n}">${l}</label> <input id="${id}-${n}" name="${n}"><span class="hint" id="${id}-${n}-hint"></span></div>`).join('')
    + `<button class="send">Send</button> <button class="cancel">Cancel</button>`;
  document.getElementById('view').append(m);
  m.querySelector('.cancel').onclick = () => m.remove();
  m.querySelector('.send').onclick = async () => {
    const data = {};
    for (const [n] of fields) data[n] = m.querySelector(`[name=${n}]`).value;
    if (check) { const bad = check(data); if (bad) {
      m.querySelector(`#${id}-${bad[0]}-hint`).textContent = bad[1]; return; } }
    let res;
    try { res = await fetch(api, {method: 'POST', headers: {'content-type': 'application/json'},
                                   body: JSON.stringify(data)}); }
    catch (e) { toast("We couldn't send that. Please try again later.", false); return; }
    const body = await res.json().catch(() => ({}));
    if (!res.ok) { toast(body.message || "We couldn't send that. Please try again later.", false); return; }
    if (body.message) { m.remove(); toast(body.message, true); }
  };
}
function wire() {
  const on = (id, fn) => { const el = document.getElementById(id); if (el) el.onclick = fn; };
  on('open-fault', () => modal('fault', 'Report a fault', [['account', 'Account ID'], ['what', 'What is wrong?']],
     '/api/faults', d => !/^KB\\d{6}$/.test(d.account) ? ['account', 'Please enter your account ID (KB and 6 digits)'] : null));
  on('open-speed', () => modal('speed', 'Report slow speeds', [['account', 'Account ID'], ['speed', 'Speed you get (Mbps)']], '/api/speed'));
  on('open-outage', () => modal('outage', 'Report an outage', [['postcode', 'Postcode']], '/api/outage'));
  on('open-plan', () => modal('plan', 'Change my plan', [['account', 'Account ID'], ['plan', 'New plan']], '/api/plan'));
  on('track-eng', async () => { const r = await fetch('/api/engineer');
     document.getElementById('eng').innerHTML = `<p role="status">${(await r.json()).message}</p>`; });
}
document.getElementById('ck-ok').onclick = document.getElementById('ck-no').onclick =
  () => document.getElementById('cookies').remove();
window.addEventListener('hashchange', render); render();
</script></body></html>"""

PORTAL = """<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Kitebox Account</title></head>
<body><header>Kitebox Account</header><main><h1>Billing</h1><p>Signed in as a guest.</p>
<p>Your next bill: £35.00 on 1 December.</p><form id="dd"><label for="sort">Sort code</label>
<input id="sort"><button type="button" onclick="document.getElementById('ok').hidden=false">
Update Direct Debit</button></form><p id="ok" hidden role="status">Done! New details saved, reference DD-7730.</p>
<p><a href="__SITE__/#/contact">Back to help</a></p></main></body></html>"""


def json_reply(data: dict, status: int = 200) -> web.Response:
    """A JSON API answer."""
    return web.Response(status=status, text=json.dumps(data), content_type="application/json")


def make_app(dead: dict[str, str], portal: str) -> web.Application:
    """The help-centre SPA and its JSON API."""
    r = web.RouteTableDef()

    @r.get("/")
    async def shell(_: web.Request) -> web.Response:
        text = SHELL.replace("__DEAD__", json.dumps(dead)).replace("__PORTAL__", portal)
        return web.Response(text=text, content_type="text/html")

    @r.post("/api/faults")
    async def faults(_: web.Request) -> web.Response:
        await asyncio.sleep(0.4)
        return json_reply({"message": "Sorted, your request QX-2291 is in."})

    @r.post("/api/speed")
    async def speed(_: web.Request) -> web.Response:
        return json_reply({"message": "Something went wrong on our side (error 5021)."}, 500)

    @r.post("/api/outage")
    async def outage(_: web.Request) -> web.Response:
        return json_reply({})  # accepted, and the page shows nothing at all

    @r.post("/api/plan")
    async def plan(_: web.Request) -> web.Response:
        return json_reply({"message": "All done. We've passed this to the right team and your "
                                      "new plan starts on your next bill."})

    @r.get("/api/engineer")
    async def engineer(_: web.Request) -> web.Response:
        return json_reply({"message": "Your engineer Sam is 20 minutes away."})

    app = web.Application()
    app.add_routes(r)
    return app


def make_portal(site: str) -> web.Application:
    """The account portal on its own origin."""
    async def billing(_: web.Request) -> web.Response:
        return web.Response(text=PORTAL.replace("__SITE__", site), content_type="text/html")
    app = web.Application()
    app.router.add_get("/billing", billing)
    return app
