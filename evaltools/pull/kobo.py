"""KoboToolbox through its REST API v2: the submissions of one form (asset)
page by page (``/api/v2/assets/<uid>/data/?format=json&limit=&start=``,
following each page's ``next`` link), written as a CSV like Kobo's own
export with XML values and headers (group paths joined with "/", then
``_id``, ``_uuid``, ``_submission_time``, ``_validation_status`` ...), which
the reader reads as format ``kobo``.

The server and the API token come from the environment (``KOBO_URL``,
``KOBO_TOKEN``) or from the user's file ``~/.config/evaltools/kobo.toml``
(``url = "..."``, ``token = "..."``; another file with
``EVALTOOLS_KOBO_CONFIG``), never from the repository. The token goes only
in the request's ``Authorization`` header, and only to that server.
"""

from __future__ import annotations

import csv
import io
import json
import os
import tomllib
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

from ..errors import EvalToolsError
from .errors import network_error, server_error, status_error

DEFAULT_SERVER = "https://kf.kobotoolbox.org"
CONFIG_ENV = "EVALTOOLS_KOBO_CONFIG"
PAGE_SIZE = 1000  # submissions per request (Kobo's API allows up to 30000)
# Kobo's own columns at the end of its CSV export, in its order
TRAILING = ("_id", "_uuid", "_submission_time", "_validation_status", "_notes", "_status",
            "_submitted_by", "__version__", "_tags", "_index")
# what the API gives and the export leaves out
LEFT_OUT = ("formhub/", "meta/", "_attachments", "_geolocation", "_xform_id_string")


def config_file() -> Path:
    """The user's file with the Kobo server and token (outside the repository).

    Example:
        >>> config_file().name
        'kobo.toml'
    """
    named = os.environ.get(CONFIG_ENV)
    return Path(named) if named else Path.home() / ".config" / "evaltools" / "kobo.toml"


def credentials(server: str | None = None) -> tuple[str, str, str]:
    """(server address, token, where they come from) for the Kobo API: the
    environment first, then the user's file; ``server`` (from ``sesi.yaml``)
    replaces the configured address. Raises when there is no token.

    Example:
        >>> os.environ["KOBO_TOKEN"] = "contoh"
        >>> credentials("https://eu.kobotoolbox.org")[0]
        'https://eu.kobotoolbox.org'
        >>> del os.environ["KOBO_TOKEN"]
    """
    path = config_file()
    saved = {}
    if path.is_file():
        try:
            saved = tomllib.loads(path.read_text(encoding="utf-8"))
        except (tomllib.TOMLDecodeError, UnicodeDecodeError, OSError) as exc:
            raise EvalToolsError(f"berkas konfigurasi Kobo tidak dapat dibaca ({type(exc).__name__})",
                                 file=str(path), fix='tulis dua baris: url = "https://kf.kobotoolbox.org" '
                                 'dan token = "<token API Anda>"',
                                 problem_en=f"cannot read the Kobo config file ({type(exc).__name__})",
                                 fix_en='write two lines: url = "https://kf.kobotoolbox.org" and '
                                        'token = "<your API token>"') from None
    token = os.environ.get("KOBO_TOKEN") or saved.get("token")
    where = "KOBO_URL/KOBO_TOKEN" if os.environ.get("KOBO_TOKEN") else str(path)
    url = server or os.environ.get("KOBO_URL") or saved.get("url") or DEFAULT_SERVER
    if not isinstance(token, str) or not token.strip():
        raise EvalToolsError(
            "token API KoboToolbox tidak ada", file=str(path),
            fix=f'isi KOBO_TOKEN (dan KOBO_URL), atau tulis di {path}: url = "{url}" dan '
                'token = "<token>"; token ada di Kobo: Account Settings > Security > API Key '
                '(docs/pull.md)',
            problem_en="no KoboToolbox API token",
            fix_en=f'set KOBO_TOKEN (and KOBO_URL), or write in {path}: url = "{url}" and '
                   'token = "<token>"; the token is in Kobo: Account Settings > Security > API Key '
                   '(docs/pull.md)')
    return str(url).rstrip("/"), token.strip(), where


