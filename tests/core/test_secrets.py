"""Secrets never written: typed, said and pressed through web, chat and phone on the lab,
echoed back by a site in URLs, in another case, in HTML, JSON and error messages; then
every file of the run (zip members too) is scanned for every form of every secret."""

from __future__ import annotations

import asyncio
import html
import io
import json
import os
import re
import struct
import sys
import textwrap
import zipfile
import zlib
from pathlib import Path
from urllib.parse import quote, quote_plus

import pytest
from aiohttp import web

from shopper.journal import Redactor
from shopper.report import load_results
from tests.conftest import serving

PASSWORD = 'Tr0ub4dor & "Zü" /x'  # env secret: spaces, markup, quotes, non-ASCII, slash
TOKEN = "tok-Abc123-XYZ"  # --var API_TOKEN: secret by its name
CODE = "Opal-Walrus-77"  # --secret CODE
PIN = "49217"  # persona.pin: secret by its key, pressed and said on the phone
ORDER = "a10077"  # persona.secret_order: the lab's agent echoes it in upper case
PUBLIC = "pk-visible-123"  # --var PUBLIC_KEY_ID with --not-secret: written as is
SECRETS = {"password": PASSWORD, "token": TOKEN, "code": CODE, "pin": PIN, "order": ORDER}


def echo_site() -> web.Application:
    """A careless site: it echoes whatever it is sent, in every way a page can."""
    async def home(request: web.Request) -> web.Response:
        return web.Response(content_type="text/html", text=(
            "<title>Sign in</title><main><form method=get action=/login>"
            "<label>Account <input name=account></label>"
            "<label>Password <input name=password type=password></label>"
            "<label>Code <input name=code></label><button>Sign in</button></form>"
            "<p>Questions? <a href='mailto:help@example.com'>email us</a></p></main>"))

    async def login(request: web.Request) -> web.Response:
        q = request.query
        pw, code, account = q.get("password", ""), q.get("code", ""), q.get("account", "")
        state = json.dumps({"password": pw, "code": code})
        resp = web.Response(content_type="text/html", text=(
            f"<title>Error for {html.escape(code.lower())}</title><main>"
            f"<h1>Sign-in failed</h1><p>Error: the password {html.escape(pw.upper())} is wrong "
            f"for {html.escape(account)}.</p><input name=again value=\"{html.escape(pw)}\">"
            f"<a href=\"/help?code={quote(code)}&pw={quote_plus(pw)}\">Get help</a>"
            f"<script>window.state = {state};</script>"
            f"<p>Contact: <a href='tel:+15550100'>call us</a></p></main>"))
        resp.set_cookie("last_try", quote(pw))
        return resp

    async def help_page(request: web.Request) -> web.Response:
        token = request.query.get("token", "")
        return web.Response(content_type="text/html", text=(
            f"<title>Help</title><main><p>Your token {html.escape(token.upper())} has "
            f"expired.</p><a href='mailto:help@example.com'>email us</a></main>"))

    app = web.Application()
    app.router.add_get("/", home)
    app.router.add_get("/login", login)
    app.router.add_get("/help", help_page)
    return app


SCENARIOS = {
    "web.yaml": """
        name: Sign in with secrets
        persona:
          password: ${env.SHOP_PASSWORD}
        web:
          start: ${ECHO_URL}/
          steps:
            - fill: {label: Account, value: "${PUBLIC_KEY_ID}"}
            - fill: {label: Password, value: "${persona.password}"}
            - fill: {label: Code, value: "${CODE}"}
            - screenshot: filled
            - click: Sign in
            - expect: Sign-in failed
            - goto: /help?token=${API_TOKEN}
            - expect: {text: "Welcome back ${CODE}"}
              timeout: 1s
        """,
    "chat.yaml": """
        name: Tell the chat a secret
        persona:
          password: ${env.SHOP_PASSWORD}
        chat:
          start: ${BASE_URL}/
          widget:
            launcher: button.bs-chat-launcher
            frame: iframe.bs-chat-frame
            messages: .bs-bubble, .bs-system
            sender: .bs-sender
          steps:
            - say: my password is ${persona.password} and my token ${API_TOKEN}
            - expect_reply: {from: any, within: 10s}
            - screenshot: told
        """,
    "phone.yaml": """
        name: Tell the phone a secret
        persona:
          pin: "49217"
          secret_order: a10077
        phone:
          to: ${COMPANY_PHONE}
          steps:
            - expect_prompt: {contains: for orders, within: 30s}
            - press: "1"
            - expect_human: 1m
            - say: My order is ${persona.secret_order}, my pin is ${persona.pin}, code ${CODE}.
            - expect_prompt: {from: agent, within: 30s}
            - press: "${persona.pin}"
            - say: bye
        """,
}


