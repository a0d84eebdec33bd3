"""Migrate, seed and serve django-helpdesk on 127.0.0.1:<port> (argv[1], 0 = any free port).

Prints `READY http://127.0.0.1:PORT` once it listens. Run with the helpdesk's own venv."""

import os
import socket
import sys
from pathlib import Path
from wsgiref.simple_server import WSGIRequestHandler, make_server

sys.path.insert(0, str(Path(__file__).parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "settings")
Path(os.environ.setdefault("HELPDESK_DATA", "/tmp/shopper-helpdesk")).mkdir(parents=True, exist_ok=True)

from django.core.management import call_command  # noqa: E402
import django  # noqa: E402

django.setup()
call_command("migrate", verbosity=0)
import seed  # noqa: E402,F401
from django.core.wsgi import get_wsgi_application  # noqa: E402
from socketserver import ThreadingMixIn  # noqa: E402
from wsgiref.simple_server import WSGIServer  # noqa: E402


class Quiet(WSGIRequestHandler):
    def log_message(self, *args):  # the bench prints its own table
        pass


class Threaded(ThreadingMixIn, WSGIServer):
    daemon_threads = True


server = make_server("127.0.0.1", int(sys.argv[1]) if len(sys.argv) > 1 else 0,
                     get_wsgi_application(), server_class=Threaded, handler_class=Quiet)
print(f"READY http://127.0.0.1:{server.server_port}", flush=True)
server.serve_forever()