def fetch(server: str, token: str, uid: str, *, where: str, timeout: float = 60,
          page_size: int = PAGE_SIZE) -> list[dict]:
    """Every submission of form ``uid``, page after page. Raises an
    ``EvalToolsError`` naming the server and form for a refused token, an
    unknown form, a server error, a timeout or no network.

    Example:
        >>> fetch("http://127.0.0.1:9", "t", "aBcD1234", where="KOBO_URL")  # doctest: +SKIP
        [{'_id': 1, '_uuid': '...', ...}, ...]
    """
    form = f"kobo {uid}"
    query = urllib.parse.urlencode({"format": "json", "limit": page_size, "start": 0})
    url = f"{server}/api/v2/assets/{urllib.parse.quote(uid)}/data/?{query}"
    results: list = []
    for _ in range(1_000_000):  # bounded: a server whose "next" never ends
        page = _get_json(url, token, server, form, where, timeout)
        got = page.get("results") if isinstance(page, dict) else None
        if not isinstance(got, list) or not all(isinstance(r, dict) for r in got):
            raise server_error("answer", server, form, where, detail="tanpa daftar results",
                               detail_en="no list of results")
        results.extend(got)
        url = page.get("next")
        if not url or not got:
            return results
        if not _same_origin(url, server):  # the token goes to no other server
            raise server_error("answer", server, form, where, detail=f"tautan next ke server lain: "
                               f"{_origin(url)}", detail_en=f"next link to another server: {_origin(url)}")
    return results


def _origin(url: str) -> str:
    parts = urllib.parse.urlsplit(url)
    return f"{parts.scheme}://{parts.hostname}:{parts.port or ''}"


def _same_origin(url: str, server: str) -> bool:
    a, b = urllib.parse.urlsplit(url), urllib.parse.urlsplit(server)
    return (a.hostname, a.port or {"http": 80, "https": 443}.get(a.scheme)) == \
        (b.hostname, b.port or {"http": 80, "https": 443}.get(b.scheme))


def _get_json(url: str, token: str, server: str, form: str, where: str, timeout: float):
    """One page of the API, as JSON; failures as ``EvalToolsError``."""
    request = urllib.request.Request(url, headers={"Authorization": f"Token {token}",
                                                   "Accept": "application/json"})
    try:
        with urllib.request.urlopen(request, timeout=timeout) as answer:
            body = answer.read()
    except urllib.error.HTTPError as exc:
        exc.close()
        raise status_error(exc.code, server, form, where) from None
    except (urllib.error.URLError, OSError) as exc:
        err = network_error(exc, server, form, where, timeout)
        if err is None:
            raise
        raise err from None
    try:
        return json.loads(body.decode("utf-8"))
    except (UnicodeDecodeError, ValueError):
        raise server_error("answer", server, form, where, detail="bukan JSON",
                           detail_en="not JSON") from None


def to_csv(results: list[dict]) -> bytes:
    """The submissions as Kobo's CSV export writes them (XML values and
    headers, ";" between values, every value quoted): the form's columns in
    their order, then Kobo's own; lists (tags, notes) joined, the review
    status as its label.

    Example:
        >>> print(to_csv([{"peserta/nip": "199001012015031001", "_id": 7, "_uuid": "u-1",
        ...                "_validation_status": {"uid": "validation_status_on_hold", "label": "On Hold"},
        ...                "formhub/uuid": "f"}]).decode())
        "peserta/nip";"_id";"_uuid";"_submission_time";"_validation_status";"_notes";"_status";"_submitted_by";"__version__";"_tags";"_index"
        "199001012015031001";"7";"u-1";"";"On Hold";"";"";"";"";"";"1"
        <BLANKLINE>
    """
    fields = list(dict.fromkeys(k for r in results for k in r
                                if not k.startswith(LEFT_OUT) and k not in TRAILING))
    out = io.StringIO()
    writer = csv.writer(out, delimiter=";", quoting=csv.QUOTE_ALL, lineterminator="\n")
    writer.writerow([*fields, *TRAILING])
    for i, r in enumerate(results, start=1):
        writer.writerow([_text(r.get(k)) for k in fields]
                        + [_text(r.get(k)) if k != "_index" else str(i) for k in TRAILING])
    return out.getvalue().encode("utf-8")


def _text(value) -> str:
    """One value as the export writes it."""
    if value is None:
        return ""
    if isinstance(value, dict):  # the review status: {"uid": ..., "label": ...}
        return str(value.get("label") or value.get("uid") or "")
    if isinstance(value, list):
        return ", ".join(_text(v) for v in value)
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)