def contents(path: Path, data: bytes | None = None, name: str = ""):
    """(name, bytes) of a file, and of every member of a zip inside it, recursively."""
    data = path.read_bytes() if data is None else data
    name = name or str(path)
    yield name, data
    if data[:4] == b"PK\x03\x04":
        with zipfile.ZipFile(io.BytesIO(data)) as z:
            for info in z.infolist():
                yield from contents(path, z.read(info), f"{name}!{info.filename}")


def magenta_pixels(png: bytes) -> int:
    """Pixels painted in Playwright's mask colour (#FF00FF) in an 8-bit RGB(A) PNG."""
    width, height, depth, ctype = struct.unpack(">IIBB", png[16:26])
    assert depth == 8 and ctype in (2, 6)
    bpp = 3 if ctype == 2 else 4
    idat, pos = b"", 8
    while pos < len(png):
        length, kind = struct.unpack(">I4s", png[pos:pos + 8])
        if kind == b"IDAT":
            idat += png[pos + 8:pos + 8 + length]
        pos += 12 + length
    raw, stride, prev, count = zlib.decompress(idat), width * bpp, bytearray(width * bpp), 0
    for y in range(height):
        f, line = raw[y * (stride + 1)], bytearray(raw[y * (stride + 1) + 1:(y + 1) * (stride + 1)])
        for i in range(stride):
            a = line[i - bpp] if i >= bpp else 0
            b, c = prev[i], prev[i - bpp] if i >= bpp else 0
            if f == 1:
                line[i] = (line[i] + a) & 255
            elif f == 2:
                line[i] = (line[i] + b) & 255
            elif f == 3:
                line[i] = (line[i] + (a + b) // 2) & 255
            elif f == 4:
                p = a + b - c
                pa, pb, pc = abs(p - a), abs(p - b), abs(p - c)
                line[i] = (line[i] + (a if pa <= pb and pa <= pc else b if pb <= pc else c)) & 255
        count += sum(1 for x in range(0, stride, bpp) if line[x:x + 3] == b"\xff\x00\xff")
        prev = line
    return count


@pytest.fixture(scope="module")
async def echo_url():
    """The echoing site on a free loopback port."""
    async with serving(echo_site()) as base:
        yield base


@pytest.fixture(scope="module")
async def secret_run(lab, echo_url, tmp_path_factory):
    """The three journeys run through the CLI (a subprocess) against the lab and the
    echoing site, then re-rendered with `shopper report`; returns the run directory."""
    tmp_path = tmp_path_factory.mktemp("secrets")
    folder = tmp_path / "scenarios"
    folder.mkdir()
    for name, text in SCENARIOS.items():
        (folder / name).write_text(textwrap.dedent(text))
    out, junit = tmp_path / "run", tmp_path / "junit.xml"
    env = {**os.environ, "SHOP_PASSWORD": PASSWORD, **lab.settings}
    args = ["run", str(folder), "--out", str(out), "--junit", str(junit), "--workers", "3",
            "--trace", "on", "--screenshots", "on", "--var", f"ECHO_URL={echo_url}",
            "--var", f"API_TOKEN={TOKEN}", "--secret", f"CODE={CODE}",
            "--var", f"PUBLIC_KEY_ID={PUBLIC}", "--not-secret", "PUBLIC_KEY_ID"]
    for k, v in lab.vars.items():
        args += ["--var", f"{k}={v}"]
    proc = await asyncio.create_subprocess_exec(sys.executable, "-m", "shopper", *args, env=env,
                                                stdout=asyncio.subprocess.PIPE,
                                                stderr=asyncio.subprocess.PIPE)
    stdout, stderr = await proc.communicate()
    assert proc.returncode == 1, stderr.decode()  # the web journey's last expectation fails
    proc = await asyncio.create_subprocess_exec(
        sys.executable, "-m", "shopper", "report", str(out), "--junit", str(tmp_path / "again.xml"),
        stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.PIPE)
    await proc.communicate()
    return out, [junit, tmp_path / "again.xml"]


def journey(out: Path, name: str) -> list[dict]:
    data = load_results(out)
    j = next(j for j in data["journeys"] if j["scenario"] == name)
    return [json.loads(line) for line in (out / "journeys" / j["folder"] / "events.jsonl").open()]


async def test_no_secret_in_any_file_of_the_run(secret_run):
    out, extra = secret_run
    files = sorted(p for p in out.rglob("*") if p.is_file()) + extra
    forms = {label: {f.lower() for f in Redactor.forms(v)} for label, v in SECRETS.items()}
    scanned, found = 0, []
    for path in files:
        for name, data in contents(path):
            scanned += 1
            low = data.lower()
            for label, fs in forms.items():
                found += [(name, label, f) for f in fs if f.encode() in low]
    print(f"\nsecrets: {len(files)} files, {scanned} files and zip members scanned, "
          f"{sum(map(len, forms.values()))} encodings of {len(SECRETS)} secrets, "
          f"{len(found)} found")
    assert scanned > len(files), "the trace zips were scanned inside"
    assert found == []


async def test_secrets_reached_the_run_and_were_replaced(secret_run):
    out, _ = secret_run
    web_events = journey(out, "Sign in with secrets")
    text = json.dumps(web_events)
    # the site echoed them (URL, upper case, title, cookie) and the journal says so
    assert "[secret:persona.password]" in text and "[secret:CODE]" in text
    assert "[secret:API_TOKEN]" in text
    urls = [e["url"] for e in web_events if e["kind"] == "page"]
    assert any("password=[secret:persona.password]" in u for u in urls), urls
    page_text = " ".join(e.get("text", "") for e in web_events if e["kind"] == "page")
    assert "the password [secret:persona.password] is wrong" in page_text
    assert "token [secret:API_TOKEN] has expired" in page_text
    assert PUBLIC in text, "a variable declared --not-secret is written as is"
    finding = load_results(out)
    web_j = next(j for j in finding["journeys"] if j["scenario"] == "Sign in with secrets")
    assert any("Welcome back [secret:CODE]" in f["message"] for f in web_j["findings"])
    assert web_j["traces"], "the trace is kept (scrubbed), not dropped"
    phone = journey(out, "Tell the phone a secret")
    said = [e["text"] for e in phone if e["kind"] == "message"]
    assert any("[secret:persona.secret_order]" in t and e_role == "agent"
               for t, e_role in zip(said, [e["role"] for e in phone if e["kind"] == "message"]))
    transcripts = list(out.rglob("*.txt"))
    assert transcripts and "[secret:persona.pin]" in transcripts[0].read_text()
    assert not list(out.rglob("*.wav")), "the audio of a call where a secret was said is not kept"
    assert any(e["kind"] == "note" and e.get("what") == "recording audio not kept" for e in phone)
    chat = journey(out, "Tell the chat a secret")
    assert any(e["kind"] == "message" and e["role"] == "customer"
               and "[secret:persona.password]" in e["text"] for e in chat)


async def test_screenshots_mask_fields_and_text_with_secrets(secret_run):
    out, _ = secret_run
    masked = {}
    for name in ("filled", "told"):
        shot = next(out.rglob(f"{name}.png"))
        masked[name] = magenta_pixels(shot.read_bytes())
    plain = next(p for p in out.rglob("start*.png")) if list(out.rglob("start*.png")) else None
    assert masked["filled"] > 100, "the field typed with the code is painted over"
    assert masked["told"] > 100, "the chat bubble showing the password is painted over"
    if plain is not None:
        assert magenta_pixels(plain.read_bytes()) == 0


def test_redactor_forms_cover_encodings_and_case():
    red = Redactor()
    red.add(PASSWORD, "pw")
    samples = [PASSWORD.upper(), quote(PASSWORD), quote(PASSWORD).lower(), quote_plus(PASSWORD),
               html.escape(PASSWORD), json.dumps(PASSWORD)[1:-1], json.dumps(PASSWORD, ensure_ascii=True)[1:-1],
               html.escape(PASSWORD).swapcase()]
    for s in samples:
        assert red.text(f"<{s}>") == "<[secret:pw]>", s
    assert not re.search("tr0ub4dor", red.text(" ".join(samples)), re.I)


def test_binary_file_with_a_secret_is_not_kept(tmp_path):
    red = Redactor()
    red.add("hunter2-secret")
    path = tmp_path / "a.zip"
    with zipfile.ZipFile(path, "w") as z:
        z.writestr("frame.bin", b"\xff\xfe\x00hunter2-SECRET\x00\xff")
    assert red.file(path) is False and not path.exists()
    text = tmp_path / "t.txt"
    text.write_text("said HUNTER2-secret twice: hunter2-secret")
    assert red.file(text) and "hunter2" not in text.read_text().lower()
