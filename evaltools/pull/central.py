"""ODK Central through ``pyodk``, the official ODK client: Central's CSV
export of one form (``/v1/projects/<project>/forms/<form>/submissions.csv.zip``),
fetched by pyodk's session (which logs in with ``POST /v1/sessions`` and
sends the token it gets), kept as it comes: the reader reads it as format
``central``.

The server, user name and password are pyodk's own configuration: the file
named by ``PYODK_CONFIG_FILE``, else ``~/.pyodk_config.toml``
(``[central]`` with ``base_url``, ``username``, ``password``); pyodk keeps
its session token in its own cache file (``PYODK_CACHE_FILE``, else
``~/.pyodk_cache.toml``). evaltools writes neither.
"""

from __future__ import annotations

import csv
import io
import logging
import os
import socket
import urllib.parse
import zipfile
from pathlib import Path

import requests
from requests.adapters import HTTPAdapter

from ..errors import EvalToolsError
from .errors import network_error, server_error, status_error

logging.getLogger("pyodk").addHandler(logging.NullHandler())  # its failures become our messages


class _Timeout(HTTPAdapter):
    """Requests with a time limit and no retry: a slow or failing server is reported at once."""

    def __init__(self, timeout: float):
        super().__init__(max_retries=0)
        self.timeout = timeout

    def send(self, request, **kwargs):
        kwargs["timeout"] = kwargs.get("timeout") or self.timeout
        return super().send(request, **kwargs)


def config_path(config=None):
    """The pyodk configuration file used (``config``, else pyodk's rule).

    Example:
        >>> config_path("/tmp/pyodk.toml").name
        'pyodk.toml'
    """
    if config is not None:
        return Path(config)
    named = os.environ.get("PYODK_CONFIG_FILE")  # pyodk's rule
    return Path(named) if named else Path.home() / ".pyodk_config.toml"


def fetch(project: int, form_id: str, *, config=None, timeout: float = 60) -> tuple[bytes, str]:
    """(the form's CSV export as a .csv.zip, the server's address). Raises an
    ``EvalToolsError`` naming the server and form for a missing or bad pyodk
    configuration, refused credentials, an unknown form or project, a
    server error, a timeout or no network.

    Example:
        >>> fetch(3, "tes_post", config="pyodk.toml")  # doctest: +SKIP
        (b'PK...', 'https://central.example.org')
    """
    from pyodk.client import Client  # lazy: pyodk and pydantic take a while to import
    from pyodk.errors import PyODKError
    where = str(config_path(config))
    form = f"central {project}/{form_id}"
    try:
        client = Client(config_path=config_path(config))
    except (PyODKError, KeyError, TypeError, ValueError) as exc:
        raise _config_error(where, exc) from None
    server = _public(client.config.central.base_url)
    for scheme in ("http://", "https://"):
        client.session.mount(scheme, _Timeout(timeout))
    path = (f"projects/{int(project)}/forms/{urllib.parse.quote(form_id, safe='')}"
            "/submissions.csv.zip")
    try:
        with client:
            answer = client.session.get(path)
    except PyODKError as exc:  # the login failed
        response = exc.args[1] if len(exc.args) > 1 else None
        status = getattr(response, "status_code", None)
        raise (status_error(status, server, form, where) if status
               else server_error("answer", server, form, where, detail="login")) from None
    except requests.RequestException as exc:
        raise _network(exc, server, form, where, timeout) from None
    if answer.status_code != 200:
        raise status_error(answer.status_code, server, form, where)
    if not zipfile.is_zipfile(io.BytesIO(answer.content)):
        raise server_error("answer", server, form, where, detail="bukan berkas zip",
                           detail_en="not a zip file")
    return answer.content, server


def _causes(exc: BaseException):
    """The exception and those behind it (requests wraps urllib3's, which wraps the socket's)."""
    seen, todo = set(), [exc]
    while todo:
        e = todo.pop(0)
        if e is None or id(e) in seen:
            continue
        seen.add(id(e))
        yield e
        todo += [getattr(e, "reason", None), e.__cause__, e.__context__,
                 *(a for a in e.args if isinstance(a, BaseException))]


def _network(exc, server: str, form: str, where: str, timeout: float) -> EvalToolsError:
    """A requests failure to reach the server as our error."""
    if isinstance(exc, requests.Timeout):
        return server_error("timeout", server, form, where, timeout=f"{timeout:g}")
    causes = [e for e in _causes(exc) if isinstance(e, BaseException)]
    for want in (socket.gaierror, ConnectionRefusedError, TimeoutError):
        found = next((e for e in causes if isinstance(e, want)), None)
        if found is not None:
            return network_error(found, server, form, where, timeout)
    if any(type(e).__name__ == "NameResolutionError" for e in causes):
        return network_error(socket.gaierror(), server, form, where, timeout)
    return server_error("offline", server, form, where, detail=type(exc).__name__)


def _config_error(where: str, exc: BaseException) -> EvalToolsError:
    return EvalToolsError(
        f"konfigurasi pyodk (ODK Central) tidak ada atau tidak lengkap ({type(exc).__name__})",
        file=where,
        fix="tulis berkas itu (atau arahkan PYODK_CONFIG_FILE ke berkas Anda) dengan [central] "
            'base_url = "https://central.example.org", username = "...", password = "..." '
            "(docs/pull.md)",
        problem_en=f"pyodk (ODK Central) configuration missing or incomplete ({type(exc).__name__})",
        fix_en="write that file (or point PYODK_CONFIG_FILE at yours) with [central] "
               'base_url = "https://central.example.org", username = "...", password = "..." '
               "(docs/pull.md)")


def _public(url: str) -> str:
    """A server address without any user or password in it."""
    parts = urllib.parse.urlsplit(str(url).rstrip("/"))
    host = parts.hostname or ""
    netloc = f"{host}:{parts.port}" if parts.port else host
    return urllib.parse.urlunsplit((parts.scheme, netloc, parts.path, "", ""))


def submission_ids(data: bytes, name: str) -> list[str]:
    """The ids of the submissions in a Central .csv.zip (``KEY``, else
    ``meta-instanceID``), in order; its main CSV is the one named after the form.

    Example:
        >>> buf = io.BytesIO()
        >>> with zipfile.ZipFile(buf, "w") as z:
        ...     z.writestr("tes.csv", "SubmissionDate,meta-instanceID,KEY\\nx,uuid:1,uuid:1\\n")
        >>> submission_ids(buf.getvalue(), "tes")
        ['uuid:1']
    """
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        names = [n for n in z.namelist() if n.lower().endswith(".csv")]
        main = f"{name}.csv" if f"{name}.csv" in names else min(names, key=len, default=None)
        if main is None:
            return []
        text = z.read(main).decode("utf-8-sig", errors="replace")
    rows = list(csv.DictReader(io.StringIO(text)))
    key = next((k for k in ("KEY", "meta-instanceID") if rows and k in rows[0]), None)
    return [r[key] for r in rows] if key else [str(i) for i in range(len(rows))]
