"""A local HTTP server that answers as KoboToolbox's REST API v2 and ODK
Central's API do (the parts ``evaltools pull`` uses), for tests/test_pull*.py.

Kobo: ``GET /api/v2/assets/<uid>/data/?format=json&limit=&start=`` with
``Authorization: Token <token>``: ``{"count", "next", "previous",
"results"}``, ``next`` the absolute link to the following page; 401 with
``{"detail": "Invalid token."}`` for another token, 404 for an unknown asset.
Central: ``POST /v1/sessions`` ({email, password} -> {token, ...}; 401 with
Central's problem JSON otherwise), ``GET /v1/users/current`` (pyodk checks a
cached token with it), ``GET /v1/projects/<p>/forms/<f>/submissions.csv.zip``
with ``Authorization: Bearer <token>``.
Every path can be made to fail with a status (``fail``) or to answer late
(``delay``); every request is recorded (``seen``).
"""

from __future__ import annotations

import csv
import json
import re
import threading
import time
import urllib.parse
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

KOBO_TOKEN = "kobo-token-RAHASIA-0123456789abcdef"
CENTRAL_USER, CENTRAL_PASSWORD = "evaluator@example.org", "sandi-RAHASIA-central"
CENTRAL_SESSION = "central-session-RAHASIA-abcdef"

FIXTURES = Path(__file__).parent / "fixtures"
KOBO_CSV = (FIXTURES / "read" / "kobo-csv-xml" / "loa-janan-2024-11-22"
            / "Tes Pemahaman Netralitas ASN - all versions - xml - 2024-11-22-11-40-02.csv")


def kobo_records(path: Path = KOBO_CSV) -> list[dict]:
    """Kobo's API records of the submissions in a Kobo XML CSV export: the
    answers given (empty ones left out, select_multiple as one "a b" value),
    and the API's own fields."""
    with open(path, encoding="utf-8", newline="") as f:
        rows = list(csv.DictReader(f, delimiter=";"))
    out = []
    for row in rows:
        rec = {k: v for k, v in row.items()
               if v != "" and not k.startswith("_") and k.count("/") < 2}
        rec.update({"formhub/uuid": "0f1e2d3c", "meta/instanceID": f"uuid:{row['_uuid']}",
                    "__version__": "vJ7x2", "_id": int(row["_id"]), "_uuid": row["_uuid"],
                    "_submission_time": row["_submission_time"].replace(" ", "T"),
                    "_validation_status": {}, "_notes": [], "_status": "submitted_via_web",
                    "_submitted_by": None, "_tags": [], "_attachments": [],
                    "_geolocation": [None, None], "_xform_id_string": "aKoboPre01"})
        out.append(rec)
    return out


class FormServer(ThreadingHTTPServer):
    daemon_threads = True

    def __init__(self):
        super().__init__(("127.0.0.1", 0), Handler)
        self.kobo: dict = {}      # asset uid -> records
        self.central: dict = {}   # (project, form id) -> .csv.zip bytes
        self.fail: dict = {}      # path prefix -> HTTP status
        self.delay: dict = {}     # path prefix -> seconds before answering
        self.seen: list = []      # (method, path, Authorization header)
        self.next_host = ""       # another host for Kobo's next links (a server that points away)
        self.thread = threading.Thread(target=self.serve_forever, daemon=True)
        self.thread.start()

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.server_address[1]}"

    def stop(self):
        self.shutdown()
        self.server_close()


class Handler(BaseHTTPRequestHandler):
    server: FormServer

    def log_message(self, *args):  # quiet
        pass

    def _send(self, status: int, body, kind: str = "application/json"):
        data = body if isinstance(body, bytes) else json.dumps(body).encode()
        self.send_response(status)
        self.send_header("Content-Type", kind)
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def _special(self, path: str) -> bool:
        """A failure or a delay set for this path: True when answered."""
        delay, fail = dict(self.server.delay), dict(self.server.fail)  # a test may reset them meanwhile
        for prefix, seconds in delay.items():
            if path.startswith(prefix):
                time.sleep(seconds)
        for prefix, status in fail.items():
            if path.startswith(prefix):
                self._send(status, {"detail": f"error {status}"})
                return True
        return False

    def do_GET(self):
        parts = urllib.parse.urlsplit(self.path)
        self.server.seen.append(("GET", self.path, self.headers.get("Authorization", "")))
        try:
            if self._special(parts.path):
                return
            kobo = re.fullmatch(r"/api/v2/assets/([^/]+)/data/", parts.path)
            if kobo:
                return self._kobo(kobo.group(1), urllib.parse.parse_qs(parts.query))
            if parts.path == "/v1/users/current":
                return self._central_user()
            central = re.fullmatch(r"/v1/projects/(\d+)/forms/([^/]+)/submissions\.csv\.zip", parts.path)
            if central:
                return self._central_csv(int(central.group(1)), urllib.parse.unquote(central.group(2)))
            self._send(404, {"detail": "Not found."})
        except (BrokenPipeError, ConnectionResetError):  # the client gave up (a timeout test)
            pass

    def _kobo(self, uid: str, query: dict):
        if self.headers.get("Authorization") != f"Token {KOBO_TOKEN}":
            return self._send(401, {"detail": "Invalid token."})
        if uid not in self.server.kobo:
            return self._send(404, {"detail": "Not found."})
        records = self.server.kobo[uid]
        limit, start = int(query.get("limit", ["100"])[0]), int(query.get("start", ["0"])[0])
        host = self.server.url.replace("127.0.0.1", self.server.next_host or "127.0.0.1")
        base = f"{host}/api/v2/assets/{uid}/data/?format=json&limit={limit}"
        more = start + limit < len(records)
        self._send(200, {"count": len(records),
                         "next": f"{base}&start={start + limit}" if more else None,
                         "previous": f"{base}&start={max(0, start - limit)}" if start else None,
                         "results": records[start:start + limit]})

    def do_POST(self):
        self.server.seen.append(("POST", self.path, self.headers.get("Authorization", "")))
        body = json.loads(self.rfile.read(int(self.headers.get("Content-Length", 0))) or b"{}")
        if self._special(self.path):
            return
        if self.path != "/v1/sessions":
            return self._send(404, {"code": 404.1, "message": "Could not find the resource."})
        if (body.get("email"), body.get("password")) != (CENTRAL_USER, CENTRAL_PASSWORD):
            return self._send(401, {"code": 401.2,
                                    "message": "Could not authenticate with the provided credentials."})
        self._send(200, {"token": CENTRAL_SESSION, "csrf": "x", "expiresAt": "2099-01-01T00:00:00Z",
                         "createdAt": "2024-11-22T00:00:00Z"})

    def _central_user(self):
        if self.headers.get("Authorization") != f"Bearer {CENTRAL_SESSION}":
            return self._send(401, {"code": 401.2, "message": "Could not authenticate."})
        self._send(200, {"id": 1, "email": CENTRAL_USER, "type": "user"})

    def _central_csv(self, project: int, form: str):
        if self.headers.get("Authorization") != f"Bearer {CENTRAL_SESSION}":
            return self._send(403, {"code": 403.1, "message": "The authenticated actor does not "
                                    "have rights to perform that action."})
        data = self.server.central.get((project, form))
        if data is None:
            return self._send(404, {"code": 404.1, "message": "Could not find the resource you "
                                    "were looking for."})
        self._send(200, data, "application/zip")
