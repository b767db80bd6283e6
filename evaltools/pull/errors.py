"""What can go wrong between evaltools and a form server, as one
``EvalToolsError`` per kind naming the server, the form and the fix, in
Bahasa Indonesia and English. No message holds a token or a password.
"""

from __future__ import annotations

import socket
import urllib.error

from ..errors import EvalToolsError

# kind -> (problem, fix, problem_en, fix_en); {where} is where the credentials come from
_TEXTS = {
    "auth": ("server menolak kredensial (HTTP {status})",
             "periksa token/kata sandi di {where}; buat token baru bila perlu, dan pastikan akun "
             "itu boleh melihat data formulir ini",
             "the server refused the credentials (HTTP {status})",
             "check the token/password in {where}; make a new token if needed, and make sure the "
             "account may view this form's data"),
    "missing": ("formulir tidak ditemukan di server (HTTP 404)",
                "periksa uid/id formulir dan nomor proyek di sesi.yaml (kunci formulir) dan alamat "
                "server; formulir harus sudah di-deploy",
                "form not found on the server (HTTP 404)",
                "check the form's uid/id and project number in sesi.yaml (key formulir) and the "
                "server's address; the form must be deployed"),
    "server": ("server gagal menjawab (HTTP {status})",
               "coba lagi beberapa menit lagi; bila terus gagal, unduh ekspor dari situs server "
               "dan taruh berkasnya di folder sesi",
               "the server failed to answer (HTTP {status})",
               "try again in a few minutes; if it keeps failing, download the export from the "
               "server's site and put the file in the session folder"),
    "http": ("server menjawab HTTP {status}",
             "periksa alamat server di {where}",
             "the server answered HTTP {status}",
             "check the server's address in {where}"),
    "timeout": ("server tidak menjawab dalam {timeout} detik",
                "coba lagi, dengan --timeout lebih besar bila jaringan lambat",
                "the server did not answer within {timeout} seconds",
                "try again, with a larger --timeout on a slow network"),
    "offline": ("server tidak dapat dihubungi ({detail})",
                "periksa sambungan internet dan alamat server di {where}",
                "cannot reach the server ({detail_en})",
                "check the internet connection and the server's address in {where}"),
    "answer": ("jawaban server tidak dapat dibaca ({detail})",
               "periksa bahwa alamat di {where} adalah server itu sendiri (mis. "
               "https://kf.kobotoolbox.org), bukan halaman lain",
               "cannot read the server's answer ({detail_en})",
               "check that the address in {where} is the server itself (e.g. "
               "https://kf.kobotoolbox.org), not another page"),
}


def server_error(kind: str, server: str, form: str, where: str, **values) -> EvalToolsError:
    """The error of one kind of failure (``auth``, ``missing``, ``server``,
    ``http``, ``timeout``, ``offline``, ``answer``) for ``form`` on ``server``;
    ``where`` says where the credentials and address come from; ``detail``
    (and ``detail_en``, else the same) a word on the cause.

    Example:
        >>> print(server_error("missing", "https://kf.kobotoolbox.org", "kobo aBcD1234",
        ...                    "KOBO_URL").problem)
        https://kf.kobotoolbox.org, formulir kobo aBcD1234: formulir tidak ditemukan di server (HTTP 404)
    """
    values.setdefault("detail_en", values.get("detail", ""))
    problem, fix, problem_en, fix_en = (t.format(where=where, **values) for t in _TEXTS[kind])
    return EvalToolsError(f"{server}, formulir {form}: {problem}", fix=fix,
                          problem_en=f"{server}, form {form}: {problem_en}", fix_en=fix_en)


def status_error(status: int, server: str, form: str, where: str) -> EvalToolsError:
    """The error of an HTTP status that is not a success.

    Example:
        >>> status_error(403, "https://x.org", "f", "KOBO_TOKEN").problem_en
        'https://x.org, form f: the server refused the credentials (HTTP 403)'
    """
    kind = ("auth" if status in (401, 403) else "missing" if status == 404
            else "server" if status >= 500 else "http")
    return server_error(kind, server, form, where, status=status)


def network_error(exc: BaseException, server: str, form: str, where: str,
                  timeout: float) -> EvalToolsError | None:
    """The error of a failure to reach the server (a timeout, a refused
    connection, a name that does not resolve), or None for another exception.

    Example:
        >>> network_error(ConnectionRefusedError(111, "Connection refused"), "http://x", "f",
        ...               "KOBO_URL", 30).problem_en
        'http://x, form f: cannot reach the server (connection refused)'
    """
    if isinstance(exc, urllib.error.URLError) and not isinstance(exc, urllib.error.HTTPError):
        exc = exc.reason if isinstance(exc.reason, BaseException) else OSError(str(exc.reason))
    if isinstance(exc, (TimeoutError, socket.timeout)):
        return server_error("timeout", server, form, where, timeout=f"{timeout:g}")
    if isinstance(exc, socket.gaierror):
        return server_error("offline", server, form, where, detail="nama server tidak dikenal",
                            detail_en="unknown host name")
    if isinstance(exc, ConnectionRefusedError):
        return server_error("offline", server, form, where, detail="connection refused")
    if isinstance(exc, OSError):
        return server_error("offline", server, form, where, detail=type(exc).__name__)
    return None
