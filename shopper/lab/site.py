"""The lab company's support website: Brightside Home, served on loopback.

Planted problems (each one a finding the example scenarios expect):
  * the returns page links to a return-policy PDF that does not exist (broken link, 404)
  * the contact form accepts a message and shows the empty form again (no confirmation)
  * the warranty article only says "call us" (a handoff from web to phone)
  * "Ask the community" sends customers to a separate forum site (a site handoff)
  * the 404 page offers no way to contact anyone (no contact route)
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from pathlib import Path

import jinja2
from aiohttp import web

TEMPLATES = Path(__file__).with_name("templates")

ORDERS = {
    "A10023": ("Delivered", "Delivered on 14 November to the front door."),
    "A10024": ("On its way", "Expected Thursday between 9am and 1pm."),
    "A10031": ("Processing", "We are packing your order."),
}


@dataclass(frozen=True)
class Article:
    """A help-centre article."""

    slug: str
    title: str
    body: tuple[str, ...]


ARTICLES = (
    Article("damaged-items", "My item arrived damaged", (
        "We're sorry! Start a return from the Returns page and choose 'Damaged' as the reason.",
        "We'll email you a prepaid label and refund you when the item reaches us.")),
    Article("warranty-claims", "Making a warranty claim", (
        "Warranty claims cannot be made online.",
        "Please call us on +1 500 555 0100 between 9am and 5pm, Monday to Friday.")),
    Article("delivery-times", "Delivery times", (
        "Standard delivery takes 3–5 working days. Track your parcel on the Order status page.",)),
    Article("refund-status", "Where is my refund?", (
        "Refunds reach your account 5–10 working days after we receive your return.",)),
)


def _render(env: jinja2.Environment, template: str, status: int = 200, **ctx) -> web.Response:
    html = env.get_template(template).render(**ctx)
    return web.Response(text=html, status=status, content_type="text/html")


def make_site(community_url: str, chat: bool = True) -> web.Application:
    """The website as an aiohttp app; `community_url` is the separate forum's address."""
    env = jinja2.Environment(loader=jinja2.FileSystemLoader(TEMPLATES), autoescape=True)
    common = {"community_url": community_url.rstrip("/"), "chat": chat}
    routes = web.RouteTableDef()

    def page(template: str, status: int = 200, **ctx) -> web.Response:
        return _render(env, template, status, **common, **ctx)

    @routes.get("/")
    async def home(request: web.Request) -> web.Response:
        return page("home.html", title="Support")

    @routes.get("/help")
    async def help_centre(request: web.Request) -> web.Response:
        return page("help.html", title="Help centre", articles=ARTICLES, q=None)

    @routes.get("/help/search")
    async def search(request: web.Request) -> web.Response:
        q = request.query.get("q", "").strip()
        words = [w for w in q.lower().split() if len(w) > 2]
        results = [a for a in ARTICLES
                   if words and any(w in (a.title + " " + " ".join(a.body)).lower() for w in words)]
        return page("help.html", title="Search", articles=ARTICLES, q=q, results=results)

    @routes.get("/help/articles/{slug}")
    async def article(request: web.Request) -> web.Response:
        found = next((a for a in ARTICLES if a.slug == request.match_info["slug"]), None)
        if found is None:
            raise web.HTTPNotFound()
        return page("article.html", title=found.title, article=found)

    @routes.get("/orders")
    async def orders(request: web.Request) -> web.Response:
        return page("orders.html", title="Order status")

    @routes.get("/orders/status")
    async def order_status(request: web.Request) -> web.Response:
        number = request.query.get("order", "").strip().upper()
        if number in ORDERS:
            status, detail = ORDERS[number]
            return page("orders.html", title="Order status", number=number,
                        order={"number": number, "status": status, "detail": detail})
        return page("orders.html", title="Order status", number=number,
                    error=f"We couldn't find order {number or '(none given)'}.")

    @routes.get("/returns")
    async def returns(request: web.Request) -> web.Response:
        return page("returns.html", title="Returns")

    @routes.get("/returns/start")
    async def returns_form(request: web.Request) -> web.Response:
        return page("returns_start.html", title="Start a return")

    @routes.post("/returns/start")
    async def returns_submit(request: web.Request) -> web.Response:
        form = await request.post()
        number = str(form.get("order", "")).strip().upper()
        if number not in ORDERS or not form.get("reason"):
            return page("returns_start.html", title="Start a return",
                        error="Please give a valid order number and a reason.")
        rma = "RMA-" + hashlib.sha1(number.encode()).hexdigest()[:6].upper()
        raise web.HTTPFound(f"/returns/confirmation?rma={rma}&email={form.get('email', '')}")

    @routes.get("/returns/confirmation")
    async def returns_done(request: web.Request) -> web.Response:
        return page("returns_done.html", title="Return started", rma=request.query.get("rma", ""),
                    email=request.query.get("email", "your email"), name="")

    @routes.get("/contact")
    async def contact(request: web.Request) -> web.Response:
        return page("contact.html", title="Contact us")

    @routes.post("/contact")
    async def contact_submit(request: web.Request) -> web.Response:
        await request.post()  # planted: the message goes nowhere and nothing confirms it
        return page("contact.html", title="Contact us")

    app = web.Application(middlewares=[_not_found(env)])
    app.add_routes(routes)
    return app


def _not_found(env: jinja2.Environment):
    @web.middleware
    async def middleware(request: web.Request, handler):
        try:
            return await handler(request)
        except web.HTTPNotFound:
            return _render(env, "notfound.html", status=404)
    return middleware


def make_community() -> web.Application:
    """The separate community forum (another origin)."""
    env = jinja2.Environment(loader=jinja2.FileSystemLoader(TEMPLATES), autoescape=True)
    app = web.Application()

    async def index(request: web.Request) -> web.Response:
        return _render(env, "community.html")

    app.router.add_get("/", index)
    return app
