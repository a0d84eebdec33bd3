"""Start the web truth corpus on loopback: four fictional support sites, a portal, the
open-source django-helpdesk, and targets that fail at the network level."""

from __future__ import annotations

import asyncio
import contextlib
import socket
import subprocess
import tempfile
from pathlib import Path
from typing import AsyncIterator

from aiohttp import web

from .sites import brightwave, kitebox, larkspur, northgate

HERE = Path(__file__).parent


def _bound() -> socket.socket:
    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    sock.listen(50)
    return sock


def _url(sock: socket.socket) -> str:
    return f"http://127.0.0.1:{sock.getsockname()[1]}"


def _closed_port() -> str:
    with socket.socket() as s:  # bound then closed: nobody listens there
        s.bind(("127.0.0.1", 0))
        return _url(s)


async def _silent(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
    try:
        await asyncio.sleep(3600)  # accepts the connection and never answers
    except asyncio.CancelledError:
        writer.close()


async def start_helpdesk() -> tuple[subprocess.Popen, str] | None:
    """django-helpdesk installed by its setup script and served on a free port (None if the
    install failed, e.g. no package index)."""
    setup = subprocess.run(["bash", str(HERE / "helpdesk" / "setup.sh")], capture_output=True,
                           text=True)
    if setup.returncode:
        return None
    python = setup.stdout.strip().splitlines()[-1]
    data = tempfile.mkdtemp(prefix="helpdesk-")
    proc = subprocess.Popen([python, str(HERE / "helpdesk" / "serve.py"), "0"],
                            stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True,
                            env={"HELPDESK_DATA": data, "PATH": "/usr/bin:/bin"})
    line = await asyncio.to_thread(proc.stdout.readline)
    if not line.startswith("READY "):
        proc.kill()
        return None
    return proc, line.split()[1]


@contextlib.asynccontextmanager
async def corpus(helpdesk: bool = True) -> AsyncIterator[dict[str, str]]:
    """Serve every target; yields the variables the corpus scenarios use."""
    socks = {k: _bound() for k in ("northgate", "kitebox", "portal", "larkspur",
                                    "brightwave", "hang")}
    dead = {"refused": _closed_port(), "dns": "http://status.northgate-water.invalid",
            "hang": _url(socks["hang"]), "tls": _url(socks["northgate"]).replace("http:", "https:")}
    apps = {"northgate": northgate.make_app(dead),
            "kitebox": kitebox.make_app(dead, _url(socks["portal"])),
            "portal": kitebox.make_portal(_url(socks["kitebox"])),
            "larkspur": larkspur.make_app(), "brightwave": brightwave.make_app()}
    runners = []
    for name, app in apps.items():
        runner = web.AppRunner(app)
        await runner.setup()
        await web.SockSite(runner, socks[name]).start()
        runners.append(runner)
    hang = await asyncio.start_server(_silent, sock=socks["hang"])
    hd = await start_helpdesk() if helpdesk else None
    vars_ = {"NORTHGATE": _url(socks["northgate"]), "KITEBOX": _url(socks["kitebox"]),
             "KITEBOX_ACCOUNT": _url(socks["portal"]), "LARKSPUR": _url(socks["larkspur"]),
             "BRIGHTWAVE": _url(socks["brightwave"]),
             "HELPDESK": hd[1] if hd else ""}
    try:
        yield vars_
    finally:
        if hd:
            hd[0].kill()
            hd[0].wait()
        hang.close()
        for runner in runners:
            await runner.cleanup()
